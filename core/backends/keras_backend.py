"""The Keras (TensorFlow) backend."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from core import frameworks
from core.backends import keras_models

CHECKPOINT_FILE = "model.keras"


def device() -> str:
    gpus = frameworks.tensorflow().config.list_physical_devices("GPU")
    return f"GPU ({gpus[0].name})" if gpus else "CPU"


def versions() -> dict:
    return {"tensorflow": frameworks.tensorflow().__version__, "keras": frameworks.keras().__version__}


def build(model_name: str, input_shape: tuple, class_count: int, parameters):
    keras = frameworks.keras()
    keras.utils.set_random_seed(parameters.seed)
    return keras_models.MODELS[model_name](tuple(input_shape), class_count, dropout=parameters.dropout, l2=parameters.l2)


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


def fit(model, split, parameters, reporter) -> None:
    keras = frameworks.keras()

    class ReporterCallback(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            reporter.batch_end(self.epoch, batch, self.params["steps"], {"loss": logs["loss"], "accuracy": logs["accuracy"]})

        def on_epoch_end(self, epoch, logs=None):
            reporter.epoch_end(
                epoch,
                {"loss": logs["loss"], "accuracy": logs["accuracy"]},
                {"loss": logs["val_loss"], "accuracy": logs["val_accuracy"]},
            )

    model.compile(
        optimizer=_optimizer(keras, parameters.optimizer, parameters.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(
        split.x_train,
        split.y_train,
        batch_size=parameters.batch_size,
        epochs=parameters.epochs,
        validation_data=(split.x_validation, split.y_validation),
        callbacks=[ReporterCallback()],
        verbose=0,
    )


def predict(model, images: np.ndarray) -> np.ndarray:
    return np.asarray(model.predict(images.astype(np.float32), batch_size=256, verbose=0))


def save(model, path: Path) -> None:
    temporary = path.with_name(f".{path.name}.tmp.keras")
    model.save(temporary)
    os.replace(temporary, path)


def load(path: Path, description: dict):
    # safe_mode (the default, said aloud) refuses lambda layers that would run code.
    return frameworks.keras().models.load_model(path, safe_mode=True, compile=False)
