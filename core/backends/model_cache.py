"""A small store kept per model object: sub-models and visualizers that cost more to
build than to use (tf-keras-vis clones the model), dropped with the model."""
from __future__ import annotations

import weakref

_stores: dict[int, dict] = {}


def store_for(model) -> dict:
    """The dict kept for `model`, created on first use and removed when the model is freed."""
    key = id(model)
    if key not in _stores:
        _stores[key] = {}
        weakref.finalize(model, _stores.pop, key, None)
    return _stores[key]
