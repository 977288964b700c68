"""French numbers, stored names and user text in figures (issue 14's remnants): sentences write
0,018 and 9,4 % in French; generated classes and defect types show translated on every page
that names them; a class name holding plotly markup (<a href>, <b>) is escaped in figures."""
from __future__ import annotations

import json

import numpy as np
import pytest
from page_fixtures import edit_run_file, make_run, open_page, write_checkpoint

from core import i18n
from core.analysis import compare, figures
from core.data import generated
from core.runs import store

SHAPES = list(generated.SHAPE_CLASSES)  # circle, square, ... ten classes, like the digits fixture.
EVIL = '<a href="http://evil.example">x</a><b>bold</b>'
LABELS = {"predicted": "p", "true": "t", "hover": "%{z}"}


def texts(app) -> str:
    """The page's sentences, captions and picker options, joined."""
    found = [element.value for kind in ("markdown", "caption", "warning", "info", "success", "error") for element in getattr(app, kind)]
    found += [image.proto.imgs[0].caption for image in app.get("image") if image.proto.imgs]
    found += [option for box in app.selectbox for option in box.options]
    return "\n".join(str(text) for text in found)


def metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def plotly_specs(app) -> list[str]:
    return [chart.proto.spec for chart in app.get("plotly_chart")]


def heatmap_spec(app) -> dict:
    """The page's first figure holding a heatmap (the confusion matrix), as JSON."""
    figures_ = [json.loads(spec) for spec in plotly_specs(app)]
    return next(figure for figure in figures_ if any(trace.get("type") == "heatmap" for trace in figure["data"]))


def shape_run(root, class_names=SHAPES) -> str:
    """The digits fixture run (torch model, 40 test images) with other class names."""
    run_id = make_run(root)
    edit_run_file(root, run_id, "checkpoint.json", class_names=list(class_names))
    return run_id


# Numbers in sentences -------------------------------------------------------------


def test_every_sentence_writes_its_numbers_as_the_language_does():
    assert "2,303 ; deviner parmi 10 classes donne 2,303" in i18n.t("run_warning_not_learning", "fr", loss=2.3026, chance=2.302585, classes=10)
    assert "(2.303; guessing among 10 classes" in i18n.t("run_warning_not_learning", "en", loss=2.3026, chance=2.302585, classes=10)
    collapse = i18n.t("generate_collapse_warning", "fr", kl=0.0178, threshold=0.01)
    assert "0,0178 par dimension" in collapse and "(sous 0,01)" in collapse
    assert "94,3\u00a0% sur les images d'entraînement" in i18n.t("diagnosis_good", "fr", train=0.943, test=0.9)
    assert "score 0,53417" in i18n.t("anomaly_heatmap", "fr", score=np.float32(0.534171))  # numpy numbers too
    assert "score 0.53417" in i18n.t("anomaly_heatmap", "en", score=np.float32(0.534171))
    assert i18n.t("run_mistake_caption", "fr", true="a", predicted="b", confidence=0.25) == "a → b (25\u00a0%)"
    assert i18n.t("hyperparameter_error_range", "fr", field="f", range="r", value="1.5") == "f : attendu r, reçu 1.5"  # Text stays text.


def test_the_not_learning_warning_is_written_in_french_from_the_stored_numbers(runs_root):
    run_id = make_run(runs_root, with_model=False)
    store.write_status(runs_root / run_id, learning={"key": "run_warning_not_learning", "values": {"loss": 2.3026, "chance": 2.3026, "classes": 10}})
    app = open_page("run", "fr", query={"run": run_id})
    assert not app.exception
    warning = next(warning.value for warning in app.warning if warning.value.startswith("La perte"))
    assert "(2,303 ; deviner parmi 10 classes donne 2,303)" in warning


def test_the_generalisation_sentence_is_in_french_numbers(runs_root):
    run_id = make_run(runs_root)  # 80% on the training images, 90% on the test images.
    app = open_page("run", "fr", selected_run=run_id)
    assert not app.exception
    sentence = next(info.value for info in app.info if info.value.startswith("Bonne généralisation"))
    assert "80,0\u00a0% sur les images d'entraînement, 90,0\u00a0% sur les images de test" in sentence


