"""A viewer (not signed in) follows every page, control, download and export within reach and
finds no grid worker's name or phone number in clear anywhere: not on screen, not in a file the
browser fetched, not in a download; and a ★ on no value that the report does not give."""

from __future__ import annotations

import base64
import contextlib
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from docx import Document
from playwright.sync_api import Response
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from lib.contract.catalog import DATASETS, REPORT_CITATION, Lang
from lib.contract.i18n import tr
from lib.contract.settings import DEFAULT_DATA_DIR
from lib.drawn.provenance import REPORTED, reported_fields
from lib.files.loading import load_all
from lib.reports.slides import build_slides
from tests.browser.conftest import Visit
from tests.browser.test_hostile_input import pages

pytestmark = pytest.mark.browser

DATA = load_all(DEFAULT_DATA_DIR)
GRIDS = DATA.frame("patrol_grids")
PERSONAL = sorted({str(v) for column in ("worker_name", "worker_phone") for v in GRIDS[column].dropna() if str(v)})
# The values the bundled data takes from the report, the only ones a ★ may mark.
REPORTED_VALUES = {1500.0, 500.0}
STARRED = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap((plot) =>
  (plot._fullData || []).flatMap((trace) => (Array.isArray(trace.text) ? trace.text : []).flatMap((text, i) =>
    String(text).includes('★') ? [Number(trace.orientation === 'h' ? trace.x[i] : trace.y[i])] : [])))
"""
# Once the page holds ``count`` charts, each drawn by plotly (they are drawn after the script ends).
CHARTS_DRAWN = """
(count) => {
  const charts = Array.from(document.querySelectorAll("[data-testid='stPlotlyChart']"));
  return charts.length === count && charts.every((chart) => (chart.querySelector('.js-plotly-plot') || {})._fullData);
}
"""
# Every text on the page with a ★ outside the charts (STARRED reads those), with the value of
# the headline figure whose label it is (null for any other text).
STARS_IN_TEXT = """
() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("[data-testid='stMain']"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.includes('★') || node.parentElement.closest('.js-plotly-plot')) continue;
    const metric = node.parentElement.closest("[data-testid='stMetric']");
    const value = metric && metric.querySelector("[data-testid='stMetricValue']");
    found.push([node.textContent, value ? value.innerText : null]);
  }
  return found;
}
"""


class Fetched:
    """Every text the browser received from the dashboard's own files (layers, media, scripts)."""

    def __init__(self) -> None:
        self.bodies: dict[str, str] = {}

    def __call__(self, response: Response) -> None:
        if re.search(r"/(app/static|media)/", response.url):
            with contextlib.suppress(Exception):  # a response the page dropped before it was read
                self.bodies[response.url] = response.body().decode("utf-8", "replace")


def _in_clear(text: str) -> list[str]:
    return [detail for detail in PERSONAL if detail in text]


def _screen(visit: Visit) -> str:
    """The page's text and that of every frame in it (the map's included)."""
    return "\n".join(frame.content() for frame in visit.page.frames)


def _unpacked(name: str, content: bytes) -> str:
    """A downloaded file's text: an Office file's or a ZIP's members, or the file itself."""
    if content[:2] != b"PK":
        return content.decode("utf-8-sig", "replace")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(member).decode("utf-8", "replace") for member in archive.namelist())


def _unexplained(text: str, lang: Lang) -> int:
    """How many ★ in ``text`` are not in a sentence that explains the mark (a legend, a note,
    the citation under a reported detail) nor right after a value the report gives (a chart's
    figures in words): each of those must stand on a value."""
    citation = REPORT_CITATION(lang)
    explained = [
        tr("provenance.citation", lang, citation=citation),
        tr("facts.title", lang, citation=citation),
        tr("chart.reported_marker", lang),
        tr("chart.illustrative_note", lang),
    ]
    for phrase in sorted(explained, key=len, reverse=True):
        text = text.replace(phrase, "")
    # A chart's figures in words or as a table: the ★ stands right after its value.
    text = re.sub(rf"([\d,]+(?:\.\d+)?) {REPORTED}", lambda m: "" if _reported_figure(m[1]) else m[0], text)
    return text.count(REPORTED)


def _reported_figure(value: str) -> bool:
    """Whether a headline figure as shown ("1,500", "500余") is a value the report gives."""
    return float(value.replace(",", "").removesuffix("余").removesuffix("+")) in REPORTED_VALUES


def _numbers(values) -> list:
    """A plotly array as written into HTML: a list, or a typed array in base64."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def _objects(text: str, opening: str) -> Iterator:
    """The JSON values that follow each match of ``opening`` in ``text``."""
    decoder = json.JSONDecoder()
    for match in re.finditer(opening, text):
        with contextlib.suppress(ValueError):
            yield decoder.raw_decode(text, match.end())[0]


def _layer_records(lang: Lang) -> dict[tuple[str, str], list]:
    """Every feature of the bundled layers by id and name, as a map's popup data names it."""
    records: dict[tuple[str, str], list] = {}
    for key, dataset in DATASETS.items():
        frame = DATA.frame(key)
        if dataset.is_layer and frame is not None:
            for row in frame.drop(columns=frame.geometry.name).to_dict("records"):
                records.setdefault((str(row["id"]), str(row[f"name_{lang}"])), []).append((dataset, row))
    return records


