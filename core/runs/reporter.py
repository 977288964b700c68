"""What a backend tells the run while it trains: metric lines, progress, divergence, a
cancel, and whether a classifier learns at all."""
from __future__ import annotations

import json
import math
import threading
import time
from pathlib import Path

from core.runs import store

# Running train metrics are written at least twice a second while an epoch runs.
BATCH_WRITE_INTERVAL = 0.4

# The parts of a run, in order, as status.json's "phase" says them (the Run page translates
# them: phase_<name>). A queued run waits for a worker; the worker loads its framework (a warm
# worker has), the data, builds the model, trains, then evaluates and saves.
PHASES = ("waiting_for_worker", "loading_framework", "loading_data", "building_model", "training", "evaluating")
BEFORE_TRAINING = PHASES[: PHASES.index("training")]


def phase_of(status: dict) -> str | None:
    """The phase an active run is in, None for an ended one. A run written before phases
    existed (or by a worker that says none) counts as training once it has progress."""
    state = status.get("status", "queued")
    if state == "queued":
        return "waiting_for_worker"
    if state != "running":
        return None
    phase = status.get("phase")
    if phase in PHASES:
        return phase
    return "training" if (status.get("progress") or {}).get("fraction") else "loading_framework"


# A classifier's loss when it guesses (uniform probabilities) is ln(class count): a training
# loss still above this fraction of it has learnt nothing.
CHANCE_LOSS_FRACTION = 0.9
# Epochs of training loss looked at: one slow epoch is no verdict.
LEARNING_CHECK_EPOCHS = 2


class Diverged(RuntimeError):
    """The loss became NaN or infinite."""


class Cancelled(Exception):
    """The user cancelled the run (SIGTERM, or the cancel marker seen between batches)."""


def learning_problem(records: list[dict], class_count: int | None, epochs: int = LEARNING_CHECK_EPOCHS) -> dict | None:
    """What is wrong with a classifier's training, from its metric lines (metrics.jsonl):
    {"key", "values"} (an i18n key and its values) when the epoch training loss became NaN
    or infinite, or stayed at chance level over the last `LEARNING_CHECK_EPOCHS` epochs (all
    of them when the run has fewer, `epochs`); None when it learns or nothing can be said.
    Only a history with a training accuracy is a classifier's (its loss is cross-entropy)."""
    train = [record for record in records if record.get("scope", "epoch") == "epoch" and record.get("split") == "train"]
    losses = [float(record["value"]) for record in train if record.get("name") == "loss"]
    if not any(record.get("name") == "accuracy" for record in train) or not losses:
        return None
    if not all(math.isfinite(loss) for loss in losses):
        return {"key": "run_warning_diverged", "values": {}}
    if not class_count or class_count < 2 or len(losses) < min(LEARNING_CHECK_EPOCHS, max(1, epochs)):
        return None
    chance = math.log(class_count)
    recent = losses[-LEARNING_CHECK_EPOCHS:]
    if min(recent) >= CHANCE_LOSS_FRACTION * chance:
        return {"key": "run_warning_not_learning", "values": {"loss": round(recent[-1], 4), "chance": round(chance, 4), "classes": int(class_count)}}
    return None


