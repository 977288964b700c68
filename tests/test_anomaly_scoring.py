"""Anomaly scoring (issue 6): error maps, image scores, AUROC, thresholds, heatmaps and figures,
on small hand-made images whose answers are known."""
from __future__ import annotations

import numpy as np
import pytest

from core.data import anomaly as anomaly_data
from core.kinds.anomaly_detection import analysis as anomaly


def textures(count: int = 4, size: int = 32, channels: int = 3, seed: int = 0) -> np.ndarray:
    """Smooth random images in [0, 1]: sine patterns with a random phase."""
    generator = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    images = []
    for _ in range(count):
        phase = generator.uniform(0, 2 * np.pi, channels)
        images.append(np.stack([0.5 + 0.3 * np.sin(2 * np.pi * 3 * (x + y) + phase[channel]) for channel in range(channels)], axis=-1))
    return np.asarray(images, dtype=np.float32)


def damaged(images: np.ndarray, top: int = 10, left: int = 12, side: int = 6) -> np.ndarray:
    """The images with a black square at (top, left)."""
    copy = images.copy()
    copy[:, top:top + side, left:left + side] = 0.0
    return copy


# Error maps ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", anomaly.SCORE_KINDS)
@pytest.mark.parametrize("channels", [1, 3])
def test_error_map_is_zero_for_identical_images_and_peaks_at_the_changed_square(kind, channels):
    images = textures(channels=channels)
    same = anomaly.error_maps(images, images, kind)
    assert same.shape == (4, 32, 32) and same.dtype == np.float32
    assert np.abs(same).max() < 1e-5
    maps = anomaly.error_maps(images, damaged(images), kind)
    assert maps.min() >= 0.0
    for error_map in maps:
        row, column = np.unravel_index(error_map.argmax(), error_map.shape)
        # SSIM's 7x7 window spreads the error up to 3 pixels around the square.
        margin = 3 if kind == "ssim" else 0
        assert 10 - margin <= row < 16 + margin and 12 - margin <= column < 18 + margin
        inside = error_map[10:16, 12:18].mean()
        far = error_map[24:, :6].mean()
        assert inside > 10 * far + 1e-3


def test_l2_map_is_the_squared_difference_averaged_over_channels():
    images = np.zeros((1, 4, 4, 3), np.float32)
    reconstructions = images.copy()
    reconstructions[0, 1, 2] = [0.3, 0.0, 0.6]
    maps = anomaly.error_maps(images, reconstructions, "l2")
    assert maps[0, 1, 2] == pytest.approx((0.09 + 0.36) / 3)
    assert maps.sum() == pytest.approx((0.09 + 0.36) / 3)


def test_ssim_works_on_tiny_images_and_refuses_smaller_than_its_window():
    images = textures(count=2, size=5)
    maps = anomaly.error_maps(images, damaged(images, 1, 1, 2), "ssim")
    assert maps.shape == (2, 5, 5) and maps.max() > 0
    with pytest.raises(ValueError, match="at least 3x3"):
        anomaly.error_maps(np.zeros((1, 2, 2, 1)), np.zeros((1, 2, 2, 1)), "ssim")


def test_error_maps_refuse_bad_arguments():
    images = textures()
    with pytest.raises(ValueError, match="same shape"):
        anomaly.error_maps(images, images[:, :16], "l2")
    with pytest.raises(ValueError, match="valid: l2, ssim"):
        anomaly.error_maps(images, images, "l1")
    with pytest.raises(ValueError, match="count, height, width"):
        anomaly.error_maps(images[0, 0], images[0, 0])


# Image scores ------------------------------------------------------------------------


def test_top_fraction_score_is_the_mean_of_the_highest_pixels():
    maps = np.zeros((2, 10, 10), np.float32)
    maps[0].flat[:5] = [5, 4, 3, 2, 1]
    assert anomaly.image_scores(maps, 0.03)[0] == pytest.approx(4.0)
    assert anomaly.image_scores(maps, 0.0001)[0] == pytest.approx(5.0)  # At least one pixel.
    assert anomaly.image_scores(maps, 1.0)[0] == pytest.approx(15 / 100)
    with pytest.raises(ValueError, match="top_fraction"):
        anomaly.image_scores(maps, 0.0)


@pytest.mark.parametrize("kind", anomaly.SCORE_KINDS)
def test_a_damaged_image_scores_above_a_clean_one(kind):
    images = textures(count=6)
    reconstructions = images + np.random.default_rng(1).normal(0, 0.01, images.shape).astype(np.float32)
    tests = np.concatenate([images[:3], damaged(images[3:])])
    scores = anomaly.image_scores(anomaly.error_maps(tests, reconstructions, kind))
    assert scores[3:].min() > scores[:3].max()


