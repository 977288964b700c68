"""The real app in headless Chromium, in French from a link with ?lang=fr: it stays French
through the sidebar, Runs → Open, Inside → Convolution and a reload."""
from __future__ import annotations

import pytest
from page_fixtures import make_run
from test_browser import CHROMIUM, FLAGS, SCREENSHOTS, _settle, server  # noqa: F401 (server: the fixture)
from test_french import english_left

from core import i18n

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium chromium-driver)")


def assert_french(page, title_key: str, step: str) -> None:
    """The page shows the French title `title_key`, its picker says Français, its URL keeps
    lang=fr and no line of it is an English string."""
    page.get_by_role("heading", name=i18n.t(title_key, "fr")).first.wait_for(timeout=60_000)
    _settle(page)
    page.screenshot(path=str(SCREENSHOTS / f"french_{step}.png"))
    # The picker shows its choice in an input's value, or as text: look at both.
    sidebar = page.locator('[data-testid="stSidebar"]')
    shown = sidebar.inner_text() + " ".join(sidebar.locator("input").evaluate_all("inputs => inputs.map(input => input.value)"))
    assert i18n.LANGUAGES["fr"] in shown, (step, shown[-200:])
    assert "lang=fr" in page.url, (step, page.url)
    # Material icons are drawn from their names ("home", "layers"): those lines are no text.
    icons = set(page.locator('[data-testid="stIconMaterial"]').all_inner_texts())
    lines = [line.strip() for line in page.inner_text('[data-testid="stApp"]').splitlines() if line.strip() and line.strip() not in icons]
    assert english_left(lines) == [], step
    assert page.query_selector('[data-testid="stException"]') is None, step
    assert i18n.t("page_failed", "fr", path="§").split("§")[0] not in page.inner_text('[data-testid="stApp"]'), step


def test_a_french_link_stays_french_through_page_switches(server):
    url, artifacts = server
    run_id = make_run(artifacts / "runs")
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    SCREENSHOTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(f"{url}/?lang=fr")
        _settle(page)
        assert_french(page, "home_title", "home")

        # The sidebar's link to Runs, then Runs → Open (st.switch_page).
        page.locator('[data-testid="stSidebarNav"]').get_by_text(i18n.t("page_runs", "fr"), exact=True).click()
        assert_french(page, "runs_title", "runs")
        page.get_by_role("button", name=i18n.t("runs_open", "fr")).click()
        page.wait_for_url(f"**/run?*run={run_id}*", timeout=60_000)
        assert_french(page, "run_title", "run")

        # A reload keeps it (the URL holds it, the new session reads it).
        page.reload()
        _settle(page)
        assert_french(page, "run_title", "run_reloaded")

        # Inside → the convolution page (st.switch_page).
        page.goto(f"{url}/inside?lang=fr")
        _settle(page)
        assert_french(page, "page_inside", "inside")
        page.get_by_role("button", name=i18n.t("layers_convolution_link", "fr")).click()
        page.wait_for_url("**/convolution*", timeout=60_000)
        assert_french(page, "page_convolution", "convolution")
        browser.close()
