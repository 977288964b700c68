"""core.analysis.layers and layer_guide: summary, diagram, filters, feature maps and the
explanation of every layer kind the projects' models use, on Keras and torch models."""
from __future__ import annotations

import io

import numpy as np
import pytest

from core import backends, frameworks, i18n, pictures
from core.analysis import layer_guide, layers
from core.i18n import TranslatableError
from core.inference import LoadedModel

CLASS_NAMES = [str(digit) for digit in range(10)]


def loaded_model(backend_name: str, model_name: str, input_shape: tuple, **options) -> LoadedModel:
    """A freshly built (untrained) model wrapped as a finished run's model would be."""
    frameworks.torch()  # Before TensorFlow, always (see core.frameworks).
    from core import backends
    from core.projects.image_classification import ImageClassificationParameters

    backend = backends.get_backend(backend_name)
    model = backend.build(model_name, input_shape, len(CLASS_NAMES), ImageClassificationParameters(**options), warn=lambda message: None)
    description = {"backend": backend_name, "model": model_name, "input_shape": list(input_shape), "class_names": CLASS_NAMES, "dataset": "test", "preparation": "photo"}
    return LoadedModel(model=model, backend=backend, description=description)


@pytest.fixture(scope="module")
def keras_cnn():
    return loaded_model("keras", "small_cnn", (32, 32, 3))


@pytest.fixture(scope="module")
def torch_cnn():
    return loaded_model("torch", "cnn", (8, 8, 1))


@pytest.fixture(scope="module")
def keras_resnet():
    return loaded_model("keras", "mini_resnet", (32, 32, 3))


@pytest.mark.parametrize("fixture", ["keras_cnn", "torch_cnn", "keras_resnet"])
def test_summary_parameter_counts_match_the_framework(fixture, request):
    loaded = request.getfixturevalue(fixture)
    rows = layers.summary(loaded)
    assert sum(row.parameter_count for row in rows) == loaded.backend.parameter_count(loaded.model)
    assert rows[-1].output_shape == (10,)


def test_keras_summary_rows_and_activation_topics(keras_cnn):
    rows = {row.name: row for row in layers.summary(keras_cnn)}
    assert rows["conv_32"].output_shape == (30, 30, 32)
    assert rows["conv_32"].parameter_count == 3 * 3 * 3 * 32 + 32
    # A Conv2D with activation="relu" is two operations; the classifier ends with a softmax.
    assert rows["conv_32"].topics == ("Conv2D", "relu")
    assert rows["classes"].topics == ("Dense", "softmax")
    table = layers.summary_table(keras_cnn, "fr")
    assert table[0]["Couche"] == "conv_32" and table[0]["Forme de sortie"] == "30×30×32"
    assert "Convolution + Activation ReLU" == table[0]["Rôle"]
    assert "noyau" in table[0]["Explication"]


def test_torch_summary_rows(torch_cnn):
    rows = layers.summary(torch_cnn)
    assert rows[0].kind == "Conv2d" and rows[0].output_shape == (8, 8, 32) and rows[0].parameter_count == 3 * 3 * 32 + 32
    assert [row.kind for row in rows].count("ReLU") == 3
    assert layers.kinds_present(torch_cnn)[:3] == ["InputLayer", "Conv2d", "ReLU"]


@pytest.mark.parametrize("fixture", ["keras_cnn", "torch_cnn", "keras_resnet"])
def test_diagram_names_every_layer_and_chains_them(fixture, request):
    loaded = request.getfixturevalue(fixture)
    dot = layers.diagram(loaded, "en")
    assert dot.startswith("digraph model {") and dot.rstrip().endswith("}")
    for row in layers.summary(loaded):
        assert f'"{row.name}" [label=' in dot
    assert dot.count(" -> ") >= len(layers.summary(loaded))


def test_diagram_draws_the_residual_shortcuts_of_mini_resnet(keras_resnet):
    dot = layers.diagram(keras_resnet, "en")
    # Stage 1 keeps the shape: its Add takes the block's input straight from the stem.
    assert '"stem_relu" -> "stage1_add";' in dot
    assert '"stage1_batch_norm2" -> "stage1_add";' in dot
    # Stage 2 halves the size: the shortcut goes through a 1x1 convolution.
    assert '"stage1_relu2" -> "stage2_shortcut";' in dot
    assert '"stage2_shortcut_batch_norm" -> "stage2_add";' in dot
    assert layer_guide.FAMILY_COLOURS["merge"] in dot


