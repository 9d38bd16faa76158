"""The large-text mode (大字模式): one switch in the sidebar, kept in the link like the language;
every text, figure, chart and map label half as large again, and every page still as wide as
a projector's 1366 px or a phone's screen."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser

from lib.serving.browser import MAP_FRAME
from tests.browser.conftest import PAGES, Visit, _visit, axe_violations

# The sizes of the page's texts in px, each of the first element of its kind (null: none).
SIZES = """() => {
  const size = (selector) => {
    const found = document.querySelector(selector);
    return found ? parseFloat(getComputedStyle(found).fontSize) : null;
  };
  const plot = document.querySelector('.js-plotly-plot');
  const layout = plot && plot._fullLayout;
  return {
    root: size('html'),
    title: size('h1'),
    caption: size("[data-testid='stCaptionContainer'] p"),
    sidebar: size("[data-testid='stSidebar'] label p"),
    navigation: size("[data-testid='stSidebarNav'] a span"),
    figure: size("[data-testid='stMetricValue'] div, [data-testid='stMetricValue'] p"),
    chartTitle: layout ? layout.title.font.size : null,
    chartTicks: layout ? layout.xaxis.tickfont.size : null,
  };
}"""
READY = """([root, sidebar]) => parseFloat(getComputedStyle(document.documentElement).fontSize) === root
  && (!sidebar || document.querySelectorAll("[data-testid='stSidebar'] label").length >= 6)"""
MAP_SIZES = """() => {
  const size = (selector) => {
    const found = document.querySelector(selector);
    return found ? parseFloat(getComputedStyle(found).fontSize) : null;
  };
  return { names: size('.township-label'), legend: size('.map-legend'), controls: size('.leaflet-control-layers') };
}"""
# How far the page reaches past the screen's width, in px (0: it fits).
OVERFLOW = "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


@pytest.fixture
def projector(browser: Browser, request) -> Iterator[Visit]:
    """A tab as wide as a meeting room's projector (a tab of its own: a session keeps its view)."""
    yield from _visit(browser, request, viewport={"width": 1366, "height": 768})


def _drawn(visit: Visit, server_url: str, path: str, view: str) -> tuple[dict, dict | None]:
    """The page at ``path`` in ``view`` once drawn: the sizes of its texts and of its first map's."""
    url = f"{server_url}/{path}?{view}"
    page = visit.open(url)
    visit.drawn(path)
    # Streamlit draws the sidebar's controls and the page's style from code it fetches after
    # the run: the language, quarter, township and large-text switch (but on the slides,
    # which hide the sidebar), and the root's size.
    root = 24 if "text=large" in url else 16
    page.wait_for_function(READY, arg=[root, "/present" not in url], timeout=30_000)
    sizes = _steady(lambda: page.evaluate(SIZES))
    if page.locator(MAP_FRAME).count():
        frame = page.frame_locator(MAP_FRAME).first
        return sizes, _steady(lambda: frame.locator("body").evaluate(f"(body) => ({MAP_SIZES})()"))
    return sizes, None


def _steady(read: Callable[[], dict]) -> dict:
    """What ``read`` gives once it gives the same for half a second."""
    last, same = read(), 0
    for _ in range(120):
        time.sleep(0.25)
        now = read()
        same = same + 1 if now == last else 0
        if same == 2:
            return now
        last = now
    raise AssertionError(f"the page's text sizes kept changing: {last}")


def _grown(plain: dict, large: dict, prefix: str = "") -> dict[str, float]:
    """How many times its plain size each text is in large text (of those on the page)."""
    assert [k for k, v in plain.items() if v] == [k for k, v in large.items() if v]  # the same texts drawn
    return {prefix + kind: round(large[kind] / size, 2) for kind, size in plain.items() if size}


def test_the_switch_is_in_the_sidebar_and_kept_in_the_link(visit: Visit, server_url: str):
    page = visit.open(f"{server_url}/?lang=zh")
    assert page.evaluate(SIZES)["root"] == 16
    visit.press(page.get_by_text("大字模式"), shows="大字模式")
    page.wait_for_function("() => location.search.includes('text=large')", timeout=30_000)
    page.wait_for_function(READY, arg=[24, True], timeout=30_000)
    visit.choose("季度", "2023年四季度")
    page.wait_for_function("() => location.search.includes('quarter=2023Q4')", timeout=30_000)
    assert "text=large" in page.url
    # The link opens the same view: a leader's copied link keeps the large text.
    copied = visit.open(page.url)
    copied.wait_for_function(READY, arg=[24, True], timeout=30_000)
    assert copied.get_by_role("switch", name="大字模式").is_checked()


# Chinese on the projector, English (the longer words) on the phone.
@pytest.mark.parametrize("lang", ["zh"])
def test_every_text_grows_by_half_every_page_fits_a_projector_and_passes_wcag(
    visit: Visit, projector: Visit, server_url: str, lang: str
):
    visit.page.set_viewport_size({"width": 1366, "height": 768})
    for path in PAGES:
        plain, plain_map = _drawn(visit, server_url, path, f"lang={lang}")
        large, large_map = _drawn(projector, server_url, path, f"lang={lang}&text=large")
        grown = {**_grown(plain, large), **_grown(plain_map or {}, large_map or {}, "map ")}
        assert all(ratio >= 1.5 for ratio in grown.values()), f"{path}: {grown}"
        assert projector.page.evaluate(OVERFLOW) <= 0, path
        assert axe_violations(projector.page) == [], path  # WCAG 2.1 AA in large text too
        projector.screenshot(f"large-text-{path or 'overview'}-{lang}")


@pytest.mark.parametrize("lang", ["en"])
def test_every_page_in_large_text_fits_a_phone(phone: Visit, server_url: str, lang: str):
    for path in PAGES:
        _drawn(phone, server_url, path, f"lang={lang}&text=large")
        assert phone.page.evaluate(OVERFLOW) <= 0, path
        phone.screenshot(f"large-text-phone-{path or 'overview'}-{lang}")
