"""Finished runs of the projects with their own train path (cvae, anomaly) for page tests:
trained for real, in this process, by the worker's own train function, on offline data."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from page_fixtures import edit_run_file, make_run

from core import frameworks
from core.projects import get_project
from core.runs import store
from core.runs.reporter import Reporter
from core.runs.worker import RunContext


def make_project_run(root: Path, project_id: str, dataset: str, model_name: str, epochs: int = 2, **overrides) -> str:
    """A finished run of `project_id`, trained by the project's own train function, with its
    checkpoint, metrics, results and eval/ files."""
    frameworks.torch()  # Before TensorFlow, always (see core.frameworks).
    project = get_project(project_id)
    run_id = make_run(root, with_model=False)
    path = root / run_id
    (path / store.METRICS_FILE).write_text("")  # The classifier's fake curves go: the real ones follow.
    parameters = project.parameters(epochs=epochs, **overrides)
    edit_run_file(root, run_id, store.PARAMS_FILE, project=project_id, dataset=dataset, model=model_name, backend="keras", hyperparameters=dataclasses.asdict(parameters))
    reporter = Reporter(path, epochs)
    try:
        context = RunContext(path=path, params=store.read_params(path), project=project, parameters=parameters, reporter=reporter)
        results = project.train(context)
    finally:
        reporter.close()
    edit_run_file(root, run_id, store.STATUS_FILE, results=results)
    return run_id


def make_generative_run(root: Path, model_name: str = "cvae", epochs: int = 2, **overrides) -> str:
    """A finished cvae run of `model_name` on digits, with its checkpoint, metrics and eval/latent.npz."""
    return make_project_run(root, "cvae", "digits", model_name, epochs, **overrides)


def copy_runs(source: Path, root: Path) -> Path:
    """`root` (a test's runs_root) holding a copy of a module's trained runs, so the test may
    change them."""
    shutil.copytree(source, root, dirs_exist_ok=True)
    return root
