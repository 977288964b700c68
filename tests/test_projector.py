"""The projector: sampling, projections, k-means ARI, stored results, jobs through the real
service process, bad input, the command line and the page."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from page_fixtures import PAGES, make_run, open_page, write_checkpoint
from streamlit.testing.v1 import AppTest

from core import inference, inspection
from core.i18n import TranslatableError
from core.projector import cli, features, figure, jobs, methods, results, service
from core.runs import store

PAGE = PAGES / "projector.py"


def clusters(count: int = 300, classes: int = 5, width: int = 16, spread: float = 10.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Well-separated Gaussian blobs: `count` points of `width` numbers, and their labels."""
    generator = np.random.default_rng(seed)
    labels = np.arange(count) % classes
    centres = generator.normal(scale=spread, size=(classes, width))
    return (centres[labels] + generator.normal(size=(count, width))).astype(np.float32), labels


@pytest.fixture
def run_path(artifacts) -> Path:
    return artifacts / "runs" / make_run(artifacts / "runs")


def penultimate(path: Path) -> str:
    return inspection.penultimate_layer(inference.load_model(path))


# Sampling and computations ---------------------------------------------------------


def test_sample_is_stratified_seeded_and_sorted():
    labels = np.repeat([0, 1, 2], [600, 300, 100])
    sample = features.sample_indices(labels, 100, seed=3)
    assert len(sample) == len(set(sample)) == 100
    assert list(sample) == sorted(sample)
    assert np.bincount(labels[sample]).tolist() == [60, 30, 10]
    assert np.array_equal(sample, features.sample_indices(labels, 100, seed=3))
    assert not np.array_equal(sample, features.sample_indices(labels, 100, seed=4))
    assert np.array_equal(features.sample_indices(labels, 5000, seed=0), np.arange(1000))


@pytest.mark.parametrize("method", list(methods.METHODS))
def test_every_method_projects_to_two_dimensions(method):
    points, labels = clusters(count=120)
    seen = []
    coordinates = methods.project(method, points, seed=0, progress=seen.append)
    assert coordinates.shape == (120, 2) and coordinates.dtype == np.float32
    assert np.isfinite(coordinates).all()
    assert seen[-1] == 1.0
    # Separated blobs stay separated: each point's nearest neighbour in 2-D is of its class.
    distances = np.linalg.norm(coordinates[:, None] - coordinates[None], axis=2) + np.eye(120) * 1e9
    assert (labels[distances.argmin(1)] == labels).mean() > 0.95


def test_ari_is_high_on_separated_clusters_and_near_zero_on_shuffled_labels():
    points, labels = clusters()
    agreement, assignment = methods.cluster_agreement(points, labels, clusters=5, seed=0)
    assert agreement > 0.95
    assert assignment.shape == labels.shape and set(assignment) == set(range(5))
    shuffled = np.random.default_rng(1).permutation(labels)
    assert abs(methods.cluster_agreement(points, shuffled, clusters=5, seed=0)[0]) < 0.05


def test_wide_outputs_are_shrunk_by_a_random_projection(run_path, monkeypatch):
    monkeypatch.setattr(features, "MAXIMUM_WIDTH", 1000)
    monkeypatch.setattr(features, "PROJECTED_WIDTH", 64)
    loaded = inference.load_model(run_path)
    images = inference.load_predictions(run_path)["images"]
    wide, reduction = features.layer_features(loaded, "conv_32", images)  # 8×8×32 = 2,048 numbers an image
    assert wide.shape == (40, 64) and "2048 → 64" in reduction
    narrow, reduction = features.layer_features(loaded, "relu_dense", images)
    assert narrow.shape == (40, 128) and reduction == ""


def _projector_imports() -> dict[str, set[str]]:
    """Module -> the core.projector modules it imports, at its top or inside a function."""
    import ast

    folder = Path(__file__).resolve().parents[1] / "core" / "projector"
    names = {path.stem for path in folder.glob("*.py")}
    graph = {}
    for path in folder.glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "core.projector":
                imported |= {alias.name for alias in node.names} & names
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("core.projector."):
                imported.add(node.module.rsplit(".", 1)[1])
        graph[path.stem] = imported - {path.stem}
    return graph


def test_the_projector_modules_import_one_way():
    graph = _projector_imports()
    assert "service" in graph["jobs"] and "jobs" in graph["server"]

    def reaches(start: str, target: str, seen: set) -> bool:
        return any(name == target or (name not in seen and reaches(name, target, seen | {name})) for name in graph.get(start, ()))

    cycles = sorted(name for name in graph if reaches(name, name, set()))
    assert cycles == [], f"import cycle through {cycles}"


