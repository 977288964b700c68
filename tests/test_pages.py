"""Every page under AppTest, on fixture run folders in a temporary DLLAB_ARTIFACTS."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from page_fixtures import PAGES, make_run
from page_fixtures import open_page as page
from PIL import Image
from streamlit.testing.v1 import AppTest

from core.runs import store


def texts(app: AppTest) -> str:
    parts = [element.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "error", "warning", "success") for element in getattr(app, kind)]
    return "\n".join(str(part) for part in parts)


@pytest.mark.parametrize("language,expected", [("en", "Handwritten digits"), ("fr", "Chiffres manuscrits")])
def test_home_shows_projects_and_preview(runs_root, language, expected):
    app = page("home", language)
    assert not app.exception
    assert expected in texts(app)
    assert "1,797" in texts(app)  # The digits preview names its source and size.
    assert len(app.get("image")) >= 10  # One row of samples per class.


def test_home_says_when_mnist_is_not_local(runs_root, monkeypatch, tmp_path):
    monkeypatch.delenv("DLLAB_DATA_DIR", raising=False)
    monkeypatch.delenv("DLLAB_MNIST_PATH", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "no-keras-home"))  # No keras cache either.
    app = page("home")
    app.selectbox(key="home_dataset").set_value("mnist").run()
    assert not app.exception
    assert "downloaded" in " ".join(info.value for info in app.info)


@pytest.mark.parametrize("name", ["home", "runs"])
def test_home_and_runs_import_no_framework(runs_root, name):
    make_run(runs_root, with_model=False)
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"app = AppTest.from_file({str(PAGES / (name + '.py'))!r}, default_timeout=120).run()\n"
        "assert not app.exception, app.exception\n"
        "print(sorted(name for name in ('tensorflow', 'torch', 'keras') if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_train_form_is_generated_and_launch_opens_the_run(runs_root, monkeypatch):
    app = page("train")
    assert not app.exception
    keys = {widget.key for widget in app.number_input} | {widget.key for widget in app.slider} | {widget.key for widget in app.selectbox} | {widget.key for widget in app.text_input}
    for name in ("epochs", "batch_size", "learning_rate", "optimizer", "dropout", "l2", "seed", "validation_fraction"):
        assert f"hp_digits_{name}" in keys
    submitted = []
    monkeypatch.setattr("core.runs.queue.submit", lambda *arguments: submitted.append(arguments) or "20990101-000000-abcdef")
    app.number_input(key="hp_digits_epochs").set_value(3)
    app.selectbox(key="train_backend_digits_cnn").set_value("torch")
    app.button[0].click().run()
    assert submitted and submitted[0][:4] == ("digits", "digits", "cnn", "torch")
    assert submitted[0][4]["epochs"] == 3
    assert app.session_state["selected_run"] == "20990101-000000-abcdef"


def test_train_shows_errors_inline(runs_root, monkeypatch):
    def refuse(*arguments):
        raise ValueError("learning_rate: expected float from 1e-06 to 10.0, got 50.0")

    monkeypatch.setattr("core.runs.queue.submit", refuse)
    # English: AppTest formats selectbox options outside the script run, in the default language.
    app = page("train")
    app.button[0].click().run()
    assert not app.exception
    assert "learning_rate" in app.error[0].value and "Not launched" in app.error[0].value


def test_runs_lists_filters_cancels_and_deletes(runs_root, stand_in_worker):
    finished = make_run(runs_root, with_model=False)
    failed = make_run(runs_root, state="failed", with_model=False)
    running = make_run(runs_root, state="running", pid=stand_in_worker.pid)
    app = page("runs")
    assert not app.exception
    table = app.dataframe[0].value
    assert set(table["id"]) == {finished, failed, running}
    app.multiselect(key="runs_states").set_value(["failed"]).run()
    assert list(app.dataframe[0].value["id"]) == [failed]
    assert app.selectbox(key="runs_selected").options == [app.selectbox(key="runs_selected").format_func(failed)]  # The picker offers what the table shows.
    app.multiselect(key="runs_states").set_value([]).run()

    app.selectbox(key="runs_selected").set_value(running).run()
    app.button(key="runs_cancel").click().run()
    stand_in_worker.wait(timeout=10)  # It got SIGTERM, as a worker would.
    assert stand_in_worker.returncode == -15

    app.selectbox(key="runs_selected").set_value(finished).run()
    app.button(key="runs_delete").click().run()
    assert (runs_root / finished).exists()  # Not before the confirmation.
    assert "cannot be undone" in app.warning[0].value
    app.button(key="runs_delete_yes").click().run()
    assert not app.exception
    assert not (runs_root / finished).exists()


def test_runs_page_shows_each_projects_headline_result_under_its_name(runs_root):
    digits_run = make_run(runs_root, with_model=False)
    cvae_run = store.create_run({"project": "cvae", "dataset": "digits", "model": "cvae", "backend": "keras", "hyperparameters": {"epochs": 2}}, runs_root)
    store.write_status(runs_root / cvae_run, status="finished", results={"test_loss": 30.0, "conditional_accuracy": 0.8})
    app = page("runs", "fr")
    assert not app.exception
    table = app.dataframe[0].value.set_index("id")
    assert table.loc[digits_run, "test_accuracy"] == 0.9 and table.loc[cvae_run, "test_loss"] == 30.0
    assert table["test_accuracy"].isna()[cvae_run]  # A VAE has no accuracy: not a column of it.
    labels = {name: column.get("label") for name, column in json.loads(app.dataframe[0].proto.columns).items()}
    assert labels["test_accuracy"] == "Exactitude (test)" and labels["test_loss"] == "Perte (test)"


def test_runs_page_says_a_cancel_in_the_users_language(runs_root, monkeypatch):
    # The page keeps the queue moving: a free slot would start a worker before the click.
    monkeypatch.setattr("core.runs.queue.schedule", lambda *arguments, **options: None)
    queued = store.create_run({"project": "digits", "dataset": "digits", "model": "cnn", "backend": "torch", "hyperparameters": {"epochs": 2}}, runs_root)
    app = page("runs", "fr")
    app.selectbox(key="runs_selected").set_value(queued).run()
    app.button(key="runs_cancel").click().run()
    assert not app.exception
    assert store.read_status(runs_root / queued)["status"] == "cancelled"
    assert [toast.value for toast in app.toast] == [f"` {queued} ` : ⛔ annulée"]  # The id as text (ui.plain), never Markdown.


def test_runs_page_with_no_runs(runs_root):
    app = page("runs", "fr")
    assert not app.exception
    assert "Aucune exécution" in app.info[0].value


def test_run_page_shows_curves_metrics_confusion_and_mistakes(runs_root):
    run_id = make_run(runs_root)
    app = page("run", selected_run=run_id)
    assert not app.exception
    shown = texts(app)
    assert "finished" in shown
    assert [metric.value for metric in app.metric][:4] == ["0.3333", "0.3667", "0.8000", "0.7500"]
    assert "0.9000" in [metric.value for metric in app.metric]  # test accuracy
    assert "Confusion" in shown and "Misclassified" in shown
    assert len(app.get("plotly_chart")) == 2  # curves and confusion
    scores = app.dataframe[-1].value
    assert list(scores.columns) == ["class", "precision", "recall", "f1", "support"] and len(scores) == 10
    assert len(app.get("image")) > 0  # misclassified images


def test_run_page_names_a_broken_metrics_line(runs_root):
    run_id = make_run(runs_root, with_model=False)
    metrics = runs_root / run_id / store.METRICS_FILE
    lines = metrics.read_text().splitlines()
    lines.insert(2, '{"broken')
    metrics.write_text("\n".join(lines) + "\n")
    app = page("run", selected_run=run_id)
    assert not app.exception
    assert any("metrics.jsonl: line 3" in error.value for error in app.error)


def test_run_page_shows_new_metrics_on_the_next_tick(runs_root, stand_in_worker):
    run_id = make_run(runs_root, state="running", pid=stand_in_worker.pid)
    app = page("run", selected_run=run_id)
    assert "running" in texts(app)
    with open(runs_root / run_id / store.METRICS_FILE, "a") as stream:
        stream.write(json.dumps({"step": 99, "epoch": 4, "split": "validation", "name": "accuracy", "value": 0.987654, "time": 0, "scope": "epoch"}) + "\n")
    app.run()  # What the one-second fragment timer does in a browser.
    assert "0.9877" in [metric.value for metric in app.metric]


def test_run_deleted_while_open_says_not_found(runs_root):
    run_id = make_run(runs_root, with_model=False)
    other = make_run(runs_root, with_model=False)
    app = page("run", selected_run=run_id)
    assert not app.exception
    store.delete_run(run_id, runs_root)
    app.run()
    assert not app.exception
    assert any("Run not found" in error.value for error in app.error)
    assert other


def test_run_and_predict_pages_with_no_runs(runs_root):
    for name in ("run", "predict"):
        app = page(name)
        assert not app.exception
        assert app.info


def _encoded(image: Image.Image, format: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def _digit() -> Image.Image:
    from PIL import ImageDraw

    image = Image.new("L", (120, 160), 255)
    ImageDraw.Draw(image).line([(60, 20), (60, 140)], fill=0, width=14)
    return image


def _sixteen_bit() -> Image.Image:
    values = (np.asarray(_digit()).astype("<u2") * 257)
    image = Image.new("I;16", _digit().size)
    image.frombytes(values.tobytes())
    return image


UPLOADS = {
    "grey.png": lambda: _encoded(_digit()),
    "rgba.png": lambda: _encoded(_digit().convert("RGBA")),
    "sixteen_bit.png": lambda: _encoded(_sixteen_bit()),
    "cmyk.jpg": lambda: _encoded(_digit().convert("CMYK"), "JPEG"),
    "palette.png": lambda: _encoded(_digit().convert("P")),
    "animated.gif": lambda: _encoded(_digit(), "GIF", save_all=True, append_images=[_digit().rotate(30)]),
}
REFUSED = {
    "notes.txt": (lambda: b"this is not an image", "not an image"),
    "truncated.png": (lambda: _encoded(Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200), dtype=np.uint8)))[:20000], "truncated or damaged"),
    "huge.png": (lambda: _encoded(Image.new("1", (20000, 20000))), "megapixel limit"),
}


@pytest.fixture
def predict_page(runs_root):
    run_id = make_run(runs_root)
    return page("predict", selected_run=run_id)


@pytest.mark.parametrize("name", list(UPLOADS))
def test_predict_converts_any_image_mode(predict_page, name):
    app = predict_page
    app.file_uploader(key="predict_upload").upload(name, UPLOADS[name]())
    app.run()
    assert not app.exception
    assert not app.error
    assert len(app.get("image")) == 2  # the input as the model sees it, and its map
    assert any(markdown.value.startswith("### ") and "%" in markdown.value for markdown in app.markdown)
    assert len(app.get("plotly_chart")) == 1  # the top-3 bars


@pytest.mark.parametrize("name", list(REFUSED))
def test_predict_refuses_bad_uploads_with_a_message(predict_page, name):
    make_content, message = REFUSED[name]
    app = predict_page
    app.file_uploader(key="predict_upload").upload(name, make_content())
    app.run()
    assert not app.exception
    assert message in app.error[0].value


def test_predict_on_a_test_image_shows_its_true_class(predict_page):
    app = predict_page
    app.radio(key="predict_source").set_value("test").run()
    app.number_input(key="predict_test_index").set_value(3).run()
    assert not app.exception
    assert "True class: 3" in texts(app)


def test_predict_takes_several_uploads_and_names_the_bad_one(predict_page):
    app = predict_page
    uploader = app.file_uploader(key="predict_upload")
    uploader.upload("first.png", UPLOADS["grey.png"]())
    uploader.upload("notes.txt", b"this is not an image")
    uploader.upload("second.jpg", UPLOADS["cmyk.jpg"]())
    app.run()
    assert not app.exception
    assert len(app.error) == 1 and app.error[0].value.startswith("` notes.txt `:")  # Shown literally (ui.plain).
    assert len(app.get("image")) == 4 and len(app.get("plotly_chart")) == 2  # Two inputs, each with its map.


def _class_folder(root: Path, classes=("cats", "dogs"), per_class=3) -> Path:
    for index, name in enumerate(classes):
        (root / name).mkdir(parents=True)
        for number in range(per_class):
            Image.new("RGB", (40, 30), (60 * index, 100, 20 * number)).save(root / name / f"{number}.png")
    return root


def test_train_preset_sets_the_model_and_every_field(runs_root):
    app = page("train")
    app.selectbox(key="train_project").set_value("cifar10").run()
    app.selectbox(key="train_preset_cifar10").set_value("cpu_best").run()
    assert not app.exception
    assert app.selectbox(key="train_model_cifar10").value == "regularized_cnn"
    assert app.number_input(key="hp_cifar10_epochs").value == 30
    assert app.checkbox(key="hp_cifar10_batch_norm").value is True
    assert app.selectbox(key="hp_cifar10_lr_schedule").value == "cosine"
    app.selectbox(key="train_preset_cifar10").set_value("seed_cnn").run()
    assert app.selectbox(key="train_model_cifar10").value == "small_cnn"
    assert app.checkbox(key="hp_cifar10_batch_norm").value is False, "a preset resets what it does not set"


def test_train_folder_dataset_shows_the_class_balance_and_needs_a_path(runs_root, tmp_path, monkeypatch):
    app = page("train")
    app.selectbox(key="train_project").set_value("cifar10").run()
    app.selectbox(key="train_dataset_cifar10").set_value("folder").run()
    assert not app.exception
    assert "hp_cifar10_data_path" not in {widget.key for widget in app.text_input}, "the path sits above the form"
    assert any("one sub-folder of images per class" in info.value for info in app.info)
    app.button[-1].click().run()  # Launch with no folder.
    assert any("No image folder given" in error.value for error in app.error)
    assert not list(runs_root.glob("*")), "nothing queued"
    folder = _class_folder(tmp_path / "pets")
    app.text_input(key="train_cifar10_data_path").set_value(str(folder)).run()
    assert not app.exception
    assert any("2 classes, 6 images" in caption.value for caption in app.caption)
    submitted = []
    monkeypatch.setattr("core.runs.queue.submit", lambda *arguments: submitted.append(arguments) or "20990101-000000-abcdef")
    app.button[-1].click().run()
    assert submitted and submitted[0][1] == "folder" and submitted[0][4]["data_path"] == str(folder)


def test_train_folder_from_an_uploaded_zip(runs_root, tmp_path):
    import zipfile

    folder = _class_folder(tmp_path / "pets")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as writer:
        for path in folder.rglob("*.png"):
            writer.write(path, path.relative_to(folder.parent))
    app = page("train")
    app.selectbox(key="train_project").set_value("artists").run()
    app.selectbox(key="train_dataset_artists").set_value("best_artworks").run()
    app.file_uploader(key="train_artists_zip").upload("pets.zip", archive.getvalue())
    app.run()
    assert not app.exception
    extracted = Path(app.text_input(key="train_artists_data_path").value)
    assert extracted.is_dir() and extracted.is_relative_to(runs_root.parent / "uploads")
    assert any("2 classes, 6 images" in caption.value for caption in app.caption)
    app.file_uploader(key="train_artists_zip").upload("bad.zip", b"not a zip at all")
    app.run()
    assert not app.exception and app.error


@pytest.mark.parametrize("project_id, dataset_id", [("cifar10", "shapes"), ("artists", "paintings")])
def test_home_previews_generated_sets_with_their_split_sizes(runs_root, project_id, dataset_id):
    app = page("home")
    app.selectbox(key="home_project").set_value(project_id).run()
    app.selectbox(key="home_dataset").set_value(dataset_id).run()
    assert not app.exception
    assert any("Generated by dllab" in info.value for info in app.info)
    sizes = {metric.label: int(metric.value.replace(",", "")) for metric in app.metric}
    assert set(sizes) == {"Training images", "Validation images", "Test images"}
    assert sizes["Test images"] * 4 == pytest.approx(sizes["Training images"] + sizes["Validation images"], rel=0.01)
    assert len(app.get("image")) > 10


def test_home_previews_a_folder_once_given(runs_root, tmp_path):
    app = page("home")
    app.selectbox(key="home_project").set_value("cifar10").run()
    app.selectbox(key="home_dataset").set_value("folder").run()
    assert not app.exception and not app.get("image")
    folder = _class_folder(tmp_path / "pets", per_class=5)
    app.text_input(key="home_cifar10_data_path").set_value(str(folder)).run()
    assert not app.exception
    sizes = {metric.label: metric.value for metric in app.metric}
    assert sizes["Test images"] == "2"
    assert len(app.get("image")) == 10, "every image of both classes (fewer than 8 each)"


def test_run_page_explains_the_gap_and_opens_a_confusion_cell(runs_root):
    import json

    run_id = make_run(runs_root)
    status_path = runs_root / run_id / store.STATUS_FILE
    status = json.loads(status_path.read_text())
    status["warnings"] = ["ImageNet weights for MobileNetV2 could not be loaded"]
    status["results"].update(test_accuracy=0.5, test_macro_f1=0.45, test_top_3_accuracy=0.8)
    status_path.write_text(json.dumps(status))
    app = page("run", selected_run=run_id)
    assert not app.exception
    assert any("ImageNet weights" in warning.value for warning in app.warning)
    # Train accuracy 0.8 (the fixture's last epoch) against 0.5 on test: overfitting.
    assert any(warning.value.startswith("Overfitting: 80.0%") for warning in app.warning)
    assert {"0.4500", "0.8000"} <= {metric.value for metric in app.metric}
    evaluation = np.load(runs_root / run_id / store.EVAL_DIR / "predictions.npz")
    labels, predictions = evaluation["labels"], evaluation["predictions"]
    true_class, predicted_class = int(labels[0]), int(predictions[0])
    app.selectbox(key=f"run_cell_true_{run_id}").set_value(str(true_class)).run()
    app.selectbox(key=f"run_cell_predicted_{run_id}").set_value(str(predicted_class)).run()
    expected = int(((labels == true_class) & (predictions == predicted_class)).sum())
    assert any(markdown.value.startswith(f"{expected} test images of class {true_class} predicted as {predicted_class}") for markdown in app.markdown)


def test_run_page_retrains_the_architecture_on_another_dataset(runs_root, monkeypatch):
    run_id = make_run(runs_root)
    submitted = []
    monkeypatch.setattr("core.runs.queue.submit", lambda *arguments: submitted.append(arguments) or "20990101-000000-abcdef")
    app = page("run", selected_run=run_id)
    assert app.selectbox(key=f"run_retrain_dataset_{run_id}").value == "mnist", "the other dataset of digits"
    app.button(key=f"run_retrain_{run_id}").click().run()
    assert not app.exception
    assert submitted[0][:4] == ("digits", "mnist", "cnn", "torch")
    assert submitted[0][4]["epochs"] == 3, "the same hyperparameters"


def test_train_best_artworks_folder_lists_the_artists(runs_root, tmp_path):
    root = tmp_path / "best"
    for name in ("Vincent_van_Gogh", "Albrecht_Dürer"):
        (root / "images" / name).mkdir(parents=True)
        for number in range(2):
            Image.new("RGB", (30, 30), (number * 80, 50, 50)).save(root / "images" / name / f"{name}_{number}.jpg")
    (root / "artists.csv").write_text("id,name,years,genre,nationality,bio,wikipedia,paintings\n0,Vincent van Gogh,1853 - 1890,Post-Impressionism,Dutch,bio,url,877\n1,Albrecht Dürer,1471 - 1528,Northern Renaissance,German,bio,url,328\n", encoding="utf-8")
    app = page("train")
    app.selectbox(key="train_project").set_value("artists").run()
    app.selectbox(key="train_dataset_artists").set_value("best_artworks").run()
    app.text_input(key="train_artists_data_path").set_value(str(root)).run()
    assert not app.exception
    artists = app.dataframe[0].value
    assert set(artists["artist"]) == {"Vincent van Gogh", "Albrecht Dürer"}
    assert set(artists["genre"]) == {"Post-Impressionism", "Northern Renaissance"}
