"""The map on real ground: county outlines converted from GCJ-02, township borders on the county
borders where the rivers run, a lake on the real river touching all three, and every feature
inside its own township."""

from __future__ import annotations

import json

import numpy as np
import prcoords
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon

from lib.contract.settings import ROOT
from lib.drawn.ground import borders_between, label_points
from lib.files.geodesy import gcj02_to_wgs84

GEOD = Geod(ellps="WGS84")
# The project's reference material, beside the checkout (CI keeps a copy of shared/ there too).
REFERENCE = ROOT.parent / "shared" / "reference"
TRI_POINT_NAME = "Guizhou-Yunnan-Guangxi tri-point at the Huangni-Nanpan confluence"
METRIC = "EPSG:32648"  # UTM 48N, metres
COUNTY_OF = {"sanjiangkou": "兴义市", "lubuge": "罗平县", "mabeng": "西林县"}
NEIGHBOURS = [("sanjiangkou", "lubuge"), ("sanjiangkou", "mabeng"), ("lubuge", "mabeng")]


def _km(a: Point, b: Point) -> float:
    return GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000


def _km2(shape) -> float:
    return abs(GEOD.geometry_area_perimeter(shape)[0]) / 1e6


def _mean_km_from(line, target) -> float:
    """Mean distance from points every ~100 m along ``line`` to ``target``, in km."""
    points = [line.interpolate(f, normalized=True) for f in np.linspace(0, 1, max(2, int(line.length / 0.001)))]
    return float(np.mean([_km(p, shapely.ops.nearest_points(target, p)[0]) for p in points]))


@pytest.fixture(scope="module")
def counties(bundled):
    return bundled.frame("counties").set_index("name_zh").geometry


@pytest.fixture(scope="module")
def townships(bundled):
    return bundled.frame("townships").set_index("id").geometry


@pytest.fixture(scope="module")
def tri_point() -> Point:
    """The tri-point as the reference gives it, not as the bundled sites (made from it) repeat it."""
    if not REFERENCE.is_dir():
        pytest.skip(f"no reference folder at {REFERENCE}: the tri-point is checked against it")
    doc = json.loads((REFERENCE / "reference_points.geojson").read_text(encoding="utf-8"))
    (point,) = [f for f in doc["features"] if f["properties"]["name_en"] == TRI_POINT_NAME]
    return shapely.geometry.shape(point["geometry"])


@pytest.fixture(scope="module")
def rivers(bundled):
    return bundled.frame("rivers").set_index("id").geometry


def _turns_deg(line: LineString, apart: int) -> np.ndarray:
    """The angle between each segment of ``line`` and the one ``apart`` segments on, in degrees."""
    steps = np.diff(np.asarray(line.coords), axis=0)
    steps[:, 0] *= np.cos(np.radians(line.centroid.y))  # a degree of longitude is shorter
    a, b = steps[:-apart], steps[apart:]
    cos = (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def _upstream(river: LineString, confluence: Point, km: float) -> LineString:
    """The last ``km`` of ``river`` before ``confluence`` (rivers run downstream)."""
    import geopandas as gpd

    metric = gpd.GeoSeries([river, confluence], crs="EPSG:4326").to_crs(METRIC)
    at = metric[0].project(metric[1])
    reach = shapely.ops.substring(metric[0], at - km * 1000, at)
    return gpd.GeoSeries([reach], crs=METRIC).to_crs("EPSG:4326")[0]


# GCJ-02


@pytest.mark.parametrize("lonlat", [(104.527, 24.734), (105.108, 24.942), (116.391, 39.907)])
def test_gcj02_back_to_wgs84_within_a_metre(lonlat):
    true = Point(lonlat)
    shown = prcoords.wgs_gcj(prcoords.Coords(true.y, true.x))
    back = gcj02_to_wgs84(Point(shown.lon, shown.lat))
    assert _km(back, true) < 0.001


def test_gcj02_shift_here_is_half_a_kilometre_to_the_south_east():
    traced = Point(104.527, 24.734)
    true = gcj02_to_wgs84(traced)
    assert 0.3 < _km(true, traced) < 0.6 and true.x < traced.x and true.y > traced.y


def test_gcj02_conversion_keeps_the_shape():
    square = Polygon([(104.5, 24.7), (104.6, 24.7), (104.6, 24.8), (104.5, 24.8)])
    moved = gcj02_to_wgs84(square)
    assert moved.geom_type == "Polygon" and len(moved.exterior.coords) == 5
    assert abs(_km2(moved) - _km2(square)) / _km2(square) < 0.005  # the shift varies a little across 10 km


# Counties


def test_the_three_counties_meet_at_the_tri_point(counties, tri_point):
    common = shapely.intersection_all([counties[name].boundary.buffer(1e-6) for name in COUNTY_OF.values()])
    assert not common.is_empty
    assert _km(common.centroid, tri_point) < 0.1


def test_counties_around_the_lake_and_their_provinces(bundled):
    frame = bundled.frame("counties")
    assert {"兴义市", "罗平县", "西林县", "安龙县", "隆林各族自治县"} <= set(frame.name_zh)
    provinces = dict(zip(frame.name_zh, frame.province, strict=True))
    assert (provinces["兴义市"], provinces["罗平县"], provinces["西林县"]) == ("guizhou", "yunnan", "guangxi")
    # Areas as published (兴义市 2,911 km²; 西林县 2,976 km²).
    areas = {name: _km2(shape) for name, shape in zip(frame.name_zh, frame.geometry, strict=True)}
    assert areas["兴义市"] == pytest.approx(2911, rel=0.015) and areas["西林县"] == pytest.approx(2976, rel=0.015)


def test_provincial_borders_are_where_counties_of_two_provinces_meet(bundled):
    borders = borders_between(bundled.frame("counties"), "province")
    assert {(row.a, row.b) for row in borders.itertuples()} == {
        ("guangxi", "guizhou"),
        ("guangxi", "yunnan"),
        ("guizhou", "yunnan"),
    }
    assert all(shape.geom_type in ("LineString", "MultiLineString") for shape in borders.geometry)


def test_borders_between_a_made_up_pair():
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {"province": ["a", "b", "b"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(5, 5, 6, 6)],
    )
    (border,) = borders_between(frame, "province").geometry
    assert border.equals(LineString([(1, 0), (1, 1)]))


def test_names_stand_inside_their_areas_and_clear_of_others():
    import geopandas as gpd

    frame = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10)])
    (anywhere,) = label_points(frame)
    (clear,) = label_points(frame, view=shapely.box(0, 0, 4, 4), avoid=shapely.box(0, 0, 4, 2))
    assert frame.geometry[0].contains(anywhere)
    assert shapely.box(0, 2, 4, 4).contains(clear)


