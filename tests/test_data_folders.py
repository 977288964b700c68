"""core.data.folders: image folders and uploaded zips become pools, or a FolderError with a key."""
from __future__ import annotations

import io
import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

from core import images
from core.data import folders
from core.i18n import strings_folders

RED, GREEN, BLUE, GREY = (220, 20, 20), (20, 200, 20), (20, 20, 220), (128, 128, 128)


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("DLLAB_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _save(path: Path, color=GREY, size=(40, 30), mode="RGB", **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).convert(mode).save(path, **options)
    return path


def _dataset(root: Path, counts: dict[str, int]) -> Path:
    """A class folder per name, each image a colour of its own so tests can tell them apart."""
    for class_index, (name, count) in enumerate(counts.items()):
        (root / name).mkdir(parents=True, exist_ok=True)
        for index in range(count):
            _save(root / name / f"{index:03d}.png", color=(class_index * 40, index * 8, 100))
    return root


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _png_bytes(color=GREY) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), color).save(buffer, "PNG")
    return buffer.getvalue()


def _set_flag_bits(data: bytes, set_bits: int = 0, clear_bits: int = 0) -> bytes:
    """Rewrite the general-purpose flags of every local (offset 6) and central (offset 8) header."""
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            position = match.start() + offset
            flags = struct.unpack_from("<H", data, position)[0]
            struct.pack_into("<H", data, position, (flags | set_bits) & ~clear_bits)
    return bytes(data)


def _refusal(key: str, function, *arguments, **options) -> folders.FolderError:
    with pytest.raises(folders.FolderError) as caught:
        function(*arguments, **options)
    assert caught.value.key == key, str(caught.value)
    return caught.value


# Scanning


def test_scan_counts_images_by_name_and_ignores_other_files(tmp_path, monkeypatch):
    root = _dataset(tmp_path / "data", {"cats": 3, "dogs": 2})
    (root / "cats" / "notes.txt").write_text("not an image")
    (root / "cats" / ".DS_Store").write_bytes(b"\0")
    (root / "dogs" / "._001.png").write_bytes(b"mac metadata")  # An image name, but hidden.
    _save(root / "dogs" / "nested" / "UPPER.JPG", mode="RGB", format="JPEG")
    (root / "README.md").write_text("top-level file")
    (root / "birds").mkdir()
    (root / "birds" / "list.csv").write_text("a,b")
    # Scanning decodes nothing: it must work with PIL unable to open anything.
    monkeypatch.setattr(Image, "open", lambda *arguments, **options: pytest.fail("scan_folder decoded a file"))
    summary = folders.scan_folder(root)
    assert summary.layout == "classes" and summary.root == root.resolve()
    assert summary.class_names == ["cats", "dogs"]
    assert summary.counts == [3, 3]
    assert summary.empty_classes == ["birds"]
    assert summary.ignored_files == 5
    assert [path.name for path in summary.files[1]] == ["000.png", "001.png", "UPPER.JPG"]


def test_scan_refuses_what_is_not_a_dataset_folder(tmp_path):
    _refusal("folder_error_missing", folders.scan_folder, tmp_path / "absent")
    _refusal("folder_error_not_folder", folders.scan_folder, _save(tmp_path / "one.png"))
    flat = tmp_path / "flat"
    _save(flat / "a.png")
    _save(flat / "b.png")
    _refusal("folder_error_no_classes", folders.scan_folder, flat)
    no_images = tmp_path / "no_images"
    (no_images / "cats").mkdir(parents=True)
    (no_images / "cats" / "a.txt").write_text("x")
    (no_images / "dogs").mkdir()
    _refusal("folder_error_no_images", folders.scan_folder, no_images)
    single = _dataset(tmp_path / "single", {"cats": 2})
    (single / "dogs").mkdir()
    error = _refusal("folder_error_single_class", folders.scan_folder, single)
    assert error.values == {"name": "cats"}
    assert str(error) == "Only one class has images (cats): a classifier needs at least two."


