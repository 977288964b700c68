"""core.kinds: the registry of kinds of task, their evaluation files (one schema, one
reader and writer) and their views in app.kinds."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from core_fixtures import REPOSITORY_ROOT

from app import kinds as kind_views
from core import backends, kinds
from core.kinds.base import EvaluationFile
from core.projects import PROJECTS

SCHEMA = EvaluationFile("sample.npz", ("labels", "scores"))


def test_an_evaluation_file_round_trips_and_refuses_a_missing_array(tmp_path):
    SCHEMA.write(tmp_path, labels=np.arange(3), scores=np.ones(3, dtype=np.float32), extra=np.zeros(2))
    read = SCHEMA.read(tmp_path)
    assert read["labels"].tolist() == [0, 1, 2] and read["scores"].dtype == np.float32 and "extra" in read
    with pytest.raises(ValueError, match="sample.npz needs scores"):
        SCHEMA.write(tmp_path, labels=np.arange(3))
    assert not list((tmp_path / "eval").glob(".*")), "no temporary file is left behind"


def test_reading_a_file_that_lacks_an_array_or_holds_objects_fails_clearly(tmp_path):
    (tmp_path / "eval").mkdir()
    np.savez(SCHEMA.path(tmp_path), labels=np.arange(3))
    with pytest.raises(KeyError, match="sample.npz lacks scores"):
        SCHEMA.read(tmp_path)
    np.savez(SCHEMA.path(tmp_path), labels=np.array([{"a": 1}], dtype=object), scores=np.ones(1))
    with pytest.raises(ValueError):  # Never unpickled.
        SCHEMA.read(tmp_path)
    with pytest.raises(OSError):
        EvaluationFile("absent.npz", ()).read(tmp_path)


def test_an_unknown_kind_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown kind of task 'segmentation'; valid: image_classification, generation, anomaly_detection"):
        kinds.get_kind("segmentation")


@pytest.mark.parametrize("project_id", list(PROJECTS))
def test_every_project_names_a_kind_whose_model_tables_hold_its_models(project_id):
    project = PROJECTS[project_id]
    kind = kinds.get_kind(project.task)
    offered = {model for backend in kind.models for model in backends.model_names(backend)}
    assert set(project.models) <= offered
    for model in project.models:
        assert project.backends_for(model), f"{model} has no backend"


@pytest.mark.parametrize("kind_name", list(kinds.KINDS))
def test_every_kind_has_its_views_and_its_strings(kind_name):
    from core import i18n

    kind = kinds.get_kind(kind_name)
    assert i18n.t(kind.title, "en") and i18n.t(kind.title, "fr")
    views = kind_views.views_for(kind_name)
    assert callable(views.run_views) and callable(views.home_preview)
    assert all(callable(section) for section in views.compare_sections)


def test_pages_take_the_runs_of_the_kinds_that_name_them():
    assert kinds.kinds_for_page("explain") == ("image_classification",)
    assert set(kinds.kinds_for_page("projector")) == {"image_classification", "generation"}
    assert kinds.kinds_for_page("anomaly") == ("anomaly_detection",)
    assert kinds.kinds_for_page("no-such-page") == ()


def test_the_registries_import_no_framework():
    script = "import sys\nimport core.kinds, core.projects, core.backends, app.kinds\nfrom core import backends\n[backends.model_names(name) for name in backends.BACKENDS]\nprint(sorted(name for name in ('tensorflow', 'torch', 'keras', 'streamlit') if name in sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", script], cwd=REPOSITORY_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