def test_keys_are_stable_and_distinct():
    requests = [results.Request(layer, method, count, seed) for layer in ("dense", "features.3", "features.3 ") for method in methods.METHODS for count in (100, 1000) for seed in (0, 1)]
    keys = [request.key for request in requests]
    assert len(set(keys)) == len(keys)
    assert results.Request("dense", "umap", 100, 0).key == results.Request("dense", "umap", 100, 0).key
    assert all("/" not in key and key.startswith(request.method) for key, request in zip(keys, requests))


def test_scatter_shows_images_on_hover_and_reads_a_selection():
    projection = results.Projection(
        info={}, coordinates=np.array([[0, 0], [1, 1], [2, 2], [3, 3]], np.float32), indices=np.array([7, 8, 9, 10]), labels=np.array([0, 1, 0, 1]),
        predictions=np.array([0, 0, 0, 1]), clusters=np.array([1, 1, 0, 0]),
    )
    test_images = np.zeros((11, 8, 8, 1), dtype=np.uint8)
    test_images[8] = 255
    images = figure.hover_images(projection, test_images, limit=2)
    assert sorted(images) == [0, 3] and all(url.startswith("data:image/png;base64,") for url in images.values())
    titles = {"index": "test image", "label": "true", "prediction": "predicted", "group": "true class"}
    spec = figure.scatter(projection, ["a", "b"], "label", ["a", "b"], titles, figure.hover_images(projection, test_images)).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert [row["true class"] for row in rows] == ["a", "b", "a", "b"] and [row["predicted"] for row in rows] == ["a", "a", "a", "b"]
    assert rows[1]["test image"] == 8 and rows[1]["image"] == figure.thumbnail(test_images[8])
    assert spec["encoding"]["tooltip"][0]["field"] == "image"  # Vega's tooltip draws this field as a picture.
    box = {"selection": {figure.BOX_SELECTION: {"x": [0.5, 2.5], "y": [2.5, 0.5]}}}
    assert figure.selected_rows(box, projection) == [1, 2]
    clicked = {"selection": {figure.POINT_SELECTION: [{"row": 3}], figure.BOX_SELECTION: {}}}
    assert figure.selected_rows(clicked, projection) == [3]
    assert figure.selected_rows(None, projection) == []
    with pytest.raises(ValueError, match="unknown colour"):
        figure.scatter(projection, ["a", "b"], "size", ["a", "b"], titles)


# Stored results and jobs, in this process --------------------------------------------


def test_a_finished_projection_is_returned_without_recomputing(run_path):
    request = results.Request(penultimate(run_path), "pca", 30, 0)
    queued = jobs.submit(run_path, request, start_service=False)
    assert queued["state"] == "queued" and len(list(jobs.queue_dir().glob("*.json"))) == 1
    assert jobs.run_job(*jobs.take_job()) == "finished"
    stored = results.read_info(run_path, request.key)
    assert stored["state"] == "finished" and stored["seconds"] > 0 and -1 <= stored["ari"] <= 1
    written = results.data_path(run_path, request.key).stat().st_mtime_ns

    again = jobs.submit(run_path, request, start_service=False)
    assert again == stored
    assert jobs.take_job() is None  # No second job queued.
    assert results.data_path(run_path, request.key).stat().st_mtime_ns == written
    projection = results.load(run_path, request.key)
    assert projection.coordinates.shape == (30, 2)
    assert np.array_equal(projection.labels, inference.load_predictions(run_path)["labels"][projection.indices])
    assert [info["key"] for info in results.list_projections(run_path)] == [request.key]


def test_asking_twice_while_queued_queues_once(run_path):
    request = results.Request(penultimate(run_path), "pca", 30, 0)
    jobs.submit(run_path, request, start_service=False)
    jobs.submit(run_path, request, start_service=False)
    assert len(list(jobs.queue_dir().glob("*.json"))) == 1


def test_a_keras_run_projects_from_its_penultimate_layer(run_path):
    from core.backends import keras_backend
    from core.kinds.image_classification import PREDICTIONS_FILE
    from core.projects.image_classification import ImageClassificationParameters

    model = keras_backend.build("small_cnn", (32, 32, 3), 10, ImageClassificationParameters())
    keras_backend.save(model, run_path / keras_backend.CHECKPOINT_FILE)
    write_checkpoint(run_path, "keras", "small_cnn", model, (32, 32, 3), [str(digit) for digit in range(10)], "shapes")
    generator = np.random.default_rng(0)
    labels = np.arange(60) % 10
    np.savez_compressed(run_path / store.EVAL_DIR / PREDICTIONS_FILE, images=generator.integers(0, 255, (60, 32, 32, 3), dtype=np.uint8), labels=labels, predictions=labels, probabilities=np.eye(10)[labels])
    request = results.Request(penultimate(run_path), "pca", 60, 0)
    jobs.submit(run_path, request, start_service=False)
    assert jobs.run_job(*jobs.take_job()) == "finished"
    info = results.read_info(run_path, request.key)
    assert info["feature_width"] == inspection.layer(inference.load_model(run_path), request.layer).output_shape[-1]
    assert results.load(run_path, request.key).coordinates.shape == (60, 2)


# Bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("method,minimum", [("tsne", 10), ("umap", 10), ("pca", 3)])
def test_two_points_are_refused_with_the_minimum(run_path, method, minimum):
    with pytest.raises(TranslatableError, match=f"at least {minimum} points; 2 asked") as caught:
        jobs.submit(run_path, results.Request("relu_dense", method, 2, 0), start_service=False)
    assert caught.value.key == "projector_error_too_few"
    assert not jobs.queue_dir().exists() or not any(jobs.queue_dir().iterdir())


def test_more_points_than_the_test_set_are_refused(run_path):
    with pytest.raises(TranslatableError, match="At most 40 test images"):
        jobs.submit(run_path, results.Request("relu_dense", "pca", 41, 0), start_service=False)


def test_an_unknown_layer_is_refused_on_submit_and_fails_the_job(run_path):
    loaded = inference.load_model(run_path)
    with pytest.raises(TranslatableError, match="relu_dense") as caught:
        jobs.submit(run_path, results.Request("no_such_layer", "pca", 20, 0), loaded, start_service=False)
    assert caught.value.key == "inspection_error_unknown_layer"
    # Without the model at hand (the command line's --no-wait path) the job itself says so.
    request = results.Request("no_such_layer", "pca", 20, 0)
    jobs.submit(run_path, request, start_service=False)
    assert jobs.run_job(*jobs.take_job()) == "failed"
    info = results.read_info(run_path, request.key)
    assert info["error_key"] == "inspection_error_unknown_layer" and "no_such_layer" in info["error"]


def test_an_unknown_method_is_refused(run_path):
    with pytest.raises(TranslatableError, match="valid: pca, tsne, umap"):
        jobs.submit(run_path, results.Request("relu_dense", "lda", 20, 0), start_service=False)


def test_a_run_deleted_mid_computation_ends_the_job_quietly(run_path, monkeypatch):
    def delete_then_report(points, seed, progress):
        shutil.rmtree(run_path)
        time.sleep(jobs.PROGRESS_INTERVAL_SECONDS)
        progress(0.5)  # The progress write notices the run is gone.
        raise AssertionError("the job should have stopped at the progress report")

    monkeypatch.setitem(methods.METHODS, "pca", methods.Method("projector_method_pca", 3, delete_then_report))
    request = results.Request("relu_dense", "pca", 20, 0)
    jobs.submit(run_path, request, start_service=False)
    assert jobs.run_job(*jobs.take_job()) == "gone"
    with pytest.raises(store.RunNotFound):
        jobs.status(run_path, request.key)


def test_a_job_whose_service_died_is_marked_failed(run_path, monkeypatch):
    monkeypatch.setattr(service, "ensure_running", lambda: pytest.fail("no service should start"))
    request = results.Request("relu_dense", "pca", 20, 0)
    jobs.submit(run_path, request, start_service=False)
    results.write_info(run_path, request.key, state="running", service_pid=2**22 + 1, process_start=1)  # No such process.
    info = jobs.status(run_path, request.key)
    assert info["state"] == "failed" and info["error_key"] == "projector_error_service_died"


def test_command_line_refuses_bad_input(run_path, capsys):
    assert cli.main(["project", run_path.name, "--method", "tsne", "--count", "2", "--no-wait"]) == 2
    assert "at least 10 points" in capsys.readouterr().err
    assert cli.main(["project", run_path.name, "--layer", "nope", "--count", "20", "--no-wait"]) == 2
    assert "nope" in capsys.readouterr().err
    assert cli.main(["project", "no-such-run", "--no-wait"]) == 2
    assert "run not found" in capsys.readouterr().err


# The real service process ------------------------------------------------------------


