"""Bad uploads and bad images: archives that grow too big, entries that clash, decompression
bombs, non-finite pixels, odd arrays and fake images in anomaly categories. Every refusal is a
TranslatableError whose key has English and French, so a page shows it in the user's language."""
from __future__ import annotations

import io
import os
import struct
import time
import zipfile
import zlib
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from core import i18n, images
from core.data import anomaly, folders
from core.i18n import TranslatableError


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("DLLAB_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _refused(error_type, key: str, function, *arguments, **options):
    with pytest.raises(error_type) as caught:
        function(*arguments, **options)
    assert caught.value.key == key, str(caught.value)
    # Both languages fill in the same values without a KeyError.
    assert i18n.t(key, "fr", **caught.value.values)
    return caught.value


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _png_bytes(size=(12, 12), color=(120, 60, 30), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color if mode == "RGB" else color[0]).save(buffer, "PNG")
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header (with a correct checksum) claims another size."""
    data = bytearray(_png_bytes())
    header_start = data.index(b"IHDR")
    struct.pack_into(">II", data, header_start + 4, width, height)
    struct.pack_into(">I", data, header_start + 17, zlib.crc32(bytes(data[header_start : header_start + 17])))
    return bytes(data)


def _tiff(values: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(values.astype(np.float32), mode="F").save(buffer, "TIFF")
    return buffer.getvalue()


def _npy(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)
    return buffer.getvalue()


# 1. Uploads bounded, and cleaned up.


def test_a_zip_of_many_small_bombs_is_refused_by_its_total_size(tmp_path, monkeypatch):
    # The reported archive: 30 entries of 9 MiB zeros, each under the per-entry threshold. Scaled
    # down here (30 x 90 KiB under a 100 KiB threshold) so the test writes almost nothing.
    monkeypatch.setattr(folders, "BOMB_ENTRY_BYTES", 100 * 1024)
    entries = {"cats/a.png": _png_bytes(), **{f"dogs/{index}.png": bytes(90 * 1024) for index in range(30)}}
    archive = _zip(entries)
    assert len(archive) * folders.MAX_COMPRESSION_RATIO < 30 * 90 * 1024
    destination = tmp_path / "uploads"
    error = _refused(folders.FolderError, "folder_error_zip_expands", folders.extract_zip, archive, destination)
    assert error.values["limit"] == folders.MAX_COMPRESSION_RATIO
    assert not destination.exists() or not list(destination.iterdir())


def test_the_reported_archive_writes_nothing(tmp_path):
    # The real sizes: 30 x 9 MiB of zeros; refused before a byte is written.
    archive = _zip({"cats/a.png": _png_bytes(), **{f"dogs/{index}.png": bytes(9 * 1024**2) for index in range(30)}})
    destination = tmp_path / "uploads"
    _refused(folders.FolderError, "folder_error_zip_expands", folders.extract_zip, archive, destination)
    assert not destination.exists() or not list(destination.iterdir())


def test_the_per_upload_cap_and_the_entry_count_name_their_limit(tmp_path, monkeypatch):
    destination = tmp_path / "uploads"
    monkeypatch.setattr(folders, "MAX_EXTRACTED_BYTES", 2 * 1024**2)
    too_large = _zip({"cats/a.png": os.urandom(1024**2), "dogs/a.png": os.urandom(1024**2 + 10)})
    error = _refused(folders.FolderError, "folder_error_zip_too_large", folders.extract_zip, too_large, destination)
    assert error.values == {"limit_mb": 2}
    monkeypatch.setattr(folders, "MAX_ZIP_ENTRIES", 3)
    many = _zip({f"cats/{index}.png": _png_bytes() for index in range(4)})
    assert _refused(folders.FolderError, "folder_error_zip_too_many_entries", folders.extract_zip, many, destination).values == {"count": 4, "limit": 3}


def _upload(index: int, size: int = 300 * 1024) -> bytes:
    """A distinct zip of two classes whose entries weigh `size` bytes in all (random: incompressible)."""
    return _zip({"cats/a.png": os.urandom(size // 2) + bytes([index]), "dogs/a.png": os.urandom(size // 2)})


def test_the_uploads_area_is_capped_and_the_least_recently_used_upload_goes_first(tmp_path, monkeypatch):
    destination = tmp_path / "uploads"
    monkeypatch.setattr(folders, "MAX_UPLOADS_BYTES", 700 * 1024)  # Room for two uploads, not three.
    monkeypatch.setattr(folders, "uploads_in_use", lambda root: set())
    first_upload = _upload(1)
    first = folders.extract_zip(first_upload, destination)
    second = folders.extract_zip(_upload(2), destination)
    # The first upload is used again: the second becomes the least recently used.
    now = time.time()
    os.utime(second, (now - 100, now - 100))
    os.utime(first, (now - 200, now - 200))
    assert folders.extract_zip(first_upload, destination) == first
    third = folders.extract_zip(_upload(3), destination)
    assert first.is_dir() and third.is_dir() and not second.exists()
    assert folders.folder_bytes(destination) <= folders.MAX_UPLOADS_BYTES


def test_an_upload_larger_than_the_whole_area_is_refused_naming_the_limit(tmp_path, monkeypatch):
    destination = tmp_path / "uploads"
    monkeypatch.setattr(folders, "MAX_UPLOADS_BYTES", 200 * 1024)
    error = _refused(folders.FolderError, "folder_error_uploads_full", folders.extract_zip, _upload(1), destination)
    assert error.values["limit_mb"] == pytest.approx(0.2, abs=0.01)


def test_an_upload_in_use_by_a_queued_run_is_kept(tmp_path, monkeypatch):
    destination = tmp_path / "uploads"
    monkeypatch.setattr(folders, "MAX_UPLOADS_BYTES", 700 * 1024)  # Room for two uploads, not three.
    used = folders.extract_zip(_upload(1), destination)
    old = time.time() - 3 * folders.UPLOAD_MAX_AGE_SECONDS
    os.utime(used, (old, old))
    monkeypatch.setattr(folders, "uploads_in_use", lambda root: {used})
    second = folders.extract_zip(_upload(2), destination)
    # Old, but a run will read it: it stays.
    assert used.is_dir() and second.is_dir()
    monkeypatch.setattr(folders, "uploads_in_use", lambda root: {used, second / "cats"})
    _refused(folders.FolderError, "folder_error_uploads_full", folders.extract_zip, _upload(3), destination)
    assert used.is_dir() and second.is_dir() and len(list(destination.iterdir())) == 2


def test_old_unused_uploads_are_removed(tmp_path, monkeypatch):
    destination = tmp_path / "uploads"
    old_folder = folders.extract_zip(_upload(1), destination)
    recent = folders.extract_zip(_upload(2), destination)
    old = time.time() - 2 * folders.UPLOAD_MAX_AGE_SECONDS
    os.utime(old_folder, (old, old))
    (destination / ".partial-abandoned").mkdir()
    os.utime(destination / ".partial-abandoned", (old, old))
    monkeypatch.setattr(folders, "uploads_in_use", lambda root: set())
    removed = folders.prune_uploads(destination)
    assert removed == 2 and not old_folder.exists() and recent.is_dir()
    assert not (destination / ".partial-abandoned").exists()


def test_uploads_in_use_reads_the_queued_and_running_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("DLLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    from core.runs import store

    destination = tmp_path / "artifacts" / "uploads"
    folder = folders.extract_zip(_upload(1), destination)
    finished = folders.extract_zip(_upload(2), destination)
    for path, status in ((folder, "queued"), (finished, "finished")):
        run_id = store.create_run({"project": "cifar10", "model": "cnn", "dataset": "folder", "backend": "keras", "hyperparameters": {"data_path": str(path)}})
        store.write_status(store.run_dir(run_id), status=status)
    in_use = folders.uploads_in_use(destination)
    assert folder.resolve() in in_use and finished.resolve() not in in_use


# 2. Entries that clash.


@pytest.mark.parametrize("order", [("b/x.png", "b/x.png/y.png"), ("b/x.png/y.png", "b/x.png")])
def test_an_entry_that_is_both_a_file_and_a_folder_is_a_folder_error(tmp_path, order):
    archive = _zip({name: _png_bytes() for name in order})
    destination = tmp_path / "uploads"
    error = _refused(folders.FolderError, "folder_error_zip_conflict", folders.extract_zip, archive, destination)
    assert error.values == {"name": "b/x.png"}
    assert not destination.exists() or not list(destination.iterdir())


def test_a_write_failure_inside_extraction_is_a_folder_error(tmp_path, monkeypatch):
    def refuse(*arguments, **options):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(folders.FolderError):
        folders.extract_zip(_zip({"cats/a.png": _png_bytes(), "dogs/a.png": _png_bytes()}), tmp_path / "uploads")


# 3. The anomaly loader's pixel limit.


def _category(root: Path, size=(24, 24), train: int = 3, mode="L") -> Path:
    for index in range(train):
        (root / "train" / "good").mkdir(parents=True, exist_ok=True)
        Image.new(mode, size, 128 if mode == "L" else (128, 40, 200)).save(root / "train" / "good" / f"{index:03}.png")
    (root / "test" / "good").mkdir(parents=True)
    Image.new(mode, size, 128 if mode == "L" else (128, 40, 200)).save(root / "test" / "good" / "000.png")
    (root / "test" / "hole").mkdir(parents=True)
    Image.new(mode, size, 30 if mode == "L" else (30, 40, 200)).save(root / "test" / "hole" / "000.png")
    return root


def test_the_pixel_limit_is_one_constant_shared_by_every_loader():
    assert folders.MAX_PIXELS is images.MAX_PIXELS
    assert anomaly.MAX_PIXELS is images.MAX_PIXELS


@pytest.mark.parametrize("where", ["train/good/001.png", "test/hole/000.png"])
def test_an_anomaly_image_above_the_pixel_limit_is_refused_naming_it(tmp_path, where):
    root = _category(tmp_path / "c")
    (root / where).write_bytes(_png_claiming(9000, 9000))  # 81 megapixels, a tiny file.
    error = _refused(anomaly.AnomalyDataError, "anomaly_error_too_large", anomaly.load_category, str(root), 16)
    assert error.values["path"].endswith(where.split("/")[-1]) and error.values["limit"] == images.MAX_PIXELS // 1_000_000


def test_a_decompression_bomb_is_refused_not_a_raw_pillow_error(tmp_path, monkeypatch):
    root = _category(tmp_path / "c")
    # Above twice Pillow's own limit, Image.open itself raises DecompressionBombError.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    (root / "train" / "good" / "001.png").write_bytes(_png_bytes(size=(20, 20)))
    _refused(anomaly.AnomalyDataError, "anomaly_error_too_large", anomaly.load_category, str(root), 16)


def test_a_large_jpeg_is_decoded_at_reduced_scale(tmp_path, monkeypatch):
    root = _category(tmp_path / "c", mode="RGB")
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1600), (200, 50, 20)).save(buffer, "JPEG")
    (root / "train" / "good" / "001.jpg").write_bytes(buffer.getvalue())
    decoded_sizes = []
    original_load = Image.Image.load

    def recording_load(image):
        result = original_load(image)
        decoded_sizes.append(image.size)
        return result

    monkeypatch.setattr(Image.Image, "load", recording_load)
    data = anomaly.load_category(str(root), 32)
    assert data.train.shape == (4, 32, 32, 3)
    assert (1600, 1600) not in decoded_sizes and max(width for width, _ in decoded_sizes) <= 400


# 4. Non-finite and uniform pixels.


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("style", ["ink", "photo"])
def test_a_float_tiff_with_non_finite_pixels_is_refused(bad, style):
    values = np.zeros((20, 20), np.float32)
    values[5:15, 8:12] = 0.9
    values[0, 0] = bad
    error = _refused(images.ImageError, "image_error_not_finite", images.prepare, _tiff(values), (28, 28, 3), style)
    assert error.values == {"count": 1}


def test_centre_ink_is_safe_on_an_empty_or_blank_image():
    for grey in (np.zeros((0, 0)), np.zeros((5, 0)), np.zeros((6, 6)), np.full((6, 6), np.nan)):
        with pytest.raises(images.ImageError) as caught:
            images._centre_ink(grey, 8, [])
        assert caught.value.key == "image_error_blank"


@pytest.mark.parametrize("value", [-3.0, 0.0, 0.4, 7.0])
def test_a_uniform_photo_is_said_to_be_uniform_not_silently_black(value):
    prepared = images.prepare(_tiff(np.full((20, 20), value)), (16, 16, 3), "photo")
    assert "image_note_uniform" in prepared.notes
    assert i18n.t("image_note_uniform", "fr")


def test_a_float_tiff_with_negative_values_keeps_its_contrast():
    values = np.full((20, 20), -1.0)
    values[:, 10:] = 1.0
    pixels = images.prepare(_tiff(values), (20, 20, 1), "photo").pixels[..., 0]
    assert pixels[:, :8].max() < 0.05 and pixels[:, 12:].min() > 0.95


# 5. Arrays uploaded as .npy.


@pytest.mark.parametrize(
    ("array", "key"),
    [
        (np.full((8, 8), np.nan), "image_error_array_not_finite"),
        (np.ones((8, 8), np.complex64), "image_error_array_type"),
        (np.array(3.0), "image_error_array_shape"),
        (np.ones((2, 8, 8, 1)), "image_error_array_shape"),
        (np.ones((9, 8)), "image_error_array_shape"),
        (np.ones((8, 8, 2)), "inspection_error_channels"),
        (np.array(["a"] * 64).reshape(8, 8), "image_error_array_type"),
        (np.ones((8, 8), bool), "image_error_array_type"),
    ],
)
def test_a_bad_array_is_refused_with_the_expected_shape(array, key):
    error = _refused(images.ImageError, key, images.array_input, _npy(array), (8, 8, 1))
    if key == "image_error_array_shape":
        assert error.values["expected"] == "8×8×1" and "8×8×1" in str(error)
        assert error.values["got"]  # Never the empty text of "The images are ;".


def test_a_good_array_becomes_model_input():
    prepared = images.array_input(_npy(np.arange(64, dtype=np.uint8).reshape(8, 8) * 4), (8, 8, 1))
    assert prepared.pixels.shape == (8, 8, 1) and prepared.pixels.dtype == np.float32
    assert prepared.pixels.max() == pytest.approx(252 / 255)
    unit = images.array_input(_npy(np.full((8, 8, 3), 0.5)), (8, 8, 3))
    assert unit.pixels.shape == (8, 8, 3) and unit.pixels.max() == pytest.approx(0.5)
    _refused(images.ImageError, "layers_error_bad_array", images.array_input, b"not an array", (8, 8, 1))


def test_the_inside_page_upload_goes_through_the_array_checks():
    from core.analysis import layers

    loaded = SimpleNamespace(input_shape=(8, 8, 1), preparation="ink")
    with pytest.raises(TranslatableError) as caught:
        layers.uploaded_input(loaded, _npy(np.array(3.0)), "scalar.npy")
    assert caught.value.key == "image_error_array_shape"


# 6. Unreadable images in an anomaly category.


@pytest.mark.parametrize("content", [b"just some text", None])
def test_a_fake_or_truncated_png_in_a_category_names_the_file(tmp_path, content):
    root = _category(tmp_path / "c")
    path = root / "train" / "good" / "000.png"
    path.write_bytes(content if content is not None else path.read_bytes()[:50])
    for function in (anomaly.is_grey_category, lambda where: anomaly.load_category(where, 16)):
        error = _refused(anomaly.AnomalyDataError, "anomaly_error_unreadable", function, str(root))
        assert error.values["path"] == str(path)


def test_the_command_line_prints_one_line_for_a_fake_png(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DLLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    from core.runs import cli

    root = _category(tmp_path / "c")
    (root / "train" / "good" / "000.png").write_bytes(b"just some text")
    code = cli.main(["train", "anomaly", "--dataset", "category_folder", "--model", "colorization", "--set", f"category_path={root}"])
    output = capsys.readouterr()
    assert code != 0 and "Traceback" not in output.err
    lines = output.err.strip().splitlines()
    assert len(lines) == 1 and "000.png" in lines[0] and "not a readable image" in lines[0]


# 7. Too few images to split, and bad masks.


def test_a_folder_too_small_to_split_says_how_many_images_are_needed(tmp_path):
    from core.data import ImagePool, split_pool

    pool = ImagePool(images=np.zeros((10, 4, 4, 3), np.float32), labels=np.repeat(np.arange(5), 2), class_names=list("abcde"), source="test")
    error = _refused(TranslatableError, "folder_error_too_few_to_split", split_pool, pool, 0, 0.1)
    assert error.values["needed"] > 10 and error.values["count"] == 10 and error.values["classes"] == 5
    # The number said is enough: that many images, as evenly spread, split.
    needed = error.values["needed"]
    enough = ImagePool(images=np.zeros((needed, 1, 1, 1), np.float32), labels=np.arange(needed) % 5, class_names=list("abcde"), source="test")
    assert len(set(split_pool(enough, 0, 0.1).y_train)) == 5


def test_a_class_with_too_few_images_is_named(tmp_path):
    labels = np.array([0] * 30 + [1] * 30 + [2])
    error = _refused(TranslatableError, "folder_error_class_too_small", folders.check_splittable, labels, ["a", "b", "c"], 0.1)
    assert error.values["name"] == "c" and error.values["count"] == 1 and error.values["needed"] >= 2


@pytest.mark.parametrize("counts", [(7, 7, 7), (14, 14, 14), (4, 30, 30), (3, 3, 40), (21, 20, 20), (70, 70, 70), (2, 200, 200)])
@pytest.mark.parametrize("validation_fraction", [0.05, 0.1, 0.2, 0.5])
def test_what_the_check_accepts_scikit_learn_splits_with_every_class_in_training(counts, validation_fraction):
    from core.data import ImagePool, split_pool

    labels = np.repeat(np.arange(len(counts)), counts)
    pool = ImagePool(images=np.zeros((len(labels), 1, 1, 1), np.float32), labels=labels, class_names=["a", "b", "c"], source="test")
    try:
        folders.check_splittable(labels, pool.class_names, validation_fraction)
    except TranslatableError:
        return
    for seed in range(5):
        split = split_pool(pool, seed, validation_fraction)
        assert len(set(split.y_train)) == 3 and len(split.y_validation) and len(split.y_test)


def test_loading_a_folder_of_four_images_is_refused_before_the_split(tmp_path):
    from core.data import split_pool

    root = tmp_path / "data"
    for name in ("cats", "dogs"):
        (root / name).mkdir(parents=True)
        for index in range(2):
            (root / name / f"{index}.png").write_bytes(_png_bytes(color=(index * 40, 20, 20)))
    pool = folders.load_folder(root, image_size=8)
    error = _refused(TranslatableError, "folder_error_too_few_to_split", split_pool, pool, 0, 0.1)
    assert error.values["count"] == 4


def _masked_category(root: Path, mask: bytes | None, mask_size=(24, 24)) -> Path:
    _category(root)
    (root / "ground_truth" / "hole").mkdir(parents=True)
    path = root / "ground_truth" / "hole" / "000_mask.png"
    if mask is None:
        Image.new("L", mask_size, 0).save(path)
    else:
        path.write_bytes(mask)
    return root


def test_a_mask_whose_size_differs_from_its_image_is_named(tmp_path):
    root = _masked_category(tmp_path / "c", None, mask_size=(30, 24))
    error = _refused(anomaly.AnomalyDataError, "anomaly_error_mask_size", anomaly.load_category, str(root), 16)
    assert error.values["path"].endswith("000_mask.png") and error.values["mask_size"] == "30x24" and error.values["image_size"] == "24x24"


def test_an_unreadable_mask_is_named(tmp_path):
    root = _masked_category(tmp_path / "c", b"no mask here")
    error = _refused(anomaly.AnomalyDataError, "anomaly_error_unreadable", anomaly.load_category, str(root), 16)
    assert error.values["path"].endswith("000_mask.png")


def test_waiting_on_a_run_that_failed_on_its_images_prints_the_sentence_not_the_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DLLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    from core.runs import cli, store

    sentence = i18n.t("anomaly_error_unreadable", "en", path="/data/c/train/good/000.png")
    tail = "Traceback (most recent call last):\n  File \"x.py\"\ncore.data.anomaly.AnomalyDataError: " + sentence
    # The worker marks a TranslatableError's failure bad_input (core.runs.worker).
    for error, bad_input, expected_code in ((sentence, True, cli.EXIT_BAD_INPUT), ("ZeroDivisionError: division by zero", False, 1)):
        run_id = store.create_run({"project": "anomaly", "model": "autoencoder", "dataset": "category_folder", "backend": "keras", "hyperparameters": {}})
        store.write_status(store.run_dir(run_id), status="failed", error=error, log_tail=tail, bad_input=bad_input)
        assert cli._wait(run_id) == expected_code
        printed = capsys.readouterr().err
        if expected_code == cli.EXIT_BAD_INPUT:
            assert "Traceback" not in printed and printed.strip().splitlines()[-1] == f"run {run_id} failed: {sentence}"
        else:
            assert "Traceback" in printed  # An unexpected failure keeps its log for whoever debugs it.


def test_colorization_on_a_grey_category_is_refused_in_both_languages():
    from core.kinds.anomaly_detection import train as detection

    error = _refused(TranslatableError, "anomaly_error_colorization_grey", detection.check_task, "colorization", True)
    assert i18n.t(error.key, "fr") != str(error)
    detection.check_task("colorization", False)


def test_a_run_that_meets_an_unreadable_mask_fails_with_its_sentence_in_both_languages(runs_root, tmp_path):
    # The real queue and worker: the refusal is stored by key, so the Run page says it in French.
    from core_fixtures import wait_for_state
    from page_fixtures import open_page

    from core.runs import queue

    root = _masked_category(tmp_path / "c", b"no mask here")
    run_id = queue.submit("anomaly", "category_folder", "autoencoder", "keras", {"category_path": str(root), "image_size": 16, "epochs": 1})
    status = wait_for_state(run_id).status
    assert status["status"] == "failed" and status["bad_input"] and status["error_key"] == "anomaly_error_unreadable"
    assert status["error"] == i18n.t("anomaly_error_unreadable", "en", **status["error_values"])
    page = open_page("run", language="fr", query={"run": run_id})
    shown = " ".join(element.value for element in page.error)
    assert i18n.t("anomaly_error_unreadable", "fr", path="§").split("§")[1].strip() in shown
    assert "Traceback" not in shown and "AnomalyDataError" not in shown
