"""core.backends: build, fit, predict, save and load, the same for Keras and torch.

Both run in this pytest process, Keras first: core.frameworks imports torch before
TensorFlow, without which creating a torch optimizer after TensorFlow segfaults
(DESIGN.md, "Crash to know"). The subprocess tests check that order from a clean start.
"""
from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from core_fixtures import REPOSITORY_ROOT, RecordingReporter

from core import backends, hyperparams
from core.data import digits, split_pool
from core.projects.digits import DigitsParameters

BACKEND_NAMES = list(backends.BACKENDS)  # keras, then torch.
EPOCHS = 2
BATCH_SIZE = 64


@pytest.fixture(scope="module")
def split():
    return split_pool(digits.load_digits(), seed=0, validation_fraction=0.1)


@pytest.fixture(scope="module")
def parameters():
    return hyperparams.resolve(DigitsParameters, {"epochs": EPOCHS, "batch_size": BATCH_SIZE})


@pytest.fixture(scope="module")
def train(split, parameters):
    """train(name) -> (name, backend module, cnn fitted for two epochs, its recording reporter), once per backend."""
    cache = {}

    def train_once(name):
        if name not in cache:
            backend = backends.get_backend(name)
            model = backend.build("cnn", split.input_shape, split.class_count, parameters)
            reporter = RecordingReporter()
            backend.fit(model, split, parameters, reporter)
            cache[name] = (name, backend, model, reporter)
        return cache[name]

    return train_once


@pytest.fixture(params=BACKEND_NAMES)
def trained(request, train):
    return train(request.param)


def test_unknown_backend_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown backend 'jax'; valid: keras, torch"):
        backends.get_backend("jax")
    with pytest.raises(ValueError, match="valid: keras, torch"):
        backends.model_names("jax")


def test_model_tables():
    assert backends.model_names("keras") == ("cnn", "mlp", "dense", "small_cnn", "regularized_cnn", "mini_resnet", "transfer", "vae", "cvae", "conv_vae", "conv_cvae", "mae", "colorization", "inpainting", "autoencoder")
    assert backends.model_names("torch") == ("cnn", "small_cnn")


def test_backend_modules_follow_the_protocol():
    for name in BACKEND_NAMES:
        backend = backends.get_backend(name)
        for function in ("build", "fit", "predict", "save", "load", "device", "versions"):
            assert callable(getattr(backend, function)), f"{name}.{function}"
        assert backend.CHECKPOINT_FILE


def test_fit_reports_every_batch_and_every_epoch(trained, split):
    name, backend, model, reporter = trained
    steps = math.ceil(len(split.y_train) / BATCH_SIZE)
    assert [epoch for epoch, _, _ in reporter.epochs] == list(range(EPOCHS))
    for _, train, validation in reporter.epochs:
        assert set(train) == set(validation) == {"loss", "accuracy"}
        assert all(math.isfinite(value) for value in [*train.values(), *validation.values()])
        assert 0.0 <= train["accuracy"] <= 1.0 and 0.0 <= validation["accuracy"] <= 1.0
    assert len(reporter.batches) == EPOCHS * steps
    assert [(epoch, batch) for epoch, batch, _, _ in reporter.batches] == [(epoch, batch) for epoch in range(EPOCHS) for batch in range(steps)]
    assert {batch_steps for _, _, batch_steps, _ in reporter.batches} == {steps}
    assert set(reporter.batches[0][3]) == {"loss", "accuracy"}
    # It learned something: the loss fell and validation beats chance (10%) by far.
    assert reporter.epochs[-1][1]["loss"] < reporter.batches[0][3]["loss"]
    assert reporter.epochs[-1][2]["accuracy"] > 0.5