def wait_for(run: Path, key: str, timeout: float = 90.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = jobs.status(run, key)
        if info["state"] not in results.ACTIVE_STATES:
            return info
        time.sleep(0.1)
    raise AssertionError(f"{key} still {info['state']} after {timeout} s; log: {(service.service_dir() / service.LOG_FILE).read_text()[-2000:]}")


def test_jobs_run_in_one_service_that_survives_a_deleted_run_and_exits_when_idle(artifacts, monkeypatch):
    monkeypatch.setenv("DLLAB_PROJECTOR_WARM", "")  # Jobs first: the warm-up is the benchmark's business.
    monkeypatch.setenv("DLLAB_PROJECTOR_IDLE_SECONDS", "3")
    first, second = (artifacts / "runs" / make_run(artifacts / "runs") for _ in range(2))
    layer = penultimate(first)
    try:
        pca = jobs.submit(first, results.Request(layer, "pca", 40, 0))
        assert service.is_running()
        pid = service.read_state()["pid"]
        assert service.ensure_running() == pid  # One service at most.
        finished = wait_for(first, pca["key"])
        assert finished["state"] == "finished" and finished["service_pid"] == pid

        # A run deleted while its job waits or computes: the job ends, the service goes on.
        doomed = jobs.submit(first, results.Request(layer, "tsne", 40, 1))
        shutil.rmtree(first)
        tsne = jobs.submit(second, results.Request(layer, "tsne", 40, 0))
        finished = wait_for(second, tsne["key"])
        assert finished["state"] == "finished" and finished["service_pid"] == pid, finished
        assert results.load(second, tsne["key"]).coordinates.shape == (40, 2)
        log = (service.service_dir() / service.LOG_FILE).read_text()
        assert doomed["key"] in log and "deleted" in log

        deadline = time.monotonic() + 30
        while service.is_running() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert service.read_state()["state"] == "stopped"
    finally:
        service.stop()


def test_stop_ends_a_running_service_and_is_harmless_without_one(artifacts, monkeypatch):
    monkeypatch.setenv("DLLAB_PROJECTOR_WARM", "")
    monkeypatch.setenv("DLLAB_PROJECTOR_IDLE_SECONDS", "600")
    service.stop()  # None runs yet: nothing to do.
    pid = service.ensure_running()
    assert service.is_running() and service.ensure_running() == pid
    service.stop()
    assert not service.is_running()


# The page ---------------------------------------------------------------------------


def page(**state) -> AppTest:
    return open_page("projector", **state)


def texts(app: AppTest) -> str:
    parts = [element.value for kind in ("title", "subheader", "markdown", "caption", "info", "error", "warning") for element in getattr(app, kind)]
    return "\n".join(str(part) for part in parts) + "\n" + "\n".join(f"{metric.label}: {metric.value}" for metric in app.metric)


def test_page_shows_a_stored_projection_and_refuses_two_points(run_path, monkeypatch):
    monkeypatch.setattr(service, "ensure_running", lambda: 0)
    request = results.Request("relu_dense", "pca", 40, 0)
    jobs.submit(run_path, request, start_service=False)
    assert jobs.run_job(*jobs.take_job()) == "finished"
    ari = results.read_info(run_path, request.key)["ari"]

    app = page()
    assert not app.exception
    app.selectbox(key="projector_method").set_value("pca").run()
    app.number_input(key=f"projector_count_{run_path.name}").set_value(40).run()
    assert not app.exception
    shown = texts(app)
    assert f"k-means vs classes (ARI): {ari:.3f}" in shown and "Points: 40" in shown
    assert len(app.get("vega_lite_chart")) == 1

    app.selectbox(key="projector_method").set_value("tsne").run()
    app.number_input(key=f"projector_count_{run_path.name}").set_value(2).run()
    app.button(key="projector_compute").click().run()
    assert not app.exception
    assert any("at least 10 points" in error.value for error in app.error)
    assert not jobs.queue_dir().exists() or not any(jobs.queue_dir().iterdir())


def test_page_opens_a_stored_projection_from_the_list(run_path, monkeypatch):
    monkeypatch.setattr(service, "ensure_running", lambda: 0)
    request = results.Request("dense", "pca", 25, 3)
    jobs.submit(run_path, request, start_service=False)
    jobs.run_job(*jobs.take_job())
    app = page()
    assert "Points: 25" not in texts(app)
    app.selectbox(key=f"projector_open_{run_path.name}").set_value(request.key).run()
    assert not app.exception
    assert "Points: 25" in texts(app) and "seed 3" in texts(app)


def test_page_says_a_deleted_run_is_gone(artifacts, monkeypatch):
    monkeypatch.setattr(service, "ensure_running", lambda: 0)
    runs = artifacts / "runs"
    kept, doomed = make_run(runs), make_run(runs)
    app = page(projector_run=doomed)
    assert not app.exception and "no longer exists" not in texts(app)
    request = results.Request("relu_dense", "pca", 40, 0)  # The page's default choice.
    jobs.submit(runs / doomed, request, start_service=False)
    app.run()
    assert "Waiting for the projection service" in str(app.get("progress")[0].proto)
    shutil.rmtree(runs / doomed)
    app.run()
    assert not app.exception
    assert "no longer exists" in texts(app)
