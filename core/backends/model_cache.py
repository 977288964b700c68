"""A small store kept per model object: sub-models and visualizers that cost more to
build than to use (tf-keras-vis clones the model), dropped with the model; and the version
of a model file that a cache of loaded models is keyed on."""
from __future__ import annotations

import os
import weakref
from pathlib import Path

_stores: dict[int, dict] = {}


def store_for(model) -> dict:
    """The dict kept for `model`, created on first use and removed when the model is freed."""
    key = id(model)
    if key not in _stores:
        _stores[key] = {}
        weakref.finalize(model, _stores.pop, key, None)
    return _stores[key]


def file_version(path: Path) -> tuple[int, int, int]:
    """A model file's modification time, size and inode: any of them changes when the file is
    rewritten or replaced (a rename gives a new inode, even within one clock tick)."""
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size, status.st_ino
