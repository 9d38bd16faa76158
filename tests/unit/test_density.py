"""A county's layers zoomed out and in: counts per hexagon that add up, tiles that hold each
feature once, and the map that fetches them instead of the whole layer."""

from __future__ import annotations

import dataclasses
import json
import re

import geopandas as gpd
import h3
import numpy as np
import pytest
import shapely

from lib.drawn.density import DENSE_ABOVE, DETAIL_FROM, LEVELS, density_collection, is_dense, tile_keys, tiles
from lib.drawn.maps import build_map
from lib.drawn.offline import STATIC_URL, publish, published_once
from lib.files.loading import Data

SITES = DENSE_ABOVE + 500
TOWNSHIPS = ("sanjiangkou", "lubuge", "mabeng")


def _sites(count: int = SITES, seed: int = 1) -> gpd.GeoDataFrame:
    """Sites scattered around the tri-point, each in one of the townships."""
    rng = np.random.default_rng(seed)
    lon, lat = 104.45 + rng.random(count) * 0.15, 24.65 + rng.random(count) * 0.15
    return gpd.GeoDataFrame(
        {
            "id": [f"S{n:05d}" for n in range(count)],
            "name_zh": [f"示例站点{n}" for n in range(count)],
            "name_en": [f"Sample site {n}" for n in range(count)],
            "site_type": "police_station",
            "township_id": [TOWNSHIPS[n % 3] for n in range(count)],
            "source": "illustrative",
            "reported_fields": "",
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )


@pytest.fixture
def county(bundled) -> Data:
    """The bundled data with a county's worth of sites, as a large file is read (with a digest)."""
    files = dict(bundled.files)
    files["sites"] = dataclasses.replace(files["sites"], frame=_sites(), digest="a-county")
    return Data(bundled.folder, files)


def test_only_a_layer_of_more_than_a_threshold_is_dense():
    assert not is_dense(_sites(DENSE_ABOVE)) and is_dense(_sites(DENSE_ABOVE + 1))


@pytest.mark.parametrize("resolution", [resolution for _, resolution in LEVELS])
def test_hexagons_count_every_feature_once_by_township(resolution):
    sites = _sites()
    collection = json.loads(density_collection(sites, resolution, area=True))
    features = collection["features"]
    assert sum(f["properties"]["n"] for f in features) == len(sites)
    largest = max(f["properties"]["n"] for f in features)
    for feature in features:
        p = feature["properties"]
        assert p["m"] == largest and sum(row[3] for row in p["k"]) == p["n"]
        assert h3.get_resolution(p["id"]) == resolution
        ring = feature["geometry"]["coordinates"][0]
        assert feature["geometry"]["type"] == "Polygon" and ring[0] == ring[-1] and len(ring) == 7
    by_township = {t: 0 for t in TOWNSHIPS}
    for feature in features:
        for township, industry, since, n in feature["properties"]["k"]:
            assert industry is None and since is None  # sites have neither
            by_township[township] += n
    assert by_township == sites["township_id"].value_counts().to_dict()


def test_points_are_counted_at_the_centre_of_their_hexagon():
    sites = _sites(50)
    features = json.loads(density_collection(sites, 7, area=False))["features"]
    for feature in features:
        lat, lon = h3.cell_to_latlng(feature["properties"]["id"])
        assert feature["geometry"] == {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}


def test_each_feature_travels_in_one_tile_whose_corners_hold_it():
    sites = _sites()
    parts = list(tiles(sites))
    assert len(parts) > 1
    assert sorted(id for _, part in parts for id in part["id"]) == sorted(sites["id"])
    for ((south, west), (north, east)), part in parts:
        box = shapely.box(west, south, east, north)
        assert shapely.covers(box, part.geometry.values).all()


def test_tiles_are_numbered_as_slippy_map_tiles():
    points = np.array([[0.0, 0.0], [-179.9, 85.0], [179.9, -85.0]])
    assert tile_keys(points, 1).tolist() == [1 * 2 + 1, 0, 1 * 2 + 1]
    # The tri-point at zoom 13: tile 13/6474/3514 (y = (1 - asinh(tan 24.734°) / π) / 2 * 8192 = 3514.8).
    assert tile_keys(np.array([[104.527, 24.734]]), 13).tolist() == [6474 * 2**13 + 3514]


def test_a_dense_layer_is_fetched_by_zoom_not_whole(county, tmp_path):
    published: list[str] = []

    def record(text: str) -> str:
        published.append(text)
        return publish(text, tmp_path)

    html = build_map(county, "zh", publish=record).get_root().render()
    assert "示例站点1" not in html  # nothing of the features is written into the map itself
    assert f'"detailFrom": {DETAIL_FROM}' in html and html.count(f"{STATIC_URL}/geo/") > len(LEVELS)
    whole = [text for text in published if text.count('"type":"Feature"') == SITES]
    assert not whole  # no file holds the whole layer
    tiled = [text for text in published if "示例站点" in text]
    assert sum(text.count("示例站点") for text in tiled) == SITES
    assert json.dumps("缩小时为每个六边形内的数量")[1:-1] in html  # the legend says what a hexagon shows


def test_an_editors_map_keeps_a_dense_layer_of_personal_details_inside(county, tmp_path):
    files = dict(county.files)
    grids = county.frame("patrol_grids")
    many = gpd.GeoDataFrame(
        grids.loc[grids.index.repeat(DENSE_ABOVE // len(grids) + 1)].reset_index(drop=True), crs=grids.crs
    )
    many["id"] = [f"G{n:05d}" for n in range(len(many))]
    files["patrol_grids"] = dataclasses.replace(files["patrol_grids"], frame=many, digest="grids")
    published: list[str] = []
    build_map(
        Data(county.folder, files),
        "zh",
        reveal_personal=True,
        publish=lambda text: published.append(text) or publish(text, tmp_path),
    )
    assert not any("13800000001" in text for text in published)


def test_what_a_dense_layer_publishes_is_made_once_and_again_when_its_files_go(county, tmp_path):
    folder, kept = tmp_path / "geo", tmp_path / "kept"
    made: list[str] = []

    def record(text: str) -> str:
        made.append(text)
        return publish(text, folder)

    def remember(name, make):
        return published_once(name, make, folder, kept)

    def build() -> set[str]:
        made.clear()
        html = build_map(county, "zh", publish=record, remember=remember).get_root().render()
        return set(re.findall(rf"{re.escape(STATIC_URL)}/geo/[0-9a-f]+\.json", html))

    first = build()
    assert _of_the_county(made)
    assert build() == first and not _of_the_county(made)  # as a restart finds it: nothing made again
    for path in folder.glob("*"):
        path.unlink()
    assert build() == first and _of_the_county(made)
    assert all((folder / url.rsplit("/", 1)[1]).exists() for url in first)


def _of_the_county(texts: list[str]) -> list[str]:
    """The texts published of the county's sites: their tiles and hexagons."""
    return [text for text in texts if "示例站点" in text or '"k":' in text]
