"""The projector: a layer's features for test images in 2-D, coloured by class, with the
k-means agreement; computed in the background and stored in the run's eval/. A generative
run (VAE, CVAE) projects its latent codes instead, with no model to load."""
from pathlib import Path

import numpy as np
import streamlit as st

from app import ui
from core import inference, inspection
from core.analysis import figures
from core.i18n import TranslatableError
from core.projector import features, figure, jobs, methods, results, service
from core.runs import store

IMAGES_SHOWN = 16
PROJECTED_TASKS = ("image_classification", features.GENERATION_TASK)

st.title(ui.tr("page_projector"))
st.caption(ui.tr("projector_intro"))
# The run chosen last time, deleted since (maybe while its projection was computing): say so.
previous = st.session_state.get("projector_run")
if previous and not store.run_dir(previous).is_dir():
    st.warning(ui.tr("projector_run_gone"))
finished = inference.finished_runs(tasks=PROJECTED_TASKS)


def follow_requested_run() -> None:
    """Select the run a link (?run=) or another page names. Leaving a page drops the query,
    so without one the page was just opened: st.session_state["selected_run"] (which the
    Run and Generate pages set before switching here) names the run. The query then follows
    the choice, so a run asked for once does not undo the user's next choice."""
    requested = st.query_params.get("run")
    if requested is None:
        requested = st.session_state.get("selected_run")
    elif requested == st.session_state.get("projector_followed"):
        return
    # Without a choice of its own the picker starts on selected_run; setting the choice
    # beside that only earns a warning in the log.
    known = "projector_run" in st.session_state or requested != st.session_state.get("selected_run")
    if known and requested in {candidate.id for candidate in finished}:
        st.session_state["projector_run"] = requested


follow_requested_run()
run = ui.finished_run_choice("projector_run", finished)
st.query_params["run"] = run.id
st.session_state["projector_followed"] = run.id
service.ensure_running()  # Warms up while the user chooses; cheap when it already runs.
try:
    generative = inference.run_task(run) == features.GENERATION_TASK
    description = inference.read_description(run.path) if generative else None
except store.RunNotFound:
    st.error(ui.tr("projector_run_gone"))
    st.stop()
if generative:
    # Its codes are stored with it: the model is not needed.
    st.caption(ui.tr("projector_latent_intro"))
    loaded, class_names = None, description["class_names"]
else:
    loaded = ui.load_model_or_stop(run)
    class_names = loaded.class_names


@st.cache_data(show_spinner=False, max_entries=4)
def cached_projection(path: str, key: str, modified: float) -> results.Projection:
    return results.load(Path(path), key)


def test_images() -> np.ndarray:
    """The run's test images, which the projection's indices point into."""
    if generative:
        return ui.cached_latent(run)["images"]
    return ui.cached_predictions(run)["images"]


@st.cache_data(show_spinner=False, max_entries=4)
def cached_hover_images(path: str, key: str, finished: float, _projection, _images) -> dict:
    return figure.hover_images(_projection, _images)


def stored_label(info: dict) -> str:
    ari = "–" if info.get("ari") is None else f"{info['ari']:.3f}"
    return ui.tr("projector_stored_label", method=ui.tr(methods.METHODS[info["method"]].title), layer=info["layer"], count=info["count"], seed=info["seed"], ari=ari)


try:
    available = jobs.test_set_size(run.path)
    stored = [info for info in results.list_projections(run.path) if info["state"] == "finished"]
except store.RunNotFound:
    st.error(ui.tr("projector_run_gone"))
    st.stop()
except FileNotFoundError:
    st.info(ui.tr("projector_no_latent" if generative else "projector_no_evaluation"))
    st.stop()


def open_stored(by_key: dict) -> None:
    """Set the choices to a stored projection's: the page then shows it."""
    info = by_key[st.session_state[f"projector_open_{run.id}"]]
    st.session_state.update({f"projector_layer_{run.id}": info["layer"], "projector_method": info["method"], f"projector_count_{run.id}": info["count"], "projector_seed": info["seed"]})


if stored:
    by_key = {info["key"]: info for info in stored}
    st.selectbox(
        ui.tr("projector_open"), list(by_key), index=None, format_func=lambda key: stored_label(by_key[key]), key=f"projector_open_{run.id}",
        on_change=open_stored, args=(by_key,),
    )
if generative:
    layer_titles = {features.LATENT_LAYER: ui.tr("projector_latent_layer", name=features.LATENT_LAYER, width=description["latent_dim"])}
    default_layer, layer_help = features.LATENT_LAYER, ui.tr("projector_latent_layer_help")
else:
    layers = {layer.name: layer for layer in inspection.layers(loaded)}
    layer_titles = {name: f"{name} · {layer.kind} {'×'.join(map(str, layer.output_shape))}" for name, layer in layers.items()}
    default_layer, layer_help = inspection.penultimate_layer(loaded), ui.tr("projector_layer_help")
names = list(layer_titles)
columns = st.columns([3, 3, 2, 1])
layer = columns[0].selectbox(
    ui.tr("projector_layer"), names, index=names.index(default_layer), key=f"projector_layer_{run.id}", help=layer_help, format_func=layer_titles.get,
)
method = columns[1].selectbox(ui.tr("projector_method"), list(methods.METHODS), format_func=lambda name: ui.tr(methods.METHODS[name].title), key="projector_method")
maximum = min(methods.MAXIMUM_POINTS, available)
count = columns[2].number_input(ui.tr("projector_count"), min_value=1, max_value=maximum, value=min(2000, maximum), step=100, key=f"projector_count_{run.id}", help=ui.tr("projector_count_help", maximum=maximum))
seed = columns[3].number_input(ui.tr("projector_seed"), min_value=0, max_value=2**31 - 1, value=0, key="projector_seed")
request = results.Request(layer, method, int(count), int(seed))

