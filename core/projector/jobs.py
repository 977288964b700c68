"""Projection jobs: submit() checks a request and leaves a job file for the projection
service (started by core.projector.service); run_job() is the job itself, run by that
service's process (core.projector.server).

A job's state and progress live in the run's eval/projections/<key>.json, which the page
and the command line poll.
"""
from __future__ import annotations

import json
import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core import config, inference, inspection
from core.i18n import TranslatableError
from core.projector import features, methods, results, service
from core.runs import processes, store

# Progress is written at most this often: the page polls it about once a second.
PROGRESS_INTERVAL_SECONDS = 0.25
# Shares of a job's progress bar: the model and its features, then the projection, then k-means.
STAGES = {"features": (0.0, 0.3), "projection": (0.3, 0.9), "clusters": (0.9, 1.0)}


def queue_dir() -> Path:
    return config.artifacts_dir() / "projections" / "queue"


def test_set_size(run_path: Path) -> int:
    """How many test images the run kept (reads only the labels): eval/predictions.npz of a
    classifier, eval/latent.npz of a generative run. FileNotFoundError when it kept none."""
    from core import kinds

    kind = kinds.kind_of_folder(run_path)
    if kind is None:
        raise FileNotFoundError(f"no test set: {run_path.name} is of no known kind of task")
    with np.load(kind.evaluation.path(run_path), allow_pickle=False) as archive:
        return len(archive["labels"])


def check_request(run_path: Path, request: results.Request, loaded=None) -> None:
    """TranslatableError for an unknown method, too few or too many points, or an unknown
    layer (of a generative run, whose only layer is features.LATENT_LAYER, or of the given
    loaded model); RunNotFound when the run is gone."""
    generative = features.is_generative(run_path)
    if generative:
        features.check_latent_layer(request.layer)
    methods.check_count(request.method, request.count, test_set_size(run_path))
    if loaded is not None and not generative:
        inspection.layer(loaded, request.layer)


def submit(run_path: Path, request: results.Request, loaded=None, start_service: bool = True) -> dict:
    """Check the request and return its json: the stored one when it is finished or under
    way (asking twice computes once), else a new queued one with a job file for the service."""
    check_request(run_path, request, loaded)
    info = status(run_path, request.key, start_service=start_service)
    if info and (info["state"] in results.ACTIVE_STATES or (info["state"] == "finished" and results.data_path(run_path, request.key).exists())):
        return info
    info = results.new_info(run_path, request)
    queue_dir().mkdir(parents=True, exist_ok=True)
    job = {"run_path": str(run_path.resolve()), "key": request.key}
    name = f"{time.time_ns()}-{run_path.name}-{request.key}.json"
    store.write_json_atomically(queue_dir() / name, job)
    if start_service:
        service.ensure_running()
    return info


def status(run_path: Path, key: str, start_service: bool = True) -> dict | None:
    """The projection's json, None when never asked. A running job whose service died is
    marked failed; a queued one gets a service started (unless `start_service` is False)."""
    info = results.read_info(run_path, key)
    if info is None or info["state"] not in results.ACTIVE_STATES:
        return info
    if info["state"] == "running" and not processes.is_alive(info.get("service_pid"), info.get("process_start")):
        info = results.read_info(run_path, key)  # It may have just finished.
        if info["state"] == "running":
            error = TranslatableError("projector_error_service_died")
            info = results.write_info(run_path, key, state="failed", error=str(error), error_key=error.key, error_values=error.values, finished=time.time())
    elif info["state"] == "queued" and start_service and not service.is_running():
        service.ensure_running()
    return info


class _Reporter:
    """Writes a job's stage and progress to its json, throttled; raises RunNotFound (which
    ends the job) as soon as the run folder is gone."""

    def __init__(self, run_path: Path, key: str):
        self.run_path, self.key = run_path, key
        self.last_write = 0.0

    def stage(self, name: str):
        start, end = STAGES[name]
        results.write_info(self.run_path, self.key, stage=name, fraction=start)
        self.last_write = time.monotonic()

        def report(fraction: float) -> None:
            if time.monotonic() - self.last_write >= PROGRESS_INTERVAL_SECONDS:
                results.write_info(self.run_path, self.key, fraction=round(start + (end - start) * fraction, 3))
                self.last_write = time.monotonic()

        return report


_models: dict[tuple, inference.LoadedModel] = {}


def _load_model(run_path: Path) -> inference.LoadedModel:
    """The run's model, kept for the next jobs of the same run (a student looks several times)."""
    key = (str(run_path), inference.checkpoint_version(run_path))
    if key not in _models:
        if len(_models) >= 3:
            _models.pop(next(iter(_models)))
        _models[key] = inference.load_model(run_path)
    return _models[key]


