"""Plotly figures for the pages (plotly is light; no framework is imported here)."""
from __future__ import annotations

import html

import numpy as np

from core import i18n

SPLIT_COLOURS = {"train": "#1f77b4", "validation": "#ff7f0e"}


def plotly_text(text) -> str:
    """Text a user gave (a class name from a folder, a file name, a run id) as plotly shows it
    literally: plotly reads <a href>, <b>, <br> in axis labels, hover text, legends and titles
    as markup, so "&", "<" and ">" go as entities, which it draws as those characters. Every
    figure passes such text through here (translated strings it formats itself are markup)."""
    return html.escape(str(text), quote=False)


def plotly_texts(texts) -> list[str]:
    return [plotly_text(text) for text in texts]


def learning_curves(frame, titles: dict[str, str], labels: dict[str, str], metrics: tuple[str, ...] = ("loss", "accuracy")):
    """A panel per metric, side by side (loss and accuracy for a classifier): running train
    values as a thin line, epoch points for train and validation. `titles` names the panels,
    `labels` the splits and axes."""
    from plotly import graph_objects, subplots

    figure = subplots.make_subplots(rows=1, cols=len(metrics), subplot_titles=[titles[metric] for metric in metrics])
    for column, metric in enumerate(metrics, start=1):
        running = frame[(frame["name"] == metric) & (frame["split"] == "train") & (frame["scope"] == "batch")]
        if len(running):  # One point (the untrained model's step 0) is a marker: a line of one point draws nothing.
            figure.add_trace(
                graph_objects.Scatter(x=running["epoch"], y=running["value"], mode="lines" if len(running) > 1 else "markers", line={"width": 1, "color": SPLIT_COLOURS["train"]}, opacity=0.35, name=labels["running"], showlegend=column == 1, legendgroup="running"),
                row=1, col=column,
            )
        for split, colour in SPLIT_COLOURS.items():
            points = frame[(frame["name"] == metric) & (frame["split"] == split) & (frame["scope"] == "epoch")]
            if len(points):
                figure.add_trace(
                    graph_objects.Scatter(x=points["epoch"], y=points["value"], mode="lines+markers", line={"color": colour}, name=labels[split], showlegend=column == 1, legendgroup=split),
                    row=1, col=column,
                )
        figure.update_xaxes(title_text=labels["epoch"], row=1, col=column)
    figure.update_layout(height=360, margin={"t": 40, "b": 40, "l": 40, "r": 10}, legend={"orientation": "h", "y": -0.25})
    return figure


# A confusion cell's side in pixels, and the room a tick label's character takes: the
# figure grows with the classes, so forty classes do not squeeze into a fixed square.
CONFUSION_CELL_PIXELS = 28
CONFUSION_CHARACTER_PIXELS = 7
CONFUSION_MINIMUM_HEIGHT = 420
CONFUSION_MAXIMUM_HEIGHT = 1600


def confusion_size(class_names: list[str]) -> dict:
    """The figure's height, the room of its tick labels and their font size, from the
    number of classes and their longest name (every name is shown whole)."""
    count = max(1, len(class_names))
    longest = max((len(str(name)) for name in class_names), default=1)
    label_room = min(240, CONFUSION_CHARACTER_PIXELS * longest + 10)
    height = min(CONFUSION_MAXIMUM_HEIGHT, max(CONFUSION_MINIMUM_HEIGHT, CONFUSION_CELL_PIXELS * count + label_room + 60))
    return {"height": height, "label_room": label_room, "font_size": 12 if count <= 30 else 9}


