"""Studies: one run per combination of one or two hyperparameters' values, seen together.

A study has no folder of its own: each of its runs carries `params["study"]` (id, name,
axes), so a study is rebuilt from the run folders and disappears with them.
"""
from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from core import backends, hyperparams
from core.i18n import TranslatableError
from core.projects import get_project
from core.runs import queue, store

# More runs than this is a mistake more often than a plan: 24 default CNNs take over an hour here.
MAX_STUDY_RUNS = 24
MAX_AXES = 2


@dataclass(frozen=True)
class Axis:
    name: str  # a hyperparameter of the project
    values: tuple


# Ready-made studies of lab TP2 (regularisation and optimizers) and of the CVAE project:
# axes and the model they are meant for. A teacher launches one in a click; every value stays editable.
PRESETS = {
    "l2": {"title": "study_preset_l2", "model": "regularized_cnn", "axes": [Axis("l2", (0.0, 0.0001, 0.001, 0.01))]},
    "dropout": {"title": "study_preset_dropout", "model": "regularized_cnn", "axes": [Axis("dropout", (0.0, 0.25, 0.5))]},
    "batch_norm": {"title": "study_preset_batch_norm", "model": "regularized_cnn", "axes": [Axis("batch_norm", (False, True))]},
    "optimizers": {
        "title": "study_preset_optimizers",
        "model": "small_cnn",
        "axes": [Axis("optimizer", ("sgd", "momentum", "rmsprop", "adam")), Axis("learning_rate", (0.001, 0.01))],
    },
    # Seed 000 P2: the CVAE's code size and KL weight, chosen by the lowest loss.
    "latent_beta": {"title": "study_preset_latent_beta", "model": "cvae", "axes": [Axis("latent_dim", (2, 8, 16)), Axis("beta", (0.5, 1.0, 2.0))]},
}


def parse_values(project_id: str, name: str, text: str) -> tuple:
    """'0, 0.001, 0.01' -> (0.0, 0.001, 0.01), each checked against the field's type and range."""
    parameters_class = get_project(project_id).parameters
    pieces = [piece.strip() for piece in text.replace(";", ",").split(",") if piece.strip()]
    if not pieces:
        raise TranslatableError("study_error_no_values_text", field=hyperparams.field_name(name))
    values = []
    for piece in pieces:
        value = getattr(hyperparams.resolve(parameters_class, {name: piece}), name)
        if value not in values:
            values.append(value)
    return tuple(values)


def plan(project_id: str, dataset: str | None, model: str | None, backend: str | None, base: dict | None, axes: list[Axis]) -> list[dict]:
    """The overrides of every run, each already checked. Raises ValueError before anything is queued."""
    if not 1 <= len(axes) <= MAX_AXES:
        raise TranslatableError("study_error_axis_count", most=MAX_AXES, count=len(axes))
    names = [axis.name for axis in axes]
    if len(set(names)) != len(names):
        raise TranslatableError("study_error_twice", field=hyperparams.field_name(names[0]))
    for axis in axes:
        if not axis.values:
            raise TranslatableError("study_error_no_values", field=hyperparams.field_name(axis.name))
    count = 1
    for axis in axes:
        count *= len(axis.values)
    if count > MAX_STUDY_RUNS:
        raise TranslatableError("study_error_too_many", count=count, limit=MAX_STUDY_RUNS)
    runs, varies_dataset, chosen_backend = [], False, backend
    for combination in itertools.product(*(axis.values for axis in axes)):
        overrides = {**(base or {}), **dict(zip(names, combination))}
        if not runs or varies_dataset:
            # Choices, values and the dataset (a folder is scanned): raises on anything bad.
            chosen_backend = queue.build_params(project_id, dataset, model, backend, overrides)["backend"]
            project = get_project(project_id)
            options = project.datasets[dataset or project.default_dataset].options.values()
            # The validation fraction too: whether the dataset's images can be split depends on it.
            varies_dataset = bool({*options, "validation_fraction"} & set(names))
        else:
            # The rest was checked with the first run: only the values change.
            backends.check_options(chosen_backend, hyperparams.resolve(project.parameters, overrides))
        runs.append(overrides)
    return runs


def submit_study(name: str, project_id: str, dataset: str | None, model: str | None, backend: str | None, base: dict | None, axes: list[Axis], root: Path | None = None) -> str:
    """Queue one run per combination; returns the study id."""
    runs = plan(project_id, dataset, model, backend, base, axes)
    study_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:4]
    tag = {"id": study_id, "name": name.strip() or study_id, "axes": [axis.name for axis in axes], "size": len(runs)}
    for overrides in runs:
        queue.submit(project_id, dataset, model, backend, overrides, root=root, study=tag)
    return study_id


@dataclass
class Study:
    id: str
    name: str
    axes: list[str]
    size: int  # runs queued; fewer folders means some were deleted
    runs: list[store.RunSummary]

    @property
    def project(self) -> str:
        return self.runs[0].project

    @property
    def finished(self) -> int:
        return sum(run.state == "finished" for run in self.runs)

    @property
    def active(self) -> bool:
        return any(run.state in store.ACTIVE_STATUSES for run in self.runs)


def list_studies(root: Path | None = None) -> list[Study]:
    """Studies found in the run folders, newest first."""
    studies: dict[str, Study] = {}
    for run in store.list_study_runs(root):
        tag = run.params.get("study")
        if not isinstance(tag, dict) or "id" not in tag:
            continue
        study = studies.setdefault(tag["id"], Study(tag["id"], tag.get("name", tag["id"]), list(tag.get("axes", [])), int(tag.get("size", 0)), []))
        study.runs.append(run)
    for study in studies.values():
        study.runs.sort(key=lambda run: run.params.get("created", 0))
    return sorted(studies.values(), key=lambda study: study.id, reverse=True)


def varied_hyperparameters(runs: list[store.RunSummary]) -> list[str]:
    """The hyperparameters whose values differ across `runs`, in the order their params list them."""
    values = [run.params.get("hyperparameters") or {} for run in runs]
    names = dict.fromkeys(name for hyperparameters in values for name in hyperparameters)
    return [name for name in names if len({repr(hyperparameters.get(name)) for hyperparameters in values}) > 1]


def format_value(value) -> str:
    """A hyperparameter's value as a label shows it: 0.001 rather than 0.0010000000000000002."""
    text = str(value)
    return f"{value:.4g}" if isinstance(value, float) and len(text) > 8 else text


def describe_values(run: store.RunSummary, names: list[str]) -> str:
    """'learning_rate=0.01, batch_size=32': the run's values of `names`."""
    hyperparameters = run.params.get("hyperparameters") or {}
    return ", ".join(f"{name}={format_value(hyperparameters.get(name))}" for name in names)


def study_labels(runs: list[store.RunSummary]) -> dict[str, str]:
    """Run id -> what tells a study's run from its siblings ('learning_rate=0.01, batch_size=32'),
    for every run of `runs` that belongs to a study. What varies is found among the study's runs
    in `runs`; with a single one of them, the study's own axes."""
    members: dict[str, list[store.RunSummary]] = {}
    for run in runs:
        tag = run.params.get("study")
        if isinstance(tag, dict) and "id" in tag:
            members.setdefault(tag["id"], []).append(run)
    labels = {}
    for group in members.values():
        axes = list(group[0].params["study"].get("axes", []))
        varied = varied_hyperparameters(group) if len(group) > 1 else []
        # The study's axes first, in their order, then anything else that differs.
        names = [name for name in axes if name in varied or not varied] + [name for name in varied if name not in axes]
        for run in group:
            labels[run.id] = describe_values(run, names)
    return labels
