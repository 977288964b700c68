"""Loading a finished run's model and predicting with it (the Predict page, the CLI)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core import backends
from core.i18n import TranslatableError
from core.kinds.image_classification import PREDICTIONS
from core.runs import store
from core.training import CHECKPOINT_DESCRIPTION


@dataclass
class LoadedModel:
    model: object
    backend: object
    description: dict

    @property
    def input_shape(self) -> tuple[int, int, int]:
        return tuple(self.description["input_shape"])

    @property
    def class_names(self) -> list[str]:
        return self.description["class_names"]

    @property
    def preparation(self) -> str:
        """core.images.prepare's style for this model's inputs; runs older than it were digits."""
        return self.description.get("preparation", "ink")

    def predict(self, images: np.ndarray) -> np.ndarray:
        """Probabilities for float32 NHWC images in [0, 1]."""
        if images.shape[1:] != self.input_shape:
            raise ValueError(f"the model expects images of shape {self.input_shape}, got {images.shape[1:]}")
        return self.backend.predict(self.model, images)


def has_checkpoint(path: Path) -> bool:
    return (path / CHECKPOINT_DESCRIPTION).exists()


def checkpoint_time(path: Path) -> float:
    """When the run's checkpoint was written: part of a loaded model's cache key, so a
    replaced checkpoint is loaded again."""
    return (path / CHECKPOINT_DESCRIPTION).stat().st_mtime


def checkpoint_version(path: Path) -> tuple:
    """What a loaded model is cached under: checkpoint.json's time and the model file's own
    (core.backends.model_cache.file_version), so a model file replaced while checkpoint.json
    stayed is loaded again."""
    from core.backends import model_cache

    return (checkpoint_time(path), *model_cache.file_version(path / read_description(path)["file"]))


def finished_runs(page: str | None) -> list[store.RunSummary]:
    """The finished runs that have a model to load, newest first, of the kinds of task the
    page `page` (a role in app.ui PAGE_SECTIONS) takes (core.kinds.Kind.pages); None: of
    every known kind."""
    from core import kinds

    wanted = kinds.kinds_for_page(page) if page else tuple(kinds.KINDS)
    return [run for run in store.list_runs() if run.state == "finished" and has_checkpoint(run.path) and getattr(kinds.kind_of(run), "name", None) in wanted]


# What every checkpoint.json holds since the first one (core.training.write_description).
DESCRIPTION_KEYS = ("backend", "model", "file", "input_shape", "class_names")


class DamagedDescription(TranslatableError):
    """checkpoint.json is there but cannot be read: not JSON, or missing what loading needs."""


def read_description(path: Path) -> dict:
    """checkpoint.json: backend, model, file, input_shape, class_names, dataset.
    FileNotFoundError when the run saved none; DamagedDescription when it is damaged."""
    if not path.is_dir():
        raise store.RunNotFound(f"run not found: {path.name}")
    text = (path / CHECKPOINT_DESCRIPTION).read_text(errors="replace")
    try:
        description = json.loads(text)
    except ValueError:
        description = None
    if not isinstance(description, dict) or any(key not in description for key in DESCRIPTION_KEYS):
        raise DamagedDescription("inference_error_damaged_description")
    return description


def description_damage(path: Path) -> DamagedDescription | None:
    """The DamagedDescription a page shows when the run's checkpoint.json exists but is
    damaged; None when it is sound or absent (a run that saved no model)."""
    try:
        if has_checkpoint(path):
            read_description(path)
    except DamagedDescription as error:
        return error
    return None


def load_model(path: Path) -> LoadedModel:
    """The checkpoint of a finished run; FileNotFoundError when it has none."""
    description = read_description(path)
    backend = backends.get_backend(description["backend"])
    return LoadedModel(model=backend.load(path / description["file"], description), backend=backend, description=description)


def load_predictions(path: Path) -> dict[str, np.ndarray]:
    """eval/predictions.npz: images (uint8), labels, predictions, probabilities."""
    return PREDICTIONS.read(path)


def top_classes(probabilities: np.ndarray, class_names: list[str], count: int = 3) -> list[tuple[str, float]]:
    order = np.argsort(probabilities)[::-1][:count]
    return [(class_names[index], float(probabilities[index])) for index in order]
