"""Studies: core.studies (values, plan, submit, list), core.analysis.studies (table and
figures) and the Studies page.

One test trains for real (two 1-epoch digits runs on torch, one worker slot); the figures
and the page use fake finished run folders (page_fixtures.make_run) tagged as a study.
"""
from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import page_fixtures
import pytest
from core_fixtures import run_folders, wait_for_state
from page_fixtures import PAGES, TIMEOUT, edit_run_file, make_run
from streamlit.testing.v1 import AppTest

from core import studies
from core.analysis import studies as study_views
from core.i18n import t
from core.projects import get_project
from core.runs import queue, store
from core.studies import Axis

pytestmark = pytest.mark.timeout(300)

PAGE = PAGES / "studies.py"
ENTRY = PAGES.parent / "app" / "main.py"
LAUNCH_BUTTON = "FormSubmitter:study_base-Launch the study"
LABELS = {"metric": "test accuracy", "epoch": "epoch"}


# --- parse_values -----------------------------------------------------------------------

def test_parse_values_reads_floats_separated_by_commas_or_semicolons():
    values = studies.parse_values("digits", "l2", "0, 0.001; 0.01")
    assert values == (0.0, 0.001, 0.01)
    assert all(type(value) is float for value in values)


def test_parse_values_reads_ints_bools_and_choices():
    assert studies.parse_values("digits", "batch_size", " 16,32 , 64 ") == (16, 32, 64)
    assert studies.parse_values("cifar10", "batch_norm", "true, false") == (True, False)
    assert studies.parse_values("cifar10", "batch_norm", "False, TRUE") == (False, True)
    assert studies.parse_values("digits", "optimizer", "sgd, adam") == ("sgd", "adam")


def test_parse_values_removes_duplicates_keeping_the_first_order():
    assert studies.parse_values("digits", "learning_rate", "0.01, 0.001, 1e-2, 0.010, 0.001") == (0.01, 0.001)
    assert studies.parse_values("cifar10", "batch_norm", "true, yes, 1") == (True,)
    assert studies.parse_values("digits", "optimizer", "adam, sgd, adam") == ("adam", "sgd")


@pytest.mark.parametrize(
    "project,name,text",
    [
        ("digits", "dropout", "0.25, 2"),  # Above the 0.9 maximum.
        ("digits", "learning_rate", "0.001, 0"),  # Below the 1e-6 minimum.
        ("digits", "batch_size", "32, big"),  # Not a number.
        ("digits", "epochs", "1.5"),  # Not a whole number.
        ("digits", "optimizer", "sgd, nesterov"),  # Not one of the choices.
        ("cifar10", "batch_norm", "true, maybe"),
        ("digits", "dropout", "0.1, nan"),  # Not finite.
        ("digits", "learning_rate", "0.001 0.01"),  # Spaces do not separate values.
    ],
)
def test_parse_values_refuses_a_bad_value_naming_the_field(project, name, text):
    with pytest.raises(ValueError, match=name):
        studies.parse_values(project, name, text)


@pytest.mark.parametrize("text", ["", "   ", " , ;, "])
def test_parse_values_refuses_empty_text(text):
    with pytest.raises(ValueError, match="learning_rate"):
        studies.parse_values("digits", "learning_rate", text)


def test_parse_values_refuses_an_unknown_hyperparameter():
    with pytest.raises(ValueError, match="momentum"):
        studies.parse_values("digits", "momentum", "0.9")


# --- plan -------------------------------------------------------------------------------

def test_plan_one_axis_merges_each_value_into_the_base():
    base = {"epochs": 3, "dropout": 0.1, "learning_rate": 0.5}
    runs = studies.plan("digits", None, "cnn", "torch", base, [Axis("learning_rate", (0.001, 0.01, 0.1))])
    # The axis wins over the same key in the base.
    assert runs == [{"epochs": 3, "dropout": 0.1, "learning_rate": value} for value in (0.001, 0.01, 0.1)]
    assert base == {"epochs": 3, "dropout": 0.1, "learning_rate": 0.5}  # Not modified.


