"""Folders of images as datasets: one sub-folder per class, or the Best Artworks layout.

`scan_folder` only lists files (it decodes nothing), so a page can show what a folder
holds at once; `load_folder` decodes one file at a time into a small uint8 array and
caches that array, so 5,000 large photos fit in little memory and load fast the second
time; `extract_zip` unpacks an uploaded archive after checking every entry.

Each image is centre-cropped to a square, then resized to image_size x image_size: the
aspect ratio survives, and the borders of wide paintings are lost. Errors a user can act
on are FolderError, whose key is an i18n key in core.i18n.strings_folders.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import shutil
import stat
import tempfile
import time
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Callable

import numpy as np

from core import config, pictures
from core.data import TEST_FRACTION, ImagePool, allowed_folders
from core.data.pool_cache import mark_used
from core.i18n import TranslatableError
from core.images import MAX_PIXELS, ImageError, open_image, square_rgb

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff")
ARTISTS_FILE = "artists.csv"
# Bump when decoding or resizing changes, so old cached arrays are not reused.
CACHE_VERSION = 2

# Limits on uploaded archives; module constants so tests can lower them.
MAX_ZIP_ENTRIES = 100_000
# One upload, unpacked (the app takes uploads of 20 MB, and images barely compress).
MAX_EXTRACTED_BYTES = 1024**3
# An entry larger than this that also shrank more than MAX_COMPRESSION_RATIO times is a bomb;
# so is a whole archive unpacking to more than BOMB_ENTRY_BYTES and MAX_COMPRESSION_RATIO
# times its size (many entries, each just under the limit).
BOMB_ENTRY_BYTES = 10 * 1024**2
MAX_COMPRESSION_RATIO = 100
COPY_CHUNK_BYTES = 1024**2
# The folder of unpacked uploads (artifacts/uploads) as a whole: uploads no queued or running
# run reads are removed after a day, and the least recently used first when it is full.
MAX_UPLOADS_BYTES = 4 * 1024**3
UPLOAD_MAX_AGE_SECONDS = 24 * 3600
# A scan stops past this many files and folders: a path like "/home" typed in the picker
# must not walk a whole disk at every rerun of the page.
MAX_SCAN_ENTRIES = 200_000


class FolderError(TranslatableError):
    """A folder or archive cannot become a dataset; `key` is the i18n key of the message."""


@dataclass
class FolderSummary:
    """What a folder holds, from file names alone."""

    root: Path  # resolved; for Best Artworks, the folder holding artists.csv and images/
    layout: str  # "classes" (root/<class>/*.jpg) or "best_artworks" (root/images/<Artist_Name>/*.jpg)
    class_names: list[str]  # classes with at least one image, sorted
    counts: list[int]  # image files per class, in the order of class_names
    empty_classes: list[str]  # class folders without any image file
    ignored_files: int  # files that are not images by their extension, or links leaving the root
    artists: dict[str, dict[str, str]] = field(default_factory=dict)  # artists.csv rows by name
    files: list[list[Path]] = field(default_factory=list, repr=False)  # image files per class, sorted


def _is_image_name(name: str) -> bool:
    return name.lower().endswith(IMAGE_EXTENSIONS)


def _best_artworks_images(root: Path) -> Path | None:
    """The folder of artist folders when root has the Best Artworks layout, else None.

    Kaggle's download nests it once more (images/images/<Artist>), which is accepted.
    """
    images = root / "images"
    if images.is_symlink() or not images.is_dir():
        return None
    subfolders = [entry.name for entry in os.scandir(images) if entry.is_dir(follow_symlinks=False)]
    if subfolders == ["images"]:
        images = images / "images"
    entries = list(os.scandir(images))
    has_folders = any(entry.is_dir(follow_symlinks=False) for entry in entries)
    has_images = any(entry.is_file() and _is_image_name(entry.name) for entry in entries)
    return images if has_folders and not has_images else None


def _read_artists(path: Path) -> dict[str, dict[str, str]]:
    """artists.csv rows by artist name; the file is optional metadata, so a bad one is skipped."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as file:
            rows = list(csv.DictReader(file))
    except (OSError, csv.Error):
        return {}
    return {unicodedata.normalize("NFC", row["name"].strip()): row for row in rows if (row.get("name") or "").strip()}


