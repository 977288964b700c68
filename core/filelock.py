"""File locks (fcntl.flock) shared by the run queue, its workers and the projection service.

A lock belongs to an open file, so it ends when the holder closes the file or dies: a
crashed process never leaves a stale lock behind.
"""
from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the `with` block, waiting for it; the file and
    its folder are created when missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def try_hold(path: Path) -> IO | None:
    """Take an exclusive lock on `path` without waiting: the open file, which keeps the lock
    until it is closed (or the process ends), or None when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_file = open(path, "a")  # noqa: SIM115 (the caller keeps it open: that is the lock)
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock_file.close()
        return None
    return lock_file
