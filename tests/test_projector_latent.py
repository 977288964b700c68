"""The projector on a generative run (VAE, CVAE): its latent codes as the one "layer",
`latent`, read from eval/latent.npz with no model loaded; the command line and the page."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from page_fixtures import make_run, write_checkpoint
from streamlit.testing.v1 import AppTest
from test_projector import PAGE, page, texts

from core import inference
from core.i18n import TranslatableError
from core.kinds.generation import LATENT_FILE
from core.kinds.generation import train as generation
from core.projector import cli, features, jobs, results, service
from core.runs import store

CLASS_NAMES = ["zero", "one", "two"]
TEST_COUNT = 300


def make_latent_run(root: Path, latent_dim: int = 4, count: int = TEST_COUNT, classes: int = 3, seed: int = 0) -> str:
    """A finished cvae run without training: params, status, checkpoint.json and
    eval/latent.npz whose codes form one well separated cluster per class."""
    params = {
        "project": "cvae", "dataset": "digits", "model": "vae", "backend": "keras",
        "hyperparameters": {"epochs": 2, "batch_size": 32, "learning_rate": 0.001, "latent_dim": latent_dim, "hidden_sizes": "256,128,64", "beta": 1.0, "seed": 0, "validation_fraction": 0.1},
        "seed": 0, "device": "CPU", "versions": {"keras": "test"}, "created": time.time(),
    }
    run_id = store.create_run(params, root)
    path = root / run_id
    store.write_json_atomically(path / store.STATUS_FILE, {"status": "finished", "created": time.time(), "started": time.time(), "finished": time.time(), "results": {"test_loss": 30.0}})
    write_checkpoint(path, "keras", "vae", None, (8, 8, 1), CLASS_NAMES[:classes], "digits", conditional=False, latent_dim=latent_dim)
    generator = np.random.default_rng(seed)
    labels = np.arange(count) % classes
    centres = generator.normal(scale=20.0, size=(classes, latent_dim))
    (path / store.EVAL_DIR).mkdir(exist_ok=True)
    images = generator.integers(0, 255, size=(count, 8, 8, 1), dtype=np.uint8)
    np.savez_compressed(
        path / store.EVAL_DIR / LATENT_FILE,
        images=images, labels=labels.astype(np.int64), reconstructions=images[::-1].copy(),
        codes=(centres[labels] + generator.normal(size=(count, latent_dim))).astype(np.float32),
    )
    return run_id


@pytest.fixture
def run_path(artifacts, monkeypatch) -> Path:
    def no_model(path):
        raise AssertionError("a generative run's projection needs no model")

    monkeypatch.setattr(inference, "load_model", no_model)
    return artifacts / "runs" / make_latent_run(artifacts / "runs")


def project(run_path: Path, request: results.Request) -> dict:
    """Queue the request, run its job here, return the stored json."""
    jobs.submit(run_path, request, start_service=False)
    assert jobs.run_job(*jobs.take_job()) == "finished", results.read_info(run_path, request.key)
    return results.read_info(run_path, request.key)


# The jobs --------------------------------------------------------------------------


def test_a_generative_run_is_told_from_a_classifier(run_path, artifacts):
    assert features.is_generative(run_path)
    classifier = artifacts / "runs" / make_run(artifacts / "runs", with_model=False)
    assert not features.is_generative(classifier)
    with pytest.raises(store.RunNotFound):
        features.is_generative(artifacts / "runs" / "no-such-run")


def test_test_set_size_reads_the_latent_codes(run_path):
    assert jobs.test_set_size(run_path) == TEST_COUNT
    assert not (run_path / store.EVAL_DIR / "predictions.npz").exists()
    (run_path / store.EVAL_DIR / LATENT_FILE).unlink()
    with pytest.raises(FileNotFoundError):
        jobs.test_set_size(run_path)


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_separated_codes_project_every_point_and_cluster_as_the_classes(run_path, method):
    request = results.Request(features.LATENT_LAYER, method, 150, 1)
    info = project(run_path, request)
    assert info["ari"] > 0.95 and info["feature_width"] == 4 and info["reduction"] == ""
    projection = results.load(run_path, request.key)
    assert projection.coordinates.shape == (150, 2) and np.isfinite(projection.coordinates).all()
    latent = generation.load_latent(run_path)
    assert np.array_equal(projection.labels, latent["labels"][projection.indices])
    assert np.array_equal(projection.predictions, projection.labels)  # A generative run predicts nothing.
    assert np.bincount(projection.labels).tolist() == [50, 50, 50]  # Stratified.


def test_compute_projects_the_whole_test_set_when_asked(run_path):
    request = results.Request(features.LATENT_LAYER, "pca", TEST_COUNT, 0)
    results.new_info(run_path, request)
    outcome = jobs.compute(run_path, request, jobs._Reporter(run_path, request.key))
    assert outcome["ari"] > 0.95 and outcome["feature_width"] == 4
    with np.load(results.data_path(run_path, request.key)) as stored:
        assert stored["coordinates"].shape == (TEST_COUNT, 2)
        assert np.array_equal(stored["indices"], np.arange(TEST_COUNT))


@pytest.mark.parametrize("latent_dim", [1, 2])
def test_a_narrow_latent_space_still_projects(artifacts, latent_dim):
    path = artifacts / "runs" / make_latent_run(artifacts / "runs", latent_dim=latent_dim)
    request = results.Request(features.LATENT_LAYER, "pca", 90, 0)
    info = project(path, request)
    assert info["feature_width"] == latent_dim and info["ari"] > 0.5
    assert results.load(path, request.key).coordinates.shape == (90, 2)


def test_another_layer_is_refused_on_submit_and_fails_the_job(run_path):
    with pytest.raises(TranslatableError, match="no layer called 'dense'. Its layers: latent") as caught:
        jobs.check_request(run_path, results.Request("dense", "pca", 30, 0))
    assert caught.value.key == "inspection_error_unknown_layer"
    with pytest.raises(TranslatableError):
        jobs.submit(run_path, results.Request("dense", "pca", 30, 0), start_service=False)
    assert not jobs.queue_dir().exists() or not any(jobs.queue_dir().iterdir())
    jobs.check_request(run_path, results.Request(features.LATENT_LAYER, "pca", 30, 0))
    with pytest.raises(TranslatableError, match="At most 300 test images"):
        jobs.check_request(run_path, results.Request(features.LATENT_LAYER, "pca", 301, 0))
    # A job file written by hand (or by an older version) fails with the same message.
    request = results.Request("encoder", "pca", 30, 0)
    results.new_info(run_path, request)
    assert jobs.run_job(run_path, request.key) == "failed"
    assert results.read_info(run_path, request.key)["error_key"] == "inspection_error_unknown_layer"


def test_command_line_projects_the_latent_codes_by_default(run_path, monkeypatch, capsys):
    monkeypatch.setattr(service, "ensure_running", lambda: 0)
    assert cli.main(["project", run_path.name, "--method", "pca", "--count", "60", "--no-wait"]) == 0
    queued = json.loads(capsys.readouterr().out)
    assert queued["layer"] == features.LATENT_LAYER and queued["state"] == "queued"
    assert jobs.run_job(*jobs.take_job()) == "finished"
    capsys.readouterr()
    assert cli.main(["project", run_path.name, "--method", "pca", "--count", "60", "--layer", "latent"]) == 0  # Finished: no waiting.
    assert json.loads(capsys.readouterr().out)["ari"] > 0.95
    assert cli.main(["project", run_path.name, "--layer", "dense", "--count", "60", "--no-wait"]) == 2
    assert "Its layers: latent" in capsys.readouterr().err
    assert cli.main(["list", run_path.name]) == 0
    assert "latent" in capsys.readouterr().out


# The page ---------------------------------------------------------------------------


@pytest.fixture
def page_runs(artifacts, monkeypatch) -> tuple[str, str]:
    """A finished classifier run and a finished generative run; no service started."""
    monkeypatch.setattr(service, "ensure_running", lambda: 0)
    runs = artifacts / "runs"
    return make_run(runs), make_latent_run(runs)


def test_page_lists_generative_runs_and_shows_a_latent_projection(artifacts, page_runs, monkeypatch):
    classifier, generative = page_runs
    path = artifacts / "runs" / generative
    request = results.Request(features.LATENT_LAYER, "pca", TEST_COUNT, 0)  # The page's default choice.
    info = project(path, request)
    monkeypatch.setattr(inference, "load_model", lambda path: pytest.fail("the page loads no model for a generative run"))

    app = page(selected_run=generative)
    assert not app.exception
    choice = app.selectbox(key="projector_run")
    assert len(choice.options) == 2 and choice.value == generative
    layer = app.selectbox(key=f"projector_layer_{generative}")
    assert layer.options == ["latent · z_mean 4"] and layer.value == features.LATENT_LAYER
    shown = texts(app)
    assert "mean codes (z_mean)" in shown
    assert f"k-means vs classes (ARI): {info['ari']:.3f}" in shown and f"Points: {TEST_COUNT}" in shown
    colours = app.radio(key="projector_colour")
    assert colours.options == ["true class", "k-means cluster"]
    charts = app.get("vega_lite_chart")
    assert len(charts) == 1
    tooltip = [field["field"] for field in json.loads(charts[0].proto.spec)["encoding"]["tooltip"]]
    assert tooltip == ["image", "test image", "true"]  # The test image on hover; no prediction.
    assert any(b"data:image/png;base64," in dataset.data.data for dataset in charts[0].proto.datasets)
    colours.set_value("cluster").run()
    assert not app.exception and len(app.get("vega_lite_chart")) == 1


def test_page_lists_both_kinds_and_refuses_nothing_it_offers(artifacts, page_runs):
    classifier, generative = page_runs
    app = page(selected_run=generative)
    assert not app.exception
    choice = app.selectbox(key="projector_run")
    assert len(choice.options) == 2 and choice.value == generative
    assert "This projection has not been computed yet" in texts(app)
    app.button(key="projector_compute").click().run()
    assert not app.exception and not app.error
    queued = results.list_projections(artifacts / "runs" / generative)
    assert [(info["layer"], info["count"], info["state"]) for info in queued] == [(features.LATENT_LAYER, TEST_COUNT, "queued")]

    # The classifier beside it still projects its layers, with predictions to colour by.
    choice.set_value(classifier).run()
    assert not app.exception
    assert app.selectbox(key=f"projector_layer_{classifier}").value == "relu_dense"
    assert app.query_params["run"] == classifier


def test_page_opens_on_the_run_another_page_selected(artifacts, page_runs):
    classifier, generative = page_runs
    # The Generate page sets selected_run, then switches here.
    app = page(selected_run=classifier)
    assert not app.exception and app.selectbox(key="projector_run").value == classifier
    app.session_state["selected_run"] = generative
    app.query_params.clear()  # A page switch drops the query.
    app.run()
    assert not app.exception and app.selectbox(key="projector_run").value == generative
    # The user's own choice then stays, though selected_run still names the other run.
    app.selectbox(key="projector_run").set_value(classifier).run()
    assert app.selectbox(key="projector_run").value == classifier
    app.run()
    assert app.selectbox(key="projector_run").value == classifier


def test_page_opens_on_the_run_of_a_link(artifacts, page_runs):
    classifier, generative = page_runs
    app = AppTest.from_file(str(PAGE), default_timeout=120)
    app.session_state["language"] = "en"
    app.query_params["run"] = classifier
    app.run()
    assert not app.exception and app.selectbox(key="projector_run").value == classifier
    app.selectbox(key="projector_run").set_value(generative).run()
    assert app.selectbox(key="projector_run").value == generative and app.query_params["run"] == generative


def test_page_says_a_generative_run_kept_no_codes(artifacts, page_runs):
    _, generative = page_runs
    (artifacts / "runs" / generative / store.EVAL_DIR / LATENT_FILE).unlink()
    app = page(selected_run=generative)
    assert not app.exception
    assert "kept no latent codes" in texts(app)
