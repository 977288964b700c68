"""Rows of the run list: what the Runs page and the CLI show for each run."""
from __future__ import annotations

import datetime

from core.projects import headline_result
from core.runs import store
from core.runs.store import RunSummary


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


def rows(runs: list[RunSummary], projects: list[str] | None = None, states: list[str] | None = None) -> list[dict]:
    """A row per run kept by the filters. Each headline metric of the kept runs' projects
    has a column (a classifier's accuracy, a VAE's loss, an anomaly AUROC), filled by every
    run that reports it, so the runs of a project sort by their headline result."""
    shown = [run for run in runs if (not projects or run.project in projects) and (not states or run.state in states)]
    metrics = headline_metrics(shown)
    table = []
    for run in shown:
        results = run.status.get("results") or {}
        fraction, eta = progress_of(run)
        created = run.params.get("created") or run.status.get("created")
        hyperparameters = run.params.get("hyperparameters") or {}
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
                "epochs": hyperparameters.get("epochs"),
                "learning_rate": hyperparameters.get("learning_rate"),
                "created": datetime.datetime.fromtimestamp(created) if created else None,
                "error": run.status.get("error", ""),
            }
        )
    return table

