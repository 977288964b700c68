"""Comparing 2 to 6 finished runs: a metrics table, overlaid curves, confusion matrices
and their difference, the same image through every model.

Different class names do not stop a comparison (the table, the curves, each confusion
matrix and uploads still make sense); they only refuse the confusion difference of two
such runs, and the test images (a test image of one run means nothing to the other).
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from core import images, inference, pictures, projects
from core.data.anomaly import defect_labels
from core.i18n import TranslatableError
from core.kinds.image_classification import PREDICTIONS
from core.runs import store

MINIMUM_RUNS = 2
MAXIMUM_RUNS = 6
# The metrics table's columns: what the run is, then its test results (the project's, then
# any other it recorded), then what it cost, then the hyperparameters that differ.
IDENTITY_COLUMNS = ("label", "run", "project", "dataset", "model", "backend")
COST_COLUMNS = ("training_seconds", "parameters", "train_size", "peak_memory_mb", "epochs_trained")
# Which end of a column is best besides the projects' own results; the page highlights it.
BEST = {
    "test_macro_f1": "max",
    "test_top_3_accuracy": "max",
    "judge_accuracy": "max",
    "training_seconds": "min",
    "parameters": "min",
    "peak_memory_mb": "min",
}
FORMATS = {
    "training_seconds": "{:.1f}",
    "parameters": "{:,.0f}",
    "train_size": "{:,.0f}",
    "peak_memory_mb": "{:.1f}",
}
RESULT_FORMAT = "{:.4f}"
# One distinct hue per run (at most MAXIMUM_RUNS), given explicitly: Streamlit's plotly theme
# would otherwise draw the first two runs in two shades of blue.
RUN_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
# A confusion matrix on Compare: pixels per class, and its smallest and largest height.
CONFUSION_CELL = 32
CONFUSION_HEIGHTS = (260, 720)
# A run's name in a legend shows this many of the hyperparameters that differ, no more.
NAMED_DIFFERENCES = 3
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
    """Short names for legends and captions, numbered in the order the runs were picked, with
    the hyperparameters that differ between them (two runs of one study are otherwise alike)."""
    from core import studies

    differing = studies.varied_hyperparameters(runs)[:NAMED_DIFFERENCES]
    names = []
    for position, run in enumerate(runs, start=1):
        values = studies.describe_values(run, differing) if differing else ""
        names.append(" · ".join(filter(None, (f"#{position} {run.model}", run.backend, values))))
    return names


def run_colour(position: int) -> str:
    """The colour of the run at `position` (from 0) in every figure of one comparison."""
    return RUN_COLOURS[position % len(RUN_COLOURS)]


def _description(run: store.RunSummary) -> dict:
    return inference.read_description(run.path)


def _epochs_trained(records: list[dict]) -> int | None:
    epochs = [record["epoch"] for record in records if record.get("scope", "epoch") == "epoch" and record.get("split") in ("train", "validation")]
    return int(max(epochs)) if epochs else None


def _project(run: store.RunSummary):
    return projects.get_project(run.project)


def result_columns(runs: list[store.RunSummary]) -> list[str]:
    """The test results of the table: the projects' own (the headline first), then any
    other number a run recorded (a classifier's macro F1, a CVAE's judge accuracy)."""
    names = dict.fromkeys(name for run in runs for name in _project(run).results)
    for run in runs:
        names.update(dict.fromkeys(name for name, value in (run.status.get("results") or {}).items() if isinstance(value, (int, float))))
    return list(names)


def best_directions(runs: list[store.RunSummary]) -> dict[str, str]:
    """Column -> "max" or "min": which end of it the page highlights."""
    directions = dict(BEST)
    for run in runs:
        directions.update({name: "max" if higher else "min" for name, higher in _project(run).results.items()})
    return directions


def metrics_table(runs: list[store.RunSummary]):
    """A pandas DataFrame, one row per run: what it is, its test results, its cost, and
    the hyperparameters that differ between the runs (as the last columns).
    A value a run did not record (older runs) is missing (NaN)."""
    import pandas

    hyperparameters = [run.params.get("hyperparameters") or {} for run in runs]
    names = dict.fromkeys(name for values in hyperparameters for name in values)
    differing = [name for name in names if len({repr(values.get(name)) for values in hyperparameters}) > 1]
    results_named = result_columns(runs)
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
                **{result: results.get(result) for result in results_named},
                "training_seconds": run.training_seconds,
                "parameters": description.get("parameter_count"),
                "train_size": description.get("train_size"),
                "peak_memory_mb": run.status.get("peak_memory_mb"),
                "epochs_trained": _epochs_trained(store.read_metrics(run.path)),
                **{name: values.get(name) for name in differing},
            }
        )
    return pandas.DataFrame(rows, columns=[*IDENTITY_COLUMNS, *results_named, *COST_COLUMNS, *differing])


def styled_table(table, headers: dict[str, str], directions: dict[str, str]):
    """The metrics table with translated headers, "–" for missing values, and the best
    value of each column of `directions` (best_directions) that two runs or more recorded
    highlighted (a pandas Styler, which st.dataframe draws)."""
    renamed = table.rename(columns=headers)
    results = [column for column in table.columns if column not in (*IDENTITY_COLUMNS, *COST_COLUMNS) and column in directions]
    formats = {**dict.fromkeys(results, RESULT_FORMAT), **FORMATS}
    styler = renamed.style.format({headers.get(column, column): pattern for column, pattern in formats.items() if column in table}, na_rep="–")
    for column, direction in directions.items():
        # A value only one run recorded is best of nothing: leave it plain.
        if column in table and table[column].notna().sum() >= MINIMUM_RUNS:
            highlight = styler.highlight_max if direction == "max" else styler.highlight_min
            styler = highlight(subset=[headers.get(column, column)], props=BEST_STYLE)
    return styler


def curve_names(runs: list[store.RunSummary]) -> list[str]:
    """The learning curves the runs' projects declare (loss first)."""
    return list(dict.fromkeys(name for run in runs for name in _project(run).curves))


