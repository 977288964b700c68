"""Run: live curves while it trains; then test metrics and the project's views (a classifier:
confusion, misclassified images; a VAE or CVAE: reconstructions, latent space, samples)."""
import streamlit as st

from app import ui
from core import inference
from core.analysis import classification, figures
from core.projects import PROJECTS, get_project
from core.runs import queue, store

st.title(ui.tr("run_title"))
runs = store.list_runs()
if not runs:
    st.info(ui.tr("run_none"))
    st.stop()

wanted = st.query_params.get("run") or st.session_state.get("selected_run")
ids = [run.id for run in runs]
if wanted and wanted not in ids:
    st.error(ui.tr("run_not_found", run_id=wanted))
    st.query_params.clear()
    st.session_state.pop("selected_run", None)
    st.stop()
by_id = {run.id: run for run in runs}
run_id = st.selectbox(
    ui.tr("run_choose"), ids, index=ids.index(wanted) if wanted else 0,
    format_func=lambda key: ui.run_label(by_id[key]),
    key=f"run_choice_{wanted}",
)
st.session_state["selected_run"] = run_id
st.query_params["run"] = run_id


def load(run_id: str):
    try:
        return store.load_run(run_id)
    except store.RunNotFound:
        st.error(ui.tr("run_not_found", run_id=run_id))
        st.stop()


run = load(run_id)
was_active = run.state in store.ACTIVE_STATUSES


def live_part(run_id: str) -> None:
    """Status, progress and curves; reruns every second while the run is active."""
    ui.keep_queue_moving()
    run = load(run_id)
    status = run.status
    header = st.columns([2, 3])
    header[0].markdown(f"### {ui.status_label(run.state)}")
    if run.state == "running":
        progress = status.get("progress") or {}
        fraction = float(progress.get("fraction") or 0.0)
        header[1].progress(min(fraction, 1.0), text=ui.tr("run_progress", epoch=progress.get("epoch", 0), epochs=progress.get("epochs", "?"), elapsed=ui.format_seconds(progress.get("elapsed")), eta=ui.format_seconds(progress.get("eta"))))
    elif run.state == "queued":
        header[1].info(ui.tr("run_queued"))
    if run.state == "failed":
        st.error(ui.tr("run_failed", error=status.get("error", "?")))
    for warning in status.get("warnings", []):
        st.warning(warning)
    try:
        records = store.read_metrics(run.path)
    except ValueError as error:
        st.error(str(error))
        records = []
    if records:
        frame = classification.curves(records)
        results = status.get("results") or {}
        project = PROJECTS.get(run.project)
        curves = project.curves if project else ("loss", "accuracy")
        last = frame[frame["scope"] == "epoch"]
        metric_columns = st.columns(2 * len(curves))
        for column, (name, split) in zip(metric_columns, [(name, split) for name in curves for split in ("train", "validation")]):
            values = last[(last["split"] == split) & (last["name"] == name)]["value"]
            if len(values):
                column.metric(ui.tr(f"metric_{split}_{name}"), f"{values.iloc[-1]:.4f}")
        if results:
            # The project's test metrics first, then any other the run reported.
            names = [name for name in (*(project.results if project else ()), *results) if name in results]
            shown = list(dict.fromkeys(names))
            result_columns = st.columns(max(4, len(shown)))
            for column, name in zip(result_columns, shown):
                column.metric(ui.tr(f"metric_{name}") if ui.has_text(f"metric_{name}") else name, f"{results[name]:.4f}")
            if "accuracy" in curves:
                train_accuracy = last[(last["split"] == "train") & (last["name"] == "accuracy")]["value"]
                diagnosis = classification.diagnose(train_accuracy.iloc[-1] if len(train_accuracy) else None, results.get("test_accuracy"))
                if diagnosis:
                    key, values = diagnosis
                    (st.warning if key == "diagnosis_overfitting" else st.info)(ui.tr(key, **values))
        st.plotly_chart(
            figures.learning_curves(
                frame,
                titles={name: ui.tr(f"curve_{name}") for name in curves},
                labels={"train": ui.tr("split_train"), "validation": ui.tr("split_validation"), "running": ui.tr("split_running"), "epoch": ui.tr("curve_epoch")},
                metrics=curves,
            ),
            key="curves",
        )
    elif run.state in store.ACTIVE_STATUSES:
        st.caption(ui.tr("run_waiting_metrics"))
    if was_active and run.state not in store.ACTIVE_STATUSES:
        st.rerun()  # The run just ended: redraw the whole page with its results.


