"""Project anomaly (issue 6): the pretext-task models, whole runs on generated textures and
on the real MVTec grid sample, and the bad inputs refused before a run exists."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from core_fixtures import SHARED_DATA, run_cli, wait_for_state
from page_fixtures import PAGES, TIMEOUT
from streamlit.testing.v1 import AppTest
from test_data_anomaly import make_category

from core import frameworks, inference
from core.kinds import anomaly_detection
from core.kinds.anomaly_detection import keras_models as keras_anomaly
from core.kinds.anomaly_detection import train as detection
from core.runs import queue, store

GRID = SHARED_DATA / "mvtec_ad" / "grid"


# The models ----------------------------------------------------------------------


def test_the_scoring_passes_hide_every_patch_exactly_once():
    masks = keras_anomaly.scoring_masks(32, 4)
    assert masks.shape == (keras_anomaly.SCORING_PASSES, 32, 32)
    np.testing.assert_array_equal(masks.sum(axis=0), np.ones((32, 32)))
    assert all(mask.mean() == pytest.approx(1 / keras_anomaly.SCORING_PASSES) for mask in masks)


def test_training_masks_hide_what_they_are_asked_to():
    generator = np.random.default_rng(0)
    patches = keras_anomaly.patch_masks(5, 32, 4, 0.75, generator)
    assert patches.shape == (5, 32, 32) and np.allclose(patches.mean(axis=(1, 2)), 0.75)
    rectangles = keras_anomaly.rectangle_masks(20, 32, generator)
    assert ((rectangles.sum(axis=(1, 2)) >= 16) & (rectangles.mean(axis=(1, 2)) < 0.9)).all()


@pytest.mark.parametrize("task", keras_anomaly.TASKS)
def test_every_task_rebuilds_whole_images_of_its_size(task):
    frameworks.torch()  # Before TensorFlow, always (see core.frameworks).
    model = keras_anomaly.build(task, 32, 3, SimpleNamespace(seed=0))
    assert model.input_shape[-1] == keras_anomaly.input_channels(task, 3) and model.output_shape == (None, 32, 32, 3)
    images = np.random.default_rng(0).random((3, 32, 32, 3), dtype=np.float32)
    rebuilt = keras_anomaly.reconstruct(model, task, images, keras_anomaly.patch_size(task, 32))
    assert rebuilt.shape == images.shape and 0.0 <= rebuilt.min() and rebuilt.max() <= 1.0
    corrupted = keras_anomaly.corrupt(task, images, np.ones((3, 32, 32), np.float32))
    if task in keras_anomaly.MASKED_TASKS:
        assert corrupted[..., :3].max() == 0.0 and corrupted[..., 3].min() == 1.0  # All hidden, and said so.
    if task == "colorization":
        assert corrupted.shape == (3, 32, 32, 1)


# Bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset", "model", "overrides", "message"),
    [
        ("textures", "colorization", {"category": "stripes"}, "colorization does not apply to a grey category"),
        ("textures", "mae", {"image_size": 60}, "must be a multiple of 8, got 60"),
        ("textures", "mae", {"category": "marble"}, "category: expected one of weave, dots, stripes"),
        ("category_folder", "mae", {}, "Give the path of a category folder"),
    ],
)
def test_bad_choices_are_refused_before_a_run_exists(dataset, model, overrides, message):
    with pytest.raises(ValueError, match=message):
        queue.build_params("anomaly", dataset, model, None, overrides)


def test_a_folder_without_good_training_images_is_refused(tmp_path):
    root = make_category(tmp_path / "c", {"hole": 1})
    for image in (root / "train" / "good").iterdir():
        image.unlink()
    with pytest.raises(ValueError, match="has no train/good folder of images"):
        queue.build_params("anomaly", "category_folder", "mae", None, {"category_path": str(root)})


@pytest.mark.skipif(not GRID.is_dir(), reason=f"{GRID} is absent: the real MVTec AD grid sample is not on this machine")
def test_colorization_of_the_grey_grid_is_refused_on_the_command_line(runs_root):
    result = run_cli("train", "anomaly", "--dataset", "category_folder", "--model", "colorization", "--set", f"category_path={GRID}")
    assert result.returncode == 2 and "colorization does not apply to a grey category" in result.stderr.strip().splitlines()[-1]


# Whole runs ----------------------------------------------------------------------


def test_a_textures_run_reports_image_and_pixel_auroc_and_keeps_its_scores(runs_root):
    run = wait_for_state(queue.submit("anomaly", "textures", "inpainting", None, {"epochs": 2, "image_size": 32}))
    assert run.state == "finished", store.log_tail(run.path)
    results = run.status["results"]
    assert set(results) == {"image_auroc", "pixel_auroc"} and all(0.0 <= value <= 1.0 for value in results.values())
    records = store.read_metrics(run.path)
    for split in ("train", "validation"):
        assert [record["epoch"] for record in records if record["split"] == split and record["name"] == "loss" and record.get("scope", "epoch") == "epoch"] == [1, 2]
    scores = detection.load_scores(run.path)
    assert scores["images"].shape == scores["reconstructions"].shape == (75, 32, 32, 3) and scores["maps"].shape == (75, 32, 32)
    assert list(scores["defect_types"][:31]) == ["good"] * 30 + ["scratch"] and scores["scores"].shape == (75,)
    description = inference.read_description(run.path)
    assert description["task"] == "inpainting" and description["category"] == "weave" and description["input_shape"] == [32, 32, 3]
    assert inference.load_model(run.path).model.output_shape == (None, 32, 32, 3)  # Loads in safe mode.

    app = AppTest.from_file(str(PAGES / "run.py"), default_timeout=TIMEOUT)
    app.session_state["selected_run"] = run.id
    app.run()
    assert not app.exception and not app.error
    assert {"Image AUROC", "Pixel AUROC"} <= {metric.label for metric in app.metric}


def test_a_run_scored_with_ssim_keeps_ssim_maps(runs_root):
    from core.kinds.anomaly_detection import analysis as scoring

    run = wait_for_state(queue.submit("anomaly", "textures", "autoencoder", None, {"epochs": 1, "image_size": 16, "score": "ssim", "category": "stripes"}))
    assert run.state == "finished", store.log_tail(run.path)
    assert inference.read_description(run.path)["score"] == "ssim"
    scores = detection.load_scores(run.path)
    images, rebuilt = scores["images"].astype(np.float32) / 255, scores["reconstructions"].astype(np.float32) / 255
    # The kept maps are 1 - SSIM of the kept images (up to float16 and uint8 rounding), not their L2.
    np.testing.assert_allclose(scores["maps"].astype(np.float32), scoring.error_maps(images, rebuilt, "ssim"), atol=0.02)
    assert not np.allclose(scores["maps"].astype(np.float32), scoring.error_maps(images, rebuilt, "l2"), atol=0.02)
    assert run.status["results"]["image_auroc"] == pytest.approx(scoring.image_auroc(scores["defect_types"] != "good", scores["scores"]))


def test_a_category_without_defects_says_auroc_is_undefined(runs_root, tmp_path):
    root = make_category(tmp_path / "plain", {}, train=6, size=(32, 32))
    run = wait_for_state(queue.submit("anomaly", "category_folder", "autoencoder", None, {"epochs": 1, "image_size": 16, "category_path": str(root)}))
    assert run.state == "finished", store.log_tail(run.path)
    assert run.status["results"] == {}
    assert any("image AUROC is undefined" in warning for warning in run.status["warnings"])
    assert any("pixel AUROC is off" in warning for warning in run.status["warnings"])


@pytest.mark.skipif(not GRID.is_dir(), reason=f"{GRID} is absent: the real MVTec AD grid sample is not on this machine")
def test_the_real_grid_sample_trains_and_is_scored(runs_root):
    run = wait_for_state(queue.submit("anomaly", "category_folder", "mae", None, {"epochs": 1, "image_size": 32, "category_path": str(GRID)}))
    assert run.state == "finished", store.log_tail(run.path)
    assert set(run.status["results"]) == {"image_auroc", "pixel_auroc"}
    assert inference.read_description(run.path)["grey"] is True


def test_home_previews_the_textures_by_kind_and_train_offers_the_tasks(runs_root):
    home = AppTest.from_file(str(PAGES / "home.py"), default_timeout=TIMEOUT).run()
    home.selectbox(key="home_project").set_value("anomaly").run()
    assert not home.exception
    # One row per kind of image: good training, good test, and each defect.
    assert len(home.get("image")) >= 5 and not home.error
    train = AppTest.from_file(str(PAGES / "train.py"), default_timeout=TIMEOUT).run()
    train.selectbox(key="train_project").set_value("anomaly").run()
    assert not train.exception
    assert train.selectbox(key="train_model_anomaly").options == list(keras_anomaly.TASKS)
    keys = {widget.key for widget in [*train.selectbox, *train.number_input, *train.slider, *train.text_input]}
    assert {"hp_anomaly_category", "hp_anomaly_mask_ratio", "hp_anomaly_score", "hp_anomaly_image_size"} <= keys


def test_the_anomaly_page_shows_heatmaps_a_threshold_and_roc_curves(runs_root):
    empty = AppTest.from_file(str(PAGES / "anomaly.py"), default_timeout=TIMEOUT).run()
    assert not empty.exception and "No finished anomaly-detection run yet" in empty.info[0].value
    run = wait_for_state(queue.submit("anomaly", "textures", "mae", None, {"epochs": 1, "image_size": 16}))
    assert run.state == "finished", store.log_tail(run.path)
    app = AppTest.from_file(str(PAGES / "anomaly.py"), default_timeout=TIMEOUT).run()
    assert not app.exception
    assert [tab.label for tab in app.tabs] == ["Images and heatmaps", "Threshold", "ROC curves"]
    assert len(app.get("image")) == 3 * 6  # Input, reconstruction, heatmap for the first six.
    assert len(app.get("plotly_chart")) == 3  # The histogram, the image ROC, the pixel ROC.
    app.selectbox(key=f"anomaly_kind_{run.id}").set_value("hole").run()
    captions = [image.proto.imgs[0].caption for image in app.get("image")]
    assert captions[0].endswith("· hole") and all(caption.endswith("· hole") for caption in captions[::3])
    # At the lowest threshold every image is called defective: recall 1.
    slider = app.slider(key=f"anomaly_threshold_{run.id}")
    low, high = slider.min, slider.max
    slider.set_value(low).run()
    assert next(metric.value for metric in app.metric if metric.label == "Recall") == "1.000"
    app.slider(key=f"anomaly_threshold_{run.id}").set_value(high + 0.0).run()
    confusion = app.dataframe[0].value
    assert int(confusion.iloc[0].sum()) == 30 and int(confusion.iloc[1].sum()) == 45
    # A model that gives every image one score: said, no slider.
    scored = detection.load_scores(run.path)
    np.savez_compressed(run.path / "eval" / anomaly_detection.SCORES_FILE, **{**scored, "scores": np.full_like(scored["scores"], 0.25)})
    app.run()
    assert not app.exception and any("Every test image has the same score (0.25000)" in info.value for info in app.info)


def test_the_category_picker_counts_the_folder_and_train_sends_its_path(runs_root, tmp_path, monkeypatch):
    app = AppTest.from_file(str(PAGES / "train.py"), default_timeout=TIMEOUT).run()
    app.selectbox(key="train_project").set_value("anomaly").run()
    app.selectbox(key="train_dataset_anomaly").set_value("category_folder").run()
    assert not app.exception
    assert "hp_anomaly_category_path" not in {widget.key for widget in app.text_input}, "the path sits above the form"
    assert any("MVTec AD or AutoVI category folder" in info.value for info in app.info)
    app.text_input(key="train_anomaly_category_path").set_value(str(tmp_path / "nothing")).run()
    # One sentence for missing, unreadable or not allowed (core.data.allowed_folders).
    assert any("cannot be used: it is missing, unreadable" in error.value for error in app.error)
    root = make_category(tmp_path / "tiles", {"crack": 3, "glue": 2}, train=4)
    app.text_input(key="train_anomaly_category_path").set_value(str(root)).run()
    assert not app.exception and not app.error
    assert any("4 good images to learn from; 7 test images, 5 of them defective in 2 kinds" in caption.value for caption in app.caption)
    submitted = []
    monkeypatch.setattr("core.runs.queue.submit", lambda *arguments: submitted.append(arguments) or "20990101-000000-abcdef")
    app.button[-1].click().run()
    assert submitted and submitted[0][1] == "category_folder" and submitted[0][4]["category_path"] == str(root)

    home = AppTest.from_file(str(PAGES / "home.py"), default_timeout=TIMEOUT).run()
    home.selectbox(key="home_project").set_value("anomaly").run()
    home.selectbox(key="home_dataset").set_value("category_folder").run()
    assert not home.exception and not home.get("image")  # No folder yet: nothing to preview.
    home.text_input(key="home_anomaly_category_path").set_value(str(root)).run()
    assert not home.exception and not home.error
    assert len(home.get("image")) >= 3  # Good training, good test, and each defect kind.