def overlaid_curves(runs: list[store.RunSummary], metric: str = "accuracy", split: str = "validation", labels: dict[str, str] | None = None, names: list[str] | None = None):
    """One line per run: `metric` (one of curve_names) on `split` ("train" or
    "validation") at the end of each epoch. `labels` may name the "epoch" and "value" axes;
    `names` the lines (run_names by default)."""
    from plotly import graph_objects

    from core.analysis import figures

    curves = curve_names(runs)
    if metric not in curves or split not in ("train", "validation"):
        raise ValueError(f"unknown curve {split} {metric}; valid: {' or '.join(curves)}, train or validation")
    labels = labels or {}
    figure = graph_objects.Figure()
    for position, (name, run) in enumerate(zip(names or run_names(runs), runs)):
        points = [record for record in store.read_metrics(run.path) if record.get("scope", "epoch") == "epoch" and record.get("split") == split and record.get("name") == metric]
        colour = run_colour(position)
        figure.add_trace(graph_objects.Scatter(x=[point["epoch"] for point in points], y=[point["value"] for point in points], mode="lines+markers", name=figures.plotly_text(name), line={"color": colour}, marker={"color": colour}))
    figure.update_layout(
        xaxis={"title": labels.get("epoch", "epoch")}, yaxis={"title": labels.get("value", metric)},
        height=380, margin={"t": 20, "b": 40, "l": 40, "r": 10}, legend={"orientation": "h", "y": -0.2},
    )
    return figure


def confusion_matrices(runs: list[store.RunSummary]) -> list[Confusion]:
    """Each run's confusion matrix on its test split (eval/predictions.npz)."""
    from core.kinds.image_classification import analysis as classification

    confusions = []
    for run in runs:
        class_names = _description(run)["class_names"]
        # Only the two small arrays: the test images can weigh tens of megabytes.
        with np.load(PREDICTIONS.path(run.path), allow_pickle=False) as archive:
            labels, predictions = archive["labels"], archive["predictions"]
        confusions.append(Confusion(run, classification.confusion(labels, predictions, len(class_names)), class_names))
    return confusions


