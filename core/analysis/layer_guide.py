"""Layers explained: what each kind of layer computes, why it is there, in a few sentences.

One table maps the framework's class names (Keras and torch), and the names of Keras'
activation functions, to a topic; a topic has a title and a text in core.i18n
(`layers_topic_<topic>_title`, `layers_topic_<topic>_text`) and a family, which gives
its colour in the model diagram. A kind not in the table gets a generic sentence.
"""
from __future__ import annotations

from core import i18n

# Framework class name (or Keras activation name) -> topic.
KIND_TOPICS = {
    "InputLayer": "input",
    "Dense": "dense", "Linear": "dense",
    "Conv2D": "convolution", "Conv2d": "convolution", "Conv1D": "convolution", "Conv1d": "convolution",
    "Conv2DTranspose": "transposed_convolution", "ConvTranspose2d": "transposed_convolution",
    "DepthwiseConv2D": "depthwise_convolution", "SeparableConv2D": "depthwise_convolution",
    "MaxPooling2D": "max_pooling", "MaxPool2d": "max_pooling",
    "AveragePooling2D": "average_pooling", "AvgPool2d": "average_pooling",
    "GlobalAveragePooling2D": "global_pooling", "GlobalMaxPooling2D": "global_pooling",
    "AdaptiveAvgPool2d": "global_pooling", "AdaptiveMaxPool2d": "global_pooling",
    "BatchNormalization": "batch_norm", "BatchNorm2d": "batch_norm", "BatchNorm1d": "batch_norm",
    "LayerNormalization": "layer_norm", "LayerNorm": "layer_norm",
    "Dropout": "dropout", "Dropout2d": "dropout", "SpatialDropout2D": "dropout",
    "Flatten": "flatten", "Reshape": "flatten", "Unflatten": "flatten", "RepeatVector": "repeat",
    "ReLU": "relu", "relu": "relu", "ReLU6": "relu", "relu6": "relu",
    "LeakyReLU": "leaky_relu", "leaky_relu": "leaky_relu",
    "Sigmoid": "sigmoid", "sigmoid": "sigmoid",
    "Tanh": "tanh", "tanh": "tanh",
    "GELU": "gelu", "gelu": "gelu",
    "Softmax": "softmax", "softmax": "softmax",
    "Add": "residual", "Concatenate": "concatenate",
    "MultiHeadAttention": "attention", "MultiheadAttention": "attention",
    "RandomFlip": "random_flip", "RandomTranslation": "random_translation", "RandomRotation": "random_rotation",
    "RandomZoom": "augmentation", "RandomContrast": "augmentation", "RandomCrop": "augmentation", "RandomBrightness": "augmentation",
    "Rescaling": "rescaling", "Normalization": "rescaling",
    "Resizing": "resizing",
    "Functional": "backbone", "Model": "backbone",
    "Identity": "identity",
}
# Topic -> family: the diagram colours families, so a student sees where the
# convolutions, the poolings and the dense head are.
TOPIC_FAMILIES = {
    "input": "input", "rescaling": "input", "resizing": "input",
    "dense": "dense",
    "convolution": "convolution", "depthwise_convolution": "convolution", "transposed_convolution": "convolution", "backbone": "convolution",
    "max_pooling": "pooling", "average_pooling": "pooling", "global_pooling": "pooling",
    "batch_norm": "normalisation", "layer_norm": "normalisation",
    "dropout": "regularisation",
    "flatten": "reshape", "identity": "reshape", "repeat": "reshape",
    "relu": "activation", "leaky_relu": "activation", "sigmoid": "activation", "tanh": "activation", "gelu": "activation",
    "softmax": "activation",
    "residual": "merge", "concatenate": "merge",
    "attention": "attention",
    "random_flip": "augmentation", "random_translation": "augmentation", "random_rotation": "augmentation", "augmentation": "augmentation",
}
FAMILY_COLOURS = {
    "input": "#e0e0e0", "dense": "#f4b183", "convolution": "#9dc3e6", "pooling": "#a9d18e",
    "normalisation": "#ffe699", "regularisation": "#d9d2e9", "reshape": "#f2f2f2", "activation": "#f8cbad",
    "merge": "#c9a0dc", "attention": "#8fd3c8", "augmentation": "#d0e0e3", "other": "#ffffff",
}
UNKNOWN_TOPIC = "unknown"


def topic(kind: str) -> str:
    """The topic explaining `kind` (a framework class name), or UNKNOWN_TOPIC."""
    return KIND_TOPICS.get(kind, UNKNOWN_TOPIC)


def family(kind: str) -> str:
    return TOPIC_FAMILIES.get(topic(kind), "other")


def colour(kind: str) -> str:
    return FAMILY_COLOURS[family(kind)]


def title(kind: str, language: str = "en") -> str:
    """A short name for what `kind` does ("Convolution"); the class name itself when unknown."""
    found = topic(kind)
    return kind if found == UNKNOWN_TOPIC else i18n.t(f"layers_topic_{found}_title", language)


def explanation(kind: str, language: str = "en") -> str:
    """What a `kind` layer computes, its parameters and why it is there, in 2-4 sentences."""
    found = topic(kind)
    if found == UNKNOWN_TOPIC:
        return i18n.t("layers_topic_unknown_text", language, kind=kind)
    return i18n.t(f"layers_topic_{found}_text", language)
