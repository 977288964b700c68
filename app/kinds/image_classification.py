"""The views of image classification: the Run page's confusion matrix (a cell's images on a
click) and misclassified images; Compare's confusion matrices, their difference and one
image through every model."""
from __future__ import annotations

import streamlit as st

from app import ui
from app.kinds import images
from core import images as image_inputs
from core import inference, pictures
from core.analysis import compare, figures
from core.kinds.image_classification import analysis as classification

home_preview = images.image_preview
# Up to this many classes, the confusion matrix leaves room for the per-class scores beside it.
MATRIX_BESIDE_TABLE = 12


def show_cell(run, click, matrix, class_names: list[str], evaluation: dict) -> None:
    """The test images of one confusion cell: the one clicked, else the pair picked below."""
    points = (click or {}).get("selection", {}).get("points", []) if click else []
    cell_keys = (f"run_cell_true_{run.id}", f"run_cell_predicted_{run.id}")
    # The click names the cell by its index: the axes show translated, escaped names.
    cell = figures.clicked_cell(points[0], len(class_names)) if points else None
    if cell is not None:
        st.session_state[cell_keys[0]], st.session_state[cell_keys[1]] = class_names[cell[0]], class_names[cell[1]]
    if cell_keys[0] not in st.session_state:
        true_index, predicted_index = classification.most_confused_pair(matrix)
        st.session_state[cell_keys[0]], st.session_state[cell_keys[1]] = class_names[true_index], class_names[predicted_index]
    st.caption(ui.tr("run_cell_help"))
    columns = st.columns(2)
    true_name = columns[0].selectbox(ui.tr("label_true"), class_names, format_func=ui.name, key=cell_keys[0])
    predicted_name = columns[1].selectbox(ui.tr("label_predicted"), class_names, format_func=ui.name, key=cell_keys[1])
    members = classification.cell_members(evaluation["labels"], evaluation["predictions"], evaluation["probabilities"], class_names.index(true_name), class_names.index(predicted_name))
    count = int(matrix[class_names.index(true_name), class_names.index(predicted_name)])
    if count == 0:  # Not "0 test images ...:" over nothing.
        st.info(ui.tr("run_cell_empty_right" if true_name == predicted_name else "run_cell_empty", true=ui.plain(ui.name(true_name)), predicted=ui.plain(ui.name(predicted_name))))
        return
    st.write(ui.tr("run_cell_count", count=count, true=ui.plain(ui.name(true_name)), predicted=ui.plain(ui.name(predicted_name))))
    image_columns = st.columns(8)
    for position, index in enumerate(members):
        image_columns[position % 8].image(pictures.enlarge(evaluation["images"][index], 84), caption=ui.number(float(evaluation["probabilities"][index, class_names.index(predicted_name)]), ".0%"))


def confusion_view(run, class_names: list[str], evaluation: dict) -> None:
    """The confusion matrix, the per-class scores and the images of the cell clicked."""
    labels, predictions = evaluation["labels"], evaluation["predictions"]
    st.subheader(ui.tr("run_confusion"))
    matrix = classification.confusion(labels, predictions, len(class_names))
    # Many classes need the page's width for a readable matrix: the scores go below.
    left, right = st.columns([3, 2]) if len(class_names) <= MATRIX_BESIDE_TABLE else (st.container(), st.container())
    click = left.plotly_chart(
        ui.local_numbers(figures.confusion_heatmap(matrix, [ui.name(name) for name in class_names], {"predicted": ui.tr("label_predicted"), "true": ui.tr("label_true"), "hover": ui.tr("confusion_hover")})),
        key="confusion", on_select="rerun", selection_mode="points",
    )
    scores = classification.per_class_scores(labels, predictions, class_names)
    scores["class"] = scores["class"].map(ui.name)
    headers = {name: ui.tr(f"column_{name}") for name in ("precision", "recall", "f1", "support")}
    right.dataframe(scores, hide_index=True, column_config={"class": ui.tr("label_class"), **{name: st.column_config.NumberColumn(header, format="%.3f") for name, header in headers.items()}, "support": headers["support"]})
    show_cell(run, click, matrix, class_names, evaluation)


def run_views(run, project_views: tuple) -> None:
    try:
        evaluation = ui.cached_evaluation(run)
        class_names = inference.read_description(run.path)["class_names"]
    except (OSError, ValueError, KeyError) as error:
        st.error(ui.tr("run_eval_unreadable", error=ui.plain(error)))
        return
    labels, predictions, probabilities = evaluation["labels"], evaluation["predictions"], evaluation["probabilities"]
    if "confusion" in project_views:
        # A click on a cell (or a class picked) reruns this part alone, not the page's curves and images.
        ui.fragment()(confusion_view)(run, class_names, evaluation)
    if "misclassified" in project_views:
        wrong = classification.misclassified(labels, predictions, probabilities)
        if len(wrong) == 0:  # No heading over nothing.
            st.success(ui.tr("run_all_right", count=len(labels)))
        else:
            st.subheader(ui.tr("run_misclassified"))
        columns = st.columns(8)
        for position, index in enumerate(wrong):
            columns[position % 8].image(
                pictures.enlarge(evaluation["images"][index], 84),
                caption=ui.tr("run_mistake_caption", true=ui.name(class_names[labels[index]]), predicted=ui.name(class_names[predictions[index]]), confidence=float(probabilities[index, predictions[index]])),
            )


