"""The quarterly-meeting presentation, stepped through with the keyboard at projector sizes."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Visit, axe_violations, start_server

SIZES = {"1920x1080": (1920, 1080), "1366x768": (1366, 768)}
SLIDES = ["title", "map", "industry", "tourism", "governance", "party", "closing"]


# How far the page reaches below the window: Streamlit scrolls its main block, not the document.
SCROLLS = """() => Math.max(document.documentElement.scrollHeight,
  document.querySelector("[data-testid='stMain']").scrollHeight) - window.innerHeight"""
BODY_TEXT = """() => parseFloat(getComputedStyle(
  document.querySelector(".block-container [data-testid='stMarkdownContainer'] p")).fontSize)"""


@pytest.mark.parametrize(("size", "lang"), [("1920x1080", "zh"), ("1366x768", "zh"), ("1366x768", "en")])
def test_step_through_the_slides(browser: Browser, server_url: str, size: str, lang: str):
    """Every slide fits the screen without scrolling, in type readable from the back of the room."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    visit = Visit(context.new_page())
    page = visit.open(f"{server_url}/present?lang={lang}&quarter=2024Q1")
    for number, name in enumerate(SLIDES, start=1):
        position = f"第 {number} / {len(SLIDES)} 页" if lang == "zh" else f"Slide {number} of {len(SLIDES)}"
        page.get_by_text(position).first.wait_for(timeout=30_000)
        visit.settle()
        expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
        if name in ("title", "map", "tourism", "governance"):
            visit.map_drawn()
        if name in ("industry", "tourism", "governance", "party"):
            page.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for(timeout=30_000)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, name
        assert page.evaluate(SCROLLS) <= 1, (name, page.evaluate(SCROLLS))
        if width == 1920:
            assert page.evaluate(BODY_TEXT) >= 28, name
        else:  # the slide passes WCAG 2.1 AA, its map's frame included
            assert axe_violations(page) == [], name
        visit.screenshot(f"present-{size}-{lang}-{number}-{name}")
        page.locator("body").press("ArrowRight")
    assert visit.outside == []
    context.close()


def test_export_from_the_page(visit: Visit, server_url: str):
    page = visit.open(f"{server_url}/present?lang=en&quarter=2024Q1")
    page.get_by_role("button", name="Export").click()
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


def test_the_lobby_screen_turns_by_itself_loops_and_shows_new_data(browser: Browser, data_copy):
    """大屏: asked for from the slides, dark; no control on screen, the time and the data's date
    in the corner; the slides turn by themselves and start again, and a file changed on disk
    shows at the next slide without a reload."""
    # Ten seconds a slide, from the server's setting: seven slides and the first again.
    server, url = start_server(data_copy, WANFENG_KIOSK_SECONDS="10")
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        visit = Visit(context.new_page())
        page = visit.open(f"{url}/present?lang=zh&quarter=2024Q1")
        page.get_by_role("button", name="大屏轮播").click()
        page.get_by_role("button", name="深色（LED 屏）").click()
        expect(page).to_have_url(re.compile(r"kiosk=1.*theme=dark|theme=dark.*kiosk=1"), timeout=30_000)
        assert "every=10" in page.url
        title = page.locator("h1").first
        expect(title).to_have_text(re.compile("工作汇报"), timeout=30_000)
        page.evaluate("window.stillTheSamePage = true")
        # Every slide, in order, then the first again, with nothing to click.
        output = pd.read_csv(data_copy / "tables" / "output.csv", dtype=str)
        total = output.loc[output.quarter == "2024Q1", "output_10k_yuan"].astype(float).sum()
        for name, heading in [("map", "三地一览"), ("industry", "产业与就业"), ("tourism", "文旅"),
                              ("governance", "平安治理"), ("party", "党建"), ("closing", "小结"),
                              ("title", "工作汇报")]:  # fmt: skip
            expect(title).to_contain_text(heading, timeout=60_000)
            assert page.locator("[data-testid='stButton']:visible").count() == 0, name
            expect(page.get_by_text("数据更新于").first).to_be_visible()
            if name in ("industry", "tourism", "governance", "party"):
                page.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for(timeout=30_000)
            visit.screenshot(f"lobby-dark-{name}")
            if name == "map":
                # A clerk saves a correction while the screen runs.
                row = ((output.quarter == "2024Q1") & (output.source == "illustrative")).idxmax()
                output.loc[row, "output_10k_yuan"] = str(float(output.loc[row, "output_10k_yuan"]) + 1000)
                staged = data_copy / "tables" / "output.csv.new"
                output.to_csv(staged, index=False)
                staged.replace(data_copy / "tables" / "output.csv")
            if name == "industry":
                expect(page.get_by_text(f"产值（万元）：{total + 1000:,.0f}").first).to_be_visible()
        assert page.evaluate("window.stillTheSamePage") is True
        background = page.evaluate("getComputedStyle(document.querySelector('.stApp')).backgroundColor")
        assert background == "rgb(11, 22, 34)"
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=10)