def test_diagram_speaks_the_language(torch_cnn):
    assert "320 paramètres" in layers.diagram(torch_cnn, "fr")
    assert "320 parameters" in layers.diagram(torch_cnn, "en")


def test_first_layer_filters_keras_rgb_and_torch_grey(keras_cnn, torch_cnn):
    name, filters = layers.first_layer_filters(keras_cnn)
    assert name == "conv_32" and filters.shape == (32, 3, 3, 3)
    weights = keras_cnn.model.get_layer("conv_32").get_weights()[0]
    # Filter 5, its top-left weight on the green channel: zero is grey, the largest weight white or black.
    largest = np.abs(weights[..., 5]).max()
    assert filters[5, 0, 0, 1] == pytest.approx(0.5 + weights[0, 0, 1, 5] / (2 * largest), abs=1e-6)
    assert filters.min() >= 0 and filters.max() <= 1
    name, filters = layers.first_layer_filters(torch_cnn)
    torch_weights = dict(torch_cnn.model.named_modules())[name].weight.detach().numpy()
    assert filters.shape == (32, 3, 3, 1)
    assert np.isclose(np.abs(filters[0] - 0.5).max(), 0.5)
    assert np.sign(filters[0, 1, 2, 0] - 0.5) == np.sign(torch_weights[0, 0, 1, 2])


def test_filters_need_a_convolution():
    dense = loaded_model("keras", "dense", (8, 8, 1))
    with pytest.raises(TranslatableError) as caught:
        layers.first_layer_filters(dense)
    assert caught.value.key == "inspection_error_no_convolution"
    with pytest.raises(TranslatableError, match="not a convolution"):
        layers.kernels(dense, "dense_128")


@pytest.mark.parametrize("fixture", ["keras_cnn", "torch_cnn"])
def test_feature_maps_of_every_layer(fixture, request):
    loaded = request.getfixturevalue(fixture)
    image = np.random.default_rng(0).random(loaded.input_shape, dtype=np.float32)
    for row in layers.summary(loaded):
        maps = layers.feature_maps(loaded, row.name, image)
        assert maps.shape == row.output_shape, row.name
        if maps.ndim == 3:
            normalised = layers.normalise_channels(maps)
            assert normalised.shape == (maps.shape[2], maps.shape[0], maps.shape[1])
            assert normalised.min() >= 0 and normalised.max() <= 1


def test_feature_maps_refuse_an_unknown_layer_and_a_wrong_image(torch_cnn):
    with pytest.raises(TranslatableError) as caught:
        layers.feature_maps(torch_cnn, "no_such_layer", np.zeros((8, 8, 1), np.float32))
    assert caught.value.key == "inspection_error_unknown_layer"
    with pytest.raises(TranslatableError) as caught:
        layers.feature_maps(torch_cnn, "conv_32", np.zeros((8, 8, 3), np.float32))
    assert caught.value.key == "inspection_error_channels"


def test_normalise_and_mosaic():
    maps = np.stack([np.arange(4.0).reshape(2, 2), np.full((2, 2), 7.0)], axis=-1)
    normalised = layers.normalise_channels(maps)
    assert np.allclose(normalised[0], [[0, 1 / 3], [2 / 3, 1]])
    assert normalised[1].tolist() == [[0, 0], [0, 0]]  # A constant channel carries nothing.
    picture = pictures.mosaic(normalised, columns=2, cell=4, gap=1)
    assert picture.shape == (4, 9, 3) and picture.dtype == np.uint8
    assert picture[0, 4].tolist() == [255, 255, 255]  # The gap between the two cells.
    assert picture[3, 3].tolist() == [255, 255, 255] and picture[0, 5].tolist() == [0, 0, 0]
    with pytest.raises(ValueError):
        pictures.mosaic(np.zeros((0, 2, 2)))


def test_uploaded_numpy_array_with_the_wrong_channels_is_refused(torch_cnn):
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(TranslatableError) as caught:
        layers.uploaded_input(torch_cnn, buffer.getvalue(), "three.npy")
    assert caught.value.key == "inspection_error_channels"
    buffer = io.BytesIO()
    np.save(buffer, np.full((8, 8), 255, np.uint8))
    pixels, notes = layers.uploaded_input(torch_cnn, buffer.getvalue(), "grey.npy")
    assert pixels.shape == (8, 8, 1) and pixels.max() == 1.0 and notes == []
    with pytest.raises(TranslatableError) as caught:
        layers.uploaded_input(torch_cnn, b"not numpy", "broken.npy")
    assert caught.value.key == "layers_error_bad_array"


