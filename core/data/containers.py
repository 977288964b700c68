"""The containers of the data kinds no project loads yet (core.data.kinds): text as token
ids, time-series windows, images with boxes. Each checks its shapes when made, as
core.data.ImagePool does, so a loader's mistake shows where it is made."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _check_labels(labels: np.ndarray, class_names: list[str], what: str) -> None:
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{what} must be integers, got {labels.dtype}")
    if len(labels) and (labels.min() < 0 or labels.max() >= len(class_names)):
        raise ValueError(f"{what} must be 0 to {len(class_names) - 1} ({len(class_names)} class names), found {labels.min()} to {labels.max()}")


@dataclass
class TokenSequences:
    """Labelled texts as token ids, padded to one length (text classification)."""

    tokens: np.ndarray  # (count, length), integer ids into vocabulary; padding is id 0
    labels: np.ndarray  # (count,), int64
    class_names: list[str]
    vocabulary: list[str]  # id -> token; vocabulary[0] is the padding token
    source: str  # where the texts came from, for params.json and the UI

    def __post_init__(self):
        if self.tokens.ndim != 2:
            raise ValueError(f"tokens must be (count, length), got {self.tokens.shape}")
        if not np.issubdtype(self.tokens.dtype, np.integer):
            raise ValueError(f"tokens must be integer ids, got {self.tokens.dtype}")
        if self.labels.shape != (len(self.tokens),):
            raise ValueError(f"{len(self.tokens)} sequences but labels of shape {self.labels.shape}")
        if self.tokens.size and (self.tokens.min() < 0 or self.tokens.max() >= len(self.vocabulary)):
            raise ValueError(f"token ids must be 0 to {len(self.vocabulary) - 1} (the vocabulary's size), found {self.tokens.min()} to {self.tokens.max()}")
        _check_labels(self.labels, self.class_names, "labels")


@dataclass
class SeriesWindows:
    """Time-series windows and the values that follow each (forecasting)."""

    windows: np.ndarray  # (count, steps, features), float32: the inputs
    targets: np.ndarray  # (count, horizon, target count), float32: the steps to forecast
    feature_names: list[str]  # one per feature of a window
    target_names: list[str]  # one per forecast value
    source: str

    def __post_init__(self):
        if self.windows.ndim != 3:
            raise ValueError(f"windows must be (count, steps, features), got {self.windows.shape}")
        if self.targets.ndim != 3:
            raise ValueError(f"targets must be (count, horizon, target count), got {self.targets.shape}")
        if len(self.windows) != len(self.targets):
            raise ValueError(f"{len(self.windows)} windows but {len(self.targets)} targets")
        if self.windows.shape[2] != len(self.feature_names):
            raise ValueError(f"windows have {self.windows.shape[2]} features but {len(self.feature_names)} feature names")
        if self.targets.shape[2] != len(self.target_names):
            raise ValueError(f"targets have {self.targets.shape[2]} values a step but {len(self.target_names)} target names")


@dataclass
class DetectionTargets:
    """Images, each with its boxes and their labels (object detection)."""

    images: np.ndarray  # (count, height, width, channels), float32 in [0, 1]
    boxes: list[np.ndarray]  # per image (boxes, 4), float32 pixels: x_min, y_min, x_max, y_max
    labels: list[np.ndarray]  # per image (boxes,), int64, one per box
    class_names: list[str]
    source: str

    def __post_init__(self):
        if self.images.ndim != 4:
            raise ValueError(f"images must be (count, height, width, channels), got {self.images.shape}")
        if not len(self.images) == len(self.boxes) == len(self.labels):
            raise ValueError(f"{len(self.images)} images but {len(self.boxes)} box arrays and {len(self.labels)} label arrays")
        height, width = self.images.shape[1:3]
        for index, (boxes, labels) in enumerate(zip(self.boxes, self.labels)):
            if boxes.ndim != 2 or boxes.shape[1] != 4:
                raise ValueError(f"image {index}: boxes must be (boxes, 4), got {boxes.shape}")
            if labels.shape != (len(boxes),):
                raise ValueError(f"image {index}: {len(boxes)} boxes but labels of shape {labels.shape}")
            if len(boxes) and ((boxes[:, 2] <= boxes[:, 0]).any() or (boxes[:, 3] <= boxes[:, 1]).any()):
                raise ValueError(f"image {index}: a box must have x_min < x_max and y_min < y_max")
            if len(boxes) and (boxes.min() < 0 or (boxes[:, [0, 2]] > width).any() or (boxes[:, [1, 3]] > height).any()):
                raise ValueError(f"image {index}: boxes must lie within the image, {width}x{height} pixels")
            _check_labels(labels, self.class_names, f"image {index}: labels")
