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


def finished_runs(page: str | None, limit: int | None = None) -> list[store.RunSummary]:
    """The finished runs that have a model to load, newest first, of the kinds of task the
    page `page` (a role in app.ui PAGE_SECTIONS) takes (core.kinds.Kind.pages; None: of
    every known kind): the `limit` newest, or all. From the run index (store.check_index);
    checkpoint.json is looked for only in the runs returned."""
    projects = _projects_for(page)
    if not projects:
        return []
    store.check_index()
    return _finished_with_model(projects, limit)


# The first look for a picker's newest runs fetches this many more than it needs, in case a
# few saved no model; each further look fetches twice as many, up to the most.
FETCH_MARGIN = 5
MOST_FETCHED = 1000


def _projects_for(page: str | None, kind: str | None = None) -> tuple[str, ...]:
    """The projects whose runs the page `page` takes (those of one of its kinds, `kind`)."""
    from core import kinds
    from core.projects import PROJECTS

    wanted = kinds.kinds_for_page(page) if page else tuple(kinds.KINDS)
    if kind is not None:
        wanted = tuple(name for name in wanted if name == kind)
    return tuple(project_id for project_id, project in PROJECTS.items() if project.task in wanted)


def _finished_with_model(projects: tuple[str, ...], limit: int | None) -> list[store.RunSummary]:
    """The `limit` newest finished runs of `projects` that have checkpoint.json (None: all),
    from the index as it is."""
    if limit is None:
        return [run for run in store.select_runs(projects, ("finished",)) if has_checkpoint(run.path)]
    found, offset, batch = [], 0, limit + FETCH_MARGIN
    while len(found) < limit:
        runs = store.select_runs(projects, ("finished",), limit=batch, offset=offset)
        found += [run for run in runs if has_checkpoint(run.path)]
        if len(runs) < batch:
            break
        offset, batch = offset + batch, min(2 * batch, MOST_FETCHED)
    return found[:limit]


def finished_choices(page: str | None, chosen_ids: tuple[str, ...] | list[str] = (), count: int | None = None, kind: str | None = None) -> store.RunChoices:
    """For a picker: the `count` (store.PICKER_SIZE) newest finished runs with a model that
    the page `page` takes (of its kind `kind` only, when given), and the runs `chosen_ids`
    that it takes, however old; an id that names no such run is left out. Only the runs
    offered are read from their folders."""
    count = store.PICKER_SIZE if count is None else count
    if count < 0:
        raise ValueError(f"count: expected a number of runs >= 0, got {count}")
    projects = _projects_for(page, kind)
    if not projects:
        return store.offer([], [], 0)
    store.check_index()
    newest = _finished_with_model(projects, count)
    by_id = {run.id: run for run in newest}
    chosen = [by_id.get(run_id) or _finished_run(run_id, projects) for run_id in dict.fromkeys(run_id for run_id in chosen_ids if run_id)]
    return store.offer(newest, [run for run in chosen if run is not None], store.count_runs(projects, ("finished",)))


def finished_kinds(page: str | None) -> dict[str, int]:
    """Kind of task -> how many finished runs of it the page `page` takes (None: every page),
    in the registry's order, the kinds without one left out; counted in the index."""
    from core import kinds

    store.check_index()
    counts = {}
    for name in kinds.KINDS:
        projects = _projects_for(page, name)
        count = store.count_runs(projects, ("finished",)) if projects else 0
        if count:
            counts[name] = count
    return counts


def first_finished_kind(run_ids: list[str], page: str | None) -> str | None:
    """The kind of task of the first of `run_ids` that is a finished run with a model the page
    `page` takes (a link's runs decide what the page shows); None when none is."""
    from core import kinds

    for run_id in run_ids:
        run = _finished_run(run_id, _projects_for(page))
        if run is not None:
            return kinds.kind_of(run).name
    return None


def _finished_run(run_id: str, projects: tuple[str, ...]) -> store.RunSummary | None:
    """The run `run_id`, read from its folder, when it is finished, has a model and belongs to
    one of `projects`; None otherwise (not such a run, or no run at all)."""
    try:
        run = store.load_run(str(run_id))
    except store.RunNotFound:
        return None
    return run if run.state == "finished" and run.project in projects and has_checkpoint(run.path) else None


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