class _ScanBudget:
    """How many more entries a scan of `path` may visit (MAX_SCAN_ENTRIES in all)."""

    def __init__(self, path: str):
        self.path, self.left = path, MAX_SCAN_ENTRIES

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise FolderError("folder_error_too_many_files", path=self.path, limit=MAX_SCAN_ENTRIES)


def _class_files(class_folder: Path, root: Path, budget: _ScanBudget) -> tuple[list[Path], int]:
    """Image files anywhere under one class folder, and how many other files were seen.

    Sub-folders reached through links are not entered, and a linked file counts only if
    it stays inside the root.
    """
    images, ignored = [], 0
    for folder, subfolders, names in os.walk(class_folder, followlinks=False):
        budget.spend(len(subfolders) + len(names))
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            path = Path(folder, name)
            if name.startswith(".") or not _is_image_name(name):
                ignored += 1
            elif path.is_symlink() and not path.resolve().is_relative_to(root):
                ignored += 1
            elif path.is_file():
                images.append(path)
    return sorted(images), ignored


def checked_folder(path: str | Path) -> Path:
    """The resolved folder `path` names, when this server allows it (core.data.allowed_folders).
    Outside the allowed folders, missing or unreadable: one sentence, which does not say which."""
    if not str(path).strip():
        # Path("") is the working directory: ask for a folder instead of reading that.
        raise FolderError("folder_error_no_path")
    root = allowed_folders.available(path)
    if root is None:
        raise FolderError("folder_error_missing", path=str(path))
    if not root.is_dir():
        raise FolderError("folder_error_not_folder", path=str(path))
    return root


def scan_folder(path: str | Path) -> FolderSummary:
    """List a dataset folder's classes and image files by name, without decoding any."""
    root = checked_folder(path)
    budget = _ScanBudget(str(path))
    artists_folder = _best_artworks_images(root)
    layout = "classes" if artists_folder is None else "best_artworks"
    classes_parent = root if artists_folder is None else artists_folder
    top_entries = sorted(os.scandir(classes_parent), key=lambda entry: entry.name)
    budget.spend(len(top_entries))
    class_folders = [
        entry for entry in top_entries
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".") and entry.name != "__MACOSX"
    ]
    if not class_folders:
        raise FolderError("folder_error_no_classes", path=str(root))
    ignored = sum(1 for entry in top_entries if entry.is_file() and entry.name != ARTISTS_FILE)
    files_by_class: dict[str, list[Path]] = {}
    for entry in class_folders:
        # Names are compared and shown in composed form: a Mac writes "ü" as "u" + a combining mark.
        name = unicodedata.normalize("NFC", entry.name)
        if layout == "best_artworks":
            name = name.replace("_", " ")
        files, ignored_here = _class_files(Path(entry.path), root, budget)
        files_by_class.setdefault(name, []).extend(files)
        ignored += ignored_here
    class_names = sorted(name for name, files in files_by_class.items() if files)
    empty_classes = sorted(name for name, files in files_by_class.items() if not files)
    if not class_names:
        raise FolderError("folder_error_no_images", path=str(root))
    if len(class_names) == 1:
        raise FolderError("folder_error_single_class", name=class_names[0])
    artists_file = root / ARTISTS_FILE
    return FolderSummary(
        root=root,
        layout=layout,
        class_names=class_names,
        counts=[len(files_by_class[name]) for name in class_names],
        empty_classes=empty_classes,
        ignored_files=ignored,
        artists=_read_artists(artists_file) if layout == "best_artworks" and artists_file.is_file() else {},
        files=[sorted(files_by_class[name]) for name in class_names],
    )


def check_folder(path: str | Path, min_per_class: int = 0, max_per_class: int = 0, validation_fraction: float | None = None) -> FolderSummary:
    """Before a run is queued, from the files' names alone (nothing decoded): the folder is
    allowed, keeps two classes or more once min_per_class has dropped the small ones, and, for
    a given validation fraction, has enough images to split (check_splittable). A FolderError
    otherwise. Files the run then finds unreadable are left out, so the run checks again."""
    summary = scan_folder(path)
    _, labels, class_names = select_files(summary, min_per_class, max_per_class)
    if validation_fraction is not None:
        check_splittable(labels, class_names, validation_fraction)
    return summary


