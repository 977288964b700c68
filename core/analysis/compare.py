"""Comparing 2 to 6 finished runs: a metrics table, overlaid curves, confusion matrices
and their difference, the same image through every model.

Different class names do not stop a comparison (the table, the curves, each confusion
matrix and uploads still make sense); they only refuse the confusion difference of two
such runs, and the test images (a test image of one run means nothing to the other).
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from core import images, inference, projects
from core.i18n import TranslatableError
from core.runs import store
from core.training import PREDICTIONS_FILE

MINIMUM_RUNS = 2
MAXIMUM_RUNS = 6
# The metrics table's columns before the hyperparameters that differ (the page's headers).
COLUMNS = (
    "label", "run", "project", "dataset", "model", "backend",
    "test_accuracy", "test_macro_f1", "test_loss", "test_top_3_accuracy",
    "training_seconds", "parameters", "train_size", "peak_memory_mb", "epochs_trained",
)
# Which end of each metric column is best; the page highlights it.
BEST = {
    "test_accuracy": "max",
    "test_macro_f1": "max",
    "test_top_3_accuracy": "max",
    "test_loss": "min",
    "training_seconds": "min",
    "parameters": "min",
    "peak_memory_mb": "min",
}
FORMATS = {
    "test_accuracy": "{:.4f}",
    "test_macro_f1": "{:.4f}",
    "test_top_3_accuracy": "{:.4f}",
    "test_loss": "{:.4f}",
    "training_seconds": "{:.1f}",
    "parameters": "{:,.0f}",
    "train_size": "{:,.0f}",
    "peak_memory_mb": "{:.1f}",
}
BEST_STYLE = "font-weight: bold; background-color: rgba(46, 160, 67, 0.25)"


class ComparisonError(TranslatableError):
    """Runs that cannot be compared; `key` is the i18n key of the message."""


class Confusion(NamedTuple):
    run: store.RunSummary
    matrix: np.ndarray  # rows: true class, columns: predicted class
    class_names: list[str]


class Prediction(NamedTuple):
    run: store.RunSummary
    probabilities: np.ndarray
    prepared: images.PreparedImage  # the input as this run's model saw it
    class_names: list[str]


def _names(runs: list[store.RunSummary], detail: Callable[[store.RunSummary], str]) -> str:
    return ", ".join(f"{run.id} ({detail(run)})" for run in runs)


def check_comparable(runs: list[store.RunSummary]) -> None:
    """Raise ComparisonError unless there are 2 to 6 finished runs of one task."""
    if not MINIMUM_RUNS <= len(runs) <= MAXIMUM_RUNS:
        raise ComparisonError("compare_error_count", count=len(runs), minimum=MINIMUM_RUNS, maximum=MAXIMUM_RUNS)
    unfinished = [run for run in runs if run.state != "finished"]
    if unfinished:
        raise ComparisonError("compare_error_unfinished", runs=_names(unfinished, lambda run: run.state))
    tasks = {}
    unknown = []
    for run in runs:
        try:
            tasks[run.id] = projects.get_project(run.project).task
        except ValueError:
            unknown.append(run)
    if unknown:
        raise ComparisonError("compare_error_unknown_project", runs=_names(unknown, lambda run: run.project or "?"))
    if len(set(tasks.values())) > 1:
        raise ComparisonError("compare_error_tasks", runs=_names(runs, lambda run: tasks[run.id]))


def run_names(runs: list[store.RunSummary]) -> list[str]:
    """Short names for legends and captions, numbered in the order the runs were picked."""
    return [f"#{position} {run.model} · {run.backend}" for position, run in enumerate(runs, start=1)]


def _description(run: store.RunSummary) -> dict:
    return inference.read_description(run.path)


def _epochs_trained(records: list[dict]) -> int | None:
    epochs = [record["epoch"] for record in records if record.get("scope", "epoch") == "epoch" and record.get("split") in ("train", "validation")]
    return int(max(epochs)) if epochs else None


def metrics_table(runs: list[store.RunSummary]):
    """A pandas DataFrame, one row per run: what it is, its test metrics, its cost, and
    the hyperparameters that differ between the runs (as the last columns).
    A value a run did not record (older runs) is missing (NaN)."""
    import pandas

    hyperparameters = [run.params.get("hyperparameters") or {} for run in runs]
    names = dict.fromkeys(name for values in hyperparameters for name in values)
    differing = [name for name in names if len({repr(values.get(name)) for values in hyperparameters}) > 1]
    rows = []
    for name, run, values in zip(run_names(runs), runs, hyperparameters):
        results = run.status.get("results") or {}
        description = _description(run)
        rows.append(
            {
                "label": name,
                "run": run.id,
                "project": run.project,
                "dataset": run.dataset,
                "model": run.model,
                "backend": run.backend,
                "test_accuracy": results.get("test_accuracy"),
                "test_macro_f1": results.get("test_macro_f1"),
                "test_loss": results.get("test_loss"),
                "test_top_3_accuracy": results.get("test_top_3_accuracy"),
                "training_seconds": run.training_seconds,
                "parameters": description.get("parameter_count"),
                "train_size": description.get("train_size"),
                "peak_memory_mb": run.status.get("peak_memory_mb"),
                "epochs_trained": _epochs_trained(store.read_metrics(run.path)),
                **{name: values.get(name) for name in differing},
            }
        )
    return pandas.DataFrame(rows, columns=[*COLUMNS, *differing])


def styled_table(table, headers: dict[str, str]):
    """The metrics table with translated headers, "–" for missing values, and the best
    value of each metric column that two runs or more recorded highlighted (a pandas
    Styler, which st.dataframe draws)."""
    renamed = table.rename(columns=headers)
    styler = renamed.style.format(
        {headers.get(column, column): pattern for column, pattern in FORMATS.items() if column in table}, na_rep="–"
    )
    for column, direction in BEST.items():
        # A value only one run recorded is best of nothing: leave it plain.
        if column in table and table[column].notna().sum() >= MINIMUM_RUNS:
            highlight = styler.highlight_max if direction == "max" else styler.highlight_min
            styler = highlight(subset=[headers.get(column, column)], props=BEST_STYLE)
    return styler


def overlaid_curves(runs: list[store.RunSummary], metric: str = "accuracy", split: str = "validation", labels: dict[str, str] | None = None, names: list[str] | None = None):
    """One line per run: `metric` ("loss" or "accuracy") on `split` ("train" or
    "validation") at the end of each epoch. `labels` may name the "epoch" and "value" axes;
    `names` the lines (run_names by default)."""
    from plotly import graph_objects

    if metric not in ("loss", "accuracy") or split not in ("train", "validation"):
        raise ValueError(f"unknown curve {split} {metric}; valid: loss or accuracy, train or validation")
    labels = labels or {}
    figure = graph_objects.Figure()
    for name, run in zip(names or run_names(runs), runs):
        points = [record for record in store.read_metrics(run.path) if record.get("scope", "epoch") == "epoch" and record.get("split") == split and record.get("name") == metric]
        figure.add_trace(graph_objects.Scatter(x=[point["epoch"] for point in points], y=[point["value"] for point in points], mode="lines+markers", name=name))
    figure.update_layout(
        xaxis={"title": labels.get("epoch", "epoch")}, yaxis={"title": labels.get("value", metric)},
        height=380, margin={"t": 20, "b": 40, "l": 40, "r": 10}, legend={"orientation": "h", "y": -0.2},
    )
    return figure


def confusion_matrices(runs: list[store.RunSummary]) -> list[Confusion]:
    """Each run's confusion matrix on its test split (eval/predictions.npz)."""
    from core.analysis import classification

    confusions = []
    for run in runs:
        class_names = _description(run)["class_names"]
        # Only the two small arrays: the test images can weigh tens of megabytes.
        with np.load(run.path / store.EVAL_DIR / PREDICTIONS_FILE, allow_pickle=False) as archive:
            labels, predictions = archive["labels"], archive["predictions"]
        confusions.append(Confusion(run, classification.confusion(labels, predictions, len(class_names)), class_names))
    return confusions


