"""What the Studies page shows: a table of a study's runs and its figures (no streamlit)."""
from __future__ import annotations

from core.runs import store
from core.studies import Study


def result_columns(project) -> tuple[str, ...]:
    """The table's columns besides the axes: the state, the project's test metrics, what its
    curves tell (accuracy: the gap between train and test; otherwise the best validation loss)."""
    extras = ("best_validation_accuracy", "train_accuracy", "generalisation_gap") if "accuracy" in project.curves else ("best_validation_loss",)
    return ("state", *project.results, *extras, "seconds")


def _final_epoch_values(path) -> dict:
    """Last train and validation accuracy, the best validation accuracy and the lowest
    validation loss, from metrics.jsonl."""
    values = {"train_accuracy": None, "validation_accuracy": None, "best_validation_accuracy": None, "best_validation_loss": None}
    for line in store.read_metrics(path):
        if line.get("scope") != "epoch":
            continue
        if line.get("name") == "loss" and line["split"] == "validation":
            best = values["best_validation_loss"]
            values["best_validation_loss"] = line["value"] if best is None else min(best, line["value"])
        if line.get("name") != "accuracy":
            continue
        if line["split"] == "train":
            values["train_accuracy"] = line["value"]
        elif line["split"] == "validation":
            values["validation_accuracy"] = line["value"]
            best = values["best_validation_accuracy"]
            values["best_validation_accuracy"] = line["value"] if best is None else max(best, line["value"])
    return values


def study_table(study: Study):
    """One row per run: the axis values, its state and results. A pandas DataFrame."""
    import pandas

    from core.projects import get_project

    columns = result_columns(get_project(study.project))
    rows = []
    for run in study.runs:
        hyperparameters = run.params.get("hyperparameters", {})
        results = run.status.get("results") or {}
        epochs = _final_epoch_values(run.path)
        train_accuracy, test_accuracy = epochs["train_accuracy"], results.get("test_accuracy")
        values = {
            **epochs,
            **results,
            "state": run.state,
            # Train minus test accuracy: large means the model learnt its training set by heart.
            "generalisation_gap": None if train_accuracy is None or test_accuracy is None else train_accuracy - test_accuracy,
            "seconds": run.training_seconds,
        }
        row = {"run": run.id}
        row.update({axis: hyperparameters.get(axis) for axis in study.axes})
        row.update({column: values.get(column) for column in columns})
        rows.append(row)
    return pandas.DataFrame(rows, columns=["run", *study.axes, *columns])


def _category(values) -> list[str]:
    """Values as plotly's category labels, escaped (a folder's name may hold "<b>")."""
    from core.analysis import figures

    return figures.plotly_texts(values)


def metric_by_axis(table, axes: list[str], metric: str, labels: dict[str, str]):
    """The final metric against the first axis; one line per value of the second axis."""
    from plotly import graph_objects

    done = table.dropna(subset=[metric])
    figure = graph_objects.Figure()
    groups = [(None, done)] if len(axes) == 1 else [(value, done[done[axes[1]] == value]) for value in done[axes[1]].drop_duplicates()]
    for value, group in groups:
        figure.add_trace(
            graph_objects.Scatter(
                x=_category(group[axes[0]]), y=group[metric], mode="lines+markers",
                name=_category([f"{axes[1]} = {value}"])[0] if value is not None else labels["metric"],
            )
        )
    # Values as categories: 0.0001 and 0.01 side by side read better than on a linear axis.
    figure.update_xaxes(title_text=axes[0], type="category", categoryorder="array", categoryarray=_category(table[axes[0]].drop_duplicates()))
    figure.update_yaxes(title_text=labels["metric"])
    figure.update_layout(height=360, margin={"t": 30, "b": 40, "l": 40, "r": 10}, showlegend=len(axes) > 1)
    return figure


def parallel_coordinates(table, axes: list[str], metrics: list[str], labels: dict[str, str]):
    """Every finished run as a line through its axis values and its metrics, coloured by the first metric."""
    from plotly import graph_objects

    done = table.dropna(subset=metrics)
    dimensions = []
    for axis in axes:
        values = done[axis].tolist()
        if all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in values):
            dimensions.append({"label": axis, **numeric_dimension(values)})
        else:
            categories = sorted({str(value) for value in values})
            dimensions.append({"label": axis, "values": [categories.index(str(value)) for value in values], "tickvals": list(range(len(categories))), "ticktext": _category(categories)})
    for metric in metrics:
        # Three significant digits on the metric axes' ticks: 0.437, not 0.43667.
        dimensions.append({"label": labels.get(metric, metric), "values": done[metric].tolist(), "tickformat": ".3~g"})
    figure = graph_objects.Figure(
        graph_objects.Parcoords(line={"color": done[metrics[0]].tolist(), "colorscale": "Viridis", "showscale": True}, dimensions=dimensions)
    )
    figure.update_layout(height=380, margin={"t": 50, "b": 30, "l": 60, "r": 60})
    return figure


# Values spread over at least this ratio (0.0001 to 0.01) are drawn on a log scale.
LOG_SPREAD = 10.0


def numeric_dimension(values: list) -> dict:
    """A parallel-coordinates axis of numbers: a tick at each value tried, to 3 significant
    digits, on a log scale when the positive values span LOG_SPREAD or more (a learning rate,
    an L2 weight); 0 then sits one decade below the smallest positive value."""
    import math

    tried = sorted(set(values))
    positive = [value for value in tried if value > 0]
    ticks = [f"{value:.3g}" for value in tried]
    log_scale = len(positive) >= 2 and min(tried) >= 0 and positive[-1] / positive[0] >= LOG_SPREAD
    if not log_scale:
        return {"values": values, "tickvals": tried, "ticktext": ticks}

    def position(value):
        return math.log10(value) if value > 0 else math.log10(positive[0]) - 1

    return {"values": [position(value) for value in values], "tickvals": [position(value) for value in tried], "ticktext": ticks}


def overlaid_curves(study: Study, metric: str, split: str, labels: dict[str, str]):
    """One line per run: `metric` on `split` per epoch, named by the run's axis values;
    `labels` names the "epoch" and "metric" axes."""
    from core import studies
    from core.analysis import compare

    labels_by_run = studies.study_labels(study.runs)
    names = [labels_by_run[run.id] for run in study.runs]
    return compare.overlaid_curves(study.runs, metric, split, {"epoch": labels["epoch"], "value": labels["metric"]}, names)
