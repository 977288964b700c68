"""MNIST, 28x28 grey digits, from a local file or keras' download (cached).

Where it looks, first hit wins (see core.data.local_files):
1. $DLLAB_MNIST_PATH: an .npz with x and y (or keras' x_train/y_train/x_test/y_test), or
   a folder holding such an .npz or the original IDX files (*-images-idx3-ubyte[.gz]).
2. $DLLAB_DATA_DIR/mnist, in the same formats (e.g. ../shared/data/mnist).
3. keras' cache, ~/.keras/datasets/mnist.npz.
4. keras.datasets.mnist.load_data(), which downloads into that cache.
"""
from __future__ import annotations

from pathlib import Path

from core.data import ImagePool, local_files

KERAS_CACHE_FILE = local_files.KERAS_DATASETS / "mnist.npz"

DATASET = local_files.LocalDataset(
    title="MNIST",
    folder="mnist",
    path_variable="DLLAB_MNIST_PATH",
    class_names=tuple(str(digit) for digit in range(10)),
    image_shape=(28, 28),
    keras_name="mnist",
)


# The cache path is read at each call, so tests can point it elsewhere.
def locate() -> Path | None:
    """The local MNIST file or folder that load_mnist would read, or None (it would download)."""
    return local_files.locate(DATASET, KERAS_CACHE_FILE)


def load_mnist() -> ImagePool:
    return local_files.load(DATASET, KERAS_CACHE_FILE)
