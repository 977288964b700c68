"""What a backend tells the run while it trains: metric lines, progress, divergence."""
from __future__ import annotations

import json
import math
import threading
import time
from pathlib import Path

from core.runs import store

# Running train metrics are written at least twice a second while an epoch runs.
BATCH_WRITE_INTERVAL = 0.4


class Diverged(RuntimeError):
    """The loss became NaN or infinite."""


class Reporter:
    """Appends flushed JSON lines to metrics.jsonl and keeps the progress for the heartbeat."""

    def __init__(self, path: Path, epochs: int):
        self.epochs = epochs
        self._stream = open(path / store.METRICS_FILE, "a", buffering=1)
        self._lock = threading.Lock()
        self._started = time.time()
        self._last_batch_write = 0.0
        self._step = 0
        self._progress = {"epoch": 0, "epochs": epochs, "fraction": 0.0, "elapsed": 0.0, "eta": None}

    def close(self) -> None:
        self._stream.close()

    def write(self, split: str, name: str, value: float, epoch: float, scope: str = "epoch") -> None:
        record = {"step": self._step, "epoch": epoch, "split": split, "name": name, "value": float(value), "time": time.time(), "scope": scope}
        with self._lock:
            self._stream.write(json.dumps(record) + "\n")

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

    def batch_end(self, epoch: int, batch: int, steps: int, train: dict) -> None:
        """`epoch` and `batch` count from 0; `train` holds the running loss and accuracy."""
        self._step += 1
        self._check(train)
        position = epoch + (batch + 1) / max(steps, 1)
        self._update_progress(position / self.epochs, epoch + 1)
        now = time.time()
        if now - self._last_batch_write >= BATCH_WRITE_INTERVAL:
            self._last_batch_write = now
            for name, value in train.items():
                self.write("train", name, value, position, scope="batch")

    def epoch_end(self, epoch: int, train: dict, validation: dict) -> None:
        """After epoch `epoch` (from 0): the epoch's train metrics and the validation metrics."""
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
