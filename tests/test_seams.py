"""The seams: a kind of task and a project added from outside dllab (a plugin written by
this test, named in DLLAB_PLUGINS) train through the real queue and worker process and
show on the Run page, with no file of dllab touched."""
from __future__ import annotations

import sys
import textwrap

import pytest
from core_fixtures import REPOSITORY_ROOT, wait_for_state
from streamlit.testing.v1 import AppTest

from app import kinds as kind_views
from core import i18n, kinds, plugins
from core.projects import PROJECTS
from core.runs import queue, store

# A 2-class toy: points on a line, the class is which side of a hidden threshold they
# fall; "training" moves a threshold towards the best split, one step an epoch.
PLUGIN = '''
from dataclasses import dataclass

import numpy as np

from core import i18n, kinds, projects
from core.hyperparams import parameter
from core.kinds.base import EvaluationFile, Kind
from core.projects.base import DatasetSpec, Project

RESULTS = EvaluationFile("toy.npz", ("values", "labels", "predictions"))
KIND = Kind(name="toy_threshold", title="toy_kind_title", evaluation=RESULTS, models={"torch": "toy_plugin"})
MODELS = {"threshold": None}  # Trained by train() below: no framework builds it.


@dataclass(frozen=True)
class ToyParameters:
    epochs: int = parameter(4, minimum=1, maximum=20, help="help_epochs")
    seed: int = parameter(0, minimum=0, maximum=1000, help="help_seed")


def points(seed: int = 0):
    generator = np.random.default_rng(seed)
    values = generator.uniform(-1, 1, 200)
    return values, (values > 0.3).astype(np.int64)


def train(context):
    values, labels = points(context.parameters.seed)
    threshold = -1.0
    for epoch in range(context.parameters.epochs):
        candidates = np.linspace(-1, 1, 41)
        accuracies = [((values > candidate) == labels).mean() for candidate in candidates]
        threshold += 0.5 * (candidates[int(np.argmax(accuracies))] - threshold)
        accuracy = float(((values > threshold) == labels).mean())
        context.reporter.epoch_end(epoch, {"loss": 1 - accuracy, "accuracy": accuracy}, {"loss": 1 - accuracy, "accuracy": accuracy})
    predictions = (values > threshold).astype(np.int64)
    RESULTS.write(context.path, values=values, labels=labels, predictions=predictions)
    return {"toy_accuracy": float((predictions == labels).mean()), "toy_threshold": float(threshold)}


i18n.add_strings({
    "toy_kind_title": {"en": "Toy thresholds", "fr": "Seuils jouets"},
    "toy_project_title": {"en": "Toy project", "fr": "Projet jouet"},
    "toy_project_summary": {"en": "Two classes on a line.", "fr": "Deux classes sur une droite."},
    "toy_dataset": {"en": "Points on a line", "fr": "Points sur une droite"},
    "metric_toy_accuracy": {"en": "Toy accuracy", "fr": "Exactitude jouet"},
})
kinds.register(KIND)
projects.register(Project(
    id="toy", title="toy_project_title", summary="toy_project_summary", task=KIND.name,
    datasets={"line": DatasetSpec(title="toy_dataset", load=points, offline=True, generated=True)},
    models=("threshold",), parameters=ToyParameters, views=("curves",), train=train,
    results={"toy_accuracy": True, "toy_threshold": False},
))
'''

VIEWS = '''
import streamlit as st

from core import kinds


def run_views(run, project_views):
    stored = kinds.get_kind("toy_threshold").evaluation.read(run.path)
    st.subheader("Toy view")
    st.write(f"{int((stored['predictions'] == stored['labels']).sum())} of {len(stored['labels'])} points on the right side")


compare_sections = ()
'''


@pytest.fixture
def toy_plugin(tmp_path, monkeypatch):
    """The plugin and its views as files outside the repository, loaded the way the app
    and the worker load them; every registry put back afterwards."""
    (tmp_path / "toy_plugin.py").write_text(textwrap.dedent(PLUGIN))
    (tmp_path / "toy_views.py").write_text(textwrap.dedent(VIEWS))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("DLLAB_PLUGINS", "toy_plugin")
    before = {"kinds": set(kinds.KINDS), "projects": set(PROJECTS), "strings": set(i18n.STRINGS), "views": set(kind_views.VIEWS)}
    plugins.load()
    kind_views.register("toy_threshold", "toy_views")
    yield
    for table, keys in ((kinds.KINDS, before["kinds"]), (PROJECTS, before["projects"]), (i18n.STRINGS, before["strings"]), (kind_views.VIEWS, before["views"])):
        for key in set(table) - keys:
            del table[key]
    plugins._loaded.discard("toy_plugin")
    for name in ("toy_plugin", "toy_views"):
        sys.modules.pop(name, None)


def test_a_kind_and_a_project_from_a_plugin_train_in_the_worker_and_show_on_the_run_page(toy_plugin, runs_root):
    assert "toy" in PROJECTS and kinds.get_kind("toy_threshold").title == "toy_kind_title"
    run_id = queue.submit("toy", overrides={"epochs": 5})
    run = wait_for_state(run_id)
    assert run.state == "finished", store.log_tail(run.path)
    results = run.status["results"]
    assert results["toy_accuracy"] >= 0.95 and abs(results["toy_threshold"] - 0.3) < 0.1
    epochs = [record for record in store.read_metrics(run.path) if record["name"] == "accuracy" and record["split"] == "train"]
    assert len(epochs) == 5

    for language, headline in (("en", "Toy accuracy"), ("fr", "Exactitude jouet")):
        app = AppTest.from_file(str(REPOSITORY_ROOT / "pages" / "run.py"), default_timeout=60)
        app.session_state["language"] = language
        app.session_state["selected_run"] = run_id
        app.run()
        assert not app.exception, app.exception
        assert [metric.label for metric in app.metric if metric.label == headline], [metric.label for metric in app.metric]
        assert any("Toy view" == element.value for element in app.subheader)
        assert any("points on the right side" in str(element.value) for element in app.markdown)


def test_a_plugin_that_fails_is_reported_and_skipped(tmp_path, monkeypatch, capsys):
    (tmp_path / "broken_plugin.py").write_text("raise RuntimeError('half written')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("DLLAB_PLUGINS", "broken_plugin, no_such_plugin")
    plugins.load()
    message = capsys.readouterr().err
    assert "plugin 'broken_plugin' not loaded: RuntimeError: half written" in message
    assert "plugin 'no_such_plugin' not loaded: ModuleNotFoundError" in message
    plugins._loaded.difference_update({"broken_plugin", "no_such_plugin"})
    sys.modules.pop("broken_plugin", None)