st.fragment(run_every=1.0 if was_active else None)(live_part)(run_id)

if run.state in store.ACTIVE_STATUSES and st.button(ui.tr("runs_cancel"), key="run_cancel"):
    queue.cancel(run_id)
    st.rerun()

with st.expander(ui.tr("run_hyperparameters"), expanded=False):
    params = run.params
    st.write({"project": params.get("project"), "dataset": params.get("dataset"), "model": params.get("model"), "backend": params.get("backend"), "device": params.get("device"), "versions": params.get("versions")})
    st.dataframe([{"name": name, "value": str(value)} for name, value in (params.get("hyperparameters") or {}).items()], hide_index=True)

def show_cell(click, matrix, class_names: list[str], evaluation: dict) -> None:
    """The test images of one confusion cell: the one clicked, else the pair picked below."""
    points = (click or {}).get("selection", {}).get("points", []) if click else []
    cell_keys = (f"run_cell_true_{run_id}", f"run_cell_predicted_{run_id}")
    if points and points[0].get("y") in class_names and points[0].get("x") in class_names:
        st.session_state[cell_keys[0]], st.session_state[cell_keys[1]] = points[0]["y"], points[0]["x"]
    if cell_keys[0] not in st.session_state:
        true_index, predicted_index = classification.most_confused_pair(matrix)
        st.session_state[cell_keys[0]], st.session_state[cell_keys[1]] = class_names[true_index], class_names[predicted_index]
    st.caption(ui.tr("run_cell_help"))
    columns = st.columns(2)
    true_name = columns[0].selectbox(ui.tr("label_true"), class_names, key=cell_keys[0])
    predicted_name = columns[1].selectbox(ui.tr("label_predicted"), class_names, key=cell_keys[1])
    members = classification.cell_members(evaluation["labels"], evaluation["predictions"], evaluation["probabilities"], class_names.index(true_name), class_names.index(predicted_name))
    st.write(ui.tr("run_cell_count", count=int(matrix[class_names.index(true_name), class_names.index(predicted_name)]), true=true_name, predicted=predicted_name))
    image_columns = st.columns(8)
    for position, index in enumerate(members):
        image_columns[position % 8].image(figures.enlarge(evaluation["images"][index], 84), caption=f"{evaluation['probabilities'][index, class_names.index(predicted_name)]:.0%}")


def retrain_elsewhere(project) -> None:
    """Seed 001 task 8: the same architecture and hyperparameters, trained on another dataset."""
    others = [dataset for dataset in project.datasets if dataset != run.dataset]
    if not others:
        return
    with st.expander(ui.tr("run_retrain")):
        columns = st.columns([3, 1])
        dataset = columns[0].selectbox(ui.tr("label_dataset"), others, format_func=lambda key: ui.tr(project.datasets[key].title), key=f"run_retrain_dataset_{run_id}")
        if columns[1].button(ui.tr("run_retrain_button"), key=f"run_retrain_{run_id}"):
            try:
                new_run = queue.submit(project.id, dataset, run.model, run.backend, run.params.get("hyperparameters"))
            except ValueError as error:
                st.error(ui.tr("train_error", error=ui.error_text(error)))
            else:
                ui.open_run(new_run)


project_views = ()
try:
    project_views = get_project(run.project).views
except ValueError as error:
    st.warning(str(error))
else:
    if run.state == "finished":
        retrain_elsewhere(get_project(run.project))


