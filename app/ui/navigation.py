"""The language and translated strings, the sidebar's pages and the links between them, and
what the app does on every script run (moving the queue, warming the projector)."""
from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from core import i18n
from core.runs import queue

PAGES_DIR = Path(__file__).resolve().parent.parent.parent / "pages"
# The sidebar's sections (their i18n keys), each page's role -> (file, icon); app/main.py
# builds the navigation from this table, a page's title is the i18n key page_<role>.
PAGE_SECTIONS = {
    "nav_work": {
        "home": ("home.py", ":material/home:"),
        "train": ("train.py", ":material/rocket_launch:"),
        "runs": ("runs.py", ":material/list:"),
        "run": ("run.py", ":material/monitoring:"),
        "studies": ("studies.py", ":material/science:"),
        "compare": ("compare.py", ":material/compare:"),
    },
    "nav_classifiers": {
        "predict": ("predict.py", ":material/image_search:"),
        "explain": ("explain.py", ":material/visibility:"),
        "inside": ("inside.py", ":material/layers:"),
        "convolution": ("convolution.py", ":material/grid_on:"),
        "enrich": ("enrich.py", ":material/add_photo_alternate:"),
        "projector": ("projector.py", ":material/scatter_plot:"),
    },
    "nav_other_tasks": {
        "generate": ("generate.py", ":material/auto_awesome:"),
        "anomaly": ("anomaly.py", ":material/troubleshoot:"),
    },
}
PAGE_FILES = {role: file for pages in PAGE_SECTIONS.values() for role, (file, _) in pages.items()}
SCHEDULE_INTERVAL_SECONDS = 2.0


def language() -> str:
    return st.session_state.get("language", "en")


def tr(key: str, **values) -> str:
    """The string `key` in the user's language."""
    return i18n.t(key, language(), **values)


def has_text(key: str) -> bool:
    """Whether `key` has a translation (optional labels, like a metric's column header)."""
    return key in i18n.STRINGS


def error_text(error: Exception) -> str:
    """An error for the user: in their language when it carries an i18n key (FolderError,
    ImageError), else its English message."""
    return tr(error.key, **error.values) if isinstance(error, i18n.TranslatableError) else str(error)


def language_switch() -> None:
    st.sidebar.selectbox(
        "Language / Langue",
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key="language",
    )


def page_path(role: str) -> str:
    return str(PAGES_DIR / PAGE_FILES[role])


def open_run(run_id: str) -> None:
    """Go to the Run page showing `run_id`."""
    st.session_state["selected_run"] = run_id
    st.switch_page(page_path("run"), query_params={"run": run_id})


@st.cache_resource
def _last_schedule() -> dict:
    return {"time": 0.0}


def keep_queue_moving() -> None:
    """Reconcile dead workers and start queued runs, at most every few seconds per server."""
    last = _last_schedule()
    if time.monotonic() - last["time"] >= SCHEDULE_INTERVAL_SECONDS:
        last["time"] = time.monotonic()
        queue.schedule()


def warm_projector() -> None:
    """Start the projection service once per session, so it has paid its imports and UMAP's
    compilation before anyone asks for a projection (it exits on its own when idle)."""
    if st.session_state.get("projector_warmed"):
        return
    from core.projector import service

    try:
        service.ensure_running()
    except OSError:
        pass  # The Projector page starts it again and says what is wrong.
    st.session_state["projector_warmed"] = True
