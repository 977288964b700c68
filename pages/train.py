"""Train: pick a project, dataset, model and backend; the form comes from the hyperparameters."""
import streamlit as st

from app import ui
from core import hyperparams
from core.projects import PROJECTS, get_project
from core.runs import queue

st.title(ui.tr("train_title"))

columns = st.columns(4)
project_id = columns[0].selectbox(ui.tr("label_project"), list(PROJECTS), format_func=lambda key: ui.tr(PROJECTS[key].title), key="train_project")
project = get_project(project_id)
dataset = columns[1].selectbox(ui.tr("label_dataset"), list(project.datasets), format_func=lambda key: ui.tr(project.datasets[key].title), key=f"train_dataset_{project_id}")
model = columns[2].selectbox(ui.tr("label_model"), list(project.models), key=f"train_model_{project_id}")
backend = columns[3].selectbox(ui.tr("label_backend"), list(project.backends_for(model)), key=f"train_backend_{project_id}_{model}")
st.caption(ui.tr(project.summary))


def field_input(spec: hyperparams.FieldSpec):
    """One widget per hyperparameter, with its range in the help."""
    label = spec.name.replace("_", " ")
    help_text = f"{ui.tr(spec.help)} ({ui.tr('train_range')}: {spec.describe_range()})"
    key = f"hp_{project_id}_{spec.name}"
    if spec.choices:
        return st.selectbox(label, spec.choices, index=spec.choices.index(spec.default), help=help_text, key=key)
    if spec.type is bool:
        return st.checkbox(label, value=spec.default, help=help_text, key=key)
    if spec.type is int:
        return st.number_input(label, min_value=spec.minimum, max_value=spec.maximum, value=spec.default, step=spec.step or 1, help=help_text, key=key)
    if spec.step:
        return st.slider(label, min_value=float(spec.minimum), max_value=float(spec.maximum), value=float(spec.default), step=float(spec.step), help=help_text, key=key)
    return st.number_input(label, min_value=float(spec.minimum), max_value=float(spec.maximum), value=float(spec.default), format="%g", help=help_text, key=key)


with st.form("hyperparameters"):
    st.subheader(ui.tr("train_hyperparameters"))
    specs = hyperparams.field_specs(project.parameters)
    form_columns = st.columns(3)
    values = {}
    for index, spec in enumerate(specs):
        with form_columns[index % 3]:
            values[spec.name] = field_input(spec)
    launched = st.form_submit_button(ui.tr("train_launch"), type="primary")

if launched:
    try:
        run_id = queue.submit(project_id, dataset, model, backend, values)
    except ValueError as error:
        st.error(ui.tr("train_error", error=error))
    else:
        st.session_state["last_launched"] = run_id
        ui.open_run(run_id)
