"""An interactive convolution: a grey image, a 3x3 kernel, the output and the sliding window.

What deep-learning frameworks call a convolution is a cross-correlation: the kernel is
not flipped, output[i, j] = sum over (u, v) of input[i + u, j + v] × kernel[u, v]. This
module computes exactly that, so what a student sees here is what a Conv2D does.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core import pictures
from core.i18n import TranslatableError

KERNEL_SIZE = 3
# Preset kernels by i18n-free id; their names are the i18n keys layers_kernel_<id>.
KERNEL_PRESETS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "sobel_x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel_y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "blur": [[1 / 9] * 3] * 3,
    "gaussian": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
}
PADDINGS = ("valid", "same")
# Larger values are surely a typing slip, and would only saturate the picture.
MAX_KERNEL_VALUE = 1000.0


def preset(name: str) -> np.ndarray:
    if name not in KERNEL_PRESETS:
        raise ValueError(f"unknown kernel {name!r}; valid: {', '.join(KERNEL_PRESETS)}")
    return np.array(KERNEL_PRESETS[name], dtype=np.float64)


def check_kernel(values) -> np.ndarray:
    """A 3x3 float kernel from any table of numbers (a list of rows, an array, the data
    editor's frame); TranslatableError for a wrong shape, an empty cell or a non-number."""
    rows = values.to_numpy().tolist() if hasattr(values, "to_numpy") else values
    try:
        rows = [list(row) for row in rows]
    except TypeError:
        raise TranslatableError("layers_error_kernel_shape", size=KERNEL_SIZE) from None
    if len(rows) != KERNEL_SIZE or any(len(row) != KERNEL_SIZE for row in rows):
        raise TranslatableError("layers_error_kernel_shape", size=KERNEL_SIZE)
    kernel = np.zeros((KERNEL_SIZE, KERNEL_SIZE))
    for row_index, row in enumerate(rows):
        for column_index, value in enumerate(row):
            position = f"{row_index + 1}, {column_index + 1}"
            if value is None or (isinstance(value, str) and not value.strip()):
                raise TranslatableError("layers_error_kernel_empty", position=position)
            try:
                number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
            except (TypeError, ValueError):
                raise TranslatableError("layers_error_kernel_not_number", position=position, value=value) from None
            if math.isnan(number):
                raise TranslatableError("layers_error_kernel_empty", position=position)
            if not math.isfinite(number) or abs(number) > MAX_KERNEL_VALUE:
                raise TranslatableError("layers_error_kernel_too_large", position=position, limit=f"{MAX_KERNEL_VALUE:g}")
            kernel[row_index, column_index] = number
    return kernel


def _check_image(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image, dtype=np.float64)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    if image.ndim != 2 or min(image.shape) < KERNEL_SIZE:
        raise ValueError(f"expected a grey image of at least {KERNEL_SIZE}x{KERNEL_SIZE} pixels, got shape {image.shape}")
    return image


def padded(image: np.ndarray, padding: str) -> np.ndarray:
    """The image the kernel slides over: itself ("valid") or framed by zeros ("same")."""
    if padding not in PADDINGS:
        raise ValueError(f"unknown padding {padding!r}; valid: {', '.join(PADDINGS)}")
    image = _check_image(image)
    return np.pad(image, KERNEL_SIZE // 2) if padding == "same" else image


def correlate(image: np.ndarray, kernel: np.ndarray, padding: str = "valid") -> np.ndarray:
    """The output of the 3x3 kernel over a grey image (cross-correlation, as Conv2D computes):
    (H-2, W-2) with "valid", (H, W) with "same" (zeros around the image)."""
    from scipy import signal

    return signal.correlate2d(padded(image, padding), check_kernel(kernel), mode="valid")


def output_size(image: np.ndarray, padding: str) -> tuple[int, int]:
    rows, columns = padded(image, padding).shape
    return rows - KERNEL_SIZE + 1, columns - KERNEL_SIZE + 1


@dataclass(frozen=True)
class Window:
    """One step of the sliding window: the pixels under the kernel, their products with it and the sum."""

    row: int
    column: int
    pixels: np.ndarray  # (3, 3) inputs under the kernel (zeros outside the image with "same")
    products: np.ndarray  # pixels × kernel, element by element
    total: float  # the output pixel at (row, column)


def window(image: np.ndarray, kernel: np.ndarray, row: int, column: int, padding: str = "valid") -> Window:
    """What the kernel sees to compute output pixel (row, column)."""
    rows, columns = output_size(image, padding)
    if not (0 <= row < rows and 0 <= column < columns):
        raise ValueError(f"output position ({row}, {column}) is outside the {rows}x{columns} output")
    kernel = check_kernel(kernel)
    pixels = padded(image, padding)[row : row + KERNEL_SIZE, column : column + KERNEL_SIZE]
    products = pixels * kernel
    return Window(row, column, pixels, products, float(products.sum()))


def to_unit(values: np.ndarray) -> np.ndarray:
    """Any array scaled to [0, 1] for display (a constant array is mid-grey)."""
    return pictures.unit_range(values, flat=0.5)


def highlight(image: np.ndarray, row: int, column: int, size: int, scale: int, colour=(230, 40, 40)) -> np.ndarray:
    """A grey image in [0, 1] enlarged `scale` times as RGB uint8, with a `size`-pixel square
    outlined from (row, column): the window on the input, or the pixel it gives on the output."""
    image = _check_image(image) if np.ndim(image) != 2 else np.asarray(image, dtype=np.float64)
    grey = pictures.as_uint8(image, rounding="down")
    picture = pictures.enlarge_by(np.stack([grey] * 3, axis=-1), scale)
    top, left = row * scale, column * scale
    bottom, right = min(picture.shape[0], (row + size) * scale) - 1, min(picture.shape[1], (column + size) * scale) - 1
    thickness = max(1, scale // 4)
    for offset in range(thickness):
        picture[top + offset, left : right + 1] = colour
        picture[bottom - offset, left : right + 1] = colour
        picture[top : bottom + 1, left + offset] = colour
        picture[top : bottom + 1, right - offset] = colour
    return picture


# Images to try the kernel on, by source id (i18n keys layers_conv_source_<id>).
SAMPLE_SOURCES = ("digit", "shape")
UPLOAD_SIZE = 32


def sample_image(source: str, index: int) -> np.ndarray:
    """A grey image in [0, 1]: scikit-learn digit number `index` (8x8), or generated shape of
    class `index` modulo 10 (32x32, its brightness)."""
    if source == "digit":
        from core.data import digits

        pool = digits.load_digits()
        return pool.images[index % len(pool.images), :, :, 0].astype(np.float64)
    if source == "shape":
        from core.data import generated

        pool = generated.load_shapes(count_per_class=1, seed=index // len(generated.SHAPE_CLASSES), image_size=UPLOAD_SIZE)
        colour = pool.images[index % len(generated.SHAPE_CLASSES)].astype(np.float64)
        return colour @ np.array([0.299, 0.587, 0.114])
    raise ValueError(f"unknown image source {source!r}; valid: {', '.join(SAMPLE_SOURCES)}")


def uploaded_image(data: bytes) -> np.ndarray:
    """An uploaded file as a grey UPLOAD_SIZE square in [0, 1]; core.images.ImageError when it is no image."""
    from core import images

    return images.prepare(data, (UPLOAD_SIZE, UPLOAD_SIZE, 1), "photo").pixels[..., 0].astype(np.float64)
