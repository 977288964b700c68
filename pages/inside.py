"""Inside the network: a finished run's layers explained, its filters, feature maps and
activation maximisation, two runs side by side, and a convolution to play with (no run needed)."""
import numpy as np
import streamlit as st

from app import ui
from core import inference, inspection
from core.analysis import convolution, figures, layer_guide, layers, maximisation
from core.i18n import TranslatableError

st.title(ui.tr("page_inside"))
st.caption(ui.tr("layers_intro"))


@st.cache_data(show_spinner=False, max_entries=64)
def maximised(run_path: str, checkpoint: float, layer_name: str, channels: tuple, _run) -> np.ndarray:
    """Activation maximisation images, computed once per run, layer and channels."""
    return maximisation.maximise(ui.cached_model(_run), layer_name, list(channels))


def model_of(run):
    """The run's model (cached), or None with the reason on the page."""
    try:
        with st.spinner(ui.tr("predict_loading")):
            return ui.cached_model(run)
    except (OSError, ValueError, LookupError) as error:
        st.error(ui.tr("predict_model_error", error=error))
        return None


def layer_choice(loaded, names: list[str], default: str, key: str) -> str:
    """A layer picker; a layer asked in the address (?layer=) or left from another run that
    this model has not is named in a message, and the default taken."""
    requested = st.query_params.get("layer")
    if requested and f"{key}_asked" not in st.session_state:
        st.session_state[f"{key}_asked"] = True
        try:
            inspection.layer(loaded, requested)
            if requested in names:
                st.session_state[key] = requested
        except TranslatableError as error:
            st.error(ui.error_text(error))
    if st.session_state.get(key) is not None and st.session_state[key] not in names:
        st.warning(ui.tr("layers_stale_layer", name=st.session_state[key], default=default))
        st.session_state[key] = default
    st.session_state.setdefault(key, default)
    return st.selectbox(ui.tr("layers_layer"), names, key=key, format_func=lambda name: f"{name} · {inspection.layer(loaded, name).kind}")


def show_filters(loaded) -> str | None:
    """The first convolution's filters as a grid; its name, or None (and a note) without one."""
    try:
        name, filters = layers.first_layer_filters(loaded)
    except TranslatableError as error:
        st.info(ui.error_text(error))
        return None
    st.image(layers.mosaic(filters, columns=16, cell=40, gap=6), caption=ui.tr("layers_filters_caption", name=name, count=len(filters), shape=layers.shape_text(filters.shape[1:])))
    return name


def show_maximisation(run, loaded, layer_name: str, channels: list[int], key: str) -> None:
    """A button computes (once, then cached) one image per channel; shown while the choice stays."""
    request = (str(run.path), layer_name, tuple(channels))
    if st.button(ui.tr("layers_max_compute", count=len(channels)), key=f"{key}_button"):
        st.session_state[f"{key}_request"] = request
    if st.session_state.get(f"{key}_request") != request:
        st.caption(ui.tr("layers_max_hint"))
        return
    try:
        with st.spinner(ui.tr("layers_max_running")):
            pictures = maximised(str(run.path), inference.checkpoint_time(run.path), layer_name, tuple(channels), run)
    except TranslatableError as error:
        st.error(ui.error_text(error))
        return
    except (OSError, LookupError):  # The run was deleted since the page listed it.
        st.error(ui.tr("run_not_found", run_id=run.id))
        return
    st.image([figures.enlarge(picture, 96) for picture in pictures], caption=[f"#{channel}" for channel in channels])


def summary_tab(loaded) -> None:
    rows = layers.summary(loaded)
    left, middle, right = st.columns(3)
    left.metric(ui.tr("layers_total_parameters"), f"{sum(row.parameter_count for row in rows):,}")
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
        evaluation = ui.cached_predictions(run)
    except (OSError, KeyError):
        st.info(ui.tr("layers_no_test_images"))
        return None
    index = st.number_input(ui.tr("predict_test_index"), min_value=0, max_value=len(evaluation["labels"]) - 1, value=0, key=key)
    return evaluation["images"][index].astype(np.float32) / 255.0


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
    show_filters(loaded)
    st.subheader(ui.tr("layers_maps_title"))
    names = [item.name for item in inspection.layers(loaded)]
    convolutions = inspection.convolution_layers(loaded)
    name = layer_choice(loaded, names, convolutions[0] if convolutions else names[0], "inside_maps_layer")
    image = chosen_image(run, loaded)
    if image is None:
        return
    maps = layers.feature_maps(loaded, name, image)
    left, right = st.columns([1, 3])
    left.image(figures.enlarge(image, 160), caption=ui.tr("predict_as_seen", shape=layers.shape_text(image.shape)))
    with right:
        if maps.ndim == 3:
            shown = st.slider(ui.tr("layers_maps_count"), 1, maps.shape[-1], min(32, maps.shape[-1]), key="inside_maps_count")
            st.image(layers.mosaic(layers.normalise_channels(maps)[:shown], columns=8, cell=64), caption=ui.tr("layers_maps_caption", name=name, shape=layers.shape_text(maps.shape)))
        else:
            st.bar_chart(maps.reshape(-1), x_label=ui.tr("layers_unit"), y_label=ui.tr("layers_value"))
            st.caption(ui.tr("layers_maps_vector", name=name, count=maps.size))


