"""core.data.pool_cache: the decoded-dataset cache ($DLLAB_CACHE/pools/) stays under
$DLLAB_POOL_CACHE_BYTES, the least recently used pools removed first."""
from __future__ import annotations

import os
import time
from types import SimpleNamespace

import numpy as np
import pytest

from core import config, training
from core.data import pool_cache


@pytest.fixture
def pools(tmp_path, monkeypatch):
    monkeypatch.setenv("DLLAB_CACHE", str(tmp_path / "cache"))
    folder = pool_cache.pools_dir()
    folder.mkdir(parents=True)
    return folder


def write(folder, name: str, size: int, age_seconds: float):
    path = folder / name
    path.write_bytes(b"x" * size)
    when = time.time() - age_seconds
    os.utime(path, (when, when))
    return path


def test_the_least_recently_used_pools_go_until_the_cache_fits(pools):
    oldest, middle, newest = write(pools, "a.npz", 400, 300), write(pools, "b.npz", 400, 200), write(pools, "c.npz", 400, 100)
    pool_cache.mark_used(oldest)  # Read just now: it goes last.
    assert pool_cache.prune(max_bytes=900) == [middle]
    assert sorted(path.name for path in pools.iterdir()) == ["a.npz", "c.npz"]
    assert pool_cache.prune(max_bytes=800) == []  # Already fits: nothing more goes.
    assert pool_cache.prune(max_bytes=0) == [newest, oldest]
    assert not list(pools.iterdir())


def test_the_setting_caps_the_cache_and_a_bad_one_is_named(pools, monkeypatch):
    assert config.pool_cache_bytes() == config.DEFAULT_POOL_CACHE_BYTES
    write(pools, "a.npz", 300, 200), write(pools, "b.npz", 300, 100)
    monkeypatch.setenv("DLLAB_POOL_CACHE_BYTES", "500")
    assert [path.name for path in pool_cache.prune()] == ["a.npz"]
    monkeypatch.setenv("DLLAB_POOL_CACHE_BYTES", "2GB")
    with pytest.raises(ValueError, match="DLLAB_POOL_CACHE_BYTES must be a whole number >= 0, got '2GB'"):
        pool_cache.prune()
    with pytest.raises(ValueError, match="max_bytes"):
        pool_cache.prune(max_bytes=-1)


def test_an_abandoned_temporary_goes_and_one_being_written_stays(pools):
    abandoned = write(pools, ".a.npz.123.tmp.npz", 10, pool_cache.ABANDONED_SECONDS + 60)
    writing = write(pools, ".b.npz.456.tmp.npz", 10, 1)
    assert pool_cache.prune(max_bytes=0) == [abandoned]
    assert writing.exists()


def test_a_missing_cache_folder_prunes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("DLLAB_CACHE", str(tmp_path / "nowhere"))
    assert pool_cache.prune(max_bytes=0) == []


def digits_context():
    from core.projects import get_project

    project = get_project("digits")
    parameters = project.parameters()
    return SimpleNamespace(params={"dataset": "digits"}, parameters=parameters, project=project), project.datasets["digits"]


def test_a_run_writing_a_pool_keeps_the_cache_under_its_cap(pools, monkeypatch):
    monkeypatch.setattr(training, "SLOW_LOAD_SECONDS", 0.0)  # Cache it however fast it loads here.
    context, dataset = digits_context()
    cache = training.pool_cache_path("digits", "digits", dataset, context.parameters)
    first = training.load_pool(context, dataset)
    size = cache.stat().st_size
    cache.unlink()
    stale = write(pools, "stale.npz", 5000, 3600)
    monkeypatch.setenv("DLLAB_POOL_CACHE_BYTES", str(size + 2500))  # Room for the digits' pool, not for both.
    training.load_pool(context, dataset)
    assert cache.is_file() and not stale.exists()
    # A hit marks the pool used, so it outlives the pools read less recently.
    os.utime(cache, (1, 1))
    second = training.load_pool(context, dataset)
    assert cache.stat().st_mtime > time.time() - 60
    np.testing.assert_array_equal(first.labels, second.labels)
    # A cap smaller than the pool keeps none: the run still has its data.
    cache.unlink()
    monkeypatch.setenv("DLLAB_POOL_CACHE_BYTES", "0")
    third = training.load_pool(context, dataset)
    assert not cache.exists() and len(third.labels) == len(first.labels)
