"""User text (a run id in a link, a file's name) is shown literally, never as Markdown; a
failure shows a short message on the page and leaves its trace in the app's log."""
from __future__ import annotations

import markdown_it
import pytest
from page_fixtures import PAGES, TIMEOUT, make_run
from page_fixtures import open_page as page
from streamlit.testing.v1 import AppTest

from app import ui

ENTRY = PAGES.parent / "app" / "main.py"
# A link and an image in Markdown, then what Streamlit's Markdown links or draws by itself.
EVIL = "[Your session expired](http://evil.example/login) ![x](http://127.0.0.1:9/x.png)"
TRICKS = [
    EVIL,
    "www.evil.example a@evil.example http://bare.example",
    ":red[red] :smile: $x^2$ <b>bold</b> **bold** # heading",
    "`one` ``two`` ends with a backtick`",
    "first line\n# a heading\n| a | b |\n|---|---|",
]


def literal_only(body: str, text: str) -> None:
    """`body` as CommonMark: no link or image anywhere, and `text` (its whitespace collapsed)
    whole in one code span, so Streamlit draws no link, image, colour, icon or formula in it."""
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(body)
    inline = [child for token in tokens for child in (token.children or [])]
    kinds = {child.type for child in inline} | {token.type for token in tokens}
    assert not kinds & {"link_open", "image", "html_inline", "html_block", "heading_open", "table_open"}, body
    assert " ".join(text.split()) in [child.content for child in inline if child.type == "code_inline"], body


@pytest.mark.parametrize("text", TRICKS)
def test_plain_keeps_any_text_in_one_code_span(text):
    literal_only(f"**Run** {ui.plain(text)}: not found", text)


def test_plain_leaves_letters_digits_and_spaces_as_they_are():
    assert ui.plain("") == "" and ui.plain("  \n") == ""
    assert ui.plain("3") == "3" and ui.plain("chats noirs  été") == "chats noirs été"
    assert ui.plain("a.b") == "` a.b `"


def test_run_page_shows_an_unknown_run_id_from_a_link_literally(runs_root):
    make_run(runs_root)
    app = page("run", query={"run": EVIL})
    assert not app.exception
    assert len(app.error) == 1 and app.error[0].value.startswith("Run not found")
    literal_only(app.error[0].value, EVIL)


def test_compare_shows_unknown_run_ids_from_a_link_literally(runs_root):
    make_run(runs_root), make_run(runs_root)
    app = page("compare", query={"runs": f"{EVIL},www.evil.example"})
    assert not app.exception
    body = app.warning[0].value
    literal_only(body, EVIL)
    literal_only(body, "www.evil.example")


def test_projector_says_an_unknown_run_from_a_link_was_not_found(runs_root):
    make_run(runs_root)
    app = page("projector", query={"run": EVIL})
    assert not app.exception
    assert [error.value for error in app.error if error.value.startswith("Run not found")], "silently opened another run"
    literal_only(app.error[0].value, EVIL)
    assert not app.selectbox  # No other run opened in its place.


def test_projector_says_a_linked_run_it_does_not_show_is_not_offered(runs_root):
    make_run(runs_root)
    failed = make_run(runs_root, state="failed")
    app = page("projector", query={"run": failed})
    assert not app.exception
    assert app.error[0].value.startswith(f"Run ` {failed} ` is not one this page shows") and not app.selectbox
    assert "run" not in app.query_params  # The next script run opens the picker.


def test_upload_names_are_shown_literally(runs_root):
    run_id = make_run(runs_root)
    name = "[x](http://evil.example) www.evil.example.png"
    app = page("explain", selected_run=run_id)
    app.radio(key="explain_source").set_value("upload").run()
    app.file_uploader(key="explain_upload").upload(name, b"not an image")
    app.run()
    assert not app.exception
    literal_only(app.error[0].value, name)


def test_predict_names_a_bad_upload_literally(runs_root):
    run_id = make_run(runs_root)
    name = "![x](http://127.0.0.1:9/x.png).png"
    app = page("predict", selected_run=run_id)
    app.file_uploader(key="predict_upload").upload(name, b"not an image")
    app.run()
    assert not app.exception
    literal_only(app.error[0].value, name)


def test_a_page_that_fails_shows_a_message_and_logs_the_trace(runs_root, monkeypatch):
    def broken(*arguments, **options):
        raise RuntimeError("the preview exploded")

    monkeypatch.setattr("core.analysis.datasets.is_available_offline", broken)
    app = page(ENTRY)
    assert not app.exception  # No traceback element on the page.
    assert len(app.error) == 1
    message = app.error[0].value
    log = ui.log_path()
    assert message.startswith("Something went wrong on this page") and str(log) in message
    assert "exploded" not in message and "Traceback" not in message
    literal_only(message, str(log))
    written = log.read_text()
    assert log.is_relative_to(runs_root.parent) and "Traceback" in written and "RuntimeError: the preview exploded" in written
    assert "is_available_offline" in written or "broken" in written  # The trace, not only the message.


def test_the_failure_message_is_translated(runs_root, monkeypatch):
    monkeypatch.setattr("core.analysis.datasets.is_available_offline", lambda *arguments: 1 / 0)
    app = page(ENTRY, language="fr")
    assert not app.exception
    assert app.error[0].value.startswith("Un problème est survenu sur cette page")


def test_stop_rerun_and_switch_page_are_not_failures(runs_root):
    make_run(runs_root)
    app = page(ENTRY)
    app.switch_page("../pages/run.py").run()  # The Run page stops at an unknown run: no failure.
    assert not app.exception
    assert not [error for error in app.error if error.value.startswith("Something went wrong")]
    assert not ui.log_path().exists()


def fragment_script():
    import streamlit as st

    from app import ui

    @ui.fragment()
    def broken_part():
        st.write("before")
        raise ValueError("the fragment exploded")

    broken_part()
    st.write("after the fragment")


def test_a_fragment_that_fails_shows_the_message_and_the_page_goes_on(runs_root):
    app = AppTest.from_function(fragment_script, default_timeout=TIMEOUT).run()
    assert not app.exception
    assert app.error[0].value.startswith("Something went wrong on this page")
    assert "after the fragment" in [markdown.value for markdown in app.markdown]  # Caught in the fragment.
    assert "ValueError: the fragment exploded" in ui.log_path().read_text()


def test_pages_use_the_guarded_fragment_and_show_no_traceback():
    sources = {path.name: path.read_text() for path in [*PAGES.glob("*.py"), *(PAGES.parent / "app").rglob("*.py")]}
    assert not [name for name, text in sources.items() if "st.exception(" in text]
    # st.fragment reruns outside the page's handler: every fragment goes through ui.fragment.
    assert not [name for name, text in sources.items() if "st.fragment(" in text and name != "safety.py"]
