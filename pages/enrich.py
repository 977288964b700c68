"""Enrich: add your own images to a trained model's classes, see the variants made from
each, how the model does on them, and retrain with them added (course 001, tasks 9-10)."""
import streamlit as st

from app import ui
from core import enrichment, images, inference, pictures
from core.projects import get_project
from core.runs import queue

st.title(ui.tr("enrich_title"))
st.caption(ui.tr("enrich_intro"))

run = ui.finished_run_choice("enrich_run", "enrich")
model = ui.load_model_or_stop(run)

folder = enrichment.set_folder(run.id)
channels = model.input_shape[-1]

st.subheader(ui.tr("enrich_add"))
columns = st.columns([1, 2])
class_name = columns[0].selectbox(ui.tr("enrich_class"), model.class_names, format_func=ui.name, key="enrich_class")
with columns[1]:
    uploads = st.file_uploader(ui.tr("predict_upload_label"), accept_multiple_files=True, key=f"enrich_upload_{run.id}")
    # Strokes can be drawn; photographs cannot.
    drawn = ui.drawing(f"enrich_canvas_{run.id}") if model.preparation == "ink" and st.toggle(ui.tr("enrich_draw"), key="enrich_draw") else None
sources_to_add = [(upload.name, upload.getvalue()) for upload in uploads or []]
if drawn is not None:
    sources_to_add.append((ui.tr("predict_draw"), drawn))
if st.button(ui.tr("enrich_add_button"), key="enrich_add_button", disabled=not sources_to_add):
    added = 0
    for name, data in sources_to_add:
        try:
            prepared = images.prepare(data, model.input_shape, model.preparation)
        except images.ImageError as error:
            st.error(f"{ui.plain(name)}: {ui.error_text(error)}")
        else:
            enrichment.add_image(folder, model.class_names.index(class_name), prepared.pixels)
            added += 1
    if added:
        st.success(ui.tr("enrich_added", count=added, name=ui.plain(ui.name(class_name))))

found = enrichment.sources(folder, channels)
if not found:
    st.info(ui.tr("enrich_empty"))
    st.stop()

enriched = enrichment.expand(found)
results = enrichment.evaluate(model, enriched, model.class_names)
description = inference.read_description(run.path)
train_size = description.get("train_size")
summary = st.columns(4)
summary[0].metric(ui.tr("enrich_sources"), len(found))
summary[1].metric(ui.tr("enrich_with_variants"), len(enriched.labels))
if train_size is not None:
    summary[2].metric(ui.tr("enrich_train_before"), ui.number(train_size, ","))
    summary[3].metric(ui.tr("enrich_train_after"), ui.number(train_size + len(enriched.labels), ","), delta=f"+{len(enriched.labels)}")
originals = results[results["variant"] == "original"]
st.write(ui.tr("enrich_accuracy", sources=float(originals["correct"].mean()), variants=float(results["correct"].mean())))

st.subheader(ui.tr("enrich_variants"))
variant_count = len(enrichment.VARIANTS)
for number, source in enumerate(found):
    rows = results[results["source"] == number + 1]
    header = st.columns([4, 1])
    says = ui.tr("enrich_model_says", predicted=ui.plain(ui.name(rows.iloc[0]["predicted"])), confidence=float(rows.iloc[0]["confidence"]))
    header[0].markdown(f"**{number + 1}. {ui.plain(ui.name(model.class_names[source.class_index]))}** · {says}")
    if header[1].button(ui.tr("enrich_remove"), key=f"enrich_remove_{source.path.parent.name}_{source.path.stem}"):
        enrichment.remove_image(source.path)
        st.rerun()
    cells = st.columns(variant_count)
    for cell, (_, row), pixels in zip(cells, rows.iterrows(), enriched.images[enriched.source_numbers == number]):
        mark = "✓" if row["correct"] else "✗"
        variant = ui.tr(f"variant_{row['variant']}") if ui.has_text(f"variant_{row['variant']}") else row["variant"].replace("_", " ")
        cell.image(pictures.enlarge(pixels, 72), caption=f"{variant} {mark} {ui.name(row['predicted'])}")

st.subheader(ui.tr("enrich_retrain"))
st.caption(ui.tr("enrich_retrain_help"))
if st.button(ui.tr("enrich_retrain_button"), key="enrich_retrain", type="primary"):
    fields = {spec.name for spec in get_project(run.project).fields_for(run.dataset)}
    if "enrichment" not in fields:
        st.error(ui.tr("enrich_not_supported", project=ui.plain(run.project)))
    else:
        hyperparameters = {**run.params.get("hyperparameters", {}), "enrichment": str(folder)}
        try:
            new_run = queue.submit(run.project, run.dataset, run.model, run.backend, hyperparameters)
        except ValueError as error:
            st.error(ui.tr("train_error", error=ui.error_text(error)))
        else:
            ui.open_run(new_run)
