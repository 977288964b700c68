"""The Inside page under AppTest, on fixture runs in a temporary DLLAB_ARTIFACTS: every tab
renders, explanations come in the user's language, bad inputs give messages."""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.training import CHECKPOINT_DESCRIPTION
from page_fixtures import CLASS_NAMES, edit_run_file, make_run
from test_pages import runs_root  # noqa: F401

PAGE = Path(__file__).resolve().parent.parent / "pages" / "inside.py"
TIMEOUT = 120


def keras_run(root: Path, model_name: str) -> str:
    """A finished digits run whose model is an untrained Keras `model_name` (8x8x1)."""
    from core import frameworks

    frameworks.torch()
    from core.backends import keras_backend
    from core.projects.digits import DigitsParameters

    run_id = make_run(root)
    model = keras_backend.build(model_name, (8, 8, 1), 10, DigitsParameters(epochs=1))
    keras_backend.save(model, root / run_id / keras_backend.CHECKPOINT_FILE)
    description = {"backend": "keras", "model": model_name, "file": keras_backend.CHECKPOINT_FILE, "input_shape": [8, 8, 1], "class_names": CLASS_NAMES, "dataset": "digits"}
    (root / run_id / CHECKPOINT_DESCRIPTION).write_text(json.dumps(description))
    edit_run_file(root, run_id, "params.json", backend="keras", model=model_name)
    return run_id


def page(language: str = "en", query: dict | None = None, **state) -> AppTest:
    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    app.session_state["language"] = language
    for key, value in state.items():
        app.session_state[key] = value
    for key, value in (query or {}).items():
        app.query_params[key] = value
    return app.run()


def texts(app: AppTest) -> str:
    parts = [element.value for kind in ("title", "subheader", "markdown", "caption", "info", "error", "warning", "success") for element in getattr(app, kind)]
    return "\n".join(str(part) for part in parts)


@pytest.mark.parametrize(
    "language,expected",
    [
        ("en", ["Layers explained", "A small kernel (3×3 here) slides over the image", "Keeps the largest value of each 2×2 window"]),
        ("fr", ["Les couches expliquées", "Un petit noyau (ici 3×3) glisse sur l'image", "Garde la plus grande valeur de chaque fenêtre 2×2"]),
    ],
)
def test_every_tab_renders_with_explanations_in_the_users_language(runs_root, language, expected):
    make_run(runs_root)
    app = page(language)
    assert not app.exception, app.exception
    assert len(app.tabs) == 5
    shown = texts(app)
    for text in expected:
        assert text in shown
    assert len(app.expander) == 7  # Input, Conv2d, ReLU, MaxPool2d, Dropout, Flatten, Linear.
    table = app.dataframe[0].value
    assert list(table.iloc[:, 0][:3]) == ["conv_32", "relu_32", "pool_32"]
    assert table.iloc[0, 4] == 320  # Parameters of the first convolution: 3x3x1x32 + 32.
    # Filters, the input image and its feature maps, the convolution's input and output.
    assert len(app.image) == 5
    assert any("Their sum" in element.value or "Leur somme" in element.value for element in app.success)


def test_maximisation_is_computed_on_demand_and_kept(runs_root):
    make_run(runs_root)
    app = page(inside_max_count=4)
    assert not app.exception
    images_before = len(app.image)
    app.button(key="inside_max_button").click().run()
    assert not app.exception, app.exception
    assert len(app.image) == images_before + 1  # One image list, one picture per channel.
    # A rerun shows them again without a click (cached).
    app.run()
    assert len(app.image) == images_before + 1


def test_an_unknown_layer_in_the_address_and_a_stale_layer_are_named(runs_root):
    make_run(runs_root)
    app = page(query={"layer": "no_such_layer"})
    assert not app.exception
    assert any("no_such_layer" in element.value for element in app.error)
    app = page(inside_maps_layer="left_from_another_run")
    assert not app.exception
    assert any("left_from_another_run" in element.value for element in app.warning)
    assert app.selectbox(key="inside_maps_layer").value == "conv_32"


def test_an_upload_with_the_wrong_number_of_channels_is_refused(runs_root):
    make_run(runs_root)
    app = page()
    app.radio(key="inside_image_source").set_value("upload").run()
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((8, 8, 3), np.uint8))
    app.file_uploader(key="inside_upload").upload("rgb.npy", buffer.getvalue()).run()
    assert not app.exception
    assert any("3 channel" in element.value for element in app.error), [element.value for element in app.error]
    app.file_uploader(key="inside_upload").upload("notes.txt", b"this is not an image").run()
    assert not app.exception and app.error


def test_a_model_without_convolution_says_so(runs_root):
    keras_run(runs_root, "dense")
    app = page()
    assert not app.exception, app.exception
    shown = texts(app)
    assert "no convolution" in shown.lower()
    assert "Dense (fully connected) (Dense)" in [element.label for element in app.expander]
    # The dense layers' units can still be maximised.
    assert app.selectbox(key="inside_max_layer").value == "classes"


def test_specialisation_puts_two_datasets_side_by_side(runs_root):
    make_run(runs_root)
    second = make_run(runs_root)
    edit_run_file(runs_root, second, CHECKPOINT_DESCRIPTION, dataset="mnist")
    app = page()
    assert not app.exception
    shown = texts(app)
    assert "do not share" not in shown and "Dataset: digits" in shown and "Dataset: mnist" in shown
    assert len(app.image) == 7  # Two more filter grids than with one run.


def test_specialisation_says_when_architectures_differ(runs_root):
    make_run(runs_root)
    keras_run(runs_root, "cnn")
    app = page()
    assert not app.exception, app.exception
    assert "do not share an architecture (torch cnn and keras cnn" in texts(app) or "do not share an architecture (keras cnn and torch cnn" in texts(app)


def test_the_convolution_tab_works_without_runs_and_names_bad_kernels(runs_root):
    app = page()
    assert not app.exception
    assert "No finished run yet" in texts(app)
    app.selectbox(key="inside_conv_kernel").set_value("sobel_x")
    app.radio(key="inside_conv_source").set_value("shape").run()
    assert not app.exception
    assert len(app.image) == 2 and "Their sum" in app.success[0].value
    app.selectbox(key="inside_conv_kernel").set_value("custom").run()
    assert not app.exception and app.success  # The editor starts from a valid kernel.


def test_an_emptied_kernel_cell_gets_a_message(runs_root):
    edits = {"edited_rows": {1: {"2": None}}, "added_rows": [], "deleted_rows": []}
    app = page("fr", inside_conv_kernel="custom", inside_conv_editor=edits)
    assert not app.exception, app.exception
    assert any("ligne, colonne 2, 2 est vide" in element.value for element in app.error), [element.value for element in app.error]
    assert not app.success  # No output from a kernel with a hole.


def test_a_run_deleted_during_maximisation_gets_a_message(runs_root, monkeypatch):
    run_id = make_run(runs_root)
    app = page()

    def deleted(*arguments, **options):
        raise FileNotFoundError(runs_root / run_id / "model.pt")

    monkeypatch.setattr("core.analysis.maximisation.maximise", deleted)
    app.button(key="inside_max_button").click().run()
    assert not app.exception
    assert any(f"Run not found: {run_id}" in element.value for element in app.error)
