"""Datasets as arrays: images float32 in [0, 1], channels last, integer labels."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The held-out test part of every pool; fixed so test figures compare across runs.
TEST_FRACTION = 0.2


@dataclass
class ImagePool:
    """All labelled images a loader could find, before the split."""

    images: np.ndarray  # (count, height, width, channels), float32 in [0, 1]
    labels: np.ndarray  # (count,), int64
    class_names: list[str]
    source: str  # where the images came from, for params.json and the UI

    def __post_init__(self):
        if self.images.ndim != 4:
            raise ValueError(f"images must be (count, height, width, channels), got {self.images.shape}")
        if len(self.images) != len(self.labels):
            raise ValueError(f"{len(self.images)} images but {len(self.labels)} labels")


@dataclass
class Split:
    """Train, validation and test arrays cut from a pool by seed."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_validation: np.ndarray
    y_validation: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: list[str]
    source: str

    @property
    def input_shape(self) -> tuple[int, int, int]:
        return tuple(self.x_train.shape[1:])

    @property
    def class_count(self) -> int:
        return len(self.class_names)


def split_pool(pool: ImagePool, seed: int, validation_fraction: float) -> Split:
    """Stratified test, then validation, split; the same seed gives the same split.
    A FolderError saying how many images are needed when a part could not hold every class."""
    from sklearn.model_selection import train_test_split

    from core.data import folders

    folders.check_splittable(pool.labels, pool.class_names, validation_fraction)
    indices = np.arange(len(pool.labels))
    train_pool, test = train_test_split(
        indices, test_size=TEST_FRACTION, random_state=seed, stratify=pool.labels
    )
    train, validation = train_test_split(
        train_pool, test_size=validation_fraction, random_state=seed, stratify=pool.labels[train_pool]
    )
    return Split(
        x_train=pool.images[train],
        y_train=pool.labels[train],
        x_validation=pool.images[validation],
        y_validation=pool.labels[validation],
        x_test=pool.images[test],
        y_test=pool.labels[test],
        class_names=pool.class_names,
        source=pool.source,
    )
