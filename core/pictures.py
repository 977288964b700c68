"""Small picture helpers shared by core and the pages: pixel scales, nearest-neighbour
enlarging, image grids and the jet colour map (NumPy only)."""
from __future__ import annotations

import numpy as np

ROUNDINGS = ("nearest", "down")


def as_uint8(images: np.ndarray, rounding: str = "nearest") -> np.ndarray:
    """Float images in [0, 1] as uint8 0-255, values outside [0, 1] clipped; `rounding`
    "nearest" rounds (as eval/ keeps images), "down" truncates (as the display pictures do)."""
    if rounding not in ROUNDINGS:
        raise ValueError(f"rounding must be one of {', '.join(ROUNDINGS)}, got {rounding!r}")
    scaled = np.clip(images, 0.0, 1.0) * 255
    return (np.round(scaled) if rounding == "nearest" else scaled).astype(np.uint8)


def as_float(images: np.ndarray) -> np.ndarray:
    """uint8 images 0-255 (or anything array-like on that scale) as float32 in [0, 1]."""
    return np.divide(np.asarray(images), 255.0, dtype=np.float32)


def enlarge_by(images: np.ndarray, factor: int, row_axis: int = 0) -> np.ndarray:
    """Nearest-neighbour upscaling: every pixel becomes a `factor` × `factor` block. The
    rows are axis `row_axis` and the columns the next one (1 for a batch (n, h, w[, c]))."""
    if factor < 1:
        raise ValueError(f"factor must be at least 1, got {factor}")
    return np.repeat(np.repeat(images, factor, axis=row_axis), factor, axis=row_axis + 1)


def enlarge(image: np.ndarray, size: int = 112) -> np.ndarray:
    """An (h, w[, c]) image in [0, 1] or uint8 enlarged without blur by the largest whole
    factor that keeps it within `size` pixels (at least 1), as uint8 for display."""
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    enlarged = enlarge_by(image, max(1, size // max(image.shape[:2])))
    return enlarged if enlarged.dtype == np.uint8 else as_uint8(enlarged, rounding="down")


def mosaic(images: np.ndarray, columns: int = 8, cell: int = 48, gap: int = 2) -> np.ndarray:
    """A grid of (n, h, w[, 1 or 3]) images in [0, 1], each enlarged without blur to about
    `cell` pixels, as one uint8 RGB picture on a white background, filled row by row."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4 or images.shape[3] not in (1, 3) or len(images) == 0:
        raise ValueError(f"expected (count, height, width[, 1 or 3]) images, got {images.shape}")
    if images.shape[3] == 1:
        images = np.repeat(images, 3, axis=3)
    images = enlarge_by(images, max(1, cell // max(images.shape[1:3])), row_axis=1)
    count, height, width, _ = images.shape
    columns = max(1, min(columns, count))
    rows = -(-count // columns)
    canvas = np.ones((rows * (height + gap) - gap, columns * (width + gap) - gap, 3), dtype=np.float32)
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        canvas[row * (height + gap) : row * (height + gap) + height, column * (width + gap) : column * (width + gap) + width] = image
    return as_uint8(canvas, rounding="down")


def jet(values: np.ndarray) -> np.ndarray:
    """The jet colour map of values in [0, 1] (clipped), as float RGB with a last axis of 3:
    piecewise-linear ramps from dark blue to dark red (matplotlib's jet, without matplotlib)."""
    values = np.clip(np.asarray(values, dtype=np.float32), 0, 1)[..., np.newaxis]
    centres = np.array([3.0, 2.0, 1.0], dtype=np.float32)  # Where red, green and blue peak, in quarters.
    return np.clip(1.5 - np.abs(4.0 * values - centres), 0, 1)


def unit_range(values: np.ndarray, axis=None, flat: float = 0.0) -> np.ndarray:
    """Values min-max scaled to [0, 1] for display, over `axis` (None: the whole array;
    (1, 2): each map of a (count, height, width) stack on its own). A constant part
    becomes `flat`."""
    values = np.asarray(values, dtype=np.float32)
    low = values.min(axis=axis, keepdims=True)
    spread = values.max(axis=axis, keepdims=True) - low
    return np.where(spread > 1e-12, (values - low) / np.maximum(spread, 1e-12), flat).astype(np.float32)
