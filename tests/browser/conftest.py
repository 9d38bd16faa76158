"""A real Streamlit server and Debian's Chromium, driven by Playwright.

Every request the page makes is checked: one to any host but the dashboard's own is
recorded and refused, so a test fails if the dashboard reaches for the internet.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lib.contract.settings import ROOT
from lib.serving.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, MAP_DRAWN, MAP_FRAME
from lib.serving.processes import free_port, start_dashboard, wait_healthy

ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = Axe()
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# Every page of the dashboard by its path, and those that draw charts (on the first screen of
# the slides, none).
PAGES = ["", "map", "industry", "tourism", "governance", "party", "present", "data"]
PAGES_WITH_CHARTS = {"", "industry", "tourism", "governance", "party"}
# Once every chart on the page (if any) is drawn by plotly (they are drawn after the script ends).
EVERY_CHART_DRAWN = """() => Array.from(document.querySelectorAll("[data-testid='stPlotlyChart']"))
    .every((chart) => (chart.querySelector('.js-plotly-plot') || {})._fullData)"""
# Once a chart is drawn: Streamlit draws its charts from code it fetches after the run, and
# until then there is no chart on the page to wait for.
A_CHART_DRAWN = "() => (document.querySelector('.js-plotly-plot') || {})._fullLayout !== undefined"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

pytestmark = pytest.mark.browser


def start_server(data_dir: Path | None = None, **settings: str) -> tuple[subprocess.Popen, str]:
    """Start the dashboard on a free loopback port and wait until it answers."""
    port = free_port()
    server = start_dashboard(port, data_dir=data_dir, **settings)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(server, url, timeout=60)
    return server, url


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    server, url = start_server()
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


class Visit:
    """A browser tab on the dashboard that records every request leaving the machine."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.outside: list[str] = []
        page.route("**/*", self._guard)

    def _guard(self, route) -> None:
        url = route.request.url
        if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).hostname not in LOCAL_HOSTS:
            self.outside.append(url)
            route.abort()
        else:
            route.continue_()

    def open(self, url: str) -> Page:
        self.page.goto(url)
        # Until the first run has begun the app may say it is not running: every page's run
        # starts with its title.
        self.page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
        self.settle()
        assert self.page.get_by_text("Page not found").count() == 0, url
        return self.page

    def settle(self) -> None:
        """Wait until the script has finished running and the page has drawn."""
        self.page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
        self.page.wait_for_selector(IDLE, timeout=60_000)

    def choose(self, label: str, option: str, within: str = "body") -> None:
        """Pick ``option`` in the select box labelled ``label`` inside the ``within`` element."""
        box = self.page.locator(within).locator("[data-testid='stSelectbox']").filter(has_text=label).first
        choice = self.page.get_by_role("option", name=option).first
        # A click that lands while the script reruns can be swallowed by the redraw: retry
        # until the box shows the option as chosen.
        for attempt in range(3):
            self.settle()
            box.click()
            try:
                choice.wait_for(timeout=10_000)
                choice.click()
                self.settle()
                expect(box.locator("input")).to_have_value(re.compile(re.escape(option)), timeout=5_000)
                return
            except (PlaywrightTimeout, AssertionError):
                if attempt == 2:
                    raise
                self.page.keyboard.press("Escape")

    def press(self, button, shows: str) -> None:
        """Click ``button`` (one whose click does the same however often it lands) until
        ``shows`` is on the page: a click that lands while the script reruns can be lost."""
        for attempt in range(3):
            self.settle()
            button.click()
            try:
                self.page.get_by_text(shows).first.wait_for(timeout=15_000)
                self.settle()
                return
            except PlaywrightTimeout:
                if attempt == 2:
                    raise

    def drawn(self, path: str) -> None:
        """Wait until the page at ``path``, opened, has drawn every chart and map it has."""
        if path in PAGES_WITH_CHARTS:
            self.page.wait_for_function(A_CHART_DRAWN, timeout=30_000)
        self.page.wait_for_function(EVERY_CHART_DRAWN, timeout=30_000)
        for index in range(self.page.locator(MAP_FRAME).count()):
            self.map_frame(index).locator(MAP_DRAWN).wait_for(state="attached", timeout=30_000)

    def map_frame(self, index: int = 0):
        return self.page.frame_locator(MAP_FRAME).nth(index)

    def map_drawn(self, index: int = 0):
        """The map's frame once every layer has been fetched and drawn and the map stands still
        (a frame laid out late moves it after drawing: what is measured before that is stale)."""
        frame = self.map_frame(index)
        frame.locator(MAP_DRAWN).wait_for(state="attached", timeout=30_000)
        frame.locator("body").evaluate(_STILL)
        return frame

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


# Resolves once the map's centre, zoom and size have stayed the same for half a second (or 10 s).
_STILL = """() => new Promise(resolve => {
    let last = "", still = 0, ticks = 0;
    (function tick() {
        const map = window.wanfengMap;
        const now = map ? JSON.stringify([map.getCenter(), map.getZoom(), map.getSize()]) : "";
        still = now && now === last ? still + 1 : 0;
        last = now;
        if (still >= 4 || ++ticks > 80) resolve(); else setTimeout(tick, 125);
    })();
})"""


def axe_violations(page: Page) -> list[str]:
    """Every violation of WCAG 2.1 A and AA that axe-core (as axe-playwright-python bundles it,
    never fetched) finds in every frame of ``page``: rule, element, why."""
    found = []
    for frame in page.frames:
        frame.evaluate(AXE.axe_script)
        result = frame.evaluate(f"axe.run(document, {json.dumps(WCAG_21_AA)})")
        for violation in result["violations"]:
            for node in violation["nodes"]:
                why = (node.get("any") or node.get("all") or [{}])[0].get("message", "")
                found.append(f"{violation['id']} in {frame.url.split('?')[0][-40:]}: {node['target']} — {why}")
    return found


def _visit(browser: Browser, request, **context) -> Iterator[Visit]:
    tab = browser.new_context(**context)
    visit = Visit(tab.new_page())
    yield visit
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        visit.screenshot(f"failed-{request.node.name}")
    tab.close()


@pytest.fixture
def visit(browser: Browser, request) -> Iterator[Visit]:
    yield from _visit(browser, request, viewport={"width": 1600, "height": 1000})


@pytest.fixture
def phone(browser: Browser, request) -> Iterator[Visit]:
    yield from _visit(
        browser, request, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report
