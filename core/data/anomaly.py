"""Anomaly-detection datasets (project 000 P3): defect-free images to learn from, test
images good or defective, and the defects' masks.

Two sources:
- a category folder in MVTec AD's layout (`train/good/*.png`, `test/<defect>/*.png`,
  `ground_truth/<defect>/<name>_mask.png`) or AutoVI's (the same, with each mask a
  folder `ground_truth/<defect>/<name>/*.png` whose regions are joined);
- generated textures in three categories with generated scratches, holes and stains and
  their masks, made from a seed: the offline default.

Images are decoded one at a time and resized to image_size × image_size (masks with the
nearest neighbour, so they stay 0 or 1). Errors a user can act on are AnomalyDataError,
whose key is an i18n key in core.i18n.strings_anomaly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core import images, pictures
from core.i18n import TranslatableError
from core.images import MAX_PIXELS

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
GOOD = "good"
TEXTURE_CATEGORIES = ("weave", "dots", "stripes")
GREY_TEXTURES = ("stripes",)  # Colorization has nothing to learn there.
DEFECT_KINDS = ("scratch", "hole", "stain")


def defect_labels(defect_types) -> np.ndarray:
    """1 for each defective test image, 0 for each good one."""
    return (np.asarray(defect_types) != GOOD).astype(np.int64)


class AnomalyDataError(TranslatableError):
    """A folder cannot become an anomaly dataset; `key` is the i18n key of the message."""


@dataclass
class AnomalySet:
    """Good training images and labelled test images of one category, at one size."""

    category: str
    source: str
    train: np.ndarray  # (n, size, size, channels) float32 in [0, 1], defect-free
    test: np.ndarray  # (m, size, size, channels)
    defect_types: list[str]  # per test image: "good" or the defect's folder name
    masks: np.ndarray  # (m, size, size) float32 0/1; all zero for good images
    # Defect types whose masks are missing: pixel metrics leave those images out.
    unmasked: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said to the user (sizes resized, ...)

    @property
    def labels(self) -> np.ndarray:
        """1 for a defective test image, 0 for a good one."""
        return defect_labels(self.defect_types)

    @property
    def grey(self) -> bool:
        """One channel: colorization has no colour to learn here."""
        return self.train.shape[-1] == 1

    @property
    def has_defects(self) -> bool:
        return bool(self.labels.any())

    @property
    def has_good_tests(self) -> bool:
        return not bool(self.labels.all())

    def as_pool(self):
        """The images as a labelled pool (good training, good test, each defect type), for
        previews that show a dataset class by class."""
        from core.data import ImagePool

        names = ["good (train)", *dict.fromkeys(f"{kind} (test)" for kind in self.defect_types)]
        labels = [0] * len(self.train) + [names.index(f"{kind} (test)") for kind in self.defect_types]
        return ImagePool(images=np.concatenate([self.train, self.test]), labels=np.asarray(labels, np.int64), class_names=names, source=self.source)

    @property
    def pixel_metrics(self) -> bool:
        """Pixel-level scores need at least one masked defective image."""
        return any(kind != GOOD and kind not in self.unmasked for kind in self.defect_types)


def _images(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.is_file() and path.suffix.lower() in IMAGE_EXTENSIONS)


GREY_MODES = ("L", "1", "I", "I;16", "LA")


def _open(path: Path):
    """The image file opened lazily, under core.images' one pixel limit; AnomalyDataError
    naming the file when it is too large or no image."""
    try:
        return images.open_image(path)
    except images.ImageError as error:
        if error.key.startswith("image_error_too_large"):
            raise AnomalyDataError("anomaly_error_too_large", path=str(path), limit=MAX_PIXELS // 1_000_000) from None
        raise AnomalyDataError("anomaly_error_unreadable", path=str(path)) from None


def _read(path: Path, size: int, mode: str, resample) -> tuple[np.ndarray, tuple[int, int], str]:
    """(size, size[, 3]) uint8 pixels of an image file, its original (width, height) and mode;
    AnomalyDataError naming the file when it is damaged or truncated."""
    from PIL import Image

    with _open(path) as image:
        original, original_mode = image.size, image.mode
        try:
            # A JPEG decodes straight at 1/2, 1/4 or 1/8 scale, never below size.
            image.draft(mode, (size, size))
            resized = image.convert(mode).resize((size, size), resample, reducing_gap=2.0)
        except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
            raise AnomalyDataError("anomaly_error_unreadable", path=str(path)) from None
    return np.asarray(resized), original, original_mode


def _decode(path: Path, size: int, mode: str) -> tuple[np.ndarray, tuple[int, int]]:
    """(size, size[, 3]) uint8 pixels of an image file, and its original (width, height)."""
    from PIL import Image

    pixels, original, _ = _read(path, size, mode, Image.BILINEAR)
    return pixels, original


def _is_grey(paths: list[Path], probe: int = 4) -> bool:
    """Whether the category is grey: a few training images decoded in colour have equal channels."""
    from PIL import Image

    grey = True
    for path in paths[:probe]:
        # Each probe is decoded, so a damaged file is named here, before a run is queued.
        pixels, _, mode = _read(path, 64, "RGB", Image.BILINEAR)
        if mode in GREY_MODES:
            continue
        pixels = pixels.astype(np.int16)
        if np.abs(pixels[..., 0] - pixels[..., 1]).max() > 2 or np.abs(pixels[..., 1] - pixels[..., 2]).max() > 2:
            grey = False
    return grey


def _mask(ground_truth: Path, defect: str, image: Path, size: int) -> np.ndarray | None:
    """The image's mask, 0/1 at `size`: MVTec's <name>_mask.png or AutoVI's <name>/*.png
    (joined); None when there is none."""
    from PIL import Image

    single = ground_truth / defect / f"{image.stem}_mask.png"
    parts = [single] if single.is_file() else _images(ground_truth / defect / image.stem)
    if not parts:
        return None
    with _open(image) as picture:
        image_size = picture.size
    mask = np.zeros((size, size), dtype=np.float32)
    for part in parts:
        with _open(part) as picture:
            mask_size = picture.size
        if mask_size != image_size:  # Resized alike, it would mark the wrong pixels.
            raise AnomalyDataError("anomaly_error_mask_size", path=str(part), mask_size="x".join(map(str, mask_size)), image_size="x".join(map(str, image_size)))
        pixels, _, _ = _read(part, size, "L", Image.NEAREST)
        mask = np.maximum(mask, (pixels > 127).astype(np.float32))
    return mask


def scan_category(path: str) -> dict[str, int]:
    """Image counts per folder (train good, then each test type), from file names alone.
    AnomalyDataError when the path is empty, missing, or has no train/good images."""
    if not path or not path.strip():
        raise AnomalyDataError("anomaly_error_no_path")
    root = Path(path).expanduser()
    if not root.is_dir():
        raise AnomalyDataError("anomaly_error_not_a_folder", path=str(root))
    train = _images(root / "train" / GOOD)
    if not train:
        raise AnomalyDataError("anomaly_error_no_train_good", path=str(root))
    counts = {"train/good": len(train)}
    test_root = root / "test"
    for folder in sorted(test_root.iterdir()) if test_root.is_dir() else []:
        if images := _images(folder):
            counts[f"test/{folder.name}"] = len(images)
    if len(counts) == 1:
        raise AnomalyDataError("anomaly_error_no_test", path=str(root))
    return counts


def is_grey_category(path: str) -> bool:
    """Whether a category folder's training images are grey (colorization cannot apply)."""
    scan_category(path)
    return _is_grey(_images(Path(path).expanduser() / "train" / GOOD))


