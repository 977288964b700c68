"""Backends: Keras (TensorFlow) and PyTorch behind one protocol.

A backend module exposes:
    build(model_name, input_shape, class_count, parameters, warn) -> model   (warn(message): tell the user)
    fit(model, split, parameters, reporter) -> None   (reporter: core.runs.reporter.Reporter)
    predict(model, images) -> probabilities           (images: float32 NHWC in [0, 1])
    save(model, path) / load(path, description) -> model
    parameter_count(model) -> int
    CHECKPOINT_FILE, device() -> str, versions() -> dict
Its model table (names -> builders) lives in a module that imports no framework, so the
registry can ask which models a backend has without paying for TensorFlow or torch.
"""
from __future__ import annotations

import importlib
from types import ModuleType

# Backend name -> (implementation module, model table module). The order is the UI's.
BACKENDS: dict[str, tuple[str, str]] = {
    "keras": ("core.backends.keras_backend", "core.backends.keras_models"),
    "torch": ("core.backends.torch_backend", "core.backends.torch_models"),
}


def _check(name: str) -> None:
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; valid: {', '.join(BACKENDS)}")


def model_names(name: str) -> tuple[str, ...]:
    _check(name)
    return tuple(importlib.import_module(BACKENDS[name][1]).MODELS)


def get_backend(name: str) -> ModuleType:
    """The backend module; importing it imports its framework."""
    _check(name)
    return importlib.import_module(BACKENDS[name][0])
