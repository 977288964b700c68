"""The projector's targets, through the app's path: core.projector.jobs.submit, the
projection service process, the run's eval/projections/.

In a temporary DLLAB_ARTIFACTS, a finished run (an untrained digits CNN, whose penultimate
layer gives 128 numbers an image) with 5,000 "test images" drawn around 10 class
prototypes, so its features are random but clustered. Then, each timed from submit until
the job's json says finished (polled every 50 ms):

(a) cold: no service runs; the submit starts it (a user who clicks the instant the app
    starts: imports, numba compilation and the job);
(b) first UMAP of 5,000 in a freshly started service: started the way the app starts it,
    given the time it takes to warm up (printed), as a user choosing a run and a layer does;
(c) a later UMAP of 5,000 (another seed);
(d) t-SNE of 2,000;
(e) a cached re-open: submit of a finished request, load of its coordinates and the
    page's scatter figure built (hover thumbnails included) and serialised.

Prints each with its target and value/target. Machines here vary up to 2x between runs.

    .venv/bin/python benchmarks/projector.py [--points 5000] [--keep]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY_ROOT))
sys.path.insert(0, str(REPOSITORY_ROOT / "tests"))

TARGETS = {"umap_cold": 15.0, "umap_first": 15.0, "umap_later": 7.0, "tsne_2000": 12.0, "cached_reopen": 1.0}
POLL_SECONDS = 0.05


def make_run(root: Path, points: int) -> Path:
    import numpy as np
    from page_fixtures import make_run as make_fixture_run

    from core.kinds.image_classification import PREDICTIONS_FILE
    from core.runs import store

    path = root / make_fixture_run(root)
    generator = np.random.default_rng(0)
    labels = np.arange(points) % 10
    prototypes = generator.uniform(0, 255, size=(10, 8, 8, 1))
    images = np.clip(prototypes[labels] + generator.normal(scale=40, size=(points, 8, 8, 1)), 0, 255).astype(np.uint8)
    probabilities = generator.dirichlet(np.ones(10), size=points).astype(np.float32)
    np.savez_compressed(path / store.EVAL_DIR / PREDICTIONS_FILE, images=images, labels=labels, predictions=probabilities.argmax(1), probabilities=probabilities)
    return path


def timed_job(path: Path, request) -> tuple[float, dict]:
    from core.projector import jobs, results

    began = time.perf_counter()
    info = jobs.submit(path, request)
    while info["state"] in results.ACTIVE_STATES:
        time.sleep(POLL_SECONDS)
        info = jobs.status(path, request.key)
    wall = time.perf_counter() - began
    if info["state"] != "finished":
        raise SystemExit(f"{request}: {info['state']}: {info.get('error')}")
    return wall, info


def wait_until_warm(timeout: float = 180.0) -> float:
    from core.projector import service

    began = time.perf_counter()
    while service.read_state().get("state") != "ready":
        if time.perf_counter() - began > timeout:
            raise SystemExit(f"the service did not warm up in {timeout} s: {service.read_state()}")
        time.sleep(0.1)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary artifacts folder")
    arguments = parser.parse_args()
    artifacts = Path(tempfile.mkdtemp(prefix="dllab-projector-"))
    os.environ["DLLAB_ARTIFACTS"] = str(artifacts)
    os.environ.pop("DLLAB_PROJECTOR_WARM", None)
    (artifacts / "runs").mkdir()
    from core.projector import figure, jobs, results, service

    print(f"load average (1, 5, 15 min) at the start: {', '.join(f'{value:.1f}' for value in os.getloadavg())} on {os.cpu_count()} cores", flush=True)
    path = make_run(artifacts / "runs", arguments.points)
    layer = "relu_dense"  # The digits CNN's penultimate layer: 128 numbers an image.
    measured, notes = {}, {}
    try:
        measured["umap_cold"], info = timed_job(path, results.Request(layer, "umap", arguments.points, 0))
        notes["umap_cold"] = f"service compute {info['seconds']:.1f} s, {info['feature_width']} features, ARI {info['ari']:.3f}"
        service.stop()

        service.ensure_running()
        warm = wait_until_warm()
        measured["umap_first"], info = timed_job(path, results.Request(layer, "umap", arguments.points, 1))
        notes["umap_first"] = f"after a {warm:.1f} s warm-up ({', '.join(service.read_state().get('warm', []))}); service compute {info['seconds']:.1f} s"
        measured["umap_later"], info = timed_job(path, results.Request(layer, "umap", arguments.points, 2))
        notes["umap_later"] = f"service compute {info['seconds']:.1f} s, ARI {info['ari']:.3f}"
        measured["tsne_2000"], info = timed_job(path, results.Request(layer, "tsne", 2000, 0))
        notes["tsne_2000"] = f"service compute {info['seconds']:.1f} s, ARI {info['ari']:.3f}"

        request = results.Request(layer, "umap", arguments.points, 2)
        began = time.perf_counter()
        info = jobs.submit(path, request)
        projection = results.load(path, request.key)
        from core import inference

        digits = [str(digit) for digit in range(10)]
        images = figure.hover_images(projection, inference.load_predictions(path)["images"])
        chart = figure.scatter(projection, digits, "label", digits, {"index": "image", "label": "true", "prediction": "predicted", "group": "class"}, images)
        size = len(chart.to_json())
        measured["cached_reopen"] = time.perf_counter() - began
        notes["cached_reopen"] = f"{len(projection.coordinates)} points, figure {size / 1e6:.1f} MB of JSON"
    finally:
        service.stop()
        log = (service.service_dir() / service.LOG_FILE).read_text() if (service.service_dir() / service.LOG_FILE).exists() else ""
        if not arguments.keep:
            shutil.rmtree(artifacts, ignore_errors=True)
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{value:.1f}' for value in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"{'measure':14} {'seconds':>8} {'target':>7} {'ratio':>6}  verdict  notes")
    for name, seconds in measured.items():
        ratio = seconds / TARGETS[name]
        print(f"{name:14} {seconds:8.2f} {TARGETS[name]:7.1f} {ratio:6.2f}  {'PASS' if ratio <= 1 else 'FAIL':7}  {notes.get(name, '')}")
    print("service log:\n" + "\n".join("  " + line for line in log.splitlines() if line.startswith(("warm", "20"))))
    print(json.dumps({name: round(value, 3) for name, value in measured.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
