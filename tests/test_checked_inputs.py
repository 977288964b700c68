"""What is checked before a run exists (path-like options, the folders a server allows,
numbers typed in French) and the checkpoints a page refuses to load."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest
from page_fixtures import make_run
from PIL import Image
from streamlit.testing.v1 import AppTest

from core import enrichment, i18n
from core.data import allowed_folders, folders
from core.i18n import TranslatableError
from core.runs import cli, queue, store

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


def _dataset(root: Path, classes=("cats", "dogs"), per_class: int = 2) -> Path:
    for name in classes:
        (root / name).mkdir(parents=True, exist_ok=True)
        for index in range(per_class):
            Image.new("RGB", (12, 10), (index * 40, 90, 20)).save(root / name / f"{index}.png")
    return root


def _refused(key: str, function, *arguments, **options) -> TranslatableError:
    with pytest.raises(TranslatableError) as caught:
        function(*arguments, **options)
    assert caught.value.key == key, str(caught.value)
    return caught.value


# The enrichment option


def test_an_enrichment_that_is_no_set_is_refused_before_a_run_exists(runs_root):
    for given in ("/etc", str(runs_root), str(runs_root.parent / "enrichments" / "absent")):
        error = _refused("enrichment_error_not_a_set", queue.submit, "cifar10", "shapes", "small_cnn", "keras", {"enrichment": given})
        assert i18n.t(error.key, "fr", **error.values)
    assert store.list_runs() == []


def test_an_empty_enrichment_set_is_refused_and_a_made_one_accepted(runs_root):
    folder = enrichment.set_folder("some-run")
    folder.mkdir(parents=True)
    _refused("enrichment_error_not_a_set", queue.build_params, "cifar10", "shapes", "small_cnn", "keras", {"enrichment": str(folder)})
    enrichment.add_image(folder, 1, np.zeros((32, 32, 3), np.float32))
    params = queue.build_params("cifar10", "shapes", "small_cnn", "keras", {"enrichment": str(folder)})
    assert params["hyperparameters"]["enrichment"] == str(folder)


def test_the_command_line_refuses_a_bad_enrichment_in_one_line(runs_root, capsys):
    code = cli.main(["train", "cifar10", "--dataset", "shapes", "--model", "small_cnn", "--backend", "keras", "--set", "enrichment=/etc"])
    assert code == cli.EXIT_BAD_INPUT
    assert "is not an enrichment set" in capsys.readouterr().err
    assert store.list_runs() == []


# The folders a server allows


@pytest.fixture
def allowed(tmp_path, monkeypatch) -> Path:
    """DLLAB_ALLOWED_FOLDERS = tmp_path/allowed; tmp_path/secret lies outside it."""
    folder = tmp_path / "allowed"
    folder.mkdir()
    (tmp_path / "secret").mkdir()
    monkeypatch.setenv(allowed_folders.ENVIRONMENT_VARIABLE, str(folder))
    return folder


def test_outside_missing_and_dotdot_give_one_sentence(allowed, tmp_path):
    _dataset(tmp_path / "secret")
    _dataset(allowed / "pets")
    (allowed / "link").symlink_to(tmp_path / "secret")
    given = [str(tmp_path / "secret"), str(allowed / "absent"), str(allowed / "pets" / ".." / ".." / "secret"), str(allowed / "link")]
    sentences = set()
    for path in given:
        error = _refused("folder_error_missing", folders.scan_folder, path)
        assert error.values == {"path": path}, "the path as typed, never where a link leads"
        sentences.add(str(error).replace(path, "PATH"))
    assert len(sentences) == 1
    assert folders.scan_folder(str(allowed / "pets")).class_names == ["cats", "dogs"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_gives_the_same_sentence(allowed):
    locked = _dataset(allowed / "locked")
    locked.chmod(0)
    try:
        _refused("folder_error_missing", folders.scan_folder, str(locked))
    finally:
        locked.chmod(0o755)


def test_a_relative_path_up_and_out_is_refused_before_a_run_exists(allowed, tmp_path, runs_root, monkeypatch):
    _dataset(tmp_path / "secret")
    inside = allowed / "a" / "b"
    inside.mkdir(parents=True)
    monkeypatch.chdir(inside)
    _refused("folder_error_missing", queue.submit, "artists", "best_artworks", "small_cnn", "keras", {"data_path": "../../../secret"})
    assert store.list_runs() == []


def test_the_anomaly_folder_option_is_checked_against_the_allowed_folders(allowed, tmp_path, runs_root):
    category = tmp_path / "secret" / "bottle"
    (category / "train" / "good").mkdir(parents=True)
    _refused("folder_error_missing", queue.build_params, "anomaly", "category_folder", None, None, {"category_path": str(category)})


def test_the_root_of_the_disk_is_never_scanned(monkeypatch):
    monkeypatch.delenv(allowed_folders.ENVIRONMENT_VARIABLE, raising=False)

    def no_walk(*arguments, **options):
        raise AssertionError("the disk was walked")

    monkeypatch.setattr(os, "walk", no_walk)
    _refused("folder_error_missing", folders.scan_folder, "/")
    _refused("folder_error_missing", folders.scan_folder, "/tmp/../..")


def test_a_scan_stops_at_its_budget(tmp_path, monkeypatch):
    root = _dataset(tmp_path / "big", per_class=6)
    monkeypatch.setattr(folders, "MAX_SCAN_ENTRIES", 8)
    error = _refused("folder_error_too_many_files", folders.scan_folder, str(root))
    assert error.values["limit"] == 8


def test_the_default_is_anywhere_on_localhost_and_home_and_artifacts_elsewhere(monkeypatch, tmp_path):
    import streamlit.config

    monkeypatch.delenv(allowed_folders.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setenv("DLLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    monkeypatch.setattr(streamlit.config, "get_option", lambda name: "127.0.0.1")
    assert allowed_folders.allowed_roots() is None
    monkeypatch.setattr(streamlit.config, "get_option", lambda name: "0.0.0.0")
    assert allowed_folders.allowed_roots() == ((tmp_path / "artifacts").resolve(), Path.home().resolve())
    monkeypatch.setattr(streamlit.config, "get_option", lambda name: None)  # Every interface.
    assert allowed_folders.allowed_roots() is not None
    # Without Streamlit (the command line, a worker) the user runs it on their own machine.
    monkeypatch.delitem(sys.modules, "streamlit")
    assert allowed_folders.allowed_roots() is None


def test_on_a_shared_server_the_home_folder_hides_its_dot_folders(monkeypatch, tmp_path):
    home = tmp_path / "home"
    _dataset(home / ".ssh")
    _dataset(home / "pets")
    monkeypatch.setenv(allowed_folders.ENVIRONMENT_VARIABLE, str(home))
    _refused("folder_error_missing", folders.scan_folder, str(home / ".ssh"))
    assert folders.scan_folder(str(home / "pets")).class_names == ["cats", "dogs"]


def test_the_train_page_picker_says_the_same_sentence_and_scans_nothing(allowed, tmp_path, runs_root, monkeypatch):
    _dataset(tmp_path / "secret")
    app = AppTest.from_file(str(REPOSITORY_ROOT / "pages" / "train.py"), default_timeout=60).run()
    app.selectbox(key="train_project").set_value("artists").run()
    app.selectbox(key="train_dataset_artists").set_value("best_artworks").run()
    scanned = []
    monkeypatch.setattr(folders, "_class_files", lambda *arguments: scanned.append(arguments) or ([], 0))
    for path in (str(tmp_path / "secret"), str(tmp_path / "absent"), "/"):
        app.text_input(key="train_artists_data_path").set_value(path).run()
        assert not app.exception
        sentence = i18n.t("folder_error_missing", "en", path="PATH").split("PATH")[1]
        assert len(app.error) == 1 and path in app.error[0].value and app.error[0].value.endswith(sentence)
    assert scanned == []


# Numbers typed by a person


def test_the_train_form_takes_a_french_decimal_comma(runs_root, monkeypatch):
    submitted = []
    monkeypatch.setattr("core.runs.queue.submit", lambda *arguments: submitted.append(queue.build_params(*arguments)) or "20990101-000000-abcdef")
    app = AppTest.from_file(str(REPOSITORY_ROOT / "pages" / "train.py"), default_timeout=60).run()
    app.text_input(key="hp_digits_learning_rate").set_value("0,01")
    app.button[0].click().run()  # Then opening the run page, which AppTest cannot follow.
    assert not app.error
    assert submitted[0]["hyperparameters"]["learning_rate"] == pytest.approx(0.01)


def test_the_train_form_refuses_an_underscore_in_a_number(runs_root, monkeypatch):
    monkeypatch.setattr("core.runs.queue.submit", lambda *arguments: queue.build_params(*arguments))
    app = AppTest.from_file(str(REPOSITORY_ROOT / "pages" / "train.py"), default_timeout=60).run()
    app.text_input(key="hp_digits_learning_rate").set_value("1_0")
    app.button[0].click().run()
    assert not app.exception
    assert "learning_rate" in app.error[0].value


@pytest.mark.parametrize("option, value", [("--opacity", "nan"), ("--opacity", "1_0"), ("--test-index", "1_0"), ("--opacity", "inf")])
def test_the_command_line_parses_its_numbers_strictly(option, value, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["explain", "some-run", option, value])
    assert exited.value.code == cli.EXIT_BAD_INPUT
    assert option in capsys.readouterr().err


def test_the_command_line_takes_a_french_decimal_comma(runs_root, capsys):
    assert cli.main(["explain", "absent-run", "--opacity", "0,5"]) == cli.EXIT_BAD_INPUT
    assert "run not found" in capsys.readouterr().err  # Parsed: it went on to look for the run.


# Checkpoints


class NotWeights:
    """Anything a pickle holds that is no tensor: weights_only refuses it."""


def _replace_model(run_path: Path, content) -> None:
    import torch

    torch.save(content, run_path / "model.pt")


def test_a_torch_checkpoint_holding_more_than_weights_is_refused_in_words(runs_root):
    from core import inference

    run_path = runs_root / make_run(runs_root)
    _replace_model(run_path, {"builder": {}, "state_dict": {}, "extra": NotWeights()})
    error = _refused("checkpoint_error_refused", inference.load_model, run_path)
    assert "weights_only" not in str(error) and error.__cause__ is None and error.__suppress_context__
    (run_path / "model.pt").write_bytes(b"not a checkpoint")
    error = _refused("checkpoint_error_unreadable", inference.load_model, run_path)
    assert "weights_only" not in str(error)


def test_the_predict_page_shows_the_refusal_not_torchs_advice(runs_root):
    run_id = make_run(runs_root)
    _replace_model(runs_root / run_id, {"builder": {}, "state_dict": {}, "extra": NotWeights()})
    app = AppTest.from_file(str(REPOSITORY_ROOT / "pages" / "predict.py"), default_timeout=60)
    app.session_state["selected_run"] = run_id
    app.run()
    messages = [error.value for error in app.error]
    assert any(i18n.t("checkpoint_error_refused", "en") in message for message in messages), messages
    assert not any("weights_only" in message for message in messages)


def test_a_keras_file_refused_by_safe_mode_is_refused_in_words(tmp_path):
    from core import frameworks
    from core.backends import keras_backend

    keras = frameworks.keras()
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda tensor: tensor * 2)(inputs))
    model.save(tmp_path / "model.keras")
    error = _refused("checkpoint_error_refused", keras_backend.load, tmp_path / "model.keras", {})
    assert "safe_mode" not in str(error)


def test_a_replaced_model_file_is_loaded_again(runs_root):
    from app.ui import caches
    from core.backends import torch_backend
    from core.projects.digits import DigitsParameters

    run = store.load_run(make_run(runs_root))
    first = caches.cached_model(run)
    assert caches.cached_model(run) is first, "a rerun does not reload"
    other = torch_backend.build("cnn", (8, 8, 1), 10, DigitsParameters(epochs=1, seed=5))
    torch_backend.save(other, run.path / torch_backend.CHECKPOINT_FILE)  # checkpoint.json untouched
    second = caches.cached_model(run)
    assert second is not first
    weights = [tensor.detach().numpy() for tensor in second.model.state_dict().values()]
    expected = [tensor.detach().numpy() for tensor in other.state_dict().values()]
    assert all(np.array_equal(left, right) for left, right in zip(weights, expected))
