"""Everything reachable with the keyboard alone, with where it is always seen: the sidebar's
controls, the map's (zoom, full screen, back to the tri-point, layers, legend), the search and
a found place's details, and the slides. Nothing here clicks."""

from __future__ import annotations

from playwright.sync_api import Frame, Page, expect

from lib.serving.browser import MAP_FRAME
from tests.browser.conftest import Visit

# What has the keyboard's focus, in the page or in the map's frame: its accessible name (or
# its text), its role, and whether a focus ring is drawn around it.
FOCUSED = """() => {
  let element = document.activeElement;
  while (element && element.tagName === 'IFRAME' && element.contentDocument) element = element.contentDocument.activeElement;
  if (!element || element === document.body) return null;
  const style = element.ownerDocument.defaultView.getComputedStyle(element);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const label = element.labels && element.labels[0] ? element.labels[0].innerText : '';
  const name = element.getAttribute('aria-label') || element.getAttribute('title') || label || element.innerText || '';
  const role = element.getAttribute('role') || (element.tagName === 'INPUT' ? element.type : element.tagName.toLowerCase());
  return { name: name.trim().replace(/\\s+/g, ' ').slice(0, 80), role: role, ring: ring, inMap: element.ownerDocument !== document };
}"""


DRAWN = """() => getComputedStyle(document.documentElement).getPropertyValue('--text-scale') !== ''
  && document.querySelectorAll("[data-testid='stSidebar'] label").length >= 6"""


def _tab_to(page: Page, name: str, role: str | None = None, backwards: bool = False) -> list[dict]:
    """Press Tab (Shift+Tab) until an element whose name holds ``name`` (of ``role``) has the
    focus; every element passed on the way, each of which shows its focus ring."""
    # The page's own style (the focus ring among it) and the sidebar's controls are drawn from
    # code fetched after the run: a Tab before then would pass where they will be.
    page.wait_for_function(DRAWN, timeout=30_000)
    passed = []
    for _ in range(80):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        passed.append(focused)
        assert focused["ring"], f"no focus ring on {focused}"
        if name in focused["name"] and role in (None, focused["role"]):
            return passed
    raise AssertionError(f"{name!r} not reached with Tab; passed {[f['name'] for f in passed]}")


def _map_window(visit: Visit) -> Frame:
    return next(frame for frame in visit.page.frames if "st_folium" in frame.url)


def _address_has(visit: Visit, text: str) -> None:
    visit.page.wait_for_function("text => location.search.includes(text)", arg=text, timeout=30_000)
    visit.settle()


def test_the_sidebar_by_keyboard(visit: Visit, server_url: str):
    page = visit.open(f"{server_url}/?lang=en")
    passed = _tab_to(page, "Township")
    names = [f["name"] for f in passed]
    assert any(name.endswith("Map") for name in names)  # the pages, in the navigation (after its icon)
    assert any(f["role"] == "radio" for f in passed)  # the language
    assert any("Quarter" in name for name in names)
    page.keyboard.type("Mabeng")
    page.get_by_role("option", name="Mabeng", exact=True).wait_for(timeout=10_000)  # the list, filtered
    page.keyboard.press("Enter")
    _address_has(visit, "township=mabeng")
    _tab_to(page, "Large text", role="switch")
    page.keyboard.press("Space")
    _address_has(visit, "text=large")
    visit.screenshot("keyboard-sidebar-en")


def test_the_maps_controls_search_and_details_by_keyboard(visit: Visit, server_url: str):
    page = visit.open(f"{server_url}/map?lang=en")
    visit.map_drawn()
    window = _map_window(visit)
    zoom = window.evaluate("() => window.wanfengMap.getZoom()")
    _tab_to(page, "Zoom in", role="button")
    page.keyboard.press("Enter")
    window.wait_for_function(f"() => window.wanfengMap.getZoom() === {zoom + 1}", timeout=10_000)
    _tab_to(page, "Full screen", role="button")
    page.keyboard.press("Enter")
    window.wait_for_function("() => document.fullscreenElement !== null", timeout=10_000)
    page.keyboard.press("Enter")  # the same button leaves it (Esc is the browser's, not the page's)
    window.wait_for_function("() => document.fullscreenElement === null", timeout=10_000)
    _tab_to(page, "Back to the tri-point", role="button")
    page.keyboard.press("Enter")
    window.wait_for_function("() => window.wanfengMap.getZoom() === 13", timeout=10_000)
    visit.map_drawn()  # and stands still again
    _tab_to(page, "Layers", role="button")
    page.keyboard.press("Enter")
    window.wait_for_selector(".leaflet-control-layers-expanded", timeout=10_000)
    rivers = (
        page.frame_locator(MAP_FRAME)
        .locator(".leaflet-control-layers-overlays label", has_text="Rivers")
        .locator("input")
    )
    _tab_to(page, "Rivers", role="checkbox")
    page.keyboard.press("Space")
    expect(rivers).not_to_be_checked()
    legend = _tab_to(page, "Legend", role="summary")[-1]
    assert legend["inMap"]
    page.keyboard.press("Enter")  # folds the legend
    expect(page.frame_locator(MAP_FRAME).locator(".map-legend details")).not_to_have_attribute("open", "")

    # The search, then a found place: flown to, its details shown as a click would.
    _tab_to(page, "Find a place", backwards=True)
    page.keyboard.type("Mabeng")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Mabeng Town", exact=True).wait_for(timeout=30_000)  # what was found
    visit.settle()
    _tab_to(page, "Mabeng Town", role="button")
    page.keyboard.press("Enter")
    details = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content .feature-details")
    details.wait_for(timeout=15_000)
    assert "Mabeng" in details.inner_text()
    visit.screenshot("keyboard-map-en")


def test_the_slides_by_keyboard(visit: Visit, server_url: str):
    page = visit.open(f"{server_url}/present?lang=en")
    count = int(page.get_by_text("Slide 1 of").first.inner_text().split("of")[1].split()[0])
    _tab_to(page, "Next", role="button")
    page.keyboard.press("Enter")
    page.get_by_text(f"Slide 2 of {count}").first.wait_for(timeout=30_000)
    visit.settle()
    page.keyboard.press("ArrowRight")  # as a presenter's clicker sends
    page.get_by_text(f"Slide 3 of {count}").first.wait_for(timeout=30_000)
    visit.settle()
    _tab_to(page, "Previous", role="button", backwards=True)
    page.keyboard.press("Enter")
    page.get_by_text(f"Slide 2 of {count}").first.wait_for(timeout=30_000)
    visit.screenshot("keyboard-slides-en")
