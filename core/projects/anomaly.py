"""anomaly: self-supervised anomaly detection (course 000, P3). Pretext tasks learnt from
defect-free images only; the reconstruction error marks the defects. On an MVTec AD or
AutoVI category folder; offline, on generated textures with generated defects."""
from __future__ import annotations

from dataclasses import dataclass

from core.data import anomaly
from core.hyperparams import parameter
from core.kinds import anomaly_detection
from core.kinds.anomaly_detection import analysis as scoring
from core.kinds.anomaly_detection import keras_models as keras_anomaly
from core.kinds.anomaly_detection import train as detection
from core.projects.base import DatasetSpec, Project


@dataclass(frozen=True)
class AnomalyParameters:
    # 20 epochs of 180 textures take about a minute here; every task then finds the defects.
    epochs: int = parameter(20, minimum=1, maximum=500, help="help_epochs")
    batch_size: int = parameter(16, minimum=1, maximum=1024, help="help_batch_size")
    learning_rate: float = parameter(0.001, minimum=1e-6, maximum=1.0, help="help_learning_rate")
    # Images are resized to a square of this side; the models halve it three times.
    image_size: int = parameter(64, minimum=16, maximum=512, step=8, help="help_anomaly_image_size")
    # The masked autoencoder's share of hidden patches while it learns.
    mask_ratio: float = parameter(0.5, minimum=0.1, maximum=0.9, step=0.05, help="help_mask_ratio")
    # How an error map is made: squared difference, or 1 - local SSIM (structure, not brightness).
    score: str = parameter("l2", choices=scoring.SCORE_KINDS, help="help_anomaly_score")
    # An image's score: the mean of its highest-error pixels, this share of them.
    top_fraction: float = parameter(0.01, minimum=0.001, maximum=1.0, help="help_top_fraction")
    seed: int = parameter(0, minimum=0, maximum=2**31 - 1, help="help_seed")
    # Good training images held out to validate the reconstruction after every epoch.
    validation_fraction: float = parameter(0.1, minimum=0.05, maximum=0.5, step=0.05, help="help_validation_fraction")
    # Generated textures only: which of the three categories.
    category: str = parameter("weave", choices=anomaly.TEXTURE_CATEGORIES, help="help_texture_category")
    # Category folders only (MVTec AD or AutoVI layout).
    category_path: str = parameter("", help="help_category_path", path="folder")


def load_textures(category: str, image_size: int) -> anomaly.AnomalySet:
    return anomaly.make_textures(category, train_count=200, good_tests=30, defects_per_kind=15, size=image_size, seed=0)


def _check_folder(path: str, **_) -> None:
    anomaly.scan_category(path)


def check(parameters: AnomalyParameters, dataset: str, model: str) -> None:
    keras_anomaly.check_size(parameters.image_size)
    if model == "colorization":
        grey = parameters.category in anomaly.GREY_TEXTURES if dataset == "textures" else anomaly.is_grey_category(parameters.category_path)
        detection.check_task(model, grey)


PROJECT = Project(
    id="anomaly",
    title="project_anomaly_title",
    summary="project_anomaly_summary",
    task=anomaly_detection.KIND.name,
    datasets={
        "textures": DatasetSpec(title="dataset_textures", load=load_textures, offline=True, generated=True, options={"category": "category", "image_size": "image_size"}, data_kind="anomaly_set"),
        "category_folder": DatasetSpec(title="dataset_anomaly_folder", load=anomaly.load_category, offline=True, options={"path": "category_path", "image_size": "image_size"}, check=_check_folder, data_kind="anomaly_set"),
    },
    models=keras_anomaly.TASKS,
    parameters=AnomalyParameters,
    views=("curves", "metrics"),
    train=detection.train_detector,
    curves=("loss",),
    results={"image_auroc": True, "pixel_auroc": True},
    check=check,
)
