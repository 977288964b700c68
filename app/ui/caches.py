"""What a page reads of a run once per version of it, not at every rerun or slider move: its
loaded model, its evaluation files, the maps explaining its answers. Each cache is keyed by
the run's path and the modification time of the file it comes from, so a rewritten file
is read again."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.ui import navigation
from app.ui.safety import plain


@st.cache_resource(show_spinner=False, max_entries=6)
def _cached_model(path: str, version: tuple):
    from core import inference

    return inference.load_model(Path(path))


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

    return maximisation.maximise(_cached_model(path, version), layer_name, list(channels))


def maximised(run, layer_name: str, channels):
    """core.analysis.maximisation.maximise on the run's cached model: one image per channel,
    computed once per checkpoint, layer and channels."""
    return _maximised(str(run.path), checkpoint_version(run), layer_name, tuple(int(channel) for channel in channels))
