"""PyTorch model builders, mirroring the Keras ones layer for layer."""
from __future__ import annotations

from core import frameworks


def build_cnn(input_shape: tuple, class_count: int, dropout: float):
    """Same as keras_models.build_cnn: conv 32 + pool, conv 64 + pool, dense 128."""
    torch = frameworks.torch()
    nn = torch.nn
    height, width, channels = input_shape
    layers = []
    in_channels = channels
    for filters in (32, 64):
        layers += [nn.Conv2d(in_channels, filters, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        in_channels = filters
        height, width = height // 2, width // 2
    layers += [
        nn.Dropout(dropout),
        nn.Flatten(),
        nn.Linear(in_channels * height * width, 128),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(128, class_count),
    ]
    model = nn.Sequential(*layers)
    # Keras' initialisation (Glorot uniform, zero bias), so both backends start alike.
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)
    return model


MODELS = {"cnn": build_cnn}
