"""The projector: a layer's features for test images in 2-D, coloured by class, with the
k-means agreement; computed in the background and stored in the run's eval/. A generative
run (VAE, CVAE) projects its latent codes instead, with no model to load."""

import streamlit as st

from app import ui
from app.ui import projector_views
from core import inference, inspection, kinds
from core.i18n import TranslatableError
from core.projector import features, jobs, methods, results, service
from core.runs import store

st.title(ui.tr("page_projector"))
st.caption(ui.tr("projector_intro"))
# The run chosen last time, deleted since (maybe while its projection was computing): say so.
previous = st.session_state.get("projector_run")
if previous and not store.run_dir(previous).is_dir():
    st.warning(ui.tr("projector_run_gone"))
# The newest finished runs and those a link or another page names, not a listing of every run.
choices = inference.finished_choices("projector", [st.query_params.get("run"), st.session_state.get("projector_run"), st.session_state.get("selected_run")])
finished = choices.runs


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
    else:
        ui.stop_unless_offered(requested, finished)  # A link never opens another run in silence.
    # Without a choice of its own the picker starts on selected_run; setting the choice
    # beside that only earns a warning in the log.
    known = "projector_run" in st.session_state or requested != st.session_state.get("selected_run")
    if known and requested in {candidate.id for candidate in finished}:
        st.session_state["projector_run"] = requested


follow_requested_run()
run = ui.finished_run_choice("projector_run", "projector", choices)
st.query_params["run"] = run.id
st.session_state["projector_followed"] = run.id
service.ensure_running()  # Warms up while the user chooses; cheap when it already runs.
try:
    # Its kind keeps the features drawn (a VAE's codes): no model to run, one "layer".
    generative = kinds.kind_of(run).stored_features is not None
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


projector_views.restore_choices(run.id)
if stored:
    by_key = {info["key"]: info for info in stored}
    st.selectbox(
        ui.tr("projector_open"), list(by_key), index=None, placeholder=ui.tr("choose_option"), format_func=lambda key: projector_views.stored_label(by_key[key]), key=f"projector_open_{run.id}",
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



try:
    info = jobs.status(run.path, request.key)
except store.RunNotFound:
    st.error(ui.tr("projector_run_gone"))
    st.stop()

if info is None:
    st.info(ui.tr("projector_not_computed"))
elif info["state"] in results.ACTIVE_STATES:

    # Polled often (a json read): the result is shown as soon as the service writes it.
    @ui.fragment(run_every=0.3)
    def follow_job() -> None:
        try:
            current = jobs.status(run.path, request.key)
        except store.RunNotFound:
            st.error(ui.tr("projector_run_gone"))
            return
        if current["state"] in results.ACTIVE_STATES:
            projector_views.show_progress(current)
        else:
            st.rerun()  # Done: the whole page shows the result (or the error).

    follow_job()
elif info["state"] == "failed":
    error = TranslatableError(info["error_key"], **(info.get("error_values") or {})) if info.get("error_key") else RuntimeError(info.get("error"))
    st.error(ui.tr("projector_failed", error=ui.error_text(error)))
else:
    projector_views.show_projection(projector_views.ProjectorView(run, generative, class_names, {} if generative else layers), info)

st.divider()
st.subheader(ui.tr("projector_stored"))
projector_views.stored_table(stored)
