"""Anomaly scores from reconstructions (issue 6): error maps, image scores, AUROC at the
image and pixel level, a threshold's precision and recall, heatmaps and the page's figures.

A model trained on defect-free images rebuilds a test image; where it fails to, the image
is likely defective. An error map is (height, width), larger where the reconstruction is
worse; an image's score is the mean of its map's highest pixels. Labels are 1 for a
defective image, 0 for a good one, as `core.data.anomaly.AnomalySet.labels` gives them.
"""
from __future__ import annotations

import numpy as np

from core import explanations, pictures
from core.data.anomaly import GOOD

SCORE_KINDS = ("l2", "ssim")
# SSIM's window (scikit-image's default); smaller images get the largest odd side that fits.
SSIM_WINDOW = 7
# The ground truth's outline on a heatmap: pure green, a colour the jet scale never takes.
OUTLINE_COLOUR = (0, 255, 0)
GOOD_COLOUR = "#1f77b4"
DEFECTIVE_COLOUR = "#d62728"
HISTOGRAM_BINS = 40
# Fewer good training images than this teach a detector little of what "good" looks like.
FEW_TRAINING_IMAGES = 20


# Error maps and scores -----------------------------------------------------------------


def error_maps(images: np.ndarray, reconstructions: np.ndarray, kind: str = "l2") -> np.ndarray:
    """(n, h, w) float32 maps, >= 0, of how far each reconstruction is from its image:
    `l2` the squared difference averaged over channels, `ssim` one minus the local
    structural similarity (averaged over channels). Images are (n, h, w[, c]) in [0, 1]."""
    if kind not in SCORE_KINDS:
        raise ValueError(f"unknown score kind {kind!r}; valid: {', '.join(SCORE_KINDS)}")
    images = _as_image_batch(images, "images")
    reconstructions = _as_image_batch(reconstructions, "reconstructions")
    if images.shape != reconstructions.shape:
        raise ValueError(f"images {images.shape} and reconstructions {reconstructions.shape} must have the same shape")
    if kind == "l2":
        maps = np.mean((images - reconstructions) ** 2, axis=-1)
    else:
        maps = np.stack([_ssim_error(image, reconstruction) for image, reconstruction in zip(images, reconstructions)]) if len(images) else np.zeros(images.shape[:3])
    return np.clip(maps, 0.0, None).astype(np.float32)


def _as_image_batch(images: np.ndarray, name: str) -> np.ndarray:
    """(n, h, w, c) float32; a (n, h, w) batch gets one channel."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4:
        raise ValueError(f"{name} must be (count, height, width[, channels]), got shape {images.shape}")
    return images


def _ssim_error(image: np.ndarray, reconstruction: np.ndarray) -> np.ndarray:
    """1 - the local SSIM map of one (h, w, c) pair, averaged over channels."""
    from skimage import metrics

    image, reconstruction = image.astype(np.float64), reconstruction.astype(np.float64)
    side = min(image.shape[:2])
    window = min(SSIM_WINDOW, side if side % 2 else side - 1)
    if window < 3:
        raise ValueError(f"SSIM needs images of at least 3x3 pixels, got {image.shape[0]}x{image.shape[1]}")
    if image.shape[-1] == 1:
        _, similarity = metrics.structural_similarity(image[..., 0], reconstruction[..., 0], win_size=window, data_range=1.0, full=True)
    else:
        _, similarity = metrics.structural_similarity(image, reconstruction, win_size=window, data_range=1.0, channel_axis=-1, full=True)
        similarity = similarity.mean(axis=-1)
    return 1.0 - similarity


def image_scores(maps: np.ndarray, top_fraction: float = 0.01) -> np.ndarray:
    """(n,) the mean of the highest `top_fraction` of each map's pixels (at least one pixel)."""
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3:
        raise ValueError(f"maps must be (count, height, width), got shape {maps.shape}")
    if not 0.0 < top_fraction <= 1.0:
        raise ValueError(f"top_fraction must be in (0, 1], got {top_fraction}")
    flat = maps.reshape(len(maps), -1)
    count = max(1, int(round(top_fraction * flat.shape[1])))
    if len(flat) == 0:
        return np.zeros(0, dtype=np.float32)
    top = np.partition(flat, flat.shape[1] - count, axis=1)[:, flat.shape[1] - count:]
    return top.mean(axis=1).astype(np.float32)


