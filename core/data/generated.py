"""Datasets drawn on the fly, for projects that must work offline: deterministic for a seed.

- `load_shapes`: a CIFAR-10 stand-in, ten kinds of light coloured shape on dark,
  textured, cluttered backgrounds. Position, size, colour and rotation vary, so a
  small CNN does clearly better than a dense network (73% against 35% after 5 epochs),
  and neither reaches 100%.
- `load_paintings`: an Art Challenge stand-in, abstract "paintings" in five
  recognisable styles, each randomised (colours, counts, positions) on canvas texture.

Images are drawn with PIL at twice their size, then halved, so edges are smooth.
"""
from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from core import pictures
from core.data import ImagePool

SHAPE_CLASSES = [
    "circle", "square", "triangle", "star", "cross",
    "ring", "horizontal stripes", "vertical stripes", "diamond", "crescent",
]
PAINTING_CLASSES = [
    "Mondrian-like grid", "Pollock-like drips", "Rothko-like fields",
    "Kandinsky-like circles", "Van Gogh-like swirls",
]
# Drawn at this multiple of the final size, then reduced: anti-aliasing for free.
OVERSAMPLING = 2


def _check_arguments(count_per_class: int, image_size: int) -> None:
    if count_per_class < 1:
        raise ValueError(f"count_per_class must be at least 1, got {count_per_class}")
    if not 16 <= image_size <= 256:
        raise ValueError(f"image_size must be 16 to 256 pixels, got {image_size}")


def _interpolation_matrix(cells: int, size: int) -> np.ndarray:
    """(size, cells) weights that enlarge `cells` values to `size` by linear interpolation."""
    positions = np.clip((np.arange(size) + 0.5) * cells / size - 0.5, 0, cells - 1)
    return np.stack([np.interp(positions, np.arange(cells), np.eye(cells)[cell]) for cell in range(cells)], axis=1)


def _smooth_noise(rng: np.random.Generator, count: int, size: int, cells: int) -> np.ndarray:
    """(count, size, size, 3) low-frequency noise in [-1, 1]: a coarse random grid, enlarged."""
    coarse = rng.uniform(-1, 1, size=(count, cells, cells, 3)).astype(np.float32)
    enlarge = _interpolation_matrix(cells, size).astype(np.float32)
    return np.einsum("yi,nijc,xj->nyxc", enlarge, coarse, enlarge, optimize=True)


def _per_image(rng: np.random.Generator, low: float, high: float, count: int) -> np.ndarray:
    """One uniform value per image, shaped to scale (count, height, width, channels) arrays."""
    return rng.uniform(low, high, size=(count, 1, 1, 1)).astype(np.float32)


def _reduce(canvas: Image.Image, image_size: int) -> np.ndarray:
    """The canvas drawn at OVERSAMPLING times the size, averaged down: float RGB 0-255."""
    return np.asarray(canvas.resize((image_size, image_size), Image.BOX), dtype=np.float32)


def _add_noise(images: np.ndarray, rng: np.random.Generator, deviations: tuple[float, float]) -> np.ndarray:
    """Per-pixel noise, its strength drawn per image, on images scaled to [0, 1]; float32."""
    noisy = images / 255.0 + _per_image(rng, *deviations, len(images)) * rng.standard_normal(images.shape, dtype=np.float32)
    return np.clip(noisy, 0.0, 1.0, out=noisy)


# Shapes ----------------------------------------------------------------------------


def _transform(points, radius: float, angle: float, centre: tuple[float, float]) -> list[tuple[float, float]]:
    """Unit-shape points scaled, rotated by `angle` radians and moved to `centre`."""
    cosine, sine = math.cos(angle), math.sin(angle)
    return [
        (centre[0] + radius * (x * cosine - y * sine), centre[1] + radius * (x * sine + y * cosine))
        for x, y in points
    ]


def _star_points(inner: float) -> list[tuple[float, float]]:
    radii = [1.0 if corner % 2 == 0 else inner for corner in range(10)]
    angles = [math.pi * corner / 5 - math.pi / 2 for corner in range(10)]
    return [(radius * math.cos(angle), radius * math.sin(angle)) for radius, angle in zip(radii, angles)]


def _cross_points(half_width: float) -> list[tuple[float, float]]:
    arm = half_width
    return [
        (-arm, -1), (arm, -1), (arm, -arm), (1, -arm), (1, arm), (arm, arm),
        (arm, 1), (-arm, 1), (-arm, arm), (-1, arm), (-1, -arm), (-arm, -arm),
    ]