def _wrongly_marked(feature: dict, records: dict, lang: Lang) -> list[str]:
    """Details a map's popup stars (or cites the report for) that the report does not give."""
    candidates = records.get((html.unescape(feature["id"]), html.unescape(feature["n"])), [])
    wrong = [] if not feature.get("r") or any(reported_fields(d, r) for d, r in candidates) else ["cited"]
    for detail in map(html.unescape, map(str, feature["d"])):
        value = detail.removesuffix(f" {REPORTED}")
        given = {d.field(f).display(r.get(f), lang) for d, r in candidates for f in reported_fields(d, r)}
        if REPORTED in detail and value not in given:
            wrong.append(detail)
    return [f"{feature['id']}: {w}" for w in wrong]


def _html_stars(content: bytes, lang: Lang) -> tuple[list[float], list[str], int]:
    """The HTML report's ★: the values its charts star, the map details starred that the report
    does not give, and how many ★ stand anywhere else (outside a sentence explaining them)."""
    text = html.unescape(content.decode("utf-8"))  # the maps are documents in srcdoc attributes
    starred: list[float] = []
    for traces in _objects(text, r'Plotly\.newPlot\(\s*"[^"]+",\s*'):
        for trace in traces:
            texts = trace.get("text") if isinstance(trace.get("text"), list) else []
            values = _numbers(trace.get("x" if trace.get("orientation") == "h" else "y") or [])
            starred += [float(values[i]) for i, t in enumerate(texts) if REPORTED in str(t)]
    features = [f for f in _objects(text, r'"properties":\s*') if isinstance(f, dict) and {"id", "n", "d"} <= set(f)]
    records = _layer_records(lang)
    wrong = [w for feature in features for w in _wrongly_marked(feature, records, lang)]
    in_popups = sum(str(d).count(REPORTED) for f in features for d in f["d"])
    assert in_popups, "the maps' popups star the bases' reported sizes"
    decoded = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)  # JSON's escapes
    return starred, wrong, _unexplained(decoded, lang) - len(starred) - in_popups


def _pptx_stars(content: bytes, lang: Lang) -> tuple[list[float], list[str], str]:
    """The deck's ★: the values its charts' points star, every text run, chart title, category
    and series name with a ★ not in a sentence explaining it, and the deck's text."""
    starred: list[float | None] = []
    wrong: list[str] = []
    texts: list[str] = []

    def shapes(group) -> Iterator:
        for shape in group:
            yield shape
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                yield from shapes(shape.shapes)

    for number, slide in enumerate(Presentation(io.BytesIO(content)).slides, start=1):
        for shape in shapes(slide.shapes):
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            texts += [run.text for frame in frames for paragraph in frame.paragraphs for run in paragraph.runs]
            if not shape.has_chart:
                continue
            chart = shape.chart
            texts += [chart.chart_title.text_frame.text] if chart.has_title else []
            for plot in chart.plots:
                wrong += [f"{number}: {c}" for c in plot.categories if REPORTED in str(c)]
                for series in plot.series:
                    wrong += [f"{number}: {series.name}"] if REPORTED in series.name else []
                    for point, value in zip(series.points, series.values, strict=False):
                        label = point.data_label
                        if label.has_text_frame and REPORTED in label.text_frame.text:
                            starred.append(value)
    wrong += [text for text in texts if _unexplained(text, lang)]
    return starred, wrong, "\n".join(texts)


def _docx_text(content: bytes) -> str:
    """The Word brief's text: its paragraphs and the cells of its tables."""
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def _step_through_slides(visit: Visit) -> list[float]:
    """Every slide of the Present page in turn: no personal detail on it, a ★ on no headline
    figure the report does not give and in no other text but one explaining the mark; the values
    its charts star."""
    page = visit.page
    slides = build_slides(DATA, "2024Q1", "zh")
    count = len(slides)
    starred: list[float] = []
    for number, slide in enumerate(slides, start=1):
        if number > 1:
            visit.press(page.get_by_role("button", name=f"{tr('slides.next', 'zh')} →"), f"第 {number} / {count} 页")
        page.get_by_text(f"第 {number} / {count} 页").first.wait_for(timeout=30_000)
        visit.settle()
        # Two visuals beside the sentences at most, the map first (as lib.app.presentation lays them out).
        charts = min(len(slide.charts) + slide.has_map, 2) - slide.has_map
        page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=30_000)
        starred += page.evaluate(STARRED)
        for text, figure in page.evaluate(STARS_IN_TEXT):
            assert _reported_figure(figure) if figure is not None else not _unexplained(text, "zh"), (number, text)
        assert _in_clear(_screen(visit)) == [], number
    return starred


