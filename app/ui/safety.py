"""What keeps a page safe to show: text a user gave (a run id in a link, a file's or a
folder's name, a class or study name) shown literally, never as Markdown, and a failure
shown as a short message, its trace written to the app's log instead of the page."""
from __future__ import annotations

import functools
import logging
import logging.handlers
import traceback
from pathlib import Path

import streamlit as st

from app.ui import navigation
from core import config
from core.runs import store

LOG_BYTES = 1_000_000  # One log file's size before it rotates; three old ones are kept.
LOG_BACKUPS = 3


def plain(text) -> str:
    """`text` as Markdown that shows it literally: as it is when it holds only letters, digits,
    spaces and commas (a class named "cats" or "3", a cell "2, 2"), else an inline code span. Backslash escapes are
    not enough: Streamlit's Markdown turns a bare http://, www. or e-mail address into a link
    even when its punctuation is escaped, but nothing inside a code span."""
    text = " ".join(str(text).split())  # A line break could start a heading or a table.
    if all(character.isalnum() or character in " ," for character in text):
        return text  # No Markdown can be made of letters, digits, spaces and commas alone.
    longest = current = 0
    for character in text:
        current = current + 1 if character == "`" else 0
        longest = max(longest, current)
    fence = "`" * (longest + 1)  # Longer than any run of backticks inside, so none closes it.
    return f"{fence} {text} {fence}"  # The spaces let the text start or end with a backtick.


def log_path() -> Path:
    return config.artifacts_dir() / "logs" / "app.log"


def log_failure(error: BaseException, where: str) -> Path:
    """Append the failure and its full trace to the app's log (rotated, so bounded)."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    record = logging.LogRecord("dllab.app", logging.ERROR, __file__, 0, "%s failed: %s", (where, error), (type(error), error, error.__traceback__))
    try:
        handler.handle(record)
    finally:
        handler.close()
    return path


def show_failure(error: Exception, where: str) -> None:
    """Log `error` and say on the page where its details are, without the trace."""
    try:
        path = log_failure(error, where)
    except OSError as log_error:
        traceback.print_exception(error)  # Nowhere else to keep it: the server's console.
        st.error(navigation.tr("page_failed_unlogged", error=plain(log_error)))
        return
    st.error(navigation.tr("page_failed", path=plain(path)))


def run_page(page) -> None:
    """Run the page st.navigation chose; any failure (not st.stop, st.rerun or
    st.switch_page: those raise BaseException subclasses) becomes a message."""
    try:
        page.run()
    except Exception as error:
        show_failure(error, f"page {page.url_path or 'home'}")


def guarded(function):
    """`function` with its failures shown as run_page shows them: a fragment that reruns on
    its own runs outside the page script, so run_page's handler does not reach it."""

    @functools.wraps(function)
    def wrapper(*arguments, **options):
        try:
            return function(*arguments, **options)
        except Exception as error:
            show_failure(error, f"fragment {function.__qualname__}")

    return wrapper


def fragment(**options):
    """st.fragment(**options), its function guarded: use it for every fragment of a page."""
    return lambda function: st.fragment(**options)(guarded(function))


def run_not_found(run_id) -> None:
    """Say that the run a link or a choice named does not exist, its id shown literally."""
    st.error(navigation.tr("run_not_found", run_id=plain(run_id)))


def stop_unless_offered(run_id: str, runs: list) -> None:
    """Stop the page with a message when a link names a run that is not among `runs` (those
    the page takes), and drop it from the link: a link never opens another run in silence."""
    if run_id in {run.id for run in runs}:
        return
    try:
        exists = store.run_dir(run_id).is_dir()
    except store.RunNotFound:  # Not a run id at all (a path, say).
        exists = False
    if exists:
        st.error(navigation.tr("run_not_offered", run_id=plain(run_id)))
    else:
        run_not_found(run_id)
    st.query_params.pop("run", None)
    st.stop()