def test_odd_and_non_ascii_class_names_survive(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Albrecht_Dürer")  # As a Mac writes it.
    names = ["with space", "café", "🐱 emoji", decomposed, "tab\tand,comma"]
    root = _dataset(tmp_path / "data", {name: 2 for name in names})
    pool = folders.load_folder(root, image_size=8)
    assert pool.class_names == sorted(["with space", "café", "🐱 emoji", "Albrecht_Dürer", "tab\tand,comma"])
    assert np.bincount(pool.labels).tolist() == [2] * 5


def test_links_leaving_the_root_are_not_followed(tmp_path):
    outside = _dataset(tmp_path / "outside", {"secret": 2})
    root = _dataset(tmp_path / "data", {"cats": 2, "dogs": 2})
    (root / "cats" / "link.png").symlink_to(outside / "secret" / "000.png")
    (root / "cats" / "inside.png").symlink_to(root / "dogs" / "000.png")
    (root / "linked_class").symlink_to(outside / "secret", target_is_directory=True)
    (root / "dogs" / "linked_folder").symlink_to(outside / "secret", target_is_directory=True)
    summary = folders.scan_folder(root)
    assert summary.class_names == ["cats", "dogs"]
    assert [path.name for path in summary.files[0]] == ["000.png", "001.png", "inside.png"]
    assert summary.counts == [3, 2] and summary.ignored_files == 1


def test_best_artworks_layout_reads_names_and_artists_csv(tmp_path):
    root = tmp_path / "best-artworks"
    for folder_name in ("Vincent_van_Gogh", "Albrecht_Dürer", "Frida_Kahlo"):
        for index in range(2):
            _save(root / "images" / "images" / folder_name / f"{folder_name}_{index + 1}.jpg", format="JPEG")
    (root / "resized").mkdir()  # Kaggle's flat folder of small copies: not classes.
    _save(root / "resized" / "Vincent_van_Gogh_1.jpg", format="JPEG")
    (root / "artists.csv").write_text(
        "id,name,years,genre,nationality,bio,wikipedia,paintings\n"
        '0,Vincent van Gogh,1853 - 1890,Post-Impressionism,Dutch,"Painter, draughtsman",http://x,877\n'
        "1,Albrecht Dürer,1471 - 1528,Northern Renaissance,German,\"__import__('os').system('x')\",http://y,328\n",
        encoding="utf-8",
    )
    summary = folders.scan_folder(root)
    assert summary.layout == "best_artworks"
    assert summary.class_names == ["Albrecht Dürer", "Frida Kahlo", "Vincent van Gogh"]
    assert summary.counts == [2, 2, 2]
    assert summary.artists["Vincent van Gogh"]["genre"] == "Post-Impressionism"
    assert summary.artists["Vincent van Gogh"]["bio"] == "Painter, draughtsman"
    assert summary.artists["Albrecht Dürer"]["bio"] == "__import__('os').system('x')"  # Text, never run.
    assert summary.artists["Albrecht Dürer"]["paintings"] == "328"
    pool = folders.load_folder(root, image_size=8)
    assert pool.class_names == summary.class_names and "best_artworks" in pool.source


def test_best_artworks_without_artists_csv(tmp_path):
    root = tmp_path / "art"
    _save(root / "images" / "Claude_Monet" / "1.png")
    _save(root / "images" / "Edgar_Degas" / "1.png")
    summary = folders.scan_folder(root)
    assert summary.layout == "best_artworks" and summary.artists == {}
    assert summary.class_names == ["Claude Monet", "Edgar Degas"]


# Selecting


def test_min_and_max_per_class_with_a_reproducible_seed(tmp_path):
    root = _dataset(tmp_path / "data", {"few": 2, "some": 6, "many": 9})
    summary = folders.scan_folder(root)
    files, labels, class_names = folders.select_files(summary, min_per_class=3)
    assert class_names == ["many", "some"] and np.bincount(labels).tolist() == [9, 6]
    assert labels.dtype == np.int64 and all(path.parent.name in class_names for path in files)
    error = _refusal("folder_error_too_few_classes", folders.select_files, summary, min_per_class=7)
    assert error.values == {"count": 1, "minimum": 7}

    first, first_labels, _ = folders.select_files(summary, max_per_class=4, seed=1)
    again, _, _ = folders.select_files(summary, max_per_class=4, seed=1)
    other, _, _ = folders.select_files(summary, max_per_class=4, seed=2)
    assert np.bincount(first_labels).tolist() == [2, 4, 4]
    assert first == again and first != other
    # Another class growing does not change this class's draw.
    _save(root / "some" / "999.png")
    grown, _, _ = folders.select_files(folders.scan_folder(root), max_per_class=4, seed=1)
    assert [path for path in grown if path.parent.name == "many"] == [path for path in first if path.parent.name == "many"]
    with pytest.raises(ValueError, match="seed"):
        folders.select_files(summary, seed=-1)


# Loading


def test_every_mode_and_size_becomes_rgb_in_zero_one(tmp_path):
    root = tmp_path / "data"
    cases = {
        "rgb.jpg": dict(mode="RGB", size=(300, 200), format="JPEG", quality=95),
        "grey.png": dict(mode="L", size=(20, 50)),
        "palette.gif": dict(mode="P", size=(33, 17)),
        "rgba.png": dict(mode="RGBA", size=(64, 64)),
        "cmyk.jpg": dict(mode="CMYK", size=(50, 40), format="JPEG", quality=95),
        "cmyk.tif": dict(mode="CMYK", size=(10, 10)),
        "bilevel.bmp": dict(mode="1", size=(16, 9)),
        "photo.webp": dict(mode="RGB", size=(90, 90), lossless=True),
    }
    for name, options in cases.items():
        _save(root / "colour" / name, color=GREY, **options)
    deep = np.full((24, 36), 32768, dtype=np.uint16)  # Half of the 16-bit range.
    (root / "deep").mkdir()
    Image.fromarray(deep).save(root / "deep" / "deep.png")
    Image.fromarray(deep).save(root / "deep" / "deep.tif")
    assert Image.open(root / "deep" / "deep.png").mode == "I;16"
    pool = folders.load_folder(root, image_size=16)
    assert pool.images.shape == (len(cases) + 2, 16, 16, 3) and pool.images.dtype == np.float32
    assert 0.0 <= pool.images.min() and pool.images.max() <= 1.0
    # Every mode keeps the grey (the 1-bit image dithers it to half black, half white),
    # and 16-bit values are scaled to their range, not clipped at 255.
    means = pool.images.mean(axis=(1, 2, 3))
    assert means == pytest.approx(np.full(len(means), 128 / 255), abs=0.03)


def test_transparency_becomes_white(tmp_path):
    root = tmp_path / "data"
    for index, name in enumerate(("a", "b")):
        (root / name).mkdir(parents=True)
        Image.new("RGBA", (20, 20), (255, 0, 0, 0)).save(root / name / "clear.png")
        Image.new("LA", (20, 20), (0, 0)).save(root / name / "clear_la.png")
    pool = folders.load_folder(root, image_size=8)
    assert np.allclose(pool.images, 1.0)


def test_centre_square_is_kept_and_exif_rotation_is_applied(tmp_path):
    root = tmp_path / "data"
    wide = Image.new("RGB", (90, 30), RED)
    wide.paste(GREEN, (30, 0, 60, 30))
    wide.paste(BLUE, (60, 0, 90, 30))
    (root / "wide").mkdir(parents=True)
    wide.save(root / "wide" / "wide.png")
    # Stored with red on the left and blue on the right; orientation 6 asks viewers to
    # turn it a quarter clockwise, which puts red on top.
    turned = Image.new("RGB", (32, 32), RED)
    turned.paste(BLUE, (16, 0, 32, 32))
    exif = Image.Exif()
    exif[images.EXIF_ORIENTATION_TAG] = 6
    (root / "turned").mkdir()
    turned.save(root / "turned" / "turned.jpg", quality=95, exif=exif)
    pool = folders.load_folder(root, image_size=8)
    turned_pixels, wide_pixels = pool.images[0] * 255, pool.images[1] * 255
    # Green only: the resampling filter reaches barely past the square's edges.
    assert np.abs(wide_pixels - np.array(GREEN)).max() < 20
    assert np.abs(turned_pixels[:3].mean(axis=(0, 1)) - np.array(RED)).max() < 20
    assert np.abs(turned_pixels[-3:].mean(axis=(0, 1)) - np.array(BLUE)).max() < 20


def test_large_jpegs_decode_at_reduced_scale(tmp_path, monkeypatch):
    root = tmp_path / "data"
    _save(root / "a" / "big.jpg", color=RED, size=(2000, 1500), format="JPEG")
    _save(root / "b" / "big.jpg", color=BLUE, size=(1500, 2000), format="JPEG")
    decoded_sizes = []
    original_load = ImageFile.ImageFile.load

    def recording_load(image):
        result = original_load(image)
        decoded_sizes.append(image.size)
        return result

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    pool = folders.load_folder(root, image_size=32)
    assert decoded_sizes and max(width * height for width, height in decoded_sizes) <= 500 * 400
    assert np.abs(pool.images[0].mean(axis=(0, 1)) * 255 - np.array(RED)).max() < 6


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header (with a correct checksum) claims another size."""
    data = bytearray(_png_bytes())
    header_start = data.index(b"IHDR")
    struct.pack_into(">II", data, header_start + 4, width, height)
    checksum = zlib.crc32(bytes(data[header_start : header_start + 17]))
    struct.pack_into(">I", data, header_start + 17, checksum)
    return bytes(data)


def test_unreadable_and_huge_files_are_skipped_and_counted(tmp_path):
    root = _dataset(tmp_path / "data", {"cats": 3, "dogs": 3})
    (root / "cats" / "fake.jpg").write_bytes(b"this is text")
    truncated = (root / "dogs" / "000.png").read_bytes()[:60]
    (root / "dogs" / "truncated.png").write_bytes(truncated)
    (root / "dogs" / "huge.png").write_bytes(_png_claiming(9000, 9000))  # 81 megapixels.
    pool = folders.load_folder(root, image_size=8)
    assert len(pool.labels) == 6 and np.bincount(pool.labels).tolist() == [3, 3]
    assert "2 unreadable files skipped" in pool.source
    assert "1 images over 40 megapixels skipped" in pool.source


def test_a_class_with_no_readable_image_is_named(tmp_path):
    root = _dataset(tmp_path / "data", {"cats": 2})
    (root / "broken").mkdir()
    (root / "broken" / "a.jpg").write_bytes(b"garbage")
    error = _refusal("folder_error_class_unreadable", folders.load_folder, root, image_size=8)
    assert error.values == {"name": "broken"}


def test_second_load_comes_from_the_cache_until_a_file_changes(tmp_path, monkeypatch, cache):
    root = _dataset(tmp_path / "data", {"cats": 3, "dogs": 3})
    opened = []
    original_open = Image.open
    monkeypatch.setattr(Image, "open", lambda *arguments, **options: opened.append(arguments[0]) or original_open(*arguments, **options))
    progress = []
    first = folders.load_folder(root, image_size=8, progress=lambda done, total: progress.append((done, total)))
    assert len(opened) == 6 and progress[0] == (0, 6) and progress[-1] == (6, 6)
    cached_files = list((cache / "folders").iterdir())
    assert len(cached_files) == 1 and cached_files[0].suffix == ".npz"  # No partial file left.

    monkeypatch.setattr(Image, "open", lambda *arguments, **options: pytest.fail("decoded despite the cache"))
    second = folders.load_folder(root, image_size=8)
    assert np.array_equal(first.images, second.images) and np.array_equal(first.labels, second.labels)
    assert first.class_names == second.class_names and first.source == second.source

    monkeypatch.setattr(Image, "open", lambda *arguments, **options: opened.append(arguments[0]) or original_open(*arguments, **options))
    changed = root / "dogs" / "001.png"
    _save(changed, color=(255, 255, 255))
    status = changed.stat()
    os.utime(changed, ns=(status.st_atime_ns, status.st_mtime_ns + 5_000_000_000))
    opened.clear()
    third = folders.load_folder(root, image_size=8)
    assert len(opened) == 6
    assert not np.array_equal(first.images, third.images) and np.allclose(third.images[4], 1.0)
    # Another size is another cache entry; a damaged entry is rebuilt, not trusted.
    folders.load_folder(root, image_size=12)
    assert len(list((cache / "folders").iterdir())) == 3
    for path in (cache / "folders").iterdir():
        path.write_bytes(b"damaged")
    opened.clear()
    assert np.array_equal(folders.load_folder(root, image_size=8).images, third.images)
    assert len(opened) == 6


# Zip uploads


def test_zip_with_a_wrapper_folder_and_mac_clutter(tmp_path):
    archive = _zip({
        "dataset/cats/a.png": _png_bytes(RED),
        "dataset/cats/b.PNG": _png_bytes(RED),
        "dataset/dogs/a.png": _png_bytes(BLUE),
        "dataset/dogs/readme.txt": b"words",
        "dataset/.hidden/x.png": _png_bytes(),
        "dataset/dogs/.DS_Store": b"\0",
        "__MACOSX/dataset/cats/._a.png": b"resource fork",
    })
    destination = tmp_path / "uploads"
    folder = folders.extract_zip(archive, destination)
    assert folder.name == "dataset" and folder.parent.parent == destination
    written = sorted(str(path.relative_to(destination)) for path in destination.rglob("*") if path.is_file())
    assert [name.split("/", 1)[1] for name in written] == ["dataset/cats/a.png", "dataset/cats/b.PNG", "dataset/dogs/a.png"]
    assert folders.scan_folder(folder).counts == [2, 1]
    # The same upload again reuses the folder; a path to the zip file works too.
    marker = folder / "marker.txt"
    marker.write_text("kept")
    zip_path = tmp_path / "upload.zip"
    zip_path.write_bytes(archive)
    assert folders.extract_zip(zip_path, destination) == folder and marker.exists()


def test_zip_names_in_utf8_with_or_without_the_flag_and_in_cp437(tmp_path):
    flagged = _zip({"Frida_Kahlo/1.png": _png_bytes(), "Albrecht_Dürer/1.png": _png_bytes()})
    assert any(info.flag_bits & 0x800 for info in zipfile.ZipFile(io.BytesIO(flagged)).infolist())
    unflagged = _set_flag_bits(flagged, clear_bits=0x800)  # UTF-8 bytes, flag missing.
    # cp437 bytes: written as an ASCII placeholder of the same length, then swapped.
    cp437 = _zip({"CafX/1.png": _png_bytes(), "Tea/1.png": _png_bytes()}).replace(b"CafX", b"Caf\x82")
    for archive, expected in ((flagged, "Albrecht_Dürer"), (unflagged, "Albrecht_Dürer"), (cp437, "Café")):
        folder = folders.extract_zip(archive, tmp_path / "uploads")
        assert expected in folders.scan_folder(folder).class_names


@pytest.mark.parametrize("name", ["../evil.png", "ABSOLUTE", "cats/../../evil.png", "..\\evil.png", "C:/evil.png", "__MACOSX/../../evil.png"])
def test_zip_escaping_its_folder_is_refused_and_writes_nothing(tmp_path, name):
    # An absolute name inside tmp_path, so a failing test cannot write at the filesystem's root.
    name = str(tmp_path / "evil.png") if name == "ABSOLUTE" else name
    archive = _zip({"cats/a.png": _png_bytes(), "dogs/a.png": _png_bytes(), name: _png_bytes()})
    destination = tmp_path / "deep" / "uploads"
    _refusal("folder_error_zip_unsafe_path", folders.extract_zip, archive, destination)
    assert not destination.exists()
    assert not list(tmp_path.rglob("evil.png"))


def test_zip_links_are_skipped(tmp_path):
    link = zipfile.ZipInfo("cats/link.png")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cats/a.png", _png_bytes())
        archive.writestr("dogs/a.png", _png_bytes())
        archive.writestr(link, "../../../etc/passwd")
    folder = folders.extract_zip(buffer.getvalue(), tmp_path / "uploads")
    assert sorted(path.name for path in (folder / "cats").iterdir()) == ["a.png"]


def test_zip_bombs_and_oversize_archives_are_refused(tmp_path, monkeypatch):
    destination = tmp_path / "uploads"
    monkeypatch.setattr(folders, "BOMB_ENTRY_BYTES", 1024**2)
    bomb = _zip({"cats/a.png": _png_bytes(), "dogs/zeros.png": bytes(2 * 1024**2)})
    error = _refusal("folder_error_zip_bomb", folders.extract_zip, bomb, destination)
    assert error.values == {"name": "dogs/zeros.png"}

    monkeypatch.setattr(folders, "MAX_EXTRACTED_BYTES", 1000)
    too_large = _zip({"cats/a.png": os.urandom(600), "dogs/a.png": os.urandom(600)})
    _refusal("folder_error_zip_too_large", folders.extract_zip, too_large, destination)

    monkeypatch.setattr(folders, "MAX_ZIP_ENTRIES", 3)
    many = _zip({f"cats/{index}.png": _png_bytes() for index in range(4)})
    error = _refusal("folder_error_zip_too_many_entries", folders.extract_zip, many, destination)
    assert error.values == {"count": 4, "limit": 3}
    assert not destination.exists() or not list(destination.iterdir())


def test_zip_whose_declared_size_lies_leaves_nothing(tmp_path):
    archive = bytearray(_zip({"cats/a.png": _png_bytes(), "dogs/zeros.png": bytes(3 * 1024**2)}))
    # Claim 100 bytes in the central directory: the declared sizes then pass every check.
    entry = archive.index(b"PK\x01\x02", archive.index(b"PK\x01\x02") + 4)
    struct.pack_into("<I", archive, entry + 24, 100)
    destination = tmp_path / "uploads"
    _refusal("folder_error_zip_invalid", folders.extract_zip, bytes(archive), destination)
    assert list(destination.iterdir()) == []


def test_zip_that_is_damaged_encrypted_or_imageless_is_refused(tmp_path):
    destination = tmp_path / "uploads"
    good = _zip({"cats/a.png": _png_bytes(), "dogs/a.png": _png_bytes()})
    _refusal("folder_error_zip_invalid", folders.extract_zip, b"not a zip at all", destination)
    _refusal("folder_error_zip_invalid", folders.extract_zip, good[: len(good) // 2], destination)
    _refusal("folder_error_zip_encrypted", folders.extract_zip, _set_flag_bits(good, set_bits=0x1), destination)
    _refusal("folder_error_zip_no_images", folders.extract_zip, _zip({"notes/readme.txt": b"x"}), destination)
    assert not destination.exists() or not list(destination.iterdir())


def test_best_artworks_zip_is_not_unwrapped_past_its_root(tmp_path):
    csv_text = "id,name,genre,paintings\n0,Albrecht Dürer,Northern Renaissance,328\n".encode("utf-8")
    entries = {"artists.csv": csv_text, "images/images/Albrecht_Dürer/1.jpg": _png_bytes(), "images/images/Edgar_Degas/1.jpg": _png_bytes()}
    for prefix in ("", "best-artworks/"):
        folder = folders.extract_zip(_zip({prefix + name: data for name, data in entries.items()}), tmp_path / "uploads")
        summary = folders.scan_folder(folder)
        assert summary.layout == "best_artworks" and summary.class_names == ["Albrecht Dürer", "Edgar Degas"]
        assert summary.artists["Albrecht Dürer"]["paintings"] == "328"
    # Without artists.csv the lone images/ folder is still the layout, not a wrapper.
    bare = _zip({"images/Claude_Monet/1.jpg": _png_bytes(), "images/Edgar_Degas/1.jpg": _png_bytes()})
    summary = folders.scan_folder(folders.extract_zip(bare, tmp_path / "uploads"))
    assert summary.layout == "best_artworks" and summary.class_names == ["Claude Monet", "Edgar Degas"]


# Messages


def test_every_error_key_has_a_message_and_every_message_is_used():
    source = Path(folders.__file__).read_text()
    used = set(re.findall(r'FolderError\(\s*"(folder_\w+)"', source))
    assert used and used == set(strings_folders.STRINGS)
    for key, texts in strings_folders.STRINGS.items():
        assert set(texts) == {"en", "fr"}, key
        assert set(re.findall(r"\{(\w+)", texts["en"])) == set(re.findall(r"\{(\w+)", texts["fr"])), key


def test_an_empty_path_is_refused_not_read_as_the_working_directory():
    for empty in ("", "   "):
        with pytest.raises(folders.FolderError) as caught:
            folders.scan_folder(empty)
        assert caught.value.key == "folder_error_no_path"
