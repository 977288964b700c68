"""What a page reads of a run once per version of it, not at every rerun or slider move: its
loaded model, its evaluation files, the maps explaining its answers. Each cache is keyed by
the run's path and the modification time of the file it comes from, so a rewritten file
is read again."""
from __future__ import annotations

import collections
import threading
from pathlib import Path

import numpy as np
import streamlit as st

from app.ui import navigation
from app.ui.safety import plain


# Loaded models kept by the server process, shared by every session: the most recent ones.
MODELS_KEPT = 6
_models: collections.OrderedDict = collections.OrderedDict()  # (path, version) -> LoadedModel
_loading: dict = {}  # (path, version) -> the lock its one loader holds
_models_lock = threading.Lock()
_warmed: set = set()  # (path, version) whose warm-up was started


def _cached_model(path: str, version: tuple):
    """The model of the run at `path`, loaded once per version by whichever comes first (a
    page or the background warm-up), the other waiting for it; kept for every session."""
    keep_keras_session()  # Loading a Keras model brings keras in: keep its session from now on.
    key = (path, version)
    with _models_lock:
        if key in _models:
            _models.move_to_end(key)
            return _models[key]
        loading = _loading.setdefault(key, threading.Lock())
    with loading:
        with _models_lock:
            if key in _models:
                return _models[key]
        from core import inference

        loaded = inference.load_model(Path(path))
        _freeze_framework_objects()
        with _models_lock:
            _models[key] = loaded
            _loading.pop(key, None)
            while len(_models) > MODELS_KEPT:
                _models.popitem(last=False)
        return loaded


_frozen = False


