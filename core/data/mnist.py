"""MNIST, 28x28 grey digits, from a local file or keras' download (cached).

Where it looks, first hit wins:
1. $DLLAB_MNIST_PATH: an .npz with x and y (or keras' x_train/y_train/x_test/y_test), or
   a folder holding such an .npz or the original IDX files (*-images-idx3-ubyte[.gz]).
2. $DLLAB_DATA_DIR/mnist, in the same formats (e.g. ../shared/data/mnist).
3. keras' cache, ~/.keras/datasets/mnist.npz.
4. keras.datasets.mnist.load_data(), which downloads into that cache.
"""
from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

from core import config
from core.data import ImagePool

KERAS_CACHE_FILE = Path.home() / ".keras" / "datasets" / "mnist.npz"


def _read_idx(path: Path) -> np.ndarray:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as stream:
        content = stream.read()
    if len(content) < 4 or content[0] != 0 or content[1] != 0:
        raise ValueError(f"{path}: not an IDX file")
    dimension_count = content[3]
    header_end = 4 + 4 * dimension_count
    shape = tuple(int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(dimension_count))
    if content[2] != 0x08:
        raise ValueError(f"{path}: only unsigned-byte IDX files are supported")
    data = np.frombuffer(content, dtype=np.uint8, offset=header_end)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: expected {int(np.prod(shape))} values, found {data.size}")
    return data.reshape(shape)


def _read_npz(path: Path) -> tuple[np.ndarray, np.ndarray]:
    # allow_pickle=False: a data file never runs code.
    with np.load(path, allow_pickle=False) as archive:
        names = set(archive.files)
        if {"x", "y"} <= names:
            return archive["x"], archive["y"]
        if {"x_train", "y_train", "x_test", "y_test"} <= names:
            return (
                np.concatenate([archive["x_train"], archive["x_test"]]),
                np.concatenate([archive["y_train"], archive["y_test"]]),
            )
    raise ValueError(f"{path}: expected arrays x and y, or x_train, y_train, x_test, y_test; found {sorted(names)}")


def _read_folder(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    archives = sorted(folder.glob("*.npz"))
    if archives:
        return _read_npz(archives[0])
    image_files = sorted(folder.rglob("*images-idx3-ubyte*"))
    if not image_files:
        raise FileNotFoundError(f"{folder}: no .npz and no *-images-idx3-ubyte file")
    images, labels = [], []
    for image_file in image_files:
        label_file = image_file.with_name(image_file.name.replace("images-idx3", "labels-idx1"))
        if not label_file.exists():
            raise FileNotFoundError(f"{image_file}: its labels file {label_file.name} is missing")
        images.append(_read_idx(image_file))
        labels.append(_read_idx(label_file))
    return np.concatenate(images), np.concatenate(labels)


def _read(path: Path) -> tuple[np.ndarray, np.ndarray]:
    if not path.exists():
        raise FileNotFoundError(f"MNIST not found at {path}")
    return _read_folder(path) if path.is_dir() else _read_npz(path)


def locate() -> Path | None:
    """The local MNIST file or folder that load_mnist would read, or None (it would download)."""
    if os.environ.get("DLLAB_MNIST_PATH"):
        return Path(os.environ["DLLAB_MNIST_PATH"])
    data_dir = config.data_dir()
    if data_dir is not None and (data_dir / "mnist").exists():
        return data_dir / "mnist"
    if KERAS_CACHE_FILE.exists():
        return KERAS_CACHE_FILE
    return None


def load_mnist() -> ImagePool:
    path = locate()
    if path is not None:
        images, labels = _read(path)
        source = f"MNIST from {path}"
    else:
        from core import frameworks

        try:
            (x_train, y_train), (x_test, y_test) = frameworks.keras().datasets.mnist.load_data()
        except Exception as error:
            raise FileNotFoundError(
                "MNIST is not cached and could not be downloaded "
                f"({type(error).__name__}); set DLLAB_MNIST_PATH or DLLAB_DATA_DIR to a local copy"
            ) from None
        images, labels = np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])
        source = f"MNIST downloaded by keras into {KERAS_CACHE_FILE.parent}"
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"MNIST images must be (count, 28, 28), got {images.shape}")
    return ImagePool(
        images=(images.astype(np.float32) / 255.0)[..., np.newaxis],
        labels=labels.astype(np.int64),
        class_names=[str(digit) for digit in range(10)],
        source=f"{source} ({len(labels):,} images)",
    )
