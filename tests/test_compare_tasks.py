"""Compare beyond classifiers: anomaly detectors (the pretext tasks side by side on the same
test images) and generative models, on runs trained for real once for the module."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from generative_fixtures import copy_runs, make_generative_run, make_project_run
from page_fixtures import PAGES, make_run, open_page
from streamlit.testing.v1 import AppTest
from test_pages import texts

from core.analysis import compare
from core.kinds import anomaly_detection
from core.kinds.anomaly_detection import analysis as scoring
from core.kinds.anomaly_detection import train as detection
from core.runs import store

COMPARE = str(PAGES / "compare.py")


@pytest.fixture(scope="module")
def trained_root(tmp_path_factory) -> Path:
    """Two anomaly detectors on the same weave textures, one on dots, two generative
    models and one (fake) classifier."""
    root = tmp_path_factory.mktemp("compare-tasks") / "artifacts" / "runs"
    root.mkdir(parents=True)
    for model in ("mae", "autoencoder"):
        make_project_run(root, "anomaly", "textures", model, epochs=1, image_size=16)
    make_project_run(root, "anomaly", "textures", "mae", epochs=1, image_size=16, category="dots")
    make_generative_run(root, "cvae", epochs=1)
    make_generative_run(root, "vae", epochs=1, latent_dim=3)
    make_run(root)
    return root


@pytest.fixture
def runs_root(runs_root, trained_root) -> Path:
    """The shared runs_root (conftest.py) holding a copy of the module's trained runs."""
    return copy_runs(trained_root, runs_root)


def runs_of(root: Path, project: str, **wanted) -> list[store.RunSummary]:
    """The runs of `project`, oldest first, whose hyperparameters hold `wanted`."""
    runs = [run for run in reversed(store.list_runs(root)) if run.project == project]
    return [run for run in runs if all(run.params["hyperparameters"].get(name) == value for name, value in wanted.items())]


def open_compare(run_ids: list[str] | None = None, language: str = "en") -> AppTest:
    return open_page(COMPARE, language, {"runs": ",".join(run_ids)} if run_ids else None)


# core.analysis.compare on anomaly detectors


def test_the_metrics_table_and_curves_follow_the_anomaly_project(runs_root):
    runs = runs_of(runs_root, "anomaly", category="weave")
    compare.check_comparable(runs)
    table = compare.metrics_table(runs)
    assert list(table.columns[:8]) == [*compare.IDENTITY_COLUMNS, "image_auroc", "pixel_auroc"]
    assert table["image_auroc"].tolist() == [run.status["results"]["image_auroc"] for run in runs]
    assert compare.best_directions(runs)["image_auroc"] == "max"
    assert compare.curve_names(runs) == ["loss"]
    figure = compare.overlaid_curves(runs, "loss", "validation")
    assert [list(trace.x) for trace in figure.data] == [[1], [1]]
    with pytest.raises(ValueError, match="valid: loss, train or validation"):
        compare.overlaid_curves(runs, "accuracy")


def test_image_roc_and_per_defect_auroc_of_each_detector(runs_root):
    runs = runs_of(runs_root, "anomaly", category="weave")
    scored = [detection.load_scores(run.path) for run in runs]
    names = compare.run_names(runs)
    curves = compare.image_roc_by_run(names, scored)
    assert list(curves) == names
    for name, run in zip(names, runs):
        assert curves[name][2] == pytest.approx(run.status["results"]["image_auroc"])
    table = compare.per_defect_table(names, scored, "all")
    assert list(table.index) == ["all", "scratch", "hole", "stain"] and list(table.columns) == names
    types = [str(kind) for kind in scored[1]["defect_types"]]
    assert table[names[1]].iloc[1:].tolist() == pytest.approx(list(scoring.per_defect_auroc(types, scored[1]["scores"]).values()))


def test_the_per_defect_table_highlights_only_rows_two_runs_share():
    import pandas

    table = pandas.DataFrame({"#1": [0.9, 0.5, None], "#2": [0.7, None, 0.8]}, index=["all", "bent", "scratch"])
    html = compare.styled_per_defect(table).to_html()
    style = html.split("</style>")[0]
    highlighted = {(int(row), int(column)) for row, column in re.findall(r"_row(\d+)_col(\d+)", style)}
    assert highlighted == {(0, 0)}  # The first row's best; a lone value is best of nothing.
    assert "0.900" in html and "–" in html