# AUROC -------------------------------------------------------------------------------


def test_image_auroc_separated_tied_and_one_class():
    labels = np.array([0, 0, 0, 1, 1])
    assert anomaly.image_auroc(labels, [0.1, 0.2, 0.3, 0.8, 0.9]) == pytest.approx(1.0)
    assert anomaly.image_auroc(labels, [0.9, 0.8, 0.7, 0.2, 0.1]) == pytest.approx(0.0)
    assert anomaly.image_auroc(labels, np.full(5, 0.4)) == pytest.approx(0.5)
    assert anomaly.image_auroc([0, 0, 0], [0.1, 0.2, 0.3]) is None
    assert anomaly.image_auroc([1, 1], [0.1, 0.2]) is None
    with pytest.raises(ValueError, match="one length"):
        anomaly.image_auroc([0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="0 \\(good\\) or 1"):
        anomaly.image_auroc([0, 2], [0.1, 0.2])


def square_masks() -> np.ndarray:
    masks = np.zeros((3, 8, 8), np.float32)
    masks[1, 2:5, 2:5] = 1
    masks[2, 4:7, 1:3] = 1
    return masks


def test_pixel_auroc_is_one_when_the_map_equals_the_mask_and_none_without_positives():
    masks = square_masks()
    assert anomaly.pixel_auroc(masks, masks) == pytest.approx(1.0)
    assert anomaly.pixel_auroc(masks, 1.0 - masks) == pytest.approx(0.0)
    assert anomaly.pixel_auroc(np.zeros_like(masks), masks) is None
    # Only the good image kept: no defective pixel.
    assert anomaly.pixel_auroc(masks, masks, np.array([True, False, False])) is None


def test_pixel_auroc_include_really_leaves_images_out():
    masks = square_masks()
    maps = masks.copy()
    # Image 2's defect is missed entirely and its map lights up elsewhere.
    maps[2] = 0
    maps[2, 0, 0] = 1
    assert anomaly.pixel_auroc(masks, maps) < 0.95
    assert anomaly.pixel_auroc(masks, maps, np.array([True, True, False])) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="3 booleans"):
        anomaly.pixel_auroc(masks, maps, np.array([1, 1, 0]))


def test_pixel_include_keeps_good_images_and_masked_defects():
    include = anomaly.pixel_include(["good", "hole", "scratch", "good", "hole"], unmasked=["hole"])
    assert include.tolist() == [True, False, True, True, False]


def test_per_defect_auroc_compares_each_type_with_the_good_images():
    defect_types = ["good", "good", "hole", "hole", "scratch", "scratch"]
    scores = [0.1, 0.3, 0.9, 0.8, 0.2, 0.4]
    result = anomaly.per_defect_auroc(defect_types, scores)
    assert list(result) == ["hole", "scratch"]
    assert result["hole"] == pytest.approx(1.0)
    # Scratch scores 0.2 and 0.4 against good 0.1 and 0.3: 3 of 4 pairs ordered right.
    assert result["scratch"] == pytest.approx(0.75)
    assert anomaly.per_defect_auroc(["hole", "scratch"], [0.1, 0.2]) == {}


def test_roc_points_and_their_thinning():
    labels = np.array([0, 0, 1, 1])
    fpr, tpr, thresholds = anomaly.roc_points(labels, [0.1, 0.4, 0.35, 0.8])
    assert fpr[0] == 0 and tpr[-1] == 1 and fpr[-1] == 1
    assert len(fpr) == len(tpr) == len(thresholds)
    generator = np.random.default_rng(0)
    many = generator.integers(0, 2, 2000)
    fpr, tpr, _ = anomaly.roc_points(many, generator.random(2000) + many * 0.2, max_points=50)
    assert len(fpr) <= 50 and fpr[0] == 0 and fpr[-1] == 1 and tpr[-1] == 1
    assert np.all(np.diff(fpr) >= 0)
    with pytest.raises(ValueError, match="good and defective"):
        anomaly.roc_points([0, 0], [0.1, 0.2])


def test_pixel_roc_gives_the_curve_and_sklearns_auroc_in_one_pass():
    from sklearn import metrics

    masks = square_masks()
    fpr, tpr, auroc = anomaly.pixel_roc(masks, masks)
    assert auroc == pytest.approx(1.0) and np.trapezoid(tpr, fpr) == pytest.approx(1.0)
    generator = np.random.default_rng(0)
    masks = (generator.random((4, 32, 32)) > 0.9).astype(np.float32)
    maps = generator.random((4, 32, 32)).astype(np.float32) + 0.3 * masks
    include = np.array([True, False, True, True])
    fpr, tpr, auroc = anomaly.pixel_roc(masks, maps, include, max_points=100)
    assert len(fpr) <= 100 and fpr[-1] == 1 and tpr[-1] == 1
    expected = metrics.roc_auc_score(masks[include].ravel() > 0.5, maps[include].ravel())
    assert auroc == pytest.approx(expected) == pytest.approx(anomaly.pixel_auroc(masks, maps, include))
    assert anomaly.pixel_roc(np.zeros_like(masks), maps) is None


