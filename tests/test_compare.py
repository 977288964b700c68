"""The Compare page and core.analysis.compare, on fixture run folders."""
from __future__ import annotations

import dataclasses
import io
import json
import re

import numpy as np
import pytest
from page_fixtures import (
    CLASS_NAMES,
    drop_run_fields,
    edit_run_file,
    make_run,
    open_page,
    write_checkpoint,
)
from PIL import Image, ImageDraw
from streamlit.testing.v1 import AppTest

from core import images, inference, projects
from core.analysis import compare, figures
from core.kinds.image_classification import PREDICTIONS_FILE
from core.runs import store
from core.training import CHECKPOINT_DESCRIPTION

OTHER_CLASSES = ["cat", "dog", "car", "ship", "frog", "horse", "bird", "deer", "plane", "truck"]


@pytest.fixture
def other_task(monkeypatch):
    """A project id whose task is not image classification."""
    fake = dataclasses.replace(projects.get_project("digits"), id="boxes", task="object_detection")
    monkeypatch.setitem(projects.PROJECTS, "boxes", fake)
    return "boxes"


def load(root, *run_ids) -> list[store.RunSummary]:
    return [store.load_run(run_id, root) for run_id in run_ids]


def png_of_a_stroke() -> bytes:
    image = Image.new("L", (120, 160), 255)
    ImageDraw.Draw(image).line([(60, 20), (60, 140)], fill=0, width=14)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def rebuild_for_input(root, run_id: str, size: int) -> None:
    """Give a fixture run an (untrained) model that takes size×size images."""
    from core.backends import torch_backend
    from core.projects.digits import DigitsParameters

    model = torch_backend.build("cnn", (size, size, 1), 10, DigitsParameters(epochs=1))
    torch_backend.save(model, root / run_id / torch_backend.CHECKPOINT_FILE)
    write_checkpoint(root / run_id, "torch", "cnn", model, (size, size, 1), CLASS_NAMES, "digits")


# check_comparable


def test_two_finished_runs_of_one_task_are_comparable(runs_root):
    compare.check_comparable(load(runs_root, make_run(runs_root, with_model=False), make_run(runs_root, with_model=False)))


@pytest.mark.parametrize("count", [0, 1, 7])
def test_too_few_or_too_many_runs_are_refused(runs_root, count):
    run = load(runs_root, make_run(runs_root, with_model=False))[0]
    with pytest.raises(compare.ComparisonError, match=f"Compare 2 to 6 runs; {count} picked") as caught:
        compare.check_comparable([run] * count)
    assert caught.value.key == "compare_error_count"


def test_an_unfinished_run_is_refused_and_named(runs_root):
    finished = make_run(runs_root, with_model=False)
    failed = make_run(runs_root, state="failed", with_model=False)
    with pytest.raises(ValueError, match=f"Only finished runs can be compared: {failed} \\(failed\\)"):
        compare.check_comparable(load(runs_root, finished, failed))


def test_runs_of_different_tasks_are_refused_with_their_tasks(runs_root, other_task):
    digits = make_run(runs_root, with_model=False)
    boxes = make_run(runs_root, with_model=False)
    edit_run_file(runs_root, boxes, store.PARAMS_FILE, project=other_task)
    with pytest.raises(compare.ComparisonError) as caught:
        compare.check_comparable(load(runs_root, digits, boxes))
    assert caught.value.key == "compare_error_tasks"
    assert f"{digits} (image_classification)" in str(caught.value)
    assert f"{boxes} (object_detection)" in str(caught.value)


def test_a_run_of_an_unknown_project_is_refused(runs_root):
    known = make_run(runs_root, with_model=False)
    gone = make_run(runs_root, with_model=False)
    edit_run_file(runs_root, gone, store.PARAMS_FILE, project="retired")
    with pytest.raises(compare.ComparisonError, match=f"does not know: {gone} \\(retired\\)"):
        compare.check_comparable(load(runs_root, known, gone))


# metrics_table and styled_table


@pytest.fixture
def two_runs(runs_root):
    """Two finished runs with models: the second trained longer, faster to a lower loss,
    with a larger learning rate, and recorded its cost; the first is an older run
    without parameter count, training size, peak memory or end time."""
    first = make_run(runs_root, epochs=3)
    drop_run_fields(runs_root, first, CHECKPOINT_DESCRIPTION, "parameter_count", "train_size")
    second = make_run(runs_root, epochs=5)
    params = json.loads((runs_root / second / store.PARAMS_FILE).read_text())
    edit_run_file(runs_root, second, store.PARAMS_FILE, hyperparameters={**params["hyperparameters"], "learning_rate": 0.01})
    edit_run_file(runs_root, second, store.STATUS_FILE, started=1000.0, finished=1042.5, peak_memory_mb=512.0,
                  results={"test_accuracy": 0.95, "test_loss": 0.2, "test_macro_f1": 0.94, "test_top_3_accuracy": 0.99})
    edit_run_file(runs_root, second, CHECKPOINT_DESCRIPTION, parameter_count=1234, train_size=1293)
    return first, second


