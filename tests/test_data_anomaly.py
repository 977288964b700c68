"""Anomaly datasets (issue 6): the MVTec AD / AutoVI category loader on the real "grid"
sample and on folders made to be wrong, and the generated textures."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from core_fixtures import SHARED_DATA
from PIL import Image

from core import i18n
from core.data import anomaly

GRID = SHARED_DATA / "mvtec_ad" / "grid"
requires_grid = pytest.mark.skipif(not GRID.is_dir(), reason=f"{GRID} is absent: the real MVTec AD grid sample (../shared/data/mvtec_ad) is not on this machine")


def write_image(path: Path, size: tuple[int, int] = (40, 40), value: int = 128, mode: str = "L") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, value if mode == "L" else (value, 20, 200)).save(path)


def make_category(root: Path, defects: dict[str, int], masks: bool = True, good_tests: int = 2, train: int = 3, size=(40, 40)) -> Path:
    """A small category in MVTec's layout: grey images, a square mask per defective one."""
    for index in range(train):
        write_image(root / "train" / "good" / f"{index:03}.png", size)
    for index in range(good_tests):
        write_image(root / "test" / "good" / f"{index:03}.png", size)
    for defect, count in defects.items():
        for index in range(count):
            write_image(root / "test" / defect / f"{index:03}.png", size, value=30)
            if masks:
                mask = Image.new("L", size, 0)
                mask.paste(255, (10, 10, 20, 20))
                (root / "ground_truth" / defect).mkdir(parents=True, exist_ok=True)
                mask.save(root / "ground_truth" / defect / f"{index:03}_mask.png")
    return root


def without_training(root: Path) -> Path:
    shutil.rmtree(root / "train")
    return root


@requires_grid
def test_the_real_grid_sample_loads_with_its_masks():
    grid = anomaly.load_category(str(GRID), image_size=64)
    assert grid.category == "grid" and grid.grey
    assert grid.train.shape == (7, 64, 64, 1) and grid.test.shape == (14, 64, 64, 1)
    assert grid.train.dtype == np.float32 and 0.0 <= grid.train.min() and grid.train.max() <= 1.0
    assert sorted(set(grid.defect_types)) == ["bent", "broken", "glue", "good", "metal_contamination", "thread"]
    assert int(grid.labels.sum()) == 11 and grid.has_defects and grid.has_good_tests
    assert set(np.unique(grid.masks)) <= {0.0, 1.0}
    defective = grid.labels == 1
    assert (grid.masks[defective].sum(axis=(1, 2)) > 0).all() and grid.masks[~defective].sum() == 0
    assert grid.pixel_metrics and grid.unmasked == [] and grid.notes == []
    assert anomaly.scan_category(str(GRID)) == {"train/good": 7, "test/bent": 3, "test/broken": 2, "test/glue": 2, "test/good": 3, "test/metal_contamination": 2, "test/thread": 2}


@pytest.mark.parametrize(
    ("make", "key"),
    [
        (lambda root: "", "anomaly_error_no_path"),
        (lambda root: str(root / "nowhere"), "anomaly_error_not_a_folder"),
        (lambda root: str(without_training(make_category(root / "c", {"scratch": 2}))), "anomaly_error_no_train_good"),
        (lambda root: str(make_category(root / "c", {}, good_tests=0)), "anomaly_error_no_test"),
    ],
)
def test_a_folder_that_is_not_a_category_is_refused_in_both_languages(tmp_path, make, key):
    with pytest.raises(anomaly.AnomalyDataError) as raised:
        anomaly.load_category(make(tmp_path), 32)
    assert raised.value.key == key
    assert i18n.t(key, "fr", **raised.value.values) != str(raised.value)


def test_defects_without_masks_turn_pixel_metrics_off_for_them_only(tmp_path):
    root = make_category(tmp_path / "c", {"hole": 2, "stain": 2})
    shutil.rmtree(root / "ground_truth" / "stain")
    partly = anomaly.load_category(str(root), 32)
    assert partly.unmasked == ["stain"] and partly.pixel_metrics
    assert any("no masks for stain" in note for note in partly.notes)
    shutil.rmtree(root / "ground_truth")
    none = anomaly.load_category(str(root), 32)
    assert none.unmasked == ["hole", "stain"] and not none.pixel_metrics
    assert none.masks.sum() == 0 and int(none.labels.sum()) == 4  # Still scored as images.