def test_the_convolution_sums_are_in_french_numbers(runs_root):
    app = open_page("convolution", "fr")
    assert not app.exception
    total = app.success[0].value
    assert total.startswith("Leur somme") and "," in total.split("=")[-1] and "." not in total.split("=")[-1]
    products = app.dataframe[-1].value.astype(str).values.ravel()
    assert all("." not in cell and "×" in cell for cell in products)
    assert "," in products[0]


def test_the_cvae_collapse_warning_is_in_french_numbers(runs_root, one_epoch_cvae_root):
    from generative_fixtures import copy_runs

    from core.kinds.generation import analysis as generation_views

    copy_runs(one_epoch_cvae_root, runs_root)
    run_id = store.list_runs(runs_root)[0].id
    edit_run_file(runs_root, run_id, "status.json", results={**store.read_status(runs_root / run_id)["results"], "test_kl": 0.004})
    for page in ("run", "generate"):
        app = open_page(page, "fr", selected_run=run_id)
        assert not app.exception, page
        warning = next(warning.value for warning in app.warning if "effondrement" in warning.value)
        threshold = i18n.number_text(generation_views.COLLAPSED_KL_PER_DIMENSION, "fr")
        assert "," in threshold and f"0,0020 par dimension latente (sous {threshold})" in warning, page


# The Anomalies page: numbers, defect names, the counts that fit ----------------------


def make_anomaly_run(root, scores, defect_types) -> str:
    """A finished anomaly run without a model: its eval/anomaly.npz of 16x16 test images."""
    from core.kinds.anomaly_detection import SCORES

    run_id = make_run(root, with_model=False)
    path = root / run_id
    edit_run_file(root, run_id, "params.json", project="anomaly", dataset="textures", model="autoencoder")
    write_checkpoint(path, "torch", "autoencoder", None, (16, 16, 3), ["good", "defective"], "textures", preparation="photo", train_size=40, task="autoencoder", category="weave", score="l2", grey=False)
    count = len(scores)
    generator = np.random.default_rng(0)
    images = generator.integers(0, 255, size=(count, 16, 16, 3), dtype=np.uint8)
    SCORES.write(
        path, images=images, reconstructions=images, maps=generator.random((count, 16, 16)).astype(np.float16),
        masks=np.zeros((count, 16, 16), np.uint8), defect_types=np.asarray(defect_types),
        scores=np.asarray(scores, np.float32), include=np.ones(count, bool),
    )
    edit_run_file(root, run_id, "status.json", results={"image_auroc": 0.875})
    return run_id


def test_the_anomalies_page_in_french_names_defects_and_writes_numbers_in_french(runs_root):
    defect_types = ["good"] * 8 + ["scratch"] * 4 + ["hole"] * 4
    scores = [0.1 + 0.01 * index for index in range(8)] + [0.5, 0.9, 0.6, 0.7, 0.8, 0.55, 0.65, 0.75]
    run_id = make_anomaly_run(runs_root, scores, defect_types)
    app = open_page("anomaly", "fr")
    assert not app.exception
    shown = texts(app)
    assert "image de test 9 · rayure" in shown and "· scratch" not in shown
    assert "erreur (score 0,90000)" in shown and "0.9" not in shown
    assert {"rayure", "trou"} <= set(app.selectbox(key=f"anomaly_kind_{run_id}").options)
    counts = metrics(app)
    # Two short metrics, not "16 (8 défectueuses)" clipped in one.
    assert counts["Images de test"] == "16" and counts["Défectueuses"] == "8"
    assert counts["AUROC image"] == "0,875"
    assert all(len(value) <= 8 for value in counts.values())
    roc = next(spec for spec in plotly_specs(app) if "AUROC" in spec)
    names = [trace.get("name") for trace in json.loads(roc)["data"]]
    assert "rayure (AUROC 1,000)" in names and not any("scratch" in str(name) for name in names)


