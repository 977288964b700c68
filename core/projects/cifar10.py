"""cifar10: the CIFAR-10 study of course 001 and the CNN labs of course 004 (TP1-TP3).

The same architectures train on CIFAR-10, MNIST, Fashion-MNIST or the user's own image
folder; offline, on coloured shapes the project generates.
"""
from __future__ import annotations

from core.data import generated, local_files
from core.kinds import image_classification
from core.kinds.image_classification import train as classification_training
from core.projects.base import DatasetSpec, Preset, Project
from core.projects.image_classification import (
    ImageClassificationParameters,
    folder_dataset,
)

PROJECT = Project(
    id="cifar10",
    title="project_cifar10_title",
    summary="project_cifar10_summary",
    task=image_classification.KIND.name,
    datasets={
        "shapes": DatasetSpec(title="dataset_shapes", load=generated.load_shapes, offline=True, generated=True),
        # Its class is a small patch at a known place: where explanations should point.
        "patches": DatasetSpec(title="dataset_patches", load=generated.load_patches, offline=True, generated=True),
        "cifar10": DatasetSpec(title="dataset_cifar10", load=local_files.dataset("cifar10").load, offline=False, location=local_files.dataset("cifar10").locate),
        "mnist": DatasetSpec(title="dataset_mnist", load=local_files.dataset("mnist").load, offline=False, location=local_files.dataset("mnist").locate, preparation="ink"),
        "fashion_mnist": DatasetSpec(title="dataset_fashion_mnist", load=local_files.dataset("fashion_mnist").load, offline=False, location=local_files.dataset("fashion_mnist").locate, preparation="ink"),
        "folder": folder_dataset("dataset_folder"),
    },
    models=("small_cnn", "dense", "regularized_cnn", "mini_resnet", "transfer"),
    parameters=ImageClassificationParameters,
    views=("curves", "metrics", "confusion", "misclassified"),
    train=classification_training.train_classifier,
    presets={
        # The course's starting points, as the seed's notebook has them.
        "seed_dense": Preset("preset_seed_dense", "dense", {"epochs": 10}),
        "seed_cnn": Preset("preset_seed_cnn", "small_cnn", {"epochs": 10}),
        # 71% on 2,000 held-out CIFAR-10 images after 8,000 for training, in 17 min on 2 busy cores.
        "cpu_best": Preset(
            "preset_cpu_best", "regularized_cnn",
            {"epochs": 30, "batch_size": 64, "learning_rate": 0.002, "lr_schedule": "cosine", "batch_norm": True, "dropout": 0.2,
             "augment_flip": True, "augment_shift": 0.1, "l2": 0.0001},
        ),
        "resnet": Preset("preset_resnet", "mini_resnet", {"epochs": 30, "learning_rate": 0.002, "lr_schedule": "cosine", "augment_flip": True, "augment_shift": 0.1, "dropout": 0.2}),
        "transfer": Preset("preset_transfer", "transfer", {"epochs": 8, "batch_size": 32, "dropout": 0.2}),
    },
)
