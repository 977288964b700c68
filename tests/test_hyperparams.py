"""core.hyperparams: typed defaults, overrides from forms and the command line, errors."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from core import hyperparams
from core.hyperparams import TrainingParameters, parameter
from core.i18n.strings import STRINGS
from core.projects import PROJECTS
from core.projects.digits import DigitsParameters


@dataclass(frozen=True)
class SwitchParameters:
    # A bool field, which no project has yet, to check the conversion.
    augment: bool = parameter(False, help="help_augment")
    epochs: int = parameter(3, minimum=1, maximum=9, help="help_epochs")


def test_defaults_come_from_the_dataclass():
    resolved = hyperparams.resolve(TrainingParameters)
    assert resolved == TrainingParameters()
    assert (resolved.epochs, resolved.batch_size, resolved.optimizer, resolved.seed) == (10, 32, "adam", 0)
    assert resolved.learning_rate == pytest.approx(0.001)


def test_a_project_subclass_changes_a_default_and_keeps_the_rest():
    resolved = hyperparams.resolve(DigitsParameters, None)
    assert resolved.epochs == 25
    assert resolved.batch_size == TrainingParameters().batch_size
    epochs = next(spec for spec in hyperparams.field_specs(DigitsParameters) if spec.name == "epochs")
    assert (epochs.minimum, epochs.maximum, epochs.default) == (1, 500, 25)


def test_resolved_parameters_are_frozen():
    resolved = hyperparams.resolve(TrainingParameters)
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolved.epochs = 3


def test_overrides_from_command_line_strings_are_converted():
    resolved = hyperparams.resolve(
        TrainingParameters,
        {"epochs": "5", "batch_size": " 64 ", "learning_rate": "1e-2", "optimizer": " sgd ", "dropout": "0", "seed": "7"},
    )
    assert resolved.epochs == 5 and type(resolved.epochs) is int
    assert resolved.batch_size == 64
    assert resolved.learning_rate == pytest.approx(0.01) and type(resolved.learning_rate) is float
    assert resolved.optimizer == "sgd"
    assert resolved.dropout == 0.0 and type(resolved.dropout) is float
    assert resolved.seed == 7


def test_typed_overrides_from_a_form_are_accepted():
    resolved = hyperparams.resolve(TrainingParameters, {"epochs": 4.0, "learning_rate": 1, "l2": 0.5, "optimizer": "rmsprop"})
    assert resolved.epochs == 4 and type(resolved.epochs) is int
    assert resolved.learning_rate == 1.0 and type(resolved.learning_rate) is float
    assert resolved.l2 == 0.5
    assert resolved.optimizer == "rmsprop"


@pytest.mark.parametrize("name, value", [("epochs", 1), ("epochs", 500), ("learning_rate", 1e-6), ("learning_rate", 10.0), ("dropout", 0.9), ("validation_fraction", 0.05), ("validation_fraction", 0.5)])
def test_range_bounds_are_inclusive(name, value):
    assert getattr(hyperparams.resolve(TrainingParameters, {name: value}), name) == value


@pytest.mark.parametrize(
    "value, expected",
    [("true", True), ("False", False), ("1", True), ("0", False), ("yes", True), ("no", False), (True, True), (False, False)],
)
def test_bool_fields_accept_words_and_bools(value, expected):
    assert hyperparams.resolve(SwitchParameters, {"augment": value}).augment is expected


@pytest.mark.parametrize("value", ["maybe", 1, 0.0, None])
def test_bool_fields_refuse_other_values(value):
    with pytest.raises(ValueError, match=r"augment: expected true or false"):
        hyperparams.resolve(SwitchParameters, {"augment": value})


def test_unknown_key_names_the_key_and_the_valid_ones():
    with pytest.raises(ValueError) as raised:
        hyperparams.resolve(TrainingParameters, {"epoch": 3})
    message = str(raised.value)
    assert "'epoch'" in message
    for spec in hyperparams.field_specs(TrainingParameters):
        assert spec.name in message


# (field, bad value, text the message must hold: the field and its range)
WRONG_TYPES = [
    ("epochs", "abc", "int from 1 to 500"),
    ("epochs", "2.5", "int from 1 to 500"),
    ("epochs", 2.5, "int from 1 to 500"),
    ("epochs", True, "int from 1 to 500"),
    ("epochs", None, "int from 1 to 500"),
    ("learning_rate", "fast", "float from 1e-06 to 10.0"),
    ("learning_rate", "nan", "float from 1e-06 to 10.0"),
    ("learning_rate", float("inf"), "float from 1e-06 to 10.0"),
    ("learning_rate", False, "float from 1e-06 to 10.0"),
    ("optimizer", 3, "one of sgd, momentum, rmsprop, adam"),
]
OUT_OF_RANGE = [
    ("epochs", 0, "int from 1 to 500"),
    ("epochs", "501", "int from 1 to 500"),
    ("batch_size", -1, "int from 1 to 4096"),
    ("learning_rate", 0.0, "float from 1e-06 to 10.0"),
    ("learning_rate", "11", "float from 1e-06 to 10.0"),
    ("dropout", 0.95, "float from 0.0 to 0.9"),
    ("l2", -0.1, "float from 0.0 to 1.0"),
    ("seed", -1, "int from 0 to 2147483647"),
    ("validation_fraction", 0.01, "float from 0.05 to 0.5"),
]
BAD_CHOICES = [
    ("optimizer", "adamw", "one of sgd, momentum, rmsprop, adam"),
    ("optimizer", "ADAM", "one of sgd, momentum, rmsprop, adam"),
    ("optimizer", "", "one of sgd, momentum, rmsprop, adam"),
]


@pytest.mark.parametrize("name, value, expected_range", WRONG_TYPES + OUT_OF_RANGE + BAD_CHOICES)
def test_bad_values_raise_naming_the_field_and_its_range(name, value, expected_range):
    with pytest.raises(ValueError) as raised:
        hyperparams.resolve(TrainingParameters, {name: value})
    message = str(raised.value)
    assert message.startswith(f"{name}: expected {expected_range}")
    assert ", got " in message  # And what was given, so the user sees the mistake.


def test_the_first_bad_field_is_reported_and_nothing_is_half_applied():
    with pytest.raises(ValueError, match="^epochs:"):
        hyperparams.resolve(TrainingParameters, {"epochs": "x", "batch_size": "y"})


@pytest.mark.parametrize("project_id", sorted(PROJECTS))
def test_every_field_declares_a_range_or_choices_and_translated_help(project_id):
    specs = hyperparams.field_specs(PROJECTS[project_id].parameters)
    assert specs, "a project needs hyperparameters"
    for spec in specs:
        # Text (a folder path) and switches have no range; every number has one.
        assert spec.choices or (spec.minimum is not None and spec.maximum is not None) or spec.type in (bool, str), spec.name
        if spec.choices:
            assert spec.default in spec.choices, spec.name
        elif spec.type in (int, float):
            assert spec.minimum <= spec.default <= spec.maximum, spec.name
        assert spec.help in STRINGS, f"{spec.name}: help key {spec.help!r} missing from STRINGS"
        assert STRINGS[spec.help].get("en") and STRINGS[spec.help].get("fr"), spec.help
        # The default must survive a round trip through resolve, as a form would send it.
        assert getattr(hyperparams.resolve(PROJECTS[project_id].parameters, {spec.name: spec.default}), spec.name) == spec.default


def test_field_specs_keep_declaration_order():
    names = [spec.name for spec in hyperparams.field_specs(TrainingParameters)]
    assert names == [item.name for item in dataclasses.fields(TrainingParameters)]
    assert names[:3] == ["epochs", "batch_size", "learning_rate"]


def test_parse_assignments():
    assert hyperparams.parse_assignments(["epochs=5", "learning_rate=0.01"]) == {"epochs": "5", "learning_rate": "0.01"}
    assert hyperparams.parse_assignments([" epochs =3"]) == {"epochs": "3"}
    assert hyperparams.parse_assignments(["name=a=b"]) == {"name": "a=b"}
    assert hyperparams.parse_assignments(["epochs=1", "epochs=2"]) == {"epochs": "2"}
    assert hyperparams.parse_assignments([]) == {}


@pytest.mark.parametrize("assignment", ["epochs", "=5", " =5", ""])
def test_parse_assignments_refuses_what_is_not_name_equals_value(assignment):
    with pytest.raises(ValueError, match="NAME=VALUE"):
        hyperparams.parse_assignments([assignment])


def test_parsed_assignments_resolve_end_to_end():
    overrides = hyperparams.parse_assignments(["epochs=7", "optimizer=momentum"])
    resolved = hyperparams.resolve(DigitsParameters, overrides)
    assert (resolved.epochs, resolved.optimizer) == (7, "momentum")


@pytest.mark.parametrize("name, text", [
    ("learning_rate", "1_0"), ("learning_rate", "0.000_1"), ("epochs", "1_0"), ("seed", "1_000"),
    ("learning_rate", "nan"), ("learning_rate", "-inf"), ("learning_rate", "infinity"), ("learning_rate", "0x10"),
    ("learning_rate", "0,0,1"), ("learning_rate", "1.000,5"), ("epochs", "٣"),  # An Arabic-Indic three: int() takes it.
])
def test_numbers_typed_by_a_person_are_parsed_strictly(name, text):
    with pytest.raises(ValueError, match=f"^{name}: expected "):
        hyperparams.resolve(TrainingParameters, {name: text})


@pytest.mark.parametrize("text, expected", [("0,001", 0.001), (" 0,5 ", 0.5), ("1e-3", 0.001), ("1,5E-2", 0.015), (".5", 0.5), ("2.", 2.0), ("+0.1", 0.1)])
def test_a_french_decimal_comma_is_a_decimal_point(text, expected):
    assert hyperparams.resolve(TrainingParameters, {"learning_rate": text}).learning_rate == pytest.approx(expected)
    assert hyperparams.parse_number(text, float) == pytest.approx(expected)


def test_parse_number_is_the_one_parser_for_whole_numbers_too():
    assert hyperparams.parse_number(" 12 ", int) == 12 and type(hyperparams.parse_number("12", int)) is int
    for text in ("12.0", "1e3", "1_2", "", "twelve"):
        with pytest.raises(ValueError):
            hyperparams.parse_number(text, int)
