"""Activation maximisation: the input image that excites one channel (or one unit) of a layer most.

Keras models go through tf-keras-vis (`ActivationMaximization`, its total-variation and
norm regularisers, jitter); torch models through a short regularised gradient ascent
written here (L2 and total variation, jitter), on the layer's output caught by a forward
hook. Both start from the same grey, slightly noisy image and keep pixels in [0, 1], the
range every model here is trained on. Several channels are optimised at once, one
image per channel in a batch.
"""
from __future__ import annotations

import numpy as np

from core import inspection
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
    if loaded.description["backend"] == "keras":
        return _keras_maximise(loaded, layer_name, channels, steps, start)
    return _torch_maximise(loaded, layer_name, channels, steps, start, seed)


def channel_scores(loaded, layer_name: str, images: np.ndarray, channels) -> np.ndarray:
    """How well image i excites channel channels[i]: the score maximisation raises, read from
    the layer's output (its positive part averaged over positions, or a unit's value)."""
    outputs = inspection.layer_outputs(loaded, layer_name, images)
    if outputs.ndim == 4:
        outputs = np.where(outputs > 0, outputs, NEGATIVE_SLOPE * outputs)
    flat = outputs.reshape(len(outputs), -1, outputs.shape[-1])
    return np.array([flat[index, :, channel].mean() for index, channel in enumerate(channels)])


# Keras ----------------------------------------------------------------------------


def _keras_visualiser(loaded, layer_name: str):
    """tf-keras-vis' maximiser on a sub-model ending at the layer, its activation made
    linear (a ReLU at zero would give no gradient); built once per layer."""
    from core import frameworks

    keras = frameworks.keras()
    from tf_keras_vis.activation_maximization import ActivationMaximization
    from tf_keras_vis.utils.model_modifiers import ReplaceToLinear

    visualisers = loaded.__dict__.setdefault("_maximisation_visualisers", {})
    if layer_name not in visualisers:
        # A functional sub-model (a reloaded model must be wrapped before ReplaceToLinear).
        model = loaded.model
        sub_model = keras.Model(model.inputs, model.get_layer(layer_name).output)
        visualisers[layer_name] = ActivationMaximization(sub_model, model_modifier=ReplaceToLinear(), clone=True)
    return visualisers[layer_name]


def _keras_maximise(loaded, layer_name: str, channels: list[int], steps: int, start: np.ndarray) -> np.ndarray:
    from core import frameworks

    keras = frameworks.keras()
    tensorflow = frameworks.tensorflow()
    from tf_keras_vis.activation_maximization.input_modifiers import Jitter
    from tf_keras_vis.activation_maximization.regularizers import Norm, TotalVariation2D

    visualiser = _keras_visualiser(loaded, layer_name)

    spatial = len(inspection.layer(loaded, layer_name).output_shape) == 3

    def score(output):
        # Image i in the batch works for channel channels[i].
        if spatial:
            output = tensorflow.nn.leaky_relu(output, alpha=NEGATIVE_SLOPE)
        flat = tensorflow.reshape(output, (tensorflow.shape(output)[0], -1, output.shape[-1]))
        return tensorflow.stack([tensorflow.reduce_mean(flat[index, :, channel]) for index, channel in enumerate(channels)])

    result = visualiser(
        score,
        seed_input=start,
        input_range=(0.0, 1.0),
        # tf-keras-vis clips only the result: clipping every step keeps the search in [0, 1].
        input_modifiers=[Jitter(jitter=jitter_for(loaded.input_shape)), lambda images: tensorflow.clip_by_value(images, 0.0, 1.0)],
        regularizers=[TotalVariation2D(weight=TOTAL_VARIATION_WEIGHT), Norm(weight=L2_WEIGHT, p=2)],
        steps=steps,
        optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
    )
    return np.clip(np.asarray(result, dtype=np.float32), 0.0, 1.0)


# torch ----------------------------------------------------------------------------


class _LayerReached(Exception):
    """Raised by the hook once the layer's output is caught: the rest of the model is not needed."""


def _torch_maximise(loaded, layer_name: str, channels: list[int], steps: int, start: np.ndarray, seed: int) -> np.ndarray:
    from core import frameworks

    torch = frameworks.torch()
    model = loaded.model
    module = dict(model.named_modules())[layer_name]
    device = next(model.parameters()).device
    generator = np.random.default_rng(seed)
    jitter = jitter_for(loaded.input_shape)
    caught = []

    def hook(_module, _inputs, output):
        caught.append(output)
        raise _LayerReached

    images = torch.from_numpy(np.ascontiguousarray(start.transpose(0, 3, 1, 2))).to(device)
    rows = torch.arange(len(channels), device=device)
    channel_index = torch.tensor(channels, device=device)
    pixel_count = float(np.prod(start.shape[1:]))
    model.eval()
    handle = module.register_forward_hook(hook)
    try:
        for _ in range(steps):
            images.requires_grad_(True)
            shift_rows, shift_columns = (int(value) for value in generator.integers(-jitter, jitter + 1, size=2))
            caught.clear()
            try:
                model(torch.roll(images, shifts=(shift_rows, shift_columns), dims=(2, 3)))
            except _LayerReached:
                pass
            output = caught[0]
            # (batch, channels, ...) -> the chosen channel of each image, positions averaged.
            chosen = output[rows, channel_index]
            if chosen.dim() == 3:
                chosen = torch.nn.functional.leaky_relu(chosen, NEGATIVE_SLOPE)
            chosen = chosen.reshape(len(channels), -1).mean(dim=1)
            centred = images - 0.5
            l2 = (centred**2).reshape(len(channels), -1).sum(dim=1) / pixel_count
            variation = ((images[:, :, 1:, :] - images[:, :, :-1, :]).abs().sum(dim=(1, 2, 3)) + (images[:, :, :, 1:] - images[:, :, :, :-1]).abs().sum(dim=(1, 2, 3))) / pixel_count
            loss = (-chosen + L2_WEIGHT * l2 + TOTAL_VARIATION_WEIGHT * variation).sum()
            (gradient,) = torch.autograd.grad(loss, images)
            with torch.no_grad():
                # A normalised step: each image moves by about LEARNING_RATE per pixel,
                # whatever the scale of its channel's activations.
                scale = gradient.abs().reshape(len(channels), -1).mean(dim=1).clamp_min(1e-12).reshape(-1, 1, 1, 1)
                images = (images - LEARNING_RATE * gradient / scale).clamp(0.0, 1.0)
    finally:
        handle.remove()
    return images.detach().cpu().numpy().transpose(0, 2, 3, 1).astype(np.float32)
