"""core.analysis.convolution: the output against hand-computed values, the sliding window, bad kernels."""
from __future__ import annotations

import math

import numpy as np
import pandas
import pytest

from core.analysis import convolution
from core.i18n import TranslatableError

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
