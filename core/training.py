"""The training path shared by image-classification projects (runs inside the worker)."""
from __future__ import annotations

import json

import numpy as np

from core import backends
from core.data import split_pool

CHECKPOINT_DESCRIPTION = "checkpoint.json"
PREDICTIONS_FILE = "predictions.npz"


def as_uint8(images: np.ndarray) -> np.ndarray:
    """Float images in [0, 1] as uint8, as eval/ keeps them for the pages."""
    return np.round(np.clip(images, 0.0, 1.0) * 255).astype(np.uint8)


def test_metrics(labels: np.ndarray, probabilities: np.ndarray, class_count: int) -> dict:
    from sklearn import metrics

    classes = list(range(class_count))
    results = {
        "test_accuracy": float(metrics.accuracy_score(labels, probabilities.argmax(1))),
        "test_loss": float(metrics.log_loss(labels, np.clip(probabilities, 1e-7, 1.0), labels=classes)),
        "test_macro_f1": float(metrics.f1_score(labels, probabilities.argmax(1), labels=classes, average="macro", zero_division=0)),
    }
    if class_count > 3:  # With 3 classes or fewer, top-3 is always right.
        results["test_top_3_accuracy"] = float(metrics.top_k_accuracy_score(labels, probabilities, k=3, labels=classes))
    return results


def add_enrichment(split, folder: str) -> None:
    """A student's images and their variants join the training split (never the test one)."""
    from core import enrichment

    enriched = enrichment.load_for_training(folder, split.input_shape, split.class_count)
    before = len(split.y_train)
    split.x_train = np.concatenate([split.x_train, enriched.images])
    split.y_train = np.concatenate([split.y_train, enriched.labels])
    print(f"enrichment {folder}: {int(enriched.source_numbers.max()) + 1} source images, {len(enriched.labels)} with their variants; training images {before} -> {len(split.y_train)}", flush=True)


def load_split(context):
    """The run's dataset spec and its pool split by the run's seed (both told in the log)."""
    params, parameters = context.params, context.parameters
    dataset = context.project.datasets[params["dataset"]]
    print(f"loading dataset {params['dataset']}", flush=True)
    pool = dataset.load_pool(parameters)
    split = split_pool(pool, parameters.seed, parameters.validation_fraction)
    print(f"{split.source}: {len(split.y_train)} train, {len(split.y_validation)} validation, {len(split.y_test)} test", flush=True)
    return dataset, split


def write_description(context, backend, model, dataset, input_shape, class_names, train_size: int, **extra) -> None:
    """checkpoint.json: what loading the checkpoint and preparing an input need."""
    params = context.params
    description = {
        "backend": params["backend"],
        "model": params["model"],
        "file": backend.CHECKPOINT_FILE,
        "input_shape": list(input_shape),
        "class_names": list(class_names),
        "dataset": params["dataset"],
        "preparation": dataset.preparation,
        "parameter_count": backend.parameter_count(model),
        "train_size": int(train_size),
        **extra,
    }
    (context.path / CHECKPOINT_DESCRIPTION).write_text(json.dumps(description, indent=1))


def train_classifier(context) -> dict:
    """Load, split, build, fit, evaluate on the test split, write eval/ and the checkpoint."""
    params, parameters = context.params, context.parameters
    dataset, split = load_split(context)
    train_size_before = len(split.y_train)
    if getattr(parameters, "enrichment", ""):
        add_enrichment(split, parameters.enrichment)

    backend = backends.get_backend(params["backend"])
    context.record_environment(backend.device(), backend.versions())
    model = backend.build(params["model"], split.input_shape, split.class_count, parameters, warn=context.warn)
    backend.fit(model, split, parameters, context.reporter)

    probabilities = backend.predict(model, split.x_test)
    results = test_metrics(split.y_test, probabilities, split.class_count)
    for name, value in results.items():
        context.reporter.write("test", name.removeprefix("test_"), value, parameters.epochs)

    eval_dir = context.eval_dir
    np.savez_compressed(
        eval_dir / PREDICTIONS_FILE,
        images=as_uint8(split.x_test),  # What the Run page shows.
        labels=split.y_test,
        predictions=probabilities.argmax(1),
        probabilities=probabilities.astype(np.float32),
    )
    backend.save(model, context.path / backend.CHECKPOINT_FILE)
    write_description(context, backend, model, dataset, split.input_shape, split.class_names, len(split.y_train), train_size_before_enrichment=int(train_size_before))
    return results
