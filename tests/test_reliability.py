"""Runs that end as they should: a cancel that comes early, a trainer killed outright, a
damaged checkpoint.json, a classifier that learns nothing, a projection service whose app
is gone. Real queue and worker processes, as in test_queue_worker.py."""
from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from core_fixtures import (
    REPOSITORY_ROOT,
    wait_for_epoch_metrics,
    wait_for_state,
    wait_until,
)
from page_fixtures import make_run, open_page, write_checkpoint

from core import inference
from core.i18n import t
from core.runs import processes, queue, reporter, store
from core.training import CHECKPOINT_DESCRIPTION

pytestmark = pytest.mark.timeout(600)

QUICK = {"epochs": 2}
ENDLESS = {"epochs": 500}


def _forbid_reconcile(monkeypatch) -> None:
    """From here on this test process never reconciles: what happens is the worker's doing."""
    monkeypatch.setattr(queue, "schedule", lambda *arguments, **keywords: pytest.fail("the test called queue.schedule()"))
    monkeypatch.setattr(queue, "reconcile_locked", lambda *arguments, **keywords: pytest.fail("the test reconciled"))


# 1. A cancel right after a run starts.


def test_a_cancel_right_after_the_next_run_starts_ends_it_cancelled(runs_root):
    # The second run is started by the first one's worker as it ends: it must not inherit
    # "ignore SIGTERM", and a cancel in its first moments must still stop it.
    first = queue.submit("digits", backend="torch", overrides={"epochs": 1})
    second = queue.submit("digits", backend="torch", overrides=QUICK)
    wait_until(lambda: store.read_status(runs_root / second).get("status") != "queued", "the second run to start", interval=0.02)
    outcome = queue.cancel(second)
    assert outcome.stop_requested or outcome.state == "cancelled", outcome
    run = wait_for_state(second, reconcile=True)
    assert run.state == "cancelled", f"{run.status}\n{store.log_tail(run.path)}"
    assert "results" not in run.status
    assert wait_for_state(first).state == "finished"


def test_the_trainer_starts_with_a_cancel_held_until_its_handler_is_in_place(runs_root):
    run_id = queue.submit("digits", backend="torch", overrides=ENDLESS)
    status = wait_until(lambda: (lambda status: status if status.get("supervisor_pid") else None)(store.read_status(runs_root / run_id)), "the trainer to start")
    # SIGTERM is neither ignored by the supervisor nor by the trainer (a caught signal is
    # reset at exec, an ignored one would be inherited by the next run).
    for pid in (status["supervisor_pid"], status["pid"]):
        fields = dict(line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":\t" in line)
        assert not int(fields["SigIgn"], 16) & (1 << (signal.SIGTERM - 1)), (pid, fields["SigIgn"])
    wait_for_epoch_metrics(run_id)
    assert queue.cancel(run_id).stop_requested
    assert wait_for_state(run_id).state == "cancelled"


def test_a_cancel_marker_alone_stops_the_run_between_epochs(tmp_path):
    # A cancel whose signal was lost: the reporter sees the marker queue.cancel touched.
    metrics = reporter.Reporter(tmp_path, epochs=3)
    try:
        metrics.epoch_end(0, {"loss": 1.0, "accuracy": 0.5}, {"loss": 1.0, "accuracy": 0.5})
        (tmp_path / store.CANCEL_REQUEST_FILE).touch()
        with pytest.raises(reporter.Cancelled):
            metrics.epoch_end(1, {"loss": 0.9, "accuracy": 0.6}, {"loss": 0.9, "accuracy": 0.6})
    finally:
        metrics.close()


# 2. A trainer killed outright (SIGKILL, the out-of-memory killer).


def test_a_killed_trainer_ends_failed_at_once_without_reconcile(runs_root, monkeypatch):
    run_id = queue.submit("digits", backend="torch", overrides=ENDLESS)
    wait_for_epoch_metrics(run_id)
    _forbid_reconcile(monkeypatch)
    pid = store.load_run(run_id).status["pid"]
    os.kill(pid, signal.SIGKILL)
    run = wait_for_state(run_id, timeout=60)
    assert run.state == "failed", run.status
    assert run.status["error_key"] == "run_error_killed" and run.status["error_values"] == {"signal": "SIGKILL"}
    assert run.status["error"] == t("run_error_killed", signal="SIGKILL")
    assert "epoch 1/500" in run.status["log_tail"]
    assert t("run_error_killed", "fr", signal="SIGKILL") != run.status["error"]  # There is a French text to show.


# 3. checkpoint.json: written atomically, read defensively.