def test_architecture_difference():
    first = {"backend": "torch", "model": "cnn", "dataset": "digits"}
    assert layers.architecture_difference(first, {**first, "dataset": "mnist"}) is None
    assert layers.architecture_difference(first, {**first, "backend": "keras"}) == "layers_special_other_backend"
    assert layers.architecture_difference(first, {**first, "model": "mlp"}) == "layers_special_other_model"


# Layers explained -----------------------------------------------------------------

# Every option that adds layers (BatchNorm, augmentation) is on, so their kinds are read too.
ALL_LAYER_OPTIONS = {"batch_norm": True, "augment_flip": True, "augment_shift": 0.1, "augment_rotation": 0.1}


def _model_kinds() -> dict[str, set[str]]:
    from core.backends import keras_backend
    from core.kinds.image_classification import torch_models

    found = {}
    from core.projects import cvae

    generative = cvae.PROJECT.models
    # Every kind's Keras models: classifiers, the VAEs, the pretext tasks' encoder-decoders.
    for name in backends.model_names("keras"):
        if name in generative:
            # The encoder and the decoder hold a generative model's layers.
            model = keras_backend.build(name, (32, 32, 3), len(CLASS_NAMES), cvae.GenerativeParameters())
            for part in (model, model.get_layer("encoder"), model.get_layer("decoder")):
                found[f"keras {name} {part.name}"] = set(layers.kinds_present(LoadedModel(model=part, backend=keras_backend, description={"backend": "keras", "model": name, "input_shape": [32, 32, 3], "class_names": CLASS_NAMES})))
            continue
        # transfer is built without ImageNet weights here (no network): same layers.
        found[f"keras {name}"] = set(layers.kinds_present(loaded_model("keras", name, (32, 32, 3), **ALL_LAYER_OPTIONS)))
    for name in torch_models.MODELS:
        found[f"torch {name}"] = set(layers.kinds_present(loaded_model("torch", name, (32, 32, 3))))
    return found


def test_every_layer_kind_of_every_model_has_an_explanation_in_both_languages():
    kinds_by_model = _model_kinds()
    assert {"Conv2D", "BatchNormalization", "RandomFlip", "Add", "GlobalAveragePooling2D", "softmax", "Conv2d", "Linear", "Conv2DTranspose", "Concatenate"} <= set.union(*kinds_by_model.values())
    for model, kinds in kinds_by_model.items():
        for kind in kinds:
            assert layer_guide.topic(kind) != layer_guide.UNKNOWN_TOPIC, f"{model}: {kind} has no explanation"
            english, french = layer_guide.explanation(kind, "en"), layer_guide.explanation(kind, "fr")
            assert english != french and len(english.split()) >= 12 and len(french.split()) >= 12, kind


def test_every_topic_has_texts_a_family_and_a_colour():
    topics = set(layer_guide.KIND_TOPICS.values())
    assert topics == set(layer_guide.TOPIC_FAMILIES)
    for topic in topics:
        for language in i18n.LANGUAGES:
            assert i18n.t(f"layers_topic_{topic}_title", language)
            assert 1 <= i18n.t(f"layers_topic_{topic}_text", language).count(". ") + 1 <= 5
        assert layer_guide.TOPIC_FAMILIES[topic] in layer_guide.FAMILY_COLOURS
    # The layer types the course names, in both frameworks where both exist.
    for kind in ("Dense", "Linear", "Conv2D", "Conv2d", "MaxPooling2D", "MaxPool2d", "AveragePooling2D", "BatchNormalization", "BatchNorm2d",
                 "Dropout", "Flatten", "GlobalAveragePooling2D", "ReLU", "Softmax", "Add", "MultiHeadAttention", "MultiheadAttention",
                 "RandomFlip", "RandomTranslation", "RandomRotation", "Rescaling", "InputLayer"):
        assert layer_guide.topic(kind) != layer_guide.UNKNOWN_TOPIC, kind


def test_an_unknown_kind_gets_a_generic_sentence():
    assert layer_guide.topic("FancyNewLayer") == layer_guide.UNKNOWN_TOPIC
    assert "FancyNewLayer" in layer_guide.explanation("FancyNewLayer", "en")
    assert "FancyNewLayer" in layer_guide.explanation("FancyNewLayer", "fr")
    assert layer_guide.title("FancyNewLayer") == "FancyNewLayer"
    assert layer_guide.colour("FancyNewLayer") == layer_guide.FAMILY_COLOURS["other"]
