"""Honest live views: what the Run and Runs pages show while a run trains and once it ends,
checked on the fragment's own timed reruns (run_fragments), not only on whole-page runs."""
from __future__ import annotations

import functools

import pytest
from page_fixtures import PAGES, make_run, open_page
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.testing.v1 import AppTest, local_script_runner

from core.runs import store


@pytest.fixture
def run_fragments(monkeypatch):
    """What a fragment's timer does in a browser: rerun only the page's fragments. AppTest has
    no call for it, so its script runner is handed the fragments' ids."""

    def tick(app: AppTest) -> AppTest:
        ids = list(app._fragment_storage._fragments)
        with monkeypatch.context() as patch:
            patch.setattr(local_script_runner, "RerunData", functools.partial(RerunData, fragment_id_queue=ids, is_fragment_scoped_rerun=True, is_auto_rerun=True))
            app.run()
        return app

    return tick


def test_runs_picker_says_finished_once_the_run_ends(runs_root, stand_in_worker, run_fragments):
    run_id = make_run(runs_root, state="running", pid=stand_in_worker.pid)
    app = open_page("runs")
    assert "running" in app.selectbox(key="runs_selected").options[0]
    store.write_status(runs_root / run_id, status="finished")
    run_fragments(app)
    assert not app.exception
    # The tick saw the change and redrew the page, picker included.
    [option] = app.selectbox(key="runs_selected").options
    assert "finished" in option and "running" not in option


def test_run_page_redraws_when_a_queued_run_starts(runs_root, stand_in_worker, run_fragments, monkeypatch):
    monkeypatch.setattr("core.runs.queue.schedule", lambda *arguments, **options: None)
    run_id = make_run(runs_root, state="running", pid=stand_in_worker.pid)
    store.write_status(runs_root / run_id, status="queued")
    app = open_page("run", selected_run=run_id)
    assert "queued" in app.selectbox[0].options[0]
    store.write_status(runs_root / run_id, status="running")
    run_fragments(app)
    assert not app.exception
    assert "running" in app.selectbox[0].options[0]


def test_run_page_keeps_cancel_while_evaluating_and_drops_it_when_the_run_ends(runs_root, stand_in_worker, run_fragments):
    run_id = make_run(runs_root, state="running", pid=stand_in_worker.pid)
    app = open_page("run", selected_run=run_id)
    assert [button.key for button in app.button] == ["run_cancel"]
    # Stopped early at epoch 2 of 3: the worker evaluates and saves, still "running" and cancellable.
    store.write_status(runs_root / run_id, phase="evaluating", progress={"epoch": 2, "epochs": 3, "fraction": 0.67, "elapsed": 9.0, "eta": 4.5})
    run_fragments(app)
    assert not app.exception
    assert [button.key for button in app.button] == ["run_cancel"]
    assert any("Training done" in info.value for info in app.info)
    store.write_status(runs_root / run_id, status="finished")
    run_fragments(app)
    assert "run_cancel" not in [button.key for button in app.button]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_run_page_says_the_phase_of_a_run_that_starts(runs_root, stand_in_worker, run_fragments, language):
    from core.i18n import t

    run_id = make_run(runs_root, state="running", pid=stand_in_worker.pid)
    store.write_status(runs_root / run_id, phase="loading_framework", progress=None)
    app = open_page("run", language=language, selected_run=run_id)
    assert not app.exception
    framework = t("phase_loading_framework", language, framework="PyTorch")
    assert any(info.value.startswith(framework) for info in app.info), [info.value for info in app.info]
    assert [button.key for button in app.button] == ["run_cancel"]
    store.write_status(runs_root / run_id, phase="loading_data")
    run_fragments(app)
    assert any(info.value.startswith(t("phase_loading_data", language, dataset="digits")) for info in app.info), [info.value for info in app.info]


def test_a_failed_run_has_no_time_left(runs_root):
    run_id = make_run(runs_root, state="failed", with_model=False)
    store.write_status(runs_root / run_id, progress={"epoch": 1, "epochs": 3, "fraction": 0.3, "elapsed": 500.0, "eta": 1215.0})
    app = open_page("runs")
    assert not app.exception
    assert app.dataframe[0].value.set_index("id").loc[run_id, "eta"] == ""


def test_a_running_run_shows_its_time_left(runs_root, stand_in_worker):
    run_id = make_run(runs_root, state="running", pid=stand_in_worker.pid)
    app = open_page("runs")
    assert app.dataframe[0].value.set_index("id").loc[run_id, "eta"] == "0:05"


def test_finished_run_pickers_name_no_status_in_any_language(runs_root):
    make_run(runs_root)
    app = open_page("predict", "fr")
    assert not app.exception
    [option] = app.selectbox(key="predict_run").options
    assert "finished" not in option and "terminée" not in option
    assert "0,900" in option or "0.900" in option  # The headline result tells more than a status all share.


def test_a_preset_says_which_fields_it_set(runs_root):
    app = open_page("train")
    app.selectbox(key="train_project").set_value("cifar10").run()
    app.selectbox(key="train_preset_cifar10").set_value("cpu_best").run()
    assert not app.exception
    said = " ".join(text.value for text in app.text)
    assert "model = regularized_cnn" in said and "epochs = 30" in said and "batch norm = True" in said


def test_train_keeps_the_project_after_a_visit_to_another_page(runs_root):
    app = open_page(PAGES.parent / "app" / "main.py")
    app.switch_page("../pages/train.py").run()
    app.selectbox(key="train_project").set_value("cifar10").run()
    app.switch_page("../pages/runs.py").run()
    assert not app.exception
    app.switch_page("../pages/train.py").run()
    assert not app.exception
    assert app.selectbox(key="train_project").value == "cifar10"
