"""Views that would mislead a student: the Projector's pickers name the projection on
screen; the Anomalies page outlines a defect thinly, opens on defective images and moves
its threshold over the scores; warnings on the Run pages of anomaly, generative and
classifier runs."""
from __future__ import annotations

import numpy as np
import pytest
from page_fixtures import PAGES, edit_run_file, make_run, open_page, write_checkpoint

from core.projector import jobs, results, service

MAIN = PAGES.parent / "app" / "main.py"


@pytest.fixture
def run_path(artifacts):
    return artifacts / "runs" / make_run(artifacts / "runs")


def shown_points(app) -> list[str]:
    return [str(metric.value) for metric in app.metric if metric.label == "Points"]


def test_the_projector_picker_names_the_projection_on_screen_after_leaving_the_page(run_path, monkeypatch):
    monkeypatch.setattr(service, "ensure_running", lambda: 0)
    request = results.Request("relu_dense", "tsne", 40, 0)
    jobs.submit(run_path, request, start_service=False)
    assert jobs.run_job(*jobs.take_job()) == "finished"
    app = open_page(MAIN)
    app.switch_page("../pages/projector.py").run()
    app.selectbox(key=f"projector_open_{run_path.name}").set_value(request.key).run()
    assert app.selectbox(key="projector_method").value == "tsne" and shown_points(app) == ["40"]
    app.switch_page("../pages/runs.py").run()
    app.switch_page("../pages/projector.py").run()
    assert not app.exception
    # Back on the page, the t-SNE is still shown and the picker says so: "Compute" would
    # compute that t-SNE again, not a PCA.
    assert app.selectbox(key="projector_method").value == "tsne"
    assert shown_points(app) == ["40"]
    assert not app.warning


# The Anomalies page and an anomaly run's Run page ------------------------------------


def make_anomaly_run(root, scores, defect_types, train_size: int = 40, results: dict | None = None, masks=None) -> str:
    """A finished anomaly run without a model: its checkpoint.json and eval/anomaly.npz of
    16x16 test images with the given scores."""
    from core.kinds.anomaly_detection import SCORES

    run_id = make_run(root, with_model=False)
    path = root / run_id
    edit_run_file(root, run_id, "params.json", project="anomaly", dataset="textures", model="autoencoder")
    write_checkpoint(path, "torch", "autoencoder", None, (16, 16, 3), ["good", "defective"], "textures", preparation="photo", train_size=train_size, task="autoencoder", category="weave", score="l2", grey=False)
    count = len(scores)
    generator = np.random.default_rng(0)
    images = generator.integers(0, 255, size=(count, 16, 16, 3), dtype=np.uint8)
    SCORES.write(
        path, images=images, reconstructions=images, maps=generator.random((count, 16, 16)).astype(np.float16),
        masks=np.zeros((count, 16, 16), np.uint8) if masks is None else masks, defect_types=np.asarray(defect_types),
        scores=np.asarray(scores, np.float32), include=np.ones(count, bool),
    )
    edit_run_file(root, run_id, "status.json", results=results or {"image_auroc": 0.9})
    return run_id


def heatmap_captions(app) -> list[str]:
    return [image.proto.imgs[0].caption for image in app.get("image")]


def test_a_thin_scratch_gets_a_one_pixel_contour_that_leaves_its_heatmap_visible():
    from core.kinds.anomaly_detection import analysis as scoring

    mask = np.zeros((16, 16), np.uint8)
    mask[3:13, 8] = 1  # A scratch one pixel wide.
    error_map = mask.astype(np.float32)
    scored = {"images": np.full((1, 16, 16, 3), 128, np.uint8), "maps": error_map[np.newaxis], "masks": mask[np.newaxis]}
    pixels = scoring.scored_overlay(scored, 0, opacity=1.0, size=160)
    assert pixels.shape == (160, 160, 3)
    green = np.all(pixels == scoring.OUTLINE_COLOUR, axis=-1)
    enlarged = np.repeat(np.repeat(mask, 10, 0), 10, 1).astype(bool)
    # Every pixel of the scratch shows its error (red at the peak), none is painted over.
    assert not green[enlarged].any() and np.all(pixels[enlarged] == [128, 0, 0])
    # The contour hugs the scratch from outside, one pixel thick.
    from scipy import ndimage

    assert green.any() and not (green & ~ndimage.binary_dilation(enlarged)).any()
    assert green[50, 79] and green[50, 90] and not green[50, 78] and not green[50, 91]


