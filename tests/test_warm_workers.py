"""Warm workers (core.runs.warm): a trainer that has imported its framework takes the next
run; the faults around it (killed idle, killed with a run, a cancel as it takes one, idle
too long, its app gone); the run's phases; the decoded-dataset cache. Real processes, the
torch backend (its import is the shortest), tiny runs, as in test_queue_worker.py."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import numpy as np
import pytest
from core_fixtures import REPOSITORY_ROOT, wait_for_epoch_metrics, wait_for_state, wait_until

from core import training
from core.runs import processes, queue, reporter, store, warm

pytestmark = pytest.mark.timeout(600)

QUICK = {"epochs": 2}
ENDLESS = {"epochs": 500}


@pytest.fixture
def warm_root(runs_root, monkeypatch):
    """runs_root with warming on (one warm worker a framework); every warm pair is stopped after."""
    monkeypatch.setenv("DLLAB_WARM_WORKERS", "1")
    monkeypatch.setenv("DLLAB_WARM_IDLE_SECONDS", "600")
    yield runs_root
    warm.stop_idle(runs_root)
    for path in warm.warm_dir(runs_root).glob("*.json"):  # Claimed pairs still registered: their runs are stopped by runs_root.
        entry = store.read_json(path)
        for key in ("trainer_pid", "supervisor_pid"):
            if processes.is_alive(entry.get(key), entry.get(key.replace("_pid", "_start"))):
                os.kill(entry[key], signal.SIGKILL)


def _idle(root, ready: bool = True, **wanted) -> dict:
    """The one idle torch pair (started when there is none), once its trainer is ready (or,
    `ready=False`, once it runs)."""
    warm.ensure("torch", root)

    def found():
        with queue.queue_lock(root):
            entries = warm.idle_entries(root, "torch")
        for entry in entries:
            if processes.is_alive(entry.get("trainer_pid"), entry.get("trainer_start")) and (entry.get("ready") is not None or not ready):
                if all(entry.get(key) == value for key, value in wanted.items()):
                    return entry
        return None

    return wait_until(found, "an idle warm torch worker", timeout=240)


def _gone(entry: dict) -> bool:
    return not processes.is_alive(entry["supervisor_pid"], entry["supervisor_start"]) and not processes.is_alive(entry["trainer_pid"], entry["trainer_start"])


def test_a_warm_worker_takes_the_run_in_its_own_trainer_and_another_is_started_after(warm_root):
    entry = _idle(warm_root)
    run_id = queue.submit("digits", backend="torch", overrides=QUICK)
    status = store.read_status(warm_root / run_id)
    assert status["status"] == "running" and status["warm"] is True
    assert (status["pid"], status["supervisor_pid"]) == (entry["trainer_pid"], entry["supervisor_pid"])
    run = wait_for_state(run_id)
    assert run.state == "finished", f"{run.status}\n{store.log_tail(run.path)}"
    log = (run.path / store.LOG_FILE).read_text()
    assert "warm: torch loaded in" in log and log.count(f"run {run_id}:") == 1
    assert [line.removeprefix("phase: ") for line in log.splitlines() if line.startswith("phase: ")] == ["building_model", "training", "evaluating"]
    # One run per process: this pair leaves; a new one waits for the run after.
    wait_until(lambda: _gone(entry), "the pair that trained to exit", timeout=60)
    successor = _idle(warm_root, ready=False)
    assert successor["supervisor_pid"] != entry["supervisor_pid"]


def test_a_warm_worker_killed_while_idle_leaves_and_the_next_run_still_starts(warm_root):
    entry = _idle(warm_root)
    os.kill(entry["trainer_pid"], signal.SIGKILL)
    wait_until(lambda: _gone(entry), "the idle pair to leave after its trainer died", timeout=60)
    assert not warm.entry_path(warm_root, entry["supervisor_pid"]).exists()
    run = wait_for_state(queue.submit("digits", backend="torch", overrides=QUICK))
    assert run.state == "finished", f"{run.status}\n{store.log_tail(run.path)}"
    assert run.status["pid"] != entry["trainer_pid"]


def test_a_warm_worker_killed_with_its_run_ends_it_failed_and_the_queue_goes_on(warm_root):
    entry = _idle(warm_root)
    killed = queue.submit("digits", backend="torch", overrides=ENDLESS)
    waiting = queue.submit("digits", backend="torch", overrides=QUICK)
    assert store.read_status(warm_root / killed)["pid"] == entry["trainer_pid"]
    wait_for_epoch_metrics(killed)
    os.kill(entry["trainer_pid"], signal.SIGKILL)
    run = wait_for_state(killed, timeout=60)  # Written by the pair's supervisor: nobody reconciles here.
    assert run.state == "failed", run.status
    assert run.status["error_key"] == "run_error_killed" and run.status["error_values"] == {"signal": "SIGKILL"}
    assert "epoch 1/500" in run.status["log_tail"]
    next_run = wait_for_state(waiting)
    assert next_run.state == "finished", f"{next_run.status}\n{store.log_tail(next_run.path)}"


@pytest.mark.parametrize("ready", [True, False], ids=["ready", "still-importing"])
def test_a_cancel_right_after_a_warm_worker_takes_the_run_ends_it_cancelled(warm_root, ready):
    entry = _idle(warm_root, ready=ready)
    run_id = queue.submit("digits", backend="torch", overrides=QUICK)
    status = store.read_status(warm_root / run_id)
    assert status.get("supervisor_pid") == entry["supervisor_pid"], status
    outcome = queue.cancel(run_id)
    assert outcome.stop_requested or outcome.state == "cancelled", outcome
    run = wait_for_state(run_id, reconcile=True)
    assert run.state == "cancelled", f"{run.status}\n{store.log_tail(run.path)}"
    assert "results" not in run.status


def test_a_warm_worker_idle_too_long_leaves(warm_root, monkeypatch):
    monkeypatch.setenv("DLLAB_WARM_IDLE_SECONDS", "2")
    [supervisor] = warm.ensure("torch", warm_root)
    entry = _idle(warm_root, ready=False, supervisor_pid=supervisor)
    wait_until(lambda: _gone(entry), "the idle pair to leave after its idle time", timeout=120)
    assert not warm.entry_path(warm_root, supervisor).exists()
    assert not (warm.warm_dir(warm_root) / f"{supervisor}.log").exists()  # A clean exit leaves no log behind.


PARENT = """
import sys, time
from pathlib import Path
from core.runs import warm
print(warm.ensure("torch", Path(sys.argv[1]))[0], flush=True)
time.sleep(600)
"""


def test_warm_workers_leave_when_the_app_that_asked_for_them_is_gone(warm_root):
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(warm_root)], cwd=REPOSITORY_ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ})
    try:
        supervisor = int(parent.stdout.readline())
        entry = _idle(warm_root, ready=False, supervisor_pid=supervisor)
        assert entry["parent_pid"] == parent.pid
        parent.kill()
        parent.wait()
        wait_until(lambda: _gone(entry), "the warm pair to leave after its app", timeout=60)
    finally:
        parent.kill()
        parent.wait()


# Put first on PYTHONPATH, it makes a warm trainer's import of its framework last ten minutes.
SLOW_IMPORT = """
import sys
if "--train" in sys.argv and "--warm" in sys.argv:
    import time
    sys.path.insert(0, {root!r})
    from core.runs import warm

    def slow_preload(framework):
        print("importing slowly", flush=True)
        time.sleep(600)

    warm.preload = slow_preload