# Metrics -----------------------------------------------------------------------------


def _labels_and_scores(labels, scores) -> tuple[np.ndarray, np.ndarray]:
    labels = np.asarray(labels)
    scores = np.asarray(scores, dtype=np.float64)
    if labels.ndim != 1 or scores.ndim != 1 or len(labels) != len(scores):
        raise ValueError(f"labels and scores must be two 1-D arrays of one length, got shapes {labels.shape} and {scores.shape}")
    if len(labels) == 0:
        raise ValueError("no test image to score")
    if not np.isin(labels, (0, 1)).all():
        raise ValueError(f"labels must be 0 (good) or 1 (defective), got {sorted(set(labels.tolist()) - {0, 1})[:5]}")
    if not np.isfinite(scores).all():
        raise ValueError("scores must be finite numbers")
    return labels.astype(np.int64), scores


def image_auroc(labels, scores) -> float | None:
    """The area under the ROC curve of the image scores; None when the labels hold one class
    only (no defective image, or no good one), where AUROC is undefined."""
    from sklearn import metrics

    labels, scores = _labels_and_scores(labels, scores)
    if len(np.unique(labels)) < 2:
        return None
    return float(metrics.roc_auc_score(labels, scores))


def pixel_include(defect_types: list[str], unmasked: list[str]) -> np.ndarray:
    """(n,) bool: the test images pixel metrics may use, the good ones and the defective ones
    whose defect type has masks."""
    return np.array([kind == GOOD or kind not in unmasked for kind in defect_types], dtype=bool)


def _pixels(masks, maps, include) -> tuple[np.ndarray, np.ndarray]:
    """The included images' pixels, flattened: (bool labels, map values)."""
    masks = np.asarray(masks)
    maps = np.asarray(maps, dtype=np.float32)
    if masks.ndim != 3 or masks.shape != maps.shape:
        raise ValueError(f"masks and maps must be two (count, height, width) arrays of one shape, got {masks.shape} and {maps.shape}")
    include = np.ones(len(masks), dtype=bool) if include is None else np.asarray(include)
    if include.shape != (len(masks),) or include.dtype != bool:
        raise ValueError(f"include must be {len(masks)} booleans, one per image, got {include.dtype} of shape {include.shape}")
    return (masks[include] > 0.5).ravel(), maps[include].ravel()


def pixel_auroc(masks: np.ndarray, maps: np.ndarray, include: np.ndarray | None = None) -> float | None:
    """AUROC of the map values against the mask pixels, over the images where `include` is
    True (all by default); None when those pixels hold one class only."""
    curve = pixel_roc(masks, maps, include, max_points=None)
    return None if curve is None else curve[2]


def per_defect_auroc(defect_types: list[str], scores) -> dict[str, float]:
    """Image AUROC of each defect type against the good images, in the order the types
    first appear. Empty when there is no good image to compare with."""
    from sklearn import metrics

    defect_types = np.asarray(defect_types, dtype=object)
    scores = np.asarray(scores, dtype=np.float64)
    if defect_types.ndim != 1 or scores.shape != defect_types.shape:
        raise ValueError(f"defect_types and scores must have one entry per image, got {defect_types.shape} and {scores.shape}")
    good = defect_types == GOOD
    if not good.any():
        return {}
    result = {}
    for kind in dict.fromkeys(defect_types.tolist()):
        if kind == GOOD:
            continue
        chosen = good | (defect_types == kind)
        result[kind] = float(metrics.roc_auc_score(defect_types[chosen] == kind, scores[chosen]))
    return result


