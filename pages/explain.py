"""Explain: where a finished run's model looks, as maps over its input (GradCAM++ and friends)."""
import numpy as np
import streamlit as st

from app import ui
from core import explanations, images, inspection, pictures
from core.i18n import TranslatableError

PER_ROW = 4

st.title(ui.tr("explain_title"))
run = ui.finished_run_choice("explain_run", "explain")
ui.warm_model(run)  # Its traces (Predict's map, Inside's maximisation) paid in the background.
model = ui.load_model_or_stop(run)

settings, view = st.columns([1, 3])
with settings:
    method = ui.explanation_method_choice(model, "explain_method")
    if method is None:
        st.stop()
    layer = None
    if explanations.METHODS[method].needs_convolution:
        layers = explanations.spatial_layers(model)
        default = layers.index(inspection.last_convolution(model))
        layer = st.selectbox(ui.tr("explain_layer"), layers, index=default, help=ui.tr("explain_layer_help"), key=f"explain_layer_{run.id}")
    sources = {name: ui.tr(f"explain_images_{name}") for name in ("test", "misclassified", "upload")}
    source = st.radio(ui.tr("explain_images"), list(sources), format_func=sources.get, key="explain_source")
    class_choices = {name: ui.tr(f"explain_class_{name}") for name in ("predicted", "true", "any")}
    if source == "upload":
        class_choices.pop("true")  # An upload has no known class.
    class_choice = st.radio(ui.tr("explain_class_choice"), list(class_choices), format_func=class_choices.get, key="explain_class_choice")
    chosen_class = None
    if class_choice == "any":
        chosen_class = st.selectbox(ui.tr("explain_class"), range(len(model.class_names)), format_func=lambda index: ui.name(model.class_names[index]), key="explain_class")
    opacity = st.slider(ui.tr("explain_opacity"), 0.0, 1.0, 0.5, 0.05, key="explain_opacity")

inputs, names, true_labels = [], [], []
with settings:
    if source == "upload":
        for upload in st.file_uploader(ui.tr("explain_upload_label"), accept_multiple_files=True, key="explain_upload") or []:
            try:
                inputs.append(images.prepare(upload.getvalue(), model.input_shape, model.preparation).pixels)
                names.append(upload.name)
            except images.ImageError as error:
                st.error(f"{ui.plain(upload.name)}: {ui.error_text(error)}")
    else:
        try:
            evaluation = ui.cached_evaluation(run)
        except (OSError, LookupError):  # Deleted since the page listed it.
            ui.run_not_found(run.id)
            st.stop()
        count = st.slider(ui.tr("explain_count"), 1, 16, 8, key="explain_count")
        start = st.number_input(ui.tr("explain_start"), 0, max(0, len(evaluation["labels"]) - 1), 0, key="explain_start")
        indices = explanations.test_image_indices(evaluation["labels"], evaluation["predictions"], source == "misclassified", count, int(start))
        if source == "misclassified" and not len(indices):
            st.info(ui.tr("explain_no_misclassified"))
        inputs = list(pictures.as_float(evaluation["images"][indices]))
        names = [f"#{index}" for index in indices]
        true_labels = evaluation["labels"][indices].tolist()
if not inputs:
    st.stop()

classes = None
if class_choice == "true":
    classes = true_labels
elif class_choice == "any":
    classes = [chosen_class] * len(inputs)
with view, st.spinner(ui.tr(explanations.METHODS[method].title)):
    try:
        result = ui.explanation(run, np.stack(inputs), method, layer, classes)
    except TranslatableError as error:
        st.error(ui.error_text(error))
        st.stop()
    except (OSError, LookupError):  # Deleted since the page listed it.
        ui.run_not_found(run.id)
        st.stop()
    st.caption(ui.tr("explain_reading"))
    columns = []
    for position, (name, image, explanation_map) in enumerate(zip(names, inputs, result.maps)):
        if position % PER_ROW == 0:
            columns = st.columns(PER_ROW)
        probabilities = result.probabilities[position]
        predicted = int(probabilities.argmax())
        caption = ui.tr("explain_caption", name=name, predicted=ui.name(model.class_names[predicted]), probability=float(probabilities[predicted]), explained=ui.name(model.class_names[result.class_indices[position]]))
        if true_labels:
            caption += " · " + ui.tr("explain_caption_true", label=ui.name(model.class_names[true_labels[position]]))
        columns[position % PER_ROW].image(pictures.enlarge(explanations.overlay(image, explanation_map, opacity), 192), caption=caption)