def load_category(path: str, image_size: int = 128) -> AnomalySet:
    """A category folder (MVTec AD or AutoVI layout) at image_size × image_size."""
    scan_category(path)
    root = Path(path).expanduser()
    train_paths = _images(root / "train" / GOOD)
    grey = _is_grey(train_paths)
    mode = "L" if grey else "RGB"
    sizes: set[tuple[int, int]] = set()

    def decoded(paths: list[Path]) -> np.ndarray:
        images = []
        for image_path in paths:
            pixels, original = _decode(image_path, image_size, mode)
            sizes.add(original)
            images.append(pixels)
        array = pictures.as_float(np.stack(images))
        return array[..., np.newaxis] if grey else array

    train = decoded(train_paths)
    test_paths, defect_types, masks, unmasked = [], [], [], []
    for folder in sorted((root / "test").iterdir()):
        paths = _images(folder) if folder.is_dir() else []
        for image_path in paths:
            mask = None if folder.name == GOOD else _mask(root / "ground_truth", folder.name, image_path, image_size)
            if folder.name != GOOD and mask is None and folder.name not in unmasked:
                unmasked.append(folder.name)
            test_paths.append(image_path)
            defect_types.append(folder.name)
            masks.append(np.zeros((image_size, image_size), np.float32) if mask is None else mask)
    test = decoded(test_paths)
    notes = []
    if len(sizes) > 1:
        shown = ", ".join(f"{width}x{height}" for width, height in sorted(sizes))
        notes.append(f"images of {len(sizes)} sizes ({shown}): all resized to {image_size}x{image_size}")
    if unmasked:
        notes.append(f"no masks for {', '.join(unmasked)}: pixel metrics leave those images out")
    return AnomalySet(
        category=root.name, source=f"{root} ({len(train_paths)} good training images, {len(test_paths)} test images)",
        train=train, test=test, defect_types=defect_types, masks=np.stack(masks), unmasked=unmasked, notes=notes,
    )


# Generated textures ----------------------------------------------------------------


