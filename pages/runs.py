"""Runs: every run with its status and live progress; open, cancel or delete one."""
import streamlit as st

from app import ui
from core.analysis import run_table
from core.projects import PROJECTS
from core.runs import queue, store

st.title(ui.tr("runs_title"))

filters = st.columns(2)
chosen_projects = filters[0].multiselect(ui.tr("label_project"), list(PROJECTS), format_func=lambda key: ui.tr(PROJECTS[key].title), placeholder=ui.tr("runs_filter_all"), key="runs_projects")
chosen_states = filters[1].multiselect(ui.tr("label_status"), list(store.STATUSES), format_func=ui.status_label, placeholder=ui.tr("runs_filter_all"), key="runs_states")


runs_now = store.list_runs()
# The first draw uses the list just read; the fragment's timed reruns read it again.
first_draw = {"runs": runs_now}
# What the picker below the table shows: when it changes, the whole page is redrawn.
drawn_phases = {run.id: ui.live_phase(run) for run in runs_now}


def show_table() -> list[dict]:
    runs = first_draw.pop("runs", None) or store.list_runs()
    if {run.id: ui.live_phase(run) for run in runs} != drawn_phases:
        st.rerun()
    rows = run_table.rows(runs, chosen_projects, chosen_states)
    if not rows:
        st.info(ui.tr("runs_empty"))
        return rows
    by_id = {run.id: run for run in runs}
    studies = {run.id: ui.study_text(run, values) for run, values in zip(runs, ui.study_values(runs))}
    results = {name: st.column_config.NumberColumn(ui.tr(f"metric_{name}") if ui.has_text(f"metric_{name}") else name, format="%.4f") for name in run_table.headline_metrics(runs) if name in rows[0]}
    for row in rows:
        row["status"] = ui.status_label(row["status"])
        row["eta"] = ui.eta_text(by_id[row["id"]])
        row["study"] = studies[row["id"]]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            "id": st.column_config.TextColumn(ui.tr("column_id")),
            "project": ui.tr("label_project"),
            "dataset": ui.tr("label_dataset"),
            "model": ui.tr("label_model"),
            "backend": ui.tr("label_backend"),
            "status": ui.tr("label_status"),
            "progress": st.column_config.ProgressColumn(ui.tr("column_progress"), min_value=0.0, max_value=1.0, format="percent"),
            "eta": ui.tr("column_eta"),
            **results,
            "epochs": ui.tr("column_epochs"),
            "learning_rate": st.column_config.NumberColumn(ui.tr("column_learning_rate"), format="%g"),
            "created": st.column_config.DatetimeColumn(ui.tr("column_created"), format="YYYY-MM-DD HH:mm:ss"),
            "error": ui.tr("column_error"),
            "study": ui.tr("runs_column_study"),
        },
    )
    ui.keep_queue_moving()  # After drawing, so a slow schedule leaves nothing stale on screen.
    return rows


any_active = any(run.state in store.ACTIVE_STATUSES for run in runs_now)
# Refresh the table every second while something trains; static otherwise.
ui.fragment(run_every=1.0 if any_active else None)(show_table)()

if not runs_now:
    st.stop()

st.subheader(ui.tr("runs_actions"))
labels = ui.run_labels(runs_now)
selected = st.selectbox(ui.tr("runs_choose"), list(labels), format_func=labels.get, key="runs_selected")
buttons = st.columns(3)
if buttons[0].button(ui.tr("runs_open"), key="runs_open", width="stretch"):
    ui.open_run(selected)
if buttons[1].button(ui.tr("runs_cancel"), key="runs_cancel", width="stretch"):
    try:
        outcome = queue.cancel(selected)
    except store.RunNotFound:
        ui.run_not_found(selected)
    else:
        if outcome.stop_requested:
            st.toast(ui.tr("runs_cancel_requested", run_id=selected))
        else:
            st.toast(ui.tr("runs_cancel_result", run_id=selected, state=ui.status_label(outcome.state)))
        st.rerun()
if buttons[2].button(ui.tr("runs_delete"), key="runs_delete", width="stretch"):
    st.session_state["runs_confirm_delete"] = selected

if st.session_state.get("runs_confirm_delete") == selected:
    st.warning(ui.tr("runs_delete_confirm", run_id=ui.plain(selected)))
    confirm = st.columns(2)
    if confirm[0].button(ui.tr("runs_delete_yes"), key="runs_delete_yes", type="primary", width="stretch"):
        try:
            queue.delete(selected)
        except store.RunNotFound:
            ui.run_not_found(selected)
        st.session_state.pop("runs_confirm_delete", None)
        st.rerun()
    if confirm[1].button(ui.tr("runs_delete_no"), key="runs_delete_no", width="stretch"):
        st.session_state.pop("runs_confirm_delete", None)
        st.rerun()
