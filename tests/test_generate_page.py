"""The Generate page, the Run page of a generative run, and the classifier pages that must
not offer one (AppTest on runs trained for real on the digits)."""
from __future__ import annotations

from pathlib import Path

import page_fixtures
import pytest
from core_fixtures import run_cli
from generative_fixtures import copy_runs, make_generative_run
from page_fixtures import PAGES, TIMEOUT, make_run
from streamlit.testing.v1 import AppTest
from test_pages import texts

from core.runs import store

GENERATE = str(PAGES / "generate.py")


@pytest.fixture(scope="module")
def generative_root(tmp_path_factory) -> Path:
    """One CVAE (2-D code) and one VAE (3-D code), trained once for the module."""
    root = tmp_path_factory.mktemp("generative") / "artifacts" / "runs"
    root.mkdir(parents=True)
    make_generative_run(root, "vae", epochs=2, latent_dim=3)
    make_generative_run(root, "cvae", epochs=3)
    return root


@pytest.fixture
def runs_root(runs_root, generative_root) -> Path:
    """The shared runs_root (conftest.py) holding a copy of the module's trained runs."""
    return copy_runs(generative_root, runs_root)


def run_ids(root: Path) -> dict[str, str]:
    """model name -> run id."""
    return {run.model: run.id for run in store.list_runs(root)}


def open_page(path: str, run_id: str | None = None) -> AppTest:
    return page_fixtures.open_page(path, **({"selected_run": run_id} if run_id else {}))


def metric_labels(app: AppTest) -> list[str]:
    return [metric.label for metric in app.metric]


def image_urls(app: AppTest) -> list[str]:
    return [image.proto.imgs[0].url for image in app.get("image")]


def test_the_cvae_page_shows_every_view_without_an_exception(runs_root):
    app = open_page(GENERATE, run_ids(runs_root)["cvae"])
    assert not app.exception
    assert [tab.label for tab in app.tabs] == ["Samples per class", "Latent space", "Traversal", "Interpolation", "By hand"]
    assert "Conditional accuracy" in metric_labels(app) and "cvae · 2-D" in [metric.value for metric in app.metric]
    # Samples: one picture per class row, then the traversal, the interpolation (two test
    # images, the path, the path between classes) and the hand-made image.
    assert len(app.get("image")) == 10 + 1 + 4 + 1
    assert len(app.get("vega_lite_chart")) == 1  # The 2-D latent space, drawn directly.
    assert "Rows: z0 from -2.5 to +2.5; columns: z1." in [image.proto.imgs[0].caption for image in app.get("image")]


def test_samples_follow_the_count_and_the_seed_and_come_back_with_it(runs_root):
    app = open_page(GENERATE, run_ids(runs_root)["cvae"])
    first = image_urls(app)[:10]
    app.number_input(key="generate_seed").set_value(7).run()
    assert not app.exception and image_urls(app)[:10] != first
    app.number_input(key="generate_seed").set_value(0).run()
    assert image_urls(app)[:10] == first  # Reproducible: seed 0 again, the same grid.
    app.number_input(key="generate_per_class").set_value(2).run()
    assert not app.exception and image_urls(app)[:10] != first


def test_the_hand_made_image_follows_the_sliders_and_the_class(runs_root):
    run_id = run_ids(runs_root)["cvae"]
    app = open_page(GENERATE, run_id)
    before = image_urls(app)[-1]
    app.slider(key=f"generate_z_{run_id}_0").set_value(2.0).run()
    moved = image_urls(app)[-1]
    assert not app.exception and moved != before
    app.selectbox(key=f"generate_hand_class_{run_id}").set_value(7).run()
    assert image_urls(app)[-1] != moved
    assert app.get("image")[-1].proto.imgs[0].caption == "7"


def test_a_vae_offers_no_class_and_projects_its_3d_code(runs_root):
    run_id = run_ids(runs_root)["vae"]
    app = open_page(GENERATE, run_id)
    assert not app.exception
    shown = texts(app)
    assert "A VAE cannot be asked for a class" in shown
    assert "The code has 3 dimensions: shown here through its first two principal components (PCA)." in shown
    assert not [box for box in app.selectbox if box.key.startswith("generate_hand_class")]
    assert app.button(key="generate_open_projector")
    assert len(app.get("image")) == 1 + 1 + 3 + 1  # No row per class, no path between classes.


def test_without_a_generative_run_the_page_says_how_to_get_one(tmp_path, monkeypatch):
    root = tmp_path / "artifacts" / "runs"
    monkeypatch.setenv("DLLAB_ARTIFACTS", str(root.parent))
    make_run(root)  # A classifier: not for this page.
    app = open_page(GENERATE)
    assert not app.exception
    assert "No finished generative run yet" in texts(app)


