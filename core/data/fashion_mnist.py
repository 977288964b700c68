"""Fashion-MNIST, 28x28 grey clothes in 10 classes, from a local file or keras' download.

Where it looks, first hit wins (see core.data.local_files):
1. $DLLAB_FASHION_MNIST_PATH: an .npz (x and y, or keras' four arrays) or a folder
   holding one, or the original IDX files.
2. $DLLAB_DATA_DIR/fashion_mnist (e.g. ../shared/data/fashion_mnist).
3. keras' cache, ~/.keras/datasets/fashion-mnist/ (the four IDX .gz files).
4. keras.datasets.fashion_mnist.load_data(), which downloads into that cache.
"""
from __future__ import annotations

from pathlib import Path

from core.data import ImagePool, local_files

KERAS_CACHE_FOLDER = local_files.KERAS_DATASETS / "fashion-mnist"

DATASET = local_files.LocalDataset(
    title="Fashion-MNIST",
    folder="fashion_mnist",
    path_variable="DLLAB_FASHION_MNIST_PATH",
    class_names=("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
    image_shape=(28, 28),
    keras_name="fashion_mnist",
)


# The cache path is read at each call, so tests can point it elsewhere.
def locate() -> Path | None:
    """The local Fashion-MNIST file or folder that load_fashion_mnist would read, or None."""
    return local_files.locate(DATASET, KERAS_CACHE_FOLDER)


def load_fashion_mnist() -> ImagePool:
    return local_files.load(DATASET, KERAS_CACHE_FOLDER)