def _stripe_polygons(bar_count: int, fill: float) -> list[list[tuple[float, float]]]:
    """Horizontal bars filling `fill` of the unit square's height."""
    pitch = 2.0 / bar_count
    half_bar = pitch * fill / 2
    return [
        [(-0.9, middle - half_bar), (0.9, middle - half_bar), (0.9, middle + half_bar), (-0.9, middle + half_bar)]
        for middle in (-1 + pitch * (index + 0.5) for index in range(bar_count))
    ]


def _shape_alpha(class_index: int, rng: np.random.Generator, image_size: int) -> np.ndarray:
    """Shape `class_index` at a random size, place and angle: its coverage, (size, size) in [0, 1]."""
    canvas_size = image_size * OVERSAMPLING
    mask = Image.new("L", (canvas_size, canvas_size), 0)
    draw = ImageDraw.Draw(mask)
    radius = rng.uniform(0.2, 0.38) * canvas_size
    margin = radius * 0.85
    centre = (rng.uniform(margin, canvas_size - margin), rng.uniform(margin, canvas_size - margin))
    x, y = centre
    any_angle = rng.uniform(0, 2 * math.pi)
    # Squares, stripes and diamonds only tilt a little: turned 45 or 90 degrees they
    # would become one another.
    tilt = rng.uniform(-0.3, 0.3)
    name = SHAPE_CLASSES[class_index]

    def disc(scale_x: float, scale_y: float, offset=(0.0, 0.0), fill=255):
        left, top = x + offset[0] - radius * scale_x, y + offset[1] - radius * scale_y
        draw.ellipse([left, top, left + 2 * radius * scale_x, top + 2 * radius * scale_y], fill=fill)

    if name == "circle":
        squash = rng.uniform(0.85, 1.0)
        if rng.random() < 0.5:
            disc(squash, 1.0)
        else:
            disc(1.0, squash)
    elif name == "ring":
        disc(1.0, 1.0)
        disc(rng.uniform(0.5, 0.7), rng.uniform(0.5, 0.7), fill=0)
    elif name == "crescent":
        disc(1.0, 1.0)
        shift = rng.uniform(0.35, 0.55) * radius
        disc(0.95, 0.95, offset=(shift * math.cos(any_angle), shift * math.sin(any_angle)), fill=0)
    elif name == "square":
        side = rng.uniform(0.7, 0.8)
        draw.polygon(_transform([(-side, -side), (side, -side), (side, side), (-side, side)], radius, tilt, centre), fill=255)
    elif name == "diamond":
        width = rng.uniform(0.5, 0.7)
        draw.polygon(_transform([(0, -1), (width, 0), (0, 1), (-width, 0)], radius, tilt, centre), fill=255)
    elif name == "triangle":
        corners = [(math.cos(a), math.sin(a)) for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)]
        draw.polygon(_transform(corners, radius, any_angle, centre), fill=255)
    elif name == "star":
        draw.polygon(_transform(_star_points(rng.uniform(0.38, 0.5)), radius, any_angle, centre), fill=255)
    elif name == "cross":
        draw.polygon(_transform(_cross_points(rng.uniform(0.22, 0.34)), radius, any_angle, centre), fill=255)
    else:  # Stripes: vertical ones are horizontal ones turned a quarter.
        quarter = math.pi / 2 if name == "vertical stripes" else 0.0
        for bar in _stripe_polygons(int(rng.integers(3, 5)), rng.uniform(0.4, 0.6)):
            draw.polygon(_transform(bar, radius, quarter + tilt, centre), fill=255)
    return pictures.as_float(mask.resize((image_size, image_size), Image.BOX))


# Each channel of a background is below this; of a shape, above 255 minus this.
DARK_MOST = 80


