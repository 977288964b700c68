"""Turning any image a user brings (upload, drawing) into what a model takes.

Never trusts the file: the size is checked from the header before decoding, every PIL
mode is converted explicitly, and a damaged file becomes an ImageError with a message
a student can act on. Classes of errors are i18n keys, so the page can translate them.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core import pictures
from core.i18n import TranslatableError

# Larger images are refused before decoding: 40 megapixels is a big phone photo.
MAX_PIXELS = 40_000_000


class ImageError(TranslatableError):
    """The input cannot become an image; `key` is the i18n key of the message."""


@dataclass
class PreparedImage:
    pixels: np.ndarray  # (height, width, channels) float32 in [0, 1], as the model sees it
    notes: list[str] = field(default_factory=list)  # i18n keys of what was done to it


def open_image(source: bytes | Path):
    """A PIL image opened lazily (nothing decoded yet), its size checked against MAX_PIXELS
    from the header: ImageError when empty, not an image, or too large. Every loader (uploads,
    image folders, anomaly categories) opens through it, so they share one limit."""
    from PIL import Image, UnidentifiedImageError

    if isinstance(source, (bytes, bytearray)) and not source:
        raise ImageError("image_error_empty")
    try:
        with warnings.catch_warnings():
            # Anything PIL warns about as a bomb is already above MAX_PIXELS, refused below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source)
    except Image.DecompressionBombError:
        raise ImageError("image_error_too_large_unknown", limit=MAX_PIXELS // 1_000_000) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise ImageError("image_error_not_image") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise ImageError("image_error_too_large", width=width, height=height, limit=MAX_PIXELS // 1_000_000)
    return image


HIGH_DEPTH_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I", "F")


def _decoded(image, notes: list[str]):
    """The image's pixels read (the first frame of an animation), or ImageError when damaged."""
    from PIL import Image

    if getattr(image, "is_animated", False):
        image.seek(0)
        notes.append("image_note_first_frame")
    try:
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ImageError("image_error_damaged") from None
    return image


def _high_depth_to_unit(image) -> np.ndarray:
    """16-bit or floating-point pixels as a 2-D float array in [0, 1] (convert("L") would
    clip them at 255). NaN or infinite pixels are refused: they are missing measurements,
    and any value put in their place would make the model's answer look trustworthy."""
    values = np.asarray(image, dtype=np.float64)
    not_finite = int(np.count_nonzero(~np.isfinite(values)))
    if not_finite:
        raise ImageError("image_error_not_finite", count=not_finite)
    if values.size == 0:
        return values
    if image.mode.startswith("I;16"):
        return np.clip(values / 65535.0, 0.0, 1.0)
    low, high = float(values.min()), float(values.max())
    if low < 0.0:  # Signed data (a difference, a normalised array): its own range, not clipped to black.
        return (values - low) / (high - low) if high > low else np.zeros_like(values)
    return np.clip(values / max(high, 1.0), 0.0, 1.0)


def _grey_from_image(image, notes: list[str]) -> np.ndarray:
    """A 2-D float array in [0, 1] from any PIL mode."""
    image = _decoded(image, notes)
    mode = image.mode
    if mode in HIGH_DEPTH_MODES:
        notes.append("image_note_high_depth")
        return _high_depth_to_unit(image)
    if mode not in ("L", "RGB"):
        notes.append("image_note_converted")
    has_alpha = mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info)
    if has_alpha:
        rgba = np.asarray(image.convert("RGBA"), dtype=np.float64) / 255.0
        grey = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])
        alpha = rgba[..., 3]
        # Lay the strokes on the background that contrasts with them (a drawing canvas
        # gives white ink on transparency, a logo may give black ink).
        opaque = alpha > 0.5
        ink_is_bright = opaque.any() and grey[opaque].mean() > 0.5
        background = 0.0 if ink_is_bright else 1.0
        return grey * alpha + background * (1.0 - alpha)
    if mode != "L":
        image = image.convert("RGB").convert("L")
    return np.asarray(image, dtype=np.float64) / 255.0