def test_predict_returns_probabilities(trained, split):
    name, backend, model, _ = trained
    probabilities = backend.predict(model, split.x_test)
    assert probabilities.shape == (len(split.y_test), 10)
    assert np.all(probabilities >= 0.0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert (probabilities.argmax(1) == split.y_test).mean() > 0.5
    # Inference is deterministic: dropout is off.
    np.testing.assert_array_equal(probabilities, backend.predict(model, split.x_test))


def test_predict_accepts_float64_and_a_single_image(trained, split):
    name, backend, model, _ = trained
    expected = backend.predict(model, split.x_test[:1])
    assert expected.shape == (1, 10)
    np.testing.assert_allclose(backend.predict(model, split.x_test[:1].astype(np.float64)), expected, atol=1e-6)


def test_save_then_load_predicts_the_same(trained, split, tmp_path):
    name, backend, model, _ = trained
    path = tmp_path / backend.CHECKPOINT_FILE
    backend.save(model, path)
    assert path.is_file()
    assert sorted(entry.name for entry in tmp_path.iterdir()) == [backend.CHECKPOINT_FILE], "no temporary file left"
    loaded = backend.load(path, {"backend": name, "model": "cnn", "file": backend.CHECKPOINT_FILE})
    np.testing.assert_allclose(backend.predict(loaded, split.x_test), backend.predict(model, split.x_test), atol=1e-6)


def test_torch_checkpoint_loads_with_weights_only(train, tmp_path, split):
    name, backend, model, _ = train("torch")
    import torch

    path = tmp_path / backend.CHECKPOINT_FILE
    backend.save(model, path)
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    # Self-describing: the builder and its arguments (the run's hyperparameters) travel with the weights.
    builder = checkpoint["builder"]
    assert {key: builder[key] for key in ("model", "input_shape", "class_count")} == {"model": "cnn", "input_shape": list(split.input_shape), "class_count": 10}
    assert builder["parameters"]["dropout"] == 0.25 and builder["parameters"]["epochs"] == EPOCHS
    assert all(isinstance(tensor, torch.Tensor) for tensor in checkpoint["state_dict"].values())
    assert checkpoint["state_dict"].keys() == model.state_dict().keys()


def test_a_torch_checkpoint_from_before_the_whole_hyperparameters_still_loads(train, tmp_path, split):
    """Checkpoints written before the builder kept the hyperparameters held only the dropout."""
    name, backend, model, _ = train("torch")
    import torch

    path = tmp_path / backend.CHECKPOINT_FILE
    old_builder = {"model": "cnn", "input_shape": list(split.input_shape), "class_count": 10, "dropout": 0.25}
    torch.save({"builder": old_builder, "state_dict": {key: tensor.cpu() for key, tensor in model.state_dict().items()}}, path)
    loaded = backend.load(path, {"backend": name, "model": "cnn", "file": backend.CHECKPOINT_FILE})
    np.testing.assert_allclose(backend.predict(loaded, split.x_test), backend.predict(model, split.x_test), atol=1e-6)


def test_keras_checkpoint_refuses_unsafe_layers(train, tmp_path):
    name, backend, model, _ = train("keras")
    from core import frameworks

    keras = frameworks.keras()
    inputs = keras.Input(shape=(2,))
    unsafe = keras.Model(inputs, keras.layers.Lambda(lambda values: values * 2)(inputs))
    path = tmp_path / backend.CHECKPOINT_FILE
    backend.save(unsafe, path)
    # Refused in the user's words: Keras' own message advises safe_mode=False.
    with pytest.raises(ValueError, match="refused for safety") as refused:
        backend.load(path, {})
    assert refused.value.key == "checkpoint_error_refused" and "safe_mode" not in str(refused.value)


def test_build_is_seeded(split, parameters, trained):
    name, backend, _, _ = trained
    first = backend.build("cnn", split.input_shape, split.class_count, parameters)
    second = backend.build("cnn", split.input_shape, split.class_count, parameters)
    np.testing.assert_array_equal(backend.predict(first, split.x_test[:20]), backend.predict(second, split.x_test[:20]))


def test_device_and_versions(trained):
    name, backend, _, _ = trained
    assert backend.device() == "CPU" or backend.device().startswith("GPU")
    versions = backend.versions()
    assert versions and all(isinstance(value, str) and value[0].isdigit() for value in versions.values())
    assert ("tensorflow" in versions) if name == "keras" else ("torch" in versions)


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPOSITORY_ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.timeout(300)
def test_torch_training_after_keras_in_one_process_does_not_crash():
    # TensorFlow first, through core.frameworks, then a torch optimizer and steps: the crash order.
    result = _python(
        "import sys\n"
        "from core import frameworks\n"
        "frameworks.tensorflow()\n"
        "assert 'torch._dynamo' in sys.modules, 'tensorflow() should import torch first'\n"
        "from core import hyperparams\n"
        "from core.backends import get_backend\n"
        "from core.data import digits, split_pool\n"
        "from core.projects.digits import DigitsParameters\n"
        "split = split_pool(digits.load_digits(), 0, 0.1)\n"
        "parameters = hyperparams.resolve(DigitsParameters, {'epochs': 1})\n"
        "class Quiet:\n"
        "    def batch_end(self, *arguments): pass\n"
        "    def epoch_end(self, *arguments): pass\n"
        "backend = get_backend('torch')\n"
        "model = backend.build('cnn', split.input_shape, 10, parameters)\n"
        "backend.fit(model, split, parameters, Quiet())\n"
        "print('trained', backend.predict(model, split.x_test).shape)\n"
    )
    assert result.returncode == 0, f"exit {result.returncode} (-11 is the segfault):\n{result.stderr[-3000:]}"
    assert "trained (360, 10)" in result.stdout


def test_the_run_list_path_imports_no_framework():
    # The home page and the run list must not pay for TensorFlow or torch.
    result = _python(
        "import sys\n"
        "from core.projects import PROJECTS\n"
        "from core.runs import queue, store, cli\n"
        "from core import hyperparams, inference, training\n"
        "for project in PROJECTS.values():\n"
        "    project.backends\n"
        "    hyperparams.field_specs(project.parameters)\n"
        "store.list_runs()\n"
        "loaded = sorted(name for name in ('torch', 'tensorflow', 'keras') if name in sys.modules)\n"
        "print('loaded:', loaded)\n"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "loaded: []" in result.stdout
