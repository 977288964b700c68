"""Pretext-task models for anomaly detection (project 000 P3), in Keras.

Each model learns, from defect-free images only, to rebuild an image from a corrupted
view of it; where it cannot rebuild a test image, something there is unlike anything it
learnt. One convolutional encoder-decoder serves the four tasks:
- `autoencoder`: the image through a narrow bottleneck, no shortcut (the baseline);
- `colorization`: the grey image in, the colour image out (U-Net shortcuts);
- `inpainting`: random rectangles hidden, the whole image out (U-Net shortcuts);
- `mae`: a random share of small square patches hidden (masked autoencoder).
The hidden pixels come in as zeros with a mask channel beside them. To rebuild a whole
test image, the masked tasks run a few passes that together hide every patch once.
"""
from __future__ import annotations

import numpy as np

from core import frameworks

# The masked autoencoder first, the default: the only task above image AUROC 0.9 on every
# generated category (benchmarks/anomaly.py); colorization cannot take grey ones.
TASKS = ("mae", "colorization", "inpainting", "autoencoder")
MASKED_TASKS = ("inpainting", "mae")
# Passes that hide every patch once when a whole test image is rebuilt: each hides half,
# as the masked autoencoder's default ratio does while it learns.
SCORING_PASSES = 2
# Half these widths' cost is in the full-size decoder layers: 32-64-128 took 5 s a pass over
# 100 images of 256x256 on 2 cores, 16-32-64 takes 2 s.
FILTERS = (16, 32, 64)