def confusion_section(comparison) -> None:
    runs, names = comparison.runs, comparison.names
    st.subheader(ui.tr("compare_confusions"))
    confusions = compare.confusion_matrices(runs)
    labels = {"predicted": ui.tr("label_predicted"), "true": ui.tr("label_true"), "hover": ui.tr("confusion_hover")}
    for column, name, confusion in zip(images.grid(len(runs)), names, confusions):
        column.caption(name)
        column.plotly_chart(ui.local_numbers(compare.confusion_figure(confusion, labels, [ui.name(name) for name in confusion.class_names])), key=f"compare_confusion_{confusion.run.id}")

    st.subheader(ui.tr("compare_difference"))
    positions = list(range(len(runs)))
    # The choices depend on the runs picked: a new pick starts from #1 and #2 again.
    left, right = st.columns(2)
    first = left.selectbox(ui.tr("compare_difference_a"), positions, index=0, format_func=names.__getitem__, key=f"compare_difference_a_{comparison.key}")
    second = right.selectbox(ui.tr("compare_difference_b"), positions, index=1, format_func=names.__getitem__, key=f"compare_difference_b_{comparison.key}")
    if first == second:
        st.info(ui.tr("compare_difference_same"))
        return
    try:
        difference = compare.confusion_difference(confusions[first], confusions[second])
    except compare.ComparisonError as error:
        st.warning(ui.error_text(error))
        return
    st.caption(ui.tr("compare_difference_caption"))
    labels["hover"] = ui.tr("compare_difference_hover")
    st.plotly_chart(ui.local_numbers(compare.difference_heatmap(difference, [ui.name(name) for name in confusions[first].class_names], labels)), key="compare_difference")


def image_section(comparison) -> None:
    runs, names = comparison.runs, comparison.names
    st.subheader(ui.tr("compare_same_image"))
    sources = {"test": ui.tr("compare_source_test"), "upload": ui.tr("compare_source_upload")}
    if compare.same_inputs(runs):
        source = st.radio(ui.tr("compare_source"), list(sources), format_func=sources.get, horizontal=True, key="compare_source")
    else:
        st.caption(ui.tr("compare_upload_only"))
        source = "upload"
    true_label = None
    if source == "upload":
        upload = st.file_uploader(ui.tr("compare_upload_label"), key="compare_upload")
        if upload is None:
            return
        image = upload.getvalue()
    else:
        evaluation = ui.cached_evaluation(runs[0])
        test_images, test_labels, class_names = evaluation["images"], evaluation["labels"], ui.cached_model(runs[0]).class_names
        index = st.number_input(ui.tr("compare_test_index"), min_value=0, max_value=len(test_labels) - 1, value=0, key="compare_test_index")
        image = compare.evaluation_input(test_images[index])
        true_label = class_names[test_labels[index]]
    try:
        with st.spinner(ui.tr("compare_loading")):
            predictions = compare.predict_everywhere(image, runs, load_model=ui.cached_model)
    except image_inputs.ImageError as error:
        st.error(ui.error_text(error))
        return
    except (OSError, ValueError, KeyError) as error:
        st.error(ui.tr("compare_model_error", error=ui.plain(error)))
        return
    if true_label is not None:
        st.caption(ui.tr("compare_true_label", label=ui.plain(ui.name(true_label))))
    for column, name, prediction in zip(images.grid(len(predictions)), names, predictions):
        best = int(prediction.probabilities.argmax())
        column.markdown(ui.tr("compare_answer", run=name, label=ui.plain(ui.name(prediction.class_names[best])), probability=float(prediction.probabilities[best])))
        column.image(pictures.enlarge(prediction.prepared.pixels, 112), caption=ui.tr("compare_as_seen", shape="×".join(map(str, prediction.prepared.pixels.shape))))
        for note in prediction.prepared.notes:
            column.caption(ui.tr(note))
        ui.answer_map(column, prediction.run, ui.cached_model(prediction.run), prediction.prepared.pixels)
        top = [(ui.name(name), probability) for name, probability in inference.top_classes(prediction.probabilities, prediction.class_names, 5)]
        column.plotly_chart(ui.local_numbers(figures.probability_bars(top, ui.tr("compare_probability"), ui.language())), key=f"compare_bars_{prediction.run.id}")


compare_sections = (confusion_section, image_section)