if st.button(ui.tr("projector_compute"), type="primary", key="projector_compute"):
    try:
        jobs.submit(run.path, request, loaded)
    except TranslatableError as error:
        st.error(ui.error_text(error))
    except store.RunNotFound:
        st.error(ui.tr("projector_run_gone"))
        st.stop()



def show_projection(info: dict) -> None:
    try:
        projection = cached_projection(str(run.path), info["key"], results.data_path(run.path, info["key"]).stat().st_mtime)
    except (FileNotFoundError, store.RunNotFound):
        st.error(ui.tr("projector_run_gone"))
        return
    st.subheader(stored_label(info))
    metrics = st.columns(4)
    metrics[0].metric(ui.tr("projector_ari"), f"{info['ari']:.3f}", help=ui.tr("projector_ari_help"))
    metrics[1].metric(ui.tr("projector_seconds"), f"{info['seconds']:.1f} s")
    metrics[2].metric(ui.tr("projector_points"), f"{len(projection.coordinates):,}")
    metrics[3].metric(ui.tr("projector_width"), f"{info.get('feature_width', 0):,}")
    if info.get("reduction") and not generative:
        st.caption(ui.tr("projector_reduction", width=f"{int(np.prod(layers[info['layer']].output_shape)):,}", reduction=info["reduction"]))
    colour_names = {"label": ui.tr("projector_colour_label"), "prediction": ui.tr("projector_colour_prediction"), "cluster": ui.tr("projector_colour_cluster")}
    if generative:
        del colour_names["prediction"]  # A generative run predicts nothing: its predictions are the labels.
        if st.session_state.get("projector_colour") not in colour_names:
            st.session_state.pop("projector_colour", None)
    colour_by = st.radio(ui.tr("projector_colour_by"), list(colour_names), format_func=colour_names.get, horizontal=True, key="projector_colour")
    group_names = [ui.tr("projector_cluster_name", number=number + 1) for number in range(len(class_names))] if colour_by == "cluster" else class_names
    fields = ("index", "label") if generative else ("index", "label", "prediction")
    titles = {field: ui.tr(f"projector_field_{field}") for field in fields} | {"group": colour_names[colour_by]}
    images = test_images()
    thumbnails = cached_hover_images(str(run.path), info["key"], projection.info.get("finished", 0.0), projection, images)
    chart = figure.scatter(projection, class_names, colour_by, group_names, titles, thumbnails)
    st.caption(ui.tr("projector_select_hint"))
    event = st.altair_chart(chart, on_select="rerun", key=f"projector_chart_{info['key']}_{colour_by}")
    rows = figure.selected_rows(event, projection)
    if rows:
        st.write(ui.tr("projector_selected", count=len(rows), shown=min(len(rows), IMAGES_SHOWN)))
        image_columns = st.columns(8)
        # Spread over the selection: its points come class after class.
        shown = [rows[int(position)] for position in np.linspace(0, len(rows) - 1, min(len(rows), IMAGES_SHOWN))]
        for position, row in enumerate(shown):
            index = int(projection.indices[row])
            label = class_names[int(projection.labels[row])]
            if generative:
                caption = ui.tr("projector_image_caption_latent", index=index, label=label)
            else:
                caption = ui.tr("projector_image_caption", index=index, label=label, prediction=class_names[int(projection.predictions[row])])
            image_columns[position % 8].image(figures.enlarge(images[index], 96), caption=caption)


def show_progress(info: dict) -> None:
    st.progress(float(info.get("fraction") or 0.0), text=ui.tr(f"projector_stage_{info.get('stage') or 'queued'}"))


try:
    info = jobs.status(run.path, request.key)
except store.RunNotFound:
    st.error(ui.tr("projector_run_gone"))
    st.stop()

if info is None:
    st.info(ui.tr("projector_not_computed"))
elif info["state"] in results.ACTIVE_STATES:

    @st.fragment(run_every=1.0)
    def follow_job() -> None:
        try:
            current = jobs.status(run.path, request.key)
        except store.RunNotFound:
            st.error(ui.tr("projector_run_gone"))
            return
        if current["state"] in results.ACTIVE_STATES:
            show_progress(current)
        else:
            st.rerun()  # Done: the whole page shows the result (or the error).

    follow_job()
elif info["state"] == "failed":
    error = TranslatableError(info["error_key"], **(info.get("error_values") or {})) if info.get("error_key") else RuntimeError(info.get("error"))
    st.error(ui.tr("projector_failed", error=ui.error_text(error)))
else:
    show_projection(info)

st.divider()
st.subheader(ui.tr("projector_stored"))
if stored:
    st.dataframe(
        [{ui.tr("projector_method"): info["method"], ui.tr("projector_layer"): info["layer"], ui.tr("projector_count"): info["count"], ui.tr("projector_seed"): info["seed"],
          "ARI": round(info["ari"], 3), ui.tr("projector_seconds"): f"{info['seconds']:.1f} s", "key": info["key"]} for info in stored],
        hide_index=True,
    )
else:
    st.caption(ui.tr("projector_stored_none"))
