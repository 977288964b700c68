"""The Keras half of looking inside (core.backends.protocol): layers, outputs, kernels,
the graph, explanation maps through tf-keras-vis and activation maximisation."""
from __future__ import annotations

import contextlib
import importlib
import io

import numpy as np

from core import frameworks
from core.backends import model_cache
from core.backends.protocol import CONVOLUTION_KINDS, AscentSettings, Layer

# Explanation method (core.explanations.METHODS) -> tf-keras-vis module and class.
EXPLAINERS = {
    "gradcam_plus_plus": ("tf_keras_vis.gradcam_plus_plus", "GradcamPlusPlus"),
    "gradcam": ("tf_keras_vis.gradcam", "Gradcam"),
    "scorecam": ("tf_keras_vis.scorecam", "Scorecam"),
    "saliency": ("tf_keras_vis.saliency", "Saliency"),
    "smoothgrad": ("tf_keras_vis.saliency", "Saliency"),
}


def layers(model, input_shape: tuple) -> list[Layer]:
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


def layer_outputs(model, name: str, images: np.ndarray, batch_size: int) -> np.ndarray:
    sub_models = model_cache.store_for(model).setdefault("outputs", {})
    if name not in sub_models:
        sub_models[name] = frameworks.keras().Model(model.inputs, model.get_layer(name).output)
    # Direct calls, batch by batch: model.predict builds a tf.data pipeline and traces its
    # function at every call (0.3-1 s), more than a page's few images cost to run. A list,
    # as the sub-model was made from model.inputs (a bare tensor makes Keras warn).
    chunks = [np.asarray(sub_models[name]([images[start : start + batch_size]], training=False)) for start in range(0, len(images), batch_size)]
    return np.concatenate(chunks) if chunks else np.asarray(sub_models[name].predict(images, verbose=0))


def activation_name(model, name: str) -> str | None:
    function = getattr(model.get_layer(name), "activation", None)
    function_name = getattr(function, "__name__", None)
    return None if function_name in (None, "linear") else function_name


def graph(model, input_shape: tuple, layer_names: list[str]):
    """The functional graph itself: branches and the residual shortcuts of mini_resnet
    appear as they are."""
    inputs = [(item.name, tuple(item.output.shape[1:])) for item in model.layers if type(item).__name__ == "InputLayer"]
    names = {item.name for item in model.layers}
    edges = []
    for item in model.layers:
        for node in item._inbound_nodes:
            for parent in node.parent_nodes:
                source = parent.operation.name
                if source in names and (source, item.name) not in edges:
                    edges.append((source, item.name))
    return inputs, edges


def kernels(model, name: str) -> np.ndarray:
    weights = model.get_layer(name).get_weights()[0]  # (height, width, in, out)
    return np.asarray(weights, dtype=np.float32).transpose(3, 0, 1, 2)


def _visualizer(model, method: str):
    """One visualizer per model and class: building one clones the model (ReplaceToLinear
    must not touch the shared one), which costs more than a map."""
    module_name, class_name = EXPLAINERS[method]
    visualizers = model_cache.store_for(model).setdefault("explainers", {})
    if class_name not in visualizers:
        keras = frameworks.keras()
        from tf_keras_vis.utils.model_modifiers import ReplaceToLinear

        # A reloaded model must be rebuilt as a plain functional model for tf-keras-vis.
        functional = keras.Model(model.inputs, model.outputs)
        visualizer_class = getattr(importlib.import_module(module_name), class_name)
        visualizers[class_name] = visualizer_class(functional, model_modifier=ReplaceToLinear(), clone=True)
    return visualizers[class_name]


def explanation_maps(model, method: str, images: np.ndarray, class_indices: np.ndarray, layer: str | None, options: dict) -> np.ndarray:
    from tf_keras_vis.utils.scores import CategoricalScore

    visualizer = _visualizer(model, method)
    score = CategoricalScore(class_indices.tolist())
    # ScoreCAM predicts through keras' progress bar on stdout: not for the app's log.
    with contextlib.redirect_stdout(io.StringIO()):
        if layer is not None:
            extra = {"max_N": -1} if method == "scorecam" else {}
            return visualizer(score, images, penultimate_layer=layer, seek_penultimate_conv_layer=False, **extra)
        samples = options.get("samples", 0)
        noise = {"smooth_noise": options["noise"]} if samples else {}
        return visualizer(score, images, smooth_samples=samples, **noise)


