"""Runs: every run with its status and live progress, filtered and paged; open, cancel or delete one."""
import streamlit as st

from app import ui
from core.analysis import run_table
from core.projects import PROJECTS
from core.runs import queue, store

st.title(ui.tr("runs_title"))


def first_page() -> None:
    # Another filter, another list: its first page.
    st.session_state["runs_page"] = 1


filters = st.columns([2, 2, 2, 3])
chosen_projects = filters[0].multiselect(ui.tr("label_project"), list(PROJECTS), format_func=lambda key: ui.tr(PROJECTS[key].title), placeholder=ui.tr("runs_filter_all"), key="runs_projects", on_change=first_page)
chosen_states = filters[1].multiselect(ui.tr("label_status"), list(store.STATUSES), format_func=ui.status_label, placeholder=ui.tr("runs_filter_all"), key="runs_states", on_change=first_page)
study_names = run_table.study_choices()
if st.session_state.get("runs_study") not in ("", *study_names):
    st.session_state["runs_study"] = ""  # Its runs were deleted.
chosen_study = filters[2].selectbox(ui.tr("runs_column_study"), ["", *study_names], format_func=lambda key: study_names.get(key, ui.tr("runs_filter_study_all")), key="runs_study", on_change=first_page)
text = filters[3].text_input(ui.tr("runs_filter_text"), placeholder=ui.tr("runs_filter_text_placeholder"), key="runs_text", on_change=first_page)
chosen = run_table.RunFilter(tuple(chosen_projects), tuple(chosen_states), chosen_study or None, text)

page = run_table.page_of_runs(chosen, st.session_state.get("runs_page", 1))
st.session_state["runs_page"] = page.number  # Clamped: a filter may leave fewer pages.
# The first draw uses the page just read; the fragment's timed reruns read it again.
first_draw = {"page": page}
# What the picker below the table shows: when it changes, the whole page is redrawn.
drawn_phases = {run.id: ui.live_phase(run) for run in page.runs}


def show_table() -> None:
    shown = first_draw.pop("page", None) or run_table.page_of_runs(chosen, page.number, check_all=False)
    if {run.id: ui.live_phase(run) for run in shown.runs} != drawn_phases:
        st.rerun()
    rows = run_table.rows(shown.runs, hyperparameters=shown.hyperparameters)
    if not rows:
        st.info(ui.tr("runs_no_match" if shown.any_run else "runs_empty"))
        return
    by_id = {run.id: run for run in shown.runs}
    results = {name: st.column_config.NumberColumn(ui.tr(f"metric_{name}") if ui.has_text(f"metric_{name}") else name, format="%.4f") for name in run_table.headline_metrics(shown.runs) if name in rows[0]}
    varied = {run_table.hyperparameter_column(name): ui.field_label(name) for name in shown.hyperparameters}
    for row in rows:
        row["status"] = ui.status_label(row["status"])
        row["eta"] = ui.eta_text(by_id[row["id"]])
        row["study"] = ui.study_text(by_id[row["id"]], shown.study_values.get(row["id"], ""))
    st.caption(ui.tr("runs_shown", first=shown.first, last=shown.first + len(rows) - 1, total=shown.total))
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
            **varied,
            "created": st.column_config.DatetimeColumn(ui.tr("column_created"), format="YYYY-MM-DD HH:mm:ss"),
            "error": ui.tr("column_error"),
            "study": ui.tr("runs_column_study"),
        },
    )
    ui.keep_queue_moving()  # After drawing, so a slow schedule leaves nothing stale on screen.


# Refresh the table every second while something trains; static otherwise.
ui.fragment(run_every=1.0 if page.any_active else None)(show_table)()

if page.page_count > 1:
    st.number_input(ui.tr("runs_page", count=page.page_count), min_value=1, max_value=page.page_count, step=1, key="runs_page")
if not page.runs:
    st.stop()

st.subheader(ui.tr("runs_actions"))
# The runs of this page: a picker of 10,000 runs would be slow to draw and to search.
labels = {run.id: ui.run_label(run, page.study_values.get(run.id, "")) for run in page.runs}
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
            st.toast(ui.tr("runs_cancel_requested", run_id=ui.plain(selected)))
        else:
            st.toast(ui.tr("runs_cancel_result", run_id=ui.plain(selected), state=ui.status_label(outcome.state)))
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
