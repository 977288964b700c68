"""What the image-classification projects (cifar10, artists) share: their hyperparameters
and their image-folder datasets."""
from __future__ import annotations

from dataclasses import dataclass

from core.data import folders
from core.hyperparams import TrainingParameters, parameter
from core.projects.base import DatasetSpec


@dataclass(frozen=True)
class ImageClassificationParameters(TrainingParameters):
    # The course notebook trains 10 epochs; the shapes reach about 90% with the minimal CNN.
    epochs: int = parameter(10, minimum=1, maximum=500, help="help_epochs")
    batch_size: int = parameter(64, minimum=1, maximum=4096, help="help_batch_size")
    # A reduction in loss that stalls for this many epochs ends the run (0: never).
    early_stopping_patience: int = parameter(0, minimum=0, maximum=100, help="help_early_stopping_patience")
    lr_schedule: str = parameter("constant", choices=("constant", "step", "cosine", "plateau"), help="help_lr_schedule")
    # BatchNorm after every convolution of the regularized CNN (the ResNet always has it).
    batch_norm: bool = parameter(False, help="help_batch_norm")
    augment_flip: bool = parameter(False, help="help_augment_flip")
    augment_shift: float = parameter(0.0, minimum=0.0, maximum=0.3, step=0.05, help="help_augment_shift")
    augment_rotation: float = parameter(0.0, minimum=0.0, maximum=0.5, step=0.05, help="help_augment_rotation")
    # Rare classes weigh as much as common ones in the loss.
    class_weights: bool = parameter(False, help="help_class_weights")
    # Transfer learning only: also train the pretrained backbone (slow on a CPU).
    fine_tune: bool = parameter(False, help="help_fine_tune")
    # An enrichment set (core.enrichment) whose images join the training split.
    enrichment: str = parameter("", help="help_enrichment")
    # Image folders only (the form hides them for other datasets).
    data_path: str = parameter("", help="help_data_path")
    image_size: int = parameter(64, minimum=16, maximum=256, help="help_image_size")
    min_per_class: int = parameter(0, minimum=0, maximum=100_000, help="help_min_per_class")
    max_per_class: int = parameter(0, minimum=0, maximum=100_000, help="help_max_per_class")


FOLDER_OPTIONS = {"path": "data_path", "image_size": "image_size", "min_per_class": "min_per_class", "max_per_class": "max_per_class"}


def _check_folder(path: str, **_) -> None:
    """Before a run is queued: a folder is named, exists and has two classes or more."""
    folders.scan_folder(path)


def folder_dataset(title: str) -> DatasetSpec:
    """An image folder the user points at (or uploads as a zip): one sub-folder per class,
    or the Best Artworks layout."""
    return DatasetSpec(title=title, load=folders.load_folder, offline=True, options=FOLDER_OPTIONS, check=_check_folder)
