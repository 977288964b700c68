"""The language and translated strings, the sidebar's pages and the links between them, and
what the app does on every script run (moving the queue, warming the projector)."""
from __future__ import annotations

import time
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import hyperparams, i18n
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


LANGUAGE_KEY = "language"  # The session's language: a plain key, which no page switch drops.
LANGUAGE_WIDGET_KEY = "language_choice"  # The sidebar picker's own key.
LANGUAGE_PARAMETER = "lang"  # The URL keeps it too, for a reload and a shared link.
DEFAULT_LANGUAGE = "en"
# The language of the last script run in this process. AppTest formats a picker's options
# after the run, outside it, where the session cannot be read; a served app never does.
_last_language = {"value": DEFAULT_LANGUAGE}


def language() -> str:
    if get_script_run_ctx() is None:
        return _last_language["value"]
    chosen = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    _last_language["value"] = chosen
    return chosen


def tr(key: str, **values) -> str:
    """The string `key` in the user's language."""
    return i18n.t(key, language(), **values)


def field_label(field: str) -> str:
    """The label of the hyperparameter `field`; a plugin's field without one shows its name."""
    key = hyperparams.label_key(field)
    return tr(key) if has_text(key) else field.replace("_", " ")


def choice_label(field: str, choice) -> str:
    """One of a hyperparameter's choices: its label when it has one, else a stored name's
    translation (a texture category), else the value itself (an optimizer's name)."""
    key = f"{hyperparams.label_key(field)}_{choice}"
    return tr(key) if has_text(key) else name(str(choice))


def number(value, spec: str = "") -> str:
    """A number as text, written as the user's language writes it (0,001 in French)."""
    return i18n.number_text(value, language(), spec)


def local_numbers(figure):
    """A plotly figure whose own numbers (ticks, hover, cell texts) are written as the user's
    language writes them: plotly's `separators` is the decimal mark and the thousands one."""
    if language() in i18n.DECIMAL_COMMA:
        figure.update_layout(separators=",\u202f")
    return figure


def name(stored: str) -> str:
    """A stored name (a generated class, a defect type) in the user's language, when the
    strings have it; the stored name stays as it is."""
    return i18n.name_text(stored, language())


def has_text(key: str) -> bool:
    """Whether `key` has a translation (optional labels, like a metric's column header)."""
    return key in i18n.STRINGS


def error_text(error: Exception) -> str:
    """An error for the user: in their language when it carries an i18n key (FolderError,
    ImageError), else its English message; the names and paths in it shown literally."""
    from app.ui.safety import plain  # safety imports this module.

    if isinstance(error, i18n.TranslatableError):
        return tr(error.key, **{name: plain(value) if isinstance(value, str) else value for name, value in error.values.items()})
    return plain(error)


def stored_error_text(status: dict) -> str:
    """A failed run's error from its status.json: translated when the worker stored its key
    (a bad folder, a killed trainer), else its English text; names in it shown literally."""
    from app.ui.safety import plain  # safety imports this module.

    key = status.get("error_key") or ""
    if not has_text(key):
        return plain(status.get("error", "?"))
    return tr(key, **{name: plain(value) if isinstance(value, str) else value for name, value in (status.get("error_values") or {}).items()})


def settle_language() -> str:
    """The language of this script run, decided before anything renders: the URL's ?lang=
    (a reload, a shared link), else the session's, else English; both then hold it."""
    wanted = st.query_params.get(LANGUAGE_PARAMETER)
    chosen = wanted if wanted in i18n.LANGUAGES else st.session_state.get(LANGUAGE_KEY)
    chosen = chosen if chosen in i18n.LANGUAGES else DEFAULT_LANGUAGE
    st.session_state[LANGUAGE_KEY] = chosen
    if wanted != chosen:
        st.query_params[LANGUAGE_PARAMETER] = chosen
    return chosen


def _language_chosen() -> None:
    chosen = st.session_state[LANGUAGE_WIDGET_KEY]
    st.session_state[LANGUAGE_KEY] = chosen
    st.query_params[LANGUAGE_PARAMETER] = chosen


def language_switch() -> None:
    """The sidebar's picker, showing the settled language (set again on every run: a widget's
    own key is forgotten by a page that does not draw it)."""
    st.session_state[LANGUAGE_WIDGET_KEY] = language()
    st.sidebar.selectbox(
        "Language / Langue",
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key=LANGUAGE_WIDGET_KEY,
        on_change=_language_chosen,
    )


def page_path(role: str) -> str:
    return str(PAGES_DIR / PAGE_FILES[role])


def switch_page(role: str, **query: str) -> None:
    """Go to the page `role`, with the query parameters `query` and the language's."""
    st.switch_page(page_path(role), query_params={**query, LANGUAGE_PARAMETER: language()})


def open_run(run_id: str) -> None:
    """Go to the Run page showing `run_id`."""
    st.session_state["selected_run"] = run_id
    switch_page("run", run=run_id)


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
