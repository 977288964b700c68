"""Why did the model say that? Explanation maps for any backend's models behind one call.

Each backend computes the maps (core.backends.protocol.Backend.explanation_maps): Keras
through tf-keras-vis, torch through pytorch-grad-cam (saliency and SmoothGrad by
autograd). `METHODS` is the one table the page, the command line and the tests read: a
new method is one line there and one line in each backend's EXPLAINERS table.

A map is (height, width) in [0, 1] at the input's size: 1 where the method says the
evidence for the class is.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core import inspection, pictures
from core.i18n import TranslatableError

# SmoothGrad (Smilkov et al. 2017): gradients averaged over noisy copies; noise as a
# fraction of the input's range, the paper's 10-20%.
SMOOTHGRAD_SAMPLES = 20
SMOOTHGRAD_NOISE = 0.2


@dataclass(frozen=True)
class Method:
    title: str  # i18n key
    needs_convolution: bool  # class activation maps weigh a convolution's feature maps
    options: dict = field(default_factory=dict)  # what every backend's implementation is told


METHODS: dict[str, Method] = {
    "gradcam_plus_plus": Method("explain_method_gradcam_plus_plus", True),
    "gradcam": Method("explain_method_gradcam", True),
    "scorecam": Method("explain_method_scorecam", True),
    "saliency": Method("explain_method_saliency", False, {"samples": 0}),
    "smoothgrad": Method("explain_method_smoothgrad", False, {"samples": SMOOTHGRAD_SAMPLES, "noise": SMOOTHGRAD_NOISE}),
}
DEFAULT_METHOD = "gradcam_plus_plus"
# What a model without convolution gets instead.
NO_CONVOLUTION_METHOD = "saliency"


@dataclass
class Explanation:
    maps: np.ndarray  # (count, height, width) float32 in [0, 1]
    class_indices: np.ndarray  # the class each map explains
    probabilities: np.ndarray  # (count, classes): the model's answers
    method: str
    layer: str | None  # the convolution weighed; None for gradient methods


def get_method(name: str) -> Method:
    if name not in METHODS:
        raise TranslatableError("explain_error_unknown_method", name=name, valid=", ".join(METHODS))
    return METHODS[name]


def explain(loaded, images: np.ndarray, method: str = DEFAULT_METHOD, layer: str | None = None, classes=None) -> Explanation:
    """Maps of `method` for float32 NHWC `images` in [0, 1]. `layer` (CAM methods): the
    convolution to weigh, the last one by default. `classes`: one class index for all
    images, one per image, or None for the predicted class."""
    spec = get_method(method)
    images = np.asarray(images, dtype=np.float32)
    inspection.check_images(loaded, images)
    layer = _cam_layer(loaded, layer) if spec.needs_convolution else None
    probabilities = loaded.predict(images)
    class_indices = _class_indices(classes, probabilities, len(loaded.class_names))
    maps = loaded.backend.explanation_maps(loaded.model, method, images, class_indices, layer, spec.options)
    maps = np.nan_to_num(np.asarray(maps, dtype=np.float32), nan=0.0).reshape(len(images), *images.shape[1:3])
    return Explanation(maps, class_indices, probabilities, method, layer)


def _cam_layer(loaded, layer: str | None) -> str:
    """The convolution a CAM weighs: it must exist and have a (height, width, channels) output."""
    if layer is None:
        return inspection.last_convolution(loaded)
    chosen = inspection.layer(loaded, layer)
    if len(chosen.output_shape) != 3:
        raise TranslatableError("explain_error_layer_not_spatial", name=layer, valid=", ".join(spatial_layers(loaded)))
    return layer


def spatial_layers(loaded) -> list[str]:
    """Layers whose output is a stack of feature maps: the ones a CAM can weigh."""
    return [item.name for item in inspection.layers(loaded) if len(item.output_shape) == 3]


def _class_indices(classes, probabilities: np.ndarray, class_count: int) -> np.ndarray:
    if classes is None:
        return probabilities.argmax(axis=1)
    indices = np.broadcast_to(np.asarray(classes, dtype=np.int64), (len(probabilities),)).copy()
    wrong = indices[(indices < 0) | (indices >= class_count)]
    if len(wrong):
        raise TranslatableError("explain_error_unknown_class", index=int(wrong[0]), count=class_count)
    return indices


# Reading maps -----------------------------------------------------------------------


def overlay(image: np.ndarray, explanation_map: np.ndarray, opacity: float = 0.5) -> np.ndarray:
    """The map in colour (jet: red is strong evidence, blue none) over the image, as uint8
    RGB; `opacity` 0 shows only the image, 1 only the map."""
    if not 0.0 <= opacity <= 1.0:
        raise ValueError(f"opacity must be from 0 to 1, got {opacity}")
    image = np.asarray(image, dtype=np.float32)
    if image.max() > 1.0:
        image = pictures.as_float(image)
    if image.ndim == 2 or image.shape[-1] == 1:
        image = np.repeat(image.reshape(*image.shape[:2], 1), 3, axis=2)
    blended = (1.0 - opacity) * np.clip(image, 0, 1) + opacity * pictures.jet(explanation_map)
    return pictures.as_uint8(blended)


def top_region(explanation_map: np.ndarray, fraction: float = 0.1) -> np.ndarray:
    """The pixels holding the map's highest `fraction` of values (ties broken by order)."""
    count = max(1, int(round(fraction * explanation_map.size)))
    region = np.zeros(explanation_map.size, dtype=bool)
    region[np.argsort(explanation_map, axis=None)[::-1][:count]] = True
    return region.reshape(explanation_map.shape)


def region_iou(explanation_map: np.ndarray, mask: np.ndarray, fraction: float = 0.1) -> float:
    """Intersection over union of the map's top `fraction` with a boolean `mask`."""
    region = top_region(explanation_map, fraction)
    union = np.logical_or(region, mask).sum()
    return float(np.logical_and(region, mask).sum() / union) if union else 0.0


def test_image_indices(labels: np.ndarray, predictions: np.ndarray, misclassified: bool, count: int, start: int = 0) -> np.ndarray:
    """Which test images to explain: `count` of them from position `start`, among the
    misclassified ones only when asked."""
    candidates = np.flatnonzero(labels != predictions) if misclassified else np.arange(len(labels))
    return candidates[start : start + count]
