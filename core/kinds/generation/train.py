"""Generative runs (project cvae): training in the worker, then what the views ask of a
trained VAE or CVAE: samples per class, traversals, interpolations, codes by hand.

Images are float32 NHWC in [0, 1] throughout; latent codes are float32 (n, latent_dim).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from core import pictures, training
from core.i18n import TranslatableError
from core.kinds.generation import LATENT
from core.kinds.generation import keras_models as keras_generative

# Samples per class the run's judge labels for conditional_accuracy.
JUDGED_PER_CLASS = 100
DEFAULT_PER_CLASS = 5


def input_size(shape: tuple) -> int:
    return int(np.prod(shape))


def check_parameters(parameters, input_shape: tuple | None, dataset_title: str) -> None:
    """Before a run is queued: hidden sizes that parse, a code smaller than the image."""
    keras_generative.hidden_sizes(parameters.hidden_sizes)
    if input_shape is not None and parameters.latent_dim > input_size(input_shape):
        from core import hyperparams

        raise TranslatableError(
            "generation_error_latent_too_large", field=hyperparams.field_name("latent_dim"), latent_dim=parameters.latent_dim,
            numbers=input_size(input_shape), dataset=dataset_title, size="x".join(str(side) for side in input_shape),
        )


def one_hot(labels, class_count: int) -> np.ndarray:
    return np.eye(class_count, dtype=np.float32)[np.asarray(labels, dtype=np.int64)]


def fit_judge(images: np.ndarray, labels: np.ndarray, seed: int):
    """A classifier of real images (logistic regression on the pixels) that labels samples."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=2000, C=1.0, random_state=seed).fit(images.reshape(len(images), -1), labels)


def judge_labels(judge, images: np.ndarray) -> np.ndarray:
    return judge.predict(images.reshape(len(images), -1))


def random_codes(count: int, latent_dim: int, seed: int) -> np.ndarray:
    """Codes drawn from the prior N(0, I); the same seed gives the same codes."""
    return np.random.default_rng(seed).standard_normal((count, latent_dim)).astype(np.float32)


def conditional_accuracy(model, judge, class_count: int, latent_dim: int, seed: int, per_class: int = JUDGED_PER_CLASS) -> float:
    """The share of samples asked for class k that the judge labels k."""
    labels = np.repeat(np.arange(class_count), per_class)
    samples = keras_generative.decode(model, random_codes(len(labels), latent_dim, seed), one_hot(labels, class_count))
    return float(np.mean(judge_labels(judge, samples) == labels))


def train_generator(context) -> dict:
    """Load, split, build, fit; test losses, the judge's verdict on samples (CVAE), eval/ and
    the checkpoint."""
    params, parameters = context.params, context.parameters
    dataset, split = training.load_split(context)
    check_parameters(parameters, split.input_shape, params["dataset"])

    from core.backends import keras_backend

    context.record_environment(keras_backend.device(), keras_backend.versions())
    context.phase("building_model")
    model = keras_backend.build(params["model"], split.input_shape, split.class_count, parameters, warn=context.warn)
    context.phase("training")
    keras_generative.fit(model, split, parameters, context.reporter)
    context.phase("evaluating")

    losses = keras_generative.evaluate(model, split.x_test, split.y_test, split.class_count, parameters.beta, parameters.seed)
    results = {f"test_{name}": value for name, value in losses.items()}
    conditional = keras_generative.is_conditional(params["model"])
    if conditional:
        judge = fit_judge(np.concatenate([split.x_train, split.x_validation]), np.concatenate([split.y_train, split.y_validation]), parameters.seed)
        results["judge_accuracy"] = float(np.mean(judge_labels(judge, split.x_test) == split.y_test))
        results["conditional_accuracy"] = conditional_accuracy(model, judge, split.class_count, parameters.latent_dim, parameters.seed)
    for name, value in results.items():
        context.reporter.write("test", name.removeprefix("test_"), value, parameters.epochs)

    codes, _ = keras_generative.encode(model, split.x_test, one_hot(split.y_test, split.class_count))
    reconstructions = keras_generative.decode(model, codes, one_hot(split.y_test, split.class_count))
    LATENT.write(
        context.path,
        images=pictures.as_uint8(split.x_test),
        labels=split.y_test,
        reconstructions=pictures.as_uint8(reconstructions),
        codes=codes.astype(np.float32),
    )
    keras_backend.save(model, context.path / keras_backend.CHECKPOINT_FILE)
    training.write_description(context, keras_backend, model, dataset, split.input_shape, split.class_names, len(split.y_train), conditional=conditional, latent_dim=parameters.latent_dim)
    return results


def load_latent(path: Path) -> dict[str, np.ndarray]:
    """eval/latent.npz: test images and reconstructions (uint8), labels, codes (z_mean)."""
    return LATENT.read(path)


# What a loaded model (core.inference.LoadedModel) is asked for.


def is_conditional_model(loaded) -> bool:
    return bool(loaded.description.get("conditional"))


def latent_dim(loaded) -> int:
    return int(loaded.description["latent_dim"])


