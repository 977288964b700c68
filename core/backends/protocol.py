"""What every backend implements, as one `typing.Protocol`.

A backend is a module (core/backends/<name>_backend.py) registered by one line in
core.backends.BACKENDS. It trains and saves models (build, fit, predict, save, load,
parameter_count) and answers what looking inside a model needs (its layers with kinds and
shapes, any layer's output, a convolution's kernels, the graph, explanation maps and
activation maximisation), so no code outside core/backends asks which framework made a
model. Images cross the protocol as float32 NHWC arrays in [0, 1]; outputs come back
channels last.

This module imports no framework: the registry, the forms and the tests read it freely.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol, runtime_checkable

import numpy as np

# Layer kinds that slide a kernel over an image: what CAM methods and filter views need.
CONVOLUTION_KINDS = ("Conv2D", "Conv2d", "DepthwiseConv2D", "SeparableConv2D")


@dataclass(frozen=True)
class Layer:
    name: str
    kind: str  # the framework's class name: Conv2D / Conv2d, Dense / Linear, ...
    output_shape: tuple  # without the batch axis; channels last for images
    parameter_count: int
    is_convolution: bool


@dataclass(frozen=True)
class AscentSettings:
    """One activation maximisation (core.analysis.maximisation sets the values): a
    regularised gradient ascent on the input, the same meaning in every backend."""

    steps: int
    learning_rate: float  # in pixel units: inputs are in [0, 1]
    l2_weight: float  # keeps pixels near grey
    total_variation_weight: float  # keeps the image smooth
    negative_slope: float  # leaky positive part of an image channel, so a silent one keeps a gradient
    jitter: int  # random shifts of up to this many pixels each step


@runtime_checkable
class Backend(Protocol):
    CHECKPOINT_FILE: str  # the checkpoint's file name in the run folder
    # The training options (hyperparameter fields declared with an `inactive` value) this
    # backend implements; a run asking another one on is refused before it exists.
    HONOURED_OPTIONS: frozenset[str]

    def device(self) -> str:
        """Where it computes: "CPU" or "GPU (name)"."""

    def versions(self) -> dict:
        """Framework name -> version, for params.json."""

    def build(self, model_name: str, input_shape: tuple, class_count: int, parameters: Any, warn: Callable[[str], None]) -> Any:
        """A new model from the backend's model table; `parameters` is the run's
        hyperparameter dataclass, read by attribute; warn(message) tells the user."""

    def fit(self, model: Any, split: Any, parameters: Any, reporter: Any) -> None:
        """Train on split.x_train / y_train, validate on split.x_validation / y_validation,
        telling `reporter` (core.runs.reporter.Reporter) after every batch and epoch, and
        first, before any step, the untrained model's loss and accuracy on the first batch
        (reporter.before_training, when the reporter has it), measured without drawing a
        random number, so training goes on exactly as without it."""

    def predict(self, model: Any, images: np.ndarray) -> np.ndarray:
        """Class probabilities for a batch of images."""

    def save(self, model: Any, path: Path) -> None:
        """The checkpoint, written atomically."""

    def load(self, path: Path, description: dict) -> Any:
        """A saved model, without running code from the file (safe mode, weights only)."""

    def parameter_count(self, model: Any) -> int: ...

    def warm_up(self) -> None:
        """One tiny training step on made-up data, so what the framework sets up on its first
        fit (runtime, tracing, optimizer modules) is paid by a warm worker before any run."""

    def layers(self, model: Any, input_shape: tuple) -> list[Layer]:
        """The layers in forward order, the input excluded."""

    def layer_outputs(self, model: Any, name: str, images: np.ndarray, batch_size: int) -> np.ndarray:
        """The output of layer `name` for `images`, channels last."""

    def activation_name(self, model: Any, name: str) -> str | None:
        """The activation function a layer applies inside itself ("relu"), None if none."""

    def graph(self, model: Any, input_shape: tuple, layer_names: list[str]) -> tuple[list[tuple[str, tuple]], list[tuple[str, str]]]:
        """The model's inputs (name, shape) and its edges (from layer, to layer)."""

    def kernels(self, model: Any, name: str) -> np.ndarray:
        """A convolution's weights as (filters, kernel height, kernel width, input channels)."""

    def explanation_maps(self, model: Any, method: str, images: np.ndarray, class_indices: np.ndarray, layer: str | None, options: dict) -> np.ndarray:
        """Maps of core.explanations.METHODS[method] for the classes asked, (count, h, w)
        or anything reshaped to it; `layer`: the convolution a CAM weighs."""

    def maximise(self, model: Any, input_shape: tuple, name: str, channels: list[int], start: np.ndarray, settings: AscentSettings, seed: int) -> np.ndarray:
        """Images (len(channels), H, W, C) in [0, 1] that excite channel channels[i] of
        layer `name`, starting from `start`."""
