"""The views of anomaly detection: Compare's ROC curves of every run, the AUROC of each
defect type, and the same test image through every detector. (Its own page, Anomalies,
shows one run in depth.)"""
from __future__ import annotations

import streamlit as st

from app import ui
from app.kinds import images
from core import pictures
from core.analysis import compare
from core.kinds.anomaly_detection import analysis as scoring

home_preview = images.image_preview


def run_views(run, project_views: tuple) -> None:
    """What the test results hide (a score worse than chance, too few training images) and
    a way to the Anomalies page, its in-depth view."""
    from core import inference

    train_size = inference.read_description(run.path).get("train_size")
    for key, values in scoring.run_warnings(run.status.get("results") or {}, train_size):
        st.warning(ui.tr(key, **values))
    if st.button(ui.tr("run_open_anomaly"), key="run_open_anomaly"):
        st.session_state["selected_run"] = run.id
        st.session_state.pop("anomaly_run", None)  # Its picker then starts on this run.
        ui.switch_page("anomaly", run=run.id)


def detection_section(comparison) -> None:
    runs, names = comparison.runs, comparison.names
    scored = [ui.cached_evaluation(run) for run in runs]
    st.subheader(ui.tr("compare_roc"))
    titles = {"false_positive_rate": ui.tr("anomaly_false_positive_rate"), "true_positive_rate": ui.tr("anomaly_true_positive_rate"), "chance": ui.tr("anomaly_chance")}
    curves = compare.image_roc_by_run(names, scored)
    if curves:
        st.plotly_chart(ui.local_numbers(scoring.roc_figure(curves, titles, ui.language())), key="compare_roc")
    table = compare.per_defect_table(names, scored, ui.tr("anomaly_all_defects"))
    st.caption(ui.tr("compare_per_defect"))
    st.dataframe(compare.styled_per_defect(table), placeholder="–")

    st.subheader(ui.tr("compare_same_test_image"))
    if not compare.same_test_images(scored):
        st.info(ui.tr("compare_other_test_images"))
        return
    defect_types = [str(defect) for defect in scored[0]["defect_types"]]
    defects = list(dict.fromkeys(defect_types))
    settings = st.columns(3)
    # Other runs may have other defect kinds: a new pick starts from all of them.
    defect = settings[0].selectbox(ui.tr("anomaly_kind"), ["", *defects], format_func=lambda name: ui.name(name) if name else ui.tr("anomaly_all_kinds"), key=f"compare_anomaly_kind_{comparison.key}")
    among = [index for index, name in enumerate(defect_types) if not defect or name == defect]
    position = settings[1].number_input(ui.tr("compare_kind_position", count=len(among)), min_value=0, max_value=len(among) - 1, value=0, key=f"compare_anomaly_index_{comparison.key}_{defect}")
    opacity = settings[2].slider(ui.tr("explain_opacity"), 0.0, 1.0, 0.5, step=0.05, key="compare_anomaly_opacity")
    index = among[int(position)]
    st.image(pictures.enlarge(scored[0]["images"][index], 160), caption=ui.tr("anomaly_input", index=index, kind=ui.name(defect_types[index])), width=160)
    st.caption(ui.tr("compare_detection_caption"))
    verdicts = {True: ui.tr("compare_flagged"), False: ui.tr("compare_passed"), None: "–"}
    for column, name, found in zip(images.grid(len(runs)), names, compare.detections(runs, scored, index, opacity)):
        column.markdown(f"**{name}**")
        column.image([pictures.enlarge(found.reconstruction, 128), pictures.enlarge(found.overlay, 128)], caption=[ui.tr("anomaly_reconstruction"), ui.tr("compare_error_map")], width=128)
        column.caption(ui.tr("compare_detection", score=found.score, verdict=verdicts[found.flagged]))


compare_sections = (detection_section,)
