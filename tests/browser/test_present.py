"""The quarterly-meeting presentation, stepped through with the keyboard at projector sizes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Visit

SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
SLIDES = ["title", "map", "industry", "tourism", "governance", "party", "closing"]


@pytest.mark.parametrize("size", SIZES)
def test_step_through_the_slides(browser: Browser, server_url: str, size: str):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    visit = Visit(context.new_page())
    page = visit.open(f"{server_url}/present?lang=zh&quarter=2024Q1")
    for number, name in enumerate(SLIDES, start=1):
        page.get_by_text(f"第 {number} / {len(SLIDES)} 页").first.wait_for(timeout=30_000)
        visit.settle()
        expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
        if name in ("map", "tourism", "governance"):
            visit.map_drawn()
        if name in ("industry", "tourism", "governance", "party"):
            page.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for(timeout=30_000)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, name
        visit.screenshot(f"present-{size}-{number}-{name}")
        page.locator("body").press("ArrowRight")
    assert visit.outside == []
    context.close()


def test_export_from_the_page(visit: Visit, server_url: str):
    page = visit.open(f"{server_url}/present?lang=en&quarter=2024Q1")
    page.get_by_text("Export this quarter's report").click()
    page.get_by_role("button", name="Make the files").click()
    expected = ["report-2024Q1-en.pptx", "report-2024Q1-en.html", "charts-2024Q1-en.zip"]
    for name in expected:
        page.get_by_role("button", name=name).wait_for(timeout=120_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="report-2024Q1-en.pptx").click()
    saved = download.value.path().read_bytes()
    assert saved[:2] == b"PK" and len(saved) > 50_000
    # Downloading one file leaves the others offered.
    assert all(page.get_by_role("button", name=name).is_visible() for name in expected)