def generative_views(project_views: tuple) -> None:
    """Test images beside their reconstructions, the latent space, five samples per class."""
    from core import generation
    from core.analysis import generation as generation_views
    from core.projector import figure

    try:
        latent = ui.cached_latent(run)
    except (OSError, ValueError, KeyError) as error:
        st.error(ui.tr("run_eval_unreadable", error=error))
        return
    description = inference.read_description(run.path)
    class_names = description["class_names"]
    if "reconstructions" in project_views:
        st.subheader(ui.tr("run_reconstructions"))
        pairs, _ = generation_views.reconstruction_pairs(latent, count=2 * len(class_names))
        st.image(generation_views.grid_picture(pairs, cell=56))
        st.caption(ui.tr("run_reconstruction_error", error=generation_views.mean_reconstruction_error(latent)))
    left, right = st.columns(2)
    if "latent" in project_views:
        with left:
            st.subheader(ui.tr("run_latent"))
            projection = generation_views.latent_projection(latent)
            if projection.info["method"] == "pca":
                st.caption(ui.tr("generate_latent_pca", size=latent["codes"].shape[1]))
            titles = {"index": ui.tr("projector_field_index"), "label": ui.tr("generate_class"), "group": ui.tr("generate_class")}
            st.altair_chart(figure.scatter(projection, class_names, "label", class_names, titles).properties(height=420), key="run_latent")
    with right:
        st.subheader(ui.tr("run_samples" if description.get("conditional") else "run_samples_vae"))
        grid = generation.sample_grid(ui.cached_model(run), generation.DEFAULT_PER_CLASS, seed=0)
        st.image(generation_views.grid_picture(grid, cell=40))
        if st.button(ui.tr("run_open_generate"), key="run_open_generate"):
            st.session_state["selected_run"] = run.id
            st.switch_page(ui.page_path("generate"))


finished_task = inference.run_task(run) if run.state == "finished" and inference.has_checkpoint(run.path) else None
if finished_task == "generation":
    generative_views(project_views)
elif finished_task in inference.CLASSIFICATION_TASKS:
    try:
        evaluation = ui.cached_predictions(run)
    except (OSError, ValueError, KeyError) as error:
        st.error(ui.tr("run_eval_unreadable", error=error))
        evaluation = None
    if evaluation is not None:
        class_names = inference.read_description(run.path)["class_names"]
        labels, predictions, probabilities = evaluation["labels"], evaluation["predictions"], evaluation["probabilities"]
        if "confusion" in project_views:
            st.subheader(ui.tr("run_confusion"))
            matrix = classification.confusion(labels, predictions, len(class_names))
            left, right = st.columns([3, 2])
            click = left.plotly_chart(
                figures.confusion_heatmap(matrix, class_names, {"predicted": ui.tr("label_predicted"), "true": ui.tr("label_true"), "hover": ui.tr("confusion_hover")}),
                key="confusion", on_select="rerun", selection_mode="points",
            )
            right.dataframe(classification.per_class_scores(labels, predictions, class_names), hide_index=True, column_config={"precision": st.column_config.NumberColumn(format="%.3f"), "recall": st.column_config.NumberColumn(format="%.3f"), "f1": st.column_config.NumberColumn(format="%.3f")})
            show_cell(click, matrix, class_names, evaluation)
        if "misclassified" in project_views:
            st.subheader(ui.tr("run_misclassified"))
            wrong = classification.misclassified(labels, predictions, probabilities)
            if len(wrong) == 0:
                st.success(ui.tr("run_no_mistakes"))
            columns = st.columns(8)
            for position, index in enumerate(wrong):
                columns[position % 8].image(
                    figures.enlarge(evaluation["images"][index], 84),
                    caption=ui.tr("run_mistake_caption", true=class_names[labels[index]], predicted=class_names[predictions[index]], confidence=probabilities[index, predictions[index]]),
                )

with st.expander(ui.tr("run_log"), expanded=run.state == "failed"):
    st.code(store.log_tail(run.path, 60) or ui.tr("run_log_empty"), language=None)
