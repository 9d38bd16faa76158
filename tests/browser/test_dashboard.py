"""What users see: every page in a real browser, offline, on a desktop and on a phone."""

from __future__ import annotations

import http.cookiejar
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from lib.contract.settings import DEFAULT_DATA_DIR
from tests.browser.conftest import Visit, start_server

# URL paths; the overview is the default page, at the root.
PAGES = ["", "map", "industry", "tourism", "governance", "party"]
PAGES_WITH_MAP = ["", "map", "industry", "tourism", "governance"]
PAGES_WITH_CHARTS = ["", "industry", "tourism", "governance", "party"]


def _map_drew(visit: Visit) -> dict[str, int]:
    frame = visit.map_drawn()
    return {
        "labels": frame.locator(".township-label").count(),
        "paths": frame.locator(".leaflet-overlay-pane path").count(),
        "legend": frame.locator(".map-legend").count(),
        "tiles": frame.locator(".leaflet-tile").count(),
    }


@pytest.mark.parametrize("page", PAGES)
def test_page_draws_offline(visit: Visit, server_url: str, page: str):
    shown = visit.open(f"{server_url}/{page}?lang=zh")
    assert shown.locator("h1").first.inner_text()
    if page in PAGES_WITH_MAP:
        drawn = _map_drew(visit)
        assert drawn["labels"] == 3  # the three township names stand on the map
        assert drawn["paths"] >= 10 and drawn["legend"] == 1
        assert drawn["tiles"] == 0  # no basemap by default: nothing to fetch
    if page in PAGES_WITH_CHARTS:
        charts = shown.locator("[data-testid='stPlotlyChart'] .main-svg")
        charts.first.wait_for(timeout=30_000)
        assert (
            shown.locator(
                "[data-testid='stPlotlyChart'] .bars, [data-testid='stPlotlyChart'] .scatterlayer .trace"
            ).count()
            > 0
        )
    assert not shown.locator("[data-testid='stException']").count()
    visit.screenshot(f"desktop-{page or 'overview'}-zh")
    assert visit.outside == []


def test_every_map_layer_draws(visit: Visit, server_url: str):
    visit.open(f"{server_url}/map?lang=zh")
    _map_drew(visit)
    frame = visit.map_frame()
    names = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    for expected in ("万峰湖", "河流", "乡镇范围", "网格", "一日游", "产业联盟基地", "站点"):
        assert any(expected in name for name in names), (expected, names)
    assert (
        frame.locator(".leaflet-marker-pane .township-label").all_inner_texts() == ["三江口镇", "鲁布革乡", "马蚌镇"]
        or frame.locator(".township-label").count() == 3
    )
    assert "示意" in frame.locator(".map-legend").inner_text()


def test_feature_details_on_click(visit: Visit, server_url: str):
    visit.open(f"{server_url}/map?lang=en")
    _map_drew(visit)
    frame = visit.map_frame()
    label = frame.locator(".township-label span").first.bounding_box()
    # The map reaches below the window: pressing it must not scroll the page before the release
    # (the click would meet whatever moved under the pointer: here a small site marker).
    map_box = visit.page.locator("iframe").first.bounding_box()
    assert map_box["y"] + map_box["height"] > visit.page.viewport_size["height"]
    # The labels let clicks through to the township (and grid) beneath them.
    visit.page.mouse.click(label["x"] + label["width"] / 2, label["y"] + label["height"] + 4)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert popup.inner_text().strip()


def test_english_from_the_url(visit: Visit, server_url: str):
    shown = visit.open(f"{server_url}/?lang=en")
    assert shown.locator("h1").first.inner_text() == "Overview"
    assert "Headline figures" in shown.inner_text("body")
    expect(shown.locator("[data-testid='stSidebar']")).to_contain_text("Township", timeout=30_000)
    _map_drew(visit)
    assert "Legend" in visit.map_frame().locator(".map-legend").inner_text()
    visit.screenshot("desktop-overview-en")
    assert visit.outside == []


def test_view_survives_page_changes(visit: Visit, server_url: str):
    shown = visit.open(f"{server_url}/?lang=en&quarter=2023Q4&township=lubuge")
    shown.locator("[data-testid='stSidebarNav'] a", has_text="Party building").click()
    visit.settle()
    shown.wait_for_url("**/party**")
    assert "lang=en" in shown.url and "quarter=2023Q4" in shown.url and "township=lubuge" in shown.url
    assert shown.locator("h1").first.inner_text() == "Party building"


@pytest.mark.parametrize("page", PAGES)
def test_phone_layout(phone: Visit, server_url: str, page: str):
    shown = phone.open(f"{server_url}/{page}?lang=zh")
    if page in PAGES_WITH_MAP:
        _map_drew(phone)
    overflow = shown.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    phone.screenshot(f"phone-{page or 'overview'}")
    assert phone.outside == []


@pytest.fixture(scope="module")
def broken_server_url(tmp_path_factory) -> Iterator[str]:
    """A server on a copy of the data with an unreadable layer and a bad table row."""
    folder = tmp_path_factory.mktemp("broken") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    (folder / "geo/townships.geojson").write_text("{not json", encoding="utf-8")
    output = folder / "tables/output.csv"
    output.write_text(output.read_text(encoding="utf-8").replace(",1500,", ",1500万,"), encoding="utf-8")
    server, url = start_server(folder)
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_bad_files_are_named_and_the_rest_works(visit: Visit, broken_server_url: str):
    shown = visit.open(f"{broken_server_url}/?lang=en")
    shown.get_by_text("2 data problems", exact=False).click()
    output = shown.locator("[data-testid='stMetric']", has_text="Output (10k yuan)").first
    assert "incomplete" in output.inner_text()
    problems = shown.locator("[data-testid='stExpander']").first.inner_text()
    assert "geo/townships.geojson" in problems and "not valid JSON" in problems
    assert "tables/output.csv" in problems and "output_10k_yuan" in problems and "1500万" in problems
    drawn = _map_drew(visit)
    assert drawn["labels"] == 0 and drawn["paths"] >= 10  # no townships, every other layer
    assert shown.locator("[data-testid='stPlotlyChart'] .main-svg").count() >= 2
    visit.screenshot("desktop-broken-data-en")
    assert visit.outside == []


def test_the_server_refuses_an_upload_without_the_pages_token(server_url: str):
    cookies = http.cookiejar.CookieJar()
    client = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    client.open(f"{server_url}/_stcore/health").close()
    token = next(c.value for c in cookies if c.name == "_streamlit_xsrf")
    upload = f"{server_url}/_stcore/upload_file/some-session/some-file"
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.open(urllib.request.Request(upload, data=b"x", method="PUT"))
    assert refused.value.code == 403
    # With the token the request passes that check and fails only for its made-up session.
    with pytest.raises(urllib.error.HTTPError) as unknown:
        client.open(urllib.request.Request(upload, data=b"x", method="PUT", headers={"X-Xsrftoken": token}))
    assert unknown.value.code == 400
