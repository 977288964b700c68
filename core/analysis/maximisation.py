"""Activation maximisation: the input image that excites one channel (or one unit) of a layer most.

Each backend does the same regularised gradient ascent (core.backends.protocol.Backend.maximise;
L2 and total variation, jitter, a step normalised per image): Keras as one compiled
TensorFlow loop on tf-keras-vis' linearised sub-model, torch on the layer's output caught
by a forward hook. Both start from the same grey, slightly noisy image and keep pixels in [0, 1], the
range every model here is trained on. Several channels are optimised at once, one
image per channel in a batch.
"""
from __future__ import annotations

import numpy as np

from core import inspection
from core.backends.protocol import AscentSettings
from core.i18n import TranslatableError

# A few seconds for 8 channels of a small CNN on two cores; enough for a clear pattern.
DEFAULT_STEPS = 100
# The most images a page asks for at once: a batch this size stays fast on the CPU.
MAX_CHANNELS = 16
# Step size in pixel units (inputs are in [0, 1]) and the regulariser weights, the same
# meaning in both frameworks: small L2 keeps pixels near grey, total variation smooth.
LEARNING_RATE = 0.05
L2_WEIGHT = 0.05
TOTAL_VARIATION_WEIGHT = 0.2
SEED_NOISE = 0.05
# Image channels are scored by their positive part, averaged over positions (a linear
# channel's plain mean only rewards a flat colour; its positive part rewards a repeated
# pattern); the small slope below zero keeps a gradient where a channel is silent.
NEGATIVE_SLOPE = 0.1


def channel_count(loaded, layer_name: str) -> int:
    """How many channels (last axis) the layer's output has: what can be maximised."""
    return int(inspection.layer(loaded, layer_name).output_shape[-1])


def _check_channels(loaded, layer_name: str, channels) -> list[int]:
    count = channel_count(loaded, layer_name)
    channels = [int(channel) for channel in channels]
    if not channels:
        raise TranslatableError("layers_error_no_channel")
    if len(channels) > MAX_CHANNELS:
        raise TranslatableError("layers_error_too_many_channels", count=len(channels), limit=MAX_CHANNELS)
    wrong = [channel for channel in channels if not 0 <= channel < count]
    if wrong:
        raise TranslatableError("layers_error_channel_range", channel=wrong[0], count=count, layer=layer_name)
    return channels


def jitter_for(input_shape) -> int:
    """Random shifts of up to 1/16 of the image (at least one pixel): an 8x8 digit moves by one."""
    return max(1, int(input_shape[0]) // 16)


def seed_images(input_shape, count: int, seed: int = 0) -> np.ndarray:
    """Grey images with a little noise: where both frameworks start."""
    generator = np.random.default_rng(seed)
    images = 0.5 + SEED_NOISE * generator.standard_normal((count, *input_shape))
    return np.clip(images, 0.0, 1.0).astype(np.float32)


def maximise(loaded, layer_name: str, channels, steps: int = DEFAULT_STEPS, seed: int = 0) -> np.ndarray:
    """One image per channel of `layer_name` (a unit for dense layers) that excites it most:
    (len(channels), H, W, C) float32 in [0, 1]."""
    channels = _check_channels(loaded, layer_name, channels)
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    start = seed_images(loaded.input_shape, len(channels), seed)
    settings = AscentSettings(steps, LEARNING_RATE, L2_WEIGHT, TOTAL_VARIATION_WEIGHT, NEGATIVE_SLOPE, jitter_for(loaded.input_shape))
    return loaded.backend.maximise(loaded.model, loaded.input_shape, layer_name, channels, start, settings, seed)


def maximise_with_silence(loaded, layer_name: str, channels, steps: int = DEFAULT_STEPS, seed: int = 0) -> tuple[np.ndarray, list[bool]]:
    """maximise, and for each channel whether it stayed silent (its tile blank or noise, as
    core.analysis.figures.silent_channels decides): what a page shows, computed in one go so
    that a cache keeps both and a rerun runs the model on neither."""
    from core.analysis import figures

    images = maximise(loaded, layer_name, channels, steps=steps, seed=seed)
    spatial = len(inspection.layer(loaded, layer_name).output_shape) == 3
    silent = figures.silent_channels(images, channel_scores(loaded, layer_name, images, channels), spatial)
    return images, [bool(flag) for flag in silent]


def channel_scores(loaded, layer_name: str, images: np.ndarray, channels) -> np.ndarray:
    """How well image i excites channel channels[i]: the score maximisation raises, read from
    the layer's output (its positive part averaged over positions, or a unit's value)."""
    outputs = inspection.layer_outputs(loaded, layer_name, images)
    if outputs.ndim == 4:
        outputs = np.where(outputs > 0, outputs, NEGATIVE_SLOPE * outputs)
    flat = outputs.reshape(len(outputs), -1, outputs.shape[-1])
    return np.array([flat[index, :, channel].mean() for index, channel in enumerate(channels)])
