"""Keras model builders. Keras is imported inside each builder, never at import time.

A builder takes (input_shape, class_count, parameters, warn) and returns a keras.Model.
`parameters` is the project's hyperparameter dataclass; options a project does not have
(batch_norm, augmentation, ...) read as off. `warn(message)` tells the user something
they must know about the model (e.g. ImageNet weights were not available).
"""
from __future__ import annotations

from pathlib import Path

from core import frameworks

# keras.applications backbones for transfer learning: name -> (class, input size it is
# resized to, its weights file in keras' cache). 96 is the smallest size MobileNetV2 has
# ImageNet weights for; it keeps CPU training bearable.
TRANSFER_BACKBONES = {
    "mobilenet_v2": ("MobileNetV2", 96, "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"),
}
KERAS_MODEL_CACHE = Path.home() / ".keras" / "models"


def _regularizer(keras, parameters):
    l2 = parameters.l2
    return keras.regularizers.L2(l2) if l2 > 0 else None


def _inputs(keras, input_shape: tuple, parameters):
    """The input, then augmentation layers (active only while training, saved with the model)."""
    layers = keras.layers
    inputs = keras.Input(shape=input_shape, name="image")
    features = inputs
    if parameters.augment_flip:
        features = layers.RandomFlip("horizontal", name="augment_flip")(features)
    shift = parameters.augment_shift
    if shift > 0:
        features = layers.RandomTranslation(shift, shift, fill_mode="reflect", name="augment_shift")(features)
    rotation = parameters.augment_rotation
    if rotation > 0:
        # Keras counts rotation in turns: 0.1 is up to ±36°.
        features = layers.RandomRotation(rotation, fill_mode="reflect", name="augment_rotation")(features)
    return inputs, features


def _classes(keras, features, class_count: int, parameters):
    return keras.layers.Dense(class_count, activation="softmax", kernel_regularizer=_regularizer(keras, parameters), name="classes")(features)


def _convolution(keras, features, filters: int, parameters, name: str):
    """Conv 3x3, then BatchNorm when asked (before the activation, as in Ioffe & Szegedy), then ReLU."""
    layers = keras.layers
    batch_norm = parameters.batch_norm
    features = layers.Conv2D(
        filters, 3, padding="same", use_bias=not batch_norm, kernel_regularizer=_regularizer(keras, parameters), name=name
    )(features)
    if batch_norm:
        features = layers.BatchNormalization(name=f"{name}_batch_norm")(features)
    return layers.Activation("relu", name=f"{name}_relu")(features)


def build_cnn(input_shape: tuple, class_count: int, parameters, warn=print):
    """Two conv blocks (32 then 64 filters, 3x3, each halved by max pooling), dense 128."""
    keras = frameworks.keras()
    layers = keras.layers
    dropout = parameters.dropout
    inputs, features = _inputs(keras, input_shape, parameters)
    for filters in (32, 64):
        features = layers.Conv2D(filters, 3, padding="same", activation="relu", kernel_regularizer=_regularizer(keras, parameters), name=f"conv_{filters}")(features)
        features = layers.MaxPooling2D(2, name=f"pool_{filters}")(features)
    features = layers.Dropout(dropout, name="dropout_conv")(features)
    features = layers.Flatten(name="flatten")(features)
    features = layers.Dense(128, activation="relu", kernel_regularizer=_regularizer(keras, parameters), name="dense")(features)
    features = layers.Dropout(dropout, name="dropout_dense")(features)
    return keras.Model(inputs, _classes(keras, features, class_count, parameters), name="cnn")


def build_mlp(input_shape: tuple, class_count: int, parameters, warn=print):
    """Flattened pixels through two dense layers (256, 128)."""
    keras = frameworks.keras()
    layers = keras.layers
    inputs, features = _inputs(keras, input_shape, parameters)
    features = layers.Flatten(name="flatten")(features)
    for units in (256, 128):
        features = layers.Dense(units, activation="relu", kernel_regularizer=_regularizer(keras, parameters), name=f"dense_{units}")(features)
        features = layers.Dropout(parameters.dropout, name=f"dropout_{units}")(features)
    return keras.Model(inputs, _classes(keras, features, class_count, parameters), name="mlp")


def build_dense(input_shape: tuple, class_count: int, parameters, warn=print):
    """The course's minimal dense network: flatten, one hidden layer of 128, softmax."""
    keras = frameworks.keras()
    layers = keras.layers
    inputs, features = _inputs(keras, input_shape, parameters)
    features = layers.Flatten(name="flatten")(features)
    features = layers.Dense(128, activation="relu", kernel_regularizer=_regularizer(keras, parameters), name="dense_128")(features)
    return keras.Model(inputs, _classes(keras, features, class_count, parameters), name="dense")


def build_small_cnn(input_shape: tuple, class_count: int, parameters, warn=print):
    """The course's minimal CNN: conv 32 + pool, conv 64 + pool, dense 64; no regularisation."""
    keras = frameworks.keras()
    layers = keras.layers
    inputs, features = _inputs(keras, input_shape, parameters)
    for filters in (32, 64):
        features = layers.Conv2D(filters, 3, activation="relu", name=f"conv_{filters}")(features)
        features = layers.MaxPooling2D(2, name=f"pool_{filters}")(features)
    features = layers.Flatten(name="flatten")(features)
    features = layers.Dense(64, activation="relu", name="dense_64")(features)
    return keras.Model(inputs, _classes(keras, features, class_count, parameters), name="small_cnn")


