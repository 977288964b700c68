"""Projections stored in a run's eval/projections/: <key>.json (what was asked, the job's
state and progress, the ARI, the time) beside <key>.npz (the coordinates).

The key comes from (layer, method, count, seed), so asking again finds the stored result.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.runs import store

FOLDER = "projections"
STATES = ("queued", "running", "finished", "failed")
ACTIVE_STATES = ("queued", "running")


@dataclass(frozen=True)
class Request:
    """One projection: which layer's features, which method, how many test images, which seed."""

    layer: str
    method: str
    count: int
    seed: int

    @property
    def key(self) -> str:
        """Readable, and distinct for distinct requests (a hash of all four fields, since
        torch layer names hold dots and a user may pick any layer)."""
        fields = json.dumps([self.layer, self.method, int(self.count), int(self.seed)])
        return f"{self.method}-{self.count}-{self.seed}-{hashlib.sha1(fields.encode()).hexdigest()[:10]}"


@dataclass
class Projection:
    """A stored projection: coordinates of the sampled test images and what they are."""

    info: dict
    coordinates: np.ndarray  # (n, 2) float32
    indices: np.ndarray  # positions in the run's test split (eval/predictions.npz, or a generative run's eval/latent.npz)
    labels: np.ndarray
    predictions: np.ndarray  # the labels again for a generative run, which predicts nothing
    clusters: np.ndarray  # k-means cluster of each point


def folder(run_path: Path) -> Path:
    return run_path / store.EVAL_DIR / FOLDER


def info_path(run_path: Path, key: str) -> Path:
    return folder(run_path) / f"{key}.json"


def data_path(run_path: Path, key: str) -> Path:
    return folder(run_path) / f"{key}.npz"


def read_info(run_path: Path, key: str) -> dict | None:
    """The projection's json, None when it was never asked; RunNotFound when the run is gone."""
    try:
        return store.read_json(info_path(run_path, key))
    except FileNotFoundError:
        if not run_path.is_dir():
            raise store.RunNotFound(f"run not found: {run_path.name}") from None
        return None


def write_info(run_path: Path, key: str, **changes) -> dict:
    """Merge `changes` into the projection's json atomically; RunNotFound when the run is gone."""
    return _write(run_path, key, (read_info(run_path, key) or {}) | changes)


def _write(run_path: Path, key: str, info: dict) -> dict:
    if not run_path.is_dir():
        raise store.RunNotFound(f"run not found: {run_path.name}")
    try:
        folder(run_path).mkdir(parents=True, exist_ok=True)
        store.write_json_atomically(info_path(run_path, key), info)
    except FileNotFoundError:  # The run was deleted between the check and the write.
        raise store.RunNotFound(f"run not found: {run_path.name}") from None
    return info


def save(run_path: Path, key: str, coordinates: np.ndarray, indices: np.ndarray, labels: np.ndarray, predictions: np.ndarray, clusters: np.ndarray) -> None:
    """The coordinates, written whole before the json says finished."""
    path = data_path(run_path, key)
    temporary = path.with_name(f".{path.stem}.tmp.npz")
    try:
        np.savez(temporary, coordinates=coordinates, indices=indices, labels=labels, predictions=predictions, clusters=clusters)
        temporary.replace(path)
    except FileNotFoundError:
        raise store.RunNotFound(f"run not found: {run_path.name}") from None


def load(run_path: Path, key: str) -> Projection:
    """A finished projection; FileNotFoundError when it is not (yet) stored."""
    info = read_info(run_path, key)
    if not info or info.get("state") != "finished":
        raise FileNotFoundError(f"no finished projection {key} in {run_path.name}")
    with np.load(data_path(run_path, key), allow_pickle=False) as archive:
        return Projection(info=info, **{name: archive[name] for name in ("coordinates", "indices", "labels", "predictions", "clusters")})


def list_projections(run_path: Path) -> list[dict]:
    """Every projection's json in a run, newest first (finished, running and failed)."""
    infos = []
    for path in folder(run_path).glob("*.json"):
        try:
            infos.append(store.read_json(path))
        except (FileNotFoundError, ValueError):
            continue  # Being replaced or deleted right now.
    return sorted(infos, key=lambda info: info.get("submitted", 0.0), reverse=True)


def new_info(run_path: Path, request: Request) -> dict:
    """The json of a projection just asked for (replacing a failed attempt's)."""
    return _write(run_path, request.key, dict(
        key=request.key, run_id=run_path.name, layer=request.layer, method=request.method, count=request.count,
        seed=request.seed, state="queued", stage="queued", fraction=0.0, submitted=time.time(), started=None, finished=None,
        seconds=None, ari=None, error=None, error_key=None, error_values=None,
    ))
