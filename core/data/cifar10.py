"""CIFAR-10, 32x32 colour photos in 10 classes, from a local .npz or keras' download.

Where it looks, first hit wins (see core.data.local_files):
1. $DLLAB_CIFAR10_PATH: an .npz (x and y, or keras' four arrays) or a folder holding one.
2. $DLLAB_DATA_DIR/cifar10 (e.g. ../shared/data/cifar10).
3. keras' cache: the archive keras 3 downloads, ~/.keras/datasets/cifar-10-batches-py-target_archive
   (extracted beside it). It holds pickled batches: keras' load_data() reads them, never dllab.
4. keras.datasets.cifar10.load_data(), which downloads into that cache.
"""
from __future__ import annotations

from pathlib import Path

from core.data import ImagePool, local_files

# keras 3 decides "already downloaded" from this archive, not from the extracted folder.
KERAS_CACHE_FILE = local_files.KERAS_DATASETS / "cifar-10-batches-py-target_archive"

DATASET = local_files.LocalDataset(
    title="CIFAR-10",
    folder="cifar10",
    path_variable="DLLAB_CIFAR10_PATH",
    class_names=("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
    image_shape=(32, 32, 3),
    keras_name="cifar10",
    keras_reads_its_cache=True,
)


# The cache path is read at each call, so tests can point it elsewhere.
def locate() -> Path | None:
    """The local CIFAR-10 file or folder (or keras' cache) that load_cifar10 would read, or None."""
    return local_files.locate(DATASET, KERAS_CACHE_FILE)


def load_cifar10() -> ImagePool:
    return local_files.load(DATASET, KERAS_CACHE_FILE)
