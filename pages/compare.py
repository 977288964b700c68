"""Compare: 2 to 6 finished runs side by side (metrics, curves, confusion, one image through all)."""
import streamlit as st

from app import ui
from core import images, inference
from core.analysis import compare, figures

PER_ROW = 3

st.title(ui.tr("compare_title"))
st.caption(ui.tr("compare_intro"))

finished = inference.finished_runs()
if len(finished) < compare.MINIMUM_RUNS:
    st.info(ui.tr("compare_no_runs"))
    st.stop()

by_id = {run.id: run for run in finished}
# A link can preselect runs: ?runs=id1,id2
wanted = list(dict.fromkeys(run_id for run_id in (st.query_params.get("runs") or "").split(",") if run_id))
not_offered = [run_id for run_id in wanted if run_id not in by_id]
if not_offered:
    st.warning(ui.tr("compare_not_offered", runs=", ".join(not_offered)))
chosen = st.multiselect(
    ui.tr("compare_choose"), list(by_id),
    default=[run_id for run_id in wanted if run_id in by_id][: compare.MAXIMUM_RUNS],
    format_func=lambda run_id: ui.run_label(by_id[run_id]),
    max_selections=compare.MAXIMUM_RUNS, key="compare_runs",
)
if len(chosen) < compare.MINIMUM_RUNS:
    st.info(ui.tr("compare_pick"))
    st.stop()
runs = [by_id[run_id] for run_id in chosen]
try:
    compare.check_comparable(runs)
except compare.ComparisonError as error:
    st.error(ui.error_text(error))
    st.stop()
names = compare.run_names(runs)


def grid(count: int) -> list:
    """One column per item, PER_ROW items a row (six heatmaps in one row are unreadable)."""
    columns = []
    for _ in range(0, count, PER_ROW):
        columns += st.columns(PER_ROW)
    return columns[:count]


def metrics_section() -> None:
    st.subheader(ui.tr("compare_metrics"))
    table = compare.metrics_table(runs)
    headers = {column: ui.tr(f"compare_column_{column}") for column in compare.COLUMNS}
    # The grid draws a missing raw value as "None" whatever the Styler says: say "–" here too.
    st.dataframe(compare.styled_table(table, headers), hide_index=True, placeholder="–")
    st.caption(ui.tr("compare_metrics_caption"))


def curves_section() -> None:
    st.subheader(ui.tr("compare_curves"))
    metrics = {"accuracy": ui.tr("curve_accuracy"), "loss": ui.tr("curve_loss")}
    splits = {"validation": ui.tr("split_validation"), "train": ui.tr("split_train")}
    left, right = st.columns(2)
    metric = left.radio(ui.tr("compare_curve_metric"), list(metrics), format_func=metrics.get, horizontal=True, key="compare_curve_metric")
    split = right.radio(ui.tr("compare_curve_split"), list(splits), format_func=splits.get, horizontal=True, key="compare_curve_split")
    figure = compare.overlaid_curves(runs, metric, split, {"epoch": ui.tr("curve_epoch"), "value": metrics[metric]})
    st.plotly_chart(figure, key="compare_curves")


def confusion_section() -> None:
    st.subheader(ui.tr("compare_confusions"))
    confusions = compare.confusion_matrices(runs)
    labels = {"predicted": ui.tr("label_predicted"), "true": ui.tr("label_true"), "hover": ui.tr("confusion_hover")}
    for column, name, confusion in zip(grid(len(runs)), names, confusions):
        column.caption(name)
        column.plotly_chart(figures.confusion_heatmap(confusion.matrix, confusion.class_names, labels, compact=True), key=f"compare_confusion_{confusion.run.id}")

    st.subheader(ui.tr("compare_difference"))
    positions = list(range(len(runs)))
    # The choices depend on the runs picked: a new pick starts from #1 and #2 again.
    picked = "-".join(chosen)
    left, right = st.columns(2)
    first = left.selectbox(ui.tr("compare_difference_a"), positions, index=0, format_func=names.__getitem__, key=f"compare_difference_a_{picked}")
    second = right.selectbox(ui.tr("compare_difference_b"), positions, index=1, format_func=names.__getitem__, key=f"compare_difference_b_{picked}")
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
    st.plotly_chart(compare.difference_heatmap(difference, confusions[first].class_names, labels), key="compare_difference")


def image_section() -> None:
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
        evaluation = ui.cached_predictions(runs[0])
        test_images, test_labels, class_names = evaluation["images"], evaluation["labels"], ui.cached_model(runs[0]).class_names
        index = st.number_input(ui.tr("compare_test_index"), min_value=0, max_value=len(test_labels) - 1, value=0, key="compare_test_index")
        image = compare.evaluation_input(test_images[index])
        true_label = class_names[test_labels[index]]
    try:
        with st.spinner(ui.tr("compare_loading")):
            predictions = compare.predict_everywhere(image, runs, load_model=ui.cached_model)
    except images.ImageError as error:
        st.error(ui.error_text(error))
        return
    except (OSError, ValueError, KeyError) as error:
        st.error(ui.tr("compare_model_error", error=error))
        return
    if true_label is not None:
        st.caption(ui.tr("compare_true_label", label=true_label))
    for column, name, prediction in zip(grid(len(predictions)), names, predictions):
        best = int(prediction.probabilities.argmax())
        column.markdown(ui.tr("compare_answer", run=name, label=prediction.class_names[best], probability=float(prediction.probabilities[best])))
        column.image(figures.enlarge(prediction.prepared.pixels, 112), caption=ui.tr("compare_as_seen", shape="×".join(map(str, prediction.prepared.pixels.shape))))
        for note in prediction.prepared.notes:
            column.caption(ui.tr(note))
        ui.answer_map(column, prediction.run, ui.cached_model(prediction.run), prediction.prepared.pixels)
        top = inference.top_classes(prediction.probabilities, prediction.class_names, 5)
        column.plotly_chart(figures.probability_bars(top, ui.tr("compare_probability")), key=f"compare_bars_{prediction.run.id}")


# A damaged file in one run stops only the section that reads it.
for section in (metrics_section, curves_section, confusion_section, image_section):
    try:
        section()
    except (OSError, ValueError, KeyError) as error:
        st.error(ui.tr("compare_unreadable", error=error))
