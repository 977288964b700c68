"""The cache of decoded datasets ($DLLAB_CACHE/pools/, written by core.training): kept under
$DLLAB_POOL_CACHE_BYTES, the least recently used file removed first.

A file's modification time is its last use: a read touches it (mark_used). Every file is a
cache entry, so removing one costs the next run on that dataset its slow load, nothing more.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from core import config

POOLS_DIR = "pools"
# A temporary file this old was left by a write that died (a full disk, a killed worker).
ABANDONED_SECONDS = 3600.0


def pools_dir() -> Path:
    return config.cache_dir() / POOLS_DIR


def mark_used(path: Path) -> None:
    """An entry (a cached pool, an unpacked upload) was just used: its mtime, which puts it
    last among those a least-recently-used clean-up removes."""
    try:
        os.utime(path)
    except OSError:
        pass  # Read-only or removed meanwhile: it only loses its place in the order.


def _entries(folder: Path) -> list[tuple[float, int, Path]]:
    """(last use, bytes, path) of every file in the cache folder, least recently used first."""
    entries = []
    try:
        scanned = os.scandir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    with scanned:
        for entry in scanned:
            try:
                if entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    entries.append((info.st_mtime, info.st_size, Path(entry.path)))
            except OSError:
                continue  # Removed meanwhile.
    return sorted(entries, key=lambda entry: (entry[0], entry[2].name))


def _remove(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return True  # Another process removed it first.
    except OSError:
        return False  # A read-only cache: left as it is.


def prune(max_bytes: int | None = None, folder: Path | None = None) -> list[Path]:
    """Remove temporaries a dead write left, then the least recently used pools until the
    folder holds at most `max_bytes` (config.pool_cache_bytes()); the paths removed."""
    limit = config.pool_cache_bytes() if max_bytes is None else max_bytes
    if limit < 0:
        raise ValueError(f"max_bytes: expected a number of bytes >= 0, got {limit}")
    folder = pools_dir() if folder is None else Path(folder)
    removed, kept = [], []
    now = time.time()
    for last_use, size, path in _entries(folder):
        # A temporary still being written by a live worker is younger than ABANDONED_SECONDS.
        if path.name.startswith(".") and now - last_use > ABANDONED_SECONDS:
            if _remove(path):
                removed.append(path)
                continue
        kept.append((last_use, size, path))
    used = sum(size for _, size, _ in kept)
    for _, size, path in kept:
        if used <= limit:
            break
        if path.name.startswith("."):
            continue  # Being written: counted, not removed.
        if _remove(path):
            removed.append(path)
            used -= size
    return removed