def select_files(
    summary: FolderSummary, min_per_class: int = 0, max_per_class: int = 0, seed: int = 0
) -> tuple[list[Path], np.ndarray, list[str]]:
    """The files to load, their labels and the kept class names.

    Classes with fewer than min_per_class images are dropped; each class keeps at most
    max_per_class images (0: all), drawn at random with a generator seeded by seed and the
    class name, so one class's draw does not change when another class changes.
    """
    for name, value in (("min_per_class", min_per_class), ("max_per_class", max_per_class), ("seed", seed)):
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
    kept = [(name, files) for name, files in zip(summary.class_names, summary.files) if len(files) >= max(min_per_class, 1)]
    if len(kept) < 2:
        raise FolderError("folder_error_too_few_classes", count=len(kept), minimum=min_per_class)
    selected, labels = [], []
    for label, (name, files) in enumerate(kept):
        if max_per_class and len(files) > max_per_class:
            generator = np.random.default_rng([seed, zlib.crc32(name.encode("utf-8", "surrogateescape"))])
            files = [files[index] for index in sorted(generator.choice(len(files), max_per_class, replace=False))]
        selected.extend(files)
        labels.extend([label] * len(files))
    return selected, np.asarray(labels, dtype=np.int64), [name for name, _ in kept]


class _SkippedFile(Exception):
    """A file load_folder leaves out; `reason` is "unreadable" or "too_large"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _decode(path: Path, size: int) -> np.ndarray:
    """One image file as a (size, size, 3) uint8 array: centre square, resized, upright."""
    from PIL import Image

    try:
        image = open_image(path)  # The one pixel limit, checked from the header.
    except ImageError as error:
        raise _SkippedFile("too_large" if error.key.startswith("image_error_too_large") else "unreadable") from None
    with image:
        try:
            return square_rgb(image, size)
        except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
            raise _SkippedFile("unreadable") from None


def _cache_path(root: Path, image_size: int, files: list[Path], labels: np.ndarray, class_names: list[str]) -> Path:
    """The cache file for this exact selection: any file's name, size or time changes it."""
    digest = hashlib.sha1()
    digest.update(json.dumps([CACHE_VERSION, str(root), image_size, class_names]).encode("utf-8"))
    for path, label in zip(files, labels.tolist()):
        status = path.stat()
        digest.update(f"\n{path.relative_to(root)}\t{label}\t{status.st_size}\t{status.st_mtime_ns}".encode("utf-8", "surrogateescape"))
    return config.cache_dir() / "folders" / f"{digest.hexdigest()}.npz"


def _read_cache(path: Path, image_size: int) -> dict[str, np.ndarray] | None:
    """The cached arrays, or None when absent or unusable (it is then rebuilt)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            cached = {name: archive[name] for name in ("images", "labels", "skipped")}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None
    if cached["images"].shape[1:] != (image_size, image_size, 3) or len(cached["images"]) != len(cached["labels"]):
        return None
    return cached


def _write_cache(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write then rename, so a reader never sees half a file; a cache that can't be written is skipped."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".partial-", suffix=".npz", delete=False) as file:
            temporary = file.name
            np.savez(file, **arrays)
        os.replace(temporary, path)
    except OSError:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def load_folder(
    path: str | Path,
    image_size: int = 64,
    min_per_class: int = 0,
    max_per_class: int = 0,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> ImagePool:
    """Every selected image of a folder, decoded one at a time, as a pool of RGB images.

    Unreadable files and images above MAX_PIXELS are skipped and counted in the pool's
    source. The resized images are cached under cache_dir()/folders.
    """
    if not isinstance(image_size, int) or not 8 <= image_size <= 512:
        raise ValueError(f"image_size must be a whole number from 8 to 512, got {image_size!r}")
    summary = scan_folder(path)
    files, labels, class_names = select_files(summary, min_per_class, max_per_class, seed)
    cache_path = _cache_path(summary.root, image_size, files, labels, class_names)
    cached = _read_cache(cache_path, image_size)
    if cached is None:
        cached = _decode_all(files, labels, class_names, image_size, progress)
        _write_cache(cache_path, cached)
    elif progress:
        progress(len(files), len(files))
    unreadable, too_large = cached["skipped"].tolist()
    source = f"folder {summary.root} ({summary.layout}): {len(cached['labels'])} images, {len(class_names)} classes, {image_size}x{image_size}"
    if unreadable:
        source += f"; {unreadable} unreadable files skipped"
    if too_large:
        source += f"; {too_large} images over {MAX_PIXELS // 1_000_000} megapixels skipped"
    return ImagePool(
        images=pictures.as_float(cached["images"]),
        labels=cached["labels"].astype(np.int64),
        class_names=class_names,
        source=source,
    )


def _decode_all(files, labels, class_names, image_size, progress) -> dict[str, np.ndarray]:
    images = np.empty((len(files), image_size, image_size, 3), dtype=np.uint8)
    kept = np.zeros(len(files), dtype=bool)
    skipped = {"unreadable": 0, "too_large": 0}
    report_every = max(1, len(files) // 100)
    for index, path in enumerate(files):
        if progress and index % report_every == 0:
            progress(index, len(files))
        try:
            images[index] = _decode(path, image_size)
            kept[index] = True
        except _SkippedFile as skipped_file:
            skipped[skipped_file.reason] += 1
    if progress:
        progress(len(files), len(files))
    # A class the summary showed must not vanish silently from the pool.
    for label, name in enumerate(class_names):
        if not kept[labels == label].any():
            raise FolderError("folder_error_class_unreadable", name=name)
    return {
        "images": images[kept],
        "labels": labels[kept],
        "skipped": np.asarray([skipped["unreadable"], skipped["too_large"]], dtype=np.int64),
    }


def _entry_parts(info: zipfile.ZipInfo) -> tuple[str, ...]:
    """An entry's path parts, decoded as its maker meant; unsafe paths raise FolderError."""
    name = info.filename
    if not info.flag_bits & 0x800:
        # Without the UTF-8 flag zipfile reads cp437, but most tools wrote UTF-8 anyway.
        try:
            name = name.encode("cp437").decode("utf-8")
        except UnicodeError:
            pass
    name = unicodedata.normalize("NFC", name.replace("\\", "/"))
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or PureWindowsPath(name).drive:
        raise FolderError("folder_error_zip_unsafe_path", name=name)
    return tuple(part for part in path.parts if part not in ("", "."))


