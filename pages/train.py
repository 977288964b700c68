"""Train: pick a project, dataset, model and backend; the form comes from the hyperparameters."""
import streamlit as st

from app import ui
from core.runs import queue

st.title(ui.tr("train_title"))

project, dataset, model, backend = ui.run_choice("train")
ui.guarded(ui.warm_workers)(backend)  # Its framework imported before Launch, not after.
project_id = project.id
st.caption(ui.tr(project.summary))
ui.preset_choice(project, "train", form_prefix=f"hp_{project_id}")


folder_choice = ui.folder_picker(project, dataset, key_prefix=f"train_{project_id}")

with st.form("hyperparameters"):
    st.subheader(ui.tr("train_hyperparameters"))
    values = ui.hyperparameter_inputs(project, dataset, key_prefix=f"hp_{project_id}", skip=tuple(folder_choice), backend=backend)
    values.update(folder_choice)
    launched = st.form_submit_button(ui.tr("train_launch"), type="primary")

if launched:
    try:
        run_id = queue.submit(project_id, dataset, model, backend, values)
    except ValueError as error:
        st.error(ui.tr("train_error", error=ui.error_text(error)))
    else:
        st.session_state["last_launched"] = run_id
        ui.open_run(run_id)