def _colour_pairs(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """A background and a shape colour per image (RGB 0-255): any hues, but a dark
    background and a light shape, so the shape always stands out. With either one
    light at random, a dense network stayed near chance (14% against 68% for a CNN)."""
    dark = rng.uniform(0, DARK_MOST, size=(count, 3)).astype(np.float32)
    light = rng.uniform(255 - DARK_MOST, 255, size=(count, 3)).astype(np.float32)
    return dark, light


# Clutter per image: up to this many items under the shape, and up to this many over it.
CLUTTER_UNDER, CLUTTER_OVER = 3, 1


def _clutter(rng: np.random.Generator, count: int, image_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Small lines, dots and arcs, drawn at the final size: things a model must learn to ignore.

    Each item is drawn with its own number, which then picks its colour; numbers above
    CLUTTER_UNDER go over the shape. Returns (count, size, size, 3) colours and the
    (count, size, size) numbers, 0 where there is no clutter.
    """
    numbers = np.zeros((count, image_size, image_size), dtype=np.uint8)
    for image in range(count):
        canvas = Image.new("L", (image_size, image_size), 0)
        draw = ImageDraw.Draw(canvas)
        under, over = int(rng.integers(1, CLUTTER_UNDER + 1)), int(rng.integers(0, CLUTTER_OVER + 1))
        items = [*range(1, under + 1), *range(CLUTTER_UNDER + 1, CLUTTER_UNDER + over + 1)]
        kinds = rng.integers(0, 3, size=len(items))
        places = rng.uniform(0, image_size, size=(len(items), 2))
        sizes = rng.uniform(0.04, 0.14, size=len(items)) * image_size
        angles = rng.uniform(0, 360, size=(len(items), 2))
        for item, kind, (x, y), size, (angle, sweep) in zip(items, kinds, places.tolist(), sizes.tolist(), angles.tolist()):
            if kind == 0:
                direction = math.radians(angle)
                draw.line([(x, y), (x + 2 * size * math.cos(direction), y + 2 * size * math.sin(direction))], fill=item)
            elif kind == 1:
                draw.ellipse([x - size / 2, y - size / 2, x + size / 2, y + size / 2], fill=item)
            else:
                draw.arc([x - size, y - size, x + size, y + size], angle, angle + 60 + sweep / 2.5, fill=item)
        numbers[image] = np.asarray(canvas)
    palette = rng.integers(0, 256, size=(count, CLUTTER_UNDER + CLUTTER_OVER + 1, 3)).astype(np.float32)
    return palette[np.arange(count)[:, np.newaxis, np.newaxis], numbers], numbers


def _shapes_of_one_class(class_index: int, count: int, rng: np.random.Generator, image_size: int) -> np.ndarray:
    # A tinted, uneven background: a colour, a gradient and blotches.
    background_colours, shape_colours = _colour_pairs(rng, count)
    ramp = np.linspace(-1, 1, image_size, dtype=np.float32)
    directions = rng.uniform(0, 2 * math.pi, size=count).astype(np.float32)
    gradients = (
        np.cos(directions)[:, np.newaxis, np.newaxis] * ramp[np.newaxis, np.newaxis, :]
        + np.sin(directions)[:, np.newaxis, np.newaxis] * ramp[np.newaxis, :, np.newaxis]
    )
    images = (
        background_colours[:, np.newaxis, np.newaxis, :]
        + _per_image(rng, 10, 35, count) * gradients[..., np.newaxis]
        + _per_image(rng, 5, 30, count) * _smooth_noise(rng, count, image_size, 4)
    )
    clutter_colours, clutter_numbers = _clutter(rng, count, image_size)
    under = ((clutter_numbers > 0) & (clutter_numbers <= CLUTTER_UNDER))[..., np.newaxis]
    images = np.where(under, clutter_colours, images)

    alphas = np.stack([_shape_alpha(class_index, rng, image_size) for _ in range(count)])[..., np.newaxis]
    # The shape is shaded too, so its colour is not one flat value.
    shaded = shape_colours[:, np.newaxis, np.newaxis, :] + _per_image(rng, 5, 30, count) * _smooth_noise(rng, count, image_size, 3)
    images = images * (1 - alphas) + shaded * alphas

    # Clutter over the shape: shapes are sometimes partly hidden.
    over = (clutter_numbers > CLUTTER_UNDER)[..., np.newaxis]
    images = np.where(over, clutter_colours, np.clip(images, 0, 255))
    return _add_noise(images, rng, (0.02, 0.05))


def _generated_pool(class_names, make_class, count_per_class: int, seed: int, image_size: int, description: str) -> ImagePool:
    """One seeded generator draws every class in turn, so a seed always gives the same set."""
    _check_arguments(count_per_class, image_size)
    rng = np.random.default_rng(seed)
    images = np.concatenate([make_class(class_index, count_per_class, rng, image_size) for class_index in range(len(class_names))])
    labels = np.repeat(np.arange(len(class_names), dtype=np.int64), count_per_class)
    return ImagePool(
        images=images,
        labels=labels,
        class_names=list(class_names),
        source=f"generated {description} (seed {seed}, {len(labels):,} images, {image_size}x{image_size})",
    )


def load_shapes(count_per_class: int = 600, seed: int = 0, image_size: int = 32) -> ImagePool:
    """Ten classes of coloured shapes, RGB `image_size` squared, rows sorted by class."""
    return _generated_pool(SHAPE_CLASSES, _shapes_of_one_class, count_per_class, seed, image_size, "coloured shapes")


# Paintings ------------------------------------------------------------------------


def _colour(rng: np.random.Generator) -> tuple[int, int, int]:
    return tuple(int(value) for value in rng.integers(0, 256, size=3))


def _jitter(rng: np.random.Generator, colour, amount: int = 25) -> tuple[int, int, int]:
    return tuple(int(np.clip(value + rng.integers(-amount, amount + 1), 0, 255)) for value in colour)


def _canvas_texture(rng: np.random.Generator, count: int, image_size: int) -> np.ndarray:
    """Woven canvas: a fine criss-cross grain plus uneven priming, around 0 (RGB units)."""
    positions = np.arange(image_size, dtype=np.float32)
    periods = rng.uniform(3.0, 5.0, size=(count, 1)).astype(np.float32)
    threads = np.sin(2 * math.pi * positions / periods)  # (count, size)
    weave = threads[:, :, np.newaxis] * threads[:, np.newaxis, :]
    return (
        _per_image(rng, 4, 10, count) * weave[..., np.newaxis]
        + _per_image(rng, 4, 12, count) * _smooth_noise(rng, count, image_size, 5)
    )


def _mondrian(rng: np.random.Generator, size: int) -> Image.Image:
    """Black lines across an off-white ground, a few cells filled with primaries."""
    canvas = Image.new("RGB", (size, size), _jitter(rng, (238, 234, 222), 12))
    draw = ImageDraw.Draw(canvas)
    columns = sorted(rng.uniform(0.1, 0.9, size=int(rng.integers(2, 5))) * size)
    rows = sorted(rng.uniform(0.1, 0.9, size=int(rng.integers(2, 5))) * size)
    xs, ys = [0.0, *columns, float(size)], [0.0, *rows, float(size)]
    primaries = [(200, 30, 35), (25, 55, 150), (245, 205, 40), (20, 20, 20)]
    for _ in range(int(rng.integers(2, 5))):
        column, row = int(rng.integers(0, len(xs) - 1)), int(rng.integers(0, len(ys) - 1))
        colour = _jitter(rng, primaries[int(rng.integers(0, len(primaries)))], 20)
        draw.rectangle([xs[column], ys[row], xs[column + 1], ys[row + 1]], fill=colour)
    line_width = int(rng.integers(2, 5)) * OVERSAMPLING
    for x in columns:
        draw.line([(x, 0), (x, size)], fill=(15, 15, 15), width=line_width)
    for y in rows:
        draw.line([(0, y), (size, y)], fill=(15, 15, 15), width=line_width)
    return canvas


def _pollock(rng: np.random.Generator, size: int) -> Image.Image:
    """Tangled drips and splatter in a few colours, on a light or a dark ground."""
    ground = (int(rng.integers(180, 235)),) * 3 if rng.random() < 0.5 else (int(rng.integers(20, 60)),) * 3
    canvas = Image.new("RGB", (size, size), _jitter(rng, ground, 20))
    draw = ImageDraw.Draw(canvas)
    palette = [_colour(rng) for _ in range(int(rng.integers(3, 6)))]
    # Dripped lines: random walks whose heading wanders.
    drip_count, step_count = int(rng.integers(10, 20)), int(rng.integers(8, 20))
    headings = rng.uniform(0, 2 * math.pi, size=(drip_count, 1)) + np.cumsum(rng.normal(0, 0.8, size=(drip_count, step_count)), axis=1)
    steps = rng.uniform(2, 7, size=(drip_count, step_count, 1)) * OVERSAMPLING * np.stack([np.cos(headings), np.sin(headings)], axis=-1)
    starts = rng.uniform(0, size, size=(drip_count, 1, 2))
    walks = np.concatenate([starts, starts + np.cumsum(steps, axis=1)], axis=1)
    colours = rng.integers(0, len(palette), size=drip_count)
    widths = rng.integers(1, 4, size=drip_count)
    for walk, colour, width in zip(walks, colours, widths):
        draw.line([tuple(point) for point in walk.tolist()], fill=palette[colour], width=int(width))
    # Splatter.
    splash_count = int(rng.integers(20, 50))
    places = rng.uniform(0, size, size=(splash_count, 2)).tolist()
    radii = (rng.uniform(0.5, 2.5, size=splash_count) * OVERSAMPLING).tolist()
    colours = rng.integers(0, len(palette), size=splash_count)
    for (x, y), radius, colour in zip(places, radii, colours):
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=palette[colour])
    return canvas


def _rothko(rng: np.random.Generator, size: int) -> Image.Image:
    """Two or three soft-edged fields stacked on a ground of a related colour."""
    ground = _colour(rng)
    canvas = Image.new("RGB", (size, size), ground)
    draw = ImageDraw.Draw(canvas)
    band_count = int(rng.integers(2, 4))
    margin = rng.uniform(0.06, 0.12) * size
    gap = rng.uniform(0.03, 0.07) * size
    height = (size - 2 * margin - (band_count - 1) * gap) / band_count
    for band in range(band_count):
        top = margin + band * (height + gap)
        # Fields keep the ground's mood: near its colour rather than any colour.
        draw.rectangle([margin, top, size - margin, top + height], fill=_jitter(rng, ground, 90))
    return canvas.filter(ImageFilter.GaussianBlur(rng.uniform(1.5, 3.0) * OVERSAMPLING))


def _kandinsky(rng: np.random.Generator, size: int) -> Image.Image:
    """Outlined concentric circles and thin straight lines on a cream ground."""
    canvas = Image.new("RGB", (size, size), _jitter(rng, (225, 215, 190), 25))
    draw = ImageDraw.Draw(canvas)
    for _ in range(int(rng.integers(4, 9))):  # Concentric circles.
        x, y = rng.uniform(0, size, size=2)
        radius = rng.uniform(0.06, 0.22) * size
        for ring in range(int(rng.integers(1, 4))):
            ring_radius = radius * (1 - ring * 0.3)
            draw.ellipse(
                [x - ring_radius, y - ring_radius, x + ring_radius, y + ring_radius],
                fill=_colour(rng), outline=(20, 20, 20), width=OVERSAMPLING,
            )
    for _ in range(int(rng.integers(2, 5))):  # A few straight lines across.
        start, end = rng.uniform(0, size, size=2), rng.uniform(0, size, size=2)
        draw.line([tuple(start), tuple(end)], fill=(20, 20, 20), width=int(rng.integers(1, 3)) * OVERSAMPLING)
    return canvas


VAN_GOGH_BLUES = np.array([(30, 50, 120), (50, 90, 170), (90, 130, 200), (20, 35, 80)])
VAN_GOGH_YELLOWS = np.array([(240, 200, 60), (250, 230, 120), (220, 160, 40)])


def _van_gogh(rng: np.random.Generator, size: int) -> Image.Image:
    """Dense short blue strokes whirling around yellow centres."""
    canvas = Image.new("RGB", (size, size), _jitter(rng, VAN_GOGH_BLUES[0], 20))
    draw = ImageDraw.Draw(canvas)
    # Short strokes turning around a few whirl centres: each along the circle
    # through it about its nearest centre.
    centres = rng.uniform(0, size, size=(int(rng.integers(1, 4)), 2))
    stroke_count = int(rng.integers(220, 320))
    points = rng.uniform(0, size, size=(stroke_count, 2))
    offsets = points[:, np.newaxis, :] - centres[np.newaxis, :, :]
    distances = np.linalg.norm(offsets, axis=2)
    nearest = np.argmin(distances, axis=1)
    offset = offsets[np.arange(stroke_count), nearest]
    distance = distances[np.arange(stroke_count), nearest]
    tangents = np.stack([-offset[:, 1], offset[:, 0]], axis=1) / (distance[:, np.newaxis] + 1e-6)
    half_strokes = tangents * rng.uniform(2, 5, size=(stroke_count, 1)) * OVERSAMPLING
    # Yellow near the centres, a few yellow touches elsewhere.
    yellow = (distance < 0.15 * size) | (rng.random(stroke_count) < 0.15)
    colours = np.where(
        yellow[:, np.newaxis],
        VAN_GOGH_YELLOWS[rng.integers(0, len(VAN_GOGH_YELLOWS), size=stroke_count)],
        VAN_GOGH_BLUES[rng.integers(0, len(VAN_GOGH_BLUES), size=stroke_count)],
    )
    colours = np.clip(colours + rng.integers(-20, 21, size=(stroke_count, 3)), 0, 255)
    widths = rng.integers(1, 3, size=stroke_count) * OVERSAMPLING
    starts, ends = (points - half_strokes).tolist(), (points + half_strokes).tolist()
    for start, end, colour, width in zip(starts, ends, colours.tolist(), widths.tolist()):
        draw.line([tuple(start), tuple(end)], fill=tuple(colour), width=width)
    return canvas


PAINTERS = [_mondrian, _pollock, _rothko, _kandinsky, _van_gogh]


def _paintings_of_one_style(class_index: int, count: int, rng: np.random.Generator, image_size: int) -> np.ndarray:
    canvas_size = image_size * OVERSAMPLING
    painted = np.stack([_reduce(PAINTERS[class_index](rng, canvas_size), image_size) for _ in range(count)])
    textured = np.clip(painted + _canvas_texture(rng, count, image_size), 0, 255)
    return _add_noise(textured, rng, (0.01, 0.04))


def load_paintings(count_per_class: int = 300, seed: int = 0, image_size: int = 64) -> ImagePool:
    """Five painting styles, RGB `image_size` squared, rows sorted by class."""
    return _generated_pool(PAINTING_CLASSES, _paintings_of_one_style, count_per_class, seed, image_size, f"abstract paintings in {len(PAINTING_CLASSES)} styles")


# Patches: a check for explanation methods ------------------------------------------

PATCH_CLASSES = ["horizontal bars", "vertical bars", "checkerboard", "ring"]
PATCH_SIZE = 10  # pixels; about a tenth of a 32×32 image, the region an explanation is judged on


def _patch_pattern(class_index: int) -> np.ndarray:
    """The PATCH_SIZE² pattern (1 bright, 0 dark) that decides the class."""
    rows, columns = np.mgrid[:PATCH_SIZE, :PATCH_SIZE]
    if class_index == 0:
        return ((rows // 2) % 2 == 0).astype(np.float32)
    if class_index == 1:
        return ((columns // 2) % 2 == 0).astype(np.float32)
    if class_index == 2:
        return (((rows // 2) + (columns // 2)) % 2 == 0).astype(np.float32)
    edge = np.minimum(np.minimum(rows, columns), np.minimum(PATCH_SIZE - 1 - rows, PATCH_SIZE - 1 - columns))
    return (edge < 2).astype(np.float32)


def make_patches(count_per_class: int = 300, seed: int = 0, image_size: int = 32) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Images whose class is decided only by a small patterned patch at a random, known
    place on a textured background: (images float32 NHWC, labels, masks bool NHW of the
    patch). An explanation of a model that learnt the task should point at the mask."""
    _check_arguments(count_per_class, image_size)
    rng = np.random.default_rng(seed)
    count = count_per_class * len(PATCH_CLASSES)
    labels = np.repeat(np.arange(len(PATCH_CLASSES)), count_per_class)
    # A soft coloured background with fine noise: texture everywhere, no class in it.
    images = 0.45 + 0.2 * _smooth_noise(rng, count, image_size, 6) + rng.normal(0, 0.06, size=(count, image_size, image_size, 3)).astype(np.float32)
    masks = np.zeros((count, image_size, image_size), dtype=bool)
    tops = rng.integers(0, image_size - PATCH_SIZE + 1, size=count)
    lefts = rng.integers(0, image_size - PATCH_SIZE + 1, size=count)
    for index, (label, top, left) in enumerate(zip(labels, tops, lefts)):
        window = (slice(top, top + PATCH_SIZE), slice(left, left + PATCH_SIZE))
        pattern = _patch_pattern(int(label))[..., np.newaxis]
        colour = rng.uniform(0.7, 1.0, size=3).astype(np.float32)
        images[index][window] = pattern * colour + (1 - pattern) * 0.05
        masks[index][window] = True
    return np.clip(images, 0.0, 1.0).astype(np.float32), labels.astype(np.int64), masks


def load_patches(count_per_class: int = 300, seed: int = 0, image_size: int = 32) -> ImagePool:
    """make_patches as a dataset (the masks are for tests and benchmarks)."""
    images, labels, _ = make_patches(count_per_class, seed, image_size)
    return ImagePool(images, labels, list(PATCH_CLASSES), "generated patches")