# Townships, lake and rivers


def test_each_township_lies_in_its_county(counties, townships):
    for township, county in COUNTY_OF.items():
        assert _km2(townships[township].difference(counties[county])) < 0.001, township  # rounding only


@pytest.mark.parametrize(("a", "b"), NEIGHBOURS)
def test_township_borders_are_the_county_borders(counties, townships, a, b):
    shared = shapely.line_merge(townships[a].boundary.intersection(townships[b].boundary))
    county_border = counties[COUNTY_OF[a]].boundary.intersection(counties[COUNTY_OF[b]].boundary)
    assert shared.length > 0.05  # degrees: several km along the river
    assert _mean_km_from(shared, county_border) < 0.05


def test_the_three_townships_meet_where_the_counties_meet(townships, tri_point):
    common = shapely.intersection_all([t.buffer(1e-6) for t in townships])
    assert _km(common.centroid, tri_point) < 0.1


def test_township_areas_are_plausible(townships):
    assert _km2(townships["lubuge"]) == pytest.approx(249, rel=0.1)  # Luoping yearbook
    assert all(150 < _km2(t) < 400 for t in townships)


def test_the_lake_touches_all_three_townships_at_its_reported_size(bundled, townships):
    lake = bundled.frame("lake").geometry.iloc[0]
    assert all(lake.intersects(t) for t in townships)
    assert _km2(lake) == pytest.approx(176, rel=0.1)


@pytest.mark.parametrize(
    ("river", "left", "right"),
    [("huangni", "兴义市", "罗平县"), ("nanpan", "兴义市", "西林县"), ("nanpan", "罗平县", "西林县")],
)
def test_rivers_run_on_the_county_borders_they_form(counties, rivers, river, left, right):
    course = rivers[river]
    border = shapely.line_merge(counties[left].boundary.intersection(counties[right].boundary))
    assert _mean_km_from(border, course) < 0.05


@pytest.mark.parametrize("river", ["nanpan", "huangni"])
def test_each_river_is_one_simple_line_without_spikes(rivers, river):
    course = rivers[river]
    assert course.geom_type == "LineString" and course.is_simple, river  # it never crosses itself
    # Nor turns back on itself: a spike (out and back along the way it came) turns by nearly
    # 180° from one segment to the next, or over one vertex between; a river bend does not.
    for apart in (1, 2):
        turns = _turns_deg(course, apart)
        assert turns.max() < 150, (river, apart, course.coords[int(turns.argmax()) + 1])


@pytest.mark.parametrize(
    ("river", "a", "b"),
    [("nanpan", "lubuge", "mabeng"), ("huangni", "sanjiangkou", "lubuge")],
)
def test_the_lake_reaches_up_the_backwater_above_the_confluence(bundled, townships, rivers, tri_point, river, a, b):
    lake = bundled.frame("lake").geometry.iloc[0]
    reach = _upstream(rivers[river], tri_point, km=5)
    assert lake.buffer(1e-4).contains(reach), river  # the river's real line, 5 km up, under water
    between = shapely.line_merge(townships[a].boundary.intersection(townships[b].boundary))
    assert _mean_km_from(reach, between) < 0.05  # where the two townships meet across it


def test_the_lake_lies_on_the_nanpan_from_the_confluence_to_the_dam(bundled, counties):
    lake = bundled.frame("lake").geometry.iloc[0]
    nanpan = shapely.line_merge(counties["兴义市"].boundary.intersection(counties["西林县"].boundary))
    assert lake.buffer(1e-4).contains(nanpan)
    sites = bundled.frame("sites").set_index("id").geometry
    assert lake.distance(sites["dam-tianshengqiao-1"]) < 0.01


@pytest.mark.parametrize("key", ["patrol_grids", "tourism_routes", "industry_bases", "sites"])
def test_every_feature_lies_in_its_own_township(bundled, townships, key):
    frame = bundled.frame(key)
    for row in frame.itertuples():
        if isinstance(row.township_id, str) and row.township_id:
            assert townships[row.township_id].buffer(1e-6).contains(row.geometry), row.id
