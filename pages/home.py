"""Home: the projects as cards, and a preview of a dataset."""
import streamlit as st

from app import kinds as kind_views
from app import ui
from core import hyperparams
from core.analysis import datasets as dataset_analysis
from core.projects import PROJECTS, get_project

st.title(ui.tr("home_title"))
st.write(ui.tr("home_intro"))

for project in PROJECTS.values():
    with st.container(border=True):
        st.subheader(ui.tr(project.title))
        st.write(ui.tr(project.summary))
        dataset_lines = [
            f"{ui.tr(spec.title)}" + (f" · {ui.tr('home_offline')}" if spec.offline else "") for spec in project.datasets.values()
        ]
        st.markdown(
            f"**{ui.tr('home_backends')}**: {', '.join(project.backends)} · "
            f"**{ui.tr('home_models')}**: {', '.join(project.models)} · "
            f"**{ui.tr('home_hyperparameters')}**: {len(hyperparams.field_specs(project.parameters))}\n\n"
            f"**{ui.tr('home_datasets')}**: " + "; ".join(dataset_lines)
        )

st.header(ui.tr("home_preview"))
left, right = st.columns(2)
project_id = left.selectbox(ui.tr("label_project"), list(PROJECTS), format_func=lambda key: ui.tr(PROJECTS[key].title), key="home_project")
project = get_project(project_id)
dataset_id = right.selectbox(ui.tr("label_dataset"), list(project.datasets), format_func=lambda key: ui.tr(project.datasets[key].title), key="home_dataset")

if not dataset_analysis.is_available_offline(project_id, dataset_id):
    st.info(ui.tr("home_preview_not_local"))
    st.stop()
if project.datasets[dataset_id].generated:
    st.info(ui.tr("home_generated"))
folder_choice = ui.folder_picker(project, dataset_id, key_prefix=f"home_{project_id}")
if folder_choice and not all(folder_choice.values()):
    st.stop()


@st.cache_data(show_spinner=False)
def load_preview(project_id: str, dataset_id: str, folder: tuple):
    """`folder`: the picker's (option, path) pairs, hashable for the cache."""
    return dataset_analysis.preview(project_id, dataset_id, overrides=dict(folder) or None)


try:
    with st.spinner(ui.tr("home_loading")):
        preview = load_preview(project_id, dataset_id, tuple(folder_choice.items()))
except (OSError, ValueError) as error:
    st.error(ui.tr("home_preview_error", error=ui.error_text(error)))
    st.stop()

views = kind_views.views_for(project.task)
if views is not None:
    views.home_preview(preview)