def test_the_anomalies_page_opens_on_defective_images_the_highest_score_first(runs_root):
    defect_types = ["good"] * 8 + ["scratch"] * 4 + ["hole"] * 4
    scores = [0.1 + 0.01 * index for index in range(8)] + [0.5, 0.9, 0.6, 0.7, 0.8, 0.55, 0.65, 0.75]
    make_anomaly_run(runs_root, scores, defect_types)
    app = open_page("anomaly")
    assert not app.exception
    inputs = heatmap_captions(app)[::3]
    assert len(inputs) == 6 and not any(caption.endswith("· good") for caption in inputs)
    assert inputs[0] == "test image 9 · scratch"  # Score 0.9, the highest.


def test_the_threshold_slider_moves_over_the_scores_not_their_range(runs_root):
    # Most scores bunched low, one far above: a linear slider would spend 90% of its travel above all but one.
    scores = [0.01 * index for index in range(1, 20)] + [10.0]
    defect_types = ["good"] * 10 + ["scratch"] * 10
    run_id = make_anomaly_run(runs_root, scores, defect_types)
    app = open_page("anomaly")
    slider = app.slider(key=f"anomaly_threshold_{run_id}")
    assert (slider.min, slider.max) == (0.0, 100.0)
    slider.set_value(50.0).run()
    threshold = next(metric.value for metric in app.metric if metric.label == "Threshold")
    assert threshold == f"{np.sort(scores)[10]:.5f}"  # Half way along the 20 sorted scores.
    app.slider(key=f"anomaly_threshold_{run_id}").set_value(0.0).run()
    assert next(metric.value for metric in app.metric if metric.label == "Recall") == "1.000"


def test_an_anomaly_run_page_warns_of_a_score_worse_than_chance_and_of_few_training_images(runs_root):
    weak = make_anomaly_run(runs_root, [0.2, 0.1, 0.4, 0.3], ["good", "good", "scratch", "scratch"], train_size=8, results={"image_auroc": 0.31})
    app = open_page("run", selected_run=weak)
    assert not app.exception
    warnings = " ".join(warning.value for warning in app.warning)
    assert "0.310 is below 0.5, worse than chance" in warnings and "Only 8 good training images (fewer than 20)" in warnings
    french = open_page("run", language="fr", selected_run=weak)
    assert "pire que le hasard" in " ".join(warning.value for warning in french.warning)
    sound = make_anomaly_run(runs_root, [0.1, 0.2, 0.3, 0.4], ["good", "good", "scratch", "scratch"], train_size=40, results={"image_auroc": 0.9})
    app = open_page("run", selected_run=sound)
    assert not any("chance" in warning.value or "training images" in warning.value for warning in app.warning)


def test_an_anomaly_run_page_opens_the_anomalies_page_on_its_run_in_its_language(runs_root):
    older = make_anomaly_run(runs_root, [0.1, 0.2, 0.3, 0.4], ["good", "good", "scratch", "scratch"])
    make_anomaly_run(runs_root, [0.1, 0.2, 0.3, 0.4], ["good", "good", "scratch", "scratch"])
    app = open_page(MAIN, query={"lang": "fr"})
    app.session_state["selected_run"] = older
    app.switch_page("../pages/run.py").run()
    app.button(key="run_open_anomaly").click().run()
    assert not app.exception
    assert app.selectbox(key="anomaly_run").value == older
    assert app.query_params["run"] == [older] or app.query_params["run"] == older
    assert app.title[0].value == "Anomalies" and "lang" in app.query_params


# Generative runs whose code is unused ------------------------------------------------


def test_a_kl_of_about_zero_per_latent_dimension_is_a_posterior_collapse():
    from core.kinds.generation import analysis as generation_views

    records = [{"name": "kl", "split": split, "epoch": epoch, "value": value, "scope": "epoch"} for epoch, value in ((1, 3.0), (2, 0.01)) for split in ("train", "validation")]
    assert generation_views.collapsed_kl({}, records, latent_dim=2) == pytest.approx(0.005)
    assert generation_views.collapsed_kl({"test_kl": 6.0}, records, latent_dim=2) is None  # The test KL counts first.
    assert generation_views.collapsed_kl({}, records[:2], latent_dim=2) is None  # 3 nats over 2 dimensions: used.
    assert generation_views.collapsed_kl({}, [], latent_dim=2) is None


