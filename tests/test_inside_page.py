"""The Inside page under AppTest, on fixture runs in a temporary DLLAB_ARTIFACTS: every tab
renders, explanations come in the user's language, bad inputs give messages. The convolution
page's AppTests are in test_convolution.py."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from page_fixtures import (
    CLASS_NAMES,
    edit_run_file,
    make_run,
    open_page,
    write_checkpoint,
)
from streamlit.testing.v1 import AppTest

from core.training import CHECKPOINT_DESCRIPTION


def keras_run(root: Path, model_name: str) -> str:
    """A finished digits run whose model is an untrained Keras `model_name` (8x8x1)."""
    from core import frameworks

    frameworks.torch()
    from core.backends import keras_backend
    from core.projects.digits import DigitsParameters

    run_id = make_run(root)
    model = keras_backend.build(model_name, (8, 8, 1), 10, DigitsParameters(epochs=1))
    keras_backend.save(model, root / run_id / keras_backend.CHECKPOINT_FILE)
    write_checkpoint(root / run_id, "keras", model_name, model, (8, 8, 1), CLASS_NAMES, "digits")
    edit_run_file(root, run_id, "params.json", backend="keras", model=model_name)
    return run_id


def page(language: str = "en", query: dict | None = None, **state) -> AppTest:
    return open_page("inside", language, query, **state)


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
    assert len(app.tabs) == 4
    shown = texts(app)
    for text in expected:
        assert text in shown
    assert len(app.expander) == 7  # Input, Conv2d, ReLU, MaxPool2d, Dropout, Flatten, Linear.
    table = app.dataframe[0].value
    assert list(table.iloc[:, 0][:3]) == ["conv_32", "relu_32", "pool_32"]
    assert table.iloc[0, 4] == 320  # Parameters of the first convolution: 3x3x1x32 + 32.
    assert len(app.image) == 3  # Filters, the input image and its feature maps.


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
    assert len(app.image) == 5  # Two more filter grids than with one run.


def test_specialisation_says_when_architectures_differ(runs_root):
    make_run(runs_root)
    keras_run(runs_root, "cnn")
    app = page()
    assert not app.exception, app.exception
    assert "do not share an architecture (torch cnn and keras cnn" in texts(app) or "do not share an architecture (keras cnn and torch cnn" in texts(app)


def test_without_runs_the_page_says_so_and_offers_the_convolution_page(runs_root):
    app = page()
    assert not app.exception
    assert "No finished run yet" in texts(app) and "The Convolution page works without one" in texts(app)
    assert app.button(key="inside_open_convolution").label.startswith("Play with a convolution")


def test_a_run_deleted_during_maximisation_gets_a_message(runs_root, monkeypatch):
    run_id = make_run(runs_root)
    app = page()

    def deleted(*arguments, **options):
        raise FileNotFoundError(runs_root / run_id / "model.pt")

    monkeypatch.setattr("core.analysis.maximisation.maximise", deleted)
    app.button(key="inside_max_button").click().run()
    assert not app.exception
    assert any(f"Run not found: ` {run_id} `" in element.value for element in app.error)