def _centre_ink(grey: np.ndarray, size: int, notes: list[str]) -> np.ndarray:
    """Bright ink on a dark background, cropped to the ink, centred in a square of `size`."""
    from PIL import Image

    # An image without pixels, or with pixels no comparison can use, holds no ink to centre.
    if grey.size == 0 or not np.isfinite(grey).all():
        raise ImageError("image_error_blank")
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    if border.mean() > 0.5:  # Dark ink on light paper: the datasets have light ink.
        grey = 1.0 - grey
        notes.append("image_note_inverted")
    grey = np.clip(grey - np.median(border if border.mean() <= 0.5 else 1.0 - border), 0.0, 1.0)
    if grey.max() <= 0.05:
        raise ImageError("image_error_blank")
    rows = np.flatnonzero(grey.max(axis=1) > 0.2 * grey.max())
    columns = np.flatnonzero(grey.max(axis=0) > 0.2 * grey.max())
    if not len(rows) or not len(columns):
        raise ImageError("image_error_blank")
    grey = grey[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    # Pad to a square so the aspect ratio survives, then leave a margin as MNIST does
    # (a 20-pixel digit in a 28-pixel frame); the 8x8 digits fill their frame.
    side = max(grey.shape)
    margin_fraction = 0.15 if size >= 16 else 0.05
    canvas_side = int(round(side / (1 - 2 * margin_fraction)))
    square = np.zeros((canvas_side, canvas_side))
    top, left = (canvas_side - grey.shape[0]) // 2, (canvas_side - grey.shape[1]) // 2
    square[top : top + grey.shape[0], left : left + grey.shape[1]] = grey
    resized = Image.fromarray(square.astype(np.float32), mode="F").resize((size, size), Image.Resampling.BOX)
    result = np.asarray(resized, dtype=np.float64)
    return result / max(result.max(), 1e-6)


# The EXIF orientation tag, and the transposition that puts each value upright.
EXIF_ORIENTATION_TAG = 0x0112
UPRIGHT_TRANSPOSITIONS = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_270", 7: "TRANSVERSE", 8: "ROTATE_90"}


def square_rgb(image, size: int) -> np.ndarray:
    """Any PIL image as (size, size, 3) uint8: upright, its centre square, resized, transparency
    on white. Image folders (training) and uploads (prediction) both go through it, so a
    model sees a user's photo as it saw its training images."""
    from PIL import Image

    orientation = image.getexif().get(EXIF_ORIENTATION_TAG, 1)
    # A JPEG not yet loaded decodes straight at 1/2, 1/4 or 1/8 scale, never below size.
    image.draft("RGB", (size, size))
    image.load()
    mode = image.mode
    if mode in HIGH_DEPTH_MODES:
        image = Image.fromarray(pictures.as_uint8(_high_depth_to_unit(image), rounding="down"), mode="L")
    elif mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
    elif mode != "L":
        image = image.convert("RGB")
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    # Crop, then resize: resizing a box would let the filter reach pixels outside it.
    image = image.crop((left, top, left + side, top + side)).resize((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if image.mode == "RGBA":  # Transparent parts become white, as a viewer shows them.
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    if orientation in UPRIGHT_TRANSPOSITIONS:
        image = image.transpose(Image.Transpose[UPRIGHT_TRANSPOSITIONS[orientation]])
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def _photo(image, size: int, channels: int, notes: list[str]) -> np.ndarray:
    """A photograph or a painting: colour kept, centre-cropped to a square, resized."""
    from PIL import Image

    image = _decoded(image, notes)
    if image.mode in HIGH_DEPTH_MODES:
        notes.append("image_note_high_depth")
    width, height = image.size
    if width != height:
        notes.append("image_note_cropped")
    if min(width, height) != size:
        notes.append("image_note_resized")
    pixels = square_rgb(image, size)
    if channels == 1:
        pixels = np.asarray(Image.fromarray(pixels).convert("L"))[..., np.newaxis]
    if pixels.size and int(pixels.max()) == int(pixels.min()):
        notes.append("image_note_uniform")  # One flat colour (maybe black): say so rather than predict silently.
    return pictures.as_float(pixels)


def prepare(source: bytes | np.ndarray, input_shape: tuple[int, int, int], style: str = "ink") -> PreparedImage:
    """Bytes of any image file, or an (h, w[, channels]) uint8 array (a drawing), to model input.

    style "ink": light strokes on dark (digits, Fashion-MNIST): inverted when needed, cropped
    to the ink and centred. style "photo": colour kept, centre-cropped and resized."""
    from PIL import Image

    if style not in ("ink", "photo"):
        raise ValueError(f"unknown preparation style {style!r}; valid: ink, photo")
    notes: list[str] = []
    if isinstance(source, np.ndarray):
        array = source.astype(np.uint8)
        if array.ndim == 3 and array.shape[2] == 1:
            array = array[..., 0]
        # fromarray reads the mode from the shape: L, RGB or RGBA; anything else is no image.
        if array.size == 0 or not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4))):
            raise ImageError("image_error_not_image")
        image = Image.fromarray(array)
    else:
        image = open_image(bytes(source))
    height, width, channels = input_shape
    if height != width:
        raise ValueError(f"only square model inputs are supported, got {input_shape}")
    if style == "photo":
        return PreparedImage(pixels=_photo(image, height, channels, notes), notes=notes)
    grey = _grey_from_image(image, notes)
    pixels = _centre_ink(grey, height, notes).astype(np.float32)[..., np.newaxis]
    if channels == 3:
        pixels = np.repeat(pixels, 3, axis=2)
    return PreparedImage(pixels=pixels, notes=notes)


def _shape_text(shape) -> str:
    return "×".join(str(side) for side in shape)


def array_input(data: bytes, input_shape: tuple[int, int, int]) -> PreparedImage:
    """A NumPy .npy file as one model input, taken as it is (not cropped or centred): real
    numbers, all finite, shaped (height, width[, channels]) as the model takes (a leading
    batch of one is accepted). Pixels 0-255 (any integer type, or floats above 1) are scaled
    to [0, 1]. ImageError, saying the expected shape, otherwise."""
    expected = _shape_text(input_shape)
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError):
        raise ImageError("layers_error_bad_array") from None
    if not isinstance(array, np.ndarray):  # An .npz archive of several arrays.
        raise ImageError("layers_error_bad_array")
    if array.dtype == np.bool_ or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise ImageError("image_error_array_type", dtype=str(array.dtype), expected=expected)
    shape = array.shape
    if array.ndim == 4 and shape[0] == 1:
        array = array[0]
    if array.ndim == 2 and input_shape[2] == 1:
        array = array[..., np.newaxis]
    if array.ndim == 3 and array.shape[:2] == tuple(input_shape[:2]) and array.shape[2] != input_shape[2]:
        raise ImageError("inspection_error_channels", got=array.shape[2], expected=input_shape[2])
    if array.shape != tuple(input_shape):
        raise ImageError("image_error_array_shape", got=str(tuple(shape)), expected=expected)
    values = array.astype(np.float64)
    not_finite = int(np.count_nonzero(~np.isfinite(values)))
    if not_finite:
        raise ImageError("image_error_array_not_finite", count=not_finite)
    scale = 255.0 if np.issubdtype(array.dtype, np.integer) or values.max(initial=0.0) > 1.0 else 1.0
    return PreparedImage(pixels=np.clip(values / scale, 0.0, 1.0).astype(np.float32))
