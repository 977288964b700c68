"""Telling runs apart: a study's runs named by what varies across them (one function in
core.studies, used by Runs, Compare and the run pickers), distinct colours per run, readable
parallel coordinates and confusion matrices."""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from page_fixtures import edit_run_file, make_run, open_page

from core import studies
from core.analysis import compare
from core.analysis import studies as study_views
from core.runs import store


def make_study_runs(root: Path, values: list[dict], axes: list[str], name: str = "lr study", with_model: bool = False) -> list[str]:
    """Finished fake runs of one study, run i with the hyperparameters `values[i]`."""
    tag = {"id": "study-1", "name": name, "axes": axes, "size": len(values)}
    run_ids = []
    for index, changes in enumerate(values):
        run_id = make_run(root, with_model=with_model)
        params = json.loads((root / run_id / store.PARAMS_FILE).read_text())
        edit_run_file(root, run_id, store.PARAMS_FILE, hyperparameters={**params["hyperparameters"], **changes}, study=tag, created=time.time() + index)
        edit_run_file(root, run_id, store.STATUS_FILE, results={"test_accuracy": 0.43667 + 0.1 * index, "test_loss": 0.5})
        run_ids.append(run_id)
    return run_ids


TWO_BY_TWO = [
    {"learning_rate": 0.01, "batch_size": 32},
    {"learning_rate": 0.001, "batch_size": 32},
    {"learning_rate": 0.01, "batch_size": 64},
    {"learning_rate": 0.001, "batch_size": 64},
]


def test_study_labels_name_each_run_by_what_varies_in_its_study(runs_root):
    run_ids = make_study_runs(runs_root, TWO_BY_TWO, ["learning_rate", "batch_size"])
    outside = make_run(runs_root, with_model=False)
    labels = studies.study_labels(store.list_runs())
    assert labels[run_ids[0]] == "learning_rate=0.01, batch_size=32"  # The study's axes in their order.
    assert labels[run_ids[3]] == "learning_rate=0.001, batch_size=64"
    assert outside not in labels
    assert len({labels[run_id] for run_id in run_ids}) == 4


def test_a_single_run_of_a_study_is_named_by_the_study_axes(runs_root):
    [run_id, _] = make_study_runs(runs_root, TWO_BY_TWO[:2], ["learning_rate"])
    assert studies.study_labels([store.load_run(run_id)]) == {run_id: "learning_rate=0.01"}


def test_compare_names_two_runs_of_a_study_by_their_values(runs_root):
    run_ids = make_study_runs(runs_root, TWO_BY_TWO[:2], ["learning_rate"])
    runs = [store.load_run(run_id) for run_id in run_ids]
    assert compare.run_names(runs) == ["#1 cnn · torch · learning_rate=0.01", "#2 cnn · torch · learning_rate=0.001"]


def test_compare_curves_give_each_run_its_own_hue(runs_root):
    runs = [store.load_run(run_id) for run_id in make_study_runs(runs_root, TWO_BY_TWO, ["learning_rate", "batch_size"])]
    figure = compare.overlaid_curves(runs, "accuracy", "validation")
    colours = [trace.line.color for trace in figure.data]
    assert None not in colours, "without an explicit colour Streamlit's theme draws two blues"
    assert len(set(colours)) == len(runs)


def test_runs_page_and_pickers_tell_a_studys_runs_apart(runs_root):
    run_ids = make_study_runs(runs_root, TWO_BY_TWO[:2], ["learning_rate"], with_model=True)
    app = open_page("runs")
    assert not app.exception
    table = app.dataframe[0].value.set_index("id")
    assert table.loc[run_ids[0], "study"] == "lr study: learning_rate=0.01"
    options = app.selectbox(key="runs_selected").options
    assert any("learning_rate=0.001" in option for option in options)
    compare_page = open_page("compare")
    assert any("learning_rate=0.01" in option for option in compare_page.multiselect(key="compare_runs").options)


def test_parallel_coordinates_round_ticks_and_draw_a_learning_rate_on_a_log_scale(runs_root):
    make_study_runs(runs_root, [{"learning_rate": rate, "batch_size": size} for rate in (0.0001, 0.001, 0.01) for size in (16, 64)], ["learning_rate", "batch_size"])
    [study] = studies.list_studies()
    table = study_views.study_table(study)
    figure = study_views.parallel_coordinates(table, study.axes, ["test_accuracy"], {})
    rate, size, accuracy = figure.data[0].dimensions
    assert list(rate.tickvals) == pytest.approx([-4, -3, -2]) and list(rate.ticktext) == ["0.0001", "0.001", "0.01"]
    assert list(rate.values) == pytest.approx([-4, -4, -3, -3, -2, -2])
    assert list(size.ticktext) == ["16", "64"] and list(size.values) == [16, 64, 16, 64, 16, 64]
    assert accuracy.tickformat == ".3~g"


def test_parallel_coordinates_put_an_l2_of_zero_a_decade_below_the_smallest_weight():
    dimension = study_views.numeric_dimension([0.0, 0.0001, 0.001, 0.01])
    assert dimension["tickvals"] == pytest.approx([-5, -4, -3, -2]) and dimension["ticktext"] == ["0", "0.0001", "0.001", "0.01"]
    linear = study_views.numeric_dimension([0.0, 0.25, 0.5, 0.43667])
    assert linear["values"] == [0.0, 0.25, 0.5, 0.43667] and linear["ticktext"] == ["0", "0.25", "0.437", "0.5"]


@pytest.mark.parametrize("count", [4, 20])
def test_compare_confusion_matrices_grow_with_the_class_count_and_keep_names_whole(runs_root, count):
    run = store.load_run(make_run(runs_root, with_model=False))
    names = [f"class number {index}" for index in range(count)]
    confusion = compare.Confusion(run, np.eye(count, dtype=int), names)
    figure = compare.confusion_figure(confusion, {"predicted": "p", "true": "t", "hover": "%{z}"})
    assert figure.layout.height >= compare.CONFUSION_CELL * min(count, 20) or figure.layout.height == compare.CONFUSION_HEIGHTS[1]
    assert figure.layout.xaxis.automargin and figure.layout.yaxis.automargin
    assert figure.layout.xaxis.tickangle == -45
    small = compare.confusion_figure(compare.Confusion(run, np.eye(4, dtype=int), names[:4]), {"predicted": "p", "true": "t", "hover": "%{z}"})
    assert figure.layout.height >= small.layout.height
