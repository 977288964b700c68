"""What every page shares: the language, translated strings, page links, run choice.

The only module besides pages that imports streamlit; the logic stays in core.
"""
from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from core import i18n
from core.runs import queue

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
# Page files by role; app/main.py builds the navigation from this table.
PAGE_FILES = {
    "home": "home.py",
    "train": "train.py",
    "runs": "runs.py",
    "run": "run.py",
    "predict": "predict.py",
}
SCHEDULE_INTERVAL_SECONDS = 2.0


def language() -> str:
    return st.session_state.get("language", "en")


def tr(key: str, **values) -> str:
    """The string `key` in the user's language."""
    return i18n.t(key, language(), **values)


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


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def run_label(run) -> str:
    """One line naming a run in a run picker: id, project, model, backend, status."""
    return f"{run.id} · {run.project} · {run.model} · {run.backend} · {status_label(run.state)}"


def status_label(state: str) -> str:
    icons = {"queued": "⏳", "running": "🏃", "finished": "✅", "failed": "❌", "cancelled": "⛔"}
    return f"{icons.get(state, '')} {tr('status_' + state)}"
