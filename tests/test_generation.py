"""Project cvae: the VAE and CVAE models, their training run, and what the views ask of
them (samples per class, traversals, interpolations, codes by hand), with the bad inputs."""
from __future__ import annotations

import json

import numpy as np
import pytest
from core_fixtures import SHARED_DATA, RecordingReporter, run_cli, wait_for_state

from core import frameworks, hyperparams, i18n, inference
from core.data import digits, split_pool
from core.kinds.generation import train as generation
from core.projects import get_project
from core.projects.cvae import GenerativeParameters
from core.runs import queue, store

SHARED_FASHION = SHARED_DATA / "fashion_mnist"


def _trained(model_name: str, epochs: int, **overrides):
    frameworks.torch()  # Before TensorFlow, always (see core.frameworks).
    from core.backends import keras_backend
    from core.kinds.generation import keras_models as keras_generative

    parameters = GenerativeParameters(epochs=epochs, **overrides)
    split = split_pool(digits.load_digits(), parameters.seed, parameters.validation_fraction)
    model = keras_backend.build(model_name, split.input_shape, split.class_count, parameters)
    reporter = RecordingReporter()
    keras_generative.fit(model, split, parameters, reporter)
    description = {"backend": "keras", "model": model_name, "input_shape": list(split.input_shape), "class_names": split.class_names,
                   "conditional": keras_generative.is_conditional(model_name), "latent_dim": parameters.latent_dim}
    return inference.LoadedModel(model=model, backend=keras_backend, description=description), split, reporter


@pytest.fixture(scope="module")
def cvae():
    return _trained("cvae", epochs=25)


@pytest.fixture(scope="module")
def vae():
    return _trained("vae", epochs=3, latent_dim=3)


# Training -------------------------------------------------------------------------


def test_every_epoch_reports_the_three_losses_on_both_splits(vae):
    _, _, reporter = vae
    assert [epoch for epoch, _, _ in reporter.epochs] == [0, 1, 2]
    for _, train, validation in reporter.epochs:
        assert set(train) == set(validation) == {"loss", "reconstruction", "kl"}
        # The total is reconstruction + beta × KL (beta 1 by default), for every split.
        assert train["loss"] == pytest.approx(train["reconstruction"] + train["kl"], rel=1e-4)
        assert validation["loss"] == pytest.approx(validation["reconstruction"] + validation["kl"], rel=1e-4)
    assert reporter.batches and set(reporter.batches[0][3]) == {"loss", "reconstruction", "kl"}


def test_training_lowers_the_loss_and_conditioning_works(cvae):
    loaded, split, reporter = cvae
    assert reporter.epochs[-1][2]["loss"] < reporter.epochs[0][2]["loss"]
    judge = generation.fit_judge(split.x_train, split.y_train, seed=0)
    accuracy = generation.conditional_accuracy(loaded.model, judge, split.class_count, 2, seed=0, per_class=30)
    assert accuracy >= 0.8
    # The same samples judged against classes they were not asked for: the measure can fail.
    labels = np.repeat(np.arange(10), 30)
    samples = generation.generate(loaded, generation.random_codes(300, 2, 0)[:30], 0)
    assert np.mean(generation.judge_labels(judge, samples) == (labels[:30] + 1) % 10) < 0.2


@pytest.fixture(scope="module")
def digits_judge():
    split = split_pool(digits.load_digits(), seed=0, validation_fraction=0.1)
    return generation.fit_judge(split.x_train, split.y_train, seed=0), split


def _drawing(split, asked_class):
    """A stand-in decoder: for each class asked, a real test image of class `asked_class(asked)`."""
    calls = []

    def decode(model, codes, conditions):
        calls.append((codes.shape, conditions))
        drawn = [asked_class(int(condition.argmax())) for condition in conditions]
        pools = {class_index: split.x_test[split.y_test == class_index] for class_index in set(drawn)}
        return np.stack([pools[class_index][number % len(pools[class_index])] for number, class_index in enumerate(drawn)])

    return decode, calls


