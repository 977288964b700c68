"""The Streamlit views of each kind of task (core.kinds), one module each, one line here.

A views module has:
    run_views(run, project_views)  what the Run page shows of a finished run of that kind
    compare_sections               functions (comparison) -> None drawn by Compare after the
                                   shared metrics and curves; `comparison` is a Comparison
    home_preview(preview)          Home's look at a dataset (core.analysis.datasets.preview)
Pages dispatch through views_for(kind name); a kind with no views module gets the shared
parts only (the Run page's curves and results, Compare's table and curves).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from core import kinds

# Kind -> its views module (a path: a page imports only the views it shows).
VIEWS: dict[str, str] = {
    kinds.image_classification.KIND.name: "app.kinds.image_classification",
    kinds.generation.KIND.name: "app.kinds.generation",
    kinds.anomaly_detection.KIND.name: "app.kinds.anomaly_detection",
}


@dataclass(frozen=True)
class Comparison:
    """What Compare's sections share: the runs picked, their short names, and a key that
    changes with the pick (widgets keyed by it start afresh for other runs)."""

    runs: list
    names: list[str]
    key: str


def register(kind_name: str, module: str) -> None:
    """Views for a kind registered from outside (a plugin, a test): a module path."""
    VIEWS[kind_name] = module


def views_for(kind_name: str | None) -> ModuleType | None:
    """The views module of a kind, None when it has none (or the kind is unknown)."""
    module = VIEWS.get(kind_name) if kind_name else None
    return importlib.import_module(module) if module else None