def test_the_home_preview_of_an_anomaly_set_names_its_parts_in_french(runs_root):
    app = open_page("home", "fr")
    app.selectbox(key="home_project").set_value("anomaly").run()
    assert not app.exception
    shown = texts(app)
    assert "sans défaut (entraînement)" in shown and "(test)" in shown
    assert "good (train)" not in shown and "scratch (test)" not in shown


# Stored names on the classifier pages ------------------------------------------------


def test_the_run_page_names_generated_classes_in_french(runs_root):
    run_id = shape_run(runs_root)
    app = open_page("run", "fr", selected_run=run_id)
    assert not app.exception
    true_picker = app.selectbox(key=f"run_cell_true_{run_id}")
    assert true_picker.options == [i18n.name_text(name, "fr") for name in SHAPES]
    assert "cercle" in true_picker.options and "horizontal stripes" not in texts(app)
    # The last epoch's losses and accuracies, as the test metrics, with a decimal comma.
    values = metrics(app)
    assert values and all("," in value and "." not in value for value in values.values()), values
    spec = heatmap_spec(app)
    assert "rayures horizontales" in spec["layout"]["xaxis"]["ticktext"] and "horizontal stripes" not in json.dumps(spec)
    captions = [image.proto.imgs[0].caption for image in app.get("image") if image.proto.imgs and "→" in image.proto.imgs[0].caption]
    assert captions and all(name not in caption for caption in captions for name in ("circle", "square", "star"))


def test_the_enrich_page_names_classes_and_variants_in_french(runs_root):
    from core import enrichment

    run_id = shape_run(runs_root)
    enrichment.add_image(enrichment.set_folder(run_id), 0, np.linspace(0, 1, 64, dtype=np.float32).reshape(8, 8, 1))
    app = open_page("enrich", "fr", selected_run=run_id, enrich_run=run_id)
    assert not app.exception, app.exception
    assert app.selectbox(key="enrich_class").options[:2] == ["cercle", "carré"]
    shown = texts(app)
    assert "1. cercle" in shown and "miroir" in shown and "originale" in shown
    assert "flip" not in shown and "rotate" not in shown and "circle" not in shown


def test_the_explain_and_predict_pages_name_generated_classes_in_french(runs_root):
    run_id = shape_run(runs_root)
    explain = open_page("explain", "fr", selected_run=run_id, explain_class_choice="any")
    assert not explain.exception
    assert explain.selectbox(key="explain_class").options[0] == "cercle"
    captions = [image.proto.imgs[0].caption for image in explain.get("image") if image.proto.imgs]
    assert any("carte pour cercle" in caption for caption in captions)
    predict = open_page("predict", "fr", selected_run=run_id, predict_source="test")
    assert not predict.exception
    shown = texts(predict) + "".join(plotly_specs(predict))
    assert "Vraie classe :" in shown and not any(name in shown for name in ("circle", "square", "triangle\"", "crescent"))


def test_compare_confusion_matrices_show_names_as_the_page_gives_them(runs_root):
    run = store.load_run(make_run(runs_root, with_model=False))
    confusion = compare.Confusion(run, np.eye(2, dtype=int), ["circle", "square"])
    figure = compare.confusion_figure(confusion, LABELS, ["cercle", "carré"])
    assert list(figure.layout.xaxis.ticktext) == ["cercle", "carré"] and list(figure.data[0].x) == ["cercle", "carré"]
    with pytest.raises(ValueError):
        compare.confusion_figure(confusion, LABELS, ["cercle"])


# User text in plotly figures ----------------------------------------------------------


def assert_escaped(figure) -> None:
    shown = figure.to_json()
    assert "<a href" not in shown and "<b>bold" not in shown, shown[:400]
    assert "&lt;a href=\\\"http://evil.example\\\"&gt;x&lt;/a&gt;&lt;b&gt;bold&lt;/b&gt;" in shown or "&lt;a href=" in shown


