"""A viewer (not signed in) follows every page, control, download and export within reach and
finds no grid worker's name or phone number in clear anywhere: not on screen, not in a file the
browser fetched, not in a download; and a ★ on no value that the report does not give."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Iterator

import pytest
from playwright.sync_api import Response

from lib.catalog import DATASETS
from lib.i18n import tr
from lib.loading import DEFAULT_DATA_DIR, load_all
from tests.browser.conftest import Visit
from tests.browser.test_hostile_input import pages

pytestmark = pytest.mark.browser

GRIDS = load_all(DEFAULT_DATA_DIR).frame("patrol_grids")
PERSONAL = sorted({str(v) for column in ("worker_name", "worker_phone") for v in GRIDS[column].dropna() if str(v)})
# The values the bundled data takes from the report, the only ones a ★ may mark.
REPORTED_VALUES = {1500.0, 500.0}
STARRED = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap((plot) =>
  (plot._fullData || []).flatMap((trace) => (Array.isArray(trace.text) ? trace.text : []).flatMap((text, i) =>
    String(text).includes('★') ? [Number(trace.orientation === 'h' ? trace.x[i] : trace.y[i])] : [])))
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
        for button in page.locator("[data-testid='stDownloadButton'] button").all():
            with page.expect_download() as download:
                button.click()
            content = download.value.path().read_bytes()
            assert _in_clear(_unpacked(download.value.suggested_filename, content)) == [], dataset.path
            downloads += 1
    assert downloads >= len(DATASETS)

    # The quarter's report as a viewer takes it away: HTML, PowerPoint, chart pictures.
    page = visit.open(f"{server_url}/present?lang=zh&quarter=2024Q1")
    page.get_by_text("导出本季度汇报").click()
    page.get_by_role("button", name="生成导出文件").click()
    for name in ("report-2024Q1-zh.html", "report-2024Q1-zh.pptx", "charts-2024Q1-zh.zip"):
        button = page.get_by_role("button", name=name)
        button.wait_for(timeout=120_000)
        with page.expect_download() as download:
            button.click()
        assert _in_clear(_unpacked(name, download.value.path().read_bytes())) == [], name
    # And nothing the browser fetched on the way, layer files included, held one.
    assert fetched.bodies and {url: _in_clear(body) for url, body in fetched.bodies.items() if _in_clear(body)} == {}


@pytest.mark.parametrize("township", ["all", "sanjiangkou"])
def test_a_star_marks_only_a_value_the_report_gives(visit: Visit, server_url: str, township: str):
    starred: list[float] = []
    for path in ("", "industry"):
        page = visit.open(f"{server_url}/{path}?lang=zh&quarter=2024Q1&township={township}")
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        starred += page.evaluate(STARRED)
    if township == "all":
        # Bars by quarter add the three townships: unstarred. Only the bars of one township and
        # industry (by township) are the report's own values.
        assert sorted(starred) == [500.0, 1500.0]
    else:
        assert set(starred) == REPORTED_VALUES and len(starred) >= 4