def test_the_run_page_of_a_cvae_shows_its_losses_reconstructions_latent_space_and_samples(runs_root):
    app = open_page(str(PAGES / "run.py"), run_ids(runs_root)["cvae"])
    assert not app.exception
    shown = texts(app)
    for label in ("Train reconstruction", "Validation KL", "Test loss", "Test reconstruction", "Conditional accuracy", "Judge accuracy (real test images)"):
        assert label in metric_labels(app), label
    assert "Test images (top) and their reconstructions (bottom)" in shown and "Mean absolute pixel error" in shown
    assert len(app.get("image")) == 2 and len(app.get("vega_lite_chart")) == 1
    assert "Confusion matrix" not in shown


@pytest.mark.parametrize("page", ["predict.py", "explain.py", "inside.py", "enrich.py"])
def test_the_classifier_pages_do_not_offer_a_generative_run(runs_root, page):
    app = open_page(str(PAGES / page))
    assert not app.exception
    generative = set(run_ids(runs_root).values())
    assert not [box for box in app.selectbox if box.value in generative]
    shown = texts(app)
    assert "No finished run yet: train a model first." in shown or "Two finished runs are needed" in shown


def test_the_command_line_generates_a_grid_and_names_bad_classes(runs_root, tmp_path):
    ids = run_ids(runs_root)
    out = tmp_path / "grid.png"
    result = run_cli("generate", ids["cvae"], "--count", "3", "--seed", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert '"per_row": 3' in result.stdout and out.stat().st_size > 0
    from PIL import Image

    assert Image.open(out).size[1] > Image.open(out).size[0] / 2  # Ten rows of three.
    one = run_cli("generate", ids["cvae"], "--class", "7", "--out", str(tmp_path / "seven.png"))
    assert one.returncode == 0 and '"rows": ["7"]' in one.stdout
    unknown = run_cli("generate", ids["cvae"], "--class", "shoe", "--out", str(tmp_path / "x.png"))
    assert unknown.returncode == 2 and "There is no class 'shoe'; valid: 0, 1, 2" in unknown.stderr.strip().splitlines()[-1]
    vae = run_cli("generate", ids["vae"], "--class", "3", "--out", str(tmp_path / "y.png"))
    assert vae.returncode == 2 and "vae is not conditional" in vae.stderr.strip().splitlines()[-1]
    count = run_cli("generate", ids["cvae"], "--count", "0", "--out", str(tmp_path / "z.png"))
    assert count.returncode == 2 and "from 1 to 100" in count.stderr.strip().splitlines()[-1]
    # The run list shows each run's headline result: the test loss of a generative model.
    listing = run_cli("runs").stdout.splitlines()
    row = next(line for line in listing if line.startswith(ids["cvae"]))
    assert row.split()[1:5] == ["cvae", "cvae", "keras", "finished"] and row.split()[5].startswith("test_loss=")


def test_the_train_form_of_the_cvae_project_queues_a_run_or_says_what_is_wrong(tmp_path, monkeypatch):
    root = tmp_path / "artifacts" / "runs"
    monkeypatch.setenv("DLLAB_ARTIFACTS", str(root.parent))
    app = AppTest.from_file(str(PAGES / "train.py"), default_timeout=TIMEOUT).run()
    app.selectbox(key="train_project").set_value("cvae").run()
    assert not app.exception
    keys = {widget.key for widget in [*app.number_input, *app.slider, *app.text_input]}
    assert {"hp_cvae_latent_dim", "hp_cvae_hidden_sizes", "hp_cvae_beta", "hp_cvae_epochs"} <= keys
    assert app.selectbox(key="train_model_cvae").options == ["cvae", "vae", "conv_cvae", "conv_vae"]
    # A code larger than the 8x8 image: refused with the reason, nothing queued.
    app.number_input(key="hp_cvae_latent_dim").set_value(80)
    app.button[-1].click().run()
    assert not app.exception
    assert "latent_dim: 80 is larger than the 64 numbers of a digits image" in app.error[0].value
    assert not root.exists() or not [path for path in root.iterdir() if not path.name.startswith(".")]
    submitted = []
    monkeypatch.setattr("core.runs.queue.submit", lambda *arguments: submitted.append(arguments) or "20990101-000000-abcdef")
    app.number_input(key="hp_cvae_latent_dim").set_value(4)
    app.text_input(key="hp_cvae_hidden_sizes").set_value("128,64,32")
    app.button[-1].click().run()
    assert submitted and submitted[0][:3] == ("cvae", "digits", "cvae")
    assert submitted[0][4]["latent_dim"] == 4 and submitted[0][4]["hidden_sizes"] == "128,64,32"
