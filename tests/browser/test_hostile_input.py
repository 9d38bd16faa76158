"""Markup and script in the data, seen in a real browser: every page in both languages, the
map's labels, tooltip and popup, the tables, the charts, the slides, the problem list and the
HTML report show the payloads as text, and none of them runs.

A script added to every page and frame before their own records any write of
``window.__pwned`` (what each payload tries) and any alert, confirm or prompt.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lib.contract.i18n import tr
from lib.contract.settings import ROOT
from lib.files.loading import load_all
from tests.browser.conftest import Visit, start_server
from tests.browser.test_report_html import QUARTER, _open_report
from tests.hostile import A_LINK, IMG, MARKUP, MD_LINK, PAYLOADS, SCRIPT, hostile_copy

pytestmark = pytest.mark.browser

PAGES_WITH_MAP = {"", "map", "industry", "tourism", "governance"}
PAGES_WITH_TABLES = {"industry", "tourism", "governance", "party"}
# st.dataframe draws on a canvas; its cells are also in the page, for screen readers.
TABLE_CELLS = "[data-testid='stDataFrame'] td[role='gridcell']"
# Every frame, from its first script on: what a payload would do if it ran.
WATCH = """
(() => {
  const hit = (what) => window.__hostileHit(`${what} in ${location.href}`);
  let pwned;
  Object.defineProperty(window, "__pwned", {
    configurable: true, get: () => pwned, set: (value) => { pwned = value; hit(`__pwned=${value}`); },
  });
  for (const name of ["alert", "confirm", "prompt"]) window[name] = (...args) => hit(`${name}(${args})`);
})();
"""
WATCHING = "() => typeof Object.getOwnPropertyDescriptor(window, '__pwned')?.set === 'function'"
# Elements a payload would have made: handlers, javascript: addresses, its picture, its script.
INJECTED = """
() => Array.from(document.querySelectorAll("*")).flatMap((element) => {
  const found = Array.from(element.attributes)
    .filter((a) => a.name.startsWith("on") || a.value.trim().toLowerCase().startsWith("javascript:"))
    .map((a) => `${element.tagName} ${a.name}=${a.value}`);
  if (element.tagName === "IMG" && element.getAttribute("src") === "x") found.push("img src=x");
  if (element.tagName === "SCRIPT" && element.textContent.trim() === "window.__pwned=1") found.push("script");
  return found;
})
"""


def pages() -> list[tuple[str, str]]:
    """(URL path, title key) of every page, from dashboard.PAGE_LIST (read, not imported, which
    would run the dashboard's frame); the first, the default, is at the root."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    listed = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PAGE_LIST")
    found = [(path, key) for path, key, _icon in ast.literal_eval(listed.value)]
    return [("", found[0][1]), *found[1:]]


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory) -> Path:
    return hostile_copy(tmp_path_factory.mktemp("hostile") / "data")


@pytest.fixture(scope="module")
def hostile_url(hostile_data: Path) -> Iterator[str]:
    server, url = start_server(hostile_data)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def watched(visit: Visit) -> Iterator[tuple[Visit, list[str]]]:
    """A tab that records, in every frame, what a payload that ran would have done."""
    hits: list[str] = []
    visit.page.expose_binding("__hostileHit", lambda _source, what: hits.append(what))
    visit.page.add_init_script(WATCH)
    visit.page.on("dialog", lambda dialog: (hits.append(f"dialog {dialog.message}"), dialog.dismiss()))
    yield visit, hits
    assert hits == []  # nothing ran, in any test, on any page


def _no_injected_elements(page: Page) -> None:
    """In the page and every frame: no element made by a payload, and the watch in place."""
    for frame in page.frames:
        assert frame.evaluate(INJECTED) == [], frame.url
        assert frame.evaluate(WATCHING), frame.url


def _shows(page: Page, text: str, within: str = "body") -> None:
    """``text`` is on screen, letter for letter."""
    page.locator(within).get_by_text(text, exact=False).first.wait_for(timeout=15_000)


def _go(visit: Visit, path: str, key: str, lang: str) -> None:
    """To a page by the sidebar, as people do: quicker than loading it afresh."""
    visit.page.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']").first.click()
    visit.page.locator("h1", has_text=tr(key, lang)).first.wait_for(timeout=30_000)
    visit.settle()


def _check(visit: Visit, path: str) -> None:
    """The payloads are on screen as text, where the page shows text of the data."""
    page = visit.page
    if path in PAGES_WITH_TABLES:
        page.locator(TABLE_CELLS).first.wait_for(state="attached", timeout=15_000)
        assert any(IMG in cell for cell in page.locator(TABLE_CELLS).all_text_contents()), path
    if path in PAGES_WITH_MAP:
        # The data's names stand on the map as the counties' (townships go by the catalog's).
        labels = visit.map_drawn().locator(".county-label")
        assert labels.count() and all(IMG in label and SCRIPT in label for label in labels.all_inner_texts()), path
    if path == "tourism":  # the routes' names in the legend of the visitors chart
        _shows(page, IMG, ".legendtext")
    if path == "data":  # HTML in a Markdown message stays text
        for payload in (IMG, SCRIPT, A_LINK):
            _shows(page, payload, "[data-testid='stAlert']")


_POINT_AT_A_FEATURE = """
() => {
  let found = null;
  window.wanfengMap.eachLayer((layer) => { if (!found && layer.feature && layer.feature.properties.n) found = layer; });
  if (!found) return false;
  const latlng = found.getLatLng ? found.getLatLng() : found.getBounds().getCenter();
  found.fire("mouseover", { latlng: latlng }, true);
  found.fire("click", { latlng: latlng }, true);
  return true;
}
"""


