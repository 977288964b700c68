"""Enrichment (course 001, tasks 9 and 10): a student's own images added to a dataset's classes.

An enrichment set is a folder `<artifacts>/enrichments/<run id>/<class index>/<n>.png` of
source images already prepared to the run's input size. Each source image yields the
variants of VARIANTS (flip, rotations, shift, zoom, brightness), so a student sees how
the new training images were made. A retrain adds sources and variants to the training
split only: the test split stays the original one, so test figures remain comparable.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core import config, pictures
from core.runs import store


def _flip(image):
    from PIL import ImageOps

    return ImageOps.mirror(image)


def _rotate(degrees: float):
    def rotate(image):
        from PIL import Image

        return image.rotate(degrees, resample=Image.Resampling.BILINEAR, fillcolor=_corner_colour(image))

    return rotate


def _shift(image):
    from PIL import ImageChops

    width, height = image.size
    return ImageChops.offset(image, max(1, width // 10), max(1, height // 10))


def _zoom(image):
    from PIL import Image

    width, height = image.size
    margin_x, margin_y = max(1, width // 8), max(1, height // 8)
    return image.crop((margin_x, margin_y, width - margin_x, height - margin_y)).resize((width, height), Image.Resampling.BILINEAR)


def _brightness(factor: float):
    def change(image):
        from PIL import ImageEnhance

        return ImageEnhance.Brightness(image).enhance(factor)

    return change


def _corner_colour(image):
    return image.getpixel((0, 0))


# Variant name -> transformation of a PIL image; "original" is the source itself.
VARIANTS = {
    "original": lambda image: image,
    "flip": _flip,
    "rotate_minus_15": _rotate(-15),
    "rotate_plus_15": _rotate(15),
    "shift": _shift,
    "zoom": _zoom,
    "brighter": _brightness(1.3),
    "darker": _brightness(0.7),
}


def _to_image(pixels: np.ndarray):
    from PIL import Image

    array = pictures.as_uint8(pixels)
    return Image.fromarray(array[..., 0] if array.shape[-1] == 1 else array)


def _to_pixels(image, channels: int) -> np.ndarray:
    array = pictures.as_float(image)
    return array[..., np.newaxis] if channels == 1 else array


def variants(pixels: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(name, pixels) of every variant of one prepared image (h, w, channels) in [0, 1]."""
    image = _to_image(pixels)
    return [(name, _to_pixels(transform(image), pixels.shape[-1])) for name, transform in VARIANTS.items()]


def set_folder(run_id: str) -> Path:
    """The enrichment set made for a run; run ids are generated, never typed by a user."""
    if not re.fullmatch(r"[\w.-]+", run_id):
        raise ValueError(f"not a run id: {run_id!r}")
    return store.enrichment_dir(run_id)


def add_image(folder: Path, class_index: int, pixels: np.ndarray) -> Path:
    """Save a prepared source image under its class; returns its path."""
    class_folder = folder / str(int(class_index))
    class_folder.mkdir(parents=True, exist_ok=True)
    number = 1 + max((int(path.stem) for path in class_folder.glob("*.png") if path.stem.isdigit()), default=0)
    path = class_folder / f"{number}.png"
    temporary = class_folder / f".{number}.png.tmp"
    _to_image(pixels).save(temporary, format="PNG")
    os.replace(temporary, path)
    return path


def remove_image(path: Path) -> None:
    path.unlink(missing_ok=True)


@dataclass
class Source:
    path: Path
    class_index: int
    pixels: np.ndarray  # (h, w, channels) float32 in [0, 1]


def sources(folder: Path, channels: int) -> list[Source]:
    """The source images of a set, by class then number."""
    from PIL import Image

    found = []
    if not folder.is_dir():
        return found
    for class_folder in sorted((path for path in folder.iterdir() if path.is_dir() and path.name.isdigit()), key=lambda path: int(path.name)):
        for path in sorted(class_folder.glob("*.png"), key=lambda path: int(path.stem) if path.stem.isdigit() else 0):
            with Image.open(path) as image:
                image = image.convert("L" if channels == 1 else "RGB")
                found.append(Source(path, int(class_folder.name), _to_pixels(image, channels)))
    return found


