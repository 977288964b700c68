"""core.images: any image a user brings becomes model input, or an ImageError with a key."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core import images


def _bar(size=(120, 160), ink=0, paper=255) -> Image.Image:
    image = Image.new("L", size, paper)
    ImageDraw.Draw(image).line([(size[0] // 2, 20), (size[0] // 2, size[1] - 20)], fill=ink, width=14)
    return image


def _bytes(image: Image.Image, format: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


@pytest.mark.parametrize("shape", [(8, 8, 1), (28, 28, 1), (32, 32, 3)])
def test_dark_ink_on_paper_becomes_centred_light_ink(shape):
    prepared = images.prepare(_bytes(_bar()), shape)
    assert prepared.pixels.shape == shape and prepared.pixels.dtype == np.float32
    assert prepared.pixels.max() == pytest.approx(1.0)
    assert "image_note_inverted" in prepared.notes
    grey = prepared.pixels[..., 0]
    middle = shape[1] // 2
    # The stroke is vertical and centred: the middle columns are brighter than the edges.
    assert grey[:, middle - 1 : middle + 1].mean() > 3 * grey[:, :2].mean() + 0.1


def test_a_drawing_array_with_light_ink_is_not_inverted():
    drawing = np.zeros((224, 224, 4), dtype=np.uint8)
    drawing[40:180, 100:124] = 255  # White, opaque stroke on a transparent canvas.
    prepared = images.prepare(drawing, (8, 8, 1))
    assert "image_note_inverted" not in prepared.notes
    assert prepared.pixels[:, 3:5, 0].mean() > prepared.pixels[:, :2, 0].mean()


def test_sixteen_bit_is_rescaled_not_clipped():
    values = np.asarray(_bar()).astype("<u2") * 257
    image = Image.new("I;16", _bar().size)
    image.frombytes(values.tobytes())
    prepared = images.prepare(_bytes(image), (28, 28, 1))
    assert "image_note_high_depth" in prepared.notes
    assert prepared.pixels.max() == pytest.approx(1.0)


def test_animated_gif_uses_its_first_frame():
    data = _bytes(_bar(), "GIF", save_all=True, append_images=[_bar().rotate(90)])
    assert "image_note_first_frame" in images.prepare(data, (8, 8, 1)).notes


@pytest.mark.parametrize(
    "data,key",
    [
        (b"", "image_error_empty"),
        (b"GIF89a but not really", "image_error_not_image"),
        (_bytes(Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200), dtype=np.uint8)))[:5000], "image_error_damaged"),
        (_bytes(Image.new("L", (50, 50), 255)), "image_error_blank"),
    ],
)
def test_bad_inputs_raise_an_image_error_with_its_key(data, key):
    with pytest.raises(images.ImageError) as caught:
        images.prepare(data, (8, 8, 1))
    assert caught.value.key == key


def test_a_huge_image_is_refused_before_decoding():
    data = _bytes(Image.new("1", (9000, 9000)))  # 81 megapixels, under PIL's own bomb limit.
    with pytest.raises(images.ImageError) as caught:
        images.prepare(data, (8, 8, 1))
    assert caught.value.key == "image_error_too_large"
    assert caught.value.values["width"] == 9000


def test_a_photo_keeps_its_colour_and_is_cropped_to_the_centre():
    image = Image.new("RGB", (300, 200), (255, 0, 0))
    ImageDraw.Draw(image).rectangle([0, 0, 49, 199], fill=(0, 0, 255))  # Cropped away: outside the central square.
    prepared = images.prepare(_bytes(image), (32, 32, 3), style="photo")
    assert prepared.pixels.shape == (32, 32, 3) and prepared.pixels.dtype == np.float32
    np.testing.assert_allclose(prepared.pixels[..., 0], 1.0, atol=0.02)
    assert prepared.pixels[..., 2].max() < 0.05, "the blue band lay outside the central square"
    assert {"image_note_cropped", "image_note_resized"} <= set(prepared.notes)
    assert "image_note_inverted" not in prepared.notes


def test_a_transparent_photo_lies_on_white_and_a_grey_model_gets_one_channel():
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse([16, 16, 47, 47], fill=(0, 0, 0, 255))
    prepared = images.prepare(_bytes(image), (28, 28, 1), style="photo")
    assert prepared.pixels.shape == (28, 28, 1)
    assert prepared.pixels[0, 0, 0] == pytest.approx(1.0) and prepared.pixels[14, 14, 0] == pytest.approx(0.0, abs=0.02)


def test_an_unknown_preparation_style_is_refused():
    with pytest.raises(ValueError, match="valid: ink, photo"):
        images.prepare(_bytes(_bar()), (28, 28, 1), style="sketch")
