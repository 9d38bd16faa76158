"""The map as leaders use it: a click selects a township, layers stay as they were left, the
map is not reloaded by what does not change it, and any place can be searched for."""

from __future__ import annotations

from playwright.sync_api import Frame, expect

from tests.browser.conftest import Visit


def _map_window(visit: Visit) -> Frame:
    return next(frame for frame in visit.page.frames if "st_folium" in frame.url)


def _view(visit: Visit) -> tuple[float, float, int]:
    return _map_window(visit).evaluate(
        "() => { const c = window.wanfengMap.getCenter(); return [c.lat, c.lng, window.wanfengMap.getZoom()]; }"
    )


def _address_has(visit: Visit, text: str) -> None:
    """Wait for the view in the address: Streamlit rewrites it without a navigation."""
    visit.page.wait_for_function("text => location.search.includes(text)", arg=text, timeout=30_000)
    visit.settle()


def _click_township(visit: Visit, name: str) -> None:
    label = visit.map_drawn().locator(".township-label", has_text=name).locator("span")
    label.scroll_into_view_if_needed()
    label = label.bounding_box()
    # The name lets clicks through to the township beneath it.
    visit.page.mouse.click(label["x"] + label["width"] / 2, label["y"] + label["height"] + 6)


def test_clicking_a_township_selects_it(visit: Visit, server_url: str):
    page = visit.open(f"{server_url}/?lang=en")
    visit.map_drawn()
    before = page.locator("[data-testid='stMetricValue']").first.inner_text()
    _click_township(visit, "Mabeng")
    _address_has(visit, "township=mabeng")
    expect(page.locator("[data-testid='stCaptionContainer']", has_text="Mabeng").first).to_be_visible()
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() != before  # the figures follow
    visit.screenshot("map-township-selected-en")
    page.get_by_role("button", name="Show all three townships").click()
    _address_has(visit, "township=all")
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() == before
    assert visit.outside == []


def test_a_layer_switched_off_stays_off(visit: Visit, server_url: str):
    page = visit.open(f"{server_url}/map?lang=zh")
    frame = visit.map_drawn()
    frame.locator(".leaflet-control-layers").hover()
    rivers = frame.locator(".leaflet-control-layers-overlays label", has_text="河流").locator("input")
    rivers.uncheck()
    _map_window(visit).evaluate("() => { window.stillTheSameMap = true; }")

    visit.choose("季度", "2023年四季度")
    _address_has(visit, "quarter=2023Q4")
    # The quarter does not change the map's frame: it is neither rebuilt nor reloaded.
    assert _map_window(visit).evaluate("() => window.stillTheSameMap === true")
    assert not rivers.is_checked()

    page.locator("[data-testid='stSidebarNav'] a", has_text="文旅").click()
    page.locator("h1", has_text="文旅").first.wait_for()
    visit.settle()
    frame = visit.map_drawn()
    overlays = frame.locator(".leaflet-control-layers-overlays label")
    assert not overlays.filter(has_text="河流").locator("input").is_checked()
    assert overlays.filter(has_text="一日游").locator("input").is_checked()


def test_search_by_chinese_and_english_name(visit: Visit, server_url: str):
    page = visit.open(f"{server_url}/map?lang=zh")
    visit.map_drawn()
    for query, found in (("马蚌", "马蚌镇"), ("Lubuge", "鲁布革布依族苗族乡")):
        before = _view(visit)
        search = page.get_by_role("textbox", name="查找地点")
        search.fill(query)
        search.press("Enter")
        visit.settle()
        page.get_by_role("button", name=found, exact=True).click()
        visit.settle()
        page.wait_for_function(
            """([frameUrl, before]) => {
                const frame = Array.from(document.querySelectorAll('iframe')).find(f => f.src.includes(frameUrl));
                const map = frame && frame.contentWindow.wanfengMap;
                if (!map) return false;
                const c = map.getCenter();
                return Math.abs(c.lat - before[0]) + Math.abs(c.lng - before[1]) > 0.005 || map.getZoom() !== before[2];
            }""",
            arg=["st_folium", before],
            timeout=15_000,
        )
    visit.screenshot("map-search-zh")


def test_map_controls(visit: Visit, server_url: str):
    visit.open(f"{server_url}/map?lang=en")
    frame = visit.map_drawn()
    assert frame.locator(".leaflet-control-scale").count() == 1
    assert frame.get_by_role("button", name="Full screen").count() == 1
    frame.get_by_role("button", name="Back to the tri-point").click()
    visit.page.wait_for_function(
        """() => { const f = Array.from(document.querySelectorAll('iframe')).find(f => f.src.includes('st_folium'));
                   return f && f.contentWindow.wanfengMap.getZoom() === 13; }""",
        timeout=10_000,
    )
