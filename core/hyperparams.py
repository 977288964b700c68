"""Typed hyperparameters: a dataclass whose fields carry their range and help text.

Overrides arrive as a dict (from a form, or strings from the command line). An unknown
key, a wrong type or a value out of range raises a core.i18n.TranslatableError (a ValueError)
naming the field and range, which a page says in the user's language.
"""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from typing import Any, get_type_hints

from core import i18n

_NOT_AN_OPTION = object()  # `inactive` not given: the field is no training option.


# What a path-like text field names, checked before a run exists (core.projects.base):
# a folder on the server (core.data.allowed_folders) or an enrichment set (core.enrichment).
PATH_KINDS = ("folder", "enrichment_set")


def parameter(default, *, help: str, minimum=None, maximum=None, choices=None, step=None, inactive=_NOT_AN_OPTION, path=None):
    """A dataclass field with its valid range (inclusive) or choices, and a help i18n key.
    `inactive`: for a training option a backend may not implement, the value that turns
    it off (core.backends refuses any other value on a backend that does not honour it).
    `path`: for a text field that names a path, one of PATH_KINDS."""
    if path is not None and path not in PATH_KINDS:
        raise ValueError(f"unknown path kind {path!r}; valid: {', '.join(PATH_KINDS)}")
    metadata = {"help": help, "minimum": minimum, "maximum": maximum, "choices": choices, "step": step, "path": path}
    if inactive is not _NOT_AN_OPTION:
        metadata["inactive"] = inactive
    return field(default=default, metadata=metadata)


def label_key(name: str) -> str:
    """The i18n key of the field `name`'s label (a test checks every project's fields have
    one); its choices' labels, where they need one, are the key + "_" + the choice."""
    return f"hp_{name}"


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
    path: str | None = None  # what a path-like text field names (PATH_KINDS)

    @property
    def label_key(self) -> str:
        return label_key(self.name)

    def describe_range(self, language: str = "en") -> str:
        """The valid values, as `language` says them ("int from 1 to 500" in English)."""
        if self.choices:
            return i18n.t("range_choices", language, choices=", ".join(str(choice) for choice in self.choices))
        if self.type is bool:
            return i18n.t("range_bool", language)
        if self.type is str:
            return i18n.t("range_text", language)
        bounds = {"minimum": i18n.number_text(self.minimum, language), "maximum": i18n.number_text(self.maximum, language)}
        return i18n.t("range_float" if self.type is float else "range_int", language, **bounds)


def field_name(name: str) -> i18n.Localized:
    """The field `name` as an error names it: its name in English (the command line's), its
    label and its name in another language ("Époques (epochs)")."""
    def render(language: str) -> str:
        key = label_key(name)
        return f"{i18n.t(key, language)} ({name})" if key in i18n.STRINGS and language != "en" else name

    return i18n.Localized(render)


def invalid_value(spec: FieldSpec, value: Any) -> i18n.TranslatableError:
    """The error of a value `spec` refuses: in English "epochs: expected int from 1 to 500,
    got 0" (the command line's); a page says it in the user's language, with the field's label."""
    return i18n.TranslatableError(
        "hyperparameter_error_range", field=field_name(spec.name), range=i18n.Localized(spec.describe_range),
        value=i18n.Localized(lambda language: i18n.number_text(value, language) if isinstance(value, float) else repr(value)),
    )


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
                path=metadata.get("path"),
            )
        )
    return specs


# Digits with at most one decimal separator, a point or a French comma, and an exponent:
# no underscores ("1_0" is not 10), no nan or infinity, no hexadecimal, ASCII digits only.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
_WHOLE = re.compile(r"[+-]?[0-9]+")


def parse_number(text: str, kind: type = float) -> int | float:
    """A number typed by a person (a form's text box, the command line): "0,001" and
    "0.001" are the same; ValueError for anything else Python's int() or float() would take."""
    text = text.strip()
    if kind is int:
        if not _WHOLE.fullmatch(text):
            raise ValueError(f"not a whole number: {text!r}")
        return int(text)
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"not a number: {text!r}")
    return float(text.replace(",", "."))


def form_text(spec: FieldSpec, value: Any) -> Any:
    """What a form shows for `value`: a float typed in a text box as its shortest exact text
    (the form's text box and resolve() then agree), any other value as it is."""
    if spec.type is float and not spec.step and not spec.choices:
        return repr(float(value))
    return float(value) if spec.type is float else value


def _convert(spec: FieldSpec, value: Any) -> Any:
    """Turn a form value or a command-line string into the field's type, or raise."""
    wrong_type = invalid_value(spec, value)
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
                return parse_number(value, int)
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
                converted = parse_number(value, float)
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
    """Defaults of `parameters_class` with `overrides` applied and checked (a
    core.i18n.TranslatableError for an unknown field or a value out of range)."""
    specs = {spec.name: spec for spec in field_specs(parameters_class)}
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(specs))
    if unknown:
        raise i18n.TranslatableError("hyperparameter_error_unknown", name=repr(unknown[0]), valid=", ".join(specs))
    values = {}
    for name, spec in specs.items():
        if name not in overrides:
            continue
        value = _convert(spec, overrides[name])
        if spec.choices and value not in spec.choices:
            raise invalid_value(spec, value)
        if spec.minimum is not None and value < spec.minimum or spec.maximum is not None and value > spec.maximum:
            raise invalid_value(spec, value)
        values[name] = value
    return parameters_class(**values)


def parse_assignments(assignments: list[str]) -> dict[str, str]:
    """['epochs=5', 'learning_rate=0.01'] -> {'epochs': '5', ...}, for the command line."""
    result = {}
    for assignment in assignments:
        name, separator, value = assignment.partition("=")
        if not separator or not name.strip():
            raise i18n.TranslatableError("hyperparameter_error_assignment", text=repr(assignment))
        result[name.strip()] = value
    return result
