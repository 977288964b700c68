"""Anomaly-detection runs (project anomaly): a pretext task learnt from defect-free
images in the worker, then every test image scored by its reconstruction error."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from core import pictures, training
from core.data.anomaly import GOOD
from core.i18n import TranslatableError
from core.kinds.anomaly_detection import SCORES
from core.kinds.anomaly_detection import analysis as scoring
from core.kinds.anomaly_detection import keras_models as keras_anomaly


def check_task(task: str, grey: bool) -> None:
    """Colorization learns colour from grey: a grey category has none to learn."""
    if task == "colorization" and grey:
        raise TranslatableError("anomaly_error_colorization_grey")


def score(model, task: str, data, kind: str, top_fraction: float) -> dict:
    """Reconstructions, error maps and image scores of the test images, with the metrics
    they give (None where undefined)."""
    patch = keras_anomaly.patch_size(task, data.test.shape[1])
    rebuilt = keras_anomaly.reconstruct(model, task, data.test, patch)
    maps = scoring.error_maps(data.test, rebuilt, kind)
    scores = scoring.image_scores(maps, top_fraction)
    include = scoring.pixel_include(data.defect_types, data.unmasked)
    return {
        "reconstructions": rebuilt, "maps": maps, "scores": scores, "include": include,
        "image_auroc": scoring.image_auroc(data.labels, scores),
        "pixel_auroc": scoring.pixel_auroc(data.masks, maps, include) if data.pixel_metrics else None,
    }


def train_detector(context) -> dict:
    """Load the category, learn the pretext task on the good images, score the test set,
    write eval/ and the checkpoint."""
    params, parameters = context.params, context.parameters
    task = params["model"]
    dataset = context.project.datasets[params["dataset"]]
    print(f"loading dataset {params['dataset']}", flush=True)
    data = dataset.load_pool(parameters)
    for note in data.notes:
        context.warn(note)
    check_task(task, data.grey)
    order = np.random.default_rng(parameters.seed).permutation(len(data.train))
    held_out = max(1, round(len(order) * parameters.validation_fraction)) if len(order) > 1 else 0
    train, validation = data.train[order[held_out:]], data.train[order[:held_out]]
    print(f"{data.source}: {len(train)} good images to learn from, {len(validation)} to validate, {len(data.test)} test images ({int(data.labels.sum())} defective)", flush=True)

    from core import frameworks
    from core.backends import keras_backend
    from core.backends.keras_callbacks import reporter_callback

    keras = frameworks.keras()
    context.record_environment(keras_backend.device(), keras_backend.versions())
    context.phase("building_model")
    model = keras_backend.build(task, train.shape[1:], 0, parameters, warn=context.warn)
    model.compile(optimizer=keras.optimizers.Adam(parameters.learning_rate), loss="mse")
    patch = keras_anomaly.patch_size(task, train.shape[1])
    validation_data = None
    if len(validation):
        # Fixed corruptions, so the validation loss of two epochs compares.
        masks = keras_anomaly.scoring_masks(validation.shape[1], patch)[np.arange(len(validation)) % keras_anomaly.SCORING_PASSES]
        validation_data = (keras_anomaly.corrupt(task, validation, masks), validation)
    context.phase("training")
    model.fit(keras_anomaly.training_batches(task, train, parameters, patch), epochs=parameters.epochs, validation_data=validation_data, callbacks=[reporter_callback(context.reporter, ("loss",), validation=len(validation) > 0)], verbose=0)

    context.phase("evaluating")
    scored = score(model, task, data, parameters.score, parameters.top_fraction)
    results = {name: scored[name] for name in ("image_auroc", "pixel_auroc") if scored[name] is not None}
    if scored["image_auroc"] is None:
        context.warn("image AUROC is undefined: the test set needs both good and defective images" if data.has_defects or data.has_good_tests else "image AUROC is undefined: there are no test images")
    if not data.pixel_metrics:
        context.warn("pixel AUROC is off: no defective test image has a mask")
    for name, value in results.items():
        context.reporter.write("test", name, value, parameters.epochs)

    SCORES.write(
        context.path,
        images=pictures.as_uint8(data.test), reconstructions=pictures.as_uint8(scored["reconstructions"]), maps=scored["maps"].astype(np.float16),
        masks=data.masks.astype(np.uint8), defect_types=np.asarray(data.defect_types), scores=scored["scores"].astype(np.float32),
        include=scored["include"],
    )
    keras_backend.save(model, context.path / keras_backend.CHECKPOINT_FILE)
    training.write_description(context, keras_backend, model, dataset, train.shape[1:], [GOOD, "defective"], len(train), task=task, category=data.category, score=parameters.score, grey=data.grey)
    return results


def load_scores(path: Path) -> dict[str, np.ndarray]:
    """eval/anomaly.npz: test images and reconstructions (uint8), error maps, masks, defect
    types, image scores, and which images pixel metrics include."""
    return SCORES.read(path)