"""


def test_a_warm_worker_still_importing_leaves_when_its_app_is_gone(warm_root, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SLOW_IMPORT.format(root=str(REPOSITORY_ROOT)))
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(warm_root)], cwd=REPOSITORY_ROOT, stdout=subprocess.PIPE, text=True, env=environment)
    try:
        supervisor = int(parent.stdout.readline())
        log = warm.warm_dir(warm_root) / f"{supervisor}.log"
        wait_until(lambda: log.exists() and "importing slowly" in log.read_text(), "the warm trainer to begin its slow import", timeout=120)
        entry = _idle(warm_root, ready=False, supervisor_pid=supervisor)
        assert entry["ready"] is None
        parent.kill()
        parent.wait()
        # Bounds a hang only: the import would last ten minutes.
        wait_until(lambda: _gone(entry), "the importing warm pair to leave after its app", timeout=60)
        assert not warm.entry_path(warm_root, supervisor).exists() and not log.exists()
    finally:
        parent.kill()
        parent.wait()


def test_no_warm_worker_when_warming_is_off(runs_root, monkeypatch):
    monkeypatch.setenv("DLLAB_WARM_WORKERS", "0")
    assert warm.ensure("torch", runs_root) == []
    run_id = queue.submit("digits", backend="torch", overrides={"epochs": 1})
    assert "warm" not in store.read_status(runs_root / run_id)
    assert wait_for_state(run_id).state == "finished"
    assert not list(warm.warm_dir(runs_root).glob("*.json"))


# Phases and the training clock.


def test_phases_of_a_status():
    assert reporter.phase_of({"status": "queued"}) == "waiting_for_worker"
    assert reporter.phase_of({"status": "running", "phase": "loading_data"}) == "loading_data"
    assert reporter.phase_of({"status": "running"}) == "loading_framework"
    assert reporter.phase_of({"status": "running", "progress": {"fraction": 0.5}}) == "training"  # Written before phases existed.
    assert reporter.phase_of({"status": "finished", "phase": "evaluating"}) is None


def test_the_eta_counts_training_time_only(tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(reporter.time, "time", lambda: clock[0])
    metrics = reporter.Reporter(tmp_path, epochs=4)
    try:
        clock[0] += 30.0  # Loading the framework and the data.
        metrics.set_phase("training")
        clock[0] += 10.0
        metrics.epoch_end(0, {"loss": 1.0}, {"loss": 1.0})
        progress = metrics.progress()
        assert progress["elapsed"] == pytest.approx(10.0) and progress["eta"] == pytest.approx(30.0)
        with pytest.raises(ValueError, match="unknown phase"):
            metrics.set_phase("resting")
    finally:
        metrics.close()


@pytest.mark.parametrize("backend_name", ["torch", "keras"])
def test_the_curve_begins_with_the_untrained_model_and_training_is_unchanged(tmp_path, monkeypatch, backend_name):
    from types import SimpleNamespace

    from core import backends, hyperparams
    from core.data import digits, split_pool
    from core.projects.digits import DigitsParameters

    split = split_pool(digits.load_digits(), seed=0, validation_fraction=0.1)
    split.x_train, split.y_train = split.x_train[:256], split.y_train[:256]
    # Dropout and flips draw random numbers: step 0 must draw none of them.
    parameters = hyperparams.resolve(DigitsParameters, {"epochs": 1, "augment_flip": True, "dropout": 0.5})
    backend = backends.get_backend(backend_name)
    metrics = reporter.Reporter(tmp_path, epochs=1)
    try:
        model = backend.build("cnn", split.input_shape, split.class_count, parameters)
        backend.fit(model, split, parameters, metrics)
    finally:
        metrics.close()
    records = store.read_metrics(tmp_path)
    first = {record["name"]: record for record in records if record["step"] == 0}
    assert set(first) == {"loss", "accuracy"} and records[0]["step"] == 0
    assert all(record["epoch"] == 0.0 and record["scope"] == "batch" and record["split"] == "train" for record in first.values())
    # Untrained on ten classes: near chance, ln(10) = 2.30 and 0.1.
    assert abs(first["loss"]["value"] - np.log(10)) < 0.5 and first["accuracy"]["value"] < 0.5, first
    assert any(record["step"] == 1 and record["scope"] == "batch" for record in records)  # The first batch's own point.

    # The same training without step 0 (nor what it builds early): the same model.
    monkeypatch.setattr(backend, "_first_point", lambda *arguments: None)
    unmeasured = backend.build("cnn", split.input_shape, split.class_count, parameters)
    silent = SimpleNamespace(batch_end=lambda *arguments: None, epoch_end=lambda *arguments: None)
    backend.fit(unmeasured, split, parameters, silent)
    np.testing.assert_allclose(backend.predict(model, split.x_test[:64]), backend.predict(unmeasured, split.x_test[:64]), rtol=1e-4, atol=1e-6)


# The decoded-dataset cache.


def test_a_second_load_of_the_same_data_comes_from_the_cache(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from core.projects import get_project

    monkeypatch.setenv("DLLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(training, "SLOW_LOAD_SECONDS", 0.0)  # Cache it however fast it loads here.
    project = get_project("digits")
    parameters = project.parameters()
    context = SimpleNamespace(params={"dataset": "digits"}, parameters=parameters, project=project)
    dataset = project.datasets["digits"]
    first = training.load_pool(context, dataset)
    cache = training.pool_cache_path("digits", "digits", dataset, parameters)
    assert cache is not None and cache.is_file()
    monkeypatch.setattr(type(dataset), "load_pool", lambda self, parameters: pytest.fail("loaded again"))
    second = training.load_pool(context, dataset)
    np.testing.assert_array_equal(first.images, second.images)
    np.testing.assert_array_equal(first.labels, second.labels)
    assert second.images.dtype == np.float32 and second.class_names == first.class_names and second.source == first.source
    # A dataset that would be downloaded is not cached (keras keeps its own copy).
    import dataclasses

    mnist = dataclasses.replace(project.datasets["mnist"], location=lambda: None)
    assert training.pool_cache_path("digits", "mnist", mnist, parameters) is None