def test_the_run_page_of_a_collapsed_cvae_warns_that_its_code_is_unused(runs_root, one_epoch_cvae_root):
    from generative_fixtures import copy_runs

    from core.runs import store

    copy_runs(one_epoch_cvae_root, runs_root)
    run_id = store.list_runs(runs_root)[0].id
    edit_run_file(runs_root, run_id, "status.json", results={**store.read_status(runs_root / run_id).get("results", {}), "test_kl": 6.0})
    app = open_page("run", selected_run=run_id)
    assert not app.exception and not any("posterior collapse" in warning.value for warning in app.warning)
    edit_run_file(runs_root, run_id, "status.json", results={**store.read_status(runs_root / run_id)["results"], "test_kl": 0.004})
    app.run()
    assert any("0.0020 per latent dimension" in warning.value and "posterior collapse" in warning.value for warning in app.warning)


# Classifier views ----------------------------------------------------------------


def test_a_confusion_matrix_of_many_classes_grows_and_names_every_class_in_full():
    from core.analysis import figures

    labels = {"predicted": "Predicted", "true": "True", "hover": "%{z}"}
    few = figures.confusion_heatmap(np.eye(4, dtype=int), ["a", "b", "c", "d"], labels)
    names = [f"a rather long class name {index}" for index in range(40)]
    many = figures.confusion_heatmap(np.eye(40, dtype=int), names, labels)
    assert many.layout.height > few.layout.height >= 420
    for axis in (many.layout.xaxis, many.layout.yaxis):
        assert list(axis.tickvals) == names and list(axis.ticktext) == names and axis.automargin


def test_an_empty_confusion_cell_and_a_run_without_mistakes_say_so(runs_root):
    from core.kinds.image_classification import PREDICTIONS_FILE

    run_id = make_run(runs_root)
    app = open_page("run", selected_run=run_id)
    evaluation = dict(np.load(runs_root / run_id / "eval" / PREDICTIONS_FILE))
    empty = next((true, predicted) for true in range(10) for predicted in range(10) if true != predicted and not np.any((evaluation["labels"] == true) & (evaluation["predictions"] == predicted)))
    app.selectbox(key=f"run_cell_true_{run_id}").set_value(str(empty[0])).run()
    app.selectbox(key=f"run_cell_predicted_{run_id}").set_value(str(empty[1])).run()
    assert not app.exception
    shown = [element.value for element in [*app.markdown, *app.info]]
    assert not any(text.startswith("0 test images") for text in shown)
    assert f"No test image of class {empty[0]} is predicted as {empty[1]}." in shown

    probabilities = np.eye(10, dtype=np.float32)[evaluation["labels"]]
    np.savez_compressed(runs_root / run_id / "eval" / PREDICTIONS_FILE, **{**evaluation, "predictions": evaluation["labels"], "probabilities": probabilities})
    app = open_page("run", selected_run=run_id)
    assert not app.exception
    assert "Misclassified test images, most confident first" not in [subheader.value for subheader in app.subheader]
    assert any("Every one of the 40 test images is classified right" in success.value for success in app.success)


def test_a_dead_channel_is_named_under_its_blank_tile(runs_root):
    import torch

    from core import inference
    from core.backends import torch_backend

    run_id = make_run(runs_root)
    path = runs_root / run_id
    loaded = inference.load_model(path)
    with torch.no_grad():  # Channel 0 of the first convolution can never fire through its ReLU.
        loaded.model.conv_32.weight[0] = 0.0
        loaded.model.conv_32.bias[0] = -1.0
    torch_backend.save(loaded.model, path / torch_backend.CHECKPOINT_FILE)
    app = open_page("inside", inside_max_count=2, inside_max_layer="relu_32")
    app.button(key="inside_max_button").click().run()
    assert not app.exception
    captions = [picture.caption for picture in app.get("image")[-1].proto.imgs]
    assert captions == ["#0 · dead: never activates", "#1"]