def class_index(loaded, wanted) -> int | None:
    """The class to condition on, by index or name; None for a VAE asked for none.
    TranslatableError for a class that does not exist or a VAE asked for one."""
    if wanted is None:
        return None
    names = loaded.class_names
    if not is_conditional_model(loaded):
        raise TranslatableError("generate_error_not_conditional", model=loaded.description.get("model", "vae"))
    if isinstance(wanted, str) and wanted in names:
        return names.index(wanted)
    if isinstance(wanted, (int, np.integer)) and not isinstance(wanted, bool) and 0 <= wanted < len(names):
        return int(wanted)
    if isinstance(wanted, str) and wanted.strip().isdigit() and int(wanted) < len(names):
        return int(wanted)
    raise TranslatableError("generate_error_unknown_class", wanted=str(wanted), valid=", ".join(names))


def _conditions(loaded, classes) -> np.ndarray:
    """One-hot rows for class indices (a VAE ignores them: zeros)."""
    classes = np.asarray(classes, dtype=np.int64)
    return one_hot(classes, len(loaded.class_names))


def generate(loaded, codes: np.ndarray, wanted_class=None) -> np.ndarray:
    """Decode `codes` (n, latent_dim), all of one class for a CVAE (the first when none is named)."""
    codes = np.asarray(codes, dtype=np.float32).reshape(-1, latent_dim(loaded))
    index = class_index(loaded, wanted_class)
    classes = np.full(len(codes), index or 0)
    return keras_generative.decode(loaded.model, codes, _conditions(loaded, classes))


def check_count(per_class: int) -> None:
    """Samples per class: 1 to 100 (a TranslatableError otherwise)."""
    if not 1 <= per_class <= 100:
        raise TranslatableError("generate_error_count", count=per_class)


def sample_grid(loaded, per_class: int = DEFAULT_PER_CLASS, seed: int = 0) -> np.ndarray:
    """(rows, per_class, h, w, c): a row per class for a CVAE (the same codes in every row,
    so a column is one "style"); rows of other random samples for a VAE."""
    check_count(per_class)
    rows = len(loaded.class_names)
    if is_conditional_model(loaded):
        codes = np.tile(random_codes(per_class, latent_dim(loaded), seed), (rows, 1))
    else:
        codes = random_codes(rows * per_class, latent_dim(loaded), seed)
    classes = np.repeat(np.arange(rows), per_class)
    images = keras_generative.decode(loaded.model, codes, _conditions(loaded, classes))
    return images.reshape(rows, per_class, *images.shape[1:])


def traversal(loaded, dimensions: tuple[int, int], steps: int = 7, span: float = 2.5, wanted_class=None, base: np.ndarray | None = None) -> np.ndarray:
    """(steps, steps, h, w, c): the code `base` (zeros by default) with dimension
    dimensions[0] moving down the rows and dimensions[1] across, from -span to +span."""
    size = latent_dim(loaded)
    for dimension in dimensions:
        if not 0 <= dimension < size:
            raise TranslatableError("generate_error_dimension", dimension=dimension, size=size)
    values = np.linspace(-span, span, steps, dtype=np.float32)
    codes = np.tile(np.zeros(size, np.float32) if base is None else np.asarray(base, np.float32), (steps * steps, 1))
    rows, columns = np.meshgrid(values, values, indexing="ij")
    codes[:, dimensions[0]] = rows.ravel()
    if dimensions[1] != dimensions[0]:
        codes[:, dimensions[1]] = columns.ravel()
    images = generate(loaded, codes, wanted_class)
    return images.reshape(steps, steps, *images.shape[1:])


def encode(loaded, images: np.ndarray, labels) -> np.ndarray:
    """The mean codes of float32 images with their classes (a VAE ignores the classes)."""
    codes, _ = keras_generative.encode(loaded.model, np.asarray(images, np.float32), _conditions(loaded, labels))
    return codes


def interpolate(loaded, start_code, end_code, start_class: int, end_class: int, steps: int = 8) -> np.ndarray:
    """Images along the straight line from one code to the other; a CVAE's class blends
    from one one-hot vector to the other at the same pace."""
    weights = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, np.newaxis]
    codes = (1 - weights) * np.asarray(start_code, np.float32)[np.newaxis] + weights * np.asarray(end_code, np.float32)[np.newaxis]
    conditions = (1 - weights) * _conditions(loaded, [start_class]) + weights * _conditions(loaded, [end_class])
    return keras_generative.decode(loaded.model, codes, conditions)


def interpolate_images(loaded, images: np.ndarray, labels, steps: int = 8) -> np.ndarray:
    """From the first of two test images to the second, through their codes."""
    codes = encode(loaded, images, labels)
    return interpolate(loaded, codes[0], codes[1], int(labels[0]), int(labels[1]), steps)


def interpolate_classes(loaded, code, start_class, end_class, steps: int = 8) -> np.ndarray:
    """One code, its class moving from `start_class` to `end_class` (a CVAE only)."""
    start, end = class_index(loaded, start_class), class_index(loaded, end_class)
    return interpolate(loaded, code, code, start, end, steps)