def test_plotly_text_escapes_what_plotly_reads_as_markup():
    assert figures.plotly_text(EVIL) == '&lt;a href="http://evil.example"&gt;x&lt;/a&gt;&lt;b&gt;bold&lt;/b&gt;'
    assert figures.plotly_text("R&D 7") == "R&amp;D 7" and figures.plotly_text("cercle") == "cercle"


def test_a_class_name_with_markup_is_escaped_in_every_figure(runs_root):
    from core.analysis import studies as study_views
    from core.kinds.anomaly_detection import analysis as scoring

    names = [EVIL, "b"]
    assert_escaped(figures.confusion_heatmap(np.eye(2, dtype=int), names, LABELS))
    run = store.load_run(make_run(runs_root, with_model=False))
    assert_escaped(compare.confusion_figure(compare.Confusion(run, np.eye(2, dtype=int), names), LABELS))
    assert_escaped(compare.difference_heatmap(np.zeros((2, 2)), names, LABELS))
    assert_escaped(figures.probability_bars([(EVIL, 0.7), ("b", 0.3)], "p"))
    curve = (np.array([0.0, 1.0]), np.array([0.0, 1.0]), 0.5)
    assert_escaped(scoring.roc_figure({EVIL: curve}, {"false_positive_rate": "f", "true_positive_rate": "t", "chance": "c"}))
    other = store.load_run(make_run(runs_root, with_model=False))
    assert_escaped(compare.overlaid_curves([run, other], "loss", "validation", names=[EVIL, "b"]))
    import pandas

    table = pandas.DataFrame({"category": [EVIL, "b"], "seed": [0, 1], "test_accuracy": [0.5, 0.6]})
    assert_escaped(study_views.metric_by_axis(table, ["category", "seed"], "test_accuracy", {"metric": "m"}))
    assert_escaped(study_views.parallel_coordinates(table, ["category"], ["test_accuracy"], {}))


def test_the_run_page_escapes_a_class_name_from_a_folder_in_its_confusion_matrix(runs_root):
    run_id = shape_run(runs_root, [EVIL, *SHAPES[1:]])
    app = open_page("run", "fr", selected_run=run_id)
    assert not app.exception
    heatmap = json.dumps(heatmap_spec(app))
    assert "<a href" not in heatmap and "&lt;a href=" in heatmap
    # The picker shows the name as the user gave it (Streamlit shows it as text).
    assert app.selectbox(key=f"run_cell_true_{run_id}").options[0] == EVIL


def test_a_click_on_a_confusion_cell_is_read_by_its_index():
    assert figures.clicked_cell({"curve_number": 1, "point_index": 7, "x": "&lt;b&gt;", "y": "b"}, 3) == (2, 1)
    assert figures.clicked_cell({"curve_number": 0, "point_index": 1}, 3) is None
    assert figures.clicked_cell({"curve_number": 1, "point_index": 9}, 3) is None


# Plotly's own numbers (ticks, hover, cell texts) ------------------------------------


def test_every_plotly_chart_writes_its_own_numbers_as_the_language_does():
    """Every figure a page draws goes through ui.local_numbers, which gives French plotly's
    decimal comma; a new chart that forgets it fails here."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    calls = [(path.name, line) for folder in ("app", "pages") for path in sorted((root / folder).rglob("*.py")) for line in re.findall(r"plotly_chart\(\s*([^\n]*)", path.read_text())]
    assert len(calls) >= 10
    assert [call for call in calls if not call[1].startswith("ui.local_numbers(")] == []


def test_a_figure_gets_the_decimal_comma_in_french_only(runs_root):
    run_id = make_run(runs_root)
    specs = {language: plotly_specs(open_page("run", language, selected_run=run_id)) for language in ("en", "fr")}
    assert specs["fr"] and all('"separators":",\\u202f"' in spec or '"separators":",\u202f"' in spec for spec in specs["fr"])
    assert specs["en"] and not any('"separators"' in spec for spec in specs["en"])
