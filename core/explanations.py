"""Why did the model say that? Explanation maps for Keras and torch models behind one call.

Keras models go through tf-keras-vis, torch models through pytorch-grad-cam; saliency
and SmoothGrad for torch are a few lines of autograd written here (pytorch-grad-cam has
none). `METHODS` is the one table the page, the command line and the tests read: a new
method is one line there (and one small function when a library lacks it).

A map is (height, width) in [0, 1] at the input's size: 1 where the method says the
evidence for the class is.
"""
from __future__ import annotations

import contextlib
import importlib
import io
from dataclasses import dataclass

import numpy as np

from core import frameworks, inspection
from core.analysis import figures
from core.i18n import TranslatableError

# SmoothGrad (Smilkov et al. 2017): gradients averaged over noisy copies; noise as a
# fraction of the input's range, the paper's 10-20%.
SMOOTHGRAD_SAMPLES = 20
SMOOTHGRAD_NOISE = 0.2


@dataclass(frozen=True)
class Method:
    title: str  # i18n key
    needs_convolution: bool  # class activation maps weigh a convolution's feature maps
    keras: tuple[str, str, dict]  # tf-keras-vis (module, class, call options)
    torch: tuple[str, str, dict]  # (module, class or function, options)


METHODS: dict[str, Method] = {
    "gradcam_plus_plus": Method(
        "explain_method_gradcam_plus_plus", True,
        ("tf_keras_vis.gradcam_plus_plus", "GradcamPlusPlus", {}), ("pytorch_grad_cam", "GradCAMPlusPlus", {}),
    ),
    "gradcam": Method("explain_method_gradcam", True, ("tf_keras_vis.gradcam", "Gradcam", {}), ("pytorch_grad_cam", "GradCAM", {})),
    "scorecam": Method(
        "explain_method_scorecam", True,
        ("tf_keras_vis.scorecam", "Scorecam", {"max_N": -1}), ("pytorch_grad_cam", "ScoreCAM", {}),
    ),
    "saliency": Method(
        "explain_method_saliency", False,
        ("tf_keras_vis.saliency", "Saliency", {"smooth_samples": 0}), ("core.explanations", "torch_saliency", {"samples": 0}),
    ),
    "smoothgrad": Method(
        "explain_method_smoothgrad", False,
        ("tf_keras_vis.saliency", "Saliency", {"smooth_samples": SMOOTHGRAD_SAMPLES, "smooth_noise": SMOOTHGRAD_NOISE}),
        ("core.explanations", "torch_saliency", {"samples": SMOOTHGRAD_SAMPLES, "noise": SMOOTHGRAD_NOISE}),
    ),
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
    if loaded.description["backend"] == "keras":
        maps = _keras_maps(loaded, spec, images, class_indices, layer)
    else:
        maps = _torch_maps(loaded, spec, images, class_indices, layer)
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


# Keras: tf-keras-vis -----------------------------------------------------------------


def _keras_visualizer(loaded, module_name: str, class_name: str):
    """One visualizer per model and kind, kept on the loaded model: building one clones
    the model (ReplaceToLinear must not touch the shared one), which costs more than a map."""
    cache = loaded.__dict__.setdefault("_explainers", {})
    if class_name not in cache:
        keras = frameworks.keras()
        from tf_keras_vis.utils.model_modifiers import ReplaceToLinear

        # A reloaded model must be rebuilt as a plain functional model for tf-keras-vis.
        model = keras.Model(loaded.model.inputs, loaded.model.outputs)
        visualizer_class = getattr(importlib.import_module(module_name), class_name)
        cache[class_name] = visualizer_class(model, model_modifier=ReplaceToLinear(), clone=True)
    return cache[class_name]


def _keras_maps(loaded, spec: Method, images, class_indices, layer):
    from tf_keras_vis.utils.scores import CategoricalScore

    module_name, class_name, options = spec.keras
    visualizer = _keras_visualizer(loaded, module_name, class_name)
    score = CategoricalScore(class_indices.tolist())
    # ScoreCAM predicts through keras' progress bar on stdout: not for the app's log.
    with contextlib.redirect_stdout(io.StringIO()):
        if spec.needs_convolution:
            return visualizer(score, images, penultimate_layer=layer, seek_penultimate_conv_layer=False, **options)
        return visualizer(score, images, **options)


# torch: pytorch-grad-cam, and saliency by hand ---------------------------------------------


def _torch_maps(loaded, spec: Method, images, class_indices, layer):
    torch = frameworks.torch()
    model = loaded.model
    device = next(model.parameters()).device
    tensor = torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2))).to(device)
    module_name, attribute, options = spec.torch
    implementation = getattr(importlib.import_module(module_name), attribute)
    model.eval()
    if not spec.needs_convolution:
        return implementation(model, tensor, class_indices, **options)
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    target_layer = dict(model.named_modules())[layer]
    targets = [ClassifierOutputTarget(int(index)) for index in class_indices]
    # ScoreCAM draws a progress bar on stderr for every image: not for the app's log.
    with implementation(model=model, target_layers=[target_layer], **options) as cam, contextlib.redirect_stderr(io.StringIO()):
        return cam(input_tensor=tensor, targets=targets)


def torch_saliency(model, tensor, class_indices: np.ndarray, samples: int = 0, noise: float = SMOOTHGRAD_NOISE) -> np.ndarray:
    """|d score / d input|, the largest over channels (Simonyan et al. 2014); with
    `samples`, averaged over noisy copies of the input (SmoothGrad)."""
    torch = frameworks.torch()
    indices = torch.as_tensor(class_indices, device=tensor.device).unsqueeze(1)
    spread = float(tensor.max() - tensor.min()) or 1.0
    total = torch.zeros_like(tensor)
    for _ in range(max(1, samples)):
        noisy = tensor + noise * spread * torch.randn_like(tensor) if samples else tensor.clone()
        noisy.requires_grad_(True)
        score = model(noisy).gather(1, indices).sum()
        (gradient,) = torch.autograd.grad(score, noisy)
        total += gradient.abs()
    return figures.unit_range(total.amax(dim=1).detach().cpu().numpy(), axis=(1, 2))


# Reading maps -----------------------------------------------------------------------


def overlay(image: np.ndarray, explanation_map: np.ndarray, opacity: float = 0.5) -> np.ndarray:
    """The map in colour (jet: red is strong evidence, blue none) over the image, as uint8
    RGB; `opacity` 0 shows only the image, 1 only the map."""
    if not 0.0 <= opacity <= 1.0:
        raise ValueError(f"opacity must be from 0 to 1, got {opacity}")
    image = np.asarray(image, dtype=np.float32)
    if image.max() > 1.0:
        image = image / 255.0
    if image.ndim == 2 or image.shape[-1] == 1:
        image = np.repeat(image.reshape(*image.shape[:2], 1), 3, axis=2)
    blended = (1.0 - opacity) * np.clip(image, 0, 1) + opacity * jet(explanation_map)
    return np.round(blended * 255).astype(np.uint8)


def jet(values: np.ndarray) -> np.ndarray:
    """The jet colour map of values in [0, 1], as float RGB: piecewise-linear ramps
    (matplotlib's jet, without matplotlib)."""
    values = np.clip(np.asarray(values, dtype=np.float32), 0, 1)[..., np.newaxis]
    centres = np.array([3.0, 2.0, 1.0], dtype=np.float32)  # Where red, green and blue peak, in quarters.
    return np.clip(1.5 - np.abs(4.0 * values - centres), 0, 1)


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
