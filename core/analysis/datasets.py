"""Dataset previews for the Home page: sample images per class and class counts."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.projects import get_project


@dataclass
class DatasetPreview:
    samples: dict[str, np.ndarray]  # class name -> (count, height, width, channels) float32
    counts: dict[str, int]
    source: str
    image_shape: tuple[int, ...]
    split_sizes: dict[str, int]  # train, validation, test with the default hyperparameters


def is_available_offline(project_id: str, dataset_id: str) -> bool:
    """False when loading would download (so a page can say so instead of waiting)."""
    spec = get_project(project_id).datasets[dataset_id]
    return spec.offline or (spec.location is not None and spec.location() is not None)


def preview(project_id: str, dataset_id: str, per_class: int = 8, seed: int = 0, overrides: dict | None = None) -> DatasetPreview:
    """Samples and counts; `overrides` are hyperparameters (a folder dataset's path, ...)."""
    from core import hyperparams
    from core.data import kinds

    project = get_project(project_id)
    parameters = hyperparams.resolve(project.parameters, overrides)
    spec = project.datasets[dataset_id]
    # An anomaly set (good and defective images), say, shows as a pool of its image kinds.
    pool = kinds.as_pool(spec.load_pool(parameters), spec.data_kind)
    generator = np.random.default_rng(seed)
    samples, counts = {}, {}
    for index, name in enumerate(pool.class_names):
        members = np.flatnonzero(pool.labels == index)
        counts[name] = int(len(members))
        chosen = generator.choice(members, size=min(per_class, len(members)), replace=False) if len(members) else members
        samples[name] = pool.images[chosen]
    return DatasetPreview(samples=samples, counts=counts, source=pool.source, image_shape=tuple(pool.images.shape[1:]), split_sizes=split_sizes(len(pool.labels), parameters.validation_fraction))


def split_sizes(count: int, validation_fraction: float) -> dict[str, int]:
    """What core.data.split_pool makes of `count` images (scikit-learn rounds test sizes up)."""
    import math

    from core.data import TEST_FRACTION

    test = math.ceil(count * TEST_FRACTION)
    validation = math.ceil((count - test) * validation_fraction)
    return {"train": count - test - validation, "validation": validation, "test": test}
