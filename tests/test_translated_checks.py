"""Every check a user's choice can fail, in the user's language: each project's own checks
across fields on the Train page in French, the command line in one English sentence with
exit code 2, and a folder too small to split refused before a run folder exists."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from core_fixtures import run_cli
from page_fixtures import open_page
from PIL import Image

from core import data, enrichment, frameworks, i18n
from core.data import folders, local_files
from core.i18n import TranslatableError
from core.projects import PROJECTS
from core.runs import cli, queue, store


def _class_folder(root: Path, per_class: int = 5, classes=("cats", "dogs")) -> Path:
    """Two classes of `per_class` small images each: 10 by default, too few to split."""
    for name in classes:
        (root / name).mkdir(parents=True, exist_ok=True)
        for index in range(per_class):
            Image.new("RGB", (12, 10), (index * 40, 90, 20)).save(root / name / f"{index}.png")
    return root


def _says(text: str, key: str, language: str = "fr") -> bool:
    """Whether `text` holds every fixed part of the sentence `key` in `language` (the values
    between them are the user's, shown literally)."""
    parts = [part.strip(" .;:()") for part in re.split(r"\{[^}]*\}", i18n.STRINGS[key][language])]
    return all(part in text for part in parts if len(part) > 3)


# Per project: the dataset to pick, what to type, the sentence expected and the field label
# it names (None when it names none). Every registered project has a case.
CASES = {
    "digits": [("digits", lambda app, _: app.text_input(key="hp_digits_learning_rate").set_value("1_0"), "hyperparameter_error_range", "Taux d'apprentissage")],
    "cvae": [
        ("digits", lambda app, _: app.text_input(key="hp_cvae_hidden_sizes").set_value("12,x"), "generation_error_hidden_sizes", "Tailles des couches cachées"),
        ("digits", lambda app, _: app.number_input(key="hp_cvae_latent_dim").set_value(80), "generation_error_latent_too_large", "Dimensions latentes"),
    ],
    "anomaly": [("textures", lambda app, _: app.number_input(key="hp_anomaly_image_size").set_value(60), "anomaly_error_image_size", "Taille des images")],
    "cifar10": [("folder", "ten_images", "folder_error_too_few_to_split", None)],
    "artists": [("best_artworks", "ten_images_min_6", "folder_error_too_few_classes", None)],
}


def test_every_project_has_a_case():
    assert set(CASES) >= set(PROJECTS)


@pytest.mark.parametrize(("project_id", "case"), [(project_id, case) for project_id, cases in CASES.items() for case in cases], ids=lambda value: value if isinstance(value, str) else value[2])
def test_a_bad_choice_on_the_train_page_says_so_in_french(runs_root, tmp_path, project_id, case):
    dataset, fill, key, label = case
    app = open_page("train", language="fr")
    app.selectbox(key="train_project").set_value(project_id).run()
    app.selectbox(key=f"train_dataset_{project_id}").set_value(dataset).run()
    if fill in ("ten_images", "ten_images_min_6"):
        folder = _class_folder(tmp_path / "ten")
        app.text_input(key=f"train_{project_id}_data_path").set_value(str(folder)).run()
        if fill == "ten_images_min_6":
            app.number_input(key=f"hp_{project_id}_min_per_class").set_value(6)
    else:
        fill(app, project_id)
    app.button[-1].click().run()  # Launch.
    assert not app.exception
    errors = [error.value for error in app.error]
    assert len(errors) == 1, errors
    assert errors[0].startswith(i18n.t("train_error", "fr", error="").strip()), errors[0]
    assert _says(errors[0], key, "fr"), errors[0]
    assert not _says(errors[0], key, "en"), "the English sentence"
    if label:
        assert label in errors[0]
    assert store.list_runs() == [], "nothing queued"


# The command line: one sentence in English, no traceback, exit code 2, no run folder.


@pytest.mark.parametrize(
    ("arguments", "key"),
    [
        (("cvae", "--set", "hidden_sizes=12,x"), "generation_error_hidden_sizes"),
        (("anomaly", "--set", "image_size=60"), "anomaly_error_image_size"),
        (("digits", "--set", "no_such_field=1"), "hyperparameter_error_unknown"),
        (("digits", "--set", "epochs"), "hyperparameter_error_assignment"),
        (("digits", "--dataset", "cifar"), "project_error_unknown_dataset"),
        (("nope",), "project_error_unknown"),
    ],
)
def test_the_command_line_says_one_sentence_and_exits_2(runs_root, capsys, arguments, key):
    assert cli.main(["train", *arguments]) == cli.EXIT_BAD_INPUT
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and _says(lines[0], key, "en"), lines
    assert store.list_runs() == []


def test_the_command_line_refuses_a_ten_image_folder_without_a_traceback(runs_root, tmp_path):
    folder = _class_folder(tmp_path / "ten")
    result = run_cli("train", "cifar10", "--dataset", "folder", "--set", f"data_path={folder}", "--wait")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and "Traceback" not in result.stderr and _says(lines[0], "folder_error_too_few_to_split", "en"), lines
    assert not [path for path in runs_root.iterdir() if not path.name.startswith(".")], "no run folder"


# A folder too small to split, before a run folder exists (and again in the worker).


def test_a_ten_image_folder_is_refused_at_submit(runs_root, tmp_path):
    folder = _class_folder(tmp_path / "ten")
    with pytest.raises(TranslatableError) as raised:
        queue.submit("cifar10", "folder", "small_cnn", "keras", {"data_path": str(folder)})
    assert raised.value.key == "folder_error_too_few_to_split"
    assert raised.value.values["needed"] == 14 and raised.value.values["count"] == 10
    assert not [path for path in runs_root.iterdir() if not path.name.startswith(".")]


def test_the_split_check_at_submit_takes_the_validation_fraction_and_the_class_limits(runs_root, tmp_path):
    folder = _class_folder(tmp_path / "fourteen", per_class=7)
    assert queue.build_params("cifar10", "folder", "small_cnn", "keras", {"data_path": str(folder)})["dataset"] == "folder"
    with pytest.raises(TranslatableError, match="validation"):  # 5% of 11 images: one validation image for two classes.
        queue.build_params("cifar10", "folder", "small_cnn", "keras", {"data_path": str(folder), "validation_fraction": 0.05})
    with pytest.raises(TranslatableError) as raised:  # At most 5 per class: 10 images, too few.
        queue.build_params("cifar10", "folder", "small_cnn", "keras", {"data_path": str(folder), "max_per_class": 5})
    assert raised.value.key == "folder_error_too_few_to_split"
    with pytest.raises(TranslatableError) as raised:
        queue.build_params("artists", "best_artworks", "small_cnn", "keras", {"data_path": str(folder), "min_per_class": 8})
    assert raised.value.key == "folder_error_too_few_classes"


def test_the_worker_still_checks_the_split_of_what_it_loaded():
    pool = data.ImagePool(np.zeros((10, 8, 8, 3), np.float32), np.repeat([0, 1], 5), ["cats", "dogs"], "ten")
    with pytest.raises(folders.FolderError) as raised:
        data.split_pool(pool, 0, 0.1)
    assert raised.value.key == "folder_error_too_few_to_split"


# What a run meets later, translated too (the worker stores the key).


def test_an_enrichment_set_that_does_not_fit_is_refused_in_words(runs_root):
    folder = enrichment.set_folder("some-run")
    enrichment.add_image(folder, 3, np.zeros((32, 32, 3), np.float32))
    for shape, classes, key in (((64, 64, 3), 10, "enrichment_error_shape"), ((32, 32, 3), 2, "enrichment_error_classes")):
        with pytest.raises(TranslatableError) as raised:
            enrichment.load_for_training(folder, shape, classes)
        assert raised.value.key == key and i18n.t(key, "fr", **raised.value.values)
    (folder / "3" / "1.png").write_bytes(b"no image")
    with pytest.raises(TranslatableError) as raised:
        enrichment.load_for_training(folder, (32, 32, 3), 10)
    assert raised.value.key == "enrichment_error_not_a_set"
    with pytest.raises(TranslatableError) as raised:  # Removed after the run was queued.
        enrichment.load_for_training(folder.parent / "absent", (32, 32, 3), 10)
    assert raised.value.key == "enrichment_error_gone"


def test_a_dataset_neither_cached_nor_downloadable_is_refused_in_words(monkeypatch, tmp_path):
    def unreachable():
        raise OSError("no network")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv("DLLAB_DATA_DIR", raising=False)
    monkeypatch.delenv("DLLAB_MNIST_PATH", raising=False)
    monkeypatch.setattr(frameworks, "keras", lambda: SimpleNamespace(datasets=SimpleNamespace(mnist=SimpleNamespace(load_data=unreachable))))
    with pytest.raises(TranslatableError) as raised:
        local_files.dataset("mnist").load()
    assert raised.value.key == "dataset_error_unavailable" and isinstance(raised.value, FileNotFoundError)
    assert "DLLAB_MNIST_PATH" in i18n.t(raised.value.key, "fr", **raised.value.values)


@pytest.mark.parametrize(
    "axes,french",
    [
        ([], "Une étude fait varier 1 ou 2 hyperparamètres, pas 0."),
        ([("dropout", (0.1, 0.2)), ("dropout", (0.3,))], "est choisi deux fois"),
        ([("dropout", ())], "donnez au moins une valeur"),
        ([("seed", tuple(range(40))), ("dropout", (0.1, 0.2))], "Cette étude mettrait 80 exécutions en file"),
    ],
)
def test_a_study_plan_refused_says_why_in_french(axes, french):
    from core import studies

    with pytest.raises(i18n.TranslatableError) as refused:
        studies.plan("digits", None, "cnn", "torch", None, [studies.Axis(name, values) for name, values in axes])
    assert french in i18n.t(refused.value.key, "fr", **refused.value.values)


def test_study_values_typed_wrong_are_refused_in_french():
    from core import studies

    with pytest.raises(i18n.TranslatableError) as refused:
        studies.parse_values("digits", "dropout", " , ;")
    assert "dropout" in i18n.t(refused.value.key, "fr", **refused.value.values) and "virgules" in i18n.t(refused.value.key, "fr", **refused.value.values)
