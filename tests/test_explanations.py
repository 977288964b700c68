"""core.explanations and core.inspection on Keras and torch models: every method of the
table on both backends, the patch check (GradCAM++ points at the patch that decides the
class), and each bad input the issue lists."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from core import explanations, inference, inspection
from core.backends import keras_backend, torch_backend
from core.data import generated
from core.i18n import TranslatableError
from core.projects.image_classification import ImageClassificationParameters

BACKENDS = {"keras": keras_backend, "torch": torch_backend}


def loaded_model(backend_name: str, model_name: str = "small_cnn", input_shape=(32, 32, 3), class_count: int = 4, model=None):
    backend = BACKENDS[backend_name]
    if model is None:
        model = backend.build(model_name, input_shape, class_count, ImageClassificationParameters(), warn=lambda message: None)
    description = {"backend": backend_name, "model": model_name, "input_shape": list(input_shape), "class_names": [f"class {index}" for index in range(class_count)]}
    return inference.LoadedModel(model=model, backend=backend, description=description)


@pytest.fixture(scope="module", params=list(BACKENDS))
def untrained(request):
    return loaded_model(request.param)


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).random((3, 32, 32, 3), dtype=np.float32)


class SilentReporter:
    def batch_end(self, *arguments):
        pass

    def epoch_end(self, *arguments):
        pass


@pytest.fixture(scope="module", params=list(BACKENDS))
def trained_on_patches(request):
    """The course's small CNN trained on the generated patches: the class is decided by a
    10×10 pattern at a random place, known from the masks."""
    train_images, train_labels, _ = generated.make_patches(200, seed=0)
    test_images, test_labels, test_masks = generated.make_patches(15, seed=1)
    split = SimpleNamespace(x_train=train_images, y_train=train_labels, x_validation=test_images, y_validation=test_labels, class_count=4)
    loaded = loaded_model(request.param)
    loaded.backend.fit(loaded.model, split, ImageClassificationParameters(epochs=8, learning_rate=0.001), SilentReporter())
    return loaded, test_images, test_labels, test_masks


@pytest.mark.parametrize("method", list(explanations.METHODS))
def test_every_method_gives_one_normalised_map_per_image(untrained, images, method):
    result = explanations.explain(untrained, images, method)
    assert result.maps.shape == (3, 32, 32)
    assert result.maps.dtype == np.float32
    assert 0.0 <= result.maps.min() and result.maps.max() <= 1.0
    assert np.array_equal(result.class_indices, result.probabilities.argmax(1))
    assert (result.layer is not None) == explanations.METHODS[method].needs_convolution


def test_cam_layer_defaults_to_the_last_convolution_and_accepts_an_earlier_one(untrained, images):
    assert explanations.explain(untrained, images[:1], "gradcam").layer == "conv_64"
    earlier = explanations.explain(untrained, images[:1], "gradcam", layer="conv_32")
    assert earlier.layer == "conv_32" and earlier.maps.shape == (1, 32, 32)


def test_explained_class_can_be_chosen_per_image_or_for_all(untrained, images):
    assert explanations.explain(untrained, images, "saliency", classes=2).class_indices.tolist() == [2, 2, 2]
    assert explanations.explain(untrained, images, "saliency", classes=[0, 1, 3]).class_indices.tolist() == [0, 1, 3]


def test_gradcam_plus_plus_points_at_the_patch_that_decides_the_class(trained_on_patches):
    loaded, test_images, test_labels, test_masks = trained_on_patches
    assert (loaded.predict(test_images).argmax(1) == test_labels).mean() >= 0.9  # The model learnt the task.
    result = explanations.explain(loaded, test_images, "gradcam_plus_plus", classes=test_labels)
    overlaps = [explanations.region_iou(explanation_map, mask) for explanation_map, mask in zip(result.maps, test_masks)]
    assert np.mean(overlaps) >= 0.5, f"{loaded.description['backend']}: mean IoU {np.mean(overlaps):.2f}"
    # The map is about the patch, not anywhere: against a patch elsewhere it overlaps little.
    elsewhere = [explanations.region_iou(explanation_map, np.roll(mask, 16, axis=(0, 1))) for explanation_map, mask in zip(result.maps, test_masks)]
    assert np.mean(elsewhere) < 0.2


def test_model_without_convolution_says_so_and_saliency_still_works(images):
    dense = loaded_model("keras", "dense")
    with pytest.raises(TranslatableError) as raised:
        explanations.explain(dense, images, "gradcam_plus_plus")
    assert raised.value.key == "inspection_error_no_convolution"
    assert "Saliency" in str(raised.value)
    assert explanations.explain(dense, images, "saliency").maps.shape == (3, 32, 32)


def test_unknown_layer_names_the_valid_ones(untrained, images):
    with pytest.raises(TranslatableError, match="no layer called 'conv_999'.*conv_32") as raised:
        explanations.explain(untrained, images, "gradcam", layer="conv_999")
    assert raised.value.key == "inspection_error_unknown_layer"


def test_a_layer_without_feature_maps_is_refused_for_cams(untrained, images):
    with pytest.raises(TranslatableError) as raised:
        explanations.explain(untrained, images, "gradcam", layer="dense_64")
    assert raised.value.key == "explain_error_layer_not_spatial"
    assert "conv_64" in str(raised.value)


def test_images_with_the_wrong_number_of_channels_are_refused(untrained):
    with pytest.raises(TranslatableError, match="1 channel.*takes 3") as raised:
        explanations.explain(untrained, np.zeros((1, 32, 32, 1), dtype=np.float32))
    assert raised.value.key == "inspection_error_channels"
    with pytest.raises(TranslatableError) as raised:
        explanations.explain(untrained, np.zeros((1, 28, 28, 3), dtype=np.float32))
    assert raised.value.key == "inspection_error_image_shape"


def test_unknown_class_and_method_are_refused(untrained, images):
    with pytest.raises(TranslatableError, match="Class 7 does not exist"):
        explanations.explain(untrained, images, "saliency", classes=7)
    with pytest.raises(TranslatableError, match="valid: gradcam_plus_plus, gradcam"):
        explanations.explain(untrained, images, "lime")


def test_every_method_has_a_title_and_an_explanation_in_both_languages():
    from core import i18n

    for name, method in explanations.METHODS.items():
        assert i18n.t(method.title, "en") and i18n.t(method.title, "fr")
        assert i18n.t(f"explain_about_{name}", "en") != i18n.t(f"explain_about_{name}", "fr")


def test_overlay_blends_the_map_over_the_image():
    image = np.full((8, 8, 1), 0.5, dtype=np.float32)
    explanation_map = np.zeros((8, 8), dtype=np.float32)
    explanation_map[:4] = 1.0
    only_image = explanations.overlay(image, explanation_map, opacity=0.0)
    assert only_image.shape == (8, 8, 3) and only_image.dtype == np.uint8
    assert np.all(np.abs(only_image.astype(int) - 127) <= 1)
    only_map = explanations.overlay(image, explanation_map, opacity=1.0)
    hot, cold = only_map[0, 0].astype(int), only_map[7, 7].astype(int)
    assert hot[0] > hot[1] and hot[0] > hot[2] and cold[2] > cold[0] and cold[2] > cold[1]  # Jet: hot is red, cold is blue.
    with pytest.raises(ValueError, match="opacity"):
        explanations.overlay(image, explanation_map, opacity=1.5)


def test_region_iou_of_the_top_tenth():
    mask = np.zeros((10, 10), dtype=bool)
    mask[:1] = True  # 10 pixels: the top 10% of 100.
    perfect = mask.astype(np.float32)
    assert explanations.region_iou(perfect, mask) == 1.0
    assert explanations.region_iou(1.0 - perfect, mask) == 0.0
    half = np.zeros((10, 10), dtype=np.float32)
    half[0, :5] = 1.0
    half[5, :5] = 0.9
    assert explanations.region_iou(half, mask) == pytest.approx(5 / 15)


def test_test_image_indices_pick_all_or_the_misclassified():
    labels = np.array([0, 1, 2, 3, 0, 1])
    predictions = np.array([0, 2, 2, 0, 0, 1])
    assert explanations.test_image_indices(labels, predictions, False, 3, start=2).tolist() == [2, 3, 4]
    assert explanations.test_image_indices(labels, predictions, True, 5).tolist() == [1, 3]
    assert explanations.test_image_indices(labels, labels, True, 5).tolist() == []


def test_layers_are_described_alike_on_both_backends(untrained):
    layers = inspection.layers(untrained)
    assert [layer.name for layer in layers if layer.is_convolution] == ["conv_32", "conv_64"]
    by_name = {layer.name: layer for layer in layers}
    assert by_name["conv_32"].output_shape == (30, 30, 32)  # Channels last on torch too.
    assert by_name["conv_32"].parameter_count == 3 * 3 * 3 * 32 + 32
    assert sum(layer.parameter_count for layer in layers) == untrained.backend.parameter_count(untrained.model)
    assert inspection.penultimate_layer(untrained) in ("dense_64", "relu_dense")
    outputs = inspection.layer_outputs(untrained, "pool_64", np.zeros((2, 32, 32, 3), dtype=np.float32))
    assert outputs.shape == (2, 6, 6, 64)


def test_torch_checkpoints_from_before_named_layers_still_load(tmp_path):
    import torch

    loaded = loaded_model("torch", "cnn", (8, 8, 1), 10)
    path = tmp_path / torch_backend.CHECKPOINT_FILE
    torch_backend.save(loaded.model, path)
    checkpoint = torch.load(path, weights_only=True)
    # The keys an unnamed nn.Sequential had: "0.weight", "3.bias", ...
    old_keys = torch.nn.Sequential(*loaded.model.children()).state_dict().keys()
    checkpoint["state_dict"] = dict(zip(old_keys, checkpoint["state_dict"].values()))
    assert "0.weight" in checkpoint["state_dict"]
    torch.save(checkpoint, path)
    reloaded = torch_backend.load(path, {})
    images = np.random.default_rng(0).random((2, 8, 8, 1), dtype=np.float32)
    assert np.allclose(torch_backend.predict(reloaded, images), torch_backend.predict(loaded.model, images), atol=1e-6)