def test_images_of_mixed_sizes_are_resized_and_said(tmp_path):
    root = make_category(tmp_path / "c", {"hole": 1})
    write_image(root / "train" / "good" / "large.png", (80, 60))
    loaded = anomaly.load_category(str(root), 32)
    assert loaded.train.shape == (4, 32, 32, 1)
    assert loaded.notes == ["images of 2 sizes (40x40, 80x60): all resized to 32x32"]


def test_a_category_without_defective_images_says_so(tmp_path):
    loaded = anomaly.load_category(str(make_category(tmp_path / "c", {})), 32)
    assert not loaded.has_defects and loaded.has_good_tests and not loaded.pixel_metrics


def test_autovi_masks_are_folders_of_regions_joined(tmp_path):
    root = make_category(tmp_path / "engine_wiring", {"missing_part": 1}, masks=False)
    regions = root / "ground_truth" / "missing_part" / "000"
    regions.mkdir(parents=True)
    for number, box in enumerate([(0, 0, 10, 10), (30, 30, 40, 40)]):
        mask = Image.new("L", (40, 40), 0)
        mask.paste(255, box)
        mask.save(regions / f"{number:04}.png")
    loaded = anomaly.load_category(str(root), 40)
    assert loaded.unmasked == [] and loaded.masks[loaded.labels == 1][0].sum() == 200


def test_a_colour_category_keeps_three_channels(tmp_path):
    root = tmp_path / "bottle"
    for index in range(2):
        write_image(root / "train" / "good" / f"{index}.png", mode="RGB")
    write_image(root / "test" / "good" / "0.png", mode="RGB")
    loaded = anomaly.load_category(str(root), 16)
    assert loaded.train.shape == (2, 16, 16, 3) and not loaded.grey


def test_an_unreadable_image_is_named(tmp_path):
    root = make_category(tmp_path / "c", {"hole": 1})
    (root / "test" / "hole" / "broken.png").write_bytes(b"not a png")
    with pytest.raises(anomaly.AnomalyDataError, match="broken.png is not a readable image"):
        anomaly.load_category(str(root), 32)


@pytest.mark.parametrize("category", anomaly.TEXTURE_CATEGORIES)
def test_generated_textures_have_defects_where_their_masks_say(category):
    textures = anomaly.make_textures(category, train_count=10, good_tests=5, defects_per_kind=4, size=48, seed=3)
    channels = 1 if category == "stripes" else 3
    assert textures.train.shape == (10, 48, 48, channels) and textures.test.shape == (17, 48, 48, channels)
    assert textures.grey == (category == "stripes")
    assert textures.defect_types == ["good"] * 5 + [kind for kind in anomaly.DEFECT_KINDS for _ in range(4)]
    defective = textures.labels == 1
    areas = textures.masks.sum(axis=(1, 2))
    assert (areas[defective] > 10).all() and (areas[~defective] == 0).all()
    assert 0.0 <= textures.test.min() and textures.test.max() <= 1.0
    # The same seed gives the same set; another seed, another one.
    again = anomaly.make_textures(category, train_count=10, good_tests=5, defects_per_kind=4, size=48, seed=3)
    np.testing.assert_array_equal(again.test, textures.test)
    assert not np.allclose(anomaly.make_textures(category, train_count=10, good_tests=5, defects_per_kind=4, size=48, seed=4).test, textures.test)


def test_a_defect_changes_the_pixels_under_its_mask():
    generator = np.random.default_rng(0)
    clean = np.full((40, 40, 3), 0.5, np.float32)
    for kind in anomaly.DEFECT_KINDS:
        damaged, mask = anomaly._defect(clean, kind, generator, grey=False)
        changed = np.abs(damaged - clean).max(axis=-1) > 0.05
        np.testing.assert_array_equal(changed, mask.astype(bool))
    with pytest.raises(ValueError, match="unknown texture"):
        anomaly.make_textures("marble")
