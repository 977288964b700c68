"""The torch half of looking inside (core.backends.protocol): layers and outputs caught by
forward hooks and made channels last, kernels, the chain of layers, explanation maps
through pytorch-grad-cam (saliency and SmoothGrad by autograd here; the library has
none), and a short regularised gradient ascent for activation maximisation."""
from __future__ import annotations

import contextlib
import io

import numpy as np

from core import frameworks, pictures
from core.backends.protocol import CONVOLUTION_KINDS, AscentSettings, Layer

# Explanation method (core.explanations.METHODS) -> pytorch-grad-cam class; None: by autograd here.
EXPLAINERS = {"gradcam_plus_plus": "GradCAMPlusPlus", "gradcam": "GradCAM", "scorecam": "ScoreCAM", "saliency": None, "smoothgrad": None}


def _leaves(model) -> dict:
    return {name: module for name, module in model.named_modules() if name and not list(module.children())}


def _channels_last_shape(shape: tuple) -> tuple:
    return (*shape[1:], shape[0]) if len(shape) == 3 else shape


def _device(model):
    return next(model.parameters()).device


def _tensor(images: np.ndarray, device):
    torch = frameworks.torch()
    # NHWC (the datasets' layout) to NCHW (torch's).
    return torch.from_numpy(np.ascontiguousarray(np.asarray(images, dtype=np.float32).transpose(0, 3, 1, 2))).to(device)


def layers(model, input_shape: tuple) -> list[Layer]:
    torch = frameworks.torch()
    leaves = _leaves(model)
    shapes, order = {}, []

    def remember(name):
        def hook(module, inputs, output):
            if name not in shapes:
                order.append(name)
                shapes[name] = _channels_last_shape(tuple(output.shape[1:]))

        return hook

    handles = [module.register_forward_hook(remember(name)) for name, module in leaves.items()]
    try:
        probe = torch.zeros((1, input_shape[2], *input_shape[:2]), device=_device(model))
        model.eval()
        with torch.no_grad():
            model(probe)
    finally:
        for handle in handles:
            handle.remove()
    result = []
    for name in order:
        module = leaves[name]
        kind = type(module).__name__
        count = int(sum(weight.numel() for weight in module.parameters()))
        result.append(Layer(name, kind, shapes[name], count, kind in CONVOLUTION_KINDS))
    return result


def layer_outputs(model, name: str, images: np.ndarray, batch_size: int) -> np.ndarray:
    torch = frameworks.torch()
    module = _leaves(model)[name]
    device = _device(model)
    captured = []
    handle = module.register_forward_hook(lambda _module, _inputs, output: captured.append(output.detach().cpu().numpy()))
    try:
        model.eval()
        with torch.no_grad():
            for start in range(0, len(images), batch_size):
                model(_tensor(images[start : start + batch_size], device))
    finally:
        handle.remove()
    outputs = np.concatenate(captured)
    return outputs.transpose(0, 2, 3, 1) if outputs.ndim == 4 else outputs


def activation_name(model, name: str) -> str | None:
    return None  # torch applies activations as layers of their own.


def graph(model, input_shape: tuple, layer_names: list[str]):
    """The models here are sequential: a chain from the input."""
    order = ["input", *layer_names]
    return [("input", tuple(input_shape))], list(zip(order, order[1:]))


def kernels(model, name: str) -> np.ndarray:
    module = dict(model.named_modules())[name]
    return module.weight.detach().cpu().numpy().astype(np.float32).transpose(0, 2, 3, 1)  # from (out, in, h, w)


def explanation_maps(model, method: str, images: np.ndarray, class_indices: np.ndarray, layer: str | None, options: dict) -> np.ndarray:
    tensor = _tensor(images, _device(model))
    model.eval()
    if EXPLAINERS[method] is None:
        return saliency(model, tensor, class_indices, **options)
    import pytorch_grad_cam
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    target_layer = dict(model.named_modules())[layer]
    targets = [ClassifierOutputTarget(int(index)) for index in class_indices]
    cam_class = getattr(pytorch_grad_cam, EXPLAINERS[method])
    # ScoreCAM draws a progress bar on stderr for every image: not for the app's log.
    with cam_class(model=model, target_layers=[target_layer]) as cam, contextlib.redirect_stderr(io.StringIO()):
        return cam(input_tensor=tensor, targets=targets)


def saliency(model, tensor, class_indices: np.ndarray, samples: int = 0, noise: float = 0.0) -> np.ndarray:
    """|d score / d input|, the largest over channels (Simonyan et al. 2014); with
    `samples`, averaged over noisy copies of the input (SmoothGrad, Smilkov et al. 2017),
    `noise` a fraction of the input's range. Each map scaled to [0, 1]."""
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
    return pictures.unit_range(total.amax(dim=1).detach().cpu().numpy(), axis=(1, 2))


class _LayerReached(Exception):
    """Raised by the hook once the layer's output is caught: the rest of the model is not needed."""


def maximise(model, input_shape: tuple, name: str, channels: list[int], start: np.ndarray, settings: AscentSettings, seed: int) -> np.ndarray:
    torch = frameworks.torch()
    module = dict(model.named_modules())[name]
    device = _device(model)
    generator = np.random.default_rng(seed)
    caught = []

    def hook(_module, _inputs, output):
        caught.append(output)
        raise _LayerReached

    images = _tensor(start, device)
    rows = torch.arange(len(channels), device=device)
    channel_index = torch.tensor(channels, device=device)
    pixel_count = float(np.prod(start.shape[1:]))
    model.eval()
    handle = module.register_forward_hook(hook)
    try:
        for _ in range(settings.steps):
            images.requires_grad_(True)
            shift_rows, shift_columns = (int(value) for value in generator.integers(-settings.jitter, settings.jitter + 1, size=2))
            caught.clear()
            try:
                model(torch.roll(images, shifts=(shift_rows, shift_columns), dims=(2, 3)))
            except _LayerReached:
                pass
            output = caught[0]
            # (batch, channels, ...) -> the chosen channel of each image, positions averaged.
            chosen = output[rows, channel_index]
            if chosen.dim() == 3:
                chosen = torch.nn.functional.leaky_relu(chosen, settings.negative_slope)
            chosen = chosen.reshape(len(channels), -1).mean(dim=1)
            centred = images - 0.5
            l2 = (centred**2).reshape(len(channels), -1).sum(dim=1) / pixel_count
            variation = ((images[:, :, 1:, :] - images[:, :, :-1, :]).abs().sum(dim=(1, 2, 3)) + (images[:, :, :, 1:] - images[:, :, :, :-1]).abs().sum(dim=(1, 2, 3))) / pixel_count
            loss = (-chosen + settings.l2_weight * l2 + settings.total_variation_weight * variation).sum()
            (gradient,) = torch.autograd.grad(loss, images)
            with torch.no_grad():
                # A normalised step: each image moves by about learning_rate per pixel,
                # whatever the scale of its channel's activations.
                scale = gradient.abs().reshape(len(channels), -1).mean(dim=1).clamp_min(1e-12).reshape(-1, 1, 1, 1)
                images = (images - settings.learning_rate * gradient / scale).clamp(0.0, 1.0)
    finally:
        handle.remove()
    return images.detach().cpu().numpy().transpose(0, 2, 3, 1).astype(np.float32)
