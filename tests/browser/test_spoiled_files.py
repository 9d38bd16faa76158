"""A half-copied or spoiled layer dropped into the data folder of a running dashboard: every
page still draws, and the problem names the file."""

from __future__ import annotations

import json
import shutil

from lib.contract.settings import DEFAULT_DATA_DIR
from tests.browser.conftest import Visit, start_server

# Every page by URL path, the overview at the root.
PAGES = ["", "map", "industry", "tourism", "governance", "party", "present", "data"]
PAGES_WITH_MAP = ["", "map", "industry", "tourism", "governance"]


def test_a_spoiled_layer_copied_in_while_serving_leaves_every_page_drawn(visit: Visit, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    server, url = start_server(folder)
    try:
        page = visit.open(f"{url}/?lang=zh")
        assert page.get_by_text("个数据问题").count() == 0
        # As a GIS tool can leave it: the features list holds a value that is not a feature.
        sites = json.loads((folder / "geo/sites.geojson").read_text(encoding="utf-8"))
        sites["features"].insert(1, "Feature")
        sites["features"][3]["properties"] = ["name_zh", "码头"]
        (folder / "geo/sites.geojson").write_text(json.dumps(sites, ensure_ascii=False), encoding="utf-8")
        for path in PAGES:
            page = visit.open(f"{url}/{path}?lang=zh")
            page.locator("h1").first.wait_for()
            assert page.locator("[data-testid='stException']").count() == 0, path
            if path == "data":
                problems = page.locator("body").inner_text()
            else:
                notice = page.get_by_text("2 个数据问题", exact=False).first
                notice.click()
                problems = page.locator("[data-testid='stExpander']").first.inner_text()
            assert "geo/sites.geojson · 第 2 个要素：应为对象 {…}，实为文字" in problems, path
            if path in PAGES_WITH_MAP:
                frame = visit.map_drawn()
                assert frame.locator(".leaflet-marker-icon, .leaflet-marker-pane *").count() > 0, path
            visit.screenshot(f"spoiled-layer-{path or 'overview'}-zh")
        assert visit.outside == []
    finally:
        server.terminate()
        server.wait(timeout=10)
