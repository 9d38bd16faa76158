"""The dashboard in the meeting room: the overview's first screen on a projector and a large
screen, and the slides."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Visit

SCREENS = [(1366, 768), (1920, 1080)]


def _within(box: dict | None, width: int, height: int) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width
        and (box["y"] + box["height"] <= height)
    )


@pytest.mark.parametrize(("width", "height"), SCREENS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overviews_first_screen_shows_the_figures_and_the_map(browser, server_url, width, height, lang):
    page = browser.new_page(viewport={"width": width, "height": height})
    visit = Visit(page)
    try:
        visit.open(f"{server_url}/?lang={lang}")
        visit.map_drawn()
        values = page.locator("[data-testid='stMetricValue']")
        assert values.count() == 6
        for index in range(6):
            assert _within(values.nth(index).bounding_box(), width, height), f"figure {index + 1} below the fold"
        assert _within(page.locator("iframe[title='streamlit_folium.st_folium']").first.bounding_box(), width, height)
        # The legend folds on a map this small, clear of the names.
        frame = visit.map_frame()
        assert frame.locator(".map-legend details").get_attribute("open") is None
        assert frame.locator(".township-label").count() == 3
        visit.screenshot(f"overview-first-screen-{width}-{lang}")
        assert visit.outside == []
    finally:
        page.close()


# Labels side by side clash when their boxes meet; tilted ones (Plotly tilts labels that would
# clash) when neighbours are closer across their slant than a line of text is high.
_OVERLAPPING_TICKS = """() => {
  const clashes = [];
  document.querySelectorAll("[data-testid='stPlotlyChart'] .main-svg").forEach((svg, chart) => {
    const ticks = [...svg.querySelectorAll(".xtick text")].filter((t) => t.getBoundingClientRect().width > 0);
    const angle = (t) => Math.abs(parseFloat((/rotate\\((-?[\\d.]+)/.exec(t.getAttribute("transform") || "") || [0, 0])[1]));
    const boxes = ticks.map((t) => [t.getBoundingClientRect(), angle(t), t.getBBox().height])
      .sort((a, b) => a[0].left - b[0].left);
    for (let i = 1; i < boxes.length; i++) {
      const [a, tilt] = boxes[i - 1], [b, , height] = boxes[i];
      if (tilt > 1) {
        const across = (b.left - a.left) * Math.sin((tilt * Math.PI) / 180);
        if (across < height * 0.9) clashes.push(chart);
      } else if (a.right > b.left + 1) clashes.push(chart);
    }
  });
  return clashes;
}"""


@pytest.mark.parametrize("path", ["", "industry", "tourism", "governance", "party"])
@pytest.mark.parametrize("width", [1280, 1920])
def test_axis_labels_never_run_together(browser, server_url, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    visit = Visit(page)
    try:
        visit.open(f"{server_url}/{path}?lang=zh")
        page.locator("[data-testid='stPlotlyChart'] .xtick text").first.wait_for(timeout=30_000)
        page.wait_for_timeout(500)  # Plotly's second pass, which tilts labels that clash
        assert page.evaluate(_OVERLAPPING_TICKS) == []
    finally:
        page.close()