# Thresholds --------------------------------------------------------------------------


def test_threshold_report_on_a_hand_made_case():
    labels = np.array([0, 0, 0, 0, 1, 1, 1])
    scores = np.array([0.1, 0.2, 0.3, 0.6, 0.5, 0.7, 0.9])
    report = anomaly.threshold_report(labels, scores, 0.55)
    # Flagged: 0.6 (good), 0.7 and 0.9 (defective); 0.5 (defective) is missed.
    assert report["confusion"].tolist() == [[3, 1], [1, 2]]
    assert report["precision"] == pytest.approx(2 / 3)
    assert report["recall"] == pytest.approx(2 / 3)
    assert report["f1"] == pytest.approx(2 / 3)
    # A score equal to the threshold is flagged.
    assert anomaly.threshold_report(labels, scores, 0.5)["recall"] == pytest.approx(1.0)
    nothing = anomaly.threshold_report(labels, scores, 2.0)
    assert nothing["precision"] == 0 and nothing["recall"] == 0 and nothing["confusion"].tolist() == [[4, 0], [3, 0]]


def test_default_threshold_maximises_f1():
    labels = np.array([0, 0, 0, 0, 1, 1, 1])
    scores = np.array([0.1, 0.2, 0.3, 0.6, 0.5, 0.7, 0.9])
    threshold = anomaly.default_threshold(labels, scores)
    # At 0.5 all three defects are flagged with one false alarm: F1 6/7, the best of all cuts.
    assert threshold == pytest.approx(0.5)
    best = max(anomaly.threshold_report(labels, scores, cut)["f1"] for cut in scores)
    assert anomaly.threshold_report(labels, scores, threshold)["f1"] == pytest.approx(best) == pytest.approx(6 / 7)


def test_default_threshold_with_one_class_flags_nothing_or_everything():
    scores = np.array([0.2, 0.5, 0.4])
    above = anomaly.default_threshold([0, 0, 0], scores)
    assert above > 0.5 and anomaly.threshold_report([0, 0, 0], scores, above)["confusion"].tolist() == [[3, 0], [0, 0]]
    assert anomaly.default_threshold([1, 1, 1], scores) == pytest.approx(0.2)


# Images ------------------------------------------------------------------------------


def test_mask_outline_of_a_filled_square_is_its_border():
    mask = np.zeros((10, 10), np.float32)
    mask[2:7, 3:8] = 1
    outline = anomaly.mask_outline(mask)
    expected = np.zeros((10, 10), bool)
    expected[2:7, 3:8] = True
    expected[3:6, 4:7] = False
    assert outline.dtype == bool
    assert np.array_equal(outline, expected)
    assert not anomaly.mask_outline(np.zeros((5, 5))).any()
    with pytest.raises(ValueError, match="height, width"):
        anomaly.mask_outline(np.zeros((2, 5, 5)))


@pytest.mark.parametrize("channels", [1, 3])
def test_heatmap_overlay_shape_colours_and_outline(channels):
    image = textures(count=1, size=16, channels=channels)[0]
    error_map = np.zeros((16, 16), np.float32)
    error_map[4:8, 4:8] = 2.0
    mask = (error_map > 0).astype(np.float32)
    pixels = anomaly.heatmap_overlay(image, error_map, opacity=1.0, outline=anomaly.mask_outline(mask))
    assert pixels.shape == (16, 16, 3) and pixels.dtype == np.uint8
    outline_pixels = np.all(pixels == anomaly.OUTLINE_COLOUR, axis=-1)
    assert outline_pixels.sum() == 12
    # The map's peak is red in the jet scale, the rest dark blue; nothing green without an outline.
    assert pixels[5, 5].tolist() == [128, 0, 0]
    assert pixels[12, 12].tolist() == [0, 0, 128]
    assert not np.all(anomaly.heatmap_overlay(image, error_map, opacity=0.5) == anomaly.OUTLINE_COLOUR, axis=-1).any()