def test_conditional_accuracy_is_high_for_a_faithful_decoder_and_chance_for_a_stuck_one(digits_judge, monkeypatch):
    from core.kinds.generation import keras_models as keras_generative

    judge, split = digits_judge
    faithful, calls = _drawing(split, lambda asked: asked)
    monkeypatch.setattr(keras_generative, "decode", faithful)
    assert generation.conditional_accuracy(None, judge, 10, latent_dim=3, seed=0, per_class=20) > 0.85
    # It asked every class per_class times, each with codes of the latent size.
    (codes_shape, conditions), = calls
    assert codes_shape == (200, 3)
    np.testing.assert_array_equal(conditions.argmax(1), np.repeat(np.arange(10), 20))

    stuck, _ = _drawing(split, lambda asked: 3)  # Draws a 3 whatever it is asked.
    monkeypatch.setattr(keras_generative, "decode", stuck)
    assert generation.conditional_accuracy(None, judge, 10, latent_dim=3, seed=0, per_class=20) == pytest.approx(0.1, abs=0.02)


def test_beta_weighs_the_kl_term():
    from core.kinds.generation import keras_models as keras_generative

    loaded, split, _ = _trained("vae", epochs=1, latent_dim=2)
    plain = keras_generative.evaluate(loaded.model, split.x_test, split.y_test, 10, beta=0.0, seed=0)
    weighted = keras_generative.evaluate(loaded.model, split.x_test, split.y_test, 10, beta=3.0, seed=0)
    assert plain["loss"] == pytest.approx(plain["reconstruction"], rel=1e-5)
    assert weighted["loss"] == pytest.approx(weighted["reconstruction"] + 3.0 * weighted["kl"], rel=1e-4)


@pytest.mark.parametrize("model_name", ["conv_vae", "conv_cvae"])
def test_the_convolutional_variants_rebuild_images_of_their_input_shape(model_name):
    from core.backends import keras_backend
    from core.kinds.generation import keras_models as keras_generative

    frameworks.torch()
    parameters = GenerativeParameters(latent_dim=4)
    model = keras_backend.build(model_name, (28, 28, 1), 10, parameters)
    encoder, decoder, conditional = keras_generative.parts(model)
    assert conditional == (model_name == "conv_cvae")
    images = np.random.default_rng(0).random((3, 28, 28, 1), dtype=np.float32)
    codes, log_variances = keras_generative.encode(model, images, generation.one_hot([0, 1, 2], 10))
    assert codes.shape == log_variances.shape == (3, 4)
    decoded = keras_generative.decode(model, codes, generation.one_hot([0, 1, 2], 10))
    assert decoded.shape == (3, 28, 28, 1) and decoded.min() >= 0 and decoded.max() <= 1
    with pytest.raises(ValueError, match="multiples of 4"):
        keras_backend.build(model_name, (30, 30, 1), 10, parameters)


# Generating -----------------------------------------------------------------------


def test_a_sample_grid_has_a_row_per_class_and_is_reproducible(cvae):
    loaded, _, _ = cvae
    grid = generation.sample_grid(loaded, per_class=5, seed=3)
    assert grid.shape == (10, 5, 8, 8, 1)
    np.testing.assert_array_equal(grid, generation.sample_grid(loaded, per_class=5, seed=3))
    assert not np.allclose(grid, generation.sample_grid(loaded, per_class=5, seed=4))
    # A CVAE: the same codes in every row, only the class changes between rows.
    assert not np.allclose(grid[0], grid[1])
    assert generation.sample_grid(loaded, per_class=2, seed=0).shape == (10, 2, 8, 8, 1)


def test_a_vae_grid_holds_different_samples_in_every_row(vae):
    loaded, _, _ = vae
    grid = generation.sample_grid(loaded, per_class=4, seed=0)
    assert grid.shape == (10, 4, 8, 8, 1)
    assert not np.allclose(grid[0], grid[1])


def test_a_traversal_moves_two_dimensions(vae):
    loaded, _, _ = vae
    grid = generation.traversal(loaded, (0, 2), steps=5, span=2.0)
    assert grid.shape == (5, 5, 8, 8, 1)
    # The centre is the zero code: the decoded prior mean.
    np.testing.assert_allclose(grid[2, 2], generation.generate(loaded, np.zeros((1, 3)))[0], atol=1e-6)
    assert not np.allclose(grid[0, 0], grid[4, 4])
    with pytest.raises(i18n.TranslatableError, match="dimension 3 does not exist"):
        generation.traversal(loaded, (0, 3))