def confusion_heatmap(matrix: np.ndarray, class_names: list[str], labels: dict[str, str], compact: bool = False):
    """The confusion matrix, sized from its classes, every class name in full on both axes
    (`class_names` as shown: translated by the caller, escaped here); `compact` (several side
    by side) drops the colour bar and the axis titles. A click's cell: clicked_cell."""
    from plotly import graph_objects

    class_names = plotly_texts(class_names)

    figure = graph_objects.Figure(
        graph_objects.Heatmap(z=matrix, x=class_names, y=class_names, colorscale="Blues", text=matrix, texttemplate="%{text}", hovertemplate=labels["hover"], showscale=not compact)
    )
    # Streamlit reports no selection on a heatmap (streamlit#8760): an invisible marker per
    # cell makes every cell clickable; the page reads the click's x (predicted) and y (true).
    true_names, predicted_names = np.meshgrid(class_names, class_names, indexing="ij")
    figure.add_trace(
        graph_objects.Scatter(
            x=predicted_names.ravel(), y=true_names.ravel(), mode="markers", showlegend=False, hoverinfo="none",
            marker={"symbol": "square", "size": max(8, 300 // max(1, len(class_names))), "opacity": 0.01, "color": "grey"},
        )
    )
    size = confusion_size(class_names)
    figure.update_layout(
        clickmode="event+select",
        # Category axes, so every class is labelled (numeric names would get every other tick).
        # Fixed ranges: autorange would pad for the click markers and squeeze the cells.
        # Every name as a tick (plotly would skip some when crowded), the margins grown to fit them.
        xaxis={"title": labels["predicted"], "type": "category", "range": [-0.5, len(class_names) - 0.5], "tickmode": "array", "tickvals": list(class_names), "ticktext": list(class_names), "automargin": True, "tickangle": -45 if size["label_room"] > 40 else 0, "tickfont": {"size": size["font_size"]}},
        yaxis={"title": labels["true"], "type": "category", "range": [len(class_names) - 0.5, -0.5], "tickmode": "array", "tickvals": list(class_names), "ticktext": list(class_names), "automargin": True, "tickfont": {"size": size["font_size"]}},
        height=size["height"], margin={"t": 20, "b": 40, "l": 40, "r": 10},
    )
    if compact:
        figure.update_layout(xaxis_title=None, yaxis_title=None, margin={"t": 10, "b": 10, "l": 10, "r": 10})
    return figure


def clicked_cell(point: dict, class_count: int) -> tuple[int, int] | None:
    """(true, predicted) class indices of a click on confusion_heatmap's cell markers (the
    point's index in its trace, whatever the names shown), or None."""
    index = point.get("point_index", point.get("point_number"))
    if point.get("curve_number") != 1 or not isinstance(index, int) or not 0 <= index < class_count * class_count:
        return None
    return divmod(index, class_count)


# A maximised image whose pixels span less than this (in [0, 1]) is flat: the ascent found
# nothing to draw; a channel scoring at most SILENT_SCORE on its best image never fires.
FLAT_IMAGE_SPAN = 1e-3
SILENT_SCORE = 1e-6


def silent_channels(images: np.ndarray, scores: np.ndarray, spatial: bool = True) -> list[bool]:
    """For activation maximisation's tiles: True where the channel is dead, its maximised
    image constant or its activation (maximisation.channel_scores) stuck at 0 even on that
    image, so a blank tile is named instead of shown as a pattern. A `spatial` channel
    (a convolution's, scored on its positive part) is dead at or below 0; a unit (a dense
    layer's, maybe linear) only at 0, since a linear unit may stay negative and still answer."""
    images = np.asarray(images, dtype=np.float32)
    flat = images.reshape(len(images), -1)
    spans = flat.max(axis=1) - flat.min(axis=1) if len(images) else np.zeros(0)
    scores = np.asarray(scores, dtype=np.float64)
    stuck = scores <= SILENT_SCORE if spatial else np.abs(scores) <= SILENT_SCORE
    return [bool(span < FLAT_IMAGE_SPAN or dead) for span, dead in zip(spans, stuck)]


PREDICTED_COLOUR = "#ff7f0e"
OTHER_COLOUR = "#9fb8d6"


def probability_bars(classes: list[tuple[str, float]], label: str, language: str = "en"):
    """(class, probability) pairs, most probable first, as horizontal bars; the first (the
    answer) is drawn at the top, in its own colour; class names as shown (translated by the
    caller), percentages as `language` writes them."""
    from plotly import graph_objects

    names = plotly_texts(name for name, _ in classes)[::-1]
    values = [value for _, value in classes][::-1]
    colours = [OTHER_COLOUR] * (len(names) - 1) + [PREDICTED_COLOUR]
    percentages = [i18n.number_text(float(value), language, ".1%") for value in values]
    figure = graph_objects.Figure(graph_objects.Bar(x=values, y=names, orientation="h", marker={"color": colours}, text=percentages, textposition="auto"))
    figure.update_layout(xaxis={"range": [0, 1], "title": label}, yaxis={"type": "category"}, height=60 + 36 * len(names), margin={"t": 10, "b": 40, "l": 40, "r": 10})
    return figure


def metrics_frame(records: list[dict]):
    """Metric lines as a DataFrame (epoch, split, name, value, scope) for plotting."""
    import pandas

    frame = pandas.DataFrame.from_records(records, columns=["step", "epoch", "split", "name", "value", "time", "scope"])
    frame["scope"] = frame["scope"].fillna("epoch")
    return frame
