"""What every kind's train path shares (it runs inside the worker): the run's dataset split
(its decoded pool cached, so the next run on the same data loads in milliseconds) and the
checkpoint's description."""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np

from core.data import ImagePool, pool_cache, split_pool
from core.runs import store

CHECKPOINT_DESCRIPTION = "checkpoint.json"
# Bump when what a cached pool holds changes, so old files are not read.
POOL_CACHE_VERSION = 1
# A pool that loads faster than this is read again rather than cached: CIFAR-10's 60,000
# images load from their .npz in well under a second, and would be 700 MB of floats on disk.
SLOW_LOAD_SECONDS = 0.3


def _stat_of(path: Path) -> list:
    """What changes when a source file or folder changes: names, sizes and times."""
    paths = sorted(path.rglob("*")) if path.is_dir() else [path]
    return [[str(item.relative_to(path) if path.is_dir() else item.name), item.stat().st_size, item.stat().st_mtime_ns] for item in paths if item.is_file()][:1000]


def pool_cache_path(project_id: str, dataset_name: str, dataset, parameters) -> Path | None:
    """Where the decoded pool of this dataset (with these options) is cached, keyed by its
    source's version; None when it is not cached: not an image pool, an image folder (cached
    by core.data.folders itself), or a dataset that would be downloaded."""
    import inspect
    from importlib import metadata

    if dataset.data_kind != "image_pool" or "path" in dataset.options:
        return None
    location = dataset.location() if dataset.location is not None else None
    if location is None and not dataset.offline:
        return None  # Downloaded by keras into its own cache the first time.
    try:
        loader_file = Path(inspect.getsourcefile(dataset.load) or "")
        key = {
            "version": POOL_CACHE_VERSION, "project": project_id, "dataset": dataset_name,
            "options": {name: str(value) for name, value in dataset._options(parameters).items()},
            "loader": [getattr(dataset.load, "__qualname__", repr(dataset.load)), *_stat_of(loader_file)],
            "source": _stat_of(Path(location)) if location is not None else None,
            "libraries": [metadata.version("numpy"), metadata.version("scikit-learn")],
        }
    except (OSError, TypeError, metadata.PackageNotFoundError):
        return None
    digest = hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return pool_cache.pools_dir() / f"{digest}.npz"


def _read_pool(path: Path) -> ImagePool | None:
    try:
        with np.load(path, allow_pickle=False) as archive:
            images = archive["images"]
            images = images.astype(np.float32) / 255.0 if images.dtype == np.uint8 else images
            return ImagePool(images=images, labels=archive["labels"], class_names=[str(name) for name in archive["class_names"]], source=str(archive["source"]))
    except (OSError, KeyError, ValueError):
        return None  # Absent or damaged: loaded again and rewritten.


def _write_pool(path: Path, pool: ImagePool) -> None:
    """Write then rename; pixels that are whole 255ths are kept as bytes (4x smaller)."""
    as_bytes = np.rint(pool.images * 255.0)
    images = as_bytes.astype(np.uint8) if np.abs(as_bytes / 255.0 - pool.images).max(initial=0.0) < 1e-6 else pool.images
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(temporary, images=images, labels=pool.labels, class_names=np.asarray(pool.class_names), source=np.asarray(pool.source))
        os.replace(temporary, path)
    except OSError as error:  # A full or read-only disk: the run goes on uncached.
        temporary.unlink(missing_ok=True)
        print(f"dataset cache not written: {error}", flush=True)
        return
    try:
        pool_cache.prune()  # Kept under DLLAB_POOL_CACHE_BYTES, this pool counted.
    except (OSError, ValueError) as error:
        print(f"dataset cache not pruned: {error}", flush=True)


def load_pool(context, dataset):
    """The run's dataset, from the decoded-pool cache when its source has not changed."""
    params, parameters = context.params, context.parameters
    cache = pool_cache_path(context.project.id, params["dataset"], dataset, parameters)
    if cache is not None and cache.exists():
        began = time.perf_counter()
        pool = _read_pool(cache)
        if pool is not None:
            pool_cache.mark_used(cache)
            print(f"dataset {params['dataset']} from the cache {cache} in {time.perf_counter() - began:.2f} s", flush=True)
            return pool
    began = time.perf_counter()
    pool = dataset.load_pool(parameters)
    if cache is not None and isinstance(pool, ImagePool) and time.perf_counter() - began >= SLOW_LOAD_SECONDS:
        _write_pool(cache, pool)
    return pool


def load_split(context):
    """The run's dataset spec and its pool split by the run's seed (both told in the log)."""
    params, parameters = context.params, context.parameters
    dataset = context.project.datasets[params["dataset"]]
    print(f"loading dataset {params['dataset']}", flush=True)
    pool = load_pool(context, dataset)
    split = split_pool(pool, parameters.seed, parameters.validation_fraction)
    print(f"{split.source}: {len(split.y_train)} train, {len(split.y_validation)} validation, {len(split.y_test)} test", flush=True)
    # A classifier whose loss stays at ln(class count) is guessing: the reporter says so.
    context.reporter.class_count = split.class_count
    return dataset, split


def write_description(context, backend, model, dataset, input_shape, class_names, train_size: int, **extra) -> None:
    """checkpoint.json: what loading the checkpoint and preparing an input need; written
    atomically, so a reader never sees half of it."""
    params = context.params
    description = {
        "backend": params["backend"],
        "model": params["model"],
        "file": backend.CHECKPOINT_FILE,
        "input_shape": list(input_shape),
        "class_names": list(class_names),
        "dataset": params["dataset"],
        "preparation": dataset.preparation,
        "parameter_count": backend.parameter_count(model),
        "train_size": int(train_size),
        **extra,
    }
    store.write_json_atomically(context.path / CHECKPOINT_DESCRIPTION, description)