def confusion_figure(confusion: Confusion, labels: dict[str, str], shown_names: list[str] | None = None):
    """One run's confusion matrix among others: as tall as its class count needs (cells of
    CONFUSION_CELL pixels), its class names whole (margins grow to fit; long names slanted).
    `shown_names`: the class names as the page shows them (translated), else as stored."""
    from core.analysis import figures

    names = list(confusion.class_names if shown_names is None else shown_names)
    if len(names) != len(confusion.class_names):
        raise ValueError(f"{len(names)} names shown for {len(confusion.class_names)} classes")
    count = len(names)
    figure = figures.confusion_heatmap(confusion.matrix, names, labels, compact=True)
    longest = max((len(str(name)) for name in names), default=1)
    figure.update_layout(height=min(CONFUSION_HEIGHTS[1], max(CONFUSION_HEIGHTS[0], CONFUSION_CELL * count + 8 * longest)))
    figure.update_xaxes(automargin=True, tickangle=-45 if longest > 2 else 0)
    figure.update_yaxes(automargin=True)
    return figure


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
    and gives the "hover" template; `class_names` as shown (translated), escaped here."""
    from plotly import graph_objects

    from core.analysis import figures

    class_names = figures.plotly_texts(class_names)

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
    return images.PreparedImage(pixels=pictures.as_float(image))


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


# Anomaly detectors: the pretext tasks side by side on the same test images --------------


class Detection(NamedTuple):
    """One test image as one run's detector saw it."""
    run: store.RunSummary
    reconstruction: np.ndarray  # uint8
    overlay: np.ndarray  # uint8 heatmap over the image, the true defect outlined
    score: float
    flagged: bool | None  # above the run's F1-best threshold; None when there is none


def same_test_images(scored: list[dict]) -> bool:
    """True when every run scored the same test images (same pixels, same defect types), so
    test image i means the same image to each."""
    first = scored[0]
    return all(
        other["images"].shape == first["images"].shape
        and np.array_equal(other["defect_types"], first["defect_types"])
        and np.array_equal(other["images"], first["images"])
        for other in scored[1:]
    )


def image_roc_by_run(names: list[str], scored: list[dict]) -> dict[str, tuple[np.ndarray, np.ndarray, float | None]]:
    """Each run's image-level ROC curve (all defects against the good images), for
    anomaly.roc_figure; a run whose test set lacks good or defective images is left out."""
    from core.kinds.anomaly_detection import analysis as anomaly

    curves = {}
    for name, run_scores in zip(names, scored):
        labels = defect_labels(run_scores["defect_types"])
        if labels.any() and not labels.all():
            fpr, tpr, _ = anomaly.roc_points(labels, run_scores["scores"])
            curves[name] = (fpr, tpr, anomaly.image_auroc(labels, run_scores["scores"]))
    return curves


def per_defect_table(names: list[str], scored: list[dict], overall: str):
    """A pandas DataFrame: a row per defect type (first the whole test set, named
    `overall`), a column per run, the image AUROC of that type against the good images."""
    import pandas

    from core.kinds.anomaly_detection import analysis as anomaly

    columns = {}
    for name, run_scores in zip(names, scored):
        types = [str(kind) for kind in run_scores["defect_types"]]
        columns[name] = {overall: anomaly.image_auroc(defect_labels(run_scores["defect_types"]), run_scores["scores"]), **anomaly.per_defect_auroc(types, run_scores["scores"])}
    rows = list(dict.fromkeys(kind for values in columns.values() for kind in values))
    return pandas.DataFrame({name: [values.get(kind) for kind in rows] for name, values in columns.items()}, index=rows, dtype=float)


def styled_per_defect(table):
    """The per-defect AUROC table to three decimals, "–" where a run has no such defect, and
    in each row the best run highlighted when two runs or more have a value there."""

    def best_of_row(row):
        if row.notna().sum() < MINIMUM_RUNS:
            return [""] * len(row)
        return [BEST_STYLE if value == row.max() else "" for value in row]

    return table.style.format("{:.3f}", na_rep="–").apply(best_of_row, axis=1)


def detections(runs: list[store.RunSummary], scored: list[dict], index: int, opacity: float = 0.5) -> list[Detection]:
    """Test image `index` through every run: its reconstruction, its heatmap (each run on
    its own colour scale, the 99.9th percentile of its maps: L2 and SSIM errors do not share
    a unit) and whether the run's F1-best threshold flags it."""
    from core.kinds.anomaly_detection import analysis as anomaly

    found = []
    for run, run_scores in zip(runs, scored):
        labels, scores = defect_labels(run_scores["defect_types"]), run_scores["scores"].astype(np.float64)
        flagged = None
        if labels.any() and not labels.all():
            flagged = bool(scores[index] >= anomaly.default_threshold(labels, scores))
        overlay = anomaly.scored_overlay(run_scores, index, opacity, anomaly.map_scale(run_scores["maps"]))
        found.append(Detection(run, run_scores["reconstructions"][index], overlay, float(scores[index]), flagged))
    return found