def test_an_interpolation_starts_and_ends_at_the_two_images(cvae):
    loaded, split, _ = cvae
    images, labels = split.x_test[:2], split.y_test[:2]
    path = generation.interpolate_images(loaded, images, labels, steps=6)
    assert path.shape == (6, 8, 8, 1)
    codes = generation.encode(loaded, images, labels)
    np.testing.assert_allclose(path[0], generation.generate(loaded, codes[:1], int(labels[0]))[0], atol=1e-5)
    np.testing.assert_allclose(path[-1], generation.generate(loaded, codes[1:], int(labels[1]))[0], atol=1e-5)


def test_between_two_classes_the_code_stays_and_the_class_changes(cvae):
    loaded, split, _ = cvae
    judge = generation.fit_judge(split.x_train, split.y_train, seed=0)
    path = generation.interpolate_classes(loaded, np.zeros(2), "1", "7", steps=5)
    assert path.shape == (5, 8, 8, 1)
    assert generation.judge_labels(judge, path[[0, -1]]).tolist() == [1, 7]


def test_generate_by_hand_follows_the_code_and_the_class(cvae):
    loaded, _, _ = cvae
    one = generation.generate(loaded, [0.5, -0.5], "3")
    assert one.shape == (1, 8, 8, 1)
    assert not np.allclose(one, generation.generate(loaded, [0.5, -0.5], "8"))
    assert not np.allclose(one, generation.generate(loaded, [-1.5, 1.5], "3"))


# Bad input ------------------------------------------------------------------------


def test_a_class_that_does_not_exist_is_named_with_the_valid_ones(cvae):
    loaded, _, _ = cvae
    for wanted in ("12", 10, -1, "shoe"):
        with pytest.raises(i18n.TranslatableError) as raised:
            generation.generate(loaded, [0.0, 0.0], wanted)
        assert raised.value.key == "generate_error_unknown_class" and "0, 1, 2" in str(raised.value)
    assert "n'y a pas de classe" in i18n.t(raised.value.key, "fr", **raised.value.values)


def test_a_vae_asked_for_a_class_says_it_is_not_conditional(vae):
    loaded, _, _ = vae
    with pytest.raises(i18n.TranslatableError, match="not conditional") as raised:
        generation.generate(loaded, [0.0, 0.0, 0.0], "3")
    assert raised.value.key == "generate_error_not_conditional"
    with pytest.raises(i18n.TranslatableError):
        generation.interpolate_classes(loaded, np.zeros(3), 1, 2)
    # No class asked: a VAE generates.
    assert generation.generate(loaded, [0.0, 0.0, 0.0]).shape == (1, 8, 8, 1)


def test_a_sample_count_out_of_range_is_refused(cvae):
    loaded, _, _ = cvae
    for count in (0, 101):
        with pytest.raises(i18n.TranslatableError, match="from 1 to 100"):
            generation.sample_grid(loaded, per_class=count)


@pytest.mark.parametrize(
    ("overrides", "dataset", "message"),
    [
        ({"latent_dim": 0}, "digits", "latent_dim: expected int from 1 to 512, got 0"),
        ({"latent_dim": 65}, "digits", "latent_dim: 65 is larger than the 64 numbers of a digits image"),
        ({"beta": -0.5}, "digits", "beta: expected float from 0.0 to 100.0, got -0.5"),
        ({"hidden_sizes": "256,128"}, "digits", "hidden_sizes: expected three whole numbers"),
        ({"hidden_sizes": "a,b,c"}, "digits", "hidden_sizes: expected three whole numbers"),
    ],
)
def test_bad_hyperparameters_are_refused_before_a_run_exists(overrides, dataset, message):
    with pytest.raises(ValueError) as raised:
        queue.build_params("cvae", dataset, "cvae", None, overrides)
    assert message in str(raised.value)