def test_heatmap_overlay_shared_scale_and_bad_arguments():
    image = np.full((8, 8, 3), 0.5, np.float32)
    error_map = np.full((8, 8), 0.5, np.float32)
    own = anomaly.heatmap_overlay(image, error_map, opacity=1.0)
    shared = anomaly.heatmap_overlay(image, error_map, opacity=1.0, scale=1.0)
    assert own[0, 0].tolist() == [128, 0, 0]  # Its own max: the top of the scale.
    assert shared[0, 0].tolist() == [128, 255, 128]  # Half of the shared scale: the middle.
    blank = anomaly.heatmap_overlay(image, np.zeros((8, 8)), opacity=1.0)
    assert blank[0, 0].tolist() == [0, 0, 128]
    with pytest.raises(ValueError, match="same height and width"):
        anomaly.heatmap_overlay(image, np.zeros((4, 4)))
    with pytest.raises(ValueError, match="outline"):
        anomaly.heatmap_overlay(image, error_map, outline=np.zeros((4, 4), bool))
    with pytest.raises(ValueError, match="opacity"):
        anomaly.heatmap_overlay(image, error_map, opacity=2.0)


# Figures -----------------------------------------------------------------------------

HISTOGRAM_TITLES = {"good": "good", "defective": "defective", "threshold": "threshold", "score": "score", "count": "images"}
ROC_TITLES = {"false_positive_rate": "false positive rate", "true_positive_rate": "true positive rate", "chance": "chance"}


def test_score_histogram_overlays_both_classes_with_the_threshold_line():
    from plotly import graph_objects

    figure = anomaly.score_histogram([0, 0, 1, 1], [0.1, 0.2, 0.6, 0.7], 0.4, HISTOGRAM_TITLES)
    assert isinstance(figure, graph_objects.Figure)
    assert [trace.name for trace in figure.data] == ["good", "defective"]
    assert figure.layout.barmode == "overlay"
    assert figure.data[0].xbins.size == figure.data[1].xbins.size
    assert [shape.x0 for shape in figure.layout.shapes] == [0.4]
    only_good = anomaly.score_histogram([0, 0], [0.3, 0.3], 0.5, HISTOGRAM_TITLES)
    assert [trace.name for trace in only_good.data] == ["good"]


def test_roc_figure_has_a_curve_per_name_and_the_chance_line():
    from plotly import graph_objects

    labels = np.array([0, 0, 1, 1])
    fpr, tpr, _ = anomaly.roc_points(labels, [0.1, 0.4, 0.35, 0.8])
    figure = anomaly.roc_figure({"image": (fpr, tpr, 0.75), "pixel": (fpr, tpr, None)}, ROC_TITLES)
    assert isinstance(figure, graph_objects.Figure)
    assert [trace.name for trace in figure.data] == ["image (AUROC 0.750)", "pixel", "chance"]


# On a generated category -------------------------------------------------------------


def test_scores_on_generated_textures_with_a_perfect_reconstruction_of_the_good_texture():
    """A model that rebuilds the defect-free texture exactly: every defect is found."""
    dataset = anomaly_data.make_textures("weave", train_count=1, good_tests=4, defects_per_kind=2, size=32, seed=3)
    generator = np.random.default_rng(0)
    clean = dataset.test.copy()
    defective = dataset.labels == 1
    # A stand-in reconstruction: each defect painted over in mid-grey, so only defects differ.
    clean[defective] = np.where(dataset.masks[defective][..., np.newaxis] > 0, 0.5, dataset.test[defective])
    reconstructions = clean + generator.normal(0, 0.005, clean.shape).astype(np.float32)
    for kind in anomaly.SCORE_KINDS:
        maps = anomaly.error_maps(dataset.test, reconstructions, kind)
        scores = anomaly.image_scores(maps)
        assert anomaly.image_auroc(dataset.labels, scores) == pytest.approx(1.0)
        assert anomaly.pixel_auroc(dataset.masks, maps, anomaly.pixel_include(dataset.defect_types, dataset.unmasked)) > 0.9
        assert set(anomaly.per_defect_auroc(dataset.defect_types, scores)) == set(anomaly_data.DEFECT_KINDS)


def test_image_curves_give_all_defects_then_each_type_against_the_good_images():
    defect_types = ["good", "good", "hole", "stain", "hole", "stain"]
    scores = [0.1, 0.2, 0.9, 0.15, 0.8, 0.3]
    curves = anomaly.image_curves(defect_types, scores, "all")
    assert list(curves) == ["all", "hole", "stain"]
    assert curves["hole"][2] == 1.0 and curves["stain"][2] == anomaly.per_defect_auroc(defect_types, scores)["stain"] == 0.75
    assert curves["all"][2] == anomaly.image_auroc([0, 0, 1, 1, 1, 1], scores)
    assert anomaly.image_curves(["good", "good"], [0.1, 0.2], "all") == {}
