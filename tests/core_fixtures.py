"""Helpers shared by the core/ tests (imported by them; the fixtures are in conftest.py).

Runs go to a temporary DLLAB_ARTIFACTS folder (conftest.py's runs_root); every worker a
test started is stopped when the test ends (stop_workers), so a failing test leaves no
training process behind.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core.runs import processes, queue, store

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
# ../shared/data beside the repository: small real datasets for offline tests.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SHARED_MNIST = SHARED_DATA / "mnist"
SHARED_DATA_ABSENT = f"{SHARED_MNIST} is absent: the real MNIST sample (../shared/data/mnist) is not on this machine"

# Generous: timings here vary up to 2x, and a deadline only bounds a hang.
DEFAULT_DEADLINE_SECONDS = 180.0
FINAL_STATES = store.TERMINAL_STATUSES

requires_shared_mnist = pytest.mark.skipif(not SHARED_MNIST.is_dir(), reason=SHARED_DATA_ABSENT)


def wait_until(predicate, description: str, timeout: float = DEFAULT_DEADLINE_SECONDS, interval: float = 0.1):
    """Poll `predicate` until it returns something truthy; fail with `description` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {description}")
        time.sleep(interval)


def wait_for_state(run_id: str, states=FINAL_STATES, timeout: float = DEFAULT_DEADLINE_SECONDS, reconcile: bool = False) -> store.RunSummary:
    """The run once its status is one of `states`; with `reconcile`, call queue.schedule()
    while waiting (as the app and `--wait` do), so a dead worker is noticed."""
    if isinstance(states, str):
        states = (states,)
    deadline = time.monotonic() + timeout
    while True:
        if reconcile:
            queue.schedule()
        run = store.load_run(run_id)
        if run.state in states:
            return run
        if time.monotonic() > deadline:
            raise AssertionError(
                f"run {run_id} still {run.state!r} after {timeout:.0f} s (waiting for {states}); "
                f"status {run.status}; log tail:\n{store.log_tail(run.path)}"
            )
        time.sleep(0.2)


def wait_for_epoch_metrics(run_id: str, timeout: float = DEFAULT_DEADLINE_SECONDS) -> None:
    """Until the run has written its first epoch line: its worker is really training."""
    path = store.run_dir(run_id)

    def has_epoch():
        state = store.read_status(path).get("status")
        if state in FINAL_STATES:
            raise AssertionError(f"run {run_id} ended {state!r} before its first epoch:\n{store.log_tail(path)}")
        return any(record.get("scope") == "epoch" for record in store.read_metrics(path))

    wait_until(has_epoch, f"the first epoch of run {run_id}", timeout)


def stop_workers(root: Path) -> None:
    """Cancel queued runs (so nothing new starts), kill the workers of running ones, reap."""
    for run in store.list_runs(root):
        if run.state == "queued":
            queue.cancel(run.id, root)
    for run in store.list_runs(root):
        pid = run.status.get("pid")
        if run.state == "running" and processes.is_alive(pid, run.status.get("process_start")):
            os.kill(pid, signal.SIGKILL)
    for child in list(queue._children):
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    queue._reap_children()


def run_folders(root: Path) -> list[Path]:
    """Run folders under `root` (hidden entries, such as the queue lock, excluded)."""
    if not root.exists():
        return []
    return [path for path in root.iterdir() if path.is_dir() and not path.name.startswith(".")]


def run_cli(*arguments: str, timeout: float = DEFAULT_DEADLINE_SECONDS) -> subprocess.CompletedProcess:
    """`python -m core ARGUMENTS` from the repository root, with this process' environment."""
    return subprocess.run(
        [sys.executable, "-m", "core", *arguments],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


class RecordingReporter:
    """Stands in for core.runs.reporter.Reporter in backend tests: records every call."""

    def __init__(self):
        self.batches: list[tuple[int, int, int, dict]] = []
        self.epochs: list[tuple[int, dict, dict]] = []

    def batch_end(self, epoch: int, batch: int, steps: int, train: dict) -> None:
        self.batches.append((epoch, batch, steps, dict(train)))

    def epoch_end(self, epoch: int, train: dict, validation: dict) -> None:
        self.epochs.append((epoch, dict(train), dict(validation)))


def index_pool(labels: np.ndarray):
    """An ImagePool whose image i holds the number i, so a split's rows can be traced back."""
    from core.data import ImagePool

    count = len(labels)
    images = np.arange(count, dtype=np.float32).reshape(count, 1, 1, 1)
    return ImagePool(images=images, labels=np.asarray(labels, dtype=np.int64), class_names=[str(label) for label in sorted(set(labels))], source="index pool")


def indices_of(images: np.ndarray) -> np.ndarray:
    return images.reshape(len(images)).astype(np.int64)
