"""The image-classification train path (runs inside the worker): load and split, build, fit,
evaluate on the test split, write eval/predictions.npz and the checkpoint."""
from __future__ import annotations

import numpy as np

from core import backends, pictures
from core.kinds.image_classification import PREDICTIONS
from core.training import load_split, write_description


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


def train_classifier(context) -> dict:
    """Load, split, build, fit, evaluate on the test split, write eval/ and the checkpoint."""
    params, parameters = context.params, context.parameters
    dataset, split = load_split(context)
    train_size_before = len(split.y_train)
    # Only the projects whose students add images of their own (cifar10, artists) have the field.
    if getattr(parameters, "enrichment", ""):
        add_enrichment(split, parameters.enrichment)

    backend = backends.get_backend(params["backend"])
    context.record_environment(backend.device(), backend.versions())
    context.phase("building_model")
    model = backend.build(params["model"], split.input_shape, split.class_count, parameters, warn=context.warn)
    context.phase("training")
    backend.fit(model, split, parameters, context.reporter)
    context.phase("evaluating")

    probabilities = backend.predict(model, split.x_test)
    results = test_metrics(split.y_test, probabilities, split.class_count)
    for name, value in results.items():
        context.reporter.write("test", name.removeprefix("test_"), value, parameters.epochs)

    PREDICTIONS.write(
        context.path,
        images=pictures.as_uint8(split.x_test),  # What the Run page shows.
        labels=split.y_test,
        predictions=probabilities.argmax(1),
        probabilities=probabilities.astype(np.float32),
    )
    backend.save(model, context.path / backend.CHECKPOINT_FILE)
    write_description(context, backend, model, dataset, split.input_shape, split.class_names, len(split.y_train), train_size_before_enrichment=int(train_size_before))
    return results
