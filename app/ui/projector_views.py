"""The Projector page's views of one projection: its figures, the chart with the images of
the points picked, a job's progress. `view` is a ProjectorView: the run and what the page
read of it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from app.ui import caches, navigation
from core import pictures
from core.projector import figure, methods, results
from core.runs import store

IMAGES_SHOWN = 16
tr = navigation.tr


@dataclass(frozen=True)
class ProjectorView:
    run: object  # core.runs.store.RunSummary
    generative: bool  # its kind keeps the features drawn: no model, no predictions
    class_names: list[str]
    layers: dict  # layer name -> core.backends.protocol.Layer (empty for a generative run)


@st.cache_data(show_spinner=False, max_entries=4)
def _projection(path: str, key: str, modified: float) -> results.Projection:
    return results.load(Path(path), key)


def test_images(view: ProjectorView) -> np.ndarray:
    """The run's test images, which the projection's indices point into."""
    return caches.cached_evaluation(view.run)["images"]


@st.cache_data(show_spinner=False, max_entries=8)
def _hover_images(path: str, images_version: float, indices_digest: str, _projection, _images) -> dict:
    return figure.hover_images(_projection, _images)


def hover_images(view: ProjectorView, projection: results.Projection, images: np.ndarray) -> dict:
    """The points' thumbnails (0.2-0.3 s of PNG encoding for 360 points here), kept per run and
    set of test images drawn: a projection with another method or seed on the same images
    shows at once."""
    import hashlib

    from core import kinds

    images_version = kinds.kind_of(view.run).evaluation.modified(view.run.path)
    digest = hashlib.sha1(np.ascontiguousarray(projection.indices).tobytes()).hexdigest()
    return _hover_images(str(view.run.path), images_version, digest, projection, images)


def stored_label(info: dict) -> str:
    ari = "–" if info.get("ari") is None else navigation.number(info["ari"], ".3f")
    return tr("projector_stored_label", method=tr(methods.METHODS[info["method"]].title), layer=info["layer"], count=info["count"], seed=info["seed"], ari=ari)


def picker_keys(run_id: str) -> dict[str, str]:
    """The session keys of the page's pickers, by the request field each one chooses."""
    return {"layer": f"projector_layer_{run_id}", "method": "projector_method", "count": f"projector_count_{run_id}", "seed": "projector_seed"}


def restore_choices(run_id: str) -> None:
    """Leaving the page drops its pickers' values, and the method would fall back to PCA
    while the page showed the projection last seen: give back that projection's choices,
    so the pickers name what is on screen and Compute computes it again."""
    shown = st.session_state.get(f"projector_shown_{run_id}") or {}
    for field, key in picker_keys(run_id).items():
        if field in shown and key not in st.session_state:
            st.session_state[key] = shown[field]


def show_projection(view: ProjectorView, info: dict) -> None:
    """A finished projection: its figures, the chart coloured as asked, the images picked."""
    # The class names as shown (a generated class in the user's language) in the chart and captions.
    run, generative, class_names = view.run, view.generative, [navigation.name(name) for name in view.class_names]
    # A plain session key, which outlives the pickers' widget state (see restore_choices).
    st.session_state[f"projector_shown_{run.id}"] = {field: info[field] for field in picker_keys(run.id)}
    try:
        projection = _projection(str(run.path), info["key"], results.data_path(run.path, info["key"]).stat().st_mtime)
    except (FileNotFoundError, store.RunNotFound):
        st.error(tr("projector_run_gone"))
        return
    st.subheader(stored_label(info))
    metrics = st.columns(4)
    metrics[0].metric(tr("projector_ari"), navigation.number(info["ari"], ".3f") if info.get("ari") is not None else "–", help=tr("projector_ari_help"))
    metrics[1].metric(tr("projector_seconds"), f"{navigation.number(info['seconds'], '.1f')} s")
    metrics[2].metric(tr("projector_points"), navigation.number(len(projection.coordinates), ","))
    metrics[3].metric(tr("projector_width"), navigation.number(info.get("feature_width", 0), ","))
    if info.get("reduction") and not generative:
        st.caption(tr("projector_reduction", width=navigation.number(int(np.prod(view.layers[info["layer"]].output_shape)), ","), reduction=info["reduction"]))
    colour_names = {"label": tr("projector_colour_label"), "prediction": tr("projector_colour_prediction"), "cluster": tr("projector_colour_cluster")}
    if generative:
        del colour_names["prediction"]  # A generative run predicts nothing: its predictions are the labels.
        if st.session_state.get("projector_colour") not in colour_names:
            st.session_state.pop("projector_colour", None)
    colour_by = st.radio(tr("projector_colour_by"), list(colour_names), format_func=colour_names.get, horizontal=True, key="projector_colour")
    group_names = [tr("projector_cluster_name", number=number + 1) for number in range(len(class_names))] if colour_by == "cluster" else class_names
    fields = ("index", "label") if generative else ("index", "label", "prediction")
    titles = {field: tr(f"projector_field_{field}") for field in fields} | {"group": colour_names[colour_by]}
    images = test_images(view)
    thumbnails = hover_images(view, projection, images)
    chart = figure.scatter(projection, class_names, colour_by, group_names, titles, thumbnails)
    st.caption(tr("projector_select_hint"))
    event = st.altair_chart(chart, on_select="rerun", key=f"projector_chart_{info['key']}_{colour_by}")
    rows = figure.selected_rows(event, projection)
    if rows:
        st.write(tr("projector_selected", count=len(rows), shown=min(len(rows), IMAGES_SHOWN)))
        image_columns = st.columns(8)
        # Spread over the selection: its points come class after class.
        shown = [rows[int(position)] for position in np.linspace(0, len(rows) - 1, min(len(rows), IMAGES_SHOWN))]
        for position, row in enumerate(shown):
            index = int(projection.indices[row])
            label = class_names[int(projection.labels[row])]
            if generative:
                caption = tr("projector_image_caption_latent", index=index, label=label)
            else:
                caption = tr("projector_image_caption", index=index, label=label, prediction=class_names[int(projection.predictions[row])])
            image_columns[position % 8].image(pictures.enlarge(images[index], 96), caption=caption)


def show_progress(info: dict) -> None:
    st.progress(float(info.get("fraction") or 0.0), text=tr(f"projector_stage_{info.get('stage') or 'queued'}"))


def stored_table(stored: list[dict]) -> None:
    """The projections stored with the run, a row each."""
    if stored:
        st.dataframe(
            [{tr("projector_method"): info["method"], tr("projector_layer"): info["layer"], tr("projector_count"): info["count"], tr("projector_seed"): info["seed"],
              "ARI": navigation.number(info["ari"], ".3f"), tr("projector_seconds"): f"{navigation.number(info['seconds'], '.1f')} s", tr("column_key"): info["key"]} for info in stored],
            hide_index=True,
        )
    else:
        st.caption(tr("projector_stored_none"))
