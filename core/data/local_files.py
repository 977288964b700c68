"""The real image datasets, one table (DATASETS): finding a local copy, reading it, or
asking keras. `dataset(name).locate()` and `dataset(name).load()` serve every project.

Where they look, first hit wins:
1. $DLLAB_<NAME>_PATH: an .npz with x and y (or keras' x_train/y_train/x_test/y_test),
   or a folder holding such an .npz or the original IDX files (*-images-idx3-ubyte[.gz]).
2. $DLLAB_DATA_DIR/<folder>, in the same formats (e.g. ../shared/data/mnist).
3. keras' cache under $KERAS_HOME/datasets (else ~/.keras/datasets), read by us when it
   holds .npz or IDX files, by keras when it holds pickles:
   - MNIST: mnist.npz;
   - Fashion-MNIST: the folder fashion-mnist/ (the four IDX .gz files);
   - CIFAR-10: the archive keras 3 downloads, cifar-10-batches-py-target_archive
     (extracted beside it), holding pickled batches that keras' load_data() reads, never dllab.
4. keras.datasets.<name>.load_data(), which downloads into that cache.
"""
from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core import config
from core.data import ImagePool
from core.i18n import TranslatableError


class DatasetUnavailable(TranslatableError, FileNotFoundError):
    """A real dataset neither found on disk nor downloadable: what to set, in the user's language."""


def keras_datasets() -> Path:
    """Where keras.utils.get_file puts datasets ($KERAS_HOME, as keras reads it, else
    ~/.keras); read at each call, so tests can point it elsewhere."""
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"


@dataclass(frozen=True)
class LocalDataset:
    """How to find and check one real dataset."""

    title: str  # "MNIST": in messages and the pool's source
    folder: str  # its folder under $DLLAB_DATA_DIR
    path_variable: str  # the environment variable naming a file or folder, e.g. DLLAB_MNIST_PATH
    class_names: tuple[str, ...]
    image_shape: tuple[int, ...]  # one stored image: (28, 28) grey or (32, 32, 3) RGB
    keras_name: str  # keras.datasets.<keras_name>.load_data() downloads it
    keras_cache: str  # the file or folder keras leaves under keras_datasets()
    # The cache holds pickles, which dllab never loads itself: keras' load_data() reads it.
    keras_reads_its_cache: bool = False

    def keras_cache_path(self) -> Path:
        return keras_datasets() / self.keras_cache

    def locate(self) -> Path | None:
        """The local file or folder `load` would read, or None (it would download)."""
        return _locate(self)

    def load(self) -> ImagePool:
        """The whole dataset as one pool: images float32 in [0, 1], channels last."""
        return _load(self)