def test_metrics_table_has_one_row_per_run_and_the_differing_hyperparameters(runs_root, two_runs):
    table = compare.metrics_table(load(runs_root, *two_runs))
    # The project's results first, then the others the runs recorded.
    results = ["test_accuracy", "test_loss", "test_macro_f1", "test_top_3_accuracy"]
    assert list(table.columns) == [*compare.IDENTITY_COLUMNS, *results, *compare.COST_COLUMNS, "epochs", "learning_rate"]
    assert list(table["run"]) == list(two_runs)
    # Named by what differs between them (tests/test_run_labels.py).
    assert list(table["label"]) == ["#1 cnn · torch · epochs=3, learning_rate=0.001", "#2 cnn · torch · epochs=5, learning_rate=0.01"]
    assert list(table["test_accuracy"]) == [0.9, 0.95]
    assert list(table["learning_rate"]) == [0.001, 0.01]
    assert list(table["epochs_trained"]) == [3, 5]
    second = table.iloc[1]
    assert (second["training_seconds"], second["parameters"], second["train_size"], second["peak_memory_mb"]) == (42.5, 1234, 1293, 512.0)
    first = table.iloc[0]
    assert first[["training_seconds", "parameters", "train_size", "peak_memory_mb", "test_macro_f1"]].isna().all()


def test_styled_table_highlights_the_best_of_each_metric_and_dashes_missing_values(runs_root, two_runs):
    second = json.loads((runs_root / two_runs[1] / store.STATUS_FILE).read_text())
    edit_run_file(runs_root, two_runs[0], store.STATUS_FILE, finished=second["started"] + 10.0, started=second["started"])
    runs = load(runs_root, *two_runs)
    table = compare.metrics_table(runs)
    html = compare.styled_table(table, {"test_accuracy": "test accuracy"}, compare.best_directions(runs)).to_html()
    style = html.split("</style>")[0]
    highlighted = {(int(row), table.columns[int(column)]) for row, column in re.findall(r"_row(\d+)_col(\d+)", style)}
    # Higher accuracy and lower loss win for the second run; the first trained faster.
    assert (1, "test_accuracy") in highlighted and (0, "test_accuracy") not in highlighted
    assert (1, "test_loss") in highlighted and (1, "training_seconds") not in highlighted
    assert (0, "training_seconds") in highlighted
    assert (1, "test_macro_f1") not in highlighted  # Only the second run recorded it.
    assert not any(column in ("learning_rate", "label", "epochs_trained") for _, column in highlighted)
    assert "test accuracy" in html and "–" in html and "1,234" in html


# curves


def test_overlaid_curves_draw_one_line_per_run(runs_root, two_runs):
    runs = load(runs_root, *two_runs)
    figure = compare.overlaid_curves(runs)
    assert [trace.name for trace in figure.data] == compare.run_names(runs)
    assert list(figure.data[1].x) == [1, 2, 3, 4, 5]
    assert list(figure.data[0].y) == pytest.approx([0.55, 0.65, 0.75])  # validation accuracy
    train_loss = compare.overlaid_curves(runs, "loss", "train", {"epoch": "époque", "value": "Perte"})
    assert list(train_loss.data[0].y) == pytest.approx([1.0, 0.5, 1 / 3])  # epoch points, not the running batch line
    assert train_loss.layout.xaxis.title.text == "époque"
    with pytest.raises(ValueError, match="loss or accuracy"):
        compare.overlaid_curves(runs, "f1", "validation")


# confusion


def write_predictions(root, run_id: str, predictions: np.ndarray) -> None:
    path = root / run_id / store.EVAL_DIR / PREDICTIONS_FILE
    evaluation = inference.load_predictions(root / run_id)
    np.savez_compressed(path, **{**evaluation, "predictions": predictions})


def test_confusion_matrices_and_their_row_normalised_difference(runs_root, two_runs):
    runs = load(runs_root, *two_runs)
    labels = np.arange(40) % 10
    write_predictions(runs_root, two_runs[0], np.zeros(40, dtype=int))  # A always answers 0
    write_predictions(runs_root, two_runs[1], labels)  # B is always right
    first, second = compare.confusion_matrices(runs)
    assert first.class_names == CLASS_NAMES and first.matrix.sum() == 40
    assert (first.matrix[:, 0] == 4).all() and np.array_equal(second.matrix, 4 * np.eye(10, dtype=int))
    difference = compare.confusion_difference(first, second)
    expected = np.eye(10)
    expected[:, 0] -= 1.0
    assert np.allclose(difference, expected)
    assert np.allclose(difference.sum(axis=1), 0.0)
    assert np.allclose(compare.confusion_difference(second, second), 0.0)


