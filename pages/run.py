"""Run: live curves while it trains; then test metrics and its kind's views (app.kinds: a
classifier's confusion and misclassified images; a VAE or CVAE's reconstructions, latent
space and samples)."""
import streamlit as st

from app import kinds as kind_views
from app import ui
from core import inference, kinds
from core.analysis import figures
from core.kinds.image_classification import analysis as classification
from core.projects import PROJECTS, get_project
from core.runs import queue, store

st.title(ui.tr("run_title"))
wanted = st.query_params.get("run") or st.session_state.get("selected_run")
try:
    # The newest runs and the wanted one, only their folders read (the Runs page pages them all).
    choices = store.run_choices(wanted)
except store.RunNotFound:
    ui.run_not_found(wanted)
    st.query_params.pop("run", None)  # The language stays in the URL.
    st.session_state.pop("selected_run", None)
    st.stop()
if not choices.runs:
    st.info(ui.tr("run_none"))
    st.stop()

by_id, labels = {run.id: run for run in choices.runs}, ui.run_labels(choices.related)
ids = list(by_id)
run_id = st.selectbox(ui.tr("run_choose"), ids, index=ids.index(wanted) if wanted else 0, format_func=labels.get, key=f"run_choice_{wanted}")
ui.more_runs_link(choices, "run_picker_all", caption="run_picker_newest")
st.session_state["selected_run"] = run_id
st.query_params["run"] = run_id


def load(run_id: str):
    try:
        return store.load_run(run_id)
    except store.RunNotFound:
        ui.run_not_found(run_id)
        st.stop()


run = by_id[run_id]  # Read from its folder just now.
was_active = run.state in store.ACTIVE_STATUSES
drawn_phase = ui.live_phase(run)  # What the picker's label and the cancel button show.


def live_part(run_id: str) -> None:
    """Status, progress and curves; reruns every second while the run is active."""
    run = load(run_id)
    if ui.live_phase(run) != drawn_phase:
        st.rerun()  # Started, done training or ended: the picker and the cancel button too.
    status = run.status
    header = st.columns([2, 3])
    header[0].markdown(f"### {ui.status_label(run.state)}")
    starting = ui.starting_text(run)  # Waiting, loading the framework or the data, building.
    if ui.training_done(run):
        header[1].info(ui.tr("run_finishing"))
    elif starting:
        header[1].info(starting)
    elif run.state == "running":
        progress = status.get("progress") or {}
        fraction = float(progress.get("fraction") or 0.0)
        header[1].progress(min(fraction, 1.0), text=ui.tr("run_progress", epoch=progress.get("epoch", 0), epochs=progress.get("epochs", "?"), elapsed=ui.format_seconds(progress.get("elapsed")), eta=ui.eta_text(run) or ui.format_seconds(None)))
    if run.state == "failed":
        st.error(ui.tr("run_failed", error=ui.stored_error_text(status)))
    for warning in status.get("warnings", []):
        st.warning(ui.plain(warning))
    if status.get("learning"):  # Not learning, or diverged (core.runs.reporter.learning_problem).
        st.warning(ui.tr(status["learning"]["key"], **status["learning"]["values"]))
    try:
        records = store.read_metrics(run.path)
    except ValueError as error:
        st.error(ui.plain(error))
        records = []
    if records:
        frame = figures.metrics_frame(records)
        results = status.get("results") or {}
        project = PROJECTS.get(run.project)
        curves = project.curves if project else ("loss", "accuracy")
        last = frame[frame["scope"] == "epoch"]
        metric_columns = st.columns(2 * len(curves))
        for column, (name, split) in zip(metric_columns, [(name, split) for name in curves for split in ("train", "validation")]):
            values = last[(last["split"] == split) & (last["name"] == name)]["value"]
            if len(values):
                column.metric(ui.tr(f"metric_{split}_{name}"), ui.number(float(values.iloc[-1]), ".4f"))
        if results:
            # The project's test metrics first, then any other the run reported.
            names = [name for name in (*(project.results if project else ()), *results) if name in results]
            shown = list(dict.fromkeys(names))
            result_columns = st.columns(max(4, len(shown)))
            for column, name in zip(result_columns, shown):
                column.metric(ui.tr(f"metric_{name}") if ui.has_text(f"metric_{name}") else name, ui.number(results[name], ".4f"))
            if "accuracy" in curves:
                train_accuracy = last[(last["split"] == "train") & (last["name"] == "accuracy")]["value"]
                diagnosis = classification.diagnose(train_accuracy.iloc[-1] if len(train_accuracy) else None, results.get("test_accuracy"))
                if diagnosis:
                    key, values = diagnosis
                    (st.warning if key == "diagnosis_overfitting" else st.info)(ui.tr(key, **values))
        st.plotly_chart(
            ui.local_numbers(figures.learning_curves(
                frame,
                titles={name: ui.tr(f"curve_{name}") for name in curves},
                labels={"train": ui.tr("split_train"), "validation": ui.tr("split_validation"), "running": ui.tr("split_running"), "epoch": ui.tr("curve_epoch")},
                metrics=curves,
            )),
            key="curves",
        )
    elif run.state in store.ACTIVE_STATUSES:
        st.caption(ui.tr("run_waiting_metrics"))
    ui.keep_queue_moving()  # After drawing, so a slow schedule leaves nothing stale on screen.


ui.fragment(run_every=1.0 if was_active else None)(live_part)(run_id)

if run.state in store.ACTIVE_STATUSES and st.button(ui.tr("runs_cancel"), key="run_cancel"):
    queue.cancel(run_id)
    st.rerun()

with st.expander(ui.tr("run_hyperparameters"), expanded=False):
    params = run.params
    st.write({"project": params.get("project"), "dataset": params.get("dataset"), "model": params.get("model"), "backend": params.get("backend"), "device": params.get("device"), "versions": params.get("versions")})
    st.dataframe([{ui.tr("column_name"): ui.field_label(name), ui.tr("column_value"): ui.number(value)} for name, value in (params.get("hyperparameters") or {}).items()], hide_index=True)

project_views = ()
try:
    project_views = get_project(run.project).views
except ValueError as error:
    st.warning(ui.plain(error))
else:
    if run.state == "finished":
        ui.retrain_elsewhere(run, get_project(run.project))


# What the run's kind of task shows of a finished run that left its evaluation (app.kinds).
kind = kinds.kind_of(run)
views = kind_views.views_for(kind.name) if kind else None
if views is not None and run.state == "finished" and kind.evaluation.path(run.path).exists():
    damage = inference.description_damage(run.path)  # A damaged checkpoint.json, said in words.
    if damage:
        st.error(ui.error_text(damage))
    else:
        views.run_views(run, project_views)

with st.expander(ui.tr("run_log"), expanded=run.state == "failed"):
    st.code(store.log_tail(run.path, 60) or ui.tr("run_log_empty"), language=None)
