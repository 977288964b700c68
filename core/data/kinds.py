"""The kinds of data a dataset's loader returns, declared: a project's DatasetSpec names
one (`data_kind`), and loading checks the loader returned its container.

image_pool and anomaly_set are loaded today; token_sequences, series and
detection_targets are declared for the kinds of task to come (text classification,
forecasting, detection): their containers are in core.data.containers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.data import ImagePool, containers
from core.data.anomaly import AnomalySet


@dataclass(frozen=True)
class DataKind:
    """One kind of data: the class a loader returns and how a preview shows it."""

    container: type
    summary: str  # what the container holds, for messages and docs
    # (container) -> ImagePool of its images by class, for the Home page's preview; None
    # when the data has no images to show that way.
    as_pool: Callable | None = None


def _itself(pool: ImagePool) -> ImagePool:
    return pool


DATA_KINDS = {
    "image_pool": DataKind(ImagePool, "labelled images (count, height, width, channels) and class names", as_pool=_itself),
    "anomaly_set": DataKind(AnomalySet, "good training images, good and defective test images, defect masks", as_pool=AnomalySet.as_pool),
    "token_sequences": DataKind(containers.TokenSequences, "token ids (count, length), labels and a vocabulary"),
    "series": DataKind(containers.SeriesWindows, "time-series windows (count, steps, features) and the steps that follow"),
    "detection_targets": DataKind(containers.DetectionTargets, "images, and per image its boxes and their labels"),
}


def get_data_kind(name: str) -> DataKind:
    """The declared kind `name`; ValueError listing the valid names."""
    if name not in DATA_KINDS:
        raise ValueError(f"unknown data kind {name!r}; valid: {', '.join(DATA_KINDS)}")
    return DATA_KINDS[name]


def check_container(data, kind: str, dataset: str) -> None:
    """ValueError naming the dataset, its declared kind and what came back, when `data` is
    not the container of `kind`."""
    container = get_data_kind(kind).container
    if not isinstance(data, container):
        raise ValueError(f"dataset {dataset!r} declares data kind {kind!r} ({container.__name__}), but its loader returned {type(data).__name__}")


def as_pool(data, kind: str) -> ImagePool:
    """`data` of the declared `kind` as a pool of images by class, for previews."""
    convert = get_data_kind(kind).as_pool
    if convert is None:
        raise ValueError(f"data kind {kind!r} has no image preview")
    return convert(data)
