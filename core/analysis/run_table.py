"""Rows of the run list: what the Runs page and the CLI show for each run."""
from __future__ import annotations

import datetime

from core.runs.store import RunSummary


def progress_of(run: RunSummary) -> tuple[float, float | None]:
    """(fraction done, seconds left or None)."""
    if run.state == "finished":
        return 1.0, 0.0
    progress = run.status.get("progress") or {}
    return float(progress.get("fraction") or 0.0), progress.get("eta")


def rows(runs: list[RunSummary], projects: list[str] | None = None, states: list[str] | None = None) -> list[dict]:
    table = []
    for run in runs:
        if projects and run.project not in projects:
            continue
        if states and run.state not in states:
            continue
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
                "test_accuracy": run.test_accuracy,
                "epochs": hyperparameters.get("epochs"),
                "learning_rate": hyperparameters.get("learning_rate"),
                "created": datetime.datetime.fromtimestamp(created) if created else None,
                "error": run.status.get("error", ""),
            }
        )
    return table

