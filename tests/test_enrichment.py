"""core.enrichment and the Enrich page: a student's images, their variants, the model on
them, and the training split they join (never the test split)."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from page_fixtures import make_run
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from core import enrichment
from core.data import ImagePool, split_pool
from core.kinds.image_classification.train import add_enrichment

PAGE = Path(__file__).resolve().parents[1] / "pages" / "enrich.py"


def colour_square(size=16, colour=(200, 30, 30)) -> np.ndarray:
    pixels = np.zeros((size, size, 3), np.float32)
    pixels[4:12, 2:8] = np.array(colour) / 255.0
    return pixels


def test_every_variant_keeps_the_shape_and_most_differ(tmp_path):
    source = colour_square()
    made = enrichment.variants(source)
    assert [name for name, _ in made] == list(enrichment.VARIANTS)
    assert all(pixels.shape == source.shape and pixels.dtype == np.float32 for _, pixels in made)
    np.testing.assert_allclose(made[0][1], source, atol=1 / 255)
    different = [name for name, pixels in made[1:] if np.abs(pixels - source).max() > 0.05]
    assert len(different) == len(made) - 1, "each variant changes the image"


def test_add_list_and_remove_sources(tmp_path):
    folder = tmp_path / "set"
    first = enrichment.add_image(folder, 2, colour_square())
    second = enrichment.add_image(folder, 2, colour_square(colour=(0, 0, 250)))
    enrichment.add_image(folder, 0, colour_square())
    found = enrichment.sources(folder, 3)
    assert [source.class_index for source in found] == [0, 2, 2]
    assert first != second and first.name == "1.png" and second.name == "2.png"
    enrichment.remove_image(first)
    assert len(enrichment.sources(folder, 3)) == 2
    assert enrichment.sources(tmp_path / "absent", 3) == []


def test_a_grey_set_reads_back_with_one_channel(tmp_path):
    pixels = np.zeros((8, 8, 1), np.float32)
    pixels[2:6, 3:5] = 1.0
    enrichment.add_image(tmp_path, 1, pixels)
    (source,) = enrichment.sources(tmp_path, 1)
    np.testing.assert_allclose(source.pixels, pixels)


def test_set_folder_refuses_what_is_not_a_run_id():
    with pytest.raises(ValueError, match="not a run id"):
        enrichment.set_folder("../../etc")


def test_deleting_a_run_deletes_its_set(runs_root):  # noqa: F811
    from core.runs import queue

    run_id = make_run(runs_root, with_model=False)
    enrichment.add_image(enrichment.set_folder(run_id), 7, colour_square())
    queue.delete(run_id)
    assert not enrichment.set_folder(run_id).exists()


def test_the_set_joins_the_training_split_only(tmp_path):
    generator = np.random.default_rng(0)
    pool = ImagePool(images=generator.random((100, 16, 16, 3), dtype=np.float32), labels=np.arange(100) % 4, class_names=list("abcd"), source="test")
    split = split_pool(pool, seed=0, validation_fraction=0.1)
    train, test = len(split.y_train), len(split.y_test)
    for class_index in (1, 3):
        enrichment.add_image(tmp_path, class_index, colour_square())
    add_enrichment(split, str(tmp_path))
    assert len(split.y_train) == train + 2 * len(enrichment.VARIANTS)
    assert len(split.y_test) == test
    assert sorted(set(split.y_train[train:].tolist())) == [1, 3]


def test_a_set_that_does_not_fit_the_dataset_is_refused(tmp_path):
    enrichment.add_image(tmp_path, 0, colour_square(size=16))
    with pytest.raises(ValueError, match="make the set for a run on this dataset"):
        enrichment.load_for_training(tmp_path, (32, 32, 3), 10)
    enrichment.add_image(tmp_path, 12, colour_square(size=16))
    with pytest.raises(ValueError, match="has class 12"):
        enrichment.load_for_training(tmp_path, (16, 16, 3), 10)
    with pytest.raises(ValueError, match="not found"):
        enrichment.load_for_training(tmp_path / "absent", (16, 16, 3), 10)


def _stroke_png() -> bytes:
    image = Image.new("L", (120, 160), 255)
    ImageDraw.Draw(image).line([(60, 20), (60, 140)], fill=0, width=14)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_enrich_page_adds_images_shows_variants_and_sizes(runs_root):  # noqa: F811
    run_id = make_run(runs_root)
    app = AppTest.from_file(str(PAGE), default_timeout=60)
    app.session_state["selected_run"] = run_id
    app.run()
    assert not app.exception
    assert any("No image added" in info.value for info in app.info)
    app.selectbox(key="enrich_class").set_value("7")
    app.file_uploader(key=f"enrich_upload_{run_id}").upload("seven.png", _stroke_png())
    app.file_uploader(key=f"enrich_upload_{run_id}").upload("notes.txt", b"not an image")
    app.run()
    app.button(key="enrich_add_button").click().run()
    assert not app.exception
    assert len(app.error) == 1 and app.error[0].value.startswith("` notes.txt `")  # Shown literally (ui.plain).
    assert any("1 images added to 7" in success.value for success in app.success)
    assert len(app.get("image")) == len(enrichment.VARIANTS), "the source and each of its variants"
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Your images"] == "1" and metrics["With their variants"] == str(len(enrichment.VARIANTS))
    saved = list((runs_root.parent / "enrichments" / run_id / "7").glob("*.png"))
    assert len(saved) == 1
    # A digits run cannot take extra images: the retrain says so instead of queueing.
    app.button(key="enrich_retrain").click().run()
    assert not app.exception
    assert any("cannot take extra training images" in error.value for error in app.error)


def test_a_cifar10_run_retrained_with_a_set_records_both_sizes(runs_root):  # noqa: F811
    """The whole path through a real worker: the cifar10 project on its generated shapes."""
    import json

    from core_fixtures import wait_for_state

    from core.runs import queue

    folder = enrichment.set_folder("for-test")
    for class_index in (0, 5):
        enrichment.add_image(folder, class_index, colour_square(size=32))
    overrides = {"epochs": 1, "enrichment": str(folder)}
    run_id = queue.submit("cifar10", "shapes", "small_cnn", "keras", overrides, root=runs_root)
    run = wait_for_state(run_id)
    assert run.state == "finished", run.status
    description = json.loads((run.path / "checkpoint.json").read_text())
    assert description["train_size"] == description["train_size_before_enrichment"] + 2 * len(enrichment.VARIANTS)
    assert description["preparation"] == "photo" and description["parameter_count"] > 0
    assert run.status["peak_memory_mb"] > 100
    assert {"test_accuracy", "test_macro_f1", "test_top_3_accuracy"} <= set(run.status["results"])
