"""dllab's entry: `streamlit run app/main.py` from the repository root."""
import sys
from pathlib import Path

# `streamlit run` puts only app/ on sys.path; pages and core live beside it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from app import ui  # noqa: E402

st.set_page_config(page_title="dllab", page_icon="🧪", layout="wide")
ui.language_switch()
ui.keep_queue_moving()
ui.warm_projector()
icons = {"home": ":material/home:", "train": ":material/rocket_launch:", "runs": ":material/list:", "run": ":material/monitoring:", "studies": ":material/science:", "compare": ":material/compare:", "predict": ":material/image_search:", "enrich": ":material/add_photo_alternate:", "explain": ":material/visibility:", "inside": ":material/layers:", "projector": ":material/scatter_plot:", "generate": ":material/auto_awesome:", "anomaly": ":material/troubleshoot:"}
navigation = st.navigation(
    [st.Page(ui.page_path(role), title=ui.tr(f"page_{role}"), icon=icons[role], default=role == "home", url_path=role) for role in ui.PAGE_FILES]
)
navigation.run()