def maximisation_tab(run, loaded) -> None:
    st.caption(ui.tr("layers_max_help"))
    names = [item.name for item in inspection.layers(loaded)]
    convolutions = inspection.convolution_layers(loaded)
    if not convolutions:
        st.info(ui.tr("layers_max_no_convolution"))
    name = layer_choice(loaded, names, convolutions[-1] if convolutions else names[-1], "inside_max_layer")
    total = maximisation.channel_count(loaded, name)
    left, right = st.columns(2)
    first = left.number_input(ui.tr("layers_max_first"), min_value=0, max_value=total - 1, value=0, key="inside_max_first")
    count = right.slider(ui.tr("layers_max_count"), 1, maximisation.MAX_CHANNELS, min(8, total), key="inside_max_count")
    show_maximisation(run, loaded, name, list(range(first, min(total, first + count))), "inside_max")


def specialisation_tab(runs) -> None:
    st.caption(ui.tr("layers_special_help"))
    if len(runs) < 2:
        st.info(ui.tr("layers_special_need_two"))
        return
    by_id = {run.id: run for run in runs}
    ids = list(by_id)
    columns = st.columns(2)
    chosen = [columns[side].selectbox(ui.tr("layers_special_run", side=side + 1), ids, index=side, format_func=lambda run_id: ui.run_label(by_id[run_id]), key=f"inside_special_{side}") for side in (0, 1)]
    models = [model_of(by_id[run_id]) for run_id in chosen]
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
            name = show_filters(loaded)
            if name is not None:
                channels = list(range(min(8, maximisation.channel_count(loaded, name))))
                show_maximisation(by_id[run_id], loaded, name, channels, f"inside_special_max_{side}")


def convolution_tab() -> None:
    st.caption(ui.tr("layers_conv_help"))
    sources = {source: ui.tr(f"layers_conv_source_{source}") for source in (*convolution.SAMPLE_SOURCES, "upload")}
    left, right = st.columns(2)
    source = left.radio(ui.tr("layers_conv_image"), list(sources), format_func=sources.get, horizontal=True, key="inside_conv_source")
    if source == "upload":
        upload = left.file_uploader(ui.tr("predict_upload_label"), key="inside_conv_upload")
        if upload is None:
            return
        try:
            image = convolution.uploaded_image(upload.getvalue())
        except TranslatableError as error:
            left.error(ui.error_text(error))
            return
    else:
        index = left.number_input(ui.tr("layers_conv_index"), min_value=0, max_value=999, value=0, key="inside_conv_index")
        image = convolution.sample_image(source, index)
    presets = {name: ui.tr(f"layers_kernel_{name}") for name in (*convolution.KERNEL_PRESETS, "custom")}
    choice = right.selectbox(ui.tr("layers_conv_kernel"), list(presets), format_func=presets.get, key="inside_conv_kernel")
    padding = right.radio(ui.tr("layers_conv_padding"), convolution.PADDINGS, horizontal=True, key="inside_conv_padding", help=ui.tr("layers_conv_padding_help"))
    if choice == "custom":
        import pandas

        start = pandas.DataFrame(convolution.preset("sharpen"), columns=["1", "2", "3"])
        edited = right.data_editor(start, hide_index=True, key="inside_conv_editor", num_rows="fixed")
        try:
            kernel = convolution.check_kernel(edited)
        except TranslatableError as error:
            right.error(ui.error_text(error))
            return
    else:
        kernel = convolution.preset(choice)
        right.dataframe([[f"{value:.3g}" for value in row] for row in kernel], hide_index=True)
    output = convolution.correlate(image, kernel, padding)
    rows, columns = output.shape
    row = st.slider(ui.tr("layers_conv_row"), 0, rows - 1, rows // 2, key="inside_conv_row")
    column = st.slider(ui.tr("layers_conv_column"), 0, columns - 1, columns // 2, key="inside_conv_column")
    step = convolution.window(image, kernel, row, column, padding)
    scale = max(4, 256 // max(output.shape))
    pictures = st.columns(2)
    pictures[0].image(convolution.highlight(convolution.padded(image, padding), row, column, convolution.KERNEL_SIZE, scale), caption=ui.tr("layers_conv_input", shape=layers.shape_text(image.shape)))
    pictures[1].image(convolution.highlight(convolution.to_unit(output), row, column, 1, scale), caption=ui.tr("layers_conv_output", shape=layers.shape_text(output.shape)))
    st.markdown(ui.tr("layers_conv_products", row=row, column=column))
    st.dataframe([[f"{pixel:.2f} × {weight:.3g} = {product:.3f}" for pixel, weight, product in zip(*values)] for values in zip(step.pixels, kernel, step.products)], hide_index=True)
    st.success(ui.tr("layers_conv_sum", row=row, column=column, value=f"{step.total:.3f}"))


runs = inference.finished_runs()
run = loaded = None
if runs:
    run = ui.finished_run_choice("inside_run", runs)
    loaded = model_of(run)
else:
    st.info(ui.tr("layers_no_runs"))
titles = ["layers_tab_summary", "layers_tab_maps", "layers_tab_maximisation", "layers_tab_specialisation", "layers_tab_convolution"]
summary, maps, maximisation_panel, specialisation, convolution_panel = st.tabs([ui.tr(title) for title in titles])
with convolution_panel:
    convolution_tab()
with specialisation:
    specialisation_tab(runs)
if loaded is not None:
    with summary:
        summary_tab(loaded)
    with maps:
        feature_maps_tab(run, loaded)
    with maximisation_panel:
        maximisation_tab(run, loaded)