DATASETS = {
    "mnist": LocalDataset(
        title="MNIST",
        folder="mnist",
        path_variable="DLLAB_MNIST_PATH",
        class_names=tuple(str(digit) for digit in range(10)),
        image_shape=(28, 28),
        keras_name="mnist",
        keras_cache="mnist.npz",
    ),
    "fashion_mnist": LocalDataset(
        title="Fashion-MNIST",
        folder="fashion_mnist",
        path_variable="DLLAB_FASHION_MNIST_PATH",
        class_names=("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
        image_shape=(28, 28),
        keras_name="fashion_mnist",
        keras_cache="fashion-mnist",
    ),
    "cifar10": LocalDataset(
        title="CIFAR-10",
        folder="cifar10",
        path_variable="DLLAB_CIFAR10_PATH",
        class_names=("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
        image_shape=(32, 32, 3),
        keras_name="cifar10",
        # keras 3 decides "already downloaded" from this archive, not from the extracted folder.
        keras_cache="cifar-10-batches-py-target_archive",
        keras_reads_its_cache=True,
    ),
}


def dataset(name: str) -> LocalDataset:
    """The real dataset `name` of DATASETS; ValueError listing the valid names."""
    if name not in DATASETS:
        raise ValueError(f"unknown real dataset {name!r}; valid: {', '.join(DATASETS)}")
    return DATASETS[name]


def read_idx(path: Path) -> np.ndarray:
    """An unsigned-byte IDX file (the original MNIST format), gzipped or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as stream:
        content = stream.read()
    if len(content) < 4 or content[0] != 0 or content[1] != 0:
        raise ValueError(f"{path}: not an IDX file")
    if content[2] != 0x08:
        raise ValueError(f"{path}: only unsigned-byte IDX files are supported")
    dimension_count = content[3]
    header_end = 4 + 4 * dimension_count
    shape = tuple(int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(dimension_count))
    data = np.frombuffer(content, dtype=np.uint8, offset=header_end)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: expected {int(np.prod(shape))} values, found {data.size}")
    return data.reshape(shape)


def read_npz(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Images and labels from x and y, or from keras' four arrays (train then test)."""
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


def read_folder(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    """The first .npz in the folder, else every IDX images file with its labels file beside it."""
    archives = sorted(folder.glob("*.npz"))
    if archives:
        return read_npz(archives[0])
    image_files = sorted(folder.rglob("*images-idx3-ubyte*"))
    if not image_files:
        raise FileNotFoundError(f"{folder}: no .npz and no *-images-idx3-ubyte file")
    images, labels = [], []
    for image_file in image_files:
        label_file = image_file.with_name(image_file.name.replace("images-idx3", "labels-idx1"))
        if not label_file.exists():
            raise FileNotFoundError(f"{image_file}: its labels file {label_file.name} is missing")
        images.append(read_idx(image_file))
        labels.append(read_idx(label_file))
    return np.concatenate(images), np.concatenate(labels)


def read(path: Path, title: str) -> tuple[np.ndarray, np.ndarray]:
    if not path.exists():
        raise FileNotFoundError(f"{title} not found at {path}")
    return read_folder(path) if path.is_dir() else read_npz(path)


def _locate(dataset: LocalDataset) -> Path | None:
    if os.environ.get(dataset.path_variable):
        return Path(os.environ[dataset.path_variable])
    data_dir = config.data_dir()
    if data_dir is not None and (data_dir / dataset.folder).exists():
        return data_dir / dataset.folder
    keras_cache = dataset.keras_cache_path()
    if keras_cache.exists():
        return keras_cache
    return None


def _load_with_keras(dataset: LocalDataset) -> tuple[np.ndarray, np.ndarray]:
    from core import frameworks

    try:
        (x_train, y_train), (x_test, y_test) = getattr(frameworks.keras().datasets, dataset.keras_name).load_data()
    except Exception as error:
        raise DatasetUnavailable(
            "dataset_error_unavailable", title=dataset.title, reason=f"{type(error).__name__}: {error}",
            variable=dataset.path_variable, folder=dataset.folder,
        ) from None
    return np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])


def _check(dataset: LocalDataset, images: np.ndarray, labels: np.ndarray, source: str) -> None:
    expected = "(count, " + ", ".join(str(size) for size in dataset.image_shape) + ")"
    if images.ndim != len(dataset.image_shape) + 1 or images.shape[1:] != dataset.image_shape:
        raise ValueError(f"{source}: {dataset.title} images must be {expected}, got {images.shape}")
    if images.dtype != np.uint8:
        raise ValueError(f"{source}: {dataset.title} images must be uint8 pixels 0-255, got {images.dtype}")
    if labels.shape != (len(images),):
        raise ValueError(f"{source}: expected one label per image, {len(images)}, got labels of shape {labels.shape}")
    class_count = len(dataset.class_names)
    if len(labels) and (labels.min() < 0 or labels.max() >= class_count):
        raise ValueError(f"{source}: labels must be 0 to {class_count - 1}, found {labels.min()} to {labels.max()}")


def _load(dataset: LocalDataset) -> ImagePool:
    keras_cache = dataset.keras_cache_path()
    path = _locate(dataset)
    if path is None:
        images, labels = _load_with_keras(dataset)
        source = f"{dataset.title} downloaded by keras into {keras_cache.parent}"
    elif path == keras_cache and dataset.keras_reads_its_cache:
        images, labels = _load_with_keras(dataset)
        source = f"{dataset.title} from keras' cache {keras_cache}"
    else:
        images, labels = read(path, dataset.title)
        source = f"{dataset.title} from {path}"
    # keras gives CIFAR-10 labels as (count, 1).
    labels = labels.reshape(-1) if labels.ndim == 2 and labels.shape[1] == 1 else labels
    _check(dataset, images, labels, str(path or "keras' download"))
    images = images.astype(np.float32)
    images /= 255.0  # In place: CIFAR-10's 60,000 images are 700 MB as float32.
    if images.ndim == 3:
        images = images[..., np.newaxis]
    return ImagePool(
        images=images,
        labels=labels.astype(np.int64),
        class_names=list(dataset.class_names),
        source=f"{source} ({len(labels):,} images)",
    )