def test_confusion_difference_refuses_runs_with_other_classes(runs_root, two_runs):
    edit_run_file(runs_root, two_runs[1], CHECKPOINT_DESCRIPTION, class_names=OTHER_CLASSES)
    first, second = compare.confusion_matrices(load(runs_root, *two_runs))
    assert second.class_names == OTHER_CLASSES
    with pytest.raises(compare.ComparisonError, match="cannot be subtracted") as caught:
        compare.confusion_difference(first, second)
    assert caught.value.key == "compare_error_classes"


def test_difference_heatmap_is_centred_on_zero():
    difference = np.array([[0.5, -0.5], [-0.2, 0.2]])
    figure = compare.difference_heatmap(difference, ["a", "b"], {"predicted": "p", "true": "t", "hover": "%{z}"})
    heatmap = figure.data[0]
    assert heatmap.zmid == 0 and heatmap.zmin == -0.5 and heatmap.zmax == 0.5
    assert heatmap.colorscale[0][1] != heatmap.colorscale[-1][1]  # Two colours, white between.


# one image through every model


def test_same_inputs_needs_the_same_classes_and_input_shape(runs_root, two_runs):
    assert compare.same_inputs(load(runs_root, *two_runs))
    edit_run_file(runs_root, two_runs[1], CHECKPOINT_DESCRIPTION, input_shape=[16, 16, 1])
    assert not compare.same_inputs(load(runs_root, *two_runs))
    edit_run_file(runs_root, two_runs[1], CHECKPOINT_DESCRIPTION, input_shape=[8, 8, 1], class_names=OTHER_CLASSES)
    assert not compare.same_inputs(load(runs_root, *two_runs))


def test_an_upload_is_prepared_for_each_model_input(runs_root, two_runs):
    rebuild_for_input(runs_root, two_runs[1], 16)
    runs = load(runs_root, *two_runs)
    loaded = []

    def load_model(run):
        loaded.append(run.id)
        return inference.load_model(run.path)

    predictions = compare.predict_everywhere(png_of_a_stroke(), runs, load_model=load_model)
    assert loaded == list(two_runs)
    assert [prediction.run.id for prediction in predictions] == list(two_runs)
    assert [prediction.prepared.pixels.shape for prediction in predictions] == [(8, 8, 1), (16, 16, 1)]
    for prediction in predictions:
        assert prediction.probabilities.shape == (10,) and prediction.probabilities.sum() == pytest.approx(1.0, abs=1e-4)
        assert prediction.class_names == CLASS_NAMES


def test_a_test_image_goes_through_every_model_as_it_is(runs_root, two_runs):
    runs = load(runs_root, *two_runs)
    evaluation = inference.load_predictions(runs[0].path)
    test_images, labels, class_names = evaluation["images"], evaluation["labels"], inference.read_description(runs[0].path)["class_names"]
    assert test_images.shape == (40, 8, 8, 1) and test_images.dtype == np.uint8 and class_names[labels[3]] == "3"
    prepared = compare.evaluation_input(test_images[3])
    predictions = compare.predict_everywhere(prepared, runs)
    assert all(prediction.prepared is prepared for prediction in predictions)
    assert np.allclose(prepared.pixels * 255, test_images[3])


def test_an_unreadable_upload_raises_image_error(runs_root, two_runs):
    with pytest.raises(images.ImageError) as caught:
        compare.predict_everywhere(b"this is not an image", load(runs_root, *two_runs))
    assert caught.value.key == "image_error_not_image"


def test_probability_bars_highlight_the_predicted_class(runs_root, two_runs):
    prediction = compare.predict_everywhere(png_of_a_stroke(), load(runs_root, *two_runs))[0]
    top = inference.top_classes(prediction.probabilities, prediction.class_names, 5)
    bars = figures.probability_bars(top, "probability").data[0]
    assert len(bars.y) == 5
    assert bars.y[-1] == CLASS_NAMES[int(prediction.probabilities.argmax())]  # Drawn at the top.
    assert list(bars.marker.color) == [figures.OTHER_COLOUR] * 4 + [figures.PREDICTED_COLOUR]


# the page


def compare_page(language: str = "en", runs: list[str] | None = None) -> AppTest:
    return open_page("compare", language, None if runs is None else {"runs": ",".join(runs)})


def texts(app: AppTest) -> str:
    return "\n".join(str(element.value) for kind in ("subheader", "markdown", "caption", "info", "warning", "error") for element in getattr(app, kind))


def chart_keys(app: AppTest) -> set[str]:
    return {chart.key for chart in app.get("plotly_chart")}