def test_a_latent_as_large_as_the_image_is_accepted():
    params = queue.build_params("cvae", "digits", "vae", None, {"latent_dim": 64})
    assert params["hyperparameters"]["latent_dim"] == 64 and params["backend"] == "keras"
    # The limit is the dataset's: 100 is too large for the 8x8 digits, not for 28x28 images.
    assert queue.build_params("cvae", "fashion_mnist", "cvae", None, {"latent_dim": 100})["dataset"] == "fashion_mnist"


@pytest.mark.parametrize(("setting", "message"), [("beta=-1", "beta: expected float from 0.0 to 100.0"), ("latent_dim=100", "larger than the 64 numbers")])
def test_the_command_line_refuses_bad_hyperparameters_with_exit_2(runs_root, setting, message):
    result = run_cli("train", "cvae", "--set", setting)
    assert result.returncode == 2
    assert message in result.stderr.strip().splitlines()[-1]
    assert not runs_root.exists() or not [path for path in runs_root.iterdir() if not path.name.startswith(".")]


# A whole run ----------------------------------------------------------------------


def test_a_cvae_run_reports_its_losses_and_conditional_accuracy_and_keeps_its_model(runs_root):
    run_id = queue.submit("cvae", overrides={"epochs": 4})
    run = wait_for_state(run_id)
    assert run.state == "finished", store.log_tail(run.path)
    results = run.status["results"]
    assert {"test_loss", "test_reconstruction", "test_kl", "conditional_accuracy", "judge_accuracy"} <= set(results)
    assert 0.0 <= results["conditional_accuracy"] <= 1.0 and results["judge_accuracy"] > 0.8
    records = store.read_metrics(run.path)
    for split in ("train", "validation"):
        for name in ("loss", "reconstruction", "kl"):
            assert [record["epoch"] for record in records if record["split"] == split and record["name"] == name and record.get("scope", "epoch") == "epoch"] == [1, 2, 3, 4]
    assert [record["name"] for record in records if record["split"] == "test"] == ["loss", "reconstruction", "kl", "judge_accuracy", "conditional_accuracy"]
    latent = generation.load_latent(run.path)
    assert latent["images"].shape == latent["reconstructions"].shape == (360, 8, 8, 1) and latent["images"].dtype == np.uint8
    assert latent["codes"].shape == (360, 2) and latent["labels"].shape == (360,)
    description = json.loads((run.path / "checkpoint.json").read_text())
    assert description["conditional"] is True and description["latent_dim"] == 2
    # The checkpoint loads in safe mode and generates what the run's model would.
    loaded = inference.load_model(run.path)
    assert generation.sample_grid(loaded, 5, 0).shape == (10, 5, 8, 8, 1)
    reconstructed = generation.generate(loaded, latent["codes"][:1], int(latent["labels"][0]))
    assert np.abs(np.round(reconstructed[0] * 255) - latent["reconstructions"][0].astype(float)).max() <= 1


def test_a_vae_run_has_no_conditional_accuracy(runs_root):
    run = wait_for_state(queue.submit("cvae", model="vae", overrides={"epochs": 1}))
    assert run.state == "finished", store.log_tail(run.path)
    assert "conditional_accuracy" not in run.status["results"] and "test_loss" in run.status["results"]
    assert inference.read_description(run.path)["conditional"] is False


@pytest.mark.skipif(not SHARED_FASHION.is_dir(), reason=f"{SHARED_FASHION} is absent: the real Fashion-MNIST sample is not on this machine")
def test_the_real_fashion_mnist_loader_feeds_a_cvae(runs_root, monkeypatch):
    monkeypatch.setenv("DLLAB_DATA_DIR", str(SHARED_DATA))
    run = wait_for_state(queue.submit("cvae", dataset="fashion_mnist", overrides={"epochs": 2}))
    assert run.state == "finished", store.log_tail(run.path)
    description = inference.read_description(run.path)
    assert description["input_shape"] == [28, 28, 1] and description["class_names"][0] == "T-shirt/top"
    assert generation.load_latent(run.path)["images"].shape == (200, 28, 28, 1)


def test_the_project_is_in_the_registry_with_its_curves():
    project = get_project("cvae")
    assert project.task == "generation" and project.curves == ("loss", "reconstruction", "kl")
    assert project.default_dataset == "digits" and project.datasets["digits"].offline
    assert hyperparams.resolve(project.parameters, {}).latent_dim == 2