def _wanted(parts: tuple[str, ...], info: zipfile.ZipInfo) -> bool:
    """Images and artists.csv, outside Mac metadata and hidden files, that are not links."""
    if info.is_dir() or not parts or parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts):
        return False
    if stat.S_ISLNK(info.external_attr >> 16):
        return False
    return _is_image_name(parts[-1]) or parts[-1] == ARTISTS_FILE


def _folder_to_scan(folder: Path) -> Path:
    """The extracted folder, or the one folder it wraps when the zip held a single top folder."""
    entries = list(os.scandir(folder))
    if len(entries) != 1 or not entries[0].is_dir() or _best_artworks_images(folder) is not None:
        return folder
    inner = Path(entries[0].path)
    return inner if any(entry.is_dir() for entry in os.scandir(inner)) else folder


def extract_zip(source: bytes | Path, destination_root: Path) -> Path:
    """Unpack an uploaded zip of class folders into destination_root/<hash>/ and return the folder to scan.

    Every entry is checked before anything is written; bytes are counted while writing
    as well, and any failure removes the partial folder. The same zip uploaded again
    reuses its folder.
    """
    digest = hashlib.sha256()
    if isinstance(source, (bytes, bytearray)):
        digest.update(source)
        opened = io.BytesIO(source)
        archive_bytes = len(source)
    else:
        with Path(source).open("rb") as file:
            for chunk in iter(lambda: file.read(COPY_CHUNK_BYTES), b""):
                digest.update(chunk)
        opened = Path(source)
        archive_bytes = Path(source).stat().st_size
    destination_root = Path(destination_root)
    target = destination_root / digest.hexdigest()[:16]
    if target.is_dir():
        mark_used(target)  # Used again: the last to go when room is made.
        return _folder_to_scan(target)
    try:
        archive = zipfile.ZipFile(opened)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FolderError("folder_error_zip_invalid") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise FolderError("folder_error_zip_too_many_entries", count=len(entries), limit=MAX_ZIP_ENTRIES)
        wanted = []
        for info in entries:  # Every name is checked, even of entries left out.
            parts = _entry_parts(info)
            if _wanted(parts, info):
                wanted.append((parts, info))
        if not wanted:
            raise FolderError("folder_error_zip_no_images")
        _check_no_conflicts(wanted)
        declared = sum(info.file_size for _, info in wanted)
        if declared > MAX_EXTRACTED_BYTES:
            raise FolderError("folder_error_zip_too_large", limit_mb=MAX_EXTRACTED_BYTES // 1024**2)
        for parts, info in wanted:
            if info.file_size > BOMB_ENTRY_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
                raise FolderError("folder_error_zip_bomb", name="/".join(parts))
        if declared > BOMB_ENTRY_BYTES and declared > MAX_COMPRESSION_RATIO * max(archive_bytes, 1):
            raise FolderError("folder_error_zip_expands", ratio=declared // max(archive_bytes, 1), limit=MAX_COMPRESSION_RATIO)
        try:
            destination_root.mkdir(parents=True, exist_ok=True)
            _make_room(destination_root, declared)
            partial = Path(tempfile.mkdtemp(dir=destination_root, prefix=".partial-"))
        except OSError as error:
            raise FolderError("folder_error_uploads_unwritable", path=str(destination_root), reason=error.strerror or str(error)) from None
        try:
            _extract_entries(archive, wanted, partial)
            try:
                partial.rename(target)
            except OSError as error:
                if not target.is_dir():
                    raise FolderError("folder_error_uploads_unwritable", path=str(destination_root), reason=error.strerror or str(error)) from None
                shutil.rmtree(partial)  # The same zip, extracted meanwhile by another upload.
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    return _folder_to_scan(target)


def _check_no_conflicts(wanted) -> None:
    """Refuse a path that is both a file and a folder (b/x.png and b/x.png/y.png): one of
    them could not be written."""
    files = {parts for parts, _ in wanted}
    for parts in sorted(files):
        for length in range(1, len(parts)):
            if parts[:length] in files:
                raise FolderError("folder_error_zip_conflict", name="/".join(parts[:length]))


def _extract_entries(archive: zipfile.ZipFile, wanted, folder: Path) -> None:
    written_total = 0
    for parts, info in wanted:
        path = folder.joinpath(*parts)
        written = 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as entry, path.open("wb") as file:
                while chunk := entry.read(COPY_CHUNK_BYTES):
                    written += len(chunk)
                    written_total += len(chunk)
                    # zipfile stops at the declared size today; counting keeps a lying header harmless regardless.
                    if written > info.file_size or written_total > MAX_EXTRACTED_BYTES:
                        raise FolderError("folder_error_zip_bomb", name="/".join(parts))
                    file.write(chunk)
        except RuntimeError:  # zipfile's word for an encrypted entry without a password.
            raise FolderError("folder_error_zip_encrypted", name="/".join(parts)) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            raise FolderError("folder_error_zip_invalid") from None
        except OSError as error:
            raise FolderError("folder_error_zip_write_failed", name="/".join(parts), reason=error.strerror or str(error)) from None


# The uploads area: unpacked archives, bounded and cleaned up.


def _megabytes(count: int) -> float | int:
    """Bytes as megabytes for a message: whole when it is, else one decimal."""
    value = round(count / 1024**2, 1)
    return int(value) if value == int(value) else value


def folder_bytes(path: Path) -> int:
    """The bytes of every file under `path`, links not followed; 0 when it is gone."""
    total = 0
    for folder, _, names in os.walk(path, followlinks=False):
        for name in names:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue  # Removed meanwhile.
    return total


def uploads_in_use(destination_root: Path) -> set[Path]:
    """The folders under destination_root that a queued or running run will read (any of its
    hyperparameters naming a path there), resolved."""
    from core.runs import store

    root = Path(destination_root).resolve()
    used = set()
    for run in store.list_active_runs():
        if run.state not in store.ACTIVE_STATUSES:
            continue
        for value in (run.params.get("hyperparameters") or {}).values():
            if isinstance(value, str) and value.strip():
                path = Path(value.strip()).expanduser().resolve()
                if path.is_relative_to(root):
                    used.add(path)
    return used


def _upload_folders(destination_root: Path) -> list[tuple[float, Path]]:
    """(last use, folder) of every unpacked upload and abandoned partial folder, oldest first."""
    folders = []
    for entry in os.scandir(destination_root):
        if entry.is_dir(follow_symlinks=False):
            try:
                folders.append((entry.stat(follow_symlinks=False).st_mtime, Path(entry.path)))
            except OSError:
                continue
    return sorted(folders)


def _removable(folder: Path, in_use: set[Path]) -> bool:
    resolved = folder.resolve()
    return not any(path == resolved or path.is_relative_to(resolved) for path in in_use)


def prune_uploads(destination_root: Path, max_age_seconds: float | None = None) -> int:
    """Remove the unpacked uploads (and partial folders a crash left) unused for
    max_age_seconds (UPLOAD_MAX_AGE_SECONDS) that no queued or running run reads; how many went."""
    destination_root = Path(destination_root)
    if not destination_root.is_dir():
        return 0
    oldest = time.time() - (UPLOAD_MAX_AGE_SECONDS if max_age_seconds is None else max_age_seconds)
    in_use = uploads_in_use(destination_root)
    removed = 0
    for last_use, folder in _upload_folders(destination_root):
        if last_use < oldest and _removable(folder, in_use):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _make_room(destination_root: Path, needed: int) -> None:
    """Prune, then remove the least recently used uploads no run reads until `needed` bytes
    fit under MAX_UPLOADS_BYTES; FolderError naming the limit when they cannot."""
    limit_mb = _megabytes(MAX_UPLOADS_BYTES)
    if needed > MAX_UPLOADS_BYTES:
        raise FolderError("folder_error_uploads_full", limit_mb=limit_mb, needed_mb=_megabytes(needed))
    prune_uploads(destination_root)
    sizes = [(last_use, folder, folder_bytes(folder)) for last_use, folder in _upload_folders(destination_root)]
    used = sum(size for _, _, size in sizes)
    if used + needed <= MAX_UPLOADS_BYTES:
        return
    in_use = uploads_in_use(destination_root)
    for _, folder, size in sizes:
        if used + needed <= MAX_UPLOADS_BYTES:
            return
        if not folder.name.startswith(".partial-") and _removable(folder, in_use):
            shutil.rmtree(folder, ignore_errors=True)
            used -= size
    if used + needed > MAX_UPLOADS_BYTES:
        raise FolderError("folder_error_uploads_full", limit_mb=limit_mb, needed_mb=_megabytes(needed))


# Enough images to split.


def _split_sizes(count: int, validation_fraction: float) -> tuple[int, int, int]:
    """(train, validation, test) sizes as core.data.split_pool cuts `count` images
    (scikit-learn rounds each held-out part up)."""
    test = math.ceil(TEST_FRACTION * count)
    validation = math.ceil(validation_fraction * (count - test))
    return count - test - validation, validation, test


def _splittable(class_counts, validation_fraction: float) -> tuple[bool, list[bool]]:
    """Whether the parts hold a sample of every class, and for each class whether it is
    sure to keep two images in the train pool (scikit-learn's stratified split needs two)
    and one in the training part; scikit-learn's allocation gives a class at least its share
    rounded down."""
    count = int(sum(class_counts))
    train, validation, test = _split_sizes(count, validation_fraction)
    classes = len(class_counts)
    sizes_fit = min(train, validation, test) >= classes
    pool = train + validation
    classes_fit = []
    for class_count in class_counts:
        in_pool = class_count * pool // count if count else 0
        classes_fit.append(in_pool >= 2 and (in_pool * train // pool if pool else 0) >= 1)
    return sizes_fit, classes_fit


def _all_fit(class_counts, validation_fraction: float) -> bool:
    sizes_fit, classes_fit = _splittable(class_counts, validation_fraction)
    return sizes_fit and all(classes_fit)


def check_splittable(labels, class_names: list[str], validation_fraction: float) -> None:
    """Before a stratified split: FolderError saying how many images are needed when the
    training, validation and test parts could not each hold every class."""
    class_counts = np.bincount(np.asarray(labels, dtype=np.int64), minlength=len(class_names)).tolist()
    count, classes = sum(class_counts), len(class_counts)
    sizes_fit, classes_fit = _splittable(class_counts, validation_fraction)
    if not sizes_fit:
        needed = max(count, classes)
        while not _all_fit([needed // classes + (index < needed % classes) for index in range(classes)], validation_fraction):
            needed += 1  # As many images, spread evenly over the classes.
        raise FolderError("folder_error_too_few_to_split", count=count, classes=classes, needed=needed)
    for index, fits in enumerate(classes_fit):
        if not fits:
            grown = list(class_counts)
            while not _splittable(grown, validation_fraction)[1][index]:
                grown[index] += 1
            raise FolderError("folder_error_class_too_small", name=class_names[index], count=class_counts[index], needed=grown[index])
