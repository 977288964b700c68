"""What is paid once, not again at every click: a run's model loaded once per version (and
warmed in the background), explanation maps and maximisations computed once per request,
a slider of Anomalies or Generate redrawing only its fragment. Counted calls, no timings."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from page_fixtures import make_run, open_page

from core.runs import store


@pytest.fixture
def fresh_caches():
    """No model or array left by another test: the counts start from zero."""
    import streamlit as st

    from app.ui import caches

    def clear():
        caches._models.clear()
        caches._warmed.clear()
        st.cache_data.clear()

    clear()
    yield caches
    clear()


@pytest.fixture
def counted_loads(monkeypatch):
    """core.inference.load_model, its calls counted."""
    from core import inference

    calls = []
    original = inference.load_model

    def load_model(path):
        calls.append(path)
        return original(path)

    monkeypatch.setattr(inference, "load_model", load_model)
    return calls


def test_a_model_is_loaded_once_by_whoever_asks_first(runs_root, fresh_caches, counted_loads):
    run = store.load_run(make_run(runs_root))
    results = []
    threads = [threading.Thread(target=lambda: results.append(fresh_caches.cached_model(run))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counted_loads) == 1, "three sessions at once load it once"
    assert all(result is results[0] for result in results)
    assert fresh_caches.cached_model(run) is results[0]


def test_the_background_warm_up_loads_the_model_the_page_then_takes(runs_root, fresh_caches, counted_loads, monkeypatch):
    monkeypatch.setenv("DLLAB_WARM_MODELS", "1")
    run = store.load_run(make_run(runs_root))
    fresh_caches.warm_model(run)
    fresh_caches.warm_model(run)  # Once per version: a rerun starts no second thread.
    for thread in [thread for thread in threading.enumerate() if thread.name == f"warm {run.id}"]:
        thread.join(timeout=120)
    assert len(counted_loads) == 1
    fresh_caches.cached_model(run)
    assert len(counted_loads) == 1, "the page takes the warmed model"


def test_warming_is_off_when_asked(runs_root, fresh_caches, counted_loads, monkeypatch):
    monkeypatch.setenv("DLLAB_WARM_MODELS", "0")
    fresh_caches.warm_model(store.load_run(make_run(runs_root)))
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("warm ")]
    assert counted_loads == []


def test_a_second_identical_explanation_does_not_call_the_model_again(runs_root, fresh_caches, monkeypatch):
    from core import explanations

    run = store.load_run(make_run(runs_root))
    calls = []
    original = explanations.explain
    monkeypatch.setattr(explanations, "explain", lambda *arguments, **options: calls.append(arguments[2:]) or original(*arguments, **options))
    images = np.random.default_rng(0).random((2, 8, 8, 1)).astype(np.float32)
    first = fresh_caches.explanation(run, images, "saliency")
    second = fresh_caches.explanation(run, images.copy(), "saliency")
    assert len(calls) == 1 and np.array_equal(first.maps, second.maps)
    fresh_caches.explanation(run, images, "saliency", classes=[1, 2])  # Another class: computed.
    fresh_caches.explanation(run, images[:1], "saliency")  # Another image: computed.
    assert len(calls) == 3


def test_a_second_identical_maximisation_is_not_computed_again(runs_root, fresh_caches, monkeypatch):
    from core.analysis import maximisation

    run = store.load_run(make_run(runs_root))
    calls = []
    original = maximisation.maximise
    monkeypatch.setattr(maximisation, "maximise", lambda loaded, layer, channels, **options: calls.append((layer, tuple(channels))) or original(loaded, layer, channels, steps=2))
    layer = fresh_caches.cached_model(run).backend.layers(fresh_caches.cached_model(run).model, (8, 8, 1))[0].name
    images, silent = fresh_caches.maximised(run, layer, [0, 1])
    again, _ = fresh_caches.maximised(run, layer, (0, 1))
    assert calls == [(layer, (0, 1))] and np.array_equal(images, again)
    assert len(silent) == 2 and images.shape[0] == 2
    fresh_caches.maximised(run, layer, [2])
    assert len(calls) == 2


def test_cached_results_follow_a_replaced_model_file(runs_root, fresh_caches, counted_loads, monkeypatch):
    from core import explanations
    from core.backends import torch_backend
    from core.projects.digits import DigitsParameters

    run = store.load_run(make_run(runs_root))
    calls = []
    original = explanations.explain
    monkeypatch.setattr(explanations, "explain", lambda *arguments, **options: calls.append(1) or original(*arguments, **options))
    images = np.full((1, 8, 8, 1), 0.5, dtype=np.float32)
    before = fresh_caches.explanation(run, images, "saliency")
    other = torch_backend.build("cnn", (8, 8, 1), 10, DigitsParameters(epochs=1, seed=7))
    torch_backend.save(other, run.path / torch_backend.CHECKPOINT_FILE)  # checkpoint.json untouched
    after = fresh_caches.explanation(run, images, "saliency")
    assert len(counted_loads) == 2 and len(calls) == 2, "a new model file: loaded and explained again"
    assert not np.array_equal(before.probabilities, after.probabilities)


# Sliders that redraw their own fragment ------------------------------------------------
# AppTest reruns the whole script at every run(), fragments included: what a test can check
# is that the slider and all it drives run inside a fragment (Streamlit reruns that alone
# on a move) and the heavy rest of the page outside it.


@pytest.fixture
def fragment_calls(monkeypatch):
    """ui.fragment recording, for every call of a counted function, whether it ran inside a
    fragment: {name: [inside?, ...]}; the page still gets a real fragment."""
    import streamlit as st

    import app.ui
    from app.ui import safety

    calls, depth = {}, [0]

    def fragment(**options):
        def decorate(function):
            def inside(*arguments, **keywords):
                depth[0] += 1
                try:
                    return function(*arguments, **keywords)
                finally:
                    depth[0] -= 1

            return st.fragment(**options)(safety.guarded(inside))

        return decorate

    monkeypatch.setattr(app.ui, "fragment", fragment)

    def count(module, name: str) -> None:
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *arguments, **options: calls.setdefault(name, []).append(depth[0] > 0) or original(*arguments, **options))

    calls["count"] = count
    return calls


def test_the_anomaly_threshold_slider_and_what_it_drives_are_one_fragment(runs_root, fragment_calls):
    from test_view_warnings import make_anomaly_run

    from core.kinds.anomaly_detection import analysis as scoring

    make_anomaly_run(runs_root, [0.1, 0.2, 0.3, 0.8, 0.9, 0.7], ["good", "good", "good", "crack", "crack", "hole"])
    fragment_calls["count"](scoring, "scored_overlay")  # The images tab.
    fragment_calls["count"](scoring, "threshold_report")  # What the slider drives.
    app = open_page("anomaly")
    assert not app.exception, app.exception
    slider = next(widget for widget in app.slider if widget.key.startswith("anomaly_threshold_"))
    slider.set_value(min(slider.value + 10.0, 100.0)).run()
    assert not app.exception, app.exception
    assert fragment_calls["threshold_report"] == [True, True]
    assert fragment_calls["scored_overlay"] and not any(fragment_calls["scored_overlay"]), "the images stay outside"


def test_a_latent_slider_of_generate_and_its_image_are_one_fragment(runs_root, fragment_calls):
    from generative_fixtures import make_generative_run

    from core.kinds.generation import train as generation

    make_generative_run(runs_root)
    fragment_calls["count"](generation, "sample_grid")  # The samples tab.
    fragment_calls["count"](generation, "generate")  # The code set by hand (the sample grid calls it too).
    app = open_page("generate")
    assert not app.exception, app.exception
    slider = next(widget for widget in app.slider if widget.key.startswith("generate_z_") and widget.key.endswith("_0"))
    slider.set_value(1.0).run()
    assert not app.exception, app.exception
    assert fragment_calls["generate"].count(True) == 2, "the fragment draws the code at each run"
    assert fragment_calls["sample_grid"] and not any(fragment_calls["sample_grid"]), "the samples stay outside"


def test_a_confusion_cell_and_its_images_are_one_fragment(runs_root, fragment_calls):
    from core.kinds.image_classification import analysis as classification

    run_id = make_run(runs_root)
    fragment_calls["count"](classification, "cell_members")  # The cell's images.
    fragment_calls["count"](classification, "misclassified")  # The rest of the page.
    app = open_page("run", selected_run=run_id)
    assert not app.exception, app.exception
    app.selectbox(key=f"run_cell_true_{run_id}").set_value("3").run()
    assert not app.exception, app.exception
    assert fragment_calls["cell_members"] == [True, True]
    assert fragment_calls["misclassified"] and not any(fragment_calls["misclassified"]), "the mistakes stay outside"