def _tooltip_and_popup(visit: Visit) -> None:
    """A feature's name in its tooltip, and its details in its popup, read as written."""
    frame, page = visit.map_drawn(), visit.page
    label = frame.locator(".township-label span").first
    label.scroll_into_view_if_needed()
    box = label.bounding_box()
    # The name's anchor, a point inside its township; the name lets the pointer through to
    # whichever feature lies on top there, and every feature has a name of the data. Where the
    # map is drawn a little differently, a point beside it serves as well.
    tooltip, popup = frame.locator(".leaflet-tooltip"), frame.locator(".leaflet-popup-content")
    for dx, dy in ((6, 6), (30, 30), (-30, 30), (30, -30), (-30, -30)):
        x, y = box["x"] + dx, box["y"] + dy
        page.mouse.move(x, y)
        try:
            tooltip.last.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            continue
    else:
        # Where no pointer lands on a feature (the map drawn a little differently in a long run),
        # the same handlers are reached through Leaflet: what they show is what is tested here.
        assert frame.locator("body").evaluate(_POINT_AT_A_FEATURE)
        tooltip.last.wait_for(timeout=10_000)
    # Read now: the click below may close it, or a rerun it starts may redraw it.
    tooltip_text = tooltip.last.inner_text()
    # A first click after the map is drawn may open no popup, on the bundled data too: click again,
    # and where the pointer meets no feature, reach the same handler through Leaflet.
    for _ in range(2):
        if popup.count():
            break
        page.mouse.click(x, y)
        visit.settle()
    if not popup.count():
        assert frame.locator("body").evaluate(_POINT_AT_A_FEATURE)
    popup.first.wait_for(timeout=10_000)
    assert all(payload in tooltip_text for payload in PAYLOADS)  # the one just opened
    assert all(payload in popup.first.locator("th").inner_text() for payload in PAYLOADS)
    assert popup.locator("img, script, a").count() == 0
    visit.screenshot("hostile-map-popup-en")


def _names_a_bar(page: Page, text: str) -> None:
    """``text`` is a bar's name of a chart: beside its bar in lines of their own (so letter for
    letter but for the spaces where the lines break)."""
    page.locator(".ytick text").first.wait_for(timeout=15_000)
    names = ["".join(name.split()) for name in page.locator(".ytick text").all_text_contents()]
    assert any("".join(text.split()) in name for name in names), names


def _slides(visit: Visit) -> None:
    """Through the slides to the Party building slide, whose summary quotes the meeting's topic."""
    page = visit.page
    for number in range(2, 7):
        page.locator(".st-key-slide-forward button").click()
        page.get_by_text(f"Slide {number} of 7").first.wait_for(timeout=30_000)
        visit.settle()
        if number == 4:  # tourism: the routes beside their bars and on the map
            _names_a_bar(page, IMG)
            assert IMG in visit.map_drawn().locator(".county-label").first.inner_text()
    for payload in PAYLOADS:  # Markdown of the summary: no link, no bold, no formula
        _shows(page, payload, "[data-testid='stMarkdownContainer'] li")
    assert page.locator("[data-testid='stMarkdownContainer'] li").locator("a, strong, .katex").count() == 0
    visit.screenshot("hostile-present-party-en")


def test_every_page_in_both_languages_shows_the_payloads_as_text(watched, hostile_url: str):
    visit, hits = watched
    walk = [(path, key) for path, key in pages() if path != "present"]  # it hides the sidebar
    visit.open(f"{hostile_url}/?lang=zh&quarter={QUARTER}")
    for lang, order in (("zh", walk), ("en", walk[::-1])):
        if lang == "en":
            visit.page.locator("[data-testid='stSidebar'] label", has_text="English").click()
            visit.page.locator("h1", has_text=tr(order[0][1], lang)).first.wait_for(timeout=30_000)
            visit.settle()
        for index, (path, key) in enumerate(order):
            if index:
                _go(visit, path, key, lang)
            _check(visit, path)
            if (lang, path) == ("en", "map"):
                _tooltip_and_popup(visit)
            _no_injected_elements(visit.page)
            assert hits == [], (lang, path)
    for lang in ("zh", "en"):
        visit.open(f"{hostile_url}/present?lang={lang}&quarter={QUARTER}")
        if lang == "en":
            _slides(visit)
        _no_injected_elements(visit.page)
    assert hits == [] and visit.outside == []


def test_problem_list_shows_markdown_as_text(watched, hostile_url: str):
    visit, _hits = watched
    page = visit.open(f"{hostile_url}/data?lang=en")
    alerts = page.locator("[data-testid='stAlert']")
    assert alerts.locator("a, strong, .katex").count() == 0
    for payload in (MD_LINK, MARKUP):
        _shows(page, payload, "[data-testid='stAlert']")


def test_html_report_shows_the_payloads_as_text(watched, hostile_data: Path, tmp_path: Path):
    visit, hits = watched
    _open_report(visit, load_all(hostile_data), "en", tmp_path)
    page = visit.page
    summary = page.locator("#slide-party .summary").inner_text()
    assert all(payload in summary for payload in PAYLOADS)
    _names_a_bar(page, IMG)
    labels = page.frame_locator("iframe.map").first.locator(".county-label").all_inner_texts()
    assert labels and all(IMG in label for label in labels)
    _no_injected_elements(page)
    assert hits == [] and visit.outside == []
