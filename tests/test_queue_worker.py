"""core.runs.queue and core.runs.worker with real worker processes; the command line.

Every test gets its own DLLAB_ARTIFACTS (the runs_root fixture) with one worker slot,
and uses the torch backend with few epochs where the framework does not matter.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading

import numpy as np
import pytest
from core_fixtures import (
    run_cli,
    run_folders,
    wait_for_epoch_metrics,
    wait_for_state,
    wait_until,
)

from core import config
from core.kinds.image_classification import PREDICTIONS_FILE
from core.runs import processes, queue, store
from core.runs.reporter import Diverged, Reporter
from core.training import CHECKPOINT_DESCRIPTION

pytestmark = pytest.mark.timeout(300)

QUICK = {"epochs": 2}
# Long enough never to finish inside a test: these runs are cancelled or killed.
ENDLESS = {"epochs": 500}
RUN_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")
DIGITS_TEST_COUNT = 360  # 20% of scikit-learn's 1,797 digits.


def _epoch_records(metrics, split, name):
    return [record for record in metrics if record.get("scope") == "epoch" and record["split"] == split and record["name"] == name]


def test_a_run_goes_queued_running_finished_and_fills_its_folder(runs_root):
    params = queue.build_params("digits", None, "cnn", "torch", QUICK)
    run_id = store.create_run(params)
    path = runs_root / run_id
    assert store.load_run(run_id).state == "queued"
    assert params["device"] is None and params["versions"] is None  # Left to the worker.

    assert queue.schedule() == [run_id]
    status = store.read_status(path)
    assert status["status"] == "running"
    assert isinstance(status["pid"], int) and status["process_start"] == processes.start_time(status["pid"])

    run = wait_for_state(run_id)
    assert run.state == "finished", f"{run.status}\n{store.log_tail(path)}"
    status = run.status
    assert "error" not in status
    assert status["started"] <= status["finished"] and status["heartbeat"] >= status["started"]
    assert status["progress"]["fraction"] == pytest.approx(1.0)
    results = status["results"]
    assert set(results) == {"test_accuracy", "test_loss", "test_macro_f1", "test_top_3_accuracy"}
    assert 0.3 < results["test_accuracy"] <= 1.0 and results["test_loss"] > 0

    metrics = store.read_metrics(path)
    for split in ("train", "validation"):
        for name in ("loss", "accuracy"):
            assert [record["epoch"] for record in _epoch_records(metrics, split, name)] == [1, 2], (split, name)
    batch_lines = [record for record in metrics if record.get("scope") == "batch"]
    assert batch_lines and all(record["split"] == "train" and 0 <= record["epoch"] <= 2 for record in batch_lines)
    # The curve's first point: the untrained model's loss and accuracy, before any step.
    assert {record["name"] for record in batch_lines if record["epoch"] == 0} == {"loss", "accuracy"}
    assert {record["name"] for record in batch_lines} == {"loss", "accuracy"}
    test_lines = {record["name"]: record["value"] for record in metrics if record["split"] == "test"}
    assert test_lines == {name.removeprefix("test_"): value for name, value in results.items()}
    assert all({"step", "epoch", "split", "name", "value", "time"} <= set(record) for record in metrics)

    assert (path / "model.pt").is_file()
    description = json.loads((path / CHECKPOINT_DESCRIPTION).read_text())
    assert description["backend"] == "torch" and description["file"] == "model.pt" and description["input_shape"] == [8, 8, 1]

    with np.load(path / store.EVAL_DIR / PREDICTIONS_FILE) as archive:
        predictions = {name: archive[name] for name in archive.files}
    assert set(predictions) == {"images", "labels", "predictions", "probabilities"}
    assert predictions["images"].shape == (DIGITS_TEST_COUNT, 8, 8, 1) and predictions["images"].dtype == np.uint8
    assert predictions["probabilities"].shape == (DIGITS_TEST_COUNT, 10)
    np.testing.assert_allclose(predictions["probabilities"].sum(1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(predictions["predictions"], predictions["probabilities"].argmax(1))
    assert (predictions["predictions"] == predictions["labels"]).mean() == pytest.approx(results["test_accuracy"])

    written = json.loads((path / store.PARAMS_FILE).read_text())
    assert written["run_id"] == run_id
    assert written["device"] == "CPU" or written["device"].startswith("GPU")
    assert written["versions"]["torch"][0].isdigit()
    assert written["hyperparameters"]["epochs"] == 2 and written["backend"] == "torch" and written["seed"] == 0

    log = (path / store.LOG_FILE).read_text()
    assert f"run {run_id}: digits cnn on digits with torch" in log and "finished: test_accuracy=" in log
    wait_until(lambda: not processes.is_alive(status["pid"]), "the worker to exit", timeout=30)


def test_cancel_a_queued_run_then_the_running_one(runs_root):
    running = queue.submit("digits", backend="torch", overrides=ENDLESS)
    waiting = queue.submit("digits", backend="torch", overrides=QUICK)
    assert store.load_run(running).state == "running"
    assert store.load_run(waiting).state == "queued"  # One worker slot, taken.
    wait_for_epoch_metrics(running)

    # Queued: cancelled at once, and no worker was ever started for it.
    assert queue.cancel(waiting) == queue.CancelOutcome("cancelled", stop_requested=False)
    waiting_run = store.load_run(waiting)
    assert waiting_run.state == "cancelled" and "pid" not in waiting_run.status
    assert not (waiting_run.path / store.LOG_FILE).exists()

    # Running: signalled, and the worker ends the run itself.
    pid = store.load_run(running).status["pid"]
    # The answer is a state of the one vocabulary, with the signal said apart.
    outcome = queue.cancel(running)
    assert outcome == queue.CancelOutcome("running", stop_requested=True) and outcome.state in store.STATUSES
    run = wait_for_state(running)
    assert run.state == "cancelled", run.status
    assert "error" not in run.status and "results" not in run.status
    assert "cancelled by the user" in store.log_tail(run.path)
    wait_until(lambda: not processes.is_alive(pid), "the cancelled worker to exit", timeout=30)

    # The worker's last schedule() did not resurrect the cancelled queued run.
    waiting_run = store.load_run(waiting)
    assert waiting_run.state == "cancelled" and "pid" not in waiting_run.status
    assert queue.cancel(running) == queue.CancelOutcome("cancelled")  # Cancelling again changes nothing.


def test_cancel_right_after_submit_ends_cancelled(runs_root):
    # The signal may reach the worker before it has installed its handler: still cancelled.
    run_id = queue.submit("digits", backend="torch", overrides=QUICK)
    assert queue.cancel(run_id).stop_requested
    run = wait_for_state(run_id, reconcile=True)
    assert run.state == "cancelled", run.status


def test_killed_worker_is_reconciled_failed_and_the_queue_moves_on(runs_root):
    # Bystanders: a finished run and a cancelled one, which nothing may touch.
    finished = store.create_run(queue.build_params("digits", None, "cnn", "torch", QUICK))
    store.write_status(runs_root / finished, status="finished", results={"test_accuracy": 0.5, "test_loss": 1.0})
    cancelled = store.create_run(queue.build_params("digits", None, "cnn", "torch", QUICK))
    store.write_status(runs_root / cancelled, status="cancelled")
    bystanders = {run_id: store.read_status(runs_root / run_id) for run_id in (finished, cancelled)}

    killed = queue.submit("digits", backend="torch", overrides=ENDLESS)
    waiting = queue.submit("digits", backend="torch", overrides=QUICK)
    wait_for_epoch_metrics(killed)
    assert store.load_run(waiting).state == "queued"

    # The supervisor killed first (a trainer killed alone is written off by its supervisor at
    # once: test_reliability.py): the trainer dies with it and nobody is left to write the end.
    status = store.load_run(killed).status
    pid = status["pid"]
    os.kill(status["supervisor_pid"], signal.SIGKILL)
    wait_until(lambda: not processes.is_alive(pid), "the killed worker's trainer to be gone", timeout=30)
    assert store.load_run(killed).state == "running"  # Nobody has noticed yet.

    assert queue.schedule() == [waiting]
    run = store.load_run(killed)
    assert run.state == "failed"
    assert "ended unexpectedly" in run.status["error"]
    assert re.search(r"epoch \d+/500", run.status["log_tail"])  # The worker's own last words.
    assert run.status["pid"] == pid

    next_run = wait_for_state(waiting)
    assert next_run.state == "finished", f"{next_run.status}\n{store.log_tail(next_run.path)}"
    assert next_run.status["pid"] != pid
    assert store.load_run(killed).status == run.status
    for run_id, status in bystanders.items():
        assert store.read_status(runs_root / run_id) == status


def test_two_submits_at_the_same_moment_make_two_runs_one_worker_each(runs_root):
    barrier = threading.Barrier(4)
    run_ids, errors = [], []

    def submit():
        try:
            barrier.wait()
            run_ids.append(queue.submit("digits", backend="torch", overrides=QUICK))
        except Exception as error:  # Reported below; a thread cannot fail the test itself.
            errors.append(error)

    def schedule():
        try:
            barrier.wait()
            queue.schedule()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=submit), threading.Thread(target=submit), threading.Thread(target=schedule), threading.Thread(target=schedule)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(run_ids) == 2 and len(set(run_ids)) == 2
    assert sorted(path.name for path in run_folders(runs_root)) == sorted(run_ids)

    runs = [wait_for_state(run_id) for run_id in run_ids]
    assert [run.state for run in runs] == ["finished", "finished"], [run.status for run in runs]
    assert runs[0].status["pid"] != runs[1].status["pid"]
    for run in runs:
        log = (run.path / store.LOG_FILE).read_text()
        # A second worker on the folder would have written here too, and refused.
        assert log.count(f"run {run.id}:") == 1, log
        assert log.count("finished: ") == 1, log
        assert "another worker owns" not in log and "was not handed" not in log, log
        metrics = store.read_metrics(run.path)
        assert [record["epoch"] for record in _epoch_records(metrics, "validation", "loss")] == [1, 2]
    # One slot: the second run started only after the first had finished.
    first, second = sorted(runs, key=lambda run: run.status["started"])
    assert second.status["started"] >= first.status["finished"]


def test_a_nan_loss_ends_failed_diverged(runs_root):
    # Weight decay 1 at step 10 multiplies every kernel by 1 - 2 * 10 = -19 each step:
    # the weights overflow within a few steps whatever the seed, and the loss is NaN.
    run_id = queue.submit("digits", backend="torch", overrides={"epochs": 3, "optimizer": "sgd", "learning_rate": 10, "l2": 1})
    run = wait_for_state(run_id)
    assert run.state == "failed", run.status
    assert run.status["error"] == "diverged"
    assert re.search(r"became (nan|inf|-inf)", run.status["detail"])
    assert "diverged:" in run.status["log_tail"]
    assert not (run.path / "model.pt").exists()


def test_reporter_raises_diverged_on_nan(tmp_path):
    reporter = Reporter(tmp_path, epochs=1)
    try:
        reporter.batch_end(0, 0, 2, {"loss": 1.0, "accuracy": 0.5})
        with pytest.raises(Diverged, match="loss became nan"):
            reporter.batch_end(0, 1, 2, {"loss": float("nan"), "accuracy": 0.5})
        with pytest.raises(Diverged, match="val_loss became inf"):
            reporter.epoch_end(0, {"loss": 1.0}, {"loss": float("inf")})
    finally:
        reporter.close()


@pytest.mark.parametrize(
    "arguments, named",
    [
        ({"overrides": {"epochs": "abc"}}, "epochs: expected int from 1 to 500"),
        ({"overrides": {"epochs": 0}}, "epochs: expected int from 1 to 500"),
        ({"overrides": {"optimizer": "adamw"}}, "optimizer: expected one of"),
        ({"overrides": {"no_such_field": 1}}, "unknown hyperparameter 'no_such_field'"),
        ({"dataset": "cifar"}, "unknown dataset 'cifar'"),
        ({"model": "resnet"}, "unknown model 'resnet'"),
        ({"model": "mlp", "backend": "torch"}, "model 'mlp' has no backend 'torch'"),
    ],
)
def test_bad_choices_and_hyperparameters_create_no_run(runs_root, arguments, named):
    with pytest.raises(ValueError, match=re.escape(named)):
        queue.submit("digits", **arguments)
    assert run_folders(runs_root) == []


def test_unknown_project_creates_no_run(runs_root):
    with pytest.raises(ValueError, match="unknown project 'nope'; valid: digits"):
        queue.submit("nope")
    assert run_folders(runs_root) == []


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_worker_count_must_be_a_whole_number(monkeypatch, value):
    monkeypatch.setenv("DLLAB_WORKERS", value)
    with pytest.raises(ValueError, match="DLLAB_WORKERS"):
        config.max_workers()


def test_process_liveness_sees_zombies_and_reused_pids():
    assert processes.is_alive(os.getpid())
    assert processes.is_alive(os.getpid(), processes.start_time(os.getpid()))
    assert not processes.is_alive(os.getpid(), processes.start_time(os.getpid()) + 1)  # Another process, same pid.
    assert not processes.is_alive(None) and not processes.is_alive(0)
    child = subprocess.Popen(["true"])
    try:
        # Exited but not reaped: a zombie, which os.kill(pid, 0) would call alive.
        wait_until(lambda: not processes.is_alive(child.pid), "the child to become a zombie", timeout=30)
        os.kill(child.pid, 0)
    finally:
        child.wait()


def test_cancel_and_delete_unknown_runs(runs_root):
    for run_id in ("20990101-000000-abcdef", "../x"):
        with pytest.raises(store.RunNotFound):
            queue.cancel(run_id)
        with pytest.raises(store.RunNotFound):
            queue.delete(run_id)


def test_cancel_answers_with_a_status_and_the_command_line_says_it(runs_root, capsys):
    from core.runs import cli

    # Queued, no worker: cancelled at once.
    queued = store.create_run(queue.build_params("digits", None, "cnn", "torch", QUICK))
    assert cli.main(["cancel", queued]) == 0
    assert capsys.readouterr().out.strip() == f"{queued}: cancelled"
    assert store.load_run(queued).state == "cancelled"

    # Running with a live process (a stand-in, not a worker): signalled, still running for now.
    stand_in = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        running = store.create_run(queue.build_params("digits", None, "cnn", "torch", QUICK))
        store.write_status(runs_root / running, status="running", pid=stand_in.pid, process_start=processes.start_time(stand_in.pid))
        assert cli.main(["cancel", running]) == 0
        assert capsys.readouterr().out.strip() == f"{running}: stop requested; the run ends cancelled in a moment"
        assert stand_in.wait(timeout=10) == -signal.SIGTERM
        # Gone without writing its status: the cancel it was sent makes it cancelled, not failed.
        outcome = queue.cancel(running)
        assert outcome == queue.CancelOutcome("cancelled") and outcome.state in store.TERMINAL_STATUSES
    finally:
        stand_in.kill()
        stand_in.wait()


def test_delete_a_queued_run(runs_root):
    run_id = store.create_run(queue.build_params("digits", None, None, None, QUICK))
    queue.delete(run_id)
    assert run_folders(runs_root) == []


# The command line: python -m core ...


def test_cli_bad_hyperparameter_exits_2_with_one_line_and_no_run(runs_root):
    result = run_cli("train", "digits", "--set", "epochs=abc")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "epochs" in lines[0] and "int from 1 to 500" in lines[0] and "'abc'" in lines[0]
    assert run_folders(runs_root) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ["train", "digits", "--set", "epochs"],
        ["train", "nope"],
        ["train", "digits", "--backend", "jax"],
        ["train", "digits", "--model", "resnet"],
        ["train"],
        ["frobnicate"],
    ],
)
def test_cli_other_bad_input_exits_2_with_one_line(runs_root, arguments):
    result = run_cli(*arguments)
    assert result.returncode == 2, result
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert run_folders(runs_root) == []


def test_cli_projects_lists_digits(runs_root):
    result = run_cli("projects")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^digits: Handwritten digits$", result.stdout, re.MULTILINE)
    assert "backends: keras, torch" in result.stdout and "epochs=25" in result.stdout


def test_cli_train_wait_prints_the_id_then_json_and_runs_lists_it(runs_root):
    result = run_cli("train", "digits", "--backend", "torch", "--set", "epochs=2", "--wait")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2, result.stdout
    run_id = lines[0]
    assert RUN_ID.fullmatch(run_id)
    final = json.loads(lines[-1])
    assert set(final) == {"test_accuracy", "test_loss", "test_macro_f1", "test_top_3_accuracy"}
    assert 0.0 <= final["test_accuracy"] <= 1.0 and final["test_loss"] > 0
    run = store.load_run(run_id)
    assert run.state == "finished" and run.status["results"] == final
    assert "finished" in result.stderr  # Progress goes to stderr.

    listing = run_cli("runs")
    assert listing.returncode == 0, listing.stderr
    row = next(line for line in listing.stdout.splitlines() if line.startswith(run_id))
    assert row.split() == [run_id, "digits", "cnn", "torch", "finished", f"test_accuracy={final['test_accuracy']:.4f}"]


@pytest.mark.parametrize("run_id", ["BADID", "../x"])
def test_cli_cancel_unknown_run_exits_2(runs_root, run_id):
    result = run_cli("cancel", run_id)
    assert result.returncode == 2
    assert "run not found" in result.stderr and run_id in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_names_a_folder_problem_in_words_not_by_its_key(runs_root, tmp_path):
    result = run_cli("train", "cifar10", "--dataset", "folder")
    assert result.returncode == 2 and result.stderr.startswith("error: No image folder given"), result.stderr
    (tmp_path / "only" / "cats").mkdir(parents=True)
    from PIL import Image

    Image.new("RGB", (8, 8)).save(tmp_path / "only" / "cats" / "one.png")
    result = run_cli("train", "cifar10", "--dataset", "folder", "--set", f"data_path={tmp_path / 'only'}")
    assert result.returncode == 2 and "Only one class has images (cats)" in result.stderr, result.stderr
    assert run_folders(runs_root) == []
