"""Where dllab keeps things, and how many workers it runs, read from the environment."""
from __future__ import annotations

import os
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent


def artifacts_dir() -> Path:
    """Root of run outputs: $DLLAB_ARTIFACTS, else <repository>/artifacts."""
    return Path(os.environ.get("DLLAB_ARTIFACTS", REPOSITORY_ROOT / "artifacts"))


def runs_dir() -> Path:
    return artifacts_dir() / "runs"


def cache_dir() -> Path:
    """Downloaded datasets: $DLLAB_CACHE, else ~/.cache/dllab."""
    return Path(os.environ.get("DLLAB_CACHE", Path.home() / ".cache" / "dllab"))


def data_dir() -> Path | None:
    """A folder of local datasets ($DLLAB_DATA_DIR), e.g. ../shared/data: <dir>/mnist/..."""
    value = os.environ.get("DLLAB_DATA_DIR")
    return Path(value) if value else None


def plugins() -> list[str]:
    """Python modules to import when the registries load ($DLLAB_PLUGINS, comma-separated):
    each may add kinds of task, projects and strings of its own (core.plugins)."""
    return [name.strip() for name in os.environ.get("DLLAB_PLUGINS", "").split(",") if name.strip()]


def max_workers() -> int:
    """How many runs train at once ($DLLAB_WORKERS, default 1: two cores share badly)."""
    value = os.environ.get("DLLAB_WORKERS", "1")
    try:
        count = int(value)
    except ValueError:
        raise ValueError(f"DLLAB_WORKERS must be a whole number >= 1, got {value!r}") from None
    if count < 1:
        raise ValueError(f"DLLAB_WORKERS must be a whole number >= 1, got {count}")
    return count
