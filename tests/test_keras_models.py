"""The image-classification models and training options of the Keras backend: every
architecture builds on colour and grey inputs, options add the layers they promise,
schedules, early stopping and class weights act, and checkpoints reload in safe mode."""
from __future__ import annotations

import numpy as np
import pytest
from core_fixtures import RecordingReporter

from core import frameworks, hyperparams
from core.backends import class_balance, keras_backend
from core.data import ImagePool, split_pool
from core.kinds.image_classification import keras_models
from core.projects.image_classification import ImageClassificationParameters

IMAGE_MODELS = ("dense", "small_cnn", "regularized_cnn", "mini_resnet")


def parameters(**overrides):
    return hyperparams.resolve(ImageClassificationParameters, overrides)


def layer_names(model) -> list[str]:
    return [layer.name for layer in model.layers]


@pytest.fixture(scope="module")
def small_split():
    """160 random 16x16 colour images in 4 classes: enough to run fit, not to learn."""
    generator = np.random.default_rng(0)
    labels = np.arange(200) % 4
    images = generator.random((200, 16, 16, 3), dtype=np.float32)
    images[..., 0] += labels[:, None, None] * 0.2  # Some signal, so the loss can move.
    pool = ImagePool(images=np.clip(images, 0, 1), labels=labels.astype(np.int64), class_names=list("abcd"), source="test")
    return split_pool(pool, seed=0, validation_fraction=0.2)


@pytest.mark.parametrize("name", IMAGE_MODELS)
@pytest.mark.parametrize("input_shape", [(32, 32, 3), (28, 28, 1)])
def test_every_model_builds_and_predicts_a_distribution(name, input_shape):
    model = keras_backend.build(name, input_shape, 10, parameters())
    assert model.output_shape == (None, 10)
    probabilities = keras_backend.predict(model, np.random.default_rng(0).random((3, *input_shape), dtype=np.float32))
    assert probabilities.shape == (3, 10)
    np.testing.assert_allclose(probabilities.sum(1), 1.0, rtol=1e-5)


def test_options_add_their_layers():
    plain = keras_backend.build("regularized_cnn", (32, 32, 3), 10, parameters())
    assert not any("batch_norm" in name or name.startswith("augment") for name in layer_names(plain))
    rich = keras_backend.build("regularized_cnn", (32, 32, 3), 10, parameters(batch_norm=True, augment_flip=True, augment_shift=0.1, augment_rotation=0.1, l2=0.001))
    names = layer_names(rich)
    assert {"augment_flip", "augment_shift", "augment_rotation"} <= set(names)
    assert sum("batch_norm" in name for name in names) == 6, "one BatchNorm per convolution"
    assert rich.losses, "L2 adds a penalty per kernel"
    assert not plain.losses


def test_mini_resnet_has_residual_additions():
    model = keras_backend.build("mini_resnet", (32, 32, 3), 10, parameters())
    keras = frameworks.keras()
    assert sum(isinstance(layer, keras.layers.Add) for layer in model.layers) == 3


def test_augmentation_is_off_at_prediction_time(tmp_path):
    model = keras_backend.build("small_cnn", (32, 32, 3), 10, parameters(augment_flip=True, augment_shift=0.2, augment_rotation=0.2))
    images = np.random.default_rng(1).random((4, 32, 32, 3), dtype=np.float32)
    first, second = keras_backend.predict(model, images), keras_backend.predict(model, images)
    np.testing.assert_allclose(first, second, rtol=1e-6)
    keras_backend.save(model, tmp_path / "model.keras")
    loaded = keras_backend.load(tmp_path / "model.keras", {})
    np.testing.assert_allclose(keras_backend.predict(loaded, images), first, rtol=1e-5, atol=1e-6)


def test_transfer_without_imagenet_weights_warns_and_trains_from_scratch(monkeypatch):
    keras = frameworks.keras()

    def no_download(*arguments, **keywords):
        raise OSError("no network")

    # keras.applications fetches weights through keras.utils.get_file: without it, no weights.
    monkeypatch.setattr(keras.utils, "get_file", no_download)
    warnings = []
    model = keras_backend.build("transfer", (28, 28, 1), 10, parameters(), warn=warnings.append)
    assert len(warnings) == 1 and "random weights" in warnings[0]
    assert model.output_shape == (None, 10)
    backbone = next(layer for layer in model.layers if isinstance(layer, keras.Model))
    assert backbone.trainable is False, "frozen unless fine_tune"
    assert keras_models.TRANSFER_BACKBONES["mobilenet_v2"][2] in warnings[0], "the warning says which file to fetch"


@pytest.mark.parametrize("schedule", ["constant", "step", "cosine", "plateau"])
def test_every_learning_rate_schedule_trains(small_split, schedule):
    chosen = parameters(epochs=2, batch_size=32, lr_schedule=schedule)
    model = keras_backend.build("dense", small_split.input_shape, small_split.class_count, chosen)
    reporter = RecordingReporter()
    keras_backend.fit(model, small_split, chosen, reporter)
    assert len(reporter.epochs) == 2
    assert all(np.isfinite(train["loss"]) for _, train, _ in reporter.epochs)


def test_cosine_schedule_decays_the_rate():
    keras = frameworks.keras()
    rate = keras_backend._learning_rate(keras, parameters(epochs=4, learning_rate=0.01, lr_schedule="cosine"), steps_per_epoch=10)
    assert float(rate(0)) == pytest.approx(0.01)
    assert float(rate(40)) == pytest.approx(0.0, abs=1e-6)
    step = keras_backend._learning_rate(keras, parameters(epochs=4, learning_rate=0.01, lr_schedule="step"), steps_per_epoch=10)
    assert float(step(5)) == pytest.approx(0.01) and float(step(25)) == pytest.approx(0.001) and float(step(35)) == pytest.approx(0.0001)


def test_early_stopping_ends_before_the_last_epoch(small_split):
    # A learning rate of 0 can never improve the validation loss: patience 1 stops at epoch 2.
    chosen = parameters(epochs=10, batch_size=32, learning_rate=1e-6, optimizer="sgd", early_stopping_patience=1)
    model = keras_backend.build("dense", small_split.input_shape, small_split.class_count, chosen)
    reporter = RecordingReporter()
    keras_backend.fit(model, small_split, chosen, reporter)
    assert len(reporter.epochs) < 10


def test_class_weights_balance_rare_classes():
    labels = np.array([0] * 90 + [1] * 10)
    weights = class_balance.class_weights(labels, 3)
    assert weights[1] == pytest.approx(9 * weights[0])
    assert weights[0] * 90 == pytest.approx(weights[1] * 10)
    assert weights[2] == 1.0, "a class absent from training keeps weight 1"
