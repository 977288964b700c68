"""Studies: one run per value (or pair of values) of one or two hyperparameters, seen together."""
import streamlit as st

from app import ui
from core import kinds, studies
from core.analysis import studies as study_views
from core.projects import get_project

REFRESH_SECONDS = 2

st.title(ui.tr("studies_title"))
st.caption(ui.tr("studies_intro"))
results_tab, new_tab = st.tabs([ui.tr("studies_tab_results"), ui.tr("studies_tab_new")])


def apply_preset(project_id: str) -> None:
    """Fill the model and the axes from a ready-made study; every value stays editable."""
    preset = studies.PRESETS.get(st.session_state["studies_preset"])
    if preset is None:
        return
    st.session_state[f"studies_model_{project_id}"] = preset["model"]
    axes = preset["axes"]
    for number in (1, 2):
        axis = axes[number - 1] if len(axes) >= number else None
        st.session_state[f"studies_axis{number}"] = axis.name if axis else ""
        st.session_state[f"studies_values{number}"] = ", ".join(str(value) for value in axis.values) if axis else ""


def planned_axes(project_id: str) -> list[studies.Axis]:
    """The axes as typed so far; ValueError with the first mistake."""
    axes = []
    for number in (1, 2):
        name = st.session_state.get(f"studies_axis{number}") or ""
        if name:
            axes.append(studies.Axis(name, studies.parse_values(project_id, name, st.session_state.get(f"studies_values{number}", ""))))
    return axes


with new_tab:
    project, dataset, model, backend = ui.run_choice("studies")
    presets = [key for key, preset in studies.PRESETS.items() if preset["model"] in project.models]
    st.selectbox(
        ui.tr("studies_preset"), ["", *presets], key="studies_preset", on_change=apply_preset, args=(project.id,),
        format_func=lambda key: ui.tr(studies.PRESETS[key]["title"]) if key else ui.tr("studies_preset_none"),
    )
    folder_choice = ui.folder_picker(project, dataset, key_prefix=f"studies_{project.id}")
    field_names = [spec.name for spec in project.fields_for(dataset, backend) if spec.name not in folder_choice]
    axis_columns = st.columns(2)
    for number, column in zip((1, 2), axis_columns):
        with column:
            choices = field_names if number == 1 else ["", *field_names]
            if st.session_state.get(f"studies_axis{number}") not in choices:
                st.session_state[f"studies_axis{number}"] = choices[0]
            st.selectbox(ui.tr("studies_axis", number=number), choices, key=f"studies_axis{number}", format_func=lambda name: ui.field_label(name) if name else ui.tr("studies_axis_none"))
            st.text_input(ui.tr("studies_values"), key=f"studies_values{number}", placeholder="0.0, 0.25, 0.5")
    chosen_axes = [st.session_state[f"studies_axis{number}"] for number in (1, 2) if st.session_state.get(f"studies_axis{number}")]
    axes, run_count = [], 0
    if not st.session_state.get("studies_values1", "").strip():
        st.info(ui.tr("studies_type_values"))
    else:
        try:
            axes = planned_axes(project.id)
            run_count = len(studies.plan(project.id, dataset, model, backend, folder_choice, axes))
        except ValueError as error:
            axes, run_count = [], 0
            st.warning(ui.error_text(error))
        else:
            st.info(ui.tr("studies_planned", count=run_count))
    with st.form("study_base"):
        st.subheader(ui.tr("studies_base"))
        base = ui.hyperparameter_inputs(project, dataset, key_prefix=f"study_hp_{project.id}", skip=(*chosen_axes, *folder_choice), backend=backend)
        base.update(folder_choice)
        name = st.text_input(ui.tr("studies_name"), key="studies_name")
        launched = st.form_submit_button(ui.tr("studies_launch"), type="primary", disabled=not run_count)
    if launched:
        try:
            study_id = studies.submit_study(name, project.id, dataset, model, backend, base, axes)
        except ValueError as error:
            st.error(ui.tr("train_error", error=ui.error_text(error)))
        else:
            st.session_state["studies_selected"] = study_id
            st.success(ui.tr("studies_launched", count=run_count))


