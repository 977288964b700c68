"""Predict: a finished run's model on an uploaded image, a drawing or a test image."""
import numpy as np
import streamlit as st

from app import ui
from core import images, inference, pictures
from core.analysis import figures

st.title(ui.tr("predict_title"))

run = ui.finished_run_choice("predict_run", "predict")
ui.warm_model(run)  # The first prediction and its map traced before the upload.
model = ui.load_model_or_stop(run)

sources = {"upload": ui.tr("predict_upload"), "camera": ui.tr("predict_camera"), "test": ui.tr("predict_test_image")}
if model.preparation == "ink":  # Drawing makes sense for strokes, not for photographs.
    sources = {"upload": sources["upload"], "draw": ui.tr("predict_draw"), "camera": sources["camera"], "test": sources["test"]}
source = st.radio(ui.tr("predict_source"), list(sources), format_func=sources.get, horizontal=True, key="predict_source")


def prepare(data, name: str) -> None:
    """Add the prepared image to `inputs`, or show why it cannot be."""
    try:
        inputs.append((name, images.prepare(data, model.input_shape, model.preparation), None))
    except images.ImageError as error:
        st.error(f"{ui.plain(name)}: {ui.error_text(error)}")


inputs = []  # (name, PreparedImage, true label or None)
if source == "upload":
    uploads = st.file_uploader(ui.tr("predict_upload_label"), accept_multiple_files=True, key="predict_upload")
    for upload in uploads or []:
        prepare(upload.getvalue(), upload.name)
elif source == "camera":
    photo = st.camera_input(ui.tr("predict_camera_label"), key="predict_camera")
    if photo is not None:
        prepare(photo.getvalue(), ui.tr("predict_camera"))
elif source == "draw":
    drawn = ui.drawing("predict_canvas")
    if drawn is not None:
        prepare(drawn, ui.tr("predict_draw"))
else:
    evaluation = ui.cached_evaluation(run)
    index = st.number_input(ui.tr("predict_test_index"), min_value=0, max_value=len(evaluation["labels"]) - 1, value=0, key="predict_test_index")
    inputs.append((f"#{index}", images.PreparedImage(pixels=pictures.as_float(evaluation["images"][index])), model.class_names[evaluation["labels"][index]]))

if not inputs:
    st.stop()

all_probabilities = model.predict(np.stack([prepared.pixels for _, prepared, _ in inputs]))
for position, ((name, prepared, true_label), probabilities) in enumerate(zip(inputs, all_probabilities)):
    top = [(ui.name(name), probability) for name, probability in inference.top_classes(probabilities, model.class_names, 3)]
    left, middle, right = st.columns([1, 1, 2])
    left.image(pictures.enlarge(prepared.pixels, 168), caption=ui.tr("predict_as_seen", shape="×".join(map(str, model.input_shape))))
    for note in prepared.notes:
        left.caption(ui.tr(note))
    ui.answer_map(middle, run, model, prepared.pixels, 168)
    right.markdown(f"### {ui.tr('predict_answer', label=ui.plain(top[0][0]), probability=top[0][1])}")
    right.caption(ui.plain(name))
    if true_label is not None:
        right.caption(ui.tr("predict_true_label", label=ui.plain(ui.name(true_label))))
    right.plotly_chart(ui.local_numbers(figures.probability_bars(top, ui.tr("predict_probability"), ui.language())), key=f"predict_bars_{position}")
