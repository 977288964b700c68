"""The pickers of finished runs (Explain, Predict, Inside, Projector, Generate, Anomalies, Enrich
and Compare) offer the newest runs and the chosen one, listed through the run index, with a
link to the Runs page for the others: their cost does not grow with the runs."""
from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from page_fixtures import open_page
from streamlit.testing.v1 import AppTest

from core import inference
from core.i18n import t
from core.runs import store
from core.training import CHECKPOINT_DESCRIPTION

MAIN = Path(__file__).resolve().parent.parent / "app" / "main.py"
PROJECTS = {
    "digits": {"dataset": "digits", "model": "cnn", "backend": "torch"},
    "cvae": {"dataset": "digits", "model": "cvae", "backend": "keras"},
}


@pytest.fixture
def in_order(monkeypatch):
    """Run ids in the order the runs are made (two made in one second sort by a random suffix)."""
    numbers = itertools.count()
    monkeypatch.setattr(store, "new_run_id", lambda: f"20260101-{next(numbers):06d}-aaaaaa")
    monkeypatch.setattr("core.runs.queue.schedule", lambda *arguments, **options: [])


def make(root: Path, project: str = "digits", state: str = "finished", model: bool = True, **params) -> str:
    """A run folder; `model`: a checkpoint.json, which is what the pickers look for."""
    run_id = store.create_run({"project": project, **PROJECTS[project], "hyperparameters": {"epochs": 2}, **params}, root)
    if state != "queued":
        store.write_status(root / run_id, status=state, **({"results": {"test_accuracy": 0.9, "test_loss": 0.3}} if state == "finished" else {}))
    if model:
        (root / run_id / CHECKPOINT_DESCRIPTION).write_text("{}")
    return run_id


def ids(runs) -> list[str]:
    return [run.id for run in runs]


def test_the_newest_finished_runs_with_a_model_and_the_chosen_one_are_offered(runs_root, in_order):
    oldest = make(runs_root)
    others = [make(runs_root) for _ in range(4)]
    no_model = make(runs_root, model=False)  # Finished, but saved no model: not offered.
    make(runs_root, "cvae")  # Another kind: Explain does not take it.
    make(runs_root, state="failed")
    queued = make(runs_root, state="queued", model=False)
    choices = inference.finished_choices("explain", [oldest], count=3)
    assert ids(choices.runs) == [*sorted(others, reverse=True)[:3], oldest]
    assert ids(choices.chosen) == [oldest]
    assert choices.total == 6, "the finished digits runs, with a model or not"
    assert no_model not in ids(choices.runs) and queued not in ids(choices.runs)
    # Chosen but not offered: running, of another kind, without a model, no run, not a run id.
    for chosen in (queued, no_model, "20990101-000000-nosuch", "../etc"):
        assert inference.finished_choices("explain", [chosen], count=3).chosen == []
    generate = inference.finished_choices("generate", [oldest], count=3)
    assert [run.project for run in generate.runs] == ["cvae"] and generate.chosen == [] and generate.total == 1


def test_runs_without_a_model_are_skipped_and_more_are_fetched(runs_root, in_order, monkeypatch):
    with_model = [make(runs_root) for _ in range(3)]
    without = [make(runs_root, model=False) for _ in range(4)]  # The newest four saved no model.
    monkeypatch.setattr(inference, "FETCH_MARGIN", 0)
    checked, original = [], inference.has_checkpoint
    monkeypatch.setattr(inference, "has_checkpoint", lambda path: checked.append(path.name) or original(path))
    assert ids(inference.finished_runs("explain", limit=2)) == sorted(with_model, reverse=True)[:2]
    # Fetched 2, then 4 more: checkpoint.json looked for in those runs only, never in the oldest.
    assert set(checked) == {*without, *sorted(with_model, reverse=True)[:2]}
    assert ids(inference.finished_runs("explain")) == sorted(with_model, reverse=True), "no limit: all of them"


def test_a_run_that_finished_behind_the_index_is_offered(runs_root, in_order):
    made = make(runs_root)
    # Its worker could not write the index (locked, say): the index still says running.
    behind = make(runs_root, state="running")
    store.write_json_atomically(runs_root / behind / store.STATUS_FILE, {"status": "finished", "results": {"test_accuracy": 0.5}})
    assert ids(inference.finished_choices("explain").runs) == [behind, made]
    gone = made
    shutil.rmtree(runs_root / gone)  # Removed by hand: no longer offered.
    assert ids(inference.finished_runs("explain")) == [behind]


