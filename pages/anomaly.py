"""Anomalies: an anomaly-detection run's test images with their reconstructions and error
heatmaps, the score threshold and what it catches, and the ROC curves."""
import numpy as np
import pandas
import streamlit as st

from app import ui
from core import inference, pictures
from core.data.anomaly import defect_labels
from core.kinds.anomaly_detection import analysis as scoring

IMAGES_PER_PAGE = 6


st.title(ui.tr("page_anomaly"))
st.caption(ui.tr("anomaly_intro"))
# A link (the Run page's button, a reload) names its run: the picker starts on it.
if st.query_params.get("run") and "anomaly_run" not in st.session_state:
    st.session_state["selected_run"] = st.query_params["run"]
run = ui.finished_run_choice("anomaly_run", "anomaly", empty="anomaly_no_runs")
st.query_params["run"] = run.id
try:
    scored = ui.cached_evaluation(run)
except OSError:
    st.error(ui.tr("anomaly_no_scores"))
    st.stop()
results = run.status.get("results") or {}
defect_types = [str(kind) for kind in scored["defect_types"]]
labels = defect_labels(scored["defect_types"])
columns = st.columns(4)  # Two counts, not "75 (45 défectueuses)" clipped in one metric.
columns[0].metric(ui.tr("metric_image_auroc"), ui.number(results["image_auroc"], ".3f") if "image_auroc" in results else "–")
columns[1].metric(ui.tr("metric_pixel_auroc"), ui.number(results["pixel_auroc"], ".3f") if "pixel_auroc" in results else "–")
columns[2].metric(ui.tr("anomaly_test_images"), ui.number(len(labels), ","))
columns[3].metric(ui.tr("anomaly_defective_count"), ui.number(int(labels.sum()), ","), help=ui.tr("anomaly_defective_count_help"))
for warning in run.status.get("warnings", []):
    st.warning(ui.plain(warning))
for key, values in scoring.run_warnings(results, inference.read_description(run.path).get("train_size")):
    st.warning(ui.tr(key, **values))

images_tab, threshold_tab, roc_tab = st.tabs([ui.tr("anomaly_tab_images"), ui.tr("anomaly_tab_threshold"), ui.tr("anomaly_tab_roc")])

with images_tab:
    kinds = list(dict.fromkeys(defect_types))
    settings = st.columns(3)
    kind = settings[0].selectbox(ui.tr("anomaly_kind"), ["", *kinds], format_func=lambda name: ui.name(name) if name else ui.tr("anomaly_all_kinds"), key=f"anomaly_kind_{run.id}")
    chosen = scoring.display_order(defect_types, scored["scores"], kind)
    start = settings[1].number_input(ui.tr("anomaly_from"), min_value=0, max_value=max(0, len(chosen) - 1), value=0, step=IMAGES_PER_PAGE, key=f"anomaly_from_{run.id}_{kind}")
    opacity = settings[2].slider(ui.tr("explain_opacity"), 0.0, 1.0, 0.5, step=0.05, key="anomaly_opacity")
    scale = scoring.map_scale(scored["maps"])
    st.caption(ui.tr("anomaly_order"))
    for index in chosen[int(start) : int(start) + IMAGES_PER_PAGE]:
        shown = [
            (pictures.enlarge(scored["images"][index], 160), ui.tr("anomaly_input", index=index, kind=ui.name(defect_types[index]))),
            (pictures.enlarge(scored["reconstructions"][index], 160), ui.tr("anomaly_reconstruction")),
            (scoring.scored_overlay(scored, index, opacity, scale, size=160), ui.tr("anomaly_heatmap", score=float(scored["scores"][index]))),
        ]
        for column, (picture, caption) in zip(st.columns(3), shown):
            column.image(picture, caption=caption, width=160)

@ui.fragment()
def threshold_view() -> None:
    """The threshold and what it catches: a slider move reruns this part alone, not the images."""
    scores = scored["scores"].astype(np.float64)
    low, high = float(scores.min()), float(scores.max())
    if not labels.any() or labels.all():
        st.info(ui.tr("anomaly_threshold_undefined"))
    elif high <= low:
        st.info(ui.tr("anomaly_scores_equal", score=low))
    else:
        default = scoring.threshold_percent(scores, scoring.default_threshold(labels, scores))
        percent = st.slider(ui.tr("anomaly_threshold_position"), 0.0, 100.0, default, step=100.0 / (len(scores) - 1), format="%.1f%%", key=f"anomaly_threshold_{run.id}", help=ui.tr("anomaly_threshold_position_help"))
        threshold = scoring.threshold_at(scores, percent)
        report = scoring.threshold_report(labels, scores, threshold)
        columns = st.columns(4)
        columns[0].metric(ui.tr("anomaly_threshold"), ui.number(threshold, ".5f"))
        for column, name in zip(columns[1:], ("precision", "recall", "f1")):
            column.metric(ui.tr(f"anomaly_{name}"), ui.number(report[name], ".3f"))
        titles = {"good": ui.tr("anomaly_good"), "defective": ui.tr("anomaly_defective"), "threshold": ui.tr("anomaly_threshold"), "score": ui.tr("anomaly_score"), "count": ui.tr("anomaly_count")}
        st.plotly_chart(ui.local_numbers(scoring.score_histogram(labels, scores, threshold, titles)), key="anomaly_histogram")
        rows = [ui.tr("anomaly_true_good"), ui.tr("anomaly_true_defective")]
        st.dataframe(pandas.DataFrame(report["confusion"], index=rows, columns=[ui.tr("anomaly_predicted_good"), ui.tr("anomaly_predicted_defective")]))

with threshold_tab:
    threshold_view()

with roc_tab:
    titles = {"false_positive_rate": ui.tr("anomaly_false_positive_rate"), "true_positive_rate": ui.tr("anomaly_true_positive_rate"), "chance": ui.tr("anomaly_chance")}
    curves = scoring.image_curves(defect_types, scored["scores"], ui.tr("anomaly_all_defects"))
    if not curves:
        st.info(ui.tr("anomaly_threshold_undefined"))
    else:
        st.subheader(ui.tr("anomaly_image_roc"))
        st.plotly_chart(ui.local_numbers(scoring.roc_figure(curves, titles, ui.language())), key="anomaly_image_roc")
    pixels = ui.cached_pixel_roc(run)
    if pixels is not None:
        st.subheader(ui.tr("anomaly_pixel_roc"))
        st.plotly_chart(ui.local_numbers(scoring.roc_figure({ui.tr("anomaly_pixels"): pixels}, titles, ui.language())), key="anomaly_pixel_roc")