@dataclass
class EnrichedImages:
    images: np.ndarray  # (count, h, w, channels) float32
    labels: np.ndarray  # int64
    source_numbers: np.ndarray  # which source each image came from (index into sources)
    variant_names: list[str]


def expand(found: list[Source]) -> EnrichedImages:
    """Every source with all its variants, as arrays."""
    images, labels, numbers, names = [], [], [], []
    for number, source in enumerate(found):
        for name, pixels in variants(source.pixels):
            images.append(pixels)
            labels.append(source.class_index)
            numbers.append(number)
            names.append(name)
    if not images:
        return EnrichedImages(np.zeros((0, 1, 1, 1), np.float32), np.zeros(0, np.int64), np.zeros(0, np.int64), [])
    return EnrichedImages(np.stack(images).astype(np.float32), np.asarray(labels, np.int64), np.asarray(numbers, np.int64), names)


def check_set(folder: str) -> Path:
    """Before a run is queued: `folder` is an enrichment set the Enrich page made (under
    <artifacts>/enrichments/, with an image), once `..` and links are resolved; returns it
    resolved, or raises a TranslatableError that says no more about the path."""
    from core.i18n import TranslatableError

    refused = TranslatableError("enrichment_error_not_a_set", path=str(folder))
    try:
        resolved = Path(folder).expanduser().resolve()
        sets = (config.runs_dir().parent / store.ENRICHMENTS_DIR).resolve()
    except (OSError, RuntimeError, ValueError):
        raise refused from None
    if resolved.parent != sets or not resolved.is_dir():
        raise refused
    if not any(class_folder.is_dir() and class_folder.name.isdigit() and any(class_folder.glob("*.png")) for class_folder in resolved.iterdir()):
        raise refused
    return resolved


def load_for_training(folder: str | Path, input_shape: tuple, class_count: int) -> EnrichedImages:
    """The set as extra training images for a model of `input_shape`; a
    core.i18n.TranslatableError (the worker stores its key) when it is gone or does not fit."""
    from core.i18n import TranslatableError

    folder = Path(folder)
    if not folder.is_dir():
        raise TranslatableError("enrichment_error_gone", path=str(folder))
    refused = TranslatableError("enrichment_error_not_a_set", path=str(folder))
    try:
        found = sources(folder, input_shape[-1])
    except (OSError, ValueError):  # A file named .png that is no image.
        raise refused from None
    if not found:
        raise refused
    enriched = expand(found)
    if enriched.images.shape[1:] != tuple(input_shape):
        images, dataset = ("×".join(map(str, shape)) for shape in (enriched.images.shape[1:], input_shape))
        raise TranslatableError("enrichment_error_shape", images=images, dataset=dataset)
    if enriched.labels.max() >= class_count:
        raise TranslatableError("enrichment_error_classes", label=int(enriched.labels.max()), count=class_count)
    return enriched


def evaluate(model, enriched: EnrichedImages, class_names: list[str]):
    """The model on every image of the set: a pandas DataFrame, one row per image."""
    import pandas

    probabilities = model.predict(enriched.images) if len(enriched.labels) else np.zeros((0, len(class_names)))
    predictions = probabilities.argmax(1) if len(probabilities) else np.zeros(0, np.int64)
    return pandas.DataFrame(
        {
            "source": enriched.source_numbers + 1,
            "variant": enriched.variant_names,
            "true": [class_names[label] for label in enriched.labels],
            "predicted": [class_names[prediction] for prediction in predictions],
            "confidence": probabilities[np.arange(len(predictions)), predictions] if len(predictions) else [],
            "correct": predictions == enriched.labels,
        }
    )