class Reporter:
    """Appends flushed JSON lines to metrics.jsonl and keeps the progress for the heartbeat."""

    def __init__(self, path: Path, epochs: int):
        self.epochs = epochs
        self._stream = open(path / store.METRICS_FILE, "a", buffering=1)
        self._lock = threading.Lock()
        self._started = time.time()  # Reset when training starts: the ETA counts training time only.
        self._phase = "loading_framework"
        self._last_batch_write = 0.0
        self._step = 0
        self._progress = {"epoch": 0, "epochs": epochs, "fraction": 0.0, "elapsed": 0.0, "eta": None}
        self._cancel_marker = path / store.CANCEL_REQUEST_FILE
        self._epoch_train_records: list[dict] = []
        # Set by the train path once the data is loaded (core.training.load_split).
        self.class_count: int | None = None

    @property
    def phase(self) -> str:
        return self._phase

    def set_phase(self, name: str) -> None:
        """The run's phase (one of PHASES); "training" starts the clock of elapsed and ETA."""
        if name not in PHASES:
            raise ValueError(f"unknown phase {name!r}; valid: {', '.join(PHASES)}")
        with self._lock:
            self._phase = name
            if name == "training":
                self._started = time.time()
                self._progress = {**self._progress, "elapsed": 0.0, "eta": None}

    def _training_begins(self) -> None:
        # A train path that says no phase still shows "training" from its first batch.
        if self._phase in BEFORE_TRAINING:
            self.set_phase("training")

    def close(self) -> None:
        self._stream.close()

    def write(self, split: str, name: str, value: float, epoch: float, scope: str = "epoch") -> None:
        record = {"step": self._step, "epoch": epoch, "split": split, "name": name, "value": float(value), "time": time.time(), "scope": scope}
        with self._lock:
            self._stream.write(json.dumps(record) + "\n")
            if split == "train" and scope == "epoch":
                self._epoch_train_records.append(record)

    def learning_warning(self) -> dict | None:
        """learning_problem on what this run has written so far (for status.json's "learning")."""
        with self._lock:
            records = list(self._epoch_train_records)
        return learning_problem(records, self.class_count, self.epochs)

    def _check_cancel(self) -> None:
        # The signal is the usual path; the marker catches one that came too early to be handled.
        if self._cancel_marker.exists():
            raise Cancelled()

    def _check(self, values: dict) -> None:
        for name, value in values.items():
            if value is not None and not math.isfinite(float(value)):
                raise Diverged(f"{name} became {value}")

    def _update_progress(self, fraction: float, epoch: int) -> None:
        elapsed = time.time() - self._started
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else None
        with self._lock:
            self._progress = {"epoch": epoch, "epochs": self.epochs, "fraction": fraction, "elapsed": elapsed, "eta": eta}

    def progress(self) -> dict:
        with self._lock:
            return dict(self._progress)

    def before_training(self, train: dict) -> None:
        """Step 0: the untrained model's loss and accuracy on a first batch of training images,
        measured by the backend: the curve's first point, before the first step (which in
        TensorFlow waits a second or more for the step to be traced). The first batch's own
        point still follows at once."""
        self._training_begins()
        self._check_cancel()
        self._check(train)
        for name, value in train.items():
            self.write("train", name, value, 0.0, scope="batch")

    def batch_end(self, epoch: int, batch: int, steps: int, train: dict) -> None:
        """`epoch` and `batch` count from 0; `train` holds the running loss and accuracy."""
        self._training_begins()
        self._step += 1
        self._check(train)
        position = epoch + (batch + 1) / max(steps, 1)
        self._update_progress(position / self.epochs, epoch + 1)
        now = time.time()
        if now - self._last_batch_write >= BATCH_WRITE_INTERVAL:
            self._last_batch_write = now
            self._check_cancel()
            for name, value in train.items():
                self.write("train", name, value, position, scope="batch")

    def epoch_end(self, epoch: int, train: dict, validation: dict) -> None:
        """After epoch `epoch` (from 0): the epoch's train metrics and the validation metrics."""
        self._training_begins()
        self._check_cancel()
        self._check({**train, **{f"val_{name}": value for name, value in validation.items()}})
        for name, value in train.items():
            self.write("train", name, value, epoch + 1)
        for name, value in validation.items():
            self.write("validation", name, value, epoch + 1)
        self._update_progress((epoch + 1) / self.epochs, epoch + 1)
        progress = self.progress()
        self.write("time", "elapsed", progress["elapsed"], epoch + 1)
        shown = " ".join(f"{name}={value:.4f}" for name, value in train.items())
        shown += " " + " ".join(f"val_{name}={value:.4f}" for name, value in validation.items())
        print(f"epoch {epoch + 1}/{self.epochs} {shown} elapsed={progress['elapsed']:.1f}s", flush=True)
