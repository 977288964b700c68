"""dllab's entry: `streamlit run app/main.py` from the repository root."""
import sys
from pathlib import Path

# `streamlit run` puts only app/ on sys.path; pages and core live beside it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from app import ui  # noqa: E402

st.set_page_config(page_title="dllab", page_icon="🧪", layout="wide")
ui.settle_language()  # Before any text: the URL's ?lang= or the session's.
ui.language_switch()
# Housekeeping that fails (a full disk) must not take the page down with it.
ui.guarded(ui.keep_queue_moving)()
ui.guarded(ui.warm_projector)()
ui.guarded(ui.warm_default_model)()  # TensorFlow imported while the user reads the home page.
navigation = st.navigation(
    {
        ui.tr(section): [
            st.Page(ui.page_path(role), title=ui.tr(f"page_{role}"), icon=icon, default=role == "home", url_path=role)
            for role, (_, icon) in pages.items()
        ]
        for section, pages in ui.PAGE_SECTIONS.items()
    },
    expanded=True,  # Every page in sight: folded, the last ones hid behind "View more".
)
ui.run_page(navigation)  # A failure shows a message; its trace goes to the log.