def metric_label(metric: str) -> str:
    return ui.tr(f"studies_column_{metric}")


def find_study(study_id: str):
    return next((study for study in studies.list_studies() if study.id == study_id), None)


def show_study(study_id: str, was_active: bool) -> None:
    ui.keep_queue_moving()
    study = find_study(study_id)
    if study is None:
        st.warning(ui.tr("studies_gone"))
        return
    if was_active and not study.active:
        st.rerun()  # The last run just ended: stop refreshing.
    st.progress(study.finished / max(study.size, len(study.runs), 1), text=ui.tr("studies_progress", finished=study.finished, size=study.size))
    project = get_project(study.project)
    headline, higher_is_better = project.headline
    columns = study_views.result_columns(project)
    table = study_views.study_table(study)
    labels = {"run": ui.tr("column_id"), **{axis: ui.field_label(axis) for axis in study.axes}, **{column: metric_label(column) for column in columns}}
    shown = table.assign(state=table["state"].map(ui.status_label)).rename(columns=labels)
    # The best run by the project's headline (the lowest loss for a generative model).
    highlight = shown.style.highlight_max if higher_is_better else shown.style.highlight_min
    styled = highlight(subset=[labels[headline]], color="#c8e6c9").format(precision=4, na_rep="–")
    st.dataframe(styled, hide_index=True, width="stretch")
    finished = table.dropna(subset=[headline])
    if finished.empty:
        st.info(ui.tr("studies_waiting"))
        return
    metrics = [column for column in columns if column not in ("state", "seconds")]
    metric = st.selectbox(ui.tr("studies_metric"), metrics, format_func=metric_label, key=f"studies_metric_{project.id}")
    left, right = st.columns(2)
    with left:
        st.subheader(ui.tr("studies_by_axis"))
        st.plotly_chart(ui.local_numbers(study_views.metric_by_axis(table, study.axes, metric, {"metric": metric_label(metric)})), width="stretch")
    with right:
        st.subheader(ui.tr("studies_curves"))
        curve_metric = st.radio(ui.tr("studies_curve_metric"), sorted(project.curves, key=lambda name: name != "accuracy"), horizontal=True, key=f"studies_curve_metric_{project.id}", format_func=lambda name: ui.tr(f"curve_{name}"))
        curve_labels = {"epoch": ui.tr("curve_epoch"), "metric": ui.tr(f"studies_validation_{curve_metric}")}
        st.plotly_chart(ui.local_numbers(study_views.overlaid_curves(study, curve_metric, "validation", curve_labels)), width="stretch")
    if len(study.axes) > 1 and len(finished) > 1:
        st.subheader(ui.tr("studies_parallel"))
        st.plotly_chart(ui.local_numbers(study_views.parallel_coordinates(table, study.axes, [headline, "generalisation_gap" if "generalisation_gap" in columns else metrics[1]], labels)), width="stretch")
    best = finished.sort_values(headline, ascending=not higher_is_better)["run"].tolist()[:6]
    # Compare takes every kind of task this version knows.
    if project.task in kinds.KINDS and len(best) > 1 and st.button(ui.tr("studies_compare", count=len(best)), key="studies_compare"):
        ui.switch_page("compare", runs=",".join(best))


with results_tab:
    all_studies = studies.list_studies()
    if not all_studies:
        st.info(ui.tr("studies_none"))
    else:
        names = {study.id: f"{study.name} · {study.project} · {study.finished}/{study.size}" for study in all_studies}
        if st.session_state.get("studies_selected") not in names:
            st.session_state["studies_selected"] = all_studies[0].id
        selected = st.selectbox(ui.tr("studies_choose"), list(names), format_func=names.get, key="studies_selected")
        active = next(study for study in all_studies if study.id == selected).active
        # Only this part refreshes, and only while runs are still to come.
        ui.fragment(run_every=REFRESH_SECONDS if active else None)(show_study)(selected, active)
