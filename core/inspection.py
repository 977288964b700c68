"""A finished run's layers, the same way for Keras and torch: names, kinds, output shapes,
parameter counts, and the output of any layer for a batch of images.

Images are float32 NHWC in [0, 1] (the datasets' layout); torch's NCHW outputs are
returned channels last, so views never ask which framework made a model.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.i18n import TranslatableError

# Layer kinds that slide a kernel over an image: what CAM methods and filter views need.
CONVOLUTION_KINDS = ("Conv2D", "Conv2d", "DepthwiseConv2D", "SeparableConv2D")
# Layers that do nothing at inference, or only feed data in: never a useful feature layer.
_PASS_THROUGH_KINDS = ("InputLayer", "Dropout", "RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom")


@dataclass(frozen=True)
class Layer:
    name: str
    kind: str  # the framework's class name: Conv2D / Conv2d, Dense / Linear, ...
    output_shape: tuple  # without the batch axis; channels last for images
    parameter_count: int
    is_convolution: bool


def layers(loaded) -> list[Layer]:
    """The model's layers in forward order, the input excluded."""
    cached = loaded.__dict__.get("_inspection_layers")
    if cached is None:
        cached = _keras_layers(loaded.model) if _framework(loaded) == "keras" else _torch_layers(loaded)
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
    images = np.asarray(images, dtype=np.float32)
    if _framework(loaded) == "keras":
        return _keras_outputs(loaded, name, images, batch_size)
    return _torch_outputs(loaded, name, images, batch_size)


def _framework(loaded) -> str:
    return loaded.description["backend"]


# Keras ----------------------------------------------------------------------------


def _keras_layers(model) -> list[Layer]:
    result = []
    for item in model.layers:
        kind = type(item).__name__
        if kind == "InputLayer":
            continue
        # A nested model with several outputs (a VAE's encoder) is shown by its first.
        output = item.output[0] if isinstance(item.output, (list, tuple)) else item.output
        output_shape = tuple(int(size) if size is not None else -1 for size in output.shape[1:])
        result.append(Layer(item.name, kind, output_shape, int(item.count_params()), kind in CONVOLUTION_KINDS))
    return result


def _keras_outputs(loaded, name: str, images: np.ndarray, batch_size: int) -> np.ndarray:
    from core import frameworks

    keras = frameworks.keras()
    models = loaded.__dict__.setdefault("_inspection_submodels", {})
    if name not in models:
        models[name] = keras.Model(loaded.model.inputs, loaded.model.get_layer(name).output)
    return np.asarray(models[name].predict(images, batch_size=batch_size, verbose=0))


# torch ----------------------------------------------------------------------------


def _torch_leaves(model) -> dict:
    return {name: module for name, module in model.named_modules() if name and not list(module.children())}


def _torch_layers(loaded) -> list[Layer]:
    from core import frameworks

    torch = frameworks.torch()
    model = loaded.model
    leaves = _torch_leaves(model)
    shapes, order = {}, []

    def remember(name):
        def hook(module, inputs, output):
            if name not in shapes:
                order.append(name)
                shapes[name] = _channels_last_shape(tuple(output.shape[1:]))

        return hook

    handles = [module.register_forward_hook(remember(name)) for name, module in leaves.items()]
    try:
        device = next(model.parameters()).device
        probe = torch.zeros((1, loaded.input_shape[2], *loaded.input_shape[:2]), device=device)
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


def _channels_last_shape(shape: tuple) -> tuple:
    return (*shape[1:], shape[0]) if len(shape) == 3 else shape


def _torch_outputs(loaded, name: str, images: np.ndarray, batch_size: int) -> np.ndarray:
    from core import frameworks

    torch = frameworks.torch()
    model = loaded.model
    module = _torch_leaves(model)[name]
    device = next(model.parameters()).device
    captured = []
    handle = module.register_forward_hook(lambda _module, _inputs, output: captured.append(output.detach().cpu().numpy()))
    try:
        model.eval()
        with torch.no_grad():
            for start in range(0, len(images), batch_size):
                batch = images[start : start + batch_size].transpose(0, 3, 1, 2)
                model(torch.from_numpy(np.ascontiguousarray(batch)).to(device))
    finally:
        handle.remove()
    outputs = np.concatenate(captured)
    return outputs.transpose(0, 2, 3, 1) if outputs.ndim == 4 else outputs