def _freeze_framework_objects() -> None:
    """Once per process, after the first model is loaded: move what exists then (TensorFlow's
    and torch's modules, some 860,000 objects) out of the garbage collector's sight, so a
    full collection (Python's own, now and then) takes milliseconds instead of 1-2 s in the
    middle of a click. Those objects live as long as the process anyway."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    import gc

    gc.collect()  # No garbage frozen with them.
    gc.freeze()


def _warm(path: str, version: tuple) -> None:
    """Load the model and pay the first call of what its pages ask (a prediction, the
    answer's map, an activation maximisation): TensorFlow traces each function once, which
    costs more than the call itself."""
    from core import explanations, inspection
    from core.analysis import maximisation

    try:
        loaded = _cached_model(path, version)
        blank = np.full((1, *loaded.input_shape), 0.5, dtype=np.float32)
        loaded.predict(blank)
        convolutions = inspection.convolution_layers(loaded)
        explanations.explain(loaded, blank, explanations.DEFAULT_METHOD if convolutions else explanations.NO_CONVOLUTION_METHOD)
        if convolutions:
            maximisation.maximise(loaded, convolutions[-1], [0], steps=1)
    except Exception:  # noqa: BLE001  Only a head start: the page loads it again and says what is wrong.
        return


def warm_model(run) -> None:
    """Start loading the run's model and tracing its first calls in the background, once per
    version of its checkpoint: the pages that need TensorFlow call it as they open, so a
    click does not wait for the import and the traces. Off when $DLLAB_WARM_MODELS is 0."""
    from core import config

    if not config.warm_models():
        return
    try:
        key = (str(run.path), checkpoint_version(run))
    except (OSError, ValueError, LookupError):
        return  # No model to warm (deleted, damaged): the page says so.
    with _models_lock:
        if key in _warmed:
            return
        _warmed.add(key)
    threading.Thread(target=_warm, args=key, name=f"warm {run.id}", daemon=True).start()


def _clean_modules_but_keras() -> None:
    """Streamlit's clean-up after a script run, without keras.backend.clear_session."""
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def keep_keras_session() -> None:
    """Stop Streamlit from calling keras.backend.clear_session after every script run (and
    every fragment's): with TensorFlow and torch loaded it is a full garbage collection (2-3 s
    here) that holds the next click, and it empties TensorFlow's kernel cache, so the next map
    costs 1.2 s instead of 0.15 s. Pages build no models of their own (sub-models are kept
    per loaded model, core.backends.model_cache), so there is no session state to clear.
    Matplotlib's figures are still closed. Idempotent; the app's entry calls it each run."""
    from streamlit.runtime.scriptrunner import script_runner

    global streamlit_clean_up
    # Streamlit reads this module-level name at every run: replacing it is enough. Another
    # Streamlit version without it keeps its own behaviour.
    current = getattr(script_runner, "_clean_problem_modules", None)
    if current is not None and current is not _clean_modules_but_keras:
        streamlit_clean_up = current
        script_runner._clean_problem_modules = _clean_modules_but_keras


streamlit_clean_up = None  # What keep_keras_session replaced (the tests put it back).


_default_warmed = False


def warm_default_model() -> None:
    """warm_model for the run Explain, Inside and Predict open on (the newest finished run
    they take), once per server process: the app's entry calls it, so TensorFlow is
    imported while the user is still on the home page. It also keeps Keras' session across
    script runs (keep_keras_session)."""
    global _default_warmed
    keep_keras_session()
    if _default_warmed:
        return
    _default_warmed = True
    from core import inference

    runs = inference.finished_runs("explain", limit=1)  # Only the newest: not a listing of every run.
    if runs:
        warm_model(runs[0])


def checkpoint_version(run) -> tuple:
    """The run's model version (core.inference.checkpoint_version): a cache key part."""
    from core import inference

    return inference.checkpoint_version(run.path)


def cached_model(run):
    """The run's model, loaded once per checkpoint (a rerun does not reload it)."""
    return _cached_model(str(run.path), checkpoint_version(run))


def load_model_or_none(run):
    """cached_model, or None with the reason on the page."""
    try:
        with st.spinner(navigation.tr("predict_loading")):
            return cached_model(run)
    except (OSError, ValueError, LookupError) as error:
        # A run deleted (by another tab, the CLI) since the page listed it.
        st.error(navigation.tr("run_not_found", run_id=plain(run.id)) if not run.path.is_dir() else navigation.tr("predict_model_error", error=navigation.error_text(error)))
        return None


def load_model_or_stop(run):
    """cached_model, or an error on the page and the page stopped."""
    loaded = load_model_or_none(run)
    if loaded is None:
        st.stop()
    return loaded


@st.cache_data(show_spinner=False, max_entries=12)
def _evaluation(path: str, kind_name: str, modified: float) -> dict:
    from core import kinds

    return kinds.get_kind(kind_name).evaluation.read(Path(path))


def cached_evaluation(run) -> dict:
    """The arrays of the evaluation file its kind of task leaves in the run's eval/
    (core.kinds.base.EvaluationFile: a classifier's predictions.npz, a VAE's latent.npz, a
    detector's anomaly.npz), read once per version of the file: a rerun or a slider move
    does not decompress it again. OSError when the run or its file is gone, KeyError when
    the file lacks an array its schema needs, ValueError for a run of no known kind."""
    from core import kinds

    kind = kinds.kind_of(run)
    if kind is None:
        raise ValueError(f"{run.id} is of no kind of task this version knows")
    return _evaluation(str(run.path), kind.name, kind.evaluation.modified(run.path))


@st.cache_data(show_spinner=False, max_entries=4)
def _pixel_roc(path: str, modified: float):
    from core.kinds import anomaly_detection
    from core.kinds.anomaly_detection import analysis

    scored = _evaluation(path, anomaly_detection.KIND.name, modified)
    return analysis.pixel_roc(scored["masks"], scored["maps"].astype("float32"), scored["include"])


def cached_pixel_roc(run):
    """An anomaly run's pixel-level ROC curve: millions of pixels, so computed once per
    version of its scores, not at every slider move."""
    from core.kinds import anomaly_detection

    return _pixel_roc(str(run.path), anomaly_detection.SCORES.modified(run.path))


@st.cache_data(show_spinner=False, max_entries=64)
def _explanation(path: str, version: tuple, images, method: str, layer, classes):
    from core import explanations

    return explanations.explain(_cached_model(path, version), images, method, layer, None if classes is None else list(classes))


def explanation(run, images, method: str, layer: str | None = None, classes=None):
    """core.explanations.explain on the run's cached model, itself cached: moving the
    opacity slider or rerunning the page does not recompute maps."""
    classes = None if classes is None else tuple(int(index) for index in classes)
    return _explanation(str(run.path), checkpoint_version(run), images, method, layer, classes)


@st.cache_data(show_spinner=False, max_entries=64)
def _maximised(path: str, version: tuple, layer_name: str, channels: tuple):
    from core.analysis import maximisation

    return maximisation.maximise_with_silence(_cached_model(path, version), layer_name, list(channels))


def maximised(run, layer_name: str, channels):
    """core.analysis.maximisation.maximise_with_silence on the run's cached model: one image
    per channel and whether it stayed silent, computed once per checkpoint, layer and channels."""
    return _maximised(str(run.path), checkpoint_version(run), layer_name, tuple(int(channel) for channel in channels))
