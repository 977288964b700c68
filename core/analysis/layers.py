"""What the Inside page shows of a model's layers: a summary table, a diagram, the first
convolution's filters, the feature maps of any layer, and whether two runs share an architecture.

Layers come from core.inspection (the same for Keras and torch); explanations from
core.analysis.layer_guide.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import i18n, inspection, pictures
from core.analysis import layer_guide
from core.i18n import TranslatableError


@dataclass(frozen=True)
class SummaryRow:
    name: str
    kind: str
    topics: tuple[str, ...]  # the kinds explained for this layer: its class, then its activation function
    output_shape: tuple
    parameter_count: int


def _explained_kinds(loaded, item: inspection.Layer) -> tuple[str, ...]:
    """A Keras Dense or Conv2D with activation="relu" is two operations: explain both. An
    Activation layer is explained by its function."""
    activation = loaded.backend.activation_name(loaded.model, item.name)
    if item.kind == "Activation":
        return (activation or "Identity",)
    return (item.kind, activation) if activation else (item.kind,)


def summary(loaded) -> list[SummaryRow]:
    """One row per layer in forward order (the input excluded), as core.inspection sees it."""
    return [SummaryRow(item.name, item.kind, _explained_kinds(loaded, item), tuple(item.output_shape), item.parameter_count) for item in inspection.layers(loaded)]


def kinds_present(loaded) -> list[str]:
    """Every kind to explain for this model, the input first, in order of first appearance."""
    kinds = ["InputLayer"]
    for row in summary(loaded):
        kinds += [kind for kind in row.topics if kind not in kinds]
    return kinds


def shape_text(shape) -> str:
    return "×".join(str(size) for size in shape)


def summary_table(loaded, language: str = "en") -> list[dict]:
    """The summary as table rows for the page, with the layer's role and its explanation."""
    columns = {name: i18n.t(f"layers_column_{name}", language) for name in ("name", "kind", "role", "output", "parameters", "explanation")}
    return [
        {
            columns["name"]: row.name,
            columns["kind"]: row.kind,
            columns["role"]: " + ".join(layer_guide.title(kind, language) for kind in row.topics),
            columns["output"]: shape_text(row.output_shape),
            columns["parameters"]: row.parameter_count,
            columns["explanation"]: " ".join(layer_guide.explanation(kind, language) for kind in row.topics),
        }
        for row in summary(loaded)
    ]


# The diagram ------------------------------------------------------------------------


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def diagram(loaded, language: str = "en") -> str:
    """The model as a Graphviz DOT graph (for st.graphviz_chart): a node per layer, coloured by
    family (convolution, pooling, dense…), edges in forward order; Keras models draw their real
    graph, torch models (sequential here) a chain."""
    rows = summary(loaded)
    inputs, edges = loaded.backend.graph(loaded.model, loaded.input_shape, [row.name for row in rows])
    lines = [
        "digraph model {",
        '  rankdir=TB; nodesep=0.25; ranksep=0.25;',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, color="#555555"];',
        '  edge [color="#777777", arrowsize=0.6];',
    ]
    for name, shape in inputs:
        label = f"{name}\\n{layer_guide.title('InputLayer', language)} · {shape_text(shape)}"
        lines.append(f'  {_quoted(name)} [label="{label}", fillcolor="{layer_guide.colour("InputLayer")}"];')
    for row in rows:
        role = " + ".join(layer_guide.title(kind, language) for kind in row.topics)
        parameters = i18n.t("layers_diagram_parameters", language, count=f"{row.parameter_count:,}") if row.parameter_count else ""
        label = "\\n".join(part.replace('"', "'") for part in (row.name, f"{role} · {shape_text(row.output_shape)}", parameters) if part)
        lines.append(f'  {_quoted(row.name)} [label="{label}", fillcolor="{layer_guide.colour(row.topics[0])}"];')
    lines += [f"  {_quoted(source)} -> {_quoted(target)};" for source, target in edges]
    lines.append("}")
    return "\n".join(lines)


# Filters and feature maps -----------------------------------------------------------


def first_convolution(loaded) -> str:
    """The first convolution's name; TranslatableError inspection_error_no_convolution without one."""
    names = inspection.convolution_layers(loaded)
    if not names:
        raise TranslatableError("inspection_error_no_convolution")
    return names[0]


def kernels(loaded, layer_name: str) -> np.ndarray:
    """A convolution's weights as (filters, kernel height, kernel width, input channels)."""
    if not inspection.layer(loaded, layer_name).is_convolution:
        raise TranslatableError("layers_error_not_convolution", name=layer_name)
    return loaded.backend.kernels(loaded.model, layer_name)


def filter_images(weights: np.ndarray) -> np.ndarray:
    """Kernels (filters, h, w, channels) as images in [0, 1]: zero is grey, each filter scaled by
    its own largest weight; three input channels are shown as colour, any other count as
    their mean."""
    if weights.ndim != 4:
        raise ValueError(f"expected kernels shaped (filters, height, width, channels), got {weights.shape}")
    if weights.shape[3] not in (1, 3):
        weights = weights.mean(axis=3, keepdims=True)
    largest = np.abs(weights).reshape(len(weights), -1).max(axis=1).reshape(-1, 1, 1, 1)
    return (0.5 + weights / (2 * np.maximum(largest, 1e-12))).astype(np.float32)


def first_layer_filters(loaded) -> tuple[str, np.ndarray]:
    """The first convolution's name and its filters as images (filters, h, w, 1 or 3) in [0, 1]."""
    name = first_convolution(loaded)
    return name, filter_images(kernels(loaded, name))


def uploaded_input(loaded, data: bytes, file_name: str = "") -> tuple[np.ndarray, list[str]]:
    """An uploaded file as one model input (H, W, C) in [0, 1] and the i18n keys of what was
    done to it. An image file goes through core.images.prepare (ImageError when it is no
    image); a NumPy .npy array is taken as it is, through core.images.array_input, which
    refuses a wrong type, shape or number of channels and non-finite values."""
    from core import images

    if file_name.lower().endswith(".npy"):
        # Real numbers, finite, shaped as the model takes: ImageError saying the expected shape.
        return images.array_input(data, tuple(loaded.input_shape)).pixels, []
    prepared = images.prepare(data, loaded.input_shape, loaded.preparation)
    return prepared.pixels, prepared.notes


def feature_maps(loaded, layer_name: str, image: np.ndarray) -> np.ndarray:
    """The output of `layer_name` for one (H, W, C) image: (h, w, channels) or (units,)."""
    return inspection.layer_outputs(loaded, layer_name, np.asarray(image, dtype=np.float32)[np.newaxis])[0]


def normalise_channels(maps: np.ndarray) -> np.ndarray:
    """(h, w, channels) to (channels, h, w) in [0, 1], each channel scaled to its own range
    (a constant channel is black)."""
    if maps.ndim != 3:
        raise ValueError(f"expected feature maps shaped (height, width, channels), got {maps.shape}")
    return pictures.unit_range(np.moveaxis(maps, -1, 0), axis=(1, 2))


# Specialisation ---------------------------------------------------------------------


def architecture_difference(first: dict, second: dict) -> str | None:
    """None when two runs' checkpoint descriptions share an architecture (backend and model),
    else the i18n key saying how they differ."""
    if first["backend"] != second["backend"]:
        return "layers_special_other_backend"
    if first["model"] != second["model"]:
        return "layers_special_other_model"
    return None
