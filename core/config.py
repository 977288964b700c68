"""Where dllab keeps things, and how many workers it runs, read from the environment."""
from __future__ import annotations

import os
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
# The generated sets decode to a few MB each; CIFAR-10 as floats would be 700 MB (it is not cached).
DEFAULT_POOL_CACHE_BYTES = 2 * 1024**3


def artifacts_dir() -> Path:
    """Root of run outputs: $DLLAB_ARTIFACTS, else <repository>/artifacts."""
    return Path(os.environ.get("DLLAB_ARTIFACTS", REPOSITORY_ROOT / "artifacts"))


def runs_dir() -> Path:
    return artifacts_dir() / "runs"


def cache_dir() -> Path:
    """Downloaded datasets: $DLLAB_CACHE, else ~/.cache/dllab."""
    return Path(os.environ.get("DLLAB_CACHE", Path.home() / ".cache" / "dllab"))


def pool_cache_bytes() -> int:
    """How many bytes the cache of decoded datasets ($DLLAB_CACHE/pools/) may hold
    ($DLLAB_POOL_CACHE_BYTES, default 2 GiB; 0 keeps none): past it, the least recently used
    go first (core.data.pool_cache)."""
    return _whole_number("DLLAB_POOL_CACHE_BYTES", str(DEFAULT_POOL_CACHE_BYTES), 0)


def data_dir() -> Path | None:
    """A folder of local datasets ($DLLAB_DATA_DIR), e.g. ../shared/data: <dir>/mnist/..."""
    value = os.environ.get("DLLAB_DATA_DIR")
    return Path(value) if value else None


def plugins() -> list[str]:
    """Python modules to import when the registries load ($DLLAB_PLUGINS, comma-separated):
    each may add kinds of task, projects and strings of its own (core.plugins)."""
    return [name.strip() for name in os.environ.get("DLLAB_PLUGINS", "").split(",") if name.strip()]


def _whole_number(variable: str, default: str, minimum: int) -> int:
    """The whole number in $variable (`default` when unset); ValueError naming it otherwise."""
    value = os.environ.get(variable, default)
    try:
        count = int(value)
    except ValueError:
        raise ValueError(f"{variable} must be a whole number >= {minimum}, got {value!r}") from None
    if count < minimum:
        raise ValueError(f"{variable} must be a whole number >= {minimum}, got {count}")
    return count


def max_workers() -> int:
    """How many runs train at once ($DLLAB_WORKERS, default 1: two cores share badly)."""
    return _whole_number("DLLAB_WORKERS", "1", 1)


def warm_workers() -> int:
    """How many idle warm workers (a trainer that has imported its framework and waits for a
    run) each framework may keep ($DLLAB_WARM_WORKERS, default and at most DLLAB_WORKERS;
    0 turns warming off, for a machine short of memory)."""
    if not os.environ.get("DLLAB_WARM_WORKERS", "").strip():
        return max_workers()
    return min(_whole_number("DLLAB_WARM_WORKERS", "", 0), max_workers())


def warm_models() -> bool:
    """Whether the app loads a run's model (and traces its first calls) in the background when
    it starts and when a page that needs it opens ($DLLAB_WARM_MODELS, on unless "0"): off
    saves a small laptop the memory of TensorFlow until a page needs it."""
    return os.environ.get("DLLAB_WARM_MODELS", "1").strip() != "0"


def warm_idle_seconds() -> float:
    """How long an idle warm worker waits for a run before it leaves ($DLLAB_WARM_IDLE_SECONDS,
    default 900: a class's next launch usually comes within minutes)."""
    value = os.environ.get("DLLAB_WARM_IDLE_SECONDS", "900")
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"DLLAB_WARM_IDLE_SECONDS must be a number of seconds, got {value!r}") from None
    if seconds < 0:
        raise ValueError(f"DLLAB_WARM_IDLE_SECONDS must be a number of seconds >= 0, got {seconds}")
    return seconds
