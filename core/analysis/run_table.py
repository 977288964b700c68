"""Rows of the run list: what the Runs page and the CLI show for each run, and the page of
runs the Runs page draws (filtered and paged by the run index, core.runs.index)."""
from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from pathlib import Path

from core import config, studies
from core.projects import headline_result
from core.runs import index, store
from core.runs.store import RunSummary

PAGE_SIZE = 50  # Rows a page of the table shows: a render stays well under a second at 10,000 runs.


def progress_of(run: RunSummary) -> tuple[float, float | None]:
    """(fraction done, seconds left or None)."""
    if run.state == "finished":
        return 1.0, 0.0
    progress = run.status.get("progress") or {}
    # A failed or cancelled run keeps its last progress, but nothing is left to wait for.
    eta = progress.get("eta") if run.state in store.ACTIVE_STATUSES else None
    return float(progress.get("fraction") or 0.0), eta


def headline_metrics(runs: list[RunSummary]) -> list[str]:
    """The headline test metric of each run's project, once each, in the runs' order."""
    return list(dict.fromkeys(headline_result(run)[0] for run in runs))


def rows(runs: list[RunSummary], projects: list[str] | None = None, states: list[str] | None = None, hyperparameters: list[str] | None = None) -> list[dict]:
    """A row per run kept by the filters. Each headline metric of the kept runs' projects
    has a column (a classifier's accuracy, a VAE's loss, an anomaly AUROC), filled by every
    run that reports it, so the runs of a project sort by their headline result. Each name
    of `hyperparameters` (a study's varied ones) has a column too, "hp_" + its name."""
    shown = [run for run in runs if (not projects or run.project in projects) and (not states or run.state in states)]
    metrics = headline_metrics(shown)
    # epochs and learning_rate have their columns already.
    extra_columns = [name for name in hyperparameters or () if name not in ("epochs", "learning_rate")]
    table = []
    for run in shown:
        results = run.status.get("results") or {}
        fraction, eta = progress_of(run)
        created = run.params.get("created") or run.status.get("created")
        values = run.params.get("hyperparameters") or {}
        table.append(
            {
                "id": run.id,
                "project": run.project,
                "dataset": run.dataset,
                "model": run.model,
                "backend": run.backend,
                "status": run.state,
                "progress": fraction,
                "eta": eta,
                **{metric: results.get(metric) for metric in metrics},
                "epochs": values.get("epochs"),
                "learning_rate": values.get("learning_rate"),
                **{hyperparameter_column(name): cell_value(values.get(name)) for name in extra_columns},
                "created": datetime.datetime.fromtimestamp(created) if created else None,
                "error": run.status.get("error", ""),
            }
        )
    return table


def hyperparameter_column(name: str) -> str:
    """The column of a varied hyperparameter (prefixed: a field may share a column's name)."""
    return f"hp_{name}"


def cell_value(value):
    """A hyperparameter as a table cell: numbers and text as they are, anything else as text
    (a column of one type sorts)."""
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)


@dataclass(frozen=True)
class RunFilter:
    """What the Runs page keeps: any of `projects` and of `states` (empty: all), one study,
    and the runs whose id, project, model, dataset, backend or study name hold each word of `text`."""

    projects: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    study: str | None = None
    text: str = ""

    def query(self) -> dict:
        return {"projects": self.projects, "states": self.states, "study": self.study or None, "text": self.text}


@dataclass
class RunPage:
    """One page of the filtered runs, newest first, and what the page around it needs."""

    runs: list[RunSummary]
    total: int  # runs the filter keeps
    number: int  # 1-based, within 1..page_count
    page_count: int
    first: int  # 1-based position of the first run shown (0 when none)
    any_active: bool  # a run of the whole list is queued or running: keep the table live
    any_run: bool  # the runs folder holds a run at all (filtered away or not)
    hyperparameters: list[str] = field(default_factory=list)  # the chosen study's varied ones
    study_values: dict[str, str] = field(default_factory=dict)  # run id -> its values in its study


def page_of_runs(filters: RunFilter, number: int = 1, page_size: int = PAGE_SIZE, root: Path | None = None, check_all: bool = True) -> RunPage:
    """Page `number` (clamped) of the runs `filters` keeps. `check_all` compares every folder
    with the index first (new, removed or changed behind its back); without it only the active
    runs and the folder names are checked: the cheap live refresh of a page already drawn."""
    if page_size < 1:
        raise ValueError(f"page_size: expected a positive number of rows, got {page_size}")
    root = root or config.runs_dir()
    if check_all:
        index.refresh(root)
    else:
        index.active_summaries(root)
    query = filters.query()
    total = index.count(root, **query)
    page_count = max(1, math.ceil(total / page_size))
    number = min(max(1, int(number)), page_count)
    runs = index.select(root, **query, limit=page_size, offset=(number - 1) * page_size)
    any_active = index.count(root, states=store.ACTIVE_STATUSES) > 0
    any_run = total > 0 or index.count(root) > 0
    study_ids = {tag["id"] for tag in (run.params.get("study") for run in runs) if isinstance(tag, dict) and "id" in tag}
    members = index.study_runs(root, study_ids)
    # What tells a study's runs apart is found among all its runs, not only those on this page.
    labels = studies.study_labels(members)
    varied = studies.varied_hyperparameters(members) if filters.study else []
    return RunPage(
        runs=runs, total=total, number=number, page_count=page_count, first=(number - 1) * page_size + 1 if runs else 0,
        any_active=any_active, any_run=any_run, hyperparameters=varied, study_values={run.id: labels.get(run.id, "") for run in runs},
    )


def study_choices(root: Path | None = None) -> dict[str, str]:
    """Study id -> its name and size ("lr sweep (8)"), newest first, for the study filter."""
    return {study_id: f"{name} ({count})" for study_id, name, count in index.studies(root or config.runs_dir())}
