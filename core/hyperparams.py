"""Typed hyperparameters: a dataclass whose fields carry their range and help text.

Overrides arrive as a dict (from a form, or strings from the command line). An unknown
key, a wrong type or a value out of range raises ValueError naming the field and range.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, get_type_hints


_NOT_AN_OPTION = object()  # `inactive` not given: the field is no training option.


def parameter(default, *, help: str, minimum=None, maximum=None, choices=None, step=None, inactive=_NOT_AN_OPTION):
    """A dataclass field with its valid range (inclusive) or choices, and a help i18n key.
    `inactive`: for a training option a backend may not implement, the value that turns
    it off (core.backends refuses any other value on a backend that does not honour it)."""
    metadata = {"help": help, "minimum": minimum, "maximum": maximum, "choices": choices, "step": step}
    if inactive is not _NOT_AN_OPTION:
        metadata["inactive"] = inactive
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class FieldSpec:
    """What a form or a command line needs to know about one hyperparameter."""

    name: str
    type: type
    default: Any
    help: str
    minimum: Any = None
    maximum: Any = None
    choices: tuple | None = None
    step: Any = None
    is_option: bool = False  # a training option a backend may not honour
    inactive: Any = None  # the value that turns the option off

    def describe_range(self) -> str:
        if self.choices:
            return "one of " + ", ".join(str(choice) for choice in self.choices)
        if self.type is bool:
            return "true or false"
        if self.type is str:
            return "text"
        return f"{self.type.__name__} from {self.minimum} to {self.maximum}"


@dataclass(frozen=True)
class TrainingParameters:
    """What every trained project shares; projects subclass it to change defaults or add fields."""

    # Passes over the training set; small data converges in 10-20.
    epochs: int = parameter(10, minimum=1, maximum=500, help="help_epochs")
    # Images per gradient step: smaller is noisier but often generalises better.
    batch_size: int = parameter(32, minimum=1, maximum=4096, help="help_batch_size")
    # Step size of the optimizer; adam likes 1e-3, plain sgd wants ~1e-2.
    learning_rate: float = parameter(0.001, minimum=1e-6, maximum=10.0, help="help_learning_rate")
    # momentum is SGD with momentum 0.9.
    optimizer: str = parameter("adam", choices=("sgd", "momentum", "rmsprop", "adam"), help="help_optimizer")
    # Fraction of units dropped while training, after the convolutions and the dense layer.
    dropout: float = parameter(0.25, minimum=0.0, maximum=0.9, step=0.05, help="help_dropout", inactive=0.0)
    # Weight decay: l2 * sum(w**2) added to the loss for every kernel (Keras' l2 convention).
    l2: float = parameter(0.0, minimum=0.0, maximum=1.0, help="help_l2", inactive=0.0)
    # Seeds the split, the initial weights and the batch order.
    seed: int = parameter(0, minimum=0, maximum=2**31 - 1, help="help_seed")
    # Part of the training pool held out to validate after every epoch.
    validation_fraction: float = parameter(0.1, minimum=0.05, maximum=0.5, step=0.05, help="help_validation_fraction")


@dataclass(frozen=True)
class ClassifierParameters(TrainingParameters):
    """The training options of the image classifiers (each backend honours its share)."""

    # A reduction in loss that stalls for this many epochs ends the run (0: never).
    early_stopping_patience: int = parameter(0, minimum=0, maximum=100, help="help_early_stopping_patience", inactive=0)
    lr_schedule: str = parameter("constant", choices=("constant", "step", "cosine", "plateau"), help="help_lr_schedule", inactive="constant")
    # BatchNorm after every convolution of the regularized CNN (the ResNet always has it).
    batch_norm: bool = parameter(False, help="help_batch_norm", inactive=False)
    augment_flip: bool = parameter(False, help="help_augment_flip", inactive=False)
    augment_shift: float = parameter(0.0, minimum=0.0, maximum=0.3, step=0.05, help="help_augment_shift", inactive=0.0)
    augment_rotation: float = parameter(0.0, minimum=0.0, maximum=0.5, step=0.05, help="help_augment_rotation", inactive=0.0)
    # Rare classes weigh as much as common ones in the loss.
    class_weights: bool = parameter(False, help="help_class_weights", inactive=False)


def field_specs(parameters_class: type) -> list[FieldSpec]:
    """The fields of a hyperparameter dataclass, in declaration order."""
    hints = get_type_hints(parameters_class)
    specs = []
    for item in dataclasses.fields(parameters_class):
        metadata = item.metadata
        choices = metadata.get("choices")
        specs.append(
            FieldSpec(
                name=item.name,
                type=hints[item.name],
                default=item.default,
                help=metadata.get("help", ""),
                minimum=metadata.get("minimum"),
                maximum=metadata.get("maximum"),
                choices=tuple(choices) if choices else None,
                step=metadata.get("step"),
                is_option="inactive" in metadata,
                inactive=metadata.get("inactive"),
            )
        )
    return specs


def _convert(spec: FieldSpec, value: Any) -> Any:
    """Turn a form value or a command-line string into the field's type, or raise."""
    wrong_type = ValueError(f"{spec.name}: expected {spec.describe_range()}, got {value!r}")
    if spec.type is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
            return value.lower() in ("true", "1", "yes")
        raise wrong_type
    if spec.type is int:
        if isinstance(value, bool):
            raise wrong_type
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                raise wrong_type from None
        raise wrong_type
    if spec.type is float:
        if isinstance(value, bool):
            raise wrong_type
        if isinstance(value, (int, float)):
            converted = float(value)
        elif isinstance(value, str):
            try:
                converted = float(value.strip())
            except ValueError:
                raise wrong_type from None
        else:
            raise wrong_type
        if not math.isfinite(converted):
            raise wrong_type
        return converted
    if spec.type is str:
        if not isinstance(value, str):
            raise wrong_type
        return value.strip()
    raise TypeError(f"unsupported hyperparameter type {spec.type!r} for {spec.name}")


def resolve(parameters_class: type, overrides: dict[str, Any] | None = None):
    """Defaults of `parameters_class` with `overrides` applied and checked."""
    specs = {spec.name: spec for spec in field_specs(parameters_class)}
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(specs))
    if unknown:
        raise ValueError(f"unknown hyperparameter {unknown[0]!r}; valid: {', '.join(specs)}")
    values = {}
    for name, spec in specs.items():
        if name not in overrides:
            continue
        value = _convert(spec, overrides[name])
        if spec.choices and value not in spec.choices:
            raise ValueError(f"{name}: expected {spec.describe_range()}, got {value!r}")
        if spec.minimum is not None and value < spec.minimum or spec.maximum is not None and value > spec.maximum:
            raise ValueError(f"{name}: expected {spec.describe_range()}, got {value!r}")
        values[name] = value
    return parameters_class(**values)


def parse_assignments(assignments: list[str]) -> dict[str, str]:
    """['epochs=5', 'learning_rate=0.01'] -> {'epochs': '5', ...}, for the command line."""
    result = {}
    for assignment in assignments:
        name, separator, value = assignment.partition("=")
        if not separator or not name.strip():
            raise ValueError(f"--set expects NAME=VALUE, got {assignment!r}")
        result[name.strip()] = value
    return result
