"""Accuracy targets, trained for real through the queue and a worker process.

No timing is asserted here (timings go to benchmarks/); each run's wall time is printed
so a slowdown shows in `pytest -s` output.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
from core_fixtures import (
    SHARED_DATA,
    SHARED_MNIST,
    requires_shared_mnist,
    wait_for_state,
)

from core.kinds.image_classification import PREDICTIONS_FILE
from core.projects.digits import DigitsParameters
from core.runs import queue, store

DIGITS_TARGET = 0.97
MNIST_TARGET = 0.98
# On the 10,000-image MNIST sample (7,200 train, 800 validation, 2,000 test), the cnn
# with the default adam 0.001 and batch 32 reached 0.9865 test accuracy at epoch 8 with
# seed 0 (0.984 and 0.9805 with seeds 1 and 2), ~4.5 s an epoch here.
MNIST_EPOCHS = 8


def _elapsed(run: store.RunSummary) -> float:
    return run.status["finished"] - run.status["started"]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("backend", ["keras", "torch"])
def test_default_cnn_on_digits_reaches_the_target(runs_root, backend):
    run_id = queue.submit("digits", backend=backend)  # Every default: cnn, 25 epochs, adam.
    run = wait_for_state(run_id, timeout=400)
    assert run.state == "finished", f"{run.status}\n{store.log_tail(run.path)}"
    params = json.loads((run.path / store.PARAMS_FILE).read_text())
    assert (params["model"], params["dataset"], params["hyperparameters"]["epochs"]) == ("cnn", "digits", DigitsParameters().epochs)
    accuracy = run.status["results"]["test_accuracy"]
    print(f"digits cnn {backend}: test accuracy {accuracy:.4f} in {_elapsed(run):.1f} s")
    assert accuracy >= DIGITS_TARGET


@requires_shared_mnist
@pytest.mark.timeout(900)
def test_keras_cnn_on_real_mnist_reaches_the_target(runs_root, monkeypatch):
    monkeypatch.setenv("DLLAB_DATA_DIR", str(SHARED_DATA))  # The worker inherits it.
    run_id = queue.submit("digits", dataset="mnist", model="cnn", backend="keras", overrides={"epochs": MNIST_EPOCHS})
    run = wait_for_state(run_id, timeout=600)
    assert run.state == "finished", f"{run.status}\n{store.log_tail(run.path)}"

    log = (run.path / store.LOG_FILE).read_text()
    assert f"MNIST from {SHARED_MNIST}" in log and "7200 train, 800 validation, 2000 test" in log
    with np.load(run.path / store.EVAL_DIR / PREDICTIONS_FILE) as archive:
        assert archive["images"].shape == (2000, 28, 28, 1)
    accuracy = run.status["results"]["test_accuracy"]
    print(f"mnist cnn keras, {MNIST_EPOCHS} epochs: test accuracy {accuracy:.4f} in {_elapsed(run):.1f} s")
    assert accuracy >= MNIST_TARGET
