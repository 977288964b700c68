"""Run folders for page tests, made without training: a finished run with a real (untrained)
torch checkpoint and evaluation files, a running one, a failed one."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from core.runs import store
from core.training import CHECKPOINT_DESCRIPTION, PREDICTIONS_FILE

CLASS_NAMES = [str(digit) for digit in range(10)]


def make_run(root: Path, state: str = "finished", epochs: int = 3, with_model: bool = True, pid: int | None = None) -> str:
    """A run folder in `root`; a running one needs the `pid` of a live process standing in for its worker."""
    params = {
        "project": "digits", "dataset": "digits", "model": "cnn", "backend": "torch",
        "hyperparameters": {"epochs": epochs, "batch_size": 32, "learning_rate": 0.001, "optimizer": "adam", "dropout": 0.25, "l2": 0.0, "seed": 0, "validation_fraction": 0.1},
        "seed": 0, "device": "CPU", "versions": {"torch": "test"}, "created": time.time(),
    }
    run_id = store.create_run(params, root)
    path = root / run_id
    lines = []
    for epoch in range(1, epochs + 1):
        for split, loss, accuracy in (("train", 1.0 / epoch, 0.5 + 0.1 * epoch), ("validation", 1.1 / epoch, 0.45 + 0.1 * epoch)):
            lines.append({"step": epoch * 10, "epoch": epoch, "split": split, "name": "loss", "value": loss, "time": time.time(), "scope": "epoch"})
            lines.append({"step": epoch * 10, "epoch": epoch, "split": split, "name": "accuracy", "value": accuracy, "time": time.time(), "scope": "epoch"})
        lines.append({"step": epoch * 10 - 5, "epoch": epoch - 0.5, "split": "train", "name": "loss", "value": 1.2 / epoch, "time": time.time(), "scope": "batch"})
    (path / store.METRICS_FILE).write_text("".join(json.dumps(line) + "\n" for line in lines))
    (path / store.LOG_FILE).write_text("epoch 1/3 loss=1.0\nepoch 2/3 loss=0.5\n")
    status = {"status": state, "created": time.time(), "started": time.time(), "heartbeat": time.time()}
    if state == "finished":
        status["results"] = {"test_accuracy": 0.9, "test_loss": 0.3}
    if state == "failed":
        status.update(error="diverged", log_tail="epoch 1/3 loss=nan")
    if state == "running":
        from core.runs import processes

        status.update(pid=pid, process_start=processes.start_time(pid) if pid else None, progress={"epoch": 2, "epochs": epochs, "fraction": 0.5, "elapsed": 5.0, "eta": 5.0})
    store.write_json_atomically(path / store.STATUS_FILE, status)
    if state == "finished" and with_model:
        _write_model(path)
    return run_id


def _write_model(path: Path) -> None:
    from core.backends import torch_backend
    from core.projects.digits import DigitsParameters

    model = torch_backend.build("cnn", (8, 8, 1), 10, DigitsParameters(epochs=1))
    torch_backend.save(model, path / torch_backend.CHECKPOINT_FILE)
    description = {"backend": "torch", "model": "cnn", "file": torch_backend.CHECKPOINT_FILE, "input_shape": [8, 8, 1], "class_names": CLASS_NAMES, "dataset": "digits"}
    (path / CHECKPOINT_DESCRIPTION).write_text(json.dumps(description))
    generator = np.random.default_rng(0)
    labels = np.arange(40) % 10
    probabilities = generator.dirichlet(np.ones(10), size=40).astype(np.float32)
    predictions = probabilities.argmax(1)
    (path / store.EVAL_DIR).mkdir(exist_ok=True)
    np.savez_compressed(
        path / store.EVAL_DIR / PREDICTIONS_FILE,
        images=generator.integers(0, 255, size=(40, 8, 8, 1), dtype=np.uint8),
        labels=labels, predictions=predictions, probabilities=probabilities,
    )


def edit_run_file(root: Path, run_id: str, file_name: str, **changes) -> None:
    """Merge `changes` into one JSON file of a fixture run (params.json, status.json,
    checkpoint.json), to make runs of another project, other classes or other costs."""
    path = root / run_id / file_name
    store.write_json_atomically(path, {**json.loads(path.read_text()), **changes})


def make_keras_run(root: Path, model_name: str = "small_cnn", input_shape: tuple = (32, 32, 3), class_count: int = 4, project: str = "cifar10") -> str:
    """A finished run with a real (untrained) Keras checkpoint of `model_name` and test images of its shape."""
    from core.backends import keras_backend
    from core.projects.image_classification import ImageClassificationParameters

    run_id = make_run(root, with_model=False)
    path = root / run_id
    edit_run_file(root, run_id, "params.json", project=project, dataset="patches", model=model_name, backend="keras")
    model = keras_backend.build(model_name, input_shape, class_count, ImageClassificationParameters())
    keras_backend.save(model, path / keras_backend.CHECKPOINT_FILE)
    class_names = [f"class {index}" for index in range(class_count)]
    description = {"backend": "keras", "model": model_name, "file": keras_backend.CHECKPOINT_FILE, "input_shape": list(input_shape), "class_names": class_names, "dataset": "patches", "preparation": "photo"}
    (path / CHECKPOINT_DESCRIPTION).write_text(json.dumps(description))
    generator = np.random.default_rng(1)
    labels = np.arange(20) % class_count
    probabilities = generator.dirichlet(np.ones(class_count), size=20).astype(np.float32)
    (path / store.EVAL_DIR).mkdir(exist_ok=True)
    np.savez_compressed(
        path / store.EVAL_DIR / PREDICTIONS_FILE,
        images=generator.integers(0, 255, size=(20, *input_shape), dtype=np.uint8),
        labels=labels, predictions=probabilities.argmax(1), probabilities=probabilities,
    )
    return run_id
