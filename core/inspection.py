"""A finished run's layers, whatever its backend: names, kinds, output shapes, parameter
counts, and the output of any layer for a batch of images.

Images are float32 NHWC in [0, 1] (the datasets' layout); every backend returns outputs
channels last (core.backends.protocol), so views never ask which framework made a model.
"""
from __future__ import annotations

import numpy as np

from core.backends.protocol import CONVOLUTION_KINDS, Layer  # noqa: F401  (the views' names for them)
from core.i18n import TranslatableError

# Layers that do nothing at inference, or only feed data in: never a useful feature layer.
_PASS_THROUGH_KINDS = ("InputLayer", "Dropout", "RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom")


def layers(loaded) -> list[Layer]:
    """The model's layers in forward order, the input excluded."""
    cached = loaded.__dict__.get("_inspection_layers")
    if cached is None:
        cached = loaded.backend.layers(loaded.model, loaded.input_shape)
        loaded.__dict__["_inspection_layers"] = cached
    return cached


def layer(loaded, name: str) -> Layer:
    """The layer called `name`; a TranslatableError listing the valid names otherwise."""
    for candidate in layers(loaded):
        if candidate.name == name:
            return candidate
    raise TranslatableError("inspection_error_unknown_layer", name=name, valid=", ".join(item.name for item in layers(loaded)))


def convolution_layers(loaded) -> list[str]:
    return [item.name for item in layers(loaded) if item.is_convolution]


def last_convolution(loaded) -> str:
    """The last convolution: where CAM methods look by default."""
    names = convolution_layers(loaded)
    if not names:
        raise TranslatableError("inspection_error_no_convolution")
    return names[-1]


def penultimate_layer(loaded) -> str:
    """The layer whose output feeds the classifier (the last layer): the model's learnt
    features, skipping layers that change nothing at inference (dropout)."""
    candidates = [item for item in layers(loaded)[:-1] if item.kind not in _PASS_THROUGH_KINDS]
    if not candidates:
        return layers(loaded)[-1].name
    return candidates[-1].name


def check_images(loaded, images: np.ndarray) -> None:
    """A TranslatableError unless `images` is a batch the model takes (N, H, W, C)."""
    expected = tuple(loaded.input_shape)
    shape = tuple(np.shape(images))
    if len(shape) != 4 or shape[1:3] != expected[:2]:
        raise TranslatableError("inspection_error_image_shape", got="×".join(map(str, shape[1:])), expected="×".join(map(str, expected)))
    if shape[3] != expected[2]:
        raise TranslatableError("inspection_error_channels", got=shape[3], expected=expected[2])


def layer_outputs(loaded, name: str, images: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """The output of layer `name` for `images`, channels last."""
    check_images(loaded, images)
    layer(loaded, name)
    return loaded.backend.layer_outputs(loaded.model, name, np.asarray(images, dtype=np.float32), batch_size)
