"""Inside the network: a finished run's layers explained, its filters, feature maps and
activation maximisation, two runs side by side. The convolution to play with (no run needed)
has its own page, linked from here."""
import streamlit as st

from app import ui
from core import inference, inspection, pictures
from core.analysis import layer_guide, layers, maximisation
from core.i18n import TranslatableError

st.title(ui.tr("page_inside"))
st.caption(ui.tr("layers_intro"))
if st.button(ui.tr("layers_convolution_link"), icon=":material/grid_on:", key="inside_open_convolution"):
    ui.switch_page("convolution")


def summary_tab(loaded) -> None:
    rows = layers.summary(loaded)
    left, middle, right = st.columns(3)
    left.metric(ui.tr("layers_total_parameters"), ui.number(sum(row.parameter_count for row in rows), ","))
    middle.metric(ui.tr("layers_layer_count"), len(rows))
    right.metric(ui.tr("layers_input"), layers.shape_text(loaded.input_shape))
    diagram, explained = st.columns([2, 3])
    diagram.graphviz_chart(layers.diagram(loaded, ui.language()))
    with explained:
        st.subheader(ui.tr("layers_explained"))
        for kind in layers.kinds_present(loaded):
            with st.expander(f"{layer_guide.title(kind, ui.language())} ({kind})"):
                st.markdown(layer_guide.explanation(kind, ui.language()))
    table = layers.summary_table(loaded, ui.language())
    explanation = ui.tr("layers_column_explanation")
    st.dataframe(table, hide_index=True, column_config={explanation: st.column_config.TextColumn(explanation, width="large", help=ui.tr("layers_explanation_help"))})


def test_image(run, key: str):
    """A test image of the run and its label, or None when the run has no evaluation file."""
    try:
        evaluation = ui.cached_evaluation(run)
    except (OSError, KeyError):
        st.info(ui.tr("layers_no_test_images"))
        return None
    index = st.number_input(ui.tr("predict_test_index"), min_value=0, max_value=len(evaluation["labels"]) - 1, value=0, key=key)
    return pictures.as_float(evaluation["images"][index])


def chosen_image(run, loaded):
    """The image whose feature maps are shown: a test image or an upload; None with a message."""
    sources = {"test": ui.tr("predict_test_image"), "upload": ui.tr("predict_upload")}
    source = st.radio(ui.tr("predict_source"), list(sources), format_func=sources.get, horizontal=True, key="inside_image_source")
    if source == "test":
        return test_image(run, "inside_test_index")
    upload = st.file_uploader(ui.tr("layers_upload_label"), key="inside_upload")
    if upload is None:
        return None
    try:
        pixels, notes = layers.uploaded_input(loaded, upload.getvalue(), upload.name)
    except TranslatableError as error:
        st.error(ui.error_text(error))
        return None
    for note in notes:
        st.caption(ui.tr(note))
    return pixels


def feature_maps_tab(run, loaded) -> None:
    st.subheader(ui.tr("layers_filters_title"))
    st.caption(ui.tr("layers_filters_help"))
    ui.filters_grid(loaded)
    st.subheader(ui.tr("layers_maps_title"))
    names = [item.name for item in inspection.layers(loaded)]
    convolutions = inspection.convolution_layers(loaded)
    name = ui.layer_choice(loaded, names, convolutions[0] if convolutions else names[0], "inside_maps_layer")
    image = chosen_image(run, loaded)
    if image is None:
        return
    maps = layers.feature_maps(loaded, name, image)
    left, right = st.columns([1, 3])
    left.image(pictures.enlarge(image, 160), caption=ui.tr("predict_as_seen", shape=layers.shape_text(image.shape)))
    with right:
        if maps.ndim == 3:
            shown = st.slider(ui.tr("layers_maps_count"), 1, maps.shape[-1], min(32, maps.shape[-1]), key="inside_maps_count")
            st.image(pictures.mosaic(layers.normalise_channels(maps)[:shown], columns=8, cell=64), caption=ui.tr("layers_maps_caption", name=name, shape=layers.shape_text(maps.shape)))
        else:
            st.bar_chart(maps.reshape(-1), x_label=ui.tr("layers_unit"), y_label=ui.tr("layers_value"))
            st.caption(ui.tr("layers_maps_vector", name=name, count=maps.size))


def maximisation_tab(run, loaded) -> None:
    st.caption(ui.tr("layers_max_help"))
    names = [item.name for item in inspection.layers(loaded)]
    convolutions = inspection.convolution_layers(loaded)
    if not convolutions:
        st.info(ui.tr("layers_max_no_convolution"))
    name = ui.layer_choice(loaded, names, convolutions[-1] if convolutions else names[-1], "inside_max_layer")
    total = maximisation.channel_count(loaded, name)
    left, right = st.columns(2)
    first = left.number_input(ui.tr("layers_max_first"), min_value=0, max_value=total - 1, value=0, key="inside_max_first")
    count = right.slider(ui.tr("layers_max_count"), 1, maximisation.MAX_CHANNELS, min(8, total), key="inside_max_count")
    ui.maximisation_on_demand(run, name, list(range(first, min(total, first + count))), "inside_max")


def specialisation_tab(runs) -> None:
    st.caption(ui.tr("layers_special_help"))
    if len(runs) < 2:
        st.info(ui.tr("layers_special_need_two"))
        return
    by_id = {run.id: run for run in runs}
    ids = list(by_id)
    columns = st.columns(2)
    chosen = [columns[side].selectbox(ui.tr("layers_special_run", side=side + 1), ids, index=side, format_func=lambda run_id: ui.run_label(by_id[run_id]), key=f"inside_special_{side}") for side in (0, 1)]
    models = [ui.load_model_or_none(by_id[run_id]) for run_id in chosen]
    if None in models:
        return
    difference = layers.architecture_difference(models[0].description, models[1].description)
    if difference:
        st.warning(ui.tr(difference, first=f"{models[0].description['backend']} {models[0].description['model']}", second=f"{models[1].description['backend']} {models[1].description['model']}"))
        return
    if models[0].description.get("dataset") == models[1].description.get("dataset"):
        st.info(ui.tr("layers_special_same_dataset"))
    for side, (run_id, loaded) in enumerate(zip(chosen, models)):
        with columns[side]:
            st.markdown(f"**{ui.tr('label_dataset')}: {loaded.description.get('dataset', '?')}** · {layers.shape_text(loaded.input_shape)}")
            name = ui.filters_grid(loaded)
            if name is not None:
                channels = list(range(min(8, maximisation.channel_count(loaded, name))))
                ui.maximisation_on_demand(by_id[run_id], name, channels, f"inside_special_max_{side}")


# The newest finished runs and those chosen here, not a listing of every run.
choices = inference.finished_choices("inside", [st.session_state.get(key) for key in ("inside_run", "selected_run", "inside_special_0", "inside_special_1")])
runs = choices.runs
run = loaded = None
if runs:
    run = ui.finished_run_choice("inside_run", "inside", choices)
    ui.warm_model(run)  # The maximisation traced while the user reads the summary.
    loaded = ui.load_model_or_none(run)
else:
    st.info(ui.tr("layers_no_runs"))
titles = ["layers_tab_summary", "layers_tab_maps", "layers_tab_maximisation", "layers_tab_specialisation"]
summary, maps, maximisation_panel, specialisation = st.tabs([ui.tr(title) for title in titles])
with specialisation:
    specialisation_tab(runs)
if loaded is not None:
    with summary:
        summary_tab(loaded)
    with maps:
        feature_maps_tab(run, loaded)
    with maximisation_panel:
        maximisation_tab(run, loaded)
