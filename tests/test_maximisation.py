"""core.analysis.maximisation: the images it makes excite their channel more than grey does,
on Keras (tf-keras-vis) and torch (hand-written ascent), 1-channel and 3-channel inputs."""
from __future__ import annotations

import numpy as np
import pytest
from test_layers import loaded_model

from core.analysis import maximisation
from core.i18n import TranslatableError

# Fewer steps than the page's: enough to show the ascent works, and a short suite.
STEPS = 40
CHANNELS = [0, 1, 2, 3]


@pytest.mark.parametrize(
    "backend,model,input_shape,layer",
    [
        ("torch", "cnn", (8, 8, 1), "conv_32"),
        ("torch", "cnn", (32, 32, 3), "pool_64"),
        ("torch", "cnn", (8, 8, 1), "dense"),
        ("keras", "cnn", (8, 8, 1), "conv_64"),
        ("keras", "small_cnn", (32, 32, 3), "conv_32"),
        ("keras", "small_cnn", (32, 32, 3), "dense_64"),
    ],
)
def test_maximisation_excites_the_chosen_channel_more_than_grey(backend, model, input_shape, layer):
    loaded = loaded_model(backend, model, input_shape)
    images = maximisation.maximise(loaded, layer, CHANNELS, steps=STEPS)
    assert images.shape == (len(CHANNELS), *input_shape) and images.dtype == np.float32
    assert images.min() >= 0 and images.max() <= 1
    reached = maximisation.channel_scores(loaded, layer, images, CHANNELS)
    grey = maximisation.channel_scores(loaded, layer, maximisation.seed_images(input_shape, len(CHANNELS)), CHANNELS)
    # Each image works for its own channel: it beats grey there on the whole, and for most channels.
    assert reached.mean() > grey.mean() + 1e-3, (reached, grey)
    assert (reached >= grey - 1e-6).sum() >= len(CHANNELS) - 1, (reached, grey)


def test_maximisation_refuses_bad_channels_and_layers():
    loaded = loaded_model("torch", "cnn", (8, 8, 1))
    with pytest.raises(TranslatableError) as caught:
        maximisation.maximise(loaded, "conv_32", [32])
    assert caught.value.key == "layers_error_channel_range" and "0 to 32 − 1" in str(caught.value)
    with pytest.raises(TranslatableError) as caught:
        maximisation.maximise(loaded, "conv_32", [])
    assert caught.value.key == "layers_error_no_channel"
    with pytest.raises(TranslatableError) as caught:
        maximisation.maximise(loaded, "conv_32", range(maximisation.MAX_CHANNELS + 1))
    assert caught.value.key == "layers_error_too_many_channels"
    with pytest.raises(TranslatableError) as caught:
        maximisation.maximise(loaded, "no_such_layer", [0])
    assert caught.value.key == "inspection_error_unknown_layer"


def test_jitter_is_small_on_small_images():
    assert maximisation.jitter_for((8, 8, 1)) == 1
    assert maximisation.jitter_for((32, 32, 3)) == 2
