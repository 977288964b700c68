"""The registry of kinds of task: one package under core/kinds/ each, one line here.

A kind holds its train path, its models' builders per backend, its evaluation file (one
schema, read and written by core.kinds.base.EvaluationFile) and what its views compute;
its Streamlit views are one module in app/kinds/. Projects name their kind (Project.task);
pages ask the registry which runs they take. Nothing outside the registries and the kinds'
own packages spells a kind's name.
"""
from __future__ import annotations

import importlib

from core.kinds import anomaly_detection, generation, image_classification
from core.kinds.base import EvaluationFile, Kind  # noqa: F401  (the names kinds are made of)

KINDS: dict[str, Kind] = {
    image_classification.KIND.name: image_classification.KIND,
    generation.KIND.name: generation.KIND,
    anomaly_detection.KIND.name: anomaly_detection.KIND,
}


def register(kind: Kind) -> None:
    """Add a kind from outside this package (a plugin, a test); refuses a name taken."""
    if kind.name in KINDS and KINDS[kind.name] is not kind:
        raise ValueError(f"a kind of task called {kind.name!r} exists already")
    KINDS[kind.name] = kind


def get_kind(name: str) -> Kind:
    """The kind called `name`; ValueError listing the valid ones otherwise."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown kind of task {name!r}; valid: {', '.join(KINDS)}") from None


def kind_of(run) -> Kind | None:
    """The kind of a run's (core.runs.store.RunSummary) project, None when the project or
    its kind is unknown to this version."""
    from core.projects import PROJECTS

    project = PROJECTS.get(run.project)
    return KINDS.get(project.task) if project else None


def kind_of_folder(run_path) -> Kind | None:
    """kind_of for a run folder; core.runs.store.RunNotFound when it is gone."""
    from pathlib import Path

    from core.runs import store

    run_path = Path(run_path)
    return kind_of(store.load_run(run_path.name, run_path.parent))


def kinds_for_page(role: str) -> tuple[str, ...]:
    """The kinds whose finished runs the page `role` (app.ui PAGE_SECTIONS) takes."""
    return tuple(name for name, kind in KINDS.items() if role in kind.pages)


def model_tables(backend: str) -> list[dict]:
    """The MODELS tables (name -> builder) of every kind that has models on `backend`."""
    return [importlib.import_module(kind.models[backend]).MODELS for kind in KINDS.values() if backend in kind.models]
