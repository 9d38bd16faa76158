"""Every page passes axe-core's WCAG 2.1 A and AA rules, in both languages, the map's frame
included, once its charts and maps are drawn (in large text, in test_large_text; the slides, in
test_present; the exported report, in test_report_html)."""

from __future__ import annotations

import pytest

from lib.serving.browser import MAP_DRAWN, MAP_FRAME
from tests.browser.conftest import EVERY_CHART_DRAWN, Visit, axe_violations

PAGES = ["", "map", "industry", "tourism", "governance", "party", "present", "data"]


@pytest.mark.parametrize("view", ["lang=zh", "lang=en"])  # in large text: test_large_text
@pytest.mark.parametrize("path", PAGES)
def test_every_page_passes_wcag_21_aa(visit: Visit, server_url: str, path: str, view: str):
    page = visit.open(f"{server_url}/{path}?{view}")
    page.wait_for_function(EVERY_CHART_DRAWN, timeout=30_000)
    for index in range(page.locator(MAP_FRAME).count()):
        page.frame_locator(MAP_FRAME).nth(index).locator(MAP_DRAWN).wait_for(state="attached", timeout=30_000)
    assert axe_violations(visit.page) == []
