"""Backends: Keras (TensorFlow) and PyTorch behind one protocol (core.backends.protocol).

A backend is a module implementing `protocol.Backend` (build, fit with the reporter,
predict, save, load, parameter_count, and what looking inside needs). The models it builds
are the kinds' (core.kinds: each kind names a model table per backend, in modules that
import no framework, so listing models costs no TensorFlow or torch). A new backend is its
module plus one line in BACKENDS, and a model table in each kind it serves.
"""
from __future__ import annotations

import importlib

from core.backends.protocol import Backend
from core.i18n import TranslatableError

# Backend name -> its implementation module. The order is the UI's.
BACKENDS: dict[str, str] = {
    "keras": "core.backends.keras_backend",
    "torch": "core.backends.torch_backend",
}


def _check(name: str) -> None:
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; valid: {', '.join(BACKENDS)}")


def model_names(name: str) -> tuple[str, ...]:
    """Every model backend `name` can build, from the kinds' model tables (no framework import)."""
    from core import kinds

    _check(name)
    return tuple(model for table in kinds.model_tables(name) for model in table)


def builder(name: str, model: str):
    """The function that builds `model` on backend `name`; ValueError listing the valid ones."""
    from core import kinds

    _check(name)
    for table in kinds.model_tables(name):
        if model in table:
            return table[model]
    raise ValueError(f"backend {name!r} has no model {model!r}; valid: {', '.join(model_names(name))}")


def get_backend(name: str) -> Backend:
    """The backend module; importing it imports its framework."""
    _check(name)
    return importlib.import_module(BACKENDS[name])


def honoured_options(name: str) -> frozenset[str]:
    """The training options backend `name` implements. Its module imports its framework
    lazily, so asking costs no TensorFlow or torch import."""
    _check(name)
    return importlib.import_module(BACKENDS[name]).HONOURED_OPTIONS


def check_options(name: str, parameters) -> None:
    """Refuse, before a run exists, a training option turned on that backend `name` does
    not implement: a TranslatableError naming the field and the backends that honour it."""
    from core import hyperparams

    own = honoured_options(name)
    for spec in hyperparams.field_specs(type(parameters)):
        if spec.is_option and spec.name not in own and getattr(parameters, spec.name) != spec.inactive:
            others = [other for other in BACKENDS if spec.name in honoured_options(other)]
            raise TranslatableError("hyperparameter_error_not_honoured", field=spec.name, value=getattr(parameters, spec.name), backend=name, backends=", ".join(others) or "-")
