"""Run folders for page tests, made without training: a finished run with a real (untrained)
torch checkpoint and evaluation files, a running one, a failed one; their checkpoint.json
written by the worker's own writer (write_checkpoint); a page opened under AppTest (open_page)."""
from __future__ import annotations

import json
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from streamlit.testing.v1 import AppTest

from core import backends, training
from core.kinds.image_classification import PREDICTIONS_FILE
from core.projects.base import DatasetSpec
from core.runs import store

CLASS_NAMES = [str(digit) for digit in range(10)]
PAGES = Path(__file__).resolve().parent.parent / "pages"
TIMEOUT = 120  # Seconds an AppTest run may take: a page's first run imports its framework.
DIGITS_TRAIN_SIZE = 1293  # The digits' training split (1,797 images less 20% test, less 10% validation).


def open_page(page: str | Path, language: str = "en", query: dict | None = None, timeout: float = TIMEOUT, **state) -> AppTest:
    """The page run once under AppTest: `page` is a name in pages/ ("train") or a script's
    path (app/main.py); `state` goes to session_state and `query` to the query parameters."""
    script = Path(page) if str(page).endswith(".py") else PAGES / f"{page}.py"
    app = AppTest.from_file(str(script), default_timeout=timeout)
    app.session_state["language"] = language
    for key, value in state.items():
        app.session_state[key] = value
    for key, value in (query or {}).items():
        app.query_params[key] = value
    return app.run()


class NoModel:
    """Stands in for the model of a run that saved none (its views need no model): either
    backend counts its parameters as zero."""

    def count_params(self) -> int:
        return 0

    def parameters(self):
        return iter(())


def write_checkpoint(path: Path, backend_name: str, model_name: str, model, input_shape, class_names, dataset: str | DatasetSpec,
                     dataset_name: str | None = None, preparation: str = "ink", train_size: int = DIGITS_TRAIN_SIZE, **extra) -> None:
    """checkpoint.json of the run folder `path`, written by core.training.write_description as
    the worker writes it. `model` is the built model (None: a run that saved none); `dataset`
    is a DatasetSpec named `dataset_name`, or a dataset's name and its `preparation`."""
    if isinstance(dataset, str):
        dataset, dataset_name = DatasetSpec(title=f"dataset_{dataset}", load=None, offline=True, preparation=preparation), dataset
    if dataset_name is None:
        raise ValueError("a DatasetSpec needs its dataset_name")
    context = SimpleNamespace(params={"backend": backend_name, "model": model_name, "dataset": dataset_name}, path=Path(path))
    backend = backends.get_backend(backend_name)
    training.write_description(context, backend, NoModel() if model is None else model, dataset, input_shape, class_names, train_size, **extra)


def drop_run_fields(root: Path, run_id: str, file_name: str, *names: str) -> None:
    """Remove fields from one JSON file of a fixture run: a run older than those fields."""
    path = root / run_id / file_name
    store.write_json_atomically(path, {key: value for key, value in json.loads(path.read_text()).items() if key not in names})


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
    write_checkpoint(path, "torch", "cnn", model, (8, 8, 1), CLASS_NAMES, "digits")
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
    write_checkpoint(path, "keras", model_name, model, input_shape, class_names, "patches", preparation="photo", train_size=80)
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
