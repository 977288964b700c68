"""The projector's scatter: one trace per colour group, each point carrying its row number
(customdata) so a selected point can be shown as its image."""
from __future__ import annotations

import numpy as np

from core.projector.results import Projection

# What the points can be coloured by: the name of a Projection field holding a class or a cluster per point.
COLOUR_FIELDS = {"label": "labels", "prediction": "predictions", "cluster": "clusters"}


def scatter(projection: Projection, class_names: list[str], colour_by: str, group_names: list[str], hover: str):
    """A plotly figure of the projection. `group_names` name the colour groups (class names,
    or cluster names); `hover` is a format with {index}, {label}, {prediction}."""
    import plotly.graph_objects as go

    if colour_by not in COLOUR_FIELDS:
        raise ValueError(f"unknown colour {colour_by!r}; valid: {', '.join(COLOUR_FIELDS)}")
    groups = getattr(projection, COLOUR_FIELDS[colour_by])
    hover_texts = np.array([hover.format(index=int(index), label=class_names[int(label)], prediction=class_names[int(prediction)]) for index, label, prediction in zip(projection.indices, projection.labels, projection.predictions)])
    figure = go.Figure()
    rows = np.arange(len(projection.coordinates))
    for group in np.unique(groups):
        members = groups == group
        figure.add_trace(go.Scattergl(
            x=projection.coordinates[members, 0], y=projection.coordinates[members, 1], mode="markers", name=group_names[int(group)],
            customdata=rows[members], text=hover_texts[members], hovertemplate="%{text}<extra></extra>", marker={"size": 6, "opacity": 0.8},
        ))
    figure.update_layout(height=620, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"itemsizing": "constant"}, dragmode="select", clickmode="event+select")
    figure.update_xaxes(showticklabels=False, title=None)
    figure.update_yaxes(showticklabels=False, title=None, scaleanchor="x")
    return figure


def selected_rows(event) -> list[int]:
    """Row numbers of the points selected in st.plotly_chart's event (clicked, boxed or lassoed)."""
    if not event:
        return []
    points = (event.get("selection") or {}).get("points") or []
    return [int(point["customdata"][0] if isinstance(point.get("customdata"), list) else point["customdata"]) for point in points if point.get("customdata") is not None]