def answers(app: AppTest) -> list[str]:
    return [markdown.value for markdown in app.markdown if markdown.value.startswith("**#")]


def test_page_without_finished_runs_says_so(runs_root):
    make_run(runs_root, state="failed", with_model=False)
    app = compare_page()
    assert not app.exception
    assert "Fewer than two finished runs" in app.info[0].value


def test_page_with_no_run_picked_asks_for_two(runs_root, two_runs):
    app = compare_page("fr")
    assert not app.exception
    assert app.multiselect(key="compare_runs").value == []
    assert "au moins deux" in app.info[0].value
    assert not app.get("plotly_chart")


def test_page_compares_two_runs(runs_root, two_runs):
    app = compare_page()
    app.multiselect(key="compare_runs").set_value(list(two_runs)).run()
    assert not app.exception
    assert not app.error
    table = app.dataframe[0].value
    assert len(table) == 2 and list(table["id"]) == list(two_runs)
    assert "test accuracy" in table.columns and "learning_rate" in table.columns
    # Curves, one confusion matrix per run, their difference, and test image 0 through each model.
    assert chart_keys(app) == {"compare_curves", "compare_difference", *(f"compare_{part}_{run_id}" for part in ("confusion", "bars") for run_id in two_runs)}
    assert "Difference between two runs" in texts(app)
    app.radio(key="compare_curve_metric").set_value("loss").run()
    assert not app.exception


def test_page_preselects_runs_from_the_link_and_names_the_others(runs_root, two_runs):
    app = compare_page(runs=[two_runs[1], "20000101-000000-gone00", two_runs[0]])
    assert not app.exception
    assert app.multiselect(key="compare_runs").value == [two_runs[1], two_runs[0]]
    assert "20000101-000000-gone00" in app.warning[0].value
    assert list(app.dataframe[0].value["id"]) == [two_runs[1], two_runs[0]]


@pytest.mark.parametrize("language,expected", [("en", "of another kind of task"), ("fr", "d'un autre type de tâche")])
def test_page_does_not_offer_runs_of_another_task(runs_root, other_task, language, expected):
    digits, _ = make_run(runs_root), make_run(runs_root)
    boxes = make_run(runs_root)
    edit_run_file(runs_root, boxes, store.PARAMS_FILE, project=other_task)
    app = compare_page(language, runs=[digits, boxes])
    assert not app.exception
    assert expected in app.warning[0].value and boxes in app.warning[0].value
    assert app.multiselect(key="compare_runs").value == [digits]
    assert len(app.multiselect(key="compare_runs").options) == 2  # The two classifiers only.
    assert not app.dataframe


def test_page_with_other_classes_offers_upload_only_and_no_difference(runs_root, two_runs):
    edit_run_file(runs_root, two_runs[1], CHECKPOINT_DESCRIPTION, class_names=OTHER_CLASSES)
    app = compare_page(runs=list(two_runs))
    assert not app.exception
    assert "cannot be subtracted" in app.warning[0].value
    assert "upload one" in texts(app)
    assert "compare_source" not in {radio.key for radio in app.radio}
    assert chart_keys(app) == {"compare_curves", *(f"compare_confusion_{run_id}" for run_id in two_runs)}


def test_page_refuses_a_bad_upload_with_a_message(runs_root, two_runs):
    app = compare_page(runs=list(two_runs))
    app.radio(key="compare_source").set_value("upload").run()
    app.file_uploader(key="compare_upload").upload("notes.txt", b"this is not an image")
    app.run()
    assert not app.exception
    assert "not an image" in app.error[0].value
    assert answers(app) == []


def test_page_puts_one_upload_through_every_model(runs_root, two_runs):
    rebuild_for_input(runs_root, two_runs[1], 16)
    app = compare_page(runs=list(two_runs))
    # Different input sizes: no shared test image, the upload is the only source.
    assert "compare_source" not in {radio.key for radio in app.radio}
    app.file_uploader(key="compare_upload").upload("stroke.png", png_of_a_stroke())
    app.run()
    assert not app.exception
    assert not app.error
    assert [answer.split("**")[1] for answer in answers(app)] == compare.run_names(load(runs_root, *two_runs))
    # Each model: the input as it sees it, then its GradCAM++ map at that size.
    captions = [image.captions[0] for image in app.get("image")]
    assert captions[0::2] == ["What the model sees (8×8×1)", "What the model sees (16×16×1)"]
    assert all(caption.startswith("GradCAM++ for ") for caption in captions[1::2]) and len(captions) == 4


def test_page_puts_a_test_image_through_every_model(runs_root, two_runs):
    app = compare_page(runs=list(two_runs))
    assert app.radio(key="compare_source").value == "test"
    app.number_input(key="compare_test_index").set_value(3).run()
    assert not app.exception
    assert "True class: 3" in texts(app)
    assert len(answers(app)) == 2