def _maximiser(model, name: str):
    """tf-keras-vis' maximiser on a sub-model ending at the layer, its activation made
    linear (a ReLU at zero would give no gradient); built once per layer."""
    keras = frameworks.keras()
    from tf_keras_vis.activation_maximization import ActivationMaximization
    from tf_keras_vis.utils.model_modifiers import ReplaceToLinear

    maximisers = model_cache.store_for(model).setdefault("maximisers", {})
    if name not in maximisers:
        # A functional sub-model (a reloaded model must be wrapped before ReplaceToLinear).
        sub_model = keras.Model(model.inputs, model.get_layer(name).output)
        maximisers[name] = ActivationMaximization(sub_model, model_modifier=ReplaceToLinear(), clone=True)
    return maximisers[name]


def maximise(model, input_shape: tuple, name: str, channels: list[int], start: np.ndarray, settings: AscentSettings, seed: int) -> np.ndarray:
    tensorflow = frameworks.tensorflow()
    # The same jitter draws as the torch ascent: one (rows, columns) shift per step.
    shifts = np.random.default_rng(seed).integers(-settings.jitter, settings.jitter + 1, size=(settings.steps, 2))
    ascend = _ascent(model, name, settings)
    images = ascend(tensorflow.constant(start, tensorflow.float32), tensorflow.constant(channels, tensorflow.int32), tensorflow.constant(shifts, tensorflow.int32))
    return np.clip(np.asarray(images, dtype=np.float32), 0.0, 1.0)


def _ascent(model, name: str, settings: AscentSettings):
    """The whole regularised ascent as one compiled TensorFlow function, built once per layer
    and settings: tf-keras-vis' ActivationMaximization runs its steps eagerly, which took
    20-30 s for 8 channels here, the compiled loop a fraction of a second after its trace.
    The step is the torch ascent's (torch_inspection.maximise): leaky positive part of the
    chosen channel averaged over positions, L2 towards grey and total variation, a step
    normalised per image, jitter, pixels kept in [0, 1]."""
    ascents = model_cache.store_for(model).setdefault("ascents", {})
    key = (name, settings)
    if key in ascents:
        return ascents[key]
    tensorflow = frameworks.tensorflow()
    # The sub-model ending at the layer, its activation made linear (a ReLU at zero would
    # give no gradient), as tf-keras-vis builds it.
    linear_model = _maximiser(model, name).model
    spatial = len(linear_model.output.shape) == 4
    shape = tuple(int(size) for size in model.inputs[0].shape[1:])
    pixel_count = float(np.prod(shape))

    @tensorflow.function(input_signature=[
        tensorflow.TensorSpec((None, *shape), tensorflow.float32), tensorflow.TensorSpec((None,), tensorflow.int32), tensorflow.TensorSpec((None, 2), tensorflow.int32),
    ])
    def ascend(images, channels, shifts):
        count = tensorflow.shape(images)[0]
        for step in tensorflow.range(tensorflow.shape(shifts)[0]):
            with tensorflow.GradientTape() as tape:
                tape.watch(images)
                output = linear_model(tensorflow.roll(images, shift=shifts[step], axis=[1, 2]), training=False)
                if spatial:
                    output = tensorflow.nn.leaky_relu(output, alpha=settings.negative_slope)
                # (count, positions, channels) -> image i's channel channels[i], positions averaged.
                by_channel = tensorflow.transpose(tensorflow.reshape(output, (count, -1, output.shape[-1])), (0, 2, 1))
                chosen = tensorflow.reduce_mean(tensorflow.gather(by_channel, channels, batch_dims=1), axis=1)
                l2 = tensorflow.reduce_sum(tensorflow.square(images - 0.5), axis=(1, 2, 3)) / pixel_count
                variation = (tensorflow.reduce_sum(tensorflow.abs(images[:, 1:] - images[:, :-1]), axis=(1, 2, 3)) + tensorflow.reduce_sum(tensorflow.abs(images[:, :, 1:] - images[:, :, :-1]), axis=(1, 2, 3))) / pixel_count
                loss = tensorflow.reduce_sum(-chosen + settings.l2_weight * l2 + settings.total_variation_weight * variation)
            gradient = tape.gradient(loss, images)
            # Each image moves by about learning_rate per pixel, whatever its channel's scale.
            scale = tensorflow.maximum(tensorflow.reduce_mean(tensorflow.abs(gradient), axis=(1, 2, 3), keepdims=True), 1e-12)
            images = tensorflow.clip_by_value(images - settings.learning_rate * gradient / scale, 0.0, 1.0)
        return images

    ascents[key] = ascend
    return ascend