def roc_points(labels, scores, max_points: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(false positive rates, true positive rates, thresholds) of the ROC curve, for a figure;
    `max_points` thins a long curve, keeping its ends. ValueError for one class only."""
    from sklearn import metrics

    labels, scores = _labels_and_scores(labels, scores)
    if len(np.unique(labels)) < 2:
        raise ValueError("a ROC curve needs good and defective images")
    return _thin(metrics.roc_curve(labels, scores), max_points)


def image_curves(defect_types: list[str], scores, overall: str) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
    """ROC curves for roc_figure: every defective image against the good ones (named
    `overall`), then each defect type against the good ones. Empty without both kinds."""
    defect_types = np.asarray(defect_types, dtype=object)
    scores = np.asarray(scores, dtype=np.float64)
    good = defect_types == GOOD
    if good.all() or not good.any():
        return {}
    curves = {}
    for name, chosen in [(overall, np.ones(len(scores), bool)), *((kind, good | (defect_types == kind)) for kind in dict.fromkeys(defect_types[~good].tolist()))]:
        labels = ~good[chosen]
        fpr, tpr, _ = roc_points(labels, scores[chosen])
        curves[name] = (fpr, tpr, image_auroc(labels, scores[chosen]))
    return curves


def pixel_roc(masks: np.ndarray, maps: np.ndarray, include: np.ndarray | None = None, max_points: int | None = 1000) -> tuple[np.ndarray, np.ndarray, float] | None:
    """(false positive rates, true positive rates, AUROC) of the pixels of the images where
    `include` is True, the curve thinned to `max_points` (millions of pixels are too many to
    draw); None when those pixels hold one class only. One pass gives both the curve and
    its area: on 100 images of 256x256 a pass takes seconds."""
    from sklearn import metrics

    labels, values = _pixels(masks, maps, include)
    if labels.all() or not labels.any():
        return None
    # roc_curve and auc give roc_auc_score's value, in about half its time here.
    fpr, tpr, thresholds = metrics.roc_curve(labels, values)
    auroc = float(metrics.auc(fpr, tpr))
    fpr, tpr, _ = _thin((fpr, tpr, thresholds), max_points)
    return fpr, tpr, auroc


def _thin(curve, max_points: int | None):
    fpr, tpr, thresholds = curve
    if max_points is None or len(fpr) <= max_points:
        return fpr, tpr, thresholds
    if max_points < 2:
        raise ValueError(f"max_points must be at least 2, got {max_points}")
    kept = np.unique(np.round(np.linspace(0, len(fpr) - 1, max_points)).astype(np.int64))
    return fpr[kept], tpr[kept], thresholds[kept]


def threshold_report(labels, scores, threshold: float) -> dict:
    """What a threshold does: images scoring >= threshold are called defective. Precision,
    recall and F1 of the defective class, and the 2x2 confusion matrix (rows: true good,
    defective; columns: predicted good, defective)."""
    from sklearn import metrics

    labels, scores = _labels_and_scores(labels, scores)
    predicted = (scores >= threshold).astype(np.int64)
    return {
        "threshold": float(threshold),
        "precision": float(metrics.precision_score(labels, predicted, zero_division=0)),
        "recall": float(metrics.recall_score(labels, predicted, zero_division=0)),
        "f1": float(metrics.f1_score(labels, predicted, zero_division=0)),
        "confusion": metrics.confusion_matrix(labels, predicted, labels=[0, 1]),
    }


def default_threshold(labels, scores) -> float:
    """The threshold with the highest F1 on these scores. Without a defective image, just
    above the highest score (nothing flagged); without a good one, the lowest score."""
    from sklearn import metrics

    labels, scores = _labels_and_scores(labels, scores)
    if not labels.any():
        return float(np.nextafter(scores.max(), np.inf))
    if labels.all():
        return float(scores.min())
    precision, recall, thresholds = metrics.precision_recall_curve(labels, scores)
    # The last (precision 1, recall 0) point has no threshold.
    precision, recall = precision[:-1], recall[:-1]
    denominator = precision + recall
    f1 = np.divide(2 * precision * recall, denominator, out=np.zeros_like(denominator), where=denominator > 0)
    return float(thresholds[int(np.argmax(f1))])


# Images ------------------------------------------------------------------------------


def mask_outline(mask: np.ndarray) -> np.ndarray:
    """(h, w) bool: the mask's border pixels (the mask minus its erosion)."""
    from scipy import ndimage

    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise ValueError(f"mask must be (height, width), got shape {mask.shape}")
    filled = mask > 0.5
    return filled & ~ndimage.binary_erosion(filled)


def mask_contour(mask: np.ndarray) -> np.ndarray:
    """(h, w) bool: the one-pixel line just outside the mask, which leaves every pixel of
    the defect (a thin scratch too) to its heatmap."""
    from skimage import segmentation

    filled = np.asarray(mask) > 0.5
    if filled.ndim != 2:
        raise ValueError(f"mask must be (height, width), got shape {filled.shape}")
    return segmentation.find_boundaries(filled, mode="outer") & ~filled


def heatmap_overlay(image: np.ndarray, error_map: np.ndarray, opacity: float = 0.5, outline: np.ndarray | None = None, scale: float | None = None) -> np.ndarray:
    """(h, w, 3) uint8: the image with the error map in the jet colour scale over it, and the
    outline (bool (h, w)), when given, in OUTLINE_COLOUR. The map is divided by `scale`
    (pass one maximum for several images so their colours compare); default: its own max."""
    image = np.asarray(image, dtype=np.float32)
    error_map = np.asarray(error_map, dtype=np.float32)
    if error_map.ndim != 2:
        raise ValueError(f"error_map must be (height, width), got shape {error_map.shape}")
    if image.shape[:2] != error_map.shape or image.ndim not in (2, 3):
        raise ValueError(f"image {image.shape} and error_map {error_map.shape} must have the same height and width")
    scale = float(error_map.max()) if scale is None else float(scale)
    if scale < 0:
        raise ValueError(f"scale must be positive, got {scale}")
    normalised = np.clip(error_map / scale, 0.0, 1.0) if scale > 0 else np.zeros_like(error_map)
    pixels = explanations.overlay(image, normalised, opacity)
    if outline is not None:
        outline = np.asarray(outline, dtype=bool)
        if outline.shape != error_map.shape:
            raise ValueError(f"outline {outline.shape} must have the error map's shape {error_map.shape}")
        pixels[outline] = OUTLINE_COLOUR
    return pixels


# Figures -----------------------------------------------------------------------------


def map_scale(maps: np.ndarray) -> float | None:
    """One colour scale for a run's heatmaps, so a redder map is a larger error: the 99.9th
    percentile of all its maps (the maximum would let one outlier pale every other map)."""
    return float(np.percentile(np.asarray(maps, dtype=np.float32), 99.9)) or None


def scored_overlay(scored: dict, index: int, opacity: float = 0.5, scale: float | None = None, size: int | None = None) -> np.ndarray:
    """Test image `index` of a run's scores (detection.load_scores) with its heatmap over
    it and the true defect, if any, outlined. With `size`, the picture is first enlarged
    without blur (as pictures.enlarge) and the defect gets a one-pixel contour at that
    size: a border drawn before enlarging would cover a thin scratch with a green band."""
    mask = scored["masks"][index]
    image = pictures.as_float(scored["images"][index])
    error_map = scored["maps"][index].astype(np.float32)
    if size is None:
        return heatmap_overlay(image, error_map, opacity, mask_outline(mask) if mask.any() else None, scale)
    factor = max(1, size // max(error_map.shape))
    pixels = pictures.enlarge_by(heatmap_overlay(image, error_map, opacity, None, scale), factor)
    if mask.any():
        pixels[mask_contour(pictures.enlarge_by(np.asarray(mask), factor))] = OUTLINE_COLOUR
    return pixels


def display_order(defect_types, scores, kind: str = "") -> np.ndarray:
    """Positions of the test images of defect type `kind` ("": all) as the Anomalies page
    shows them: the defective ones first, then the good ones, each by decreasing score, so
    the first page shows what the detector must find, not six good images."""
    defect_types = np.asarray(defect_types, dtype=object)
    scores = np.asarray(scores, dtype=np.float64)
    chosen = np.flatnonzero(defect_types == kind) if kind else np.arange(len(defect_types))
    return chosen[np.lexsort((-scores[chosen], defect_types[chosen] == GOOD))]


def threshold_at(scores, percent: float) -> float:
    """The score at `percent` (0 to 100) of the way along the sorted scores. A slider over
    this moves one image per step, where a slider over the score range spends most of its
    travel above scores that sit bunched at its low end."""
    ordered = np.sort(np.asarray(scores, dtype=np.float64))
    position = int(round(float(percent) / 100.0 * (len(ordered) - 1)))
    return float(ordered[min(max(position, 0), len(ordered) - 1)])


def threshold_percent(scores, threshold: float) -> float:
    """Where `threshold` sits along the sorted scores, for threshold_at: 0 to 100."""
    ordered = np.sort(np.asarray(scores, dtype=np.float64))
    if len(ordered) < 2:
        return 0.0
    position = min(int(np.searchsorted(ordered, threshold, side="left")), len(ordered) - 1)
    return 100.0 * position / (len(ordered) - 1)


def run_warnings(results: dict, train_size: int | None) -> list[tuple[str, dict]]:
    """What a run's numbers hide, as (i18n key, values): an image AUROC below chance (the
    score ranks good images above defective ones) and too few training images."""
    warnings = []
    auroc = results.get("image_auroc")
    if auroc is not None and auroc < 0.5:
        warnings.append(("anomaly_warning_inverted", {"auroc": float(auroc)}))
    if train_size is not None and train_size < FEW_TRAINING_IMAGES:
        warnings.append(("anomaly_warning_few_images", {"count": int(train_size), "minimum": FEW_TRAINING_IMAGES}))
    return warnings


def score_histogram(labels, scores, threshold: float, titles: dict[str, str]):
    """Good and defective image scores as overlaid histograms on shared bins, with a
    vertical line at the threshold. `titles`: good, defective, threshold, score, count."""
    from plotly import graph_objects

    labels, scores = _labels_and_scores(labels, scores)
    low, high = float(scores.min()), float(scores.max())
    size = (high - low) / HISTOGRAM_BINS if high > low else 1.0
    bins = {"start": low, "end": high + size, "size": size}
    figure = graph_objects.Figure()
    for label, name, colour in ((0, titles["good"], GOOD_COLOUR), (1, titles["defective"], DEFECTIVE_COLOUR)):
        chosen = scores[labels == label]
        if len(chosen):
            figure.add_trace(graph_objects.Histogram(x=chosen, name=name, xbins=bins, marker={"color": colour}, opacity=0.6))
    figure.add_vline(x=float(threshold), line={"color": "black", "dash": "dash"}, annotation_text=titles["threshold"], annotation_position="top")
    figure.update_layout(
        barmode="overlay", xaxis_title=titles["score"], yaxis_title=titles["count"],
        height=320, margin={"t": 30, "b": 40, "l": 40, "r": 10}, legend={"orientation": "h", "y": -0.25},
    )
    return figure


def roc_figure(curves: dict[str, tuple[np.ndarray, np.ndarray, float | None]], titles: dict[str, str], language: str = "en"):
    """One ROC curve per name, (false positive rates, true positive rates, AUROC or None),
    and the diagonal of chance. `titles`: false_positive_rate, true_positive_rate, chance.
    A stored name (a defect type: "scratch") and the AUROC are shown in `language`."""
    from plotly import graph_objects

    from core import i18n
    from core.analysis import figures

    figure = graph_objects.Figure()
    for name, (fpr, tpr, auroc) in curves.items():
        shown = figures.plotly_text(i18n.name_text(name, language))
        label = shown if auroc is None else f"{shown} (AUROC {i18n.number_text(float(auroc), language, '.3f')})"
        figure.add_trace(graph_objects.Scatter(x=np.asarray(fpr), y=np.asarray(tpr), mode="lines", name=label))
    figure.add_trace(graph_objects.Scatter(x=[0, 1], y=[0, 1], mode="lines", name=titles["chance"], line={"color": "grey", "dash": "dot"}))
    figure.update_layout(
        xaxis={"title": titles["false_positive_rate"], "range": [0, 1]}, yaxis={"title": titles["true_positive_rate"], "range": [0, 1.02]},
        height=380, margin={"t": 20, "b": 40, "l": 40, "r": 10}, legend={"orientation": "h", "y": -0.25},
    )
    return figure
