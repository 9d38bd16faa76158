"""Every page passes axe-core's WCAG 2.1 A and AA rules, in both languages, the map's frame
included, once its charts and maps are drawn (in large text, in test_large_text; the slides, in
test_present; the exported report, in test_report_html)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PAGES, Visit, axe_violations


@pytest.mark.parametrize("view", ["lang=zh", "lang=en"])  # in large text: test_large_text
@pytest.mark.parametrize("path", PAGES)
def test_every_page_passes_wcag_21_aa(visit: Visit, server_url: str, path: str, view: str):
    visit.open(f"{server_url}/{path}?{view}")
    visit.drawn(path)
    assert axe_violations(visit.page) == []
