"""Class weights for an unbalanced training set, the same on every backend."""
from __future__ import annotations

import numpy as np


def class_weights(labels: np.ndarray, class_count: int) -> dict[int, float]:
    """'balanced' weights: count / (classes × class size), so rare classes count as much;
    1 for a class absent from `labels`."""
    from sklearn.utils.class_weight import compute_class_weight

    present = np.unique(labels)
    weights = dict(zip(present.tolist(), compute_class_weight("balanced", classes=present, y=labels).tolist()))
    return {index: weights.get(index, 1.0) for index in range(class_count)}
