"""What the image-classification projects (cifar10, artists) share: their hyperparameters
and their image-folder datasets."""
from __future__ import annotations

from dataclasses import dataclass

from core.data import folders
from core.hyperparams import ClassifierParameters, parameter
from core.projects.base import DatasetSpec


@dataclass(frozen=True)
class ImageClassificationParameters(ClassifierParameters):
    # The course notebook trains 10 epochs; the shapes reach about 90% with the minimal CNN.
    epochs: int = parameter(10, minimum=1, maximum=500, help="help_epochs")
    batch_size: int = parameter(64, minimum=1, maximum=4096, help="help_batch_size")
    # Transfer learning only: also train the pretrained backbone (slow on a CPU).
    fine_tune: bool = parameter(False, help="help_fine_tune")
    # An enrichment set (core.enrichment) whose images join the training split.
    enrichment: str = parameter("", help="help_enrichment", path="enrichment_set")
    # Image folders only (the form hides them for other datasets).
    data_path: str = parameter("", help="help_data_path", path="folder")
    image_size: int = parameter(64, minimum=16, maximum=256, help="help_image_size")
    min_per_class: int = parameter(0, minimum=0, maximum=100_000, help="help_min_per_class")
    max_per_class: int = parameter(0, minimum=0, maximum=100_000, help="help_max_per_class")


FOLDER_OPTIONS = {"path": "data_path", "image_size": "image_size", "min_per_class": "min_per_class", "max_per_class": "max_per_class"}


def _check_folder(path: str, min_per_class: int, max_per_class: int, validation_fraction: float, **_) -> None:
    """Before a run is queued: a folder is named, exists, keeps two classes or more and has
    enough images for the training, validation and test split."""
    folders.check_folder(path, min_per_class, max_per_class, validation_fraction)


def folder_dataset(title: str) -> DatasetSpec:
    """An image folder the user points at (or uploads as a zip): one sub-folder per class,
    or the Best Artworks layout."""
    return DatasetSpec(title=title, load=folders.load_folder, offline=True, options=FOLDER_OPTIONS, check=_check_folder)
