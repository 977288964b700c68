"""artists: who painted this? The Art Challenge of course 000 (P1), on the Best Artworks
of All Time layout; offline, on abstract "paintings" in five styles the project generates."""
from __future__ import annotations

from dataclasses import dataclass

from core.data import generated
from core.hyperparams import parameter
from core.kinds import image_classification
from core.kinds.image_classification import train as classification_training
from core.projects.base import DatasetSpec, Project
from core.projects.image_classification import (
    ImageClassificationParameters,
    folder_dataset,
)


@dataclass(frozen=True)
class ArtistsParameters(ImageClassificationParameters):
    # Best Artworks is very unbalanced (877 Van Gogh, 24 Cézanne): weigh the classes.
    class_weights: bool = parameter(True, help="help_class_weights")
    augment_flip: bool = parameter(True, help="help_augment_flip")


PROJECT = Project(
    id="artists",
    title="project_artists_title",
    summary="project_artists_summary",
    task=image_classification.KIND.name,
    datasets={
        "paintings": DatasetSpec(title="dataset_paintings", load=generated.load_paintings, offline=True, generated=True),
        "best_artworks": folder_dataset("dataset_best_artworks"),
    },
    models=("small_cnn", "regularized_cnn", "mini_resnet", "transfer"),
    parameters=ArtistsParameters,
    views=("curves", "metrics", "confusion", "misclassified"),
    train=classification_training.train_classifier,
)
