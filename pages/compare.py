"""Compare: 2 to 6 finished runs of one kind of task side by side: metrics and curves, then
the sections of that kind's views (app.kinds): for classifiers the confusion matrices and
one image through all, for generative models their samples, for anomaly detectors their
ROC curves and the same test image through all."""
import streamlit as st

from app import kinds as kind_views
from app import ui
from core import inference, kinds
from core.analysis import compare

st.title(ui.tr("compare_title"))
st.caption(ui.tr("compare_intro"))

counts = inference.finished_kinds(None)  # Counted in the run index: no run is read here.
if sum(counts.values()) < compare.MINIMUM_RUNS:
    st.info(ui.tr("compare_no_runs"))
    st.stop()

# A link can preselect runs: ?runs=id1,id2; the first one found decides the kind of task.
wanted = list(dict.fromkeys(run_id for run_id in (st.query_params.get("runs") or "").split(",") if run_id))
tasks = list(counts)
linked = inference.first_finished_kind(wanted, None)
if linked not in tasks:
    linked = tasks[0]


def forget_choices() -> None:
    """Another kind of task: the runs and curves picked for the last one mean nothing here."""
    for key in ("compare_runs", "compare_curve_metric"):
        st.session_state.pop(key, None)


task = linked
if len(tasks) > 1:
    task = st.radio(ui.tr("compare_task"), tasks, index=tasks.index(linked), format_func=lambda name: ui.tr(kinds.get_kind(name).title), horizontal=True, key="compare_task", on_change=forget_choices)
# The newest runs, and however old: the linked ones, those picked already, the one last opened.
kept = [*wanted, *st.session_state.get("compare_runs", []), st.session_state.get("selected_run")]
choices = inference.finished_choices(None, kept, kind=task)
offered = {run.id: run for run in choices.runs}
not_offered = [run_id for run_id in wanted if run_id not in offered]
if not_offered:
    st.warning(ui.tr("compare_not_offered", runs=", ".join(map(ui.plain, not_offered))))
offered_labels = ui.run_labels(choices.related, with_status=False)  # All finished.
chosen = st.multiselect(
    ui.tr("compare_choose"), list(offered),
    default=[run_id for run_id in wanted if run_id in offered][: compare.MAXIMUM_RUNS],
    format_func=offered_labels.get,
    max_selections=compare.MAXIMUM_RUNS, placeholder=ui.tr("choose_option"), key="compare_runs",
)
ui.more_runs_link(choices, "compare_find")
if len(chosen) < compare.MINIMUM_RUNS:
    st.info(ui.tr("compare_pick"))
    st.stop()
runs = [offered[run_id] for run_id in chosen]
try:
    compare.check_comparable(runs)
except compare.ComparisonError as error:
    st.error(ui.error_text(error))
    st.stop()
names = compare.run_names(runs)


def label(prefix: str, name: str) -> str:
    """A translated column or curve name, the raw name when there is none."""
    return ui.tr(f"{prefix}{name}") if ui.has_text(f"{prefix}{name}") else name


def metrics_section(comparison) -> None:
    st.subheader(ui.tr("compare_metrics"))
    table = compare.metrics_table(runs)
    headers = {column: label("compare_column_", column) for column in table.columns}
    # The grid draws a missing raw value as "None" whatever the Styler says: say "–" here too.
    st.dataframe(compare.styled_table(table, headers, compare.best_directions(runs)), hide_index=True, placeholder="–")
    st.caption(ui.tr("compare_metrics_caption"))


def curves_section(comparison) -> None:
    st.subheader(ui.tr("compare_curves"))
    # The headline curve first: accuracy for a classifier, the loss otherwise.
    metrics = {name: label("curve_", name) for name in sorted(compare.curve_names(runs), key=lambda name: name != "accuracy")}
    splits = {"validation": ui.tr("split_validation"), "train": ui.tr("split_train")}
    left, right = st.columns(2)
    metric = left.radio(ui.tr("compare_curve_metric"), list(metrics), format_func=metrics.get, horizontal=True, key="compare_curve_metric")
    split = right.radio(ui.tr("compare_curve_split"), list(splits), format_func=splits.get, horizontal=True, key="compare_curve_split")
    figure = compare.overlaid_curves(runs, metric, split, {"epoch": ui.tr("curve_epoch"), "value": metrics[metric]})
    st.plotly_chart(ui.local_numbers(figure), key="compare_curves")


views = kind_views.views_for(task)
comparison = kind_views.Comparison(runs, names, "-".join(chosen))
# A damaged file in one run stops only the section that reads it.
for section in (metrics_section, curves_section, *(views.compare_sections if views else ())):
    try:
        section(comparison)
    except (OSError, ValueError, KeyError) as error:
        st.error(ui.tr("compare_unreadable", error=ui.plain(error)))
