"""The projector's scatter, in Altair: hovering a point shows its image (Vega's tooltip
draws a field called "image" holding a data URL as a picture, which plotly's hover cannot),
a click or a dragged box selects points whose images the page then lists."""
from __future__ import annotations

import base64
import io

import numpy as np

from core import pictures
from core.projector.results import Projection

# What the points can be coloured by: the name of a Projection field holding a class or a cluster per point.
COLOUR_FIELDS = {"label": "labels", "prediction": "predictions", "cluster": "clusters"}
# Points whose hover shows their image: each thumbnail is a few kB of the chart's JSON,
# so past this many, an even spread of points carries one.
HOVER_IMAGES = 800
THUMBNAIL_PIXELS = 64
POINT_SELECTION, BOX_SELECTION = "picked", "box"


def thumbnail(image: np.ndarray) -> str:
    """A uint8 image (H, W[, C]) as a PNG data URL, enlarged (nearest neighbour) to at
    least THUMBNAIL_PIXELS a side: the tooltip shows it at its own size."""
    from PIL import Image

    pixels = image[..., 0] if image.ndim == 3 and image.shape[2] == 1 else image
    factor = max(1, -(-THUMBNAIL_PIXELS // max(pixels.shape[:2])))
    pixels = pictures.enlarge_by(pixels, factor)
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(pixels, dtype=np.uint8)).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def hover_images(projection: Projection, test_images: np.ndarray, limit: int = HOVER_IMAGES) -> dict[int, str]:
    """Row -> thumbnail for at most `limit` rows spread evenly over the projection."""
    rows = np.unique(np.linspace(0, len(projection.indices) - 1, min(limit, len(projection.indices))).astype(int)) if len(projection.indices) else []
    return {int(row): thumbnail(test_images[int(projection.indices[row])]) for row in rows}


def scatter(projection: Projection, class_names: list[str], colour_by: str, group_names: list[str], titles: dict[str, str], images: dict[int, str] | None = None):
    """An Altair chart of the projection. `group_names` name the colour groups (class
    names, or cluster names); `titles` name the tooltip's fields: index, label, prediction
    (without it, no prediction is shown: a generative run predicts nothing), group;
    `images`: row -> thumbnail (hover_images)."""
    import altair as alt
    import pandas as pd

    if colour_by not in COLOUR_FIELDS:
        raise ValueError(f"unknown colour {colour_by!r}; valid: {', '.join(COLOUR_FIELDS)}")
    groups = getattr(projection, COLOUR_FIELDS[colour_by])
    columns = {
        "x": projection.coordinates[:, 0].astype(float), "y": projection.coordinates[:, 1].astype(float),
        "row": np.arange(len(projection.coordinates)),
        titles["index"]: projection.indices.astype(int),
        titles["label"]: [class_names[int(label)] for label in projection.labels],
    }
    tooltip = [titles["index"], titles["label"]]
    if "prediction" in titles:
        columns[titles["prediction"]] = [class_names[int(prediction)] for prediction in projection.predictions]
        tooltip.append(titles["prediction"])
    columns[titles["group"]] = [group_names[int(group)] for group in groups]
    table = pd.DataFrame(columns)
    if images:
        table["image"] = [images.get(row) for row in table["row"]]
        tooltip = ["image", *tooltip]
    picked = alt.selection_point(name=POINT_SELECTION, fields=["row"], on="click")
    box = alt.selection_interval(name=BOX_SELECTION, encodings=["x", "y"])
    axis = alt.Axis(labels=False, ticks=False, title=None, grid=False)
    return (
        alt.Chart(table)
        .mark_circle(size=40, opacity=0.8)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=alt.Scale(zero=False)),
            y=alt.Y("y:Q", axis=axis, scale=alt.Scale(zero=False)),
            color=alt.Color(f"{titles['group']}:N", sort=list(dict.fromkeys(group_names))),
            tooltip=tooltip,
        )
        .add_params(picked, box)
        .properties(height=620)
    )


def selected_rows(event, projection: Projection) -> list[int]:
    """Rows of the points selected in st.altair_chart's event: clicked ones, or those inside
    the dragged box."""
    selection = (event or {}).get("selection") or {}
    rows = [int(point["row"]) for point in selection.get(POINT_SELECTION) or [] if "row" in point]
    bounds = selection.get(BOX_SELECTION) or {}
    if "x" in bounds and "y" in bounds:
        (left, right), (bottom, top) = sorted(bounds["x"]), sorted(bounds["y"])
        x, y = projection.coordinates[:, 0], projection.coordinates[:, 1]
        rows += np.flatnonzero((x >= left) & (x <= right) & (y >= bottom) & (y <= top)).tolist()
    return list(dict.fromkeys(rows))
