"""core.analysis.run_table: the rows of the Runs page."""
from __future__ import annotations

from pathlib import Path

from core.analysis import run_table
from core.runs.store import RunSummary


def summary(run_id: str, project: str, results: dict | None = None, state: str = "finished") -> RunSummary:
    status = {"status": state, **({"results": results} if results is not None else {})}
    return RunSummary(id=run_id, path=Path(run_id), params={"project": project, "hyperparameters": {"epochs": 2}}, status=status)


RUNS = [
    summary("digits-run", "digits", {"test_accuracy": 0.9, "test_loss": 0.3}),
    summary("cvae-run", "cvae", {"test_loss": 30.0, "test_reconstruction": 29.0, "test_kl": 1.0, "conditional_accuracy": 0.8}),
    summary("anomaly-run", "anomaly", {"image_auroc": 0.75, "pixel_auroc": 0.7}),
    summary("queued-run", "digits", state="queued"),
]


def test_each_run_shows_its_projects_headline_result_not_an_accuracy_it_lacks():
    rows = {row["id"]: row for row in run_table.rows(RUNS)}
    assert "test_accuracy" in rows["digits-run"] and rows["digits-run"]["test_accuracy"] == 0.9
    assert rows["cvae-run"]["test_loss"] == 30.0 and rows["cvae-run"]["test_accuracy"] is None
    assert rows["anomaly-run"]["image_auroc"] == 0.75
    assert rows["queued-run"]["test_accuracy"] is None  # No result before it has ended.
    # A column per headline metric, in the runs' order; the other results stay on the Run page.
    assert run_table.headline_metrics(RUNS) == ["test_accuracy", "test_loss", "image_auroc"]
    assert all(set(row) >= {"test_accuracy", "test_loss", "image_auroc"} and "pixel_auroc" not in row for row in rows.values())


def test_filtered_rows_have_only_the_columns_of_their_projects():
    (row,) = run_table.rows(RUNS, projects=["anomaly"])
    assert row["image_auroc"] == 0.75 and "test_accuracy" not in row and "test_loss" not in row
    assert [row["id"] for row in run_table.rows(RUNS, states=["queued"])] == ["queued-run"]
