"""The Explain page, the maps beside answers on Predict and Compare, and `python -m core explain`,
on fixture runs (an untrained torch CNN on 8×8 digits, untrained Keras models on 32×32)."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest
from core_fixtures import run_cli
from page_fixtures import make_keras_run, make_run, open_page
from PIL import Image
from streamlit.testing.v1 import AppTest
from test_pages import texts


def image_captions(app: AppTest) -> list[str]:
    return [image.proto.imgs[0].caption for image in app.get("image")]


def png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("maker", [make_run, make_keras_run], ids=["torch", "keras"])
def test_explain_page_shows_a_grid_of_maps_over_test_images(runs_root, maker):
    run_id = maker(runs_root)
    app = open_page("explain", selected_run=run_id)
    assert not app.exception
    assert len(app.get("image")) == 8  # The default count, in a grid.
    assert all("map for" in caption for caption in image_captions(app))
    app.slider(key="explain_count").set_value(3).run()
    assert len(app.get("image")) == 3
    app.selectbox(key="explain_method").set_value("smoothgrad").run()
    assert not app.exception and len(app.get("image")) == 3


def test_explain_page_explains_the_true_class_or_a_chosen_one(runs_root):
    run_id = make_run(runs_root)
    app = open_page("explain", selected_run=run_id, explain_count=2)
    app.radio(key="explain_class_choice").set_value("any").run()
    app.selectbox(key="explain_class").set_value(7).run()
    assert not app.exception
    captions = image_captions(app)
    assert len(captions) == 2 and all("map for 7" in caption for caption in captions)
    app.radio(key="explain_class_choice").set_value("true").run()
    assert all("map for" in caption and caption.split("map for ")[1].split(" ")[0] == caption.split("true: ")[1] for caption in image_captions(app))


def test_explain_page_on_a_model_without_convolution_offers_saliency(runs_root):
    run_id = make_keras_run(runs_root, model_name="dense")
    app = open_page("explain", selected_run=run_id)
    assert not app.exception
    assert "no convolution layer" in app.warning[0].value
    assert len(app.get("image")) == 0
    app.button(key="explain_method_use_saliency").click().run()
    assert not app.exception
    assert app.selectbox(key="explain_method").value == "saliency"
    assert len(app.get("image")) == 8


def test_explain_page_converts_an_upload_to_the_model_channels_and_refuses_a_broken_one(runs_root):
    run_id = make_keras_run(runs_root)  # 3 channels: a greyscale upload must become colour.
    app = open_page("explain", selected_run=run_id)
    app.radio(key="explain_source").set_value("upload").run()
    grey = np.tile(np.linspace(0, 255, 40, dtype=np.uint8), (40, 1))
    app.file_uploader(key="explain_upload").upload("grey.png", png(grey))
    app.file_uploader(key="explain_upload").upload("broken.png", b"not an image")
    app.run()
    assert not app.exception
    assert len(app.get("image")) == 1
    assert any("broken.png" in error.value for error in app.error)


def test_explain_page_layer_default_is_the_last_convolution(runs_root):
    run_id = make_keras_run(runs_root)
    app = open_page("explain", selected_run=run_id, explain_count=1)
    assert app.selectbox(key=f"explain_layer_{run_id}").value == "conv_64"
    app.selectbox(key=f"explain_layer_{run_id}").set_value("conv_32").run()
    assert not app.exception and len(app.get("image")) == 1


def test_explain_page_in_french(runs_root):
    run_id = make_run(runs_root)
    app = open_page("explain", selected_run=run_id, language="fr", explain_count=1)
    assert not app.exception
    assert "où le modèle regarde" in texts(app)


def test_predict_shows_the_answer_and_its_map_side_by_side(runs_root):
    run_id = make_run(runs_root)
    app = open_page("predict", selected_run=run_id)
    app.radio(key="predict_source").set_value("test").run()
    assert not app.exception
    assert len(app.get("image")) == 2  # The input as seen, and its map.
    assert image_captions(app)[1].startswith("GradCAM++ for ")


def test_compare_shows_each_model_answer_with_its_map(runs_root):
    first, second = make_run(runs_root), make_run(runs_root)
    app = open_page("compare", compare_runs=[first, second])
    assert not app.exception
    assert sum(caption.startswith("GradCAM++ for ") for caption in image_captions(app)) == 2


def test_cli_explain_writes_an_overlay_and_prints_the_answer(runs_root, tmp_path):
    run_id = make_keras_run(runs_root)
    out = tmp_path / "map.png"
    result = run_cli("explain", run_id, "--test-index", "3", "--class", "class 2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["explained"] == "class 2" and answer["method"] == "gradcam_plus_plus" and answer["layer"] == "conv_64"
    assert Image.open(out).size == (32, 32)


@pytest.mark.parametrize(
    "arguments,message",
    [
        (["--layer", "conv_999"], "no layer called 'conv_999'"),
        (["--class", "eleven"], "unknown class 'eleven'"),
        (["--test-index", "500"], "--test-index must be from 0 to 39"),
        (["--method", "lime"], "invalid choice: 'lime'"),
        (["--image", "/nonexistent.png"], "image not found"),
    ],
)
def test_cli_explain_bad_input_exits_2_with_one_line(runs_root, tmp_path, arguments, message):
    run_id = make_run(runs_root)
    result = run_cli("explain", run_id, "--out", str(tmp_path / "map.png"), *arguments)
    assert result.returncode == 2, result
    # TensorFlow 2.21 writes its start-up lines before any log level applies: ours is the last.
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("error: ") and message in last_line, result.stderr
    assert not (tmp_path / "map.png").exists()


def test_explain_page_loads_the_model_and_computes_maps_once_across_reruns(runs_root, monkeypatch):
    from core import explanations, inference

    calls = {"load": 0, "explain": 0}
    real_load, real_explain = inference.load_model, explanations.explain

    def counting_load(path):
        calls["load"] += 1
        return real_load(path)

    def counting_explain(*arguments, **options):
        calls["explain"] += 1
        return real_explain(*arguments, **options)

    monkeypatch.setattr(inference, "load_model", counting_load)
    monkeypatch.setattr(explanations, "explain", counting_explain)
    run_id = make_run(runs_root)
    app = open_page("explain", selected_run=run_id, explain_count=2)
    app.slider(key="explain_opacity").set_value(0.8).run()
    app.run()
    assert not app.exception and len(app.get("image")) == 2
    assert calls == {"load": 1, "explain": 1}


def test_explain_page_says_so_when_the_run_is_deleted_under_it(runs_root, monkeypatch):
    import shutil

    from core import inference

    run_id = make_run(runs_root)
    app = open_page("explain", selected_run=run_id, explain_count=2)
    assert len(app.get("image")) == 2
    # Deleted between the page listing it and reading it: the list is the one from before.
    listed = inference.finished_runs("explain")
    monkeypatch.setattr(inference, "finished_runs", lambda page: listed)
    shutil.rmtree(runs_root / run_id)
    app.slider(key="explain_count").set_value(3).run()
    assert not app.exception
    assert [error.value for error in app.error] == [f"Run not found: ` {run_id} ` (it may have been deleted)."]  # The id shown literally (ui.plain).