@dataclass
class _Sample:
    """The sampled test images: their positions in the test split, classes, predictions,
    features, how the features were reduced, and the number of classes (k of k-means)."""

    indices: np.ndarray
    labels: np.ndarray
    predictions: np.ndarray
    features: np.ndarray
    reduction: str
    class_count: int


def _layer_sample(run_path: Path, request: results.Request, progress) -> _Sample:
    """A classifier's sample: the outputs of the requested layer for its test images."""
    loaded = _load_model(run_path)
    evaluation = inference.load_predictions(run_path)
    methods.check_count(request.method, request.count, len(evaluation["labels"]))
    indices = features.sample_indices(evaluation["labels"], request.count, request.seed)
    layer_features, reduction = features.layer_features(loaded, request.layer, evaluation["images"][indices], request.seed, progress)
    return _Sample(indices, evaluation["labels"][indices], evaluation["predictions"][indices], layer_features, reduction, len(loaded.class_names))


def _stored_sample(run_path: Path, request: results.Request, progress) -> _Sample:
    """A sample of the features the run's kind keeps in its evaluation file (a generative
    run's mean codes of its test images). It predicts nothing, so its predictions are the
    labels; no model is loaded."""
    from core import kinds

    features.check_latent_layer(request.layer)
    kind = kinds.kind_of_folder(run_path)
    stored = kind.evaluation.read(run_path)
    methods.check_count(request.method, request.count, len(stored["labels"]))
    indices = features.sample_indices(stored["labels"], request.count, request.seed)
    labels = stored["labels"][indices]
    codes = np.asarray(stored[kind.stored_features][indices], dtype=np.float32).reshape(len(indices), -1)
    class_count = len(inference.read_description(run_path)["class_names"])
    progress(1.0)
    return _Sample(indices, labels, labels.copy(), codes, "", class_count)


def compute(run_path: Path, request: results.Request, reporter: _Reporter) -> dict:
    """Features, projection and k-means for `request`; saves the coordinates and returns
    what the json should say about them."""
    progress = reporter.stage("features")
    sample = (_stored_sample if features.is_generative(run_path) else _layer_sample)(run_path, request, progress)
    coordinates = methods.project(request.method, sample.features, request.seed, reporter.stage("projection"))
    reporter.stage("clusters")
    ari, clusters = methods.cluster_agreement(sample.features, sample.labels, sample.class_count, request.seed)
    results.save(run_path, request.key, coordinates, sample.indices.astype(np.int32), sample.labels, sample.predictions, clusters)
    return {"ari": ari, "feature_width": int(sample.features.shape[1]), "reduction": sample.reduction}


def run_job(run_path: Path, key: str) -> str:
    """Run one queued projection to its end and return its final state ("gone" when the
    run was deleted). Never raises for a bad job: the service must survive it."""
    try:
        info = results.read_info(run_path, key)
        if info is None:
            return "gone"
        request = results.Request(info["layer"], info["method"], int(info["count"]), int(info["seed"]))
        started = time.time()
        results.write_info(run_path, key, state="running", started=started, service_pid=os.getpid(), process_start=processes.start_time(os.getpid()))
        outcome = compute(run_path, request, _Reporter(run_path, key))
        finished = time.time()
        results.write_info(run_path, key, state="finished", stage="finished", fraction=1.0, finished=finished, seconds=round(finished - started, 3), **outcome)
        print(f"{run_path.name} {key}: finished in {finished - started:.1f} s, ARI {outcome['ari']:.3f}", flush=True)
        return "finished"
    except store.RunNotFound:
        print(f"{run_path.name} {key}: the run was deleted; job dropped", flush=True)
        return "gone"
    except TranslatableError as error:
        return _fail(run_path, key, str(error), error.key, error.values)
    except Exception as error:  # A bug or a broken file: recorded, and the service goes on.
        traceback.print_exc()
        return _fail(run_path, key, f"{type(error).__name__}: {error}", None, None)


def _fail(run_path: Path, key: str, message: str, error_key: str | None, error_values: dict | None) -> str:
    print(f"{run_path.name} {key}: failed: {message}", flush=True)
    try:
        results.write_info(run_path, key, state="failed", finished=time.time(), error=message, error_key=error_key, error_values=error_values)
    except store.RunNotFound:
        return "gone"
    return "failed"


def take_job() -> tuple[Path, str] | None:
    """The oldest job file, removed from the queue; None when the queue is empty."""
    for path in sorted(queue_dir().glob("*.json")):
        try:
            text = path.read_text()
            path.unlink()
            job = json.loads(text)
        except FileNotFoundError:
            continue
        except ValueError:
            print(f"unreadable job file dropped: {path.name}", flush=True)
            continue
        return Path(job["run_path"]), job["key"]
    return None


def has_jobs() -> bool:
    return any(queue_dir().glob("*.json"))