def build_regularized_cnn(input_shape: tuple, class_count: int, parameters, warn=print):
    """Three VGG-style blocks (2 convs of 32, 64, 128 filters, pooling, dropout), with
    optional BatchNorm and L2, then global average pooling: the CPU preset for CIFAR-10."""
    keras = frameworks.keras()
    layers = keras.layers
    dropout = parameters.dropout
    inputs, features = _inputs(keras, input_shape, parameters)
    for block, filters in enumerate((32, 64, 128), start=1):
        features = _convolution(keras, features, filters, parameters, f"block{block}_conv1")
        features = _convolution(keras, features, filters, parameters, f"block{block}_conv2")
        # Small inputs (8x8 digits) cannot be halved three times.
        if min(features.shape[1], features.shape[2]) >= 2:
            features = layers.MaxPooling2D(2, name=f"block{block}_pool")(features)
        features = layers.Dropout(dropout, name=f"block{block}_dropout")(features)
    features = layers.GlobalAveragePooling2D(name="global_pool")(features)
    features = layers.Dense(128, activation="relu", kernel_regularizer=_regularizer(keras, parameters), name="dense_128")(features)
    features = layers.Dropout(dropout, name="dense_dropout")(features)
    return keras.Model(inputs, _classes(keras, features, class_count, parameters), name="regularized_cnn")


def _residual_block(keras, features, filters: int, stride: int, parameters, name: str):
    """Two 3x3 convs plus a shortcut (a 1x1 conv when the shape changes), as in He et al. 2016."""
    layers = keras.layers
    regularizer = _regularizer(keras, parameters)
    shortcut = features
    features = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False, kernel_regularizer=regularizer, name=f"{name}_conv1")(features)
    features = layers.BatchNormalization(name=f"{name}_batch_norm1")(features)
    features = layers.Activation("relu", name=f"{name}_relu1")(features)
    features = layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_regularizer=regularizer, name=f"{name}_conv2")(features)
    features = layers.BatchNormalization(name=f"{name}_batch_norm2")(features)
    if stride != 1 or shortcut.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False, kernel_regularizer=regularizer, name=f"{name}_shortcut")(shortcut)
        shortcut = layers.BatchNormalization(name=f"{name}_shortcut_batch_norm")(shortcut)
    features = layers.Add(name=f"{name}_add")([features, shortcut])
    return layers.Activation("relu", name=f"{name}_relu2")(features)


def build_mini_resnet(input_shape: tuple, class_count: int, parameters, warn=print):
    """A stem conv of 32, three stages of one residual block (32, 64, 128 filters; the last
    two halve the size), global average pooling: the mini-ResNet of TP3."""
    keras = frameworks.keras()
    layers = keras.layers
    inputs, features = _inputs(keras, input_shape, parameters)
    features = layers.Conv2D(32, 3, padding="same", use_bias=False, kernel_regularizer=_regularizer(keras, parameters), name="stem_conv")(features)
    features = layers.BatchNormalization(name="stem_batch_norm")(features)
    features = layers.Activation("relu", name="stem_relu")(features)
    for stage, (filters, stride) in enumerate(((32, 1), (64, 2), (128, 2)), start=1):
        features = _residual_block(keras, features, filters, stride, parameters, f"stage{stage}")
    features = layers.GlobalAveragePooling2D(name="global_pool")(features)
    features = layers.Dropout(parameters.dropout, name="dropout")(features)
    return keras.Model(inputs, _classes(keras, features, class_count, parameters), name="mini_resnet")


def build_transfer(input_shape: tuple, class_count: int, parameters, warn=print):
    """A keras.applications backbone (ImageNet weights when they can be had) under a new
    softmax head. The backbone is frozen unless `fine_tune` is on."""
    keras = frameworks.keras()
    layers = keras.layers
    class_name, size, _ = TRANSFER_BACKBONES["mobilenet_v2"]
    inputs, features = _inputs(keras, input_shape, parameters)
    if input_shape[-1] == 1:
        features = layers.Concatenate(name="grey_to_rgb")([features, features, features])
    features = layers.Resizing(size, size, name="resize")(features)
    # MobileNetV2 expects pixels in [-1, 1]; ours are in [0, 1].
    features = layers.Rescaling(2.0, offset=-1.0, name="to_minus_one_one")(features)
    backbone_class = getattr(keras.applications, class_name)
    try:
        backbone = backbone_class(include_top=False, weights="imagenet", input_shape=(size, size, 3))
    except Exception as error:  # No cache and no network: train from scratch, and say so.
        warn(
            f"ImageNet weights for {class_name} could not be loaded ({type(error).__name__}): "
            f"the backbone starts from random weights, so this is not transfer learning. "
            f"Put {TRANSFER_BACKBONES['mobilenet_v2'][2]} in {KERAS_MODEL_CACHE} to fix it."
        )
        backbone = backbone_class(include_top=False, weights=None, input_shape=(size, size, 3))
    fine_tune = parameters.fine_tune
    backbone.trainable = bool(fine_tune)
    # training=False keeps the frozen backbone's BatchNorm statistics as learnt on ImageNet.
    features = backbone(features, training=False if not fine_tune else None)
    features = layers.GlobalAveragePooling2D(name="global_pool")(features)
    features = layers.Dropout(parameters.dropout, name="dropout")(features)
    return keras.Model(inputs, _classes(keras, features, class_count, parameters), name="transfer")


MODELS = {
    "cnn": build_cnn,
    "mlp": build_mlp,
    "dense": build_dense,
    "small_cnn": build_small_cnn,
    "regularized_cnn": build_regularized_cnn,
    "mini_resnet": build_mini_resnet,
    "transfer": build_transfer,
}
