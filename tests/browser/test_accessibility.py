"""Every page passes axe-core's WCAG 2.1 A and AA rules, in both languages, the map's frame
included: axe-core as `axe-playwright-python` bundles it (never fetched), run in each frame of
the page once its charts and maps are drawn."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from lib.serving.browser import MAP_DRAWN, MAP_FRAME
from tests.browser.conftest import Visit

PAGES = ["", "map", "industry", "tourism", "governance", "party", "present", "data"]
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# Once every chart on the page is drawn by plotly.
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll("[data-testid='stPlotlyChart']"))
    .every((chart) => (chart.querySelector('.js-plotly-plot') || {})._fullData)"""


def _violations(visit: Visit) -> list[str]:
    """Every violation axe-core finds in every frame of the page: rule, element, why."""
    page, script = visit.page, Axe().axe_script
    found = []
    for frame in page.frames:
        frame.evaluate(script)
        result = frame.evaluate(f"axe.run(document, {json.dumps(WCAG_21_AA)})")
        for violation in result["violations"]:
            for node in violation["nodes"]:
                why = (node.get("any") or node.get("all") or [{}])[0].get("message", "")
                found.append(f"{violation['id']} in {frame.url.split('?')[0][-40:]}: {node['target']} — {why}")
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_passes_wcag_21_aa(visit: Visit, server_url: str, path: str, lang: str):
    page = visit.open(f"{server_url}/{path}?lang={lang}")
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
    for index in range(page.locator(MAP_FRAME).count()):
        page.frame_locator(MAP_FRAME).nth(index).locator(MAP_DRAWN).wait_for(state="attached", timeout=30_000)
    assert _violations(visit) == []
