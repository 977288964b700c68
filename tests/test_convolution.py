"""core.analysis.convolution: the output against hand-computed values, the sliding window, bad
kernels; and the Convolution page under AppTest (it needs no run)."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas
import pytest
from page_fixtures import TIMEOUT, open_page
from streamlit.testing.v1 import AppTest

from core.analysis import convolution
from core.i18n import TranslatableError

REPOSITORY = Path(__file__).resolve().parent.parent

IMAGE = np.arange(20, dtype=np.float64).reshape(4, 5)
KERNEL = [[1, 0, -1], [2, 0, -2], [1, 0, -1]]


def test_cross_correlation_against_a_hand_computed_value():
    output = convolution.correlate(IMAGE, KERNEL, "valid")
    assert output.shape == (2, 3)
    # Window at (0, 0): rows 0-2, columns 0-2; the kernel is not flipped (as in Conv2D).
    by_hand = (0 * 1 + 2 * -1) + 2 * (5 - 7) + (10 - 12)
    assert output[0, 0] == by_hand == -8
    assert np.allclose(output, -8)  # The image rises by 1 a column: the same slope everywhere.


def test_same_padding_keeps_the_size_with_zeros_around():
    output = convolution.correlate(IMAGE, convolution.preset("identity"), "same")
    assert output.shape == IMAGE.shape and np.array_equal(output, IMAGE)
    corner = convolution.correlate(IMAGE, np.ones((3, 3)), "same")[0, 0]
    assert corner == 0 + 1 + 5 + 6


def test_window_products_sum_to_the_output_pixel():
    output = convolution.correlate(IMAGE, KERNEL, "same")
    step = convolution.window(IMAGE, KERNEL, 2, 4, "same")
    assert step.pixels.tolist() == [[8, 9, 0], [13, 14, 0], [18, 19, 0]]
    assert np.array_equal(step.products, step.pixels * np.array(KERNEL))
    assert step.total == output[2, 4] == 8 + 2 * 13 + 18 - 0
    with pytest.raises(ValueError, match="outside"):
        convolution.window(IMAGE, KERNEL, 2, 3, "valid")


def test_presets_are_three_by_three_and_blur_keeps_the_mean():
    for name in convolution.KERNEL_PRESETS:
        assert convolution.preset(name).shape == (3, 3)
    assert convolution.preset("blur").sum() == pytest.approx(1)
    assert convolution.preset("gaussian").sum() == pytest.approx(1)
    with pytest.raises(ValueError, match="valid: identity"):
        convolution.preset("nope")


@pytest.mark.parametrize(
    "values,key",
    [
        ([[1, 2], [3, 4]], "layers_error_kernel_shape"),
        ([[1, 2, 3], [4, 5, 6]], "layers_error_kernel_shape"),
        (5, "layers_error_kernel_shape"),
        ([[1, 2, 3], [4, None, 6], [7, 8, 9]], "layers_error_kernel_empty"),
        ([[1, 2, 3], [4, math.nan, 6], [7, 8, 9]], "layers_error_kernel_empty"),
        ([[1, 2, 3], [4, " ", 6], [7, 8, 9]], "layers_error_kernel_empty"),
        ([[1, 2, 3], [4, "abc", 6], [7, 8, 9]], "layers_error_kernel_not_number"),
        ([[1, 2, 3], [4, 5, math.inf], [7, 8, 9]], "layers_error_kernel_too_large"),
        ([[1, 2, 3], [4, 5, 1e9], [7, 8, 9]], "layers_error_kernel_too_large"),
    ],
)
def test_bad_kernels_get_a_message_naming_the_cell(values, key):
    with pytest.raises(TranslatableError) as caught:
        convolution.check_kernel(values)
    assert caught.value.key == key
    if key != "layers_error_kernel_shape":
        assert "2, " in str(caught.value)  # The row of the bad cell.


def test_a_data_editor_frame_and_decimal_commas_are_read():
    frame = pandas.DataFrame([[0, "0,5", 0], [1, 2, 3], [4, 5, 6]], columns=["1", "2", "3"])
    assert convolution.check_kernel(frame)[0, 1] == 0.5
    frame.iloc[1, 1] = np.nan
    with pytest.raises(TranslatableError, match="row, column 2, 2 is empty"):
        convolution.check_kernel(frame)


def test_sample_images_are_grey_and_in_range():
    digit = convolution.sample_image("digit", 3)
    shape = convolution.sample_image("shape", 12)
    assert digit.shape == (8, 8) and shape.shape == (32, 32)
    for image in (digit, shape):
        assert image.min() >= 0 and image.max() <= 1 and image.max() > 0.3
    with pytest.raises(ValueError, match="valid: digit, shape"):
        convolution.sample_image("photo", 0)


def test_highlight_draws_the_window():
    picture = convolution.highlight(np.zeros((4, 5)), 1, 2, 3, scale=4)
    assert picture.shape == (16, 20, 3)
    assert picture[4, 8].tolist() == [230, 40, 40]  # The window's top-left corner.
    assert picture[0, 0].tolist() == [0, 0, 0]
    assert convolution.to_unit(np.full((2, 2), 3.0)).tolist() == [[0.5, 0.5], [0.5, 0.5]]


def page(language: str = "en", **state) -> AppTest:
    return open_page("convolution", language, **state)


@pytest.mark.parametrize("language,title,total", [("en", "Convolution", "Their sum"), ("fr", "Convolution", "Leur somme")])
def test_the_page_shows_the_input_the_output_and_the_sum_in_the_users_language(runs_root, language, title, total):
    app = page(language)
    assert not app.exception, app.exception
    assert app.title[0].value == title
    assert len(app.image) == 2  # The convolution's input and output.
    assert any(total in element.value for element in app.success)


def test_the_page_works_without_runs_and_names_bad_kernels(runs_root):
    app = page()
    assert not app.exception
    app.selectbox(key="convolution_kernel").set_value("sobel_x")
    app.radio(key="convolution_source").set_value("shape").run()
    assert not app.exception
    assert len(app.image) == 2 and "Their sum" in app.success[0].value
    app.selectbox(key="convolution_kernel").set_value("custom").run()
    assert not app.exception and app.success  # The editor starts from a valid kernel.


def test_an_emptied_kernel_cell_gets_a_message(runs_root):
    edits = {"edited_rows": {1: {"2": None}}, "added_rows": [], "deleted_rows": []}
    app = page("fr", convolution_kernel="custom", convolution_editor=edits)
    assert not app.exception, app.exception
    assert any("ligne, colonne 2, 2 est vide" in element.value for element in app.error), [element.value for element in app.error]
    assert not app.success  # No output from a kernel with a hole.


def test_the_inside_page_opens_the_convolution_page(runs_root):
    # Through the app's entry: switch_page needs the navigation that app/main.py builds.
    app = AppTest.from_file(str(REPOSITORY / "app" / "main.py"), default_timeout=TIMEOUT)
    app.session_state["language"] = "en"
    app.run()
    app.switch_page("../pages/inside.py").run()
    assert not app.exception and app.title[0].value == "Inside the network"
    assert len(app.tabs) == 4  # The convolution is no longer one of its tabs.
    app.button(key="inside_open_convolution").click().run()
    assert not app.exception
    assert app.title[0].value == "Convolution" and len(app.image) == 2