@pytest.fixture
def watched(visit: Visit) -> Iterator[tuple[Visit, Fetched]]:
    fetched = Fetched()
    visit.page.on("response", fetched)
    yield visit, fetched


def test_personal_details_reach_no_viewer_by_any_path(watched, server_url: str):
    visit, fetched = watched
    assert PERSONAL, "the bundled grids name their workers"
    page = visit.open(f"{server_url}/?lang=zh")
    for lang in ("zh", "en"):
        if lang == "en":
            page.locator("[data-testid='stSidebar'] label", has_text="English").click()
            visit.settle()
        for path, key in pages():
            if path == "present":
                continue  # it hides the sidebar; opened with its export below
            page.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']").first.click()
            page.locator("h1", has_text=tr(key, lang)).first.wait_for(timeout=30_000)
            visit.settle()
            if page.locator("iframe[title='streamlit_folium.st_folium']").count():
                visit.map_drawn()
            assert _in_clear(_screen(visit)) == [], (lang, path)
        # The search finds places by name, never a person.
        page.locator("[data-testid='stSidebarNav'] a[href$='/map']").first.click()
        visit.settle()
        page.get_by_role("textbox", name=tr("map.search", lang)).fill(PERSONAL[0])
        page.keyboard.press("Enter")
        page.get_by_text(tr("map.search_none", lang)).wait_for()

    # Every file of the data page, downloaded as a viewer, and each table's template.
    page = visit.open(f"{server_url}/data?lang=zh")
    downloads = 0
    for dataset in DATASETS.values():
        visit.choose("选择文件", f"{dataset.path} · {dataset.title('zh')}")
        # The buttons are listed once the chosen file's own stand: not the last file's, mid-rerun.
        page.get_by_role("button", name=f"下载 {Path(dataset.path).name}").wait_for(timeout=30_000)
        visit.settle()
        for button in page.locator("[data-testid='stDownloadButton'] button").all():
            with page.expect_download() as download:
                button.click()
            content = download.value.path().read_bytes()
            assert _in_clear(_unpacked(download.value.suggested_filename, content)) == [], dataset.path
            downloads += 1
    assert downloads >= len(DATASETS)

    # The quarter's slides as a viewer steps through them: a ★ only on the report's values (the
    # jobs of Sanjiangkou's wood processing by township; no sum of three townships).
    page = visit.open(f"{server_url}/present?lang=zh&quarter=2024Q1")
    starred = _step_through_slides(visit)
    assert starred and set(starred) <= REPORTED_VALUES, starred

    # The quarter's report as a viewer takes it away: HTML, PowerPoint, Word, chart pictures.
    page.get_by_role("button", name="导出", exact=True).click()
    page.get_by_role("button", name="生成导出文件").click()
    files = {}
    for name in ("report-2024Q1-zh.html", "report-2024Q1-zh.pptx", "report-2024Q1-zh.docx", "charts-2024Q1-zh.zip"):
        button = page.get_by_role("button", name=name)
        button.wait_for(timeout=120_000)
        with page.expect_download() as download:
            button.click()
        files[name] = download.value.path().read_bytes()
        assert _in_clear(_unpacked(name, files[name])) == [], name
    brief = _docx_text(files["report-2024Q1-zh.docx"])
    assert "2024" in brief and _in_clear(brief) == [] and _unexplained(brief, "zh") == 0
    starred, wrong, elsewhere = _html_stars(files["report-2024Q1-zh.html"], "zh")
    assert starred and set(starred) <= REPORTED_VALUES and wrong == [] and elsewhere == 0, (starred, wrong, elsewhere)
    starred, wrong, deck = _pptx_stars(files["report-2024Q1-zh.pptx"], "zh")
    assert starred and set(starred) <= REPORTED_VALUES and wrong == [], (starred, wrong)
    assert _in_clear(deck) == []
    # And nothing the browser fetched on the way, layer files included, held one.
    assert fetched.bodies and {url: _in_clear(body) for url, body in fetched.bodies.items() if _in_clear(body)} == {}


@pytest.mark.parametrize("township", ["all", "sanjiangkou"])
def test_a_star_marks_only_a_value_the_report_gives(visit: Visit, server_url: str, township: str):
    starred: list[float] = []
    # Two charts on the overview; four on the industry page, by quarter and by township.
    for path, charts in (("", 2), ("industry", 4)):
        page = visit.open(f"{server_url}/{path}?lang=zh&quarter=2024Q1&township={township}")
        page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=30_000)
        starred += page.evaluate(STARRED)
    if township == "all":
        # Bars by quarter add the three townships: unstarred. Only the bars of one township and
        # industry (by township) are the report's own values.
        assert sorted(starred) == [500.0, 1500.0]
    else:
        assert set(starred) == REPORTED_VALUES and len(starred) >= 4
