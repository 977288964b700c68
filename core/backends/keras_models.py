"""Keras model builders. Keras is imported inside each builder, never at import time."""
from __future__ import annotations

from core import frameworks


def _regularizer(keras, l2: float):
    return keras.regularizers.L2(l2) if l2 > 0 else None


def build_cnn(input_shape: tuple, class_count: int, dropout: float, l2: float):
    """Two conv blocks (32 then 64 filters, 3x3, each halved by max pooling), dense 128."""
    keras = frameworks.keras()
    layers = keras.layers
    regularizer = _regularizer(keras, l2)
    inputs = keras.Input(shape=input_shape, name="image")
    features = inputs
    for filters in (32, 64):
        features = layers.Conv2D(filters, 3, padding="same", activation="relu", kernel_regularizer=regularizer, name=f"conv_{filters}")(features)
        features = layers.MaxPooling2D(2, name=f"pool_{filters}")(features)
    features = layers.Dropout(dropout, name="dropout_conv")(features)
    features = layers.Flatten(name="flatten")(features)
    features = layers.Dense(128, activation="relu", kernel_regularizer=regularizer, name="dense")(features)
    features = layers.Dropout(dropout, name="dropout_dense")(features)
    outputs = layers.Dense(class_count, activation="softmax", kernel_regularizer=regularizer, name="classes")(features)
    return keras.Model(inputs, outputs, name="cnn")


def build_mlp(input_shape: tuple, class_count: int, dropout: float, l2: float):
    """Flattened pixels through two dense layers (256, 128)."""
    keras = frameworks.keras()
    layers = keras.layers
    regularizer = _regularizer(keras, l2)
    inputs = keras.Input(shape=input_shape, name="image")
    features = layers.Flatten(name="flatten")(inputs)
    for units in (256, 128):
        features = layers.Dense(units, activation="relu", kernel_regularizer=regularizer, name=f"dense_{units}")(features)
        features = layers.Dropout(dropout, name=f"dropout_{units}")(features)
    outputs = layers.Dense(class_count, activation="softmax", kernel_regularizer=regularizer, name="classes")(features)
    return keras.Model(inputs, outputs, name="mlp")


MODELS = {"cnn": build_cnn, "mlp": build_mlp}
