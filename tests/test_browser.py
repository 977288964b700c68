"""The real app in headless Chromium: open Train, launch a digits run, watch it finish."""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core.i18n import t
from core.projector import service

CHROMIUM = Path("/usr/bin/chromium")
REPOSITORY = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPOSITORY / "tests" / "output"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium chromium-driver)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path, monkeypatch):
    port = _free_port()
    environment = {**os.environ, "DLLAB_ARTIFACTS": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app/main.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=REPOSITORY, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the app did not start: " + process.stdout.read().decode(errors="replace")[-2000:])
    yield url, tmp_path
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    # The projection service the app started (tests/conftest.py keeps it cold and brief).
    monkeypatch.setenv("DLLAB_ARTIFACTS", str(tmp_path))
    service.stop()


def _settle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_timeout(1500)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)


def _assert_no_failure(page) -> None:
    """No exception on the page, neither Streamlit's box nor the app's failure message."""
    assert page.query_selector('[data-testid="stException"]') is None
    assert t("page_failed", "en", path="§").split("§")[0] not in page.inner_text('[data-testid="stApp"]')


@contextlib.contextmanager
def train_page(url: str, height: int):
    """Chromium on the Train page, ready; closed afterwards."""
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    SCREENSHOTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": height})
        page.goto(f"{url}/train")
        _settle(page)
        page.get_by_text("Train a model").wait_for(timeout=60_000)
        yield page
        browser.close()


def test_launch_from_train_page_and_see_it_finish(server):
    url, artifacts = server
    with train_page(url, 2000) as page:
        page.get_by_role("button", name="Launch").click()
        # The Train page hands over to the Run page, which follows the run live.
        page.wait_for_url("**/run?run=*", timeout=60_000)
        page.get_by_text("Misclassified test images").wait_for(timeout=240_000)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
        page.wait_for_timeout(3000)  # Let the charts draw before the picture.
        page.screenshot(path=str(SCREENSHOTS / "run_finished.png"))
        text = page.inner_text('[data-testid="stApp"]')
        assert "finished" in text
        _assert_no_failure(page)

        # A click on a cell of the confusion matrix (true 2, predicted 3) shows that cell.
        plot_area = page.locator('[data-testid="stPlotlyChart"]').nth(1).locator(".nsewdrag").first.bounding_box()
        x, y = plot_area["x"] + plot_area["width"] * 3.5 / 10, plot_area["y"] + plot_area["height"] * 2.5 / 10
        page.mouse.move(x, y)
        page.wait_for_timeout(300)
        page.mouse.click(x, y)
        # A cell holds some images or none: either sentence names the cell clicked.
        page.get_by_text(re.compile(r"test images? of class 2 (is )?predicted as 3")).wait_for(timeout=60_000)

        # Predict: draw a "1" on the canvas with the mouse and get an answer.
        page.goto(f"{url}/predict")
        _settle(page)
        page.get_by_text("Draw", exact=True).click()
        page.wait_for_selector("canvas", timeout=60_000)
        _settle(page)
        box = page.query_selector_all("canvas")[-1].bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + 25
        page.mouse.move(x, y)
        page.wait_for_timeout(200)
        page.mouse.down()
        page.wait_for_timeout(100)
        page.mouse.move(x, y + box["height"] - 50, steps=30)
        page.wait_for_timeout(100)
        page.mouse.up()
        try:
            page.get_by_text("What the model sees").wait_for(timeout=60_000)
        finally:
            page.screenshot(path=str(SCREENSHOTS / "predict_drawing.png"))
        _assert_no_failure(page)
        # The drawing's map sits beside the answer.
        page.get_by_text("GradCAM++ for").first.wait_for(timeout=60_000)

        # Explain: a grid of GradCAM++ maps over the run's test images.
        page.goto(f"{url}/explain")
        _settle(page)
        try:
            page.get_by_text("map for").first.wait_for(timeout=60_000)
            from playwright.sync_api import expect as playwright_expect
            playwright_expect(page.get_by_text("map for")).to_have_count(8, timeout=120_000)  # The grid is drawn tile by tile.
        finally:
            page.screenshot(path=str(SCREENSHOTS / "explain.png"), full_page=True)
        _assert_no_failure(page)
    run_folders = list((artifacts / "runs").iterdir())
    assert len([folder for folder in run_folders if not folder.name.startswith(".")]) == 1


def test_train_a_cvae_then_generate_from_it(server):
    url, _ = server
    with train_page(url, 2200) as page:
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Project").first.click()
        page.get_by_role("option", name="Generative models: VAE and conditional VAE").click()
        _settle(page)
        page.get_by_role("button", name="Launch").click()
        page.wait_for_url("**/run?run=*", timeout=60_000)
        try:
            page.get_by_text("Test images (top) and their reconstructions (bottom)").wait_for(timeout=240_000)
            page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
            page.wait_for_timeout(3000)
        finally:
            page.screenshot(path=str(SCREENSHOTS / "run_cvae.png"))
        _assert_no_failure(page)
        assert "Conditional accuracy" in page.inner_text('[data-testid="stApp"]')

        # The page redraws once the worker has saved the model: the button comes after that.
        page.get_by_role("button", name="Open in Generate").click(timeout=180_000)
        page.wait_for_url(re.compile(r"/generate(\?|$)"), timeout=60_000)  # ?lang= comes along.
        _settle(page)
        try:
            page.get_by_text("Each row asks for one class").wait_for(timeout=60_000)
            # Ten rows of samples, one per class, each a picture.
            assert page.locator('[data-testid="stImage"]').count() >= 10
            page.get_by_role("tab", name="By hand").click()
            page.get_by_text("Move the sliders").wait_for(timeout=30_000)
        finally:
            page.screenshot(path=str(SCREENSHOTS / "generate.png"))
        _assert_no_failure(page)
