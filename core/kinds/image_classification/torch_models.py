"""PyTorch model builders, mirroring the Keras ones layer for layer, with the same layer
names, so the layer views read alike on both backends. A builder takes the input shape,
the class count and the run's hyperparameters (read by attribute)."""
from __future__ import annotations

from collections import OrderedDict

from core import frameworks


def _sequential(named_layers: list):
    torch = frameworks.torch()
    nn = torch.nn
    model = nn.Sequential(OrderedDict(named_layers))
    # Keras' initialisation (Glorot uniform, zero bias), so both backends start alike.
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)
    return model


def build_cnn(input_shape: tuple, class_count: int, parameters):
    """Same as keras_models.build_cnn: conv 32 + pool, conv 64 + pool, dense 128."""
    nn = frameworks.torch().nn
    dropout = parameters.dropout
    height, width, channels = input_shape
    named_layers = []
    in_channels = channels
    for filters in (32, 64):
        named_layers += [(f"conv_{filters}", nn.Conv2d(in_channels, filters, 3, padding=1)), (f"relu_{filters}", nn.ReLU()), (f"pool_{filters}", nn.MaxPool2d(2))]
        in_channels = filters
        height, width = height // 2, width // 2
    named_layers += [
        ("dropout_conv", nn.Dropout(dropout)),
        ("flatten", nn.Flatten()),
        ("dense", nn.Linear(in_channels * height * width, 128)),
        ("relu_dense", nn.ReLU()),
        ("dropout_dense", nn.Dropout(dropout)),
        ("classes", nn.Linear(128, class_count)),
    ]
    return _sequential(named_layers)


def build_small_cnn(input_shape: tuple, class_count: int, parameters):
    """Same as keras_models.build_small_cnn, the course's minimal CNN: conv 32 + pool,
    conv 64 + pool (unpadded), dense 64."""
    nn = frameworks.torch().nn
    height, width, channels = input_shape
    named_layers = []
    in_channels = channels
    for filters in (32, 64):
        named_layers += [(f"conv_{filters}", nn.Conv2d(in_channels, filters, 3)), (f"relu_{filters}", nn.ReLU()), (f"pool_{filters}", nn.MaxPool2d(2))]
        in_channels = filters
        height, width = (height - 2) // 2, (width - 2) // 2
    if height < 1 or width < 1:
        raise ValueError(f"small_cnn needs images of 10×10 pixels or more, got {input_shape[0]}×{input_shape[1]}")
    named_layers += [
        ("flatten", nn.Flatten()),
        ("dense_64", nn.Linear(in_channels * height * width, 64)),
        ("relu_dense", nn.ReLU()),
        ("classes", nn.Linear(64, class_count)),
    ]
    return _sequential(named_layers)


MODELS = {"cnn": build_cnn, "small_cnn": build_small_cnn}
