"""Compare: 2 to 6 finished runs of one kind of task side by side: metrics and curves, then
for classifiers the confusion matrices and one image through all, for generative models
their samples, for anomaly detectors their ROC curves and the same test image through all."""
import streamlit as st

from app import ui
from core import generation, images, inference
from core.analysis import anomaly as scoring
from core.analysis import compare, figures
from core.analysis import generation as generation_views

PER_ROW = 3

st.title(ui.tr("compare_title"))
st.caption(ui.tr("compare_intro"))

finished = inference.finished_runs(tasks=compare.TASKS)
if len(finished) < compare.MINIMUM_RUNS:
    st.info(ui.tr("compare_no_runs"))
    st.stop()

by_id = {run.id: run for run in finished}
task_of = {run.id: inference.run_task(run) for run in finished}
# A link can preselect runs: ?runs=id1,id2; the first one found decides the kind of task.
wanted = list(dict.fromkeys(run_id for run_id in (st.query_params.get("runs") or "").split(",") if run_id))
tasks = [task for task in compare.TASKS if task in task_of.values()]
linked = next((task_of[run_id] for run_id in wanted if run_id in by_id), tasks[0])


def forget_choices() -> None:
    """Another kind of task: the runs and curves picked for the last one mean nothing here."""
    for key in ("compare_runs", "compare_curve_metric"):
        st.session_state.pop(key, None)


task = linked
if len(tasks) > 1:
    task = st.radio(ui.tr("compare_task"), tasks, index=tasks.index(linked), format_func=lambda name: ui.tr(f"task_{name}"), horizontal=True, key="compare_task", on_change=forget_choices)
offered = {run_id: run for run_id, run in by_id.items() if task_of[run_id] == task}
not_offered = [run_id for run_id in wanted if run_id not in offered]
if not_offered:
    st.warning(ui.tr("compare_not_offered", runs=", ".join(not_offered)))
chosen = st.multiselect(
    ui.tr("compare_choose"), list(offered),
    default=[run_id for run_id in wanted if run_id in offered][: compare.MAXIMUM_RUNS],
    format_func=lambda run_id: ui.run_label(offered[run_id]),
    max_selections=compare.MAXIMUM_RUNS, key="compare_runs",
)
if len(chosen) < compare.MINIMUM_RUNS:
    st.info(ui.tr("compare_pick"))
    st.stop()
runs = [offered[run_id] for run_id in chosen]
try:
    compare.check_comparable(runs)
except compare.ComparisonError as error:
    st.error(ui.error_text(error))
    st.stop()
names = compare.run_names(runs)


def label(prefix: str, name: str) -> str:
    """A translated column or curve name, the raw name when there is none."""
    return ui.tr(f"{prefix}{name}") if ui.has_text(f"{prefix}{name}") else name


def grid(count: int) -> list:
    """One column per item, PER_ROW items a row (six heatmaps in one row are unreadable)."""
    columns = []
    for _ in range(0, count, PER_ROW):
        columns += st.columns(PER_ROW)
    return columns[:count]


def metrics_section() -> None:
    st.subheader(ui.tr("compare_metrics"))
    table = compare.metrics_table(runs)
    headers = {column: label("compare_column_", column) for column in table.columns}
    # The grid draws a missing raw value as "None" whatever the Styler says: say "–" here too.
    st.dataframe(compare.styled_table(table, headers, compare.best_directions(runs)), hide_index=True, placeholder="–")
    st.caption(ui.tr("compare_metrics_caption"))


def curves_section() -> None:
    st.subheader(ui.tr("compare_curves"))
    # The headline curve first: accuracy for a classifier, the loss otherwise.
    metrics = {name: label("curve_", name) for name in sorted(compare.curve_names(runs), key=lambda name: name != "accuracy")}
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


def samples_section() -> None:
    st.subheader(ui.tr("compare_samples"))
    left, right = st.columns(2)
    per_class = left.number_input(ui.tr("generate_per_class"), min_value=1, max_value=10, value=3, key="compare_per_class")
    seed = right.number_input(ui.tr("generate_seed"), min_value=0, max_value=2**31 - 1, value=0, key="compare_seed")
    st.caption(ui.tr("compare_samples_caption"))
    for column, name, run in zip(grid(len(runs)), names, runs):
        loaded = ui.cached_model(run)
        column.markdown(f"**{name}**")
        column.image(generation_views.grid_picture(generation.sample_grid(loaded, int(per_class), int(seed)), cell=40))
        column.caption(", ".join(loaded.class_names) if generation.is_conditional_model(loaded) else ui.tr("compare_samples_vae"))


def detection_section() -> None:
    scored = [ui.cached_scores(run) for run in runs]
    st.subheader(ui.tr("compare_roc"))
    titles = {"false_positive_rate": ui.tr("anomaly_false_positive_rate"), "true_positive_rate": ui.tr("anomaly_true_positive_rate"), "chance": ui.tr("anomaly_chance")}
    curves = compare.image_roc_by_run(names, scored)
    if curves:
        st.plotly_chart(scoring.roc_figure(curves, titles), key="compare_roc")
    table = compare.per_defect_table(names, scored, ui.tr("anomaly_all_defects"))
    st.caption(ui.tr("compare_per_defect"))
    st.dataframe(compare.styled_per_defect(table), placeholder="–")

    st.subheader(ui.tr("compare_same_test_image"))
    if not compare.same_test_images(scored):
        st.info(ui.tr("compare_other_test_images"))
        return
    defect_types = [str(kind) for kind in scored[0]["defect_types"]]
    kinds = list(dict.fromkeys(defect_types))
    settings = st.columns(3)
    # Other runs may have other kinds: a new pick starts from all of them.
    kind = settings[0].selectbox(ui.tr("anomaly_kind"), ["", *kinds], format_func=lambda name: name or ui.tr("anomaly_all_kinds"), key=f"compare_anomaly_kind_{'-'.join(chosen)}")
    among = [index for index, name in enumerate(defect_types) if not kind or name == kind]
    position = settings[1].number_input(ui.tr("compare_kind_position", count=len(among)), min_value=0, max_value=len(among) - 1, value=0, key=f"compare_anomaly_index_{'-'.join(chosen)}_{kind}")
    opacity = settings[2].slider(ui.tr("explain_opacity"), 0.0, 1.0, 0.5, step=0.05, key="compare_anomaly_opacity")
    index = among[int(position)]
    st.image(figures.enlarge(scored[0]["images"][index], 160), caption=ui.tr("anomaly_input", index=index, kind=defect_types[index]), width=160)
    st.caption(ui.tr("compare_detection_caption"))
    verdicts = {True: ui.tr("compare_flagged"), False: ui.tr("compare_passed"), None: "–"}
    for column, name, found in zip(grid(len(runs)), names, compare.detections(runs, scored, index, opacity)):
        column.markdown(f"**{name}**")
        column.image([figures.enlarge(found.reconstruction, 128), figures.enlarge(found.overlay, 128)], caption=[ui.tr("anomaly_reconstruction"), ui.tr("compare_error_map")], width=128)
        column.caption(ui.tr("compare_detection", score=found.score, verdict=verdicts[found.flagged]))


SECTIONS = {
    "image_classification": (metrics_section, curves_section, confusion_section, image_section),
    "generation": (metrics_section, curves_section, samples_section),
    "anomaly_detection": (metrics_section, curves_section, detection_section),
}
# A damaged file in one run stops only the section that reads it.
for section in SECTIONS[task]:
    try:
        section()
    except (OSError, ValueError, KeyError) as error:
        st.error(ui.tr("compare_unreadable", error=error))