def test_plan_two_axes_is_the_product_first_axis_outermost():
    axes = [Axis("optimizer", ("sgd", "adam")), Axis("learning_rate", (0.001, 0.01, 0.1))]
    runs = studies.plan("digits", "digits", "cnn", "torch", {"epochs": 2}, axes)
    expected = [{"epochs": 2, "optimizer": optimizer, "learning_rate": rate} for optimizer, rate in itertools.product(("sgd", "adam"), (0.001, 0.01, 0.1))]
    assert runs == expected


def test_plan_accepts_exactly_the_limit():
    axes = [Axis("seed", tuple(range(studies.MAX_STUDY_RUNS // 2))), Axis("optimizer", ("sgd", "adam"))]
    assert len(studies.plan("digits", None, None, None, None, axes)) == studies.MAX_STUDY_RUNS


def test_plan_refuses_more_runs_than_the_limit_and_writes_nothing(runs_root):
    axes = [Axis("seed", tuple(range(5))), Axis("learning_rate", (0.001, 0.002, 0.003, 0.004, 0.005))]
    with pytest.raises(ValueError) as refused:
        studies.plan("digits", None, "cnn", "torch", {"epochs": 1}, axes)
    message = str(refused.value)
    assert "25" in message and str(studies.MAX_STUDY_RUNS) in message
    with pytest.raises(ValueError, match="25"):
        studies.submit_study("too big", "digits", None, "cnn", "torch", {"epochs": 1}, axes)
    assert run_folders(runs_root) == []


@pytest.mark.parametrize(
    "axes,expected",
    [
        ([], "got 0"),
        ([Axis("seed", (0, 1)), Axis("l2", (0.0,)), Axis("dropout", (0.1,))], "got 3"),
        ([Axis("dropout", (0.1, 0.2)), Axis("dropout", (0.3,))], "dropout is chosen twice"),
        ([Axis("dropout", ())], "dropout: give at least one value"),
        ([Axis("dropout", (0.1, 0.95))], "dropout"),  # Out of range, second value.
        ([Axis("momentum", (0.9,))], "momentum"),  # Not a hyperparameter.
    ],
)
def test_plan_refuses_bad_axes(axes, expected):
    with pytest.raises(ValueError, match=expected):
        studies.plan("digits", None, "cnn", "torch", None, axes)


@pytest.mark.parametrize(
    "dataset,model,backend,base,expected",
    [
        (None, "cnn", "torch", {"epochs": 0}, "epochs"),
        (None, "cnn", "torch", {"colour": "red"}, "colour"),
        (None, "resnet", "torch", None, "resnet"),
        ("imagenet", "cnn", "torch", None, "imagenet"),
        (None, "cnn", "numpy", None, "numpy"),
    ],
)
def test_plan_refuses_a_bad_base_or_choice(dataset, model, backend, base, expected):
    with pytest.raises(ValueError, match=expected):
        studies.plan("digits", dataset, model, backend, base, [Axis("seed", (0, 1))])


def test_a_refused_study_creates_no_run_folder_even_when_only_its_last_run_is_bad(runs_root):
    # The first two combinations are fine; the refusal must still come before any folder.
    axes = [Axis("dropout", (0.1, 0.2, 0.95))]
    with pytest.raises(ValueError, match="dropout"):
        studies.submit_study("bad", "digits", None, "cnn", "torch", {"epochs": 1}, axes)
    with pytest.raises(ValueError, match="epochs"):
        studies.submit_study("bad base", "digits", None, "cnn", "torch", {"epochs": 600}, [Axis("seed", (0, 1))])
    assert run_folders(runs_root) == []
    assert studies.list_studies() == []


# --- submit_study with real workers -----------------------------------------------------

def test_a_study_trains_every_combination_and_is_rebuilt_from_its_run_folders(runs_root):
    outsider = make_run(runs_root, with_model=False)  # A finished run in no study.
    # Two axes, two runs: 2 x 1 keeps the real training short on these 2 shared cores.
    rates, optimizers = (0.001, 0.01), ("adam",)
    axes = [Axis("learning_rate", rates), Axis("optimizer", optimizers)]
    study_id = studies.submit_study("  rates and optimizers ", "digits", "digits", "cnn", "torch", {"epochs": 1, "seed": 3}, axes)

    [study] = studies.list_studies()
    assert study.id == study_id
    assert (study.name, study.axes, study.size, study.project) == ("rates and optimizers", ["learning_rate", "optimizer"], 2, "digits")
    assert outsider not in [run.id for run in study.runs]
    # One worker slot: when submit returned, one run at most had started.
    assert study.active and study.finished == 0
    assert sum(run.state == "queued" for run in study.runs) >= 1
    queued_table = study_views.study_table(study)
    assert queued_table["test_accuracy"].isna().all() and queued_table["seconds"].isna().all()

    combinations = list(itertools.product(rates, optimizers))
    assert [(run.params["hyperparameters"]["learning_rate"], run.params["hyperparameters"]["optimizer"]) for run in study.runs] == combinations
    expected_tag = {"id": study_id, "name": "rates and optimizers", "axes": ["learning_rate", "optimizer"], "size": 2}
    for run in study.runs:
        assert run.params["study"] == expected_tag
        assert run.params["hyperparameters"]["epochs"] == 1 and run.params["hyperparameters"]["seed"] == 3
        assert (run.model, run.backend, run.dataset) == ("cnn", "torch", "digits")

    for run in study.runs:
        final = wait_for_state(run.id, reconcile=True)
        assert final.state == "finished", f"{final.status}\n{store.log_tail(final.path)}"

    [study] = studies.list_studies()
    assert study.finished == 2 and not study.active
    assert [run.params["study"] for run in study.runs] == [expected_tag] * 2  # The worker kept the tag.
    table = study_views.study_table(study)
    assert len(table) == 2
    assert list(table.columns[:3]) == ["run", "learning_rate", "optimizer"]
    assert set(study_views.result_columns(get_project(study.project))) <= set(table.columns)
    assert list(zip(table["learning_rate"], table["optimizer"])) == combinations
    assert list(table["run"]) == [run.id for run in study.runs]
    assert (table["state"] == "finished").all()
    assert table["test_accuracy"].between(0.0, 1.0).all() and table["test_accuracy"].notna().all()
    assert table["test_loss"].notna().all() and (table["seconds"] > 0).all()
    assert table["train_accuracy"].notna().all() and table["best_validation_accuracy"].notna().all()
    assert (table["generalisation_gap"] - (table["train_accuracy"] - table["test_accuracy"])).abs().max() < 1e-9
    for run, accuracy in zip(study.runs, table["test_accuracy"]):
        assert accuracy == run.status["results"]["test_accuracy"]

    queue.delete(study.runs[0].id)
    [study] = studies.list_studies()
    assert study.size == 2 and len(study.runs) == 1 and study.finished == 1
    assert (study.runs[0].params["hyperparameters"]["learning_rate"], study.runs[0].params["hyperparameters"]["optimizer"]) == combinations[1]
    assert len(study_views.study_table(study)) == 1


def test_runs_outside_a_study_are_not_listed(runs_root):
    assert studies.list_studies() == []
    make_run(runs_root, with_model=False)
    make_run(runs_root, state="failed", with_model=False)
    assert studies.list_studies() == []


# --- figures on fake run folders --------------------------------------------------------

def make_study(root: Path, study_id: str, axes: list[str], combinations: list[tuple], name: str = "fake study", state: str = "finished") -> list[str]:
    """Finished fake runs (page_fixtures.make_run, 3 epochs, no model) tagged as one study;
    run i gets test accuracy 0.5 + 0.05 * i."""
    tag = {"id": study_id, "name": name, "axes": axes, "size": len(combinations)}
    run_ids = []
    for index, values in enumerate(combinations):
        run_id = make_run(root, state=state, with_model=False)
        params = json.loads((root / run_id / store.PARAMS_FILE).read_text())
        hyperparameters = {**params["hyperparameters"], **dict(zip(axes, values))}
        # Creation order is the study's order, whatever the random run ids say.
        edit_run_file(root, run_id, store.PARAMS_FILE, hyperparameters=hyperparameters, study=tag, created=time.time() + index)
        if state == "finished":
            edit_run_file(root, run_id, store.STATUS_FILE, results={"test_accuracy": 0.5 + 0.05 * index, "test_loss": 1.0 - 0.05 * index}, finished=time.time() + 7)
        run_ids.append(run_id)
    return run_ids


def the_study(study_id: str) -> studies.Study:
    return next(study for study in studies.list_studies() if study.id == study_id)


def test_list_studies_groups_runs_by_study_in_creation_order_newest_study_first(runs_root):
    first = make_study(runs_root, "20250101-000000-aaaa", ["dropout"], [(0.0,), (0.5,)], name="first")
    second = make_study(runs_root, "20250102-000000-bbbb", ["l2"], [(0.0,), (0.001,), (0.01,)], name="second")
    make_run(runs_root, with_model=False)
    listed = studies.list_studies()
    assert [study.id for study in listed] == ["20250102-000000-bbbb", "20250101-000000-aaaa"]
    assert [run.id for run in listed[0].runs] == second and [run.id for run in listed[1].runs] == first
    assert [study.name for study in listed] == ["second", "first"]
    assert [study.finished for study in listed] == [3, 2]


def test_study_table_has_one_row_per_run_with_axes_and_results(runs_root):
    run_ids = make_study(runs_root, "s1", ["dropout", "optimizer"], [(0.0, "adam"), (0.5, "sgd")])
    table = study_views.study_table(the_study("s1"))
    assert list(table["run"]) == run_ids
    assert list(table["dropout"]) == [0.0, 0.5] and list(table["optimizer"]) == ["adam", "sgd"]
    assert list(table["test_accuracy"]) == pytest.approx([0.5, 0.55])
    # make_run's curves: train accuracy 0.5 + 0.1 epoch, validation 0.45 + 0.1 epoch, 3 epochs.
    assert list(table["train_accuracy"]) == pytest.approx([0.8, 0.8])
    assert list(table["best_validation_accuracy"]) == pytest.approx([0.75, 0.75])
    assert list(table["generalisation_gap"]) == pytest.approx([0.3, 0.25])
    assert (table["seconds"] > 0).all()


def test_metric_by_axis_draws_one_line_per_value_of_the_second_axis(runs_root):
    combinations = list(itertools.product((0.001, 0.01), ("sgd", "momentum", "adam")))
    make_study(runs_root, "s2", ["learning_rate", "optimizer"], combinations)
    failed = make_run(runs_root, state="failed", with_model=False)  # No result: no point.
    edit_run_file(runs_root, failed, store.PARAMS_FILE, study={"id": "s2", "name": "fake study", "axes": ["learning_rate", "optimizer"], "size": 7})
    study = the_study("s2")
    table = study_views.study_table(study)
    assert len(table) == 7
    figure = study_views.metric_by_axis(table, study.axes, "test_accuracy", LABELS)
    assert [trace.name for trace in figure.data] == ["optimizer = sgd", "optimizer = momentum", "optimizer = adam"]
    for offset, trace in enumerate(figure.data):
        assert list(trace.x) == ["0.001", "0.01"]
        assert list(trace.y) == pytest.approx([0.5 + 0.05 * offset, 0.5 + 0.05 * (offset + 3)])
    assert figure.layout.xaxis.type == "category" and figure.layout.xaxis.title.text == "learning_rate"

    one_axis = study_views.metric_by_axis(table, ["learning_rate"], "test_accuracy", LABELS)
    assert len(one_axis.data) == 1 and len(one_axis.data[0].x) == 6


def category_order(figure) -> list[str]:
    """The order plotly.js draws the categories of the x axis in: categoryarray when
    categoryorder is "array", sorted for "category ascending", else (the default, "trace")
    the order of first appearance, trace after trace."""
    axis = figure.layout.xaxis
    if axis.categoryorder == "array":
        return list(axis.categoryarray)
    seen = list(dict.fromkeys(value for trace in figure.data for value in trace.x))
    if axis.categoryorder == "category ascending":
        return sorted(seen)
    if axis.categoryorder == "category descending":
        return sorted(seen, reverse=True)
    return seen


def test_metric_by_axis_keeps_the_axis_values_in_order(runs_root):
    combinations = list(itertools.product((0.001, 0.01, 0.1), ("adam", "sgd")))
    make_study(runs_root, "s7", ["learning_rate", "optimizer"], combinations)
    study = the_study("s7")
    figure = study_views.metric_by_axis(study_views.study_table(study), study.axes, "test_accuracy", LABELS)
    assert category_order(figure) == ["0.001", "0.01", "0.1"]


def test_metric_by_axis_keeps_the_axis_values_in_order_when_a_run_failed(runs_root):
    combinations = list(itertools.product((0.001, 0.01, 0.1), ("adam", "sgd")))
    run_ids = make_study(runs_root, "s8", ["learning_rate", "optimizer"], combinations)
    # learning_rate 0.01 with adam failed: the adam line has 0.001 and 0.1 only.
    edit_run_file(runs_root, run_ids[2], store.STATUS_FILE, status="failed", results=None, error="diverged")
    study = the_study("s8")
    figure = study_views.metric_by_axis(study_views.study_table(study), study.axes, "test_accuracy", LABELS)
    assert sorted(trace.name for trace in figure.data) == ["optimizer = adam", "optimizer = sgd"]
    assert category_order(figure) == ["0.001", "0.01", "0.1"]


def test_parallel_coordinates_encodes_text_and_bool_axes_as_categories(runs_root):
    combinations = [("adam", True), ("sgd", False), ("adam", False), ("rmsprop", True)]
    make_study(runs_root, "s3", ["optimizer", "batch_norm"], combinations)
    study = the_study("s3")
    table = study_views.study_table(study)
    figure = study_views.parallel_coordinates(table, study.axes, ["test_accuracy", "generalisation_gap"], {"test_accuracy": "test accuracy"})
    [trace] = figure.data
    optimizer, batch_norm, accuracy, gap = trace.dimensions
    assert optimizer.label == "optimizer" and list(optimizer.ticktext) == ["adam", "rmsprop", "sgd"]
    assert list(optimizer.tickvals) == [0, 1, 2] and list(optimizer.values) == [0, 2, 0, 1]
    assert batch_norm.label == "batch_norm" and list(batch_norm.ticktext) == ["False", "True"]
    assert list(batch_norm.values) == [1, 0, 0, 1]
    assert accuracy.label == "test accuracy" and list(accuracy.values) == pytest.approx([0.5, 0.55, 0.6, 0.65])
    assert gap.label == "generalisation_gap"
    assert list(trace.line.color) == pytest.approx([0.5, 0.55, 0.6, 0.65])

    make_study(runs_root, "s4", ["learning_rate", "batch_size"], [(0.001, 16), (0.01, 64)])
    numeric = the_study("s4")
    dimensions = study_views.parallel_coordinates(study_views.study_table(numeric), numeric.axes, ["test_accuracy"], {}).data[0].dimensions
    # A learning rate on a log scale, a tick at each value tried (tests/test_run_labels.py).
    assert list(dimensions[0].values) == pytest.approx([-3, -2]) and list(dimensions[0].ticktext) == ["0.001", "0.01"]
    assert list(dimensions[1].values) == [16, 64] and list(dimensions[1].ticktext) == ["16", "64"]


def test_overlaid_curves_draw_one_line_per_run_with_epochs(runs_root):
    make_study(runs_root, "s5", ["dropout", "optimizer"], [(0.0, "adam"), (0.5, "adam"), (0.0, "sgd")])
    study = the_study("s5")
    figure = study_views.overlaid_curves(study, "accuracy", "validation", LABELS)
    assert [trace.name for trace in figure.data] == ["dropout=0.0, optimizer=adam", "dropout=0.5, optimizer=adam", "dropout=0.0, optimizer=sgd"]
    for trace in figure.data:
        assert list(trace.x) == [1, 2, 3] and list(trace.y) == pytest.approx([0.55, 0.65, 0.75])
    losses = study_views.overlaid_curves(study, "loss", "train", LABELS)
    assert list(losses.data[0].y) == pytest.approx([1.0, 0.5, 1 / 3])


# --- the Studies page -------------------------------------------------------------------

def open_page(**state) -> AppTest:
    return page_fixtures.open_page("studies", **state)


def shown(app: AppTest, kind: str) -> list[str]:
    return [str(element.value) for element in getattr(app, kind)]


def chart_specs(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def test_page_without_a_study_says_how_to_start_one(runs_root):
    make_run(runs_root, with_model=False)  # Runs, but none in a study.
    app = open_page()
    assert not app.exception
    assert any("No study yet" in text for text in shown(app, "info"))
    assert not app.dataframe and not app.get("plotly_chart")


def test_page_shows_a_finished_study_table_and_figures(runs_root):
    older = make_study(runs_root, "20250101-000000-aaaa", ["dropout"], [(0.0,), (0.5,)], name="dropout study")
    newer = make_study(runs_root, "20250102-000000-bbbb", ["learning_rate", "optimizer"], list(itertools.product((0.001, 0.01), ("sgd", "adam"))), name="grid")
    app = open_page()
    assert not app.exception
    assert app.session_state["studies_selected"] == "20250102-000000-bbbb"  # The newest.
    table = app.dataframe[0].value
    # The page's headers are labels (the run, each axis by its hyperparameter's label).
    assert len(table) == 4 and list(table[t("column_id", "en")]) == newer
    assert t("hp_learning_rate", "en") in table.columns and t("hp_optimizer", "en") in table.columns
    assert app.get("progress")[0].proto.text == "4 of 4 runs finished"
    specs = chart_specs(app)
    assert len(specs) == 3  # By axis, curves, parallel coordinates.
    assert [trace["name"] for trace in specs[0]["data"]] == ["optimizer = sgd", "optimizer = adam"]
    assert len(specs[1]["data"]) == 4 and specs[2]["data"][0]["type"] == "parcoords"
    assert app.button(key="studies_compare").label == "Compare the 4 best runs side by side"

    app.selectbox(key="studies_selected").set_value("20250101-000000-aaaa").run()
    assert not app.exception
    assert list(app.dataframe[0].value[t("column_id", "en")]) == older
    assert len(app.get("plotly_chart")) == 2  # One axis: no parallel coordinates.

    app.selectbox(key="studies_metric_digits").set_value("test_loss").run()
    assert not app.exception
    assert chart_specs(app)[0]["layout"]["yaxis"]["title"]["text"] == "test loss"


def test_compare_button_opens_the_compare_page_with_the_best_runs_first(runs_root):
    # Through the app's entry: switch_page needs the navigation that app/main.py builds.
    run_ids = make_study(runs_root, "s9", ["learning_rate", "optimizer"], list(itertools.product((0.001, 0.01), ("sgd", "adam"))))
    app = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT)
    app.session_state["language"] = "en"
    app.run()
    app.switch_page("../pages/studies.py").run()
    assert not app.exception and app.title[0].value == "Studies"
    app.button(key="studies_compare").click().run()
    assert not app.exception
    assert app.title[0].value == "Compare runs"
    assert app.query_params["runs"] == ",".join(reversed(run_ids))  # make_study: the later, the better.


def test_page_waits_for_the_first_result_of_a_queued_study(runs_root, monkeypatch):
    monkeypatch.setattr(queue, "schedule", lambda root=None: [])  # The fake queued runs must not start.
    make_study(runs_root, "s6", ["dropout"], [(0.0,), (0.5,), (0.7,)], state="queued")
    app = open_page()
    assert not app.exception
    assert len(app.dataframe[0].value) == 3
    assert any("Figures appear when the first run finishes" in text for text in shown(app, "info"))
    assert not app.get("plotly_chart")


def test_new_study_preset_fills_the_model_and_the_axes(runs_root):
    app = open_page()
    app.selectbox(key="studies_project").set_value("cifar10").run()
    app.selectbox(key="studies_preset").set_value("dropout").run()
    assert not app.exception
    assert app.selectbox(key="studies_model_cifar10").value == "regularized_cnn"
    assert app.selectbox(key="studies_axis1").value == "dropout"
    assert app.text_input(key="studies_values1").value == "0.0, 0.25, 0.5"
    assert app.selectbox(key="studies_axis2").value == ""
    assert any("3 runs will be queued" in text for text in shown(app, "info"))
    assert not app.button(key=LAUNCH_BUTTON).disabled

    app.selectbox(key="studies_preset").set_value("optimizers").run()
    assert app.selectbox(key="studies_model_cifar10").value == "small_cnn"
    assert (app.selectbox(key="studies_axis1").value, app.selectbox(key="studies_axis2").value) == ("optimizer", "learning_rate")
    assert any("8 runs will be queued" in text for text in shown(app, "info"))


def test_new_study_over_the_limit_warns_and_disables_the_launch(runs_root):
    app = open_page()
    app.selectbox(key="studies_axis1").set_value("seed")
    app.text_input(key="studies_values1").set_value(", ".join(str(seed) for seed in range(30))).run()
    assert not app.exception
    warnings = " ".join(shown(app, "warning"))
    assert "30 runs" in warnings and f"limit is {studies.MAX_STUDY_RUNS}" in warnings
    assert app.button(key=LAUNCH_BUTTON).disabled
    assert run_folders(runs_root) == []


def test_new_study_launched_from_the_page_queues_one_run_per_value(runs_root, monkeypatch):
    # Queued, not trained: the real workers are the core test's business.
    monkeypatch.setattr(queue, "schedule", lambda root=None: [])
    app = open_page()
    app.selectbox(key="studies_backend_digits_cnn").set_value("torch")
    app.selectbox(key="studies_axis1").set_value("learning_rate")
    app.text_input(key="studies_values1").set_value("0.001; 0.01, 0.001")
    app.selectbox(key="studies_axis2").set_value("optimizer")
    app.text_input(key="studies_values2").set_value("sgd, adam").run()
    assert any("4 runs will be queued" in text for text in shown(app, "info"))
    keys = {widget.key for kind in ("number_input", "slider", "selectbox") for widget in getattr(app, kind)}
    assert "study_hp_digits_epochs" in keys and "study_hp_digits_learning_rate" not in keys  # Axes leave the base form.
    app.number_input(key="study_hp_digits_epochs").set_value(2)
    app.text_input(key="studies_name").set_value("from the page")
    app.button(key=LAUNCH_BUTTON).click().run()
    assert not app.exception and not app.error
    assert any("4 runs" in text for text in shown(app, "success"))

    [study] = studies.list_studies()
    assert (study.name, study.axes, study.size, len(study.runs)) == ("from the page", ["learning_rate", "optimizer"], 4, 4)
    assert all(run.state == "queued" and run.backend == "torch" and run.params["hyperparameters"]["epochs"] == 2 for run in study.runs)
    assert [(run.params["hyperparameters"]["learning_rate"], run.params["hyperparameters"]["optimizer"]) for run in study.runs] == list(itertools.product((0.001, 0.01), ("sgd", "adam")))
    assert app.session_state["studies_selected"] == study.id
    assert len(app.dataframe[0].value) == 4


def test_the_varied_hyperparameter_leaves_the_base_form_before_any_value_is_typed(runs_root):
    app = open_page()
    assert not app.exception
    assert app.selectbox(key="studies_axis1").value == "epochs"
    assert any("Type the values to try" in text for text in shown(app, "info"))
    assert not shown(app, "warning"), "no complaint before anything is typed"
    form_keys = {widget.key for widget in app.number_input} | {widget.key for widget in app.slider}
    assert "study_hp_digits_epochs" not in form_keys and "study_hp_digits_batch_size" in form_keys


def test_a_folder_study_scans_the_folder_once_unless_an_axis_changes_it(tmp_path, monkeypatch):
    from PIL import Image

    from core.data import folders

    for name in ("cats", "dogs"):
        (tmp_path / name).mkdir()
        for index in range(7):  # 14 images: enough to split into training, validation and test.
            Image.new("RGB", (8, 8)).save(tmp_path / name / f"{index}.png")
    scans = []
    real_scan = folders.scan_folder
    monkeypatch.setattr(folders, "scan_folder", lambda path: scans.append(path) or real_scan(path))
    base = {"data_path": str(tmp_path)}
    assert len(studies.plan("cifar10", "folder", "small_cnn", "keras", base, [Axis("learning_rate", (0.001, 0.01, 0.1))])) == 3
    assert len(scans) == 1
    scans.clear()
    studies.plan("cifar10", "folder", "small_cnn", "keras", base, [Axis("image_size", (16, 32, 64))])
    assert len(scans) == 3, "an axis that is a dataset option is checked for every value"
    with pytest.raises(ValueError, match="learning_rate"):
        studies.plan("cifar10", "folder", "small_cnn", "keras", base, [Axis("learning_rate", (0.001, 99.0))])


def test_a_generative_study_ranks_runs_by_their_lowest_loss(runs_root):
    """The seed's choice of hyperparameters for its CVAE: latent size × beta, by loss."""
    combinations = list(itertools.product((2, 8), (0.5, 1.0)))
    run_ids = make_study(runs_root, "20250103-000000-cccc", ["latent_dim", "beta"], combinations)
    losses = [30.0, 21.5, 25.0, 28.0]
    for run_id, loss in zip(run_ids, losses):
        edit_run_file(runs_root, run_id, store.PARAMS_FILE, project="cvae", model="cvae")
        edit_run_file(runs_root, run_id, store.STATUS_FILE, results={"test_loss": loss, "test_reconstruction": loss - 1, "test_kl": 1.0, "conditional_accuracy": 0.9})
    study = the_study("20250103-000000-cccc")
    table = study_views.study_table(study)
    assert list(table.columns) == ["run", "latent_dim", "beta", "state", "test_loss", "test_reconstruction", "test_kl", "conditional_accuracy", "best_validation_loss", "seconds"]
    assert table["test_loss"].tolist() == losses
    # make_run's fake runs log a validation loss every epoch: the lowest is kept.
    assert table["best_validation_loss"].notna().all()

    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT).run()
    assert not app.exception
    assert list(app.dataframe[0].value[t("column_id", "en")]) == run_ids
    assert "test reconstruction" in app.dataframe[0].value.columns
    assert [option for option in app.radio(key="studies_curve_metric_cvae").options] == ["Loss", "Reconstruction", "KL divergence"]
    # Compare takes generative runs too: the best runs go there by lowest test loss.
    assert app.button(key="studies_compare").label == "Compare the 4 best runs side by side"


def test_the_latent_and_beta_preset_fills_the_cvae_study():
    preset = studies.PRESETS["latent_beta"]
    assert preset["model"] in get_project("cvae").models
    runs = studies.plan("cvae", None, preset["model"], None, {}, preset["axes"])
    assert len(runs) == 9 and {run["beta"] for run in runs} == {0.5, 1.0, 2.0} and {run["latent_dim"] for run in runs} == {2, 8, 16}