def test_the_same_test_image_through_every_detector(runs_root):
    runs = runs_of(runs_root, "anomaly", category="weave")
    scored = [detection.load_scores(run.path) for run in runs]
    assert compare.same_test_images(scored)
    index = int(np.flatnonzero(scored[0]["defect_types"] == "hole")[0])
    found = compare.detections(runs, scored, index, opacity=0.5)
    assert [detection_.run.id for detection_ in found] == [run.id for run in runs]
    for detection_, run_scores in zip(found, scored):
        assert detection_.overlay.shape == (16, 16, 3) and detection_.overlay.dtype == np.uint8
        assert np.array_equal(detection_.reconstruction, run_scores["reconstructions"][index])
        labels = (run_scores["defect_types"] != "good").astype(int)
        assert detection_.flagged == (run_scores["scores"][index] >= scoring.default_threshold(labels, run_scores["scores"]))
        # The true defect is outlined in green.
        assert (detection_.overlay.reshape(-1, 3) == scoring.OUTLINE_COLOUR).all(axis=1).any()
    dots = runs_of(runs_root, "anomaly", category="dots")
    assert not compare.same_test_images([scored[0], detection.load_scores(dots[0].path)])


# The page


def test_the_page_offers_each_kind_of_task_and_the_link_picks_one(runs_root):
    detectors = [run.id for run in runs_of(runs_root, "anomaly", category="weave")]
    app = open_compare(detectors)
    assert not app.exception and not app.error
    assert app.radio(key="compare_task").value == "anomaly_detection"
    assert app.radio(key="compare_task").options == ["classifiers", "generative models", "anomaly detectors"]
    # Only anomaly detectors are offered, the three of them.
    assert len(app.multiselect(key="compare_runs").options) == 3
    assert app.multiselect(key="compare_runs").value == detectors
    # Another kind of task forgets the runs picked.
    app.radio(key="compare_task").set_value("generation").run()
    assert not app.exception and app.multiselect(key="compare_runs").value == []
    assert len(app.multiselect(key="compare_runs").options) == 2


def test_the_page_puts_detectors_side_by_side(runs_root):
    runs = runs_of(runs_root, "anomaly", category="weave")
    french = open_compare([run.id for run in runs], "fr")
    assert not french.exception and not french.error
    assert {"AUROC image", "AUROC pixel"} <= set(french.dataframe[0].value.columns)
    assert french.radio(key="compare_curve_metric").options == ["Perte"]
    assert list(french.dataframe[1].value.index) == ["tous les défauts", "scratch", "hole", "stain"]
    assert any("signalée" in caption.value for caption in french.caption)

    app = open_compare([run.id for run in runs])
    assert {chart.key for chart in app.get("plotly_chart")} == {"compare_curves", "compare_roc"}
    # The input once, then each run's reconstruction and heatmap.
    assert len(app.get("image")) == 1 + len(runs)
    app.selectbox(key=f"compare_anomaly_kind_{'-'.join(run.id for run in runs)}").set_value("stain").run()
    assert not app.exception
    assert app.get("image")[0].proto.imgs[0].caption.endswith("· stain")
    assert [image.proto.imgs[1].caption for image in app.get("image")[1:]] == ["error map"] * len(runs)
    assert len([caption for caption in app.caption if re.match(r"score \d\.\d{5}: (flagged|not flagged)$", caption.value)]) == len(runs)


def test_detectors_of_other_test_sets_get_no_shared_image(runs_root):
    runs = [runs_of(runs_root, "anomaly", category=category)[0] for category in ("weave", "dots")]
    app = open_compare([run.id for run in runs])
    assert not app.exception and not app.error
    assert any("not scored on the same test images" in info.value for info in app.info)
    assert "compare_roc" in {chart.key for chart in app.get("plotly_chart")}


def test_a_detector_whose_scores_are_gone_stops_only_its_section(runs_root):
    runs = runs_of(runs_root, "anomaly", category="weave")
    (runs[1].path / store.EVAL_DIR / anomaly_detection.SCORES_FILE).unlink()
    app = open_compare([run.id for run in runs])
    assert not app.exception
    assert "A run's files could not be read" in app.error[0].value
    assert app.dataframe[0].value["id"].tolist() == [run.id for run in runs]


def test_the_page_puts_generative_models_side_by_side(runs_root):
    runs = runs_of(runs_root, "cvae")
    app = open_compare([run.id for run in runs])
    assert not app.exception and not app.error
    table = app.dataframe[0].value
    assert {"test loss", "test reconstruction", "test KL", "conditional accuracy"} <= set(table.columns)
    assert app.radio(key="compare_curve_metric").options == ["Loss", "Reconstruction", "KL divergence"]
    # One sample grid per model: ten rows of three for the CVAE.
    grids = app.get("image")
    assert len(grids) == 2
    first = grids[0].proto.imgs[0]
    app.number_input(key="compare_seed").set_value(1).run()
    assert not app.exception and app.get("image")[0].proto.imgs[0].url != first.url
    assert "not conditional" in texts(app)