def _description_context(path: Path):
    from types import SimpleNamespace

    return SimpleNamespace(params={"backend": "torch", "model": "cnn", "dataset": "digits"}, path=path)


def test_a_description_write_that_breaks_off_leaves_the_old_one_whole(tmp_path, monkeypatch):
    write_checkpoint(tmp_path, "torch", "cnn", None, (8, 8, 1), [str(digit) for digit in range(10)], "digits")
    before = inference.read_description(tmp_path)

    def half_then_fail(self, text, *arguments, **keywords):
        with open(self, "w") as stream:
            stream.write(text[: len(text) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        write_checkpoint(tmp_path, "torch", "cnn", None, (8, 8, 1), ["a", "b"], "digits")
    monkeypatch.undo()
    assert inference.read_description(tmp_path) == before


@pytest.mark.parametrize("content", ['{"backend": "torch", "mod', "", "[1, 2]", '{"backend": "torch"}', "\xff\xfe"])
def test_a_damaged_description_is_a_translated_error(tmp_path, content):
    (tmp_path / CHECKPOINT_DESCRIPTION).write_text(content)
    with pytest.raises(inference.DamagedDescription) as caught:
        inference.read_description(tmp_path)
    assert caught.value.key == "inference_error_damaged_description"
    assert "damaged" in str(caught.value)
    with pytest.raises(inference.DamagedDescription):
        inference.load_model(tmp_path)
    assert isinstance(inference.description_damage(tmp_path), inference.DamagedDescription)


def test_a_sound_or_absent_description_is_no_damage(tmp_path):
    assert inference.description_damage(tmp_path) is None  # A run that saved no model.
    write_checkpoint(tmp_path, "torch", "cnn", None, (8, 8, 1), ["a", "b"], "digits")
    assert inference.description_damage(tmp_path) is None
    assert not list(tmp_path.glob(".*.tmp"))  # The atomic write left no temporary file.


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_run_page_says_a_damaged_description_in_words(runs_root, language):
    run_id = make_run(runs_root)
    (runs_root / run_id / CHECKPOINT_DESCRIPTION).write_text('{"backend": "torch", "mod')
    app = open_page("run", language=language, query={"run": run_id})
    assert not app.exception, [item.value for item in app.exception]
    errors = [item.value for item in app.error]
    assert t("inference_error_damaged_description", language) in errors, errors
    assert not any("Unterminated" in error or "JSON" in error for error in errors), errors


# 4. A classifier that is not learning.


def _history(losses: list[float], accuracy: bool = True) -> list[dict]:
    records = []
    for epoch, loss in enumerate(losses, start=1):
        records.append({"epoch": epoch, "split": "train", "name": "loss", "value": loss, "scope": "epoch"})
        records.append({"epoch": epoch, "split": "train", "name": "loss", "value": loss * 1.1, "scope": "batch"})
        if accuracy:
            records.append({"epoch": epoch, "split": "train", "name": "accuracy", "value": 0.1, "scope": "epoch"})
        records.append({"epoch": epoch, "split": "validation", "name": "loss", "value": 0.1, "scope": "epoch"})
    return records


def test_a_loss_at_chance_level_is_not_learning():
    chance = math.log(10)
    problem = reporter.learning_problem(_history([2.5, 2.31, 2.30]), class_count=10, epochs=25)
    assert problem == {"key": "run_warning_not_learning", "values": {"loss": 2.3, "chance": round(chance, 4), "classes": 10}}
    # Far above chance (Adam at learning rate 10 on digits: 4.9 after two epochs) is no better.
    assert reporter.learning_problem(_history([44205390.8, 4.9055]), 10, 2)["key"] == "run_warning_not_learning"
    assert t("run_warning_not_learning", "fr", **problem["values"]).startswith("La perte")


@pytest.mark.parametrize(
    "losses, class_count, epochs, accuracy",
    [
        ([2.2, 1.1], 10, 25, True),  # Learning.
        ([2.3, 2.3, 0.9], 10, 25, True),  # Slow to start, then learning.
        ([2.3], 10, 25, True),  # One epoch of 25: too early to say.
        ([2.3, 2.3], None, 25, True),  # The class count is unknown.
        ([2.3, 2.3], 10, 25, False),  # No accuracy: not a classifier's loss (a VAE's).
        ([], 10, 25, True),
    ],
)
def test_no_verdict_without_reason(losses, class_count, epochs, accuracy):
    assert reporter.learning_problem(_history(losses, accuracy), class_count, epochs) is None


def test_a_single_epoch_run_and_a_non_finite_loss_are_judged():
    assert reporter.learning_problem(_history([2.4]), 10, epochs=1)["key"] == "run_warning_not_learning"
    assert reporter.learning_problem(_history([1.0, float("nan")]), 10, 25) == {"key": "run_warning_diverged", "values": {}}
    assert reporter.learning_problem(_history([float("inf")]), None, 25)["key"] == "run_warning_diverged"


def test_the_reporter_judges_what_it_wrote(tmp_path):
    metrics = reporter.Reporter(tmp_path, epochs=5)
    try:
        for epoch in range(2):
            metrics.epoch_end(epoch, {"loss": 2.31, "accuracy": 0.1}, {"loss": 2.31, "accuracy": 0.1})
        assert metrics.learning_warning() is None  # Told no class count yet.
        metrics.class_count = 10
        assert metrics.learning_warning()["key"] == "run_warning_not_learning"
        metrics.epoch_end(2, {"loss": 0.4, "accuracy": 0.9}, {"loss": 0.5, "accuracy": 0.85})
        assert metrics.learning_warning() is None  # It learns now: the warning goes.
    finally:
        metrics.close()
    assert reporter.learning_problem(store.read_metrics(tmp_path), 10, 5) is None


def test_adam_at_learning_rate_10_finishes_with_the_warning(runs_root):
    run_id = queue.submit("digits", backend="torch", overrides={"epochs": 1, "optimizer": "adam", "learning_rate": 10})
    run = wait_for_state(run_id)
    assert run.state == "finished", f"{run.status}\n{store.log_tail(run.path)}"
    assert run.status["learning"]["key"] == "run_warning_not_learning"
    assert run.status["learning"]["values"]["classes"] == 10


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_run_page_shows_the_learning_warning_and_a_translated_failure(runs_root, language):
    values = {"loss": 2.3026, "chance": 2.3026, "classes": 10}
    learning = make_run(runs_root)
    store.write_status(runs_root / learning, learning={"key": "run_warning_not_learning", "values": values})
    app = open_page("run", language=language, query={"run": learning})
    assert not app.exception
    assert t("run_warning_not_learning", language, **values) in [item.value for item in app.warning]

    killed = make_run(runs_root, state="failed")
    store.write_status(runs_root / killed, error=t("run_error_killed", signal="SIGKILL"), error_key="run_error_killed", error_values={"signal": "SIGKILL"})
    app = open_page("run", language=language, query={"run": killed})
    assert not app.exception
    assert t("run_failed", language, error=t("run_error_killed", language, signal="SIGKILL")) in [item.value for item in app.error]


# 5. The projection service leaves with its app.

PARENT = """
import sys, time
from core.projector import service
print(service.ensure_running(), flush=True)
time.sleep(600)
"""


def test_the_projection_service_exits_when_the_app_that_started_it_is_gone(artifacts, monkeypatch):
    from core.projector import service

    monkeypatch.setenv("DLLAB_PROJECTOR_IDLE_SECONDS", "600")  # Idle time is not what ends it here.
    monkeypatch.setenv("DLLAB_PROJECTOR_WARM", "")
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=REPOSITORY_ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ})
    try:
        pid = int(parent.stdout.readline())
        log = service.service_dir() / service.LOG_FILE
        wait_until(lambda: log.exists() and f"projection service {pid}" in log.read_text(), "the service to be in its loop", timeout=120)
        state = service.read_state()
        assert state["pid"] == pid and state["parent_pid"] == parent.pid
        assert processes.is_alive(pid, state["process_start"])
        parent.kill()
        parent.wait()
        wait_until(lambda: not processes.is_alive(pid, state["process_start"]), "the service to exit after its app", timeout=60)
        assert service.read_state()["state"] == "stopped"
        assert "the app that started the service is gone" in (service.service_dir() / service.LOG_FILE).read_text()
    finally:
        parent.kill()
        parent.wait()
        service.stop()


def test_a_new_app_adopts_the_running_service(artifacts, monkeypatch):
    from core.projector import service

    monkeypatch.setenv("DLLAB_PROJECTOR_IDLE_SECONDS", "600")
    monkeypatch.setenv("DLLAB_PROJECTOR_WARM", "")
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=REPOSITORY_ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ})
    try:
        pid = int(parent.stdout.readline())
        assert service.ensure_running() == pid  # This test's process asks too: it is the parent now.
        assert service.read_state()["parent_pid"] == os.getpid()
        parent.kill()
        parent.wait()
        time.sleep(2 * 0.2 + 1)  # Several of the service's polls: it must stay, its new parent lives.
        assert service.is_running() and service.read_state()["pid"] == pid
    finally:
        parent.kill()
        parent.wait()
        service.stop()