def patch_size(task: str, image_size: int) -> int:
    """The side of a hidden square: small for the masked autoencoder (16 a side), an eighth
    of the image for inpainting's scoring passes."""
    return max(2, image_size // 16) if task == "mae" else max(2, image_size // 8)


def check_size(image_size: int) -> None:
    if image_size % 8:
        from core import hyperparams
        from core.i18n import TranslatableError

        raise TranslatableError("anomaly_error_image_size", field=hyperparams.field_name("image_size"), image_size=image_size)


def input_channels(task: str, channels: int) -> int:
    if task == "colorization":
        return 1
    return channels + 1 if task in MASKED_TASKS else channels


def build(task: str, image_size: int, channels: int, parameters=None):
    """The encoder-decoder for `task` on (image_size, image_size, channels) images."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; valid: {', '.join(TASKS)}")
    check_size(image_size)
    keras = frameworks.keras()
    layers = keras.layers
    if parameters is not None:
        keras.utils.set_random_seed(parameters.seed)
    inputs = keras.Input((image_size, image_size, input_channels(task, channels)), name="corrupted")
    features, shortcuts = inputs, []
    for number, filters in enumerate(FILTERS, start=1):
        features = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"encoder_conv_{number}")(features)
        shortcuts.append(features)
        features = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu", name=f"encoder_down_{number}")(features)
    if task == "autoencoder":
        # A narrow code: with room to copy, an autoencoder rebuilds defects too.
        features = layers.Conv2D(16, 1, activation="relu", name="bottleneck")(features)
    for number, (filters, shortcut) in enumerate(zip(reversed(FILTERS), reversed(shortcuts)), start=1):
        features = layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu", name=f"decoder_up_{number}")(features)
        if task != "autoencoder":
            features = layers.Concatenate(name=f"shortcut_{number}")([features, shortcut])
        features = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"decoder_conv_{number}")(features)
    outputs = layers.Conv2D(channels, 1, activation="sigmoid", name="rebuilt")(features)
    return keras.Model(inputs, outputs, name=task)


def builder(task: str):
    """A model-table builder (input_shape, class_count, parameters, warn) for `task`."""

    def build_task(input_shape: tuple, class_count: int, parameters, warn=print):
        return build(task, int(input_shape[0]), int(input_shape[2]), parameters)

    build_task.__name__ = f"build_{task}"
    return build_task


# The pretext tasks (project anomaly), trained by core.kinds.anomaly_detection.train.
MODELS = {task: builder(task) for task in TASKS}


def grey(images: np.ndarray) -> np.ndarray:
    """(n, h, w, 1) luminance of colour images (ITU-R 601 weights)."""
    if images.shape[-1] == 1:
        return images
    return (images @ np.array([0.299, 0.587, 0.114], np.float32))[..., np.newaxis].astype(np.float32)


def rectangle_masks(count: int, size: int, generator: np.random.Generator) -> np.ndarray:
    """(count, size, size) 0/1: one to three rectangles of 1/8 to 1/3 of the side each."""
    masks = np.zeros((count, size, size), np.float32)
    for mask in masks:
        for _ in range(generator.integers(1, 4)):
            height, width = generator.integers(size // 8, size // 3 + 1, 2)
            top, left = generator.integers(0, size - height + 1), generator.integers(0, size - width + 1)
            mask[top : top + height, left : left + width] = 1.0
    return masks


def patch_masks(count: int, size: int, patch: int, ratio: float, generator: np.random.Generator) -> np.ndarray:
    """(count, size, size) 0/1: `ratio` of the patch×patch squares hidden at random."""
    cells = size // patch
    hidden = round(ratio * cells * cells)
    masks = np.zeros((count, cells * cells), np.float32)
    for mask in masks:
        mask[generator.permutation(cells * cells)[:hidden]] = 1.0
    return np.repeat(np.repeat(masks.reshape(count, cells, cells), patch, axis=1), patch, axis=2)


def corrupt(task: str, images: np.ndarray, masks: np.ndarray | None = None) -> np.ndarray:
    """The model's input for `images`: grey, or hidden pixels zeroed beside the mask channel."""
    if task == "colorization":
        return grey(images)
    if task in MASKED_TASKS:
        return np.concatenate([images * (1 - masks[..., np.newaxis]), masks[..., np.newaxis]], axis=-1).astype(np.float32)
    return images


def training_batches(task: str, images: np.ndarray, parameters, patch: int):
    """A keras PyDataset: shuffled batches, freshly corrupted at every epoch."""
    keras = frameworks.keras()

    class Batches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.generator = np.random.default_rng(parameters.seed)
            self.order = self.generator.permutation(len(images))

        def __len__(self):
            return -(-len(images) // parameters.batch_size)

        def __getitem__(self, index):
            batch = images[self.order[index * parameters.batch_size : (index + 1) * parameters.batch_size]]
            masks = None
            if task == "inpainting":
                masks = rectangle_masks(len(batch), batch.shape[1], self.generator)
            elif task == "mae":
                masks = patch_masks(len(batch), batch.shape[1], patch, parameters.mask_ratio, self.generator)
            return corrupt(task, batch, masks), batch

        def on_epoch_end(self):
            self.order = self.generator.permutation(len(images))

    return Batches()


def scoring_masks(size: int, patch: int, seed: int = 0) -> np.ndarray:
    """(SCORING_PASSES, size, size) 0/1 masks that together hide every patch exactly once."""
    cells = size // patch
    groups = np.random.default_rng(seed).permutation(cells * cells) % SCORING_PASSES
    masks = np.stack([(groups == number).astype(np.float32) for number in range(SCORING_PASSES)]).reshape(SCORING_PASSES, cells, cells)
    return np.repeat(np.repeat(masks, patch, axis=1), patch, axis=2)


def reconstruct(model, task: str, images: np.ndarray, patch: int, batch_size: int = 32) -> np.ndarray:
    """The model's rebuilding of whole images: one pass, or for a masked task one pass per
    scoring mask, each hidden part taken from the pass that hid it."""
    images = np.asarray(images, np.float32)

    def run(inputs: np.ndarray) -> np.ndarray:
        return model.predict(inputs, batch_size=batch_size, verbose=0)

    if task not in MASKED_TASKS:
        return run(corrupt(task, images))
    rebuilt = np.zeros_like(images)
    for mask in scoring_masks(images.shape[1], patch):
        masks = np.broadcast_to(mask, images.shape[:3])
        rebuilt += run(corrupt(task, images, masks)) * mask[np.newaxis, ..., np.newaxis]
    return rebuilt
