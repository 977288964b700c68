"""core.backends.protocol: every registered backend implements the whole protocol, no code
outside core/backends asks which framework made a model, and a training option a backend
does not implement is refused before a run exists."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from core_fixtures import REPOSITORY_ROOT, RecordingReporter, run_cli

from core import backends, explanations, hyperparams
from core.backends import protocol
from core.data import digits, split_pool
from core.i18n import TranslatableError
from core.projects import PROJECTS
from core.projects.digits import DigitsParameters
from core.runs import queue, store

BACKEND_NAMES = list(backends.BACKENDS)


@pytest.mark.parametrize("name", BACKEND_NAMES)
def test_every_backend_implements_the_protocol(name):
    backend = backends.get_backend(name)
    assert isinstance(backend, protocol.Backend)
    members = [member for member in dir(protocol.Backend) if not member.startswith("_")] + list(protocol.Backend.__annotations__)
    missing = [member for member in members if not hasattr(backend, member)]
    assert not missing, f"{name} lacks {missing}"


@pytest.mark.parametrize("name", BACKEND_NAMES)
def test_every_backend_explains_with_every_method(name):
    """A new method in explanations.METHODS must be given to every backend."""
    inspection_module = sys.modules[backends.get_backend(name).explanation_maps.__module__]
    assert set(inspection_module.EXPLAINERS) == set(explanations.METHODS)


def test_honoured_options_are_declared_training_options():
    """A backend can only honour fields that a hyperparameter dataclass declares as options."""
    declared = {spec.name for project in PROJECTS.values() for spec in hyperparams.field_specs(project.parameters) if spec.is_option}
    for name in BACKEND_NAMES:
        assert backends.honoured_options(name) <= declared, name


def test_no_framework_branch_outside_the_backends():
    """The seam: pages, app and core outside core/backends never branch on the backend's name."""
    pattern = re.compile(r"""[!=]=\s*["'](keras|torch)["']|["'](keras|torch)["']\s*[!=]=|in \(["'](keras|torch)["']""")
    offenders = []
    for folder in ("core", "pages", "app"):
        for path in (REPOSITORY_ROOT / folder).rglob("*.py"):
            if Path(folder, "backends") in path.relative_to(REPOSITORY_ROOT).parents:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(REPOSITORY_ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_an_option_torch_does_not_implement_is_refused_naming_it_and_who_does(runs_root):
    with pytest.raises(TranslatableError) as raised:
        queue.submit("cifar10", model="small_cnn", backend="torch", overrides={"lr_schedule": "cosine", "epochs": 1})
    message = str(raised.value)
    assert "lr_schedule=cosine" in message and "torch" in message and "(keras)" in message
    assert raised.value.key == "hyperparameter_error_not_honoured"
    assert store.list_runs() == [], "no run folder exists for a refused run"
    # The same choice on Keras is accepted as it is.
    queue.build_params("cifar10", None, "small_cnn", "keras", {"lr_schedule": "cosine"})


def test_the_options_torch_implements_pass_and_artists_defaults_fit_torch():
    """artists turns class weights and flips on by default: torch implements both."""
    params = queue.build_params("artists", None, "small_cnn", "torch", None)
    assert params["hyperparameters"]["class_weights"] is True and params["hyperparameters"]["augment_flip"] is True
    queue.build_params("digits", None, "cnn", "torch", {"dropout": 0.5, "l2": 0.001, "class_weights": True})


def test_the_refusal_reads_in_french():
    with pytest.raises(TranslatableError) as raised:
        backends.check_options("torch", hyperparams.resolve(DigitsParameters, {"batch_norm": True}))
    from core import i18n

    french = i18n.t(raised.value.key, "fr", **raised.value.values)
    assert "batch_norm=True" in french and "n'est pas pris en charge" in french


def test_the_form_hides_the_options_a_backend_does_not_implement():
    project = PROJECTS["cifar10"]
    everywhere = {spec.name for spec in project.fields_for("shapes")}
    on_torch = {spec.name for spec in project.fields_for("shapes", "torch")}
    on_keras = {spec.name for spec in project.fields_for("shapes", "keras")}
    assert on_keras == everywhere
    assert {"lr_schedule", "early_stopping_patience", "batch_norm", "augment_shift", "augment_rotation"} <= everywhere - on_torch
    assert {"dropout", "l2", "class_weights", "augment_flip", "epochs"} <= on_torch


def test_the_command_line_refuses_it_with_one_line_and_code_2(runs_root):
    result = run_cli("train", "digits", "--backend", "torch", "--set", "early_stopping_patience=3")
    assert result.returncode == 2
    assert "early_stopping_patience=3" in result.stderr and "Traceback" not in result.stderr
    assert store.list_runs() == []


def test_torch_trains_with_class_weights_and_flips():
    split = split_pool(digits.load_digits(), seed=0, validation_fraction=0.1)
    backend = backends.get_backend("torch")
    parameters = hyperparams.resolve(DigitsParameters, {"epochs": 2, "class_weights": True, "augment_flip": True})
    model = backend.build("cnn", split.input_shape, split.class_count, parameters)
    reporter = RecordingReporter()
    backend.fit(model, split, parameters, reporter)
    losses = [train["loss"] for _epoch, train, _validation in reporter.epochs]
    assert len(losses) == 2 and all(np.isfinite(losses)) and losses[1] < losses[0]
    accuracy = float((backend.predict(model, split.x_test).argmax(1) == split.y_test).mean())
    assert accuracy > 0.5, accuracy


def test_the_train_page_offers_torch_only_the_options_it_implements(runs_root):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPOSITORY_ROOT / "pages" / "train.py"), default_timeout=60).run()
    assert not app.exception

    def option_keys() -> set[str]:
        return {widget.key for kind in ("number_input", "slider", "selectbox", "checkbox") for widget in getattr(app, kind)}

    assert {"hp_digits_lr_schedule", "hp_digits_batch_norm", "hp_digits_dropout"} <= option_keys()
    app.selectbox(key="train_backend_digits_cnn").set_value("torch").run()
    assert not app.exception
    keys = option_keys()
    assert "hp_digits_dropout" in keys and "hp_digits_class_weights" in keys and "hp_digits_augment_flip" in keys
    assert not keys & {"hp_digits_lr_schedule", "hp_digits_batch_norm", "hp_digits_early_stopping_patience", "hp_digits_augment_shift"}
