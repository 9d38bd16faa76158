"""The map on a county's data: counts per hexagon zoomed out, each feature of the view zoomed
in, and clicking, highlighting and search at both scales."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely
from playwright.sync_api import Frame, expect

from lib.contract.settings import ROOT
from lib.drawn.density import DENSE_ABOVE, DETAIL_FROM
from lib.files.loading import load_all
from lib.serving.browser import MAP_DRAWN, MAP_FRAME
from tests.browser.conftest import Visit, start_server
from tests.browser.test_map_interaction import _address_has, _click_township, _map_window
from tests.conftest import run_command

GRIDS, SITES = DENSE_ABOVE + 500, DENSE_ABOVE * 3
FADED = "#DDDDDD"


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    """A county-sized set, small enough to make quickly, large enough to be dense."""
    cwd = tmp_path_factory.mktemp("county")
    made = run_command(
        ROOT / "scripts/data/make_large_data.py", "data", "--grids", str(GRIDS), "--sites", str(SITES), cwd=cwd
    )
    assert made.returncode == 0, made.stderr
    return cwd / "data"


@pytest.fixture(scope="module")
def county_url(county: Path) -> Iterator[str]:
    server, url = start_server(county)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _shown(visit: Visit, key: str) -> dict:
    return _map_window(visit).evaluate("key => window.WanfengMap.shown(key)", key)


def _drawn_again(visit: Visit) -> Frame:
    """The map's window once what the last move asked for is fetched and drawn."""
    window = _map_window(visit)
    window.wait_for_selector(MAP_DRAWN, state="attached", timeout=60_000)
    return window


def _fill(window: Frame, feature_id: str) -> str | None:
    return window.evaluate(
        """id => { let found = null;
            window.wanfengMap.eachLayer(l => { if (l.feature && l.feature.properties.id === id) found = l.options.fillColor; });
            return found; }""",
        feature_id,
    )


def _searched_site(county: Path) -> tuple[dict, list[str]]:
    """A Mabeng site with sites of other townships within a kilometre, and those sites' ids."""
    sites = load_all(county).frame("sites")
    mabeng, others = (
        sites[sites["township_id"] == "mabeng"],
        sites[sites["township_id"].isin(["lubuge", "sanjiangkou"])],
    )
    for _, site in mabeng.iterrows():
        near = others[shapely.distance(others.geometry.values, site.geometry) < 0.01]  # about a km
        if not near.empty:
            return site.to_dict(), list(near["id"])
    raise AssertionError("no Mabeng site near another township's")


def test_zoomed_out_the_county_is_counted_per_hexagon_and_a_click_selects_the_township(visit: Visit, county_url: str):
    visit.open(f"{county_url}/map?lang=zh")
    visit.map_drawn()
    for key in ("patrol_grids", "sites"):
        shown = _shown(visit, key)
        assert not shown["detail"] and 0 < shown["features"] < 1_000
        assert shown["highlighted"] == shown["features"]  # nothing selected: all in colour
    visit.screenshot("county-map-zoomed-out-zh")
    # A hexagon away from the townships (they lie over the hexagons in the middle).
    point = _map_window(visit).evaluate(
        """() => { const map = window.wanfengMap, size = map.getSize();
            let best = null;
            map.eachLayer(l => {
                if (!l.feature || !l.feature.properties.k || !l.getBounds) return;
                const p = map.latLngToContainerPoint(l.getBounds().getCenter());
                if (p.x < 60 || p.y < 60 || p.x > size.x - 60 || p.y > size.y - 60) return;
                if (!best || p.x > best[0]) best = [p.x, p.y];
            });
            return best; }"""
    )
    box = visit.page.locator(MAP_FRAME).first.bounding_box()
    visit.page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    popup = visit.map_frame().locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert "放大地图可见每一个" in popup.inner_text() and " 个" in popup.inner_text()
    visit.screenshot("county-map-hexagon-clicked-zh")
    _click_township(visit, "马蚌镇")
    _address_has(visit, "township=mabeng")
    # The hexagons count Mabeng's grids alone: those without any fade.
    window = _map_window(visit)
    window.wait_for_function(
        "() => { const s = window.WanfengMap.shown('patrol_grids'); return s.highlighted < s.features; }",
        timeout=15_000,
    )
    visit.screenshot("county-map-mabeng-zh")


def test_zoomed_in_each_feature_of_the_view_is_drawn_found_clicked_and_highlighted(
    visit: Visit, county_url: str, county: Path
):
    site, neighbours = _searched_site(county)
    page = visit.open(f"{county_url}/map?lang=zh&township=mabeng")
    visit.map_drawn()
    search = page.get_by_role("textbox", name="查找地点")
    search.fill(site["name_zh"])
    search.press("Enter")
    visit.settle()
    page.get_by_role("button", name=site["name_zh"], exact=True).click()
    window = _map_window(visit)
    window.wait_for_function(f"() => window.wanfengMap.getZoom() >= {DETAIL_FROM}", timeout=15_000)
    visit.map_drawn()
    window = _drawn_again(visit)
    shown = _shown(visit, "sites")
    assert shown["detail"] and 0 < shown["features"] < SITES  # the view's sites, not the county's
    # The site found is drawn, in colour; those of other townships beside it fade.
    assert _fill(window, site["id"]) not in (None, FADED)
    assert {_fill(window, n) for n in neighbours} - {None} == {FADED}
    point = window.evaluate(
        "([lat, lng]) => { const p = window.wanfengMap.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }",
        [site["geometry"].y, site["geometry"].x],
    )
    box = page.locator(MAP_FRAME).first.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    # One popup: the one the search opened fades out as the click's opens.
    popup = visit.map_frame().locator(".leaflet-popup-content")
    expect(popup).to_have_count(1, timeout=10_000)
    assert site["name_zh"] in popup.inner_text()
    visit.screenshot("county-map-zoomed-in-zh")
    # Zoomed out again, the hexagons come back.
    window.evaluate("() => { window.wanfengMap.setZoom(11); }")
    window.wait_for_function("() => !window.WanfengMap.shown('sites').detail", timeout=15_000)
    _drawn_again(visit)
    assert _shown(visit, "sites")["features"] < 1_000


def test_the_legend_says_what_a_hexagon_shows_in_english(visit: Visit, county_url: str):
    visit.open(f"{county_url}/map?lang=en")
    frame = visit.map_drawn()
    assert frame.locator(".map-legend", has_text="Zoomed out: how many per hexagon").count() == 1
    visit.screenshot("county-map-zoomed-out-en")
    assert visit.outside == []