def _row_normalised(matrix: np.ndarray) -> np.ndarray:
    totals = matrix.sum(axis=1, keepdims=True)
    # A class absent from the test split has an empty row: it stays at zero.
    return np.divide(matrix, totals, out=np.zeros(matrix.shape, dtype=float), where=totals > 0)


def confusion_difference(a: Confusion, b: Confusion) -> np.ndarray:
    """Row-normalised B minus A: for each true class, how much more often B predicts
    each class than A does. ComparisonError when their classes differ."""
    if a.class_names != b.class_names:
        raise ComparisonError("compare_error_classes", runs=f"{a.run.id}, {b.run.id}")
    return _row_normalised(b.matrix) - _row_normalised(a.matrix)


def difference_heatmap(difference: np.ndarray, class_names: list[str], labels: dict[str, str]):
    """A diverging heatmap centred on 0; `labels` names the "predicted" and "true" axes
    and gives the "hover" template."""
    from plotly import graph_objects

    # A symmetric range, so white means "no change" whatever the largest change is.
    extent = max(float(np.abs(difference).max()), 0.01)
    figure = graph_objects.Figure(
        graph_objects.Heatmap(
            z=difference, x=class_names, y=class_names, colorscale="RdBu", zmid=0, zmin=-extent, zmax=extent,
            texttemplate="%{z:+.0%}", hovertemplate=labels["hover"],
        )
    )
    figure.update_layout(
        xaxis={"title": labels["predicted"], "type": "category"},
        yaxis={"title": labels["true"], "type": "category", "autorange": "reversed"},
        height=460, margin={"t": 20, "b": 40, "l": 40, "r": 10},
    )
    return figure


def same_inputs(runs: list[store.RunSummary]) -> bool:
    """True when the runs share class names and input shape, so one run's test image can
    go through every model and its true class means the same to all."""
    descriptions = [_description(run) for run in runs]
    return all(
        description["class_names"] == descriptions[0]["class_names"] and description["input_shape"] == descriptions[0]["input_shape"]
        for description in descriptions
    )


def evaluation_input(image: np.ndarray) -> images.PreparedImage:
    """A test image is already at the model's size and scale: only to [0, 1]."""
    return images.PreparedImage(pixels=image.astype(np.float32) / 255.0)


def predict_everywhere(
    source: bytes | np.ndarray | images.PreparedImage,
    runs: list[store.RunSummary],
    load_model: Callable[[store.RunSummary], inference.LoadedModel] = lambda run: inference.load_model(run.path),
) -> list[Prediction]:
    """The same image through every run's model. Bytes (an upload) or an array (a
    drawing) are prepared for each model's input shape; a PreparedImage (a test image)
    goes in as it is. ImageError for an image that cannot be read."""
    predictions = []
    for run in runs:
        model = load_model(run)
        prepared = source if isinstance(source, images.PreparedImage) else images.prepare(source, model.input_shape, model.preparation)
        probabilities = model.predict(prepared.pixels[np.newaxis])[0]
        predictions.append(Prediction(run, probabilities, prepared, model.class_names))
    return predictions
