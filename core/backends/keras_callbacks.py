"""The Keras callback that tells a run's reporter its metrics: one for the classifier, the
VAEs and the pretext tasks, in a module of its own so the model modules need not import
the backend that imports them."""
from __future__ import annotations

from core import frameworks


def reporter_callback(reporter, names: tuple[str, ...], validation: bool = True):
    """A Keras callback that tells the run's reporter the logged metrics `names`: running
    values after every batch, train (and validation) values after every epoch."""
    keras = frameworks.keras()

    class ReporterCallback(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            reporter.batch_end(self.epoch, batch, self.params["steps"], {name: logs[name] for name in names})

        def on_epoch_end(self, epoch, logs=None):
            validated = {name: logs[f"val_{name}"] for name in names} if validation else {}
            reporter.epoch_end(epoch, {name: logs[name] for name in names}, validated)

    return ReporterCallback()