def _texture(category: str, size: int, generator: np.random.Generator) -> np.ndarray:
    """One defect-free (size, size, 3) texture in [0, 1], with its category's pattern at a
    random phase and a little noise, so no two are alike."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    phase_x, phase_y = generator.uniform(0, 2 * np.pi, 2)
    if category == "weave":
        # Crossed threads: two sine gratings multiplied, warm brown.
        pattern = 0.5 + 0.25 * np.sin(2 * np.pi * 8 * x + phase_x) * np.sin(2 * np.pi * 8 * y + phase_y) + 0.15 * np.sin(2 * np.pi * 8 * x + phase_x)
        colour = np.array([0.75, 0.55, 0.35], np.float32)
    elif category == "dots":
        # A lattice of round dots on a blue-grey ground.
        cell_x = (x * 6 + phase_x / (2 * np.pi)) % 1.0 - 0.5
        cell_y = (y * 6 + phase_y / (2 * np.pi)) % 1.0 - 0.5
        pattern = 0.35 + 0.5 * (cell_x**2 + cell_y**2 < 0.08)
        colour = np.array([0.55, 0.65, 0.8], np.float32)
    elif category == "stripes":
        # Diagonal stripes, grey: the category where colorization has nothing to learn.
        pattern = 0.5 + 0.3 * np.sign(np.sin(2 * np.pi * 5 * (x + y) + phase_x))
        colour = np.array([1.0, 1.0, 1.0], np.float32)
    else:
        raise ValueError(f"unknown texture {category!r}; valid: {', '.join(TEXTURE_CATEGORIES)}")
    noise = generator.normal(0.0, 0.03, (size, size)).astype(np.float32)
    return np.clip((pattern + noise)[..., np.newaxis] * colour, 0.0, 1.0)


def _defect(image: np.ndarray, kind: str, generator: np.random.Generator, grey: bool) -> tuple[np.ndarray, np.ndarray]:
    """The image with one defect of `kind` at a random place, and its 0/1 mask."""
    size = image.shape[0]
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    centre_x, centre_y = generator.uniform(0.2 * size, 0.8 * size, 2)
    if kind == "scratch":
        # A thin straight line: pixels within 1.2 px of a segment through the centre.
        angle = generator.uniform(0, np.pi)
        length = generator.uniform(0.25, 0.45) * size
        along = (x - centre_x) * np.cos(angle) + (y - centre_y) * np.sin(angle)
        across = -(x - centre_x) * np.sin(angle) + (y - centre_y) * np.cos(angle)
        mask = (np.abs(across) <= 1.2) & (np.abs(along) <= length / 2)
        value = np.full(3, 0.95 if generator.random() < 0.5 else 0.05, np.float32)
    elif kind == "hole":
        radius = generator.uniform(0.05, 0.1) * size
        mask = (x - centre_x) ** 2 + (y - centre_y) ** 2 <= radius**2
        value = np.zeros(3, np.float32)
    elif kind == "stain":
        # An irregular blob: an ellipse with a wobbling edge, in an odd colour.
        radius_x, radius_y = generator.uniform(0.06, 0.12, 2) * size
        angle = np.arctan2(y - centre_y, x - centre_x)
        wobble = 1 + 0.2 * np.sin(3 * angle + generator.uniform(0, 2 * np.pi))
        mask = ((x - centre_x) / radius_x) ** 2 + ((y - centre_y) / radius_y) ** 2 <= wobble**2
        value = np.array([0.45, 0.45, 0.45] if grey else [0.2, 0.55, 0.15], np.float32)
    else:
        raise ValueError(f"unknown defect {kind!r}; valid: {', '.join(DEFECT_KINDS)}")
    damaged = image.copy()
    # Half-transparent: the texture shows through, as it would under a real stain.
    blend = 1.0 if kind != "stain" else 0.75
    damaged[mask] = (1 - blend) * damaged[mask] + blend * value[: image.shape[-1]]
    return damaged, mask.astype(np.float32)


def make_textures(category: str, train_count: int = 120, good_tests: int = 30, defects_per_kind: int = 15, size: int = 64, seed: int = 0) -> AnomalySet:
    """A generated category: good training textures, good test ones, and `defects_per_kind`
    test images of each kind of defect, with masks. The same seed gives the same set."""
    if category not in TEXTURE_CATEGORIES:
        raise ValueError(f"unknown texture {category!r}; valid: {', '.join(TEXTURE_CATEGORIES)}")
    generator = np.random.default_rng([seed, TEXTURE_CATEGORIES.index(category)])
    grey = category in GREY_TEXTURES
    channels = 1 if grey else 3

    def textures(count: int) -> np.ndarray:
        return np.stack([_texture(category, size, generator)[..., :channels] for _ in range(count)]) if count else np.zeros((0, size, size, channels), np.float32)

    train = textures(train_count)
    test, defect_types, masks = list(textures(good_tests)), [GOOD] * good_tests, [np.zeros((size, size), np.float32)] * good_tests
    for kind in DEFECT_KINDS:
        for _ in range(defects_per_kind):
            damaged, mask = _defect(_texture(category, size, generator)[..., :channels], kind, generator, grey)
            test.append(damaged)
            defect_types.append(kind)
            masks.append(mask)
    return AnomalySet(
        category=category, source=f"generated {category} textures (seed {seed}, {size}x{size})",
        train=train.astype(np.float32), test=np.stack(test).astype(np.float32), defect_types=defect_types, masks=np.stack(masks),
    )
