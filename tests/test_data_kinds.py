"""core.data.kinds and core.data.containers: the declared data kinds and the shape checks
of the containers the next kinds of task will load."""
from __future__ import annotations

import numpy as np
import pytest

from core.data import ImagePool, kinds
from core.data.anomaly import AnomalySet
from core.data.containers import DetectionTargets, SeriesWindows, TokenSequences

VOCABULARY = ["<pad>", "good", "bad", "film"]


def test_the_kinds_and_their_containers():
    assert {name: kind.container for name, kind in kinds.DATA_KINDS.items()} == {
        "image_pool": ImagePool,
        "anomaly_set": AnomalySet,
        "token_sequences": TokenSequences,
        "series": SeriesWindows,
        "detection_targets": DetectionTargets,
    }
    with pytest.raises(ValueError, match="unknown data kind 'graph'; valid: image_pool, anomaly_set"):
        kinds.get_data_kind("graph")


def test_check_container_names_dataset_kind_and_what_came_back():
    pool = ImagePool(images=np.zeros((2, 4, 4, 1), np.float32), labels=np.array([0, 1]), class_names=["a", "b"], source="test")
    kinds.check_container(pool, "image_pool", "dataset_x")
    with pytest.raises(ValueError, match=r"dataset 'dataset_x' declares data kind 'anomaly_set' \(AnomalySet\), but its loader returned ImagePool"):
        kinds.check_container(pool, "anomaly_set", "dataset_x")


def test_as_pool_follows_the_kind():
    pool = ImagePool(images=np.zeros((2, 4, 4, 1), np.float32), labels=np.array([0, 1]), class_names=["a", "b"], source="test")
    assert kinds.as_pool(pool, "image_pool") is pool
    anomaly_set = AnomalySet(
        category="weave", source="test", train=np.zeros((3, 4, 4, 1), np.float32), test=np.zeros((2, 4, 4, 1), np.float32),
        defect_types=["good", "hole"], masks=np.zeros((2, 4, 4), np.float32),
    )
    shown = kinds.as_pool(anomaly_set, "anomaly_set")
    assert shown.class_names == ["good (train)", "good (test)", "hole (test)"] and shown.labels.tolist() == [0, 0, 0, 1, 2]
    with pytest.raises(ValueError, match="'series' has no image preview"):
        kinds.as_pool(pool, "series")


def _tokens(tokens, labels=(0, 1), class_names=("negative", "positive"), vocabulary=VOCABULARY):
    return TokenSequences(tokens=np.asarray(tokens), labels=np.asarray(labels), class_names=list(class_names), vocabulary=list(vocabulary), source="test")


def test_token_sequences_check_their_shapes_ids_and_labels():
    texts = _tokens([[1, 3, 0], [2, 3, 3]])
    assert texts.tokens.shape == (2, 3)
    with pytest.raises(ValueError, match=r"tokens must be \(count, length\), got \(6,\)"):
        _tokens([1, 3, 0, 2, 3, 3])
    with pytest.raises(ValueError, match="tokens must be integer ids, got float64"):
        _tokens([[1.0, 3.0], [2.0, 0.0]])
    with pytest.raises(ValueError, match=r"2 sequences but labels of shape \(3,\)"):
        _tokens([[1, 3], [2, 0]], labels=(0, 1, 1))
    with pytest.raises(ValueError, match=r"token ids must be 0 to 3 \(the vocabulary's size\), found 0 to 4"):
        _tokens([[1, 4], [2, 0]])
    with pytest.raises(ValueError, match=r"labels must be 0 to 1 \(2 class names\), found 0 to 2"):
        _tokens([[1, 3], [2, 0]], labels=(0, 2))


def _series(windows_shape=(5, 12, 2), targets_shape=(5, 3, 1), features=("load", "temperature"), targets=("load",)):
    return SeriesWindows(
        windows=np.zeros(windows_shape, np.float32), targets=np.zeros(targets_shape, np.float32),
        feature_names=list(features), target_names=list(targets), source="test",
    )


def test_series_windows_check_their_shapes_and_names():
    assert _series().windows.shape == (5, 12, 2)
    with pytest.raises(ValueError, match=r"windows must be \(count, steps, features\), got \(5, 12\)"):
        _series(windows_shape=(5, 12))
    with pytest.raises(ValueError, match=r"targets must be \(count, horizon, target count\), got \(5, 3\)"):
        _series(targets_shape=(5, 3))
    with pytest.raises(ValueError, match="5 windows but 4 targets"):
        _series(targets_shape=(4, 3, 1))
    with pytest.raises(ValueError, match="windows have 2 features but 1 feature names"):
        _series(features=("load",))
    with pytest.raises(ValueError, match="targets have 1 values a step but 2 target names"):
        _series(targets=("load", "temperature"))


def _detection(boxes, labels, images_shape=(2, 20, 30, 3)):
    return DetectionTargets(
        images=np.zeros(images_shape, np.float32), boxes=[np.asarray(array, np.float32).reshape(-1, 4) if len(array) else np.zeros((0, 4), np.float32) for array in boxes],
        labels=[np.asarray(array, np.int64) for array in labels], class_names=["cat", "dog"], source="test",
    )


def test_detection_targets_check_images_boxes_and_labels():
    # An image may hold no box at all.
    targets = _detection(boxes=[[[1, 2, 10, 12], [0, 0, 30, 20]], []], labels=[[0, 1], []])
    assert [len(boxes) for boxes in targets.boxes] == [2, 0]
    with pytest.raises(ValueError, match=r"images must be \(count, height, width, channels\)"):
        _detection(boxes=[[], []], labels=[[], []], images_shape=(2, 20, 30))
    with pytest.raises(ValueError, match="2 images but 1 box arrays and 2 label arrays"):
        _detection(boxes=[[]], labels=[[], []])
    with pytest.raises(ValueError, match=r"image 0: boxes must be \(boxes, 4\), got \(1, 3\)"):
        DetectionTargets(images=np.zeros((1, 20, 30, 3), np.float32), boxes=[np.zeros((1, 3), np.float32)], labels=[np.zeros(1, np.int64)], class_names=["cat"], source="test")
    with pytest.raises(ValueError, match=r"image 1: 1 boxes but labels of shape \(2,\)"):
        _detection(boxes=[[], [1, 2, 10, 12]], labels=[[], [0, 1]])
    with pytest.raises(ValueError, match="image 0: a box must have x_min < x_max and y_min < y_max"):
        _detection(boxes=[[10, 2, 1, 12], []], labels=[[0], []])
    with pytest.raises(ValueError, match="image 0: boxes must lie within the image, 30x20 pixels"):
        _detection(boxes=[[1, 2, 31, 12], []], labels=[[0], []])
    with pytest.raises(ValueError, match=r"image 0: labels must be 0 to 1 \(2 class names\), found 2 to 2"):
        _detection(boxes=[[1, 2, 10, 12], []], labels=[[2], []])
