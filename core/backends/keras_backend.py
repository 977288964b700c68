"""The Keras (TensorFlow) backend (core.backends.protocol.Backend)."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from core import backends, frameworks
from core.backends.class_balance import class_weights
from core.backends.keras_callbacks import reporter_callback

# The looking-inside half of the protocol.
from core.backends.keras_inspection import (  # noqa: F401
    activation_name,
    explanation_maps,
    graph,
    kernels,
    layer_outputs,
    layers,
    maximise,
)

CHECKPOINT_FILE = "model.keras"
# Every training option of the image models (core.hyperparams.parameter's `inactive`).
HONOURED_OPTIONS = frozenset({"lr_schedule", "early_stopping_patience", "batch_norm", "augment_flip", "augment_shift", "augment_rotation", "class_weights", "dropout", "l2"})
PREDICT_BATCH_SIZE = 256


def device() -> str:
    gpus = frameworks.tensorflow().config.list_physical_devices("GPU")
    return f"GPU ({gpus[0].name})" if gpus else "CPU"


def versions() -> dict:
    return {"tensorflow": frameworks.tensorflow().__version__, "keras": frameworks.keras().__version__}


def build(model_name: str, input_shape: tuple, class_count: int, parameters, warn=print):
    keras = frameworks.keras()
    keras.utils.set_random_seed(parameters.seed)
    return backends.builder("keras", model_name)(tuple(input_shape), class_count, parameters, warn)


def _optimizer(keras, name: str, learning_rate: float):
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate)
    if name == "momentum":
        return keras.optimizers.SGD(learning_rate, momentum=0.9)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate)
    if name == "adam":
        return keras.optimizers.Adam(learning_rate)
    raise ValueError(f"unknown optimizer {name!r}; valid: sgd, momentum, rmsprop, adam")


def _learning_rate(keras, parameters, steps_per_epoch: int):
    """A constant rate, or a schedule over the whole run ("plateau" is a callback instead)."""
    schedule = parameters.lr_schedule
    total_steps = max(1, steps_per_epoch * parameters.epochs)
    if schedule == "cosine":
        return keras.optimizers.schedules.CosineDecay(parameters.learning_rate, decay_steps=total_steps)
    if schedule == "step":
        # A tenth of the rate at half the run, a hundredth at three quarters.
        boundaries = [max(1, total_steps // 2), max(2, total_steps * 3 // 4)]
        values = [parameters.learning_rate, parameters.learning_rate / 10, parameters.learning_rate / 100]
        return keras.optimizers.schedules.PiecewiseConstantDecay(boundaries, values)
    return parameters.learning_rate


def fit(model, split, parameters, reporter) -> None:
    keras = frameworks.keras()
    steps_per_epoch = -(-len(split.y_train) // parameters.batch_size)
    callbacks = [reporter_callback(reporter, ("loss", "accuracy"))]
    if parameters.lr_schedule == "plateau":
        callbacks.append(keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2))
    if parameters.early_stopping_patience > 0:
        # Gains under 1e-4 are noise, not progress.
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=parameters.early_stopping_patience, min_delta=1e-4, restore_best_weights=True))
    model.compile(
        optimizer=_optimizer(keras, parameters.optimizer, _learning_rate(keras, parameters, steps_per_epoch)),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    _first_point(model, split, parameters, reporter)
    model.fit(
        split.x_train,
        split.y_train,
        batch_size=parameters.batch_size,
        epochs=parameters.epochs,
        validation_data=(split.x_validation, split.y_validation),
        callbacks=callbacks,
        class_weight=class_weights(split.y_train, split.class_count) if parameters.class_weights else None,
        verbose=0,
    )


def _first_point(model, split, parameters, reporter) -> None:
    """Step 0 of the curve: the compiled model's loss and accuracy on the first batch of
    training images, computed eagerly before any step (training=False: no dropout, no random
    draw, so the run trains exactly as without it), and told to the reporter at once. It also
    makes the metrics' and the optimizer's variables now: made inside the first traced step,
    they would make TensorFlow trace the whole step twice (a second or more here)."""
    images, labels = split.x_train[: parameters.batch_size], split.y_train[: parameters.batch_size]
    weights = None
    if parameters.class_weights:
        table = class_weights(split.y_train, split.class_count)
        weights = np.asarray([table[int(label)] for label in labels], dtype=np.float32)
    predictions = model(images, training=False)
    loss = model.compute_loss(images, labels, predictions, sample_weight=weights, training=False)
    # The metrics' state it leaves is reset as fit begins its first epoch.
    metrics = model.compute_metrics(images, labels, predictions, sample_weight=weights)
    model.optimizer.build(model.trainable_variables)
    tell = getattr(reporter, "before_training", None)  # A test's silent reporter may have none.
    if tell is not None:
        tell({"loss": float(loss), "accuracy": float(metrics["accuracy"])})


def predict(model, images: np.ndarray) -> np.ndarray:
    images = images.astype(np.float32)
    if len(images) <= PREDICT_BATCH_SIZE:
        # A direct call: model.predict costs tens of milliseconds of set-up, more than a small batch.
        return np.asarray(model(images, training=False))
    return np.asarray(model.predict(images, batch_size=PREDICT_BATCH_SIZE, verbose=0))


def save(model, path: Path) -> None:
    temporary = path.with_name(f".{path.name}.tmp.keras")
    model.save(temporary)
    os.replace(temporary, path)


def load(path: Path, description: dict):
    """The model of a .keras file, in safe mode; a core.i18n.TranslatableError for a file that
    safe mode refuses (Keras' message advises safe_mode=False, which a user must never see)."""
    import zipfile

    from core.i18n import TranslatableError

    if not zipfile.is_zipfile(path):
        raise TranslatableError("checkpoint_error_unreadable")
    try:
        # safe_mode (the default, said aloud) refuses lambda layers that would run code.
        return frameworks.keras().models.load_model(path, safe_mode=True, compile=False)
    except (ValueError, TypeError) as error:
        # Only Keras' words tell a refusal of safe mode from a damaged file; both hide them.
        raise TranslatableError("checkpoint_error_refused" if "safe_mode" in str(error) else "checkpoint_error_unreadable") from None


def parameter_count(model) -> int:
    return int(model.count_params())


class _SilentReporter:
    """What warm_up's fit tells: nothing."""

    def before_training(self, train: dict) -> None:
        pass

    def batch_end(self, epoch: int, batch: int, steps: int, train: dict) -> None:
        pass

    def epoch_end(self, epoch: int, train: dict, validation: dict) -> None:
        pass


def warm_up() -> None:
    import dataclasses
    from types import SimpleNamespace

    from core import hyperparams

    keras = frameworks.keras()
    images, labels = np.zeros((8, 8, 8, 1), dtype=np.float32), np.arange(8) % 2
    inputs = keras.Input(shape=(8, 8, 1))
    features = keras.layers.Flatten()(keras.layers.Dropout(0.25)(keras.layers.MaxPooling2D(2)(keras.layers.Conv2D(2, 3, padding="same", activation="relu")(inputs))))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(features))
    # This backend's own fit, so what a run pays before its first point (the eager step 0,
    # the metrics, the optimizer, the callbacks) has been through once in this process.
    parameters = dataclasses.replace(hyperparams.ClassifierParameters(), epochs=1, batch_size=4)
    split = SimpleNamespace(x_train=images, y_train=labels, x_validation=images, y_validation=labels, class_count=2)
    fit(model, split, parameters, _SilentReporter())
    predict(model, images)
    model.predict(images, verbose=0)
    keras.backend.clear_session()
