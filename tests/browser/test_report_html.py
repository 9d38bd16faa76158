"""The HTML report as a presenter opens it from a USB stick: a file, no server, no network."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page

from lib.files.loading import Data, load_all
from lib.reports.html_report import html_report
from lib.reports.slides import build_slides
from tests.browser.conftest import ARTIFACTS, Visit, axe_violations

QUARTER = "2024Q1"
HOSTILE = "<img src=x onerror=alert(1)>"
# A drawn Plotly chart has its main SVG with the plot area in it (the hover layer is a second .main-svg).
DRAWN_CHARTS = "document.querySelectorAll('.js-plotly-plot .main-svg .cartesianlayer').length"
# Folium names the Leaflet map map_<hash>; a map laid out with no size zooms out to the world (zoom 0).
ZOOM = "window[Object.keys(window).find((name) => name.startsWith('map_'))].getZoom()"


class OfflineVisit(Visit):
    """A tab that records the requests trying to leave the machine and the dialogs opened."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def offline(browser: Browser) -> Iterator[OfflineVisit]:
    """A tab with the network cut, as on a presenter's laptop without a connection."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.set_offline(True)
    yield OfflineVisit(context.new_page())
    context.close()


def _open_report(visit: Visit, data: Data, lang: str, folder: Path) -> tuple[str, list]:
    """Write the report, open it as a file, and wait until every chart and map has drawn."""
    path = folder / f"report-{lang}.html"
    path.write_text(html_report(data, QUARTER, lang), encoding="utf-8")
    slides = build_slides(data, QUARTER, lang)
    visit.page.goto(path.as_uri())
    charts = sum(len(s.charts) for s in slides)
    visit.page.wait_for_function(f"{DRAWN_CHARTS} === {charts}", timeout=15_000)
    maps = [s for s in slides if s.has_map]
    for index in range(len(maps)):
        visit.page.frame_locator("iframe.map").nth(index).locator(".leaflet-overlay-pane path").first.wait_for(
            state="attached"
        )
        frame = visit.page.locator("iframe.map").nth(index).element_handle().content_frame()
        frame.wait_for_function(f"{ZOOM} >= 9", timeout=10_000)  # fitted to the area once laid out
    return path.read_text(encoding="utf-8"), maps


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_draws_from_a_file_with_no_network(offline: OfflineVisit, bundled: Data, tmp_path: Path, lang: str):
    text, maps = _open_report(offline, bundled, lang, tmp_path)
    page = offline.page
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
    assert page.locator("section.slide").count() == len(build_slides(bundled, QUARTER, lang)) - 1  # title heads
    assert page.evaluate(DRAWN_CHARTS) == page.locator(".js-plotly-plot").count() > 0
    assert page.locator("iframe.map").count() == len(maps) > 0
    for index, slide in enumerate(maps):
        frame = page.frame_locator("iframe.map").nth(index)
        assert frame.locator(".leaflet-overlay-pane path").count() > 0, slide.key
        assert frame.locator(".leaflet-tile").count() == 0
        if "townships" in (slide.map_layers or ()):
            assert frame.locator(".township-label").count() == 3, slide.key
    assert text.count("Plotly.newPlot") == page.locator(".js-plotly-plot").count()
    assert len(re.findall(r"\*\s*plotly\.js v\d", text)) == 1  # the library once, not per chart
    assert "<script src=" not in text
    assert not re.search(r"<link[^>]*href=[\"']?https?:", text)
    assert not re.search(r"url\(\s*[\"']?https?:|@import", text)
    if lang == "zh":
        # Chromium paints a frame out of view only once it has been scrolled to, as a reader does.
        for index in range(len(maps)):
            page.locator("iframe.map").nth(index).scroll_into_view_if_needed()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-html-zh.png"), full_page=True)
    assert offline.outside == []
    assert offline.dialogs == []


def test_html_in_the_data_stays_text(offline: OfflineVisit, data_copy: Path, tmp_path: Path):
    for name in ("townships", "counties"):  # names in popups, and names written on the map
        path = data_copy / "geo" / f"{name}.geojson"
        layer = json.loads(path.read_text(encoding="utf-8"))
        for feature in layer["features"]:
            feature["properties"]["name_zh"] = HOSTILE
        path.write_text(json.dumps(layer, ensure_ascii=False), encoding="utf-8")
    meetings = data_copy / "tables" / "joint_meetings.csv"
    with meetings.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        if row["quarter"] == QUARTER:
            row["topic_zh"] = HOSTILE
    with meetings.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    text, _maps = _open_report(offline, load_all(data_copy), "zh", tmp_path)
    page = offline.page
    assert HOSTILE not in text  # escaped wherever it went, in the page and in the maps' srcdoc
    assert HOSTILE in page.locator("#slide-party .summary").inner_text()
    assert page.locator("img").count() == 0
    frame = page.frame_locator("iframe.map").first
    assert any(HOSTILE in label for label in frame.locator(".county-label").all_inner_texts())
    assert frame.locator("img").count() == 0
    assert offline.dialogs == []
    assert offline.outside == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_passes_wcag_21_aa(offline: OfflineVisit, bundled: Data, tmp_path: Path, lang: str):
    _open_report(offline, bundled, lang, tmp_path)
    assert axe_violations(offline.page) == []
