"""What a click must not pay again (issue 15): Streamlit's Keras clean-up after every script
run (a full garbage collection and TensorFlow's kernel cache emptied), its own full garbage
collection after every run, the frameworks' objects scanned by every collection, and a Keras
layer's output through model.predict (a tf.data pipeline traced at each call). Counted calls
and settings, no timings: the seconds are in benchmarks/clicks.py."""
from __future__ import annotations

import numpy as np
import pytest

from page_fixtures import make_keras_run

from core.runs import store

SCRIPT = "import streamlit as st\nst.write('a click')\n"


@pytest.fixture
def counted_clear_session(monkeypatch):
    """keras.backend.clear_session, its calls counted (and not done); Streamlit's own clean-up
    put back after the test, whatever the test installed."""
    from core import frameworks

    keras = frameworks.keras()  # After torch: TensorFlow first makes torch crash (core.frameworks).
    from streamlit.runtime.scriptrunner import script_runner

    calls = []
    monkeypatch.setattr(keras.backend, "clear_session", lambda *arguments, **options: calls.append(1))
    from app.ui import caches

    # Streamlit's own, even when an earlier test (a model loaded) already replaced it.
    monkeypatch.setattr(script_runner, "_clean_problem_modules", caches.streamlit_clean_up or script_runner._clean_problem_modules)
    return calls


def test_streamlit_clears_keras_session_after_a_run_unless_told_not_to(counted_clear_session):
    from streamlit.testing.v1 import AppTest

    from app.ui import caches

    AppTest.from_string(SCRIPT).run()
    assert counted_clear_session, "Streamlit's own clean-up clears Keras' session (what this test guards against)"
    counted_clear_session.clear()
    caches.keep_keras_session()
    app = AppTest.from_string(SCRIPT).run()
    app.run()
    assert not app.exception
    assert counted_clear_session == [], "two runs, no clear_session"


def test_matplotlib_figures_are_still_closed_after_a_run(counted_clear_session):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from streamlit.testing.v1 import AppTest

    from app.ui import caches

    caches.keep_keras_session()
    AppTest.from_string("import streamlit as st\nfrom matplotlib import pyplot\npyplot.figure()\nst.write('drawn')\n").run()
    assert pyplot.get_fignums() == []


def test_the_app_entry_and_a_model_load_keep_keras_session(runs_root, counted_clear_session, monkeypatch):
    from streamlit.runtime.scriptrunner import script_runner

    from app.ui import caches

    monkeypatch.setattr(caches, "_default_warmed", True)  # No background warm-up here.
    caches.warm_default_model()  # What app/main.py calls at every run.
    assert script_runner._clean_problem_modules is caches._clean_modules_but_keras
    monkeypatch.setattr(script_runner, "_clean_problem_modules", lambda: None)
    caches._models.clear()
    caches.cached_model(store.load_run(make_keras_run(runs_root, "small_cnn", (16, 16, 3), 3)))
    assert script_runner._clean_problem_modules is caches._clean_modules_but_keras, "a page without the entry (AppTest) gets it with its model"
    caches._models.clear()


def test_the_first_model_loaded_freezes_the_objects_then_alive(runs_root, monkeypatch):
    import gc

    from app.ui import caches

    gc.unfreeze()  # Whatever an earlier test froze: the count starts from zero.
    monkeypatch.setattr(caches, "_frozen", False)
    freezes = []
    original = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1) or original())
    caches._models.clear()
    caches.cached_model(store.load_run(make_keras_run(runs_root, "small_cnn", (16, 16, 3), 3)))
    assert gc.get_freeze_count() > 100_000, "the frameworks' objects are out of the collector's sight"
    caches._models.clear()
    caches.cached_model(store.load_run(make_keras_run(runs_root, "small_cnn", (16, 16, 3), 3)))
    assert freezes == [1], "frozen once per process, not at every model"
    caches._models.clear()


def test_streamlit_does_not_collect_all_garbage_after_every_run():
    from streamlit import config

    assert config.get_option("runner.postScriptGC") is False, ".streamlit/config.toml sets it (a 1-2 s pause a click)"


def test_a_keras_layer_output_is_computed_without_model_predict(runs_root, monkeypatch):
    from core import frameworks

    keras = frameworks.keras()  # After torch: TensorFlow first makes torch crash (core.frameworks).

    from core import inference, inspection

    loaded = inference.load_model(store.run_dir(make_keras_run(runs_root, "small_cnn", (16, 16, 3), 3), runs_root))
    name = inspection.convolution_layers(loaded)[0]
    images = np.random.default_rng(0).random((5, 16, 16, 3)).astype(np.float32)
    expected = keras.Model(loaded.model.inputs, loaded.model.get_layer(name).output).predict(images, verbose=0)
    calls = []
    original = keras.Model.predict
    monkeypatch.setattr(keras.Model, "predict", lambda self, *arguments, **options: calls.append(1) or original(self, *arguments, **options))
    outputs = inspection.layer_outputs(loaded, name, images, batch_size=2)  # Three batches.
    assert calls == [], "no tf.data pipeline traced per call"
    assert outputs.shape == expected.shape
    np.testing.assert_allclose(outputs, expected, rtol=1e-4, atol=1e-5)


def test_a_projection_of_the_same_test_images_reuses_their_thumbnails(runs_root, monkeypatch):
    import streamlit as st

    from page_fixtures import make_run

    from app.ui import caches, projector_views
    from core.projector import figure, results

    st.cache_data.clear()
    run = store.load_run(make_run(runs_root))
    images = caches.cached_evaluation(run)["images"]
    calls = []
    original = figure.hover_images
    monkeypatch.setattr(figure, "hover_images", lambda projection, test_images, **options: calls.append(1) or original(projection, test_images, **options))
    view = projector_views.ProjectorView(run, False, [str(digit) for digit in range(10)], {})

    def projection(indices, seed):
        coordinates = np.random.default_rng(seed).random((len(indices), 2)).astype(np.float32)
        zeros = np.zeros(len(indices), dtype=np.int64)
        return results.Projection({"seed": seed}, coordinates, np.asarray(indices), zeros, zeros, zeros)

    first = projector_views.hover_images(view, projection([0, 1, 2], seed=1), images)
    again = projector_views.hover_images(view, projection([0, 1, 2], seed=2), images)  # Another seed, the same images.
    assert calls == [1] and again == first and len(first) == 3
    projector_views.hover_images(view, projection([3, 4], seed=1), images)
    assert len(calls) == 2, "other images: their own thumbnails"
    st.cache_data.clear()