def test_warming_the_default_model_asks_for_the_newest_run_only(runs_root, in_order, monkeypatch):
    from app.ui import caches

    made = [make(runs_root) for _ in range(3)]
    warmed, limits, original = [], [], inference.finished_runs
    monkeypatch.setattr(inference, "finished_runs", lambda page, limit=None: limits.append(limit) or original(page, limit))
    monkeypatch.setattr(caches, "warm_model", lambda run: warmed.append(run.id))
    monkeypatch.setattr(caches, "keep_keras_session", lambda: None)
    monkeypatch.setattr(caches, "_default_warmed", False)
    caches.warm_default_model()
    assert warmed == [made[-1]] and limits == [1]


def picker_script():
    from app import ui

    ui.plain(ui.finished_run_choice("picker_test", "explain").id)


def open_picker(language: str = "en", **state) -> AppTest:
    app = AppTest.from_function(picker_script, default_timeout=60)
    app.session_state["language"] = language
    for key, value in state.items():
        app.session_state[key] = value
    return app.run()


def test_a_picker_offers_at_most_the_newest_and_the_chosen_run(runs_root, in_order, monkeypatch):
    monkeypatch.setattr(store, "PICKER_SIZE", 3)
    made = [make(runs_root) for _ in range(6)]
    newest = sorted(made, reverse=True)[:3]
    app = open_picker()
    assert not app.exception
    picker = app.selectbox(key="picker_test")
    assert picker.value == newest[0] and [option.split(" · ")[-2] for option in picker.options] == newest
    assert any("The 3 newest finished runs" in caption.value and "all 6" in caption.value for caption in app.caption)
    assert "picker_test_find" in [button.key for button in app.button]
    # A run older than those, opened on the Run page (selected_run), is offered and chosen.
    app = open_picker(selected_run=made[0])
    picker = app.selectbox(key="picker_test")
    assert picker.value == made[0] and len(picker.options) == 4
    # Kept when newer runs finish: the picker's own choice stays offered.
    app.selectbox(key="picker_test").set_value(newest[-1]).run()
    later = [make(runs_root) for _ in range(3)]
    app.run()
    assert not app.exception
    assert app.selectbox(key="picker_test").value == newest[-1]
    assert [option.split(" · ")[-2] for option in app.selectbox(key="picker_test").options] == [*sorted(later, reverse=True), newest[-1]]


def test_no_caption_when_every_run_is_offered(runs_root, in_order):
    make(runs_root)
    app = open_picker()
    assert not app.exception and len(app.selectbox(key="picker_test").options) == 1
    assert not app.caption and not app.button


def test_the_pickers_caption_in_french(runs_root, in_order, monkeypatch):
    monkeypatch.setattr(store, "PICKER_SIZE", 2)
    for _ in range(5):
        make(runs_root)
    app = open_picker("fr")
    assert not app.exception
    expected = t("finished_picker_newest", "fr", shown=2, total=5)
    assert expected.startswith("Les 2 exécutions terminées les plus récentes") and "les 5 sont" in expected
    assert expected in [caption.value for caption in app.caption]
    assert app.button(key="picker_test_find").label == "Chercher une autre exécution"


# The Compare page.

def compare_options(app) -> list[str]:
    return list(app.multiselect(key="compare_runs").options)


def test_compare_offers_the_newest_runs_and_the_linked_ones(runs_root, in_order, monkeypatch):
    monkeypatch.setattr(store, "PICKER_SIZE", 3)
    made = [make(runs_root) for _ in range(6)]
    newest = sorted(made, reverse=True)[:3]
    app = open_page("compare")
    assert not app.exception
    assert [option.split(" · ")[-1] for option in compare_options(app)] == newest
    assert any("The 3 newest finished runs" in caption.value and "all 6" in caption.value for caption in app.caption)
    # ?runs= names two runs older than those: both offered and picked, however old.
    app = open_page("compare", query={"runs": f"{made[0]},{made[1]}"})
    assert not app.exception
    assert app.multiselect(key="compare_runs").value == [made[0], made[1]]
    assert len(compare_options(app)) == 5
    # The run last opened elsewhere (selected_run) is offered too.
    app = open_page("compare", selected_run=made[2])
    assert len(compare_options(app)) == 4 and made[2] in [option.split(" · ")[-1] for option in compare_options(app)]


def test_compare_links_to_the_runs_page_in_french(runs_root, in_order, monkeypatch):
    monkeypatch.setattr(store, "PICKER_SIZE", 2)
    made = [make(runs_root) for _ in range(4)]
    app = open_page(MAIN, language="fr", query={"lang": "fr"})
    app.switch_page("../pages/compare.py").run()
    assert not app.exception
    assert t("finished_picker_newest", "fr", shown=2, total=4) in [caption.value for caption in app.caption]
    app.button(key="compare_find").click().run()
    assert not app.exception
    assert app.title[0].value == t("runs_title", "fr")
    assert made[0] in list(app.dataframe[0].value["id"])
