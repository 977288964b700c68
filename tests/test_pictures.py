import numpy as np
import pytest

from core import pictures


def test_uint8_round_trip_is_exact():
    every_value = np.arange(256, dtype=np.uint8).reshape(16, 16)
    unit = pictures.as_float(every_value)
    assert unit.dtype == np.float32 and unit.min() == 0.0 and unit.max() == 1.0
    assert np.array_equal(pictures.as_uint8(unit), every_value)


def test_as_uint8_clips_and_rounds():
    values = np.array([-0.5, 0.0, 0.4 / 255, 1.6 / 255, 0.5, 1.0, 1.7], dtype=np.float32)
    assert pictures.as_uint8(values).tolist() == [0, 0, 0, 2, 128, 255, 255]
    assert pictures.as_uint8(values, rounding="down").tolist() == [0, 0, 0, 1, 127, 255, 255]
    assert pictures.as_uint8(values).dtype == np.uint8
    with pytest.raises(ValueError, match="rounding"):
        pictures.as_uint8(values, rounding="up")


def test_as_float_scales_uint8_to_unit_float32():
    assert pictures.as_float(np.array([0, 51, 255], np.uint8)).tolist() == pytest.approx([0.0, 0.2, 1.0])


def test_enlarge_by_repeats_each_pixel_into_a_block():
    image = np.array([[1, 2], [3, 4]], np.uint8)
    enlarged = pictures.enlarge_by(image, 3)
    assert enlarged.shape == (6, 6)
    assert enlarged[:3, :3].tolist() == [[1] * 3] * 3 and enlarged[5, 5] == 4 and enlarged[0, 3] == 2
    batch = pictures.enlarge_by(np.stack([image, image + 4])[..., np.newaxis], 2, row_axis=1)
    assert batch.shape == (2, 4, 4, 1) and batch[1, 3, 3, 0] == 8
    with pytest.raises(ValueError, match="factor"):
        pictures.enlarge_by(image, 0)


def test_enlarge_to_a_display_size():
    grey = np.full((7, 5, 1), 0.5, np.float32)
    picture = pictures.enlarge(grey, size=30)
    assert picture.shape == (28, 20) and picture.dtype == np.uint8  # Factor 30 // 7 = 4.
    assert np.all(picture == 127)  # Display pictures truncate.
    colour = np.zeros((4, 4, 3), np.uint8)
    assert pictures.enlarge(colour, size=3).shape == (4, 4, 3)  # Never smaller than the image.
    assert pictures.enlarge(colour, size=16).dtype == np.uint8


def test_mosaic_with_a_ragged_last_row():
    images = np.zeros((5, 2, 2), np.float32)
    picture = pictures.mosaic(images, columns=3, cell=4, gap=1)
    # Two rows of three 4 × 4 cells with 1-pixel gaps.
    assert picture.shape == (2 * 4 + 1, 3 * 4 + 2, 3) and picture.dtype == np.uint8
    assert picture[5:, 5:9].tolist() == [[[0, 0, 0]] * 4] * 4  # The fifth image.
    assert np.all(picture[5:, 10:] == 255)  # No sixth image: the background shows.
    assert np.all(picture[4] == 255) and np.all(picture[:, 4] == 255)  # The gaps.


def test_mosaic_keeps_colour_and_refuses_bad_shapes():
    red = np.zeros((2, 3, 3, 3), np.float32)
    red[..., 0] = 1.0
    picture = pictures.mosaic(red, columns=8, cell=3, gap=0)
    assert picture.shape == (3, 6, 3) and np.all(picture == [255, 0, 0])  # Columns shrink to the count.
    with pytest.raises(ValueError):
        pictures.mosaic(np.zeros((0, 2, 2)))
    with pytest.raises(ValueError):
        pictures.mosaic(np.zeros((2, 2, 2, 2)))


def test_jet_runs_from_blue_to_red():
    colours = pictures.jet(np.array([0.0, 0.5, 1.0, -1.0, 2.0]))
    assert colours.shape == (5, 3)
    assert colours[0].tolist() == [0.0, 0.0, 0.5]  # 0 is dark blue.
    assert colours[1].tolist() == [0.5, 1.0, 0.5]  # The middle is mostly green.
    assert colours[2].tolist() == [0.5, 0.0, 0.0]  # 1 is dark red.
    assert colours[3].tolist() == colours[0].tolist() and colours[4].tolist() == colours[2].tolist()  # Clipped.
    assert pictures.jet(np.zeros((4, 6))).shape == (4, 6, 3)
