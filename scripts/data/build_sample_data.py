"""Build the schematic sample data under data/geo and data/tables.

This script is the record of how the sample data was made. It reads the generalised rivers and
the reference points (``--reference``) and the county outlines (``data/geo/counties.geojson``,
written by ``scripts/data/extract_counties.py``), and writes every other file listed in
``lib/contract/catalog.py``. The townships' borders with each other are the real county borders along
the Huangni and the Nanpan; their inland outlines, the lake's shore, the grids and the routes are
schematic. Rivers follow the county borders where they form them. Figures are
illustrative except the few stated in the Guizhou Daily report of 2024-04-22, which carry
``source = report``. The output is deterministic: run it twice and the files are the same.

Run from the repository root::

    .venv/bin/python scripts/data/build_sample_data.py [--reference ../shared/reference]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import shapely.affinity
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polygonize, substring, unary_union

from lib.contract.catalog import DATASETS
from lib.contract.settings import ROOT
from lib.drawn.ground import borders_between

XY = tuple[float, float]
Coords = Sequence[XY]
Row = dict[str, Any]

DECIMALS = 5  # about 1 m
METRIC = "EPSG:32648"  # UTM 48N: metres, for buffers, lengths and areas
_TO_M = Transformer.from_crs("EPSG:4326", METRIC, always_xy=True)
_TO_LL = Transformer.from_crs(METRIC, "EPSG:4326", always_xy=True)

QUARTERS = [f"{y}Q{q}" for y in (2022, 2023) for q in (1, 2, 3, 4)] + ["2024Q1"]
TOWNSHIPS = ("sanjiangkou", "lubuge", "mabeng")
TRI_POINT = (104.527, 24.735)  # the Nanpan vertex where the Huangni joins
COUNTY_OF = {"sanjiangkou": "522301", "lubuge": "530324", "mabeng": "451030"}  # 兴义市, 罗平县, 西林县
# The provinces on either side of each river where it is a border here, upstream first.
RIVER_BORDERS = {"huangni": [("guizhou", "yunnan")], "nanpan": [("guangxi", "yunnan"), ("guangxi", "guizhou")]}
COURSE_SEARCH_M = 3000  # the generalised rivers are within 1-2 km of the real courses
BACKWATER_M = 9000  # how far the lake reaches up the rivers above the confluence
MU_M2 = 10_000 / 15  # one mu in m2
TSQ_DAM = "Tianshengqiao-I dam (forms Wanfeng Lake)"  # name_en of reference points used
LUBUGE_DAM = "Lubuge dam (Huangni River)"
TRI_POINT_REF = "Guizhou-Yunnan-Guangxi tri-point at the Huangni-Nanpan confluence"


# ------------------------------------------------------------------------------ geometry helpers


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """WGS84 lon/lat to UTM 48N metres."""
    return shapely.transform(geom, lambda c: np.column_stack(_TO_M.transform(c[:, 0], c[:, 1])))


def to_lonlat(geom: BaseGeometry) -> BaseGeometry:
    """UTM 48N metres to WGS84 lon/lat."""
    return shapely.transform(geom, lambda c: np.column_stack(_TO_LL.transform(c[:, 0], c[:, 1])))


def snap(geom: BaseGeometry) -> BaseGeometry:
    """Round lon/lat to 5 decimals, keeping polygons valid."""
    return shapely.set_precision(geom, 10**-DECIMALS)


def km2(geom: BaseGeometry) -> float:
    """Area of a lon/lat geometry in km2."""
    return to_metric(geom).area / 1e6


def chaikin(coords: Coords, rounds: int = 2, closed: bool = False) -> list[XY]:
    """Smooth a polyline (or closed ring) by corner cutting; open lines keep their end points."""
    pts: list[XY] = [(x, y) for x, y in coords]
    for _ in range(rounds):
        ring = pts[:-1] if closed else pts
        pairs = zip(ring, ring[1:] + ring[:1], strict=True) if closed else itertools.pairwise(ring)
        out: list[XY] = [] if closed else [ring[0]]
        for (x0, y0), (x1, y1) in pairs:
            out += [(0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1), (0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1)]
        pts = out + ([out[0]] if closed else [ring[-1]])
    return pts


def tapered_buffer(line: LineString, radius: Callable[[float], float], step: float = 150) -> Polygon:
    """Buffer a metric line by a radius that varies with the distance along it."""
    n = max(2, int(line.length / step) + 1)
    discs = [line.interpolate(s).buffer(radius(s), quad_segs=8) for s in np.linspace(0, line.length, n)]
    return unary_union([unary_union(pair).convex_hull for pair in itertools.pairwise(discs)])


def wiggle_ring(lonlat: Coords, anchors: Coords, amplitude: float = 450) -> Polygon:
    """A hand-drawn outline made less regular: densified and displaced smoothly sideways.

    The displacement fades out within 1.5 km of the anchors, where the outline must cross a
    river exactly once.
    """
    coords = list(to_metric(LineString([*lonlat, lonlat[0]])).coords)
    anchor_pts = [to_metric(Point(a)) for a in anchors]
    waves = ((0.5, 5200, 1.3), (0.3, 2600, 0.4), (0.2, 1100, 2.1))  # weight, period m, phase
    pts: list[XY] = []
    along = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(coords):
        seg = math.hypot(x1 - x0, y1 - y0)
        nx, ny = -(y1 - y0) / seg, (x1 - x0) / seg
        steps = max(1, int(seg / 350))
        for k in range(steps):
            x, y, s = x0 + k / steps * (x1 - x0), y0 + k / steps * (y1 - y0), along + k / steps * seg
            wave = sum(w * math.sin(2 * math.pi * s / period + phase) for w, period, phase in waves)
            fade = min(1.0, min(Point(x, y).distance(a) for a in anchor_pts) / 1500)
            pts.append((x + amplitude * wave * fade * nx, y + amplitude * wave * fade * ny))
        along += seg
    return to_lonlat(Polygon(chaikin([*pts, pts[0]], rounds=1, closed=True)))


def blob(centre: XY, area_m2: float, aspect: float = 1.35, tilt: float = 0.5) -> Polygon:
    """An irregular rounded lon/lat polygon of a given area around a centre."""
    pts = []
    for k in range(24):
        a = 2 * math.pi * k / 24
        r = 1 + 0.12 * math.sin(3 * a + 0.4) + 0.07 * math.sin(5 * a + 1.1)
        x, y = aspect * r * math.cos(a), r * math.sin(a)
        pts.append((x * math.cos(tilt) - y * math.sin(tilt), x * math.sin(tilt) + y * math.cos(tilt)))
    unit = Polygon(pts)
    scale = math.sqrt(area_m2 / unit.area)
    c = to_metric(Point(centre))
    poly = shapely.affinity.scale(unit, scale, scale, origin=(0, 0))
    return snap(to_lonlat(shapely.affinity.translate(poly, c.x, c.y)))


def sunflower(centre: XY, n: int, radius_m: float, squash: float = 0.7) -> list[Point]:
    """n points spread evenly over a tilted ellipse (golden-angle spiral)."""
    c = to_metric(Point(centre))
    golden = math.pi * (3 - math.sqrt(5))
    pts = []
    for k in range(n):
        r, a = radius_m * math.sqrt((k + 0.5) / n), k * golden
        x, y = r * math.cos(a), squash * r * math.sin(a)
        pts.append(snap(to_lonlat(Point(c.x + 0.94 * x - 0.34 * y, c.y + 0.34 * x + 0.94 * y))))
    return pts


# ------------------------------------------------------------------------------ grid cells


def median_line(poly: Polygon, axis: int) -> LineString:
    """The line of constant lon (axis 0) or lat (axis 1) that halves a polygon's area."""
    x0, y0, x1, y1 = poly.bounds
    lo, hi = (x0, x1) if axis == 0 else (y0, y1)
    for _ in range(40):
        c = (lo + hi) / 2
        half = box(x0, y0, c, y1) if axis == 0 else box(x0, y0, x1, c)
        lo, hi = (c, hi) if poly.intersection(half).area < poly.area / 2 else (lo, c)
    c = (lo + hi) / 2
    return LineString([(c, y0 - 1), (c, y1 + 1)] if axis == 0 else [(x0 - 1, c), (x1 + 1, c)])


def chord(line: LineString, poly: Polygon) -> tuple[Point, Point]:
    """Ends of the longest stretch of a line inside a polygon."""
    inside = line.intersection(poly)
    piece = max(getattr(inside, "geoms", [inside]), key=lambda g: g.length)
    return Point(piece.coords[0]), Point(piece.coords[-1])


def nearest_vertex(ring: Iterable[XY], point: Point) -> XY:
    """The vertex of a ring nearest to a point."""
    return min(ring, key=lambda v: point.distance(Point(v)))


def faces(poly: Polygon, cuts: list[LineString]) -> list[Polygon]:
    """Cut a polygon along lines that meet its outline and each other only at shared vertices.

    No new coordinates are made, so the pieces tile the polygon exactly, vertex for vertex.
    """
    pieces = polygonize(unary_union([poly.exterior, *cuts]))
    out = [f for f in pieces if poly.contains(f.representative_point())]
    coords = np.concatenate([np.asarray(f.exterior.coords) for f in out])
    assert np.allclose(coords, np.round(coords, DECIMALS), atol=1e-9), "a cut made new vertices"
    return out


def grid_cells(poly: Polygon, parts: int) -> list[Polygon]:
    """Split a township into 2 cells (one west-east cut) or 4 (a north-south cut, then a
    west-east cut on each side). Cuts end on existing vertices, so the cells tile it exactly."""
    ring = list(poly.exterior.coords)[:-1]
    if parts == 2:
        a, b = chord(median_line(poly, axis=1), poly)
        return faces(poly, [LineString([nearest_vertex(ring, a), nearest_vertex(ring, b)])])
    a, b = chord(median_line(poly, axis=0), poly)
    main = LineString([nearest_vertex(ring, a), nearest_vertex(ring, b)])
    joints, sides = [], []
    for half in faces(poly, [main]):
        p, q = chord(median_line(half, axis=1), half)
        on_main, on_ring = (p, q) if main.distance(p) < main.distance(q) else (q, p)
        joint = (round(on_main.x, DECIMALS), round(on_main.y, DECIMALS))
        joints.append(joint)
        sides.append(LineString([joint, nearest_vertex(ring, on_ring)]))
    start, end = main.coords
    trunk = LineString([start, *sorted(joints, key=lambda j: Point(start).distance(Point(j))), end])
    return faces(poly, [trunk, *sides])


# ------------------------------------------------------------------------------ layers

# fmt: off
# A hand-drawn outline around the three townships; it crosses the Huangni once and the Nanpan
# twice, at these points.
CROSSINGS: list[XY] = [(104.592, 24.880), (104.672, 24.657), (104.509, 24.571)]
OUTLINE: list[XY] = [
    (104.434, 24.745), (104.428, 24.790), (104.440, 24.830), (104.474, 24.858), (104.522, 24.868),
    (104.560, 24.877), CROSSINGS[0], (104.616, 24.866), (104.644, 24.850), (104.662, 24.820),
    (104.670, 24.782), (104.675, 24.735), (104.684, 24.690), CROSSINGS[1], (104.704, 24.628),
    (104.712, 24.598), (104.697, 24.572), (104.662, 24.564), (104.620, 24.561), (104.578, 24.565),
    (104.540, 24.569), CROSSINGS[2], (104.470, 24.594), (104.445, 24.628), (104.436, 24.690),
]
TOWNSHIP_META = {  # name_zh, name_en, province_zh, county_zh, a point inside, short code
    "sanjiangkou": ("三江口镇", "Sanjiangkou Town", "贵州省", "兴义市", (104.62, 24.80), "sjk"),
    "lubuge": ("鲁布革布依族苗族乡", "Lubuge Buyi and Miao Ethnic Township", "云南省", "罗平县", (104.45, 24.75), "lbg"),
    "mabeng": ("马蚌镇", "Mabeng Town", "广西壮族自治区", "西林县", (104.62, 24.60), "mb"),
}
# Side arms of the lake: km along the axis, side (+1 left, -1 right), angle to the axis (deg),
# length km, bend over the arm (rad), and a fork (share of the arm, angle deg, length km).
LAKE_ARMS: list[tuple[float, int, float, float, float, tuple[float, float, float] | None]] = [
    (8.0, 1, 70, 3.4, 0.35, None), (14.5, -1, 75, 3.4, -0.4, (0.55, -50, 1.5)),
    (25.0, -1, 80, 4.6, 0.3, None), (31.0, 1, 65, 5.0, -0.3, (0.5, 45, 2.2)),
    (40.0, -1, 70, 5.6, 0.35, (0.45, -40, 2.4)), (48.0, 1, 80, 4.2, 0.4, None),
    (55.0, -1, 75, 3.6, -0.3, None), (61.0, 1, 70, 4.8, -0.35, (0.6, 50, 2.0)),
    (68.0, -1, 70, 4.6, 0.3, None), (73.0, 1, 60, 5.4, 0.3, None), (77.5, -1, 75, 3.2, 0.25, None),
]
# fmt: on


def read_reference(folder: Path) -> tuple[dict[str, LineString], dict[str, Point]]:
    """The generalised rivers (keyed nanpan, huangni) and the reference points (keyed by name_en)."""
    rivers_doc = json.loads((folder / "rivers_generalised.geojson").read_text(encoding="utf-8"))
    rivers = {
        ("nanpan" if "Nanpan" in f["properties"]["name_en"] else "huangni"): shape(f["geometry"])
        for f in rivers_doc["features"]
    }
    points_doc = json.loads((folder / "reference_points.geojson").read_text(encoding="utf-8"))
    points = {f["properties"]["name_en"]: shape(f["geometry"]) for f in points_doc["features"]}
    return rivers, points


def read_counties(data: Path) -> gpd.GeoDataFrame:
    """The county outlines that scripts/data/extract_counties.py wrote into the data folder."""
    path = data / DATASETS["counties"].path
    if not path.exists():
        sys.exit(f"{path} is missing: run scripts/data/extract_counties.py first")
    return gpd.read_file(path)


def build_townships(counties: gpd.GeoDataFrame) -> dict[str, Polygon]:
    """Three townships, each the part of its county inside one hand-drawn outline around them.

    Where two of them meet (the Huangni, the Nanpan) their border is the real county border,
    vertex for vertex; the three meet where the three counties meet. Only the outline is drawn.
    """
    region = wiggle_ring(OUTLINE, CROSSINGS)
    outlines = counties.set_index("id").geometry
    out = {}
    for tid, code in COUNTY_OF.items():
        part = outlines[code].intersection(region)
        # The drawn outline can clip a sliver off where it runs along a county border: keep the township.
        out[tid] = snap(max(getattr(part, "geoms", [part]), key=lambda g: g.area))
    return out


def river_courses(rivers: dict[str, LineString], counties: gpd.GeoDataFrame) -> dict[str, LineString]:
    """Each river on its real course where it is a provincial border (the county outlines'
    common border), on the generalised line elsewhere, flowing downstream."""
    borders = {(row.a, row.b): row.geometry for row in borders_between(counties, "province").itertuples()}
    courses = {}
    for key, line in rivers.items():
        line = LineString([*line.coords[:-1], TRI_POINT]) if key == "huangni" else line
        axis = to_metric(line)
        stretches = [_stretch_along(axis, to_metric(borders[pair])) for pair in RIVER_BORDERS[key]]
        courses[key] = snap(to_lonlat(_spliced(axis, stretches)))
    return courses


def _stretch_along(axis: LineString, border: BaseGeometry) -> LineString:
    """The longest stretch of a border within reach of a generalised river, oriented downstream."""
    near = shapely.line_merge(border.intersection(axis.buffer(COURSE_SEARCH_M)))
    stretch = max(getattr(near, "geoms", [near]), key=lambda g: g.length)
    start, end = (axis.project(Point(c)) for c in (stretch.coords[0], stretch.coords[-1]))
    return _downstream_only(axis, stretch if start < end else stretch.reverse())


def _downstream_only(axis: LineString, stretch: LineString) -> LineString:
    """A stretch from its most upstream vertex to its most downstream one along the river.

    A border can come to the river from elsewhere and run back beside the way it came before it
    follows the river (the Huangni's, from the north-east, doubles back 7 km): that approach is
    border, not river, and spliced in it would make the river cross itself. Vertices beyond the
    generalised line's ends all project onto its end and are kept (the Nanpan below the dam).
    """
    along = np.array([axis.project(Point(c)) for c in stretch.coords])
    first = int(np.argmin(along))  # the first of any beyond the source
    last = len(along) - 1 - int(np.argmax(along[::-1]))  # the last of any beyond the mouth
    return LineString(stretch.coords[first : last + 1])


def _spliced(axis: LineString, stretches: list[LineString]) -> LineString:
    """The generalised line with the real stretches put in place of the parts they run beside."""
    # A generalised vertex counts as beyond a stretch only when it is clearly so: the lines meander
    # differently, and a vertex projected just past a stretch's end may lie beside it.
    coords: list[XY] = []
    done = -math.inf
    for stretch in sorted(stretches, key=lambda s: axis.project(Point(s.coords[0]))):
        start = axis.project(Point(stretch.coords[0]))
        coords += [c for c in axis.coords if done + COURSE_SEARCH_M < axis.project(Point(c)) < start - COURSE_SEARCH_M]
        coords += [c for c in stretch.coords if not coords or c != coords[-1]]
        done = axis.project(Point(stretch.coords[-1]))
    coords += [c for c in axis.coords if axis.project(Point(c)) > done + COURSE_SEARCH_M]
    return LineString(coords)


def build_lake(courses: dict[str, LineString], tri_point: Point, dam: Point, lubuge_dam: Point) -> Polygon:
    """A schematic Wanfeng Lake on the Nanpan's real course from the confluence to the
    Tianshengqiao-I dam, 0.8-2.5 km wide, with its backwater up the Nanpan and the Huangni.

    The axis is smoothed and buffered with a width that grows downstream and varies along the
    way, side arms are added, and the river's course always stays inside.
    """
    nanpan, huangni = to_metric(courses["nanpan"]), to_metric(courses["huangni"])
    confluence = nanpan.project(to_metric(tri_point))
    raw = substring(nanpan, confluence, nanpan.project(to_metric(dam)))
    start = 0.0
    axis = LineString(chaikin(list(raw.coords), rounds=3))
    length = axis.length

    def half_width(s: float) -> float:
        base = 430 + 720 * (s / length) ** 0.8
        wave = 170 * math.sin(2 * math.pi * s / 9000 + 0.7) + 90 * math.sin(2 * math.pi * s / 4100)
        return max(400.0, min(1250.0, base + min(1.0, s / 2500) * wave))

    parts = [tapered_buffer(axis, half_width), raw.buffer(350)]
    # The backwater: up the Nanpan between Lubuge and Mabeng, and up the Huangni to below the Lubuge dam.
    up_huangni = min(BACKWATER_M, huangni.length - huangni.project(to_metric(lubuge_dam)) - 1000)
    for river, reach in (
        (nanpan, (confluence - BACKWATER_M, confluence)),
        (huangni, (huangni.length - up_huangni, huangni.length)),
    ):
        water = substring(river, *reach)

        def widening(t: float, n: float = water.length) -> float:
            return 180 + 250 * t / n

        parts.append(tapered_buffer(water, widening, 100))

    def arm(origin: Point, heading: float, arm_km: float, bend: float, mouth: float) -> LineString:
        fs = [k / 8 for k in range(9)]
        line = LineString(
            [(origin.x + f * arm_km * 1000 * math.cos(heading + bend * f),
              origin.y + f * arm_km * 1000 * math.sin(heading + bend * f)) for f in fs]
        )  # fmt: skip
        parts.append(tapered_buffer(line, lambda t: mouth - (mouth - 130) * t / line.length, 100))
        return line

    for s_km, side, angle, arm_km, bend, fork in LAKE_ARMS:
        s = s_km * 1000 - start
        p0, p1 = axis.interpolate(s - 50), axis.interpolate(s + 50)
        heading = math.atan2(p1.y - p0.y, p1.x - p0.x) + side * math.radians(angle)
        line = arm(axis.interpolate(s), heading, arm_km, bend, half_width(s) * 0.7)
        if fork:
            share, turn, fork_km = fork
            fork_heading = heading + bend * share + math.radians(turn)
            arm(line.interpolate(share, normalized=True), fork_heading, fork_km, 0.2, 260)
    # cut off what lies beyond the dam, across the last stretch of the river
    d = Point(raw.coords[-1])
    (x0, y0), (x1, y1) = raw.coords[-2], raw.coords[-1]
    ux, uy = (x1 - x0) / math.hypot(x1 - x0, y1 - y0), (y1 - y0) / math.hypot(x1 - x0, y1 - y0)
    far = 50_000
    beyond = Polygon(
        [(d.x - uy * far, d.y + ux * far), (d.x + uy * far, d.y - ux * far),
         (d.x + (uy + ux) * far, d.y + (uy - ux) * far), (d.x + (ux - uy) * far, d.y + (ux + uy) * far)]
    )  # fmt: skip
    lake = unary_union(parts).difference(beyond)
    if lake.geom_type == "MultiPolygon":
        lake = max(lake.geoms, key=lambda g: g.area)
    return snap(to_lonlat(Polygon(lake.exterior).simplify(35)))


def build_grids(townships: dict[str, Polygon]) -> list[tuple[str, str, int, Polygon]]:
    """Party grids (4 per township) and police grids (2 per township), each tiling its township.

    Returns (township, grid type, number from north-west to south-east, polygon)."""
    grids = []
    for kind, parts in (("party", 4), ("police", 2)):
        for tid in TOWNSHIPS:
            cells = grid_cells(townships[tid], parts)
            assert len(cells) == parts, f"{tid}: {len(cells)} {kind} cells"
            cells.sort(key=lambda c: (-round(c.centroid.y, 2), c.centroid.x))
            grids += [(tid, kind, k, c) for k, c in enumerate(cells, start=1)]
    return grids


# fmt: off
# Six one-day tour routes (the number is reported; names and courses are illustrative): id,
# names, main township, quarter it began, and waypoints along valleys and lake shores.
ROUTES: list[tuple[str, str, str, str, str, Coords]] = [
    ("route-1", "万峰湖北岸湖光山色一日游（示例）", "Wanfeng Lake north-shore day tour (illustrative)",
     "sanjiangkou", "2022Q1",
     [(104.548, 24.754), (104.566, 24.744), (104.586, 24.737), (104.602, 24.738), (104.622, 24.731),
      (104.636, 24.716), (104.646, 24.700), (104.660, 24.690), (104.666, 24.708), (104.652, 24.730),
      (104.634, 24.752), (104.612, 24.766), (104.592, 24.776)]),
    ("route-2", "黄泥河峡谷三江口一日游（示例）", "Huangni gorge and Sanjiangkou day tour (illustrative)",
     "sanjiangkou", "2023Q1",
     [(104.592, 24.776), (104.568, 24.786), (104.555, 24.804), (104.561, 24.826), (104.574, 24.845),
      (104.590, 24.858), (104.604, 24.850), (104.616, 24.830), (104.622, 24.806), (104.606, 24.786),
      (104.594, 24.779)]),
    ("route-3", "鲁布革布依村寨生态一日游（示例）", "Lubuge Buyi villages eco day tour (illustrative)",
     "lubuge", "2022Q2",
     [(104.478, 24.792), (104.466, 24.812), (104.474, 24.834), (104.500, 24.849), (104.526, 24.848),
      (104.541, 24.833), (104.531, 24.812), (104.524, 24.790), (104.504, 24.781), (104.484, 24.787)]),
    ("route-4", "南盘江西岸峡谷风光一日游（示例）", "Nanpan west-bank gorge day tour (illustrative)",
     "lubuge", "2023Q2",
     [(104.476, 24.790), (104.466, 24.768), (104.458, 24.744), (104.462, 24.718), (104.458, 24.694),
      (104.460, 24.668), (104.474, 24.682), (104.486, 24.700), (104.496, 24.722), (104.506, 24.742),
      (104.497, 24.764), (104.482, 24.786)]),
    ("route-5", "马蚌砂糖橘果园采摘一日游（示例）", "Mabeng sugar-orange orchard day tour (illustrative)",
     "mabeng", "2023Q4",
     [(104.655, 24.628), (104.636, 24.621), (104.626, 24.608), (104.606, 24.596), (104.586, 24.600),
      (104.574, 24.618), (104.586, 24.636), (104.606, 24.629), (104.628, 24.636), (104.652, 24.632)]),
    ("route-6", "万峰湖南岸湖湾一日游（示例）", "Wanfeng Lake south-shore bays day tour (illustrative)",
     "mabeng", "2022Q4",
     [(104.528, 24.712), (104.547, 24.706), (104.566, 24.699), (104.584, 24.690), (104.598, 24.678),
      (104.603, 24.664), (104.590, 24.656), (104.570, 24.664), (104.552, 24.678), (104.536, 24.694),
      (104.527, 24.708)]),
]

# The 7 industry alliance bases (reported count). The sugar-orange and lemon bases' names and
# areas are reported (reported_fields); their townships, positions, jobs and start quarters are
# illustrative, as is all of the other five. Jobs add up to 400 (reported: 400+).
BASE_FIELDS = ("id", "name_zh", "name_en", "township_id", "industry", "jobs", "area_mu", "since_quarter", "source", "at")
REPORTED_BASE = "name_zh|name_en|industry|area_mu"
BASES: list[Row] = [dict(zip(BASE_FIELDS, b, strict=True)) for b in [
    ("base-1", "万亩砂糖橘基地", "10,000-mu sugar-orange base",
     "mabeng", "fruit", 120, 10000, None, "illustrative", (104.612, 24.610)),
    ("base-2", "千亩柠檬基地", "1,000-mu lemon base",
     "lubuge", "fruit", 45, 1000, "2022Q3", "illustrative", (104.452, 24.712)),
    ("base-3", "万峰湖湖畔休闲旅游基地（示例）", "Wanfeng Lake lakeside leisure base (illustrative)",
     "sanjiangkou", "tourism", 70, None, None, "illustrative", (104.575, 24.733)),
    ("base-4", "鲁布革布依族民俗文旅基地（示例）", "Lubuge Buyi folk-culture tourism base (illustrative)",
     "lubuge", "tourism", 50, None, "2022Q2", "illustrative", (104.505, 24.815)),
    ("base-5", "马蚌壮族山歌文旅基地（示例）", "Mabeng Zhuang folk-song tourism base (illustrative)",
     "mabeng", "tourism", 40, None, "2023Q1", "illustrative", (104.556, 24.668)),
    ("base-6", "三江口百香果种植基地（示例）", "Sanjiangkou passion-fruit base (illustrative)",
     "sanjiangkou", "fruit", 35, None, "2023Q2", "illustrative", (104.648, 24.752)),
    ("base-7", "三江口渔家文旅基地（示例）", "Sanjiangkou fishing-village tourism base (illustrative)",
     "sanjiangkou", "tourism", 40, None, "2023Q4", "illustrative", (104.650, 24.684)),
]]

# Facilities whose existence the report states (positions schematic), and illustrative ones.
# Of the reported ones only the kind is the report's (reported_fields), and for the Lubuge police
# station its township; the names are descriptive, the other townships illustrative.
SITE_FIELDS = ("id", "name_zh", "name_en", "site_type", "township_id", "source", "at")
FACILITIES: list[Row] = [dict(zip(SITE_FIELDS, s, strict=True)) for s in [
    ("party-school", "黔滇桂跨省（区）联合党工委党校（位置示意）",
     "Joint Party school of the cross-provincial committee (position schematic)",
     "party_school", "sanjiangkou", "illustrative", (104.597, 24.787)),
    ("mediation-centre", "黔滇桂跨省（区）一站式矛盾纠纷调处中心（位置示意）",
     "Tri-provincial one-stop dispute mediation centre (position schematic)",
     "mediation_centre", "sanjiangkou", "illustrative", (104.546, 24.748)),
    ("station-lbg", "鲁布革乡派出所（位置示意）", "Lubuge township police station (position schematic)",
     "police_station", "lubuge", "illustrative", (104.478, 24.792)),
    ("station-sjk", "三江口镇派出所（示例）", "Sanjiangkou town police station (illustrative)",
     "police_station", "sanjiangkou", "illustrative", (104.582, 24.781)),
    ("station-mb", "马蚌镇派出所（示例）", "Mabeng town police station (illustrative)",
     "police_station", "mabeng", "illustrative", (104.655, 24.628)),
    ("solar-wanfeng", "万峰湖生态光伏电站（位置示意）", "Wanfeng Lake ecological solar plant (position illustrative)",
     "solar_plant", "sanjiangkou", "illustrative", (104.668, 24.712)),
]]
# What the report states, each in its words, for the pages where it belongs (topic).
FACT_FIELDS = ("id", "topic", "text_zh", "text_en")
REPORT_FACTS: list[Row] = [dict(zip(FACT_FIELDS, f, strict=True)) for f in [
    ("years", "organisation", "近十年来，三地探索推行“融合式”党建，组建跨省（区）联合党工委。",
     "For nearly ten years the three have practised integrated Party building through a cross-provincial joint Party working committee."),
    ("rotation", "organisation", "联合党工委实行书记轮值制度，每季度召开联合党工委会议。",
     "The committee's secretary post rotates among the three townships' Party secretaries; the committee meets every quarter."),
    ("joint-organisations", "organisation", "三个乡镇的村（社区）结对建立了 6 个联合党组织。",
     "Villages and communities of the three townships have formed 6 joint Party organisations."),
    ("party-school", "organisation", "联合党工委党校 2023 年 7 月成立以来，开展讲党课、党员教育培训、实用技能培训、专题座谈会等 10 期次，覆盖党员干部 500余人次。",
     "Since the joint Party school opened in July 2023: 10 sessions (lectures, member and skills training, seminars) with 500+ attendances."),
    ("projects", "organisation", "罗八高速公路施工协调服务、万峰湖生态光伏发电等重大项目由三地共同研判、共同推动、共同落实。",
     "Major projects such as the Luoba expressway's construction coordination and the Wanfeng Lake ecological solar power were decided and carried out together."),
    ("wood", "industry", "落户三江口镇的木材加工企业已有 22 家，2024 年第一季度全镇木材加工产业实现产值 1500万元，带动 500余名群众在家门口就业；马蚌、鲁布革提供原材料。",
     "22 wood-processing firms have settled in Sanjiangkou; in 2024 Q1 the town's wood processing produced 15 million yuan and employed 500+ people; Mabeng and Lubuge supply timber."),
    ("bases", "industry", "推出“乡村生态一日游”精品路线 6 条，已建成万亩砂糖橘基地、千亩柠檬基地等 7 个产业联盟基地，带动群众就业 400余人，每年户均增收 2000余元。",
     "6 one-day rural eco-tour routes; 7 industry alliance bases, among them a 10,000-mu sugar-orange base and a 1,000-mu lemon base, employing 400+ people and raising household incomes by 2,000+ yuan a year."),
    ("mediation", "governance", "建立黔滇桂跨省（区）一站式矛盾纠纷调处中心。",
     "A one-stop dispute mediation centre serves the three provinces (regions)."),
    ("seven-areas", "governance", "三地联合制定警务协作、法庭司法协作等工作机制，从社会治安联防、矛盾纠纷联调等七个方面共同治理。",
     "Police-cooperation and court-cooperation mechanisms; joint governance in seven areas, among them joint public-security defence and joint dispute mediation."),
    ("grids", "governance", "依托“党小组（党支部）+网格员+联户长”基层治理铁三角，创建“党建网格+警格”治理模式，在巡逻防范、信息共享、便民服务等方面加强三边协作。",
     "The 'Party group + grid worker + household head' iron triangle and the 'Party grid + police grid' model: joint patrols, shared information and services."),
    ("culture", "culture", "举办“黔滇桂民族团结山歌赛”“壮族三月三”山歌节等活动，深化三地群众交流交融。",
     "The Guizhou-Yunnan-Guangxi ethnic-unity folk-song contest and the Zhuang 'Sanyuesan' folk-song festival bring the three peoples together."),
]]
REPORTED_SITE_FIELDS = {
    "party-school": "site_type",
    "mediation-centre": "site_type",
    "station-lbg": "site_type|township_id",
    "solar-wanfeng": "site_type",
}
WOOD_PARK = (104.604, 24.768)  # schematic centre of the 22 wood-processing firms in Sanjiangkou
# fmt: on


def road(waypoints: Coords) -> LineString:
    """A road through waypoints, smoothed into curves."""
    return snap(LineString(chaikin(waypoints, rounds=3)))


def build_sites(points: dict[str, Point]) -> list[Row]:
    """The tri-point and dams (open data), the reported facilities and the 22 wood firms."""
    tri, tsq, lbg = points[TRI_POINT_REF], points[TSQ_DAM], points[LUBUGE_DAM]
    sites: list[Row] = [
        dict(zip(SITE_FIELDS, s, strict=True))
        for s in [
            ("tri-point", "黔滇桂三省（区）交界点（黄泥河汇入南盘江）",
             "Guizhou-Yunnan-Guangxi tri-point (Huangni-Nanpan confluence)",
             "tri_point", None, "open_data", (tri.x, tri.y)),
            ("dam-tianshengqiao-1", "天生桥一级水电站大坝（万峰湖坝址）", "Tianshengqiao-I dam (forms Wanfeng Lake)",
             "dam", None, "open_data", (tsq.x, tsq.y)),
            ("dam-lubuge", "鲁布革水电站大坝（黄泥河）", "Lubuge dam (Huangni River)",
             "dam", None, "open_data", (lbg.x, lbg.y)),
        ]
    ]  # fmt: skip
    sites += FACILITIES
    for k, p in enumerate(sunflower(WOOD_PARK, 22, 2300), start=1):
        sites.append(
            dict(
                id=f"wood-{k:02d}",
                name_zh=f"木材加工企业{k:02d}（示例）",
                name_en=f"Wood-processing firm {k:02d} (illustrative)",
                site_type="wood_enterprise",
                township_id="sanjiangkou",
                source="illustrative",
                at=(p.x, p.y),
            )
        )
    return [{**site, "reported_fields": REPORTED_SITE_FIELDS.get(site["id"], "")} for site in sites]


# ------------------------------------------------------------------------------ tables


class Jitter:
    """Deterministic small variation from a seeded generator (random.random() is stable across
    Python versions)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def __call__(self, spread: float) -> float:
        return 1 + spread * (2 * self._rng.random() - 1)


def one_decimal(x: float) -> float | int:
    """A figure with at most one decimal; whole numbers are written whole."""
    v = round(x, 1)
    return int(v) if v == int(v) else v


def quarter_no(quarter: str) -> int:
    return int(quarter[-1])


def is_reported(quarter: str, township: str, industry: str) -> bool:
    """The one cell of output and of employment that the report gives."""
    return (quarter, township, industry) == ("2024Q1", "sanjiangkou", "wood")


def output_rows() -> list[Row]:
    """Output in 10k yuan: trend and season. Reported: Sanjiangkou wood 2024Q1 = 1500."""
    jit = Jitter(20240422)
    fruit_share = {  # share of a year's output by quarter
        "mabeng": (0.30, 0.05, 0.10, 0.55),  # sugar oranges, harvested November to February
        "lubuge": (0.20, 0.15, 0.35, 0.30),  # lemons, August to December
        "sanjiangkou": (0.20, 0.20, 0.40, 0.20),  # passion fruit and others
    }
    fruit_year = {"mabeng": (2300, 2900, 3300), "lubuge": (420, 700, 800), "sanjiangkou": (260, 420, 520)}
    tourism_share = (0.20, 0.28, 0.34, 0.18)
    tourism_year = {"sanjiangkou": (1000, 1500, 1700), "lubuge": (700, 1000, 1100), "mabeng": (350, 550, 650)}
    wood_range = {"sanjiangkou": (800, 1500), "lubuge": (55, 120), "mabeng": (70, 150)}  # 2022Q1 to 2024Q1
    wood_season = (0.97, 1.0, 1.02, 1.04)
    rows = []
    for t, q in enumerate(QUARTERS):
        year, qn = int(q[:4]) - 2022, quarter_no(q)
        for tid in TOWNSHIPS:
            a, b = wood_range[tid]
            values = {
                "wood": a * (b / a) ** (t / 8) * wood_season[qn - 1] * jit(0.02),
                "fruit": fruit_year[tid][year] * fruit_share[tid][qn - 1] * jit(0.05),
                "tourism": tourism_year[tid][year] * tourism_share[qn - 1] * jit(0.05),
            }
            for industry, value in values.items():
                reported = is_reported(q, tid, industry)
                rows.append(
                    dict(
                        quarter=q,
                        township_id=tid,
                        industry=industry,
                        output_10k_yuan=1500 if reported else one_decimal(value),
                        source="report" if reported else "illustrative",
                        reported_as="1500" if reported else "",
                    )
                )
    return rows


def employment_rows() -> list[Row]:
    """People employed. Reported: Sanjiangkou wood 2024Q1 = 500 (the report's "500+"). Fruit and
    tourism in 2024Q1 split the alliance bases' 400 jobs (the report's "400+") as the bases do."""
    jit = Jitter(500)
    wood_range = {"sanjiangkou": (300, 500), "lubuge": (25, 38), "mabeng": (30, 45)}
    season = {"fruit": (1.05, 0.92, 0.95, 1.08), "tourism": (0.95, 1.03, 1.06, 0.96)}
    rows = []
    for t, q in enumerate(QUARTERS):
        for tid in TOWNSHIPS:
            a, b = wood_range[tid]
            values = {"wood": round(a * (b / a) ** (t / 8) * jit(0.02))}
            for industry in ("fruit", "tourism"):
                jobs = sum(b["jobs"] for b in BASES if b["township_id"] == tid and b["industry"] == industry)
                # a build-up towards the 2024Q1 figure
                factor = 1.0 if q == "2024Q1" else (0.6 + 0.4 * t / 8) * season[industry][quarter_no(q) - 1] * jit(0.03)
                values[industry] = round(jobs * factor)
            for industry, jobs in values.items():
                reported = is_reported(q, tid, industry)
                rows.append(
                    dict(
                        quarter=q,
                        township_id=tid,
                        industry=industry,
                        jobs=500 if reported else jobs,
                        source="report" if reported else "illustrative",
                        reported_as="500余" if reported else "",
                    )
                )
    return rows


def tourism_rows() -> list[Row]:
    """Visits per route and quarter, from the quarter each route began (illustrative)."""
    jit = Jitter(6)
    level = {"route-1": 4200, "route-2": 2600, "route-3": 3300, "route-4": 2100, "route-5": 1900, "route-6": 2400}
    season = (0.80, 1.15, 1.30, 0.75)
    year = {"2022": 0.75, "2023": 1.0, "2024": 1.1}
    rows = []
    for q in QUARTERS:
        for rid, _zh, _en, _tid, since, _way in ROUTES:
            if q < since:
                continue
            first = 0.6 if q == since else 1.0
            visits = level[rid] * season[quarter_no(q) - 1] * year[q[:4]] * first * jit(0.06)
            rows.append(dict(quarter=q, route_id=rid, visitors=round(visits), source="illustrative"))
    return rows


def mediation_rows() -> list[Row]:
    """Disputes received and resolved per quarter and township (illustrative, 5 to 40)."""
    rng = random.Random(3)
    level = {"sanjiangkou": 18, "lubuge": 14, "mabeng": 11}
    rows = []
    for q in QUARTERS:
        for tid in TOWNSHIPS:
            bump = 1.3 if quarter_no(q) == 1 else 1.0  # Spring Festival: people come home
            received = max(5, min(40, round(level[tid] * bump * (0.75 + 0.5 * rng.random()))))
            resolved = received - int(rng.random() * 3.2)
            rows.append(
                dict(
                    quarter=q,
                    township_id=tid,
                    cases_received=received,
                    cases_resolved=resolved,
                    source="illustrative",
                )
            )
    return rows


# fmt: off
# 6 joint Party organisations (reported count); names, members and start quarters illustrative.
PARTY_ORGANISATIONS: list[Row] = [
    dict(zip(("id", "name_zh", "name_en", "township_ids", "members", "since_quarter"), o, strict=True))
    for o in [
        ("jpo-1", "三江口—鲁布革黄泥河联合党支部（示例）",
         "Sanjiangkou-Lubuge Huangni River joint Party branch (illustrative)", "sanjiangkou|lubuge", 38, None),
        ("jpo-2", "三江口—马蚌南盘江联合党支部（示例）",
         "Sanjiangkou-Mabeng Nanpan River joint Party branch (illustrative)", "sanjiangkou|mabeng", 42, None),
        ("jpo-3", "鲁布革—马蚌联合党支部（示例）",
         "Lubuge-Mabeng joint Party branch (illustrative)", "lubuge|mabeng", 27, None),
        ("jpo-4", "三地木材加工产业链联合党支部（示例）",
         "Tri-township wood-processing industry-chain Party branch (illustrative)",
         "sanjiangkou|lubuge|mabeng", 31, "2022Q2"),
        ("jpo-5", "三地水果产业联盟联合党支部（示例）",
         "Tri-township fruit alliance joint Party branch (illustrative)", "sanjiangkou|lubuge|mabeng", 24, "2022Q4"),
        ("jpo-6", "万峰湖文旅联合党支部（示例）",
         "Wanfeng Lake tourism joint Party branch (illustrative)", "sanjiangkou|mabeng", 19, "2023Q3"),
    ]
]

# 10 sessions of the joint Party school since July 2023 reaching 500+ attendances (reported);
# each session's date, kind, title and attendance is illustrative. Attendances add up to 520.
PARTY_SCHOOL: list[tuple[str, str, str, str, int]] = [
    ("2023-07-14", "lecture", "党校开班暨专题党课（示例）", "Opening session and Party lecture (illustrative)", 68),
    ("2023-08-18", "member_training", "党员教育培训：基层党组织建设（示例）",
     "Member training: grassroots Party organisation (illustrative)", 52),
    ("2023-09-15", "skills_training", "实用技能培训：砂糖橘种植管理（示例）",
     "Skills training: sugar-orange orchard care (illustrative)", 61),
    ("2023-10-20", "seminar", "专题座谈会：跨省（区）矛盾纠纷联调（示例）",
     "Seminar: joint cross-border dispute mediation (illustrative)", 38),
    ("2023-11-10", "lecture", "专题党课：民族团结进步（示例）", "Party lecture: ethnic unity and progress (illustrative)", 55),
    ("2023-11-24", "skills_training", "实用技能培训：木材加工安全生产（示例）",
     "Skills training: safety in wood processing (illustrative)", 47),
    ("2023-12-15", "member_training", "党员教育培训：党员冬训（示例）",
     "Member training: winter course for Party members (illustrative)", 64),
    ("2024-01-19", "seminar", "专题座谈会：乡村生态一日游线路协作（示例）",
     "Seminar: cooperation on the eco-tour routes (illustrative)", 36),
    ("2024-03-08", "member_training", "党员教育培训：“领头雁”村干部培训（示例）",
     "Member training: 'lead goose' course for village cadres (illustrative)", 49),
    ("2024-03-22", "lecture", "专题党课：民族地区乡村振兴（示例）",
     "Party lecture: rural revitalisation in ethnic areas (illustrative)", 50),
]

# One meeting a quarter (reported). The topics are matters the report says the joint committee
# handled; which meeting took which topic, and the dates, are illustrative.
MEETINGS: list[tuple[str, str, str, str]] = [
    ("2022Q1", "2022-03-18", "木材加工产业布局与木材原料供应协作", "Wood-processing layout and timber supply"),
    ("2022Q2", "2022-06-24", "罗八高速公路施工协调服务", "Luoba expressway construction coordination"),
    ("2022Q3", "2022-09-16", "“党建网格+警格”治理与联合巡逻", "Party grid + police grid governance and joint patrols"),
    ("2022Q4", "2022-12-09", "万峰湖生态光伏发电项目", "Wanfeng Lake ecological solar power project"),
    ("2023Q1", "2023-03-10", "民族团结山歌赛与“壮族三月三”山歌节筹备",
     "Folk-song contest and Zhuang 'Third of March' festival"),
    ("2023Q2", "2023-06-21", "筹建联合党工委党校", "Setting up the joint Party school"),
    ("2023Q3", "2023-09-22", "一站式矛盾纠纷调处中心运行", "Running the one-stop dispute mediation centre"),
    ("2023Q4", "2023-12-15", "乡村生态一日游线路与产业联盟基地", "Eco-tour routes and industry alliance bases"),
    ("2024Q1", "2024-03-19", "木材加工废料利用与引进生物资源企业", "Wood waste use and bio-resource firms"),
]
# fmt: on


def chair(index: int) -> str:
    """Rotating chair, one township per meeting in the order Sanjiangkou, Lubuge, Mabeng, so that
    2024Q1 falls to Sanjiangkou (its Party secretary is the rotating secretary in the report)."""
    return TOWNSHIPS[(index - (len(QUARTERS) - 1)) % 3]


# ------------------------------------------------------------------------------ writing


def rounded(coords: Any) -> Any:
    """Nested coordinates rounded to 5 decimals."""
    if isinstance(coords, int | float):
        return round(float(coords), DECIMALS)
    return [rounded(c) for c in coords]


def write_geojson(key: str, features: Iterable[tuple[Row, BaseGeometry]], out: Path) -> int:
    """Write a layer: one feature per line, properties in the contract's order, UTF-8."""
    dataset = DATASETS[key]
    names = [f.name for f in dataset.fields]
    lines = []
    for props, geom in features:
        assert set(props) == set(names), f"{key}: {sorted(props)} != {sorted(names)}"
        g = mapping(geom)
        feature = {
            "type": "Feature",
            "properties": {n: props[n] for n in names},
            "geometry": {"type": g["type"], "coordinates": rounded(g["coordinates"])},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    path = out / dataset.path
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ",\n".join(lines)
    path.write_text(f'{{"type":"FeatureCollection","features":[\n{body}\n]}}\n', encoding="utf-8")
    return len(lines)


def write_csv(key: str, rows: list[Row], out: Path) -> int:
    """Write a table: UTF-8 without BOM, the contract's header, \\n line ends, empty for None."""
    dataset = DATASETS[key]
    names = [f.name for f in dataset.fields]
    path = out / dataset.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            assert set(row) == set(names), f"{key}: {sorted(row)} != {sorted(names)}"
            writer.writerow(["" if row[n] is None else row[n] for n in names])
    return len(rows)


def located(rows: list[Row]) -> list[tuple[Row, BaseGeometry]]:
    """Rows with an ``at`` position as (properties, point)."""
    return [({k: v for k, v in r.items() if k != "at"}, snap(Point(r["at"]))) for r in rows]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the schematic sample data under data/.")
    parser.add_argument(
        "--reference",
        type=Path,
        default=ROOT.parent / "shared" / "reference",
        help="folder with rivers_generalised.geojson and reference_points.geojson",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "data", help="data folder to write into")
    args = parser.parse_args(argv)
    rivers, points = read_reference(args.reference)
    out: Path = args.out
    counts: dict[str, int] = {}

    counties = read_counties(out)
    courses = river_courses(rivers, counties)
    river_names = {"nanpan": ("南盘江", "Nanpan River"), "huangni": ("黄泥河", "Huangni River")}
    counts["rivers"] = write_geojson(
        "rivers", [(dict(id=k, name_zh=zh, name_en=en), courses[k]) for k, (zh, en) in river_names.items()], out
    )

    lake = build_lake(courses, points[TRI_POINT_REF], points[TSQ_DAM], points[LUBUGE_DAM])
    lake_props = dict(id="wanfeng_lake", name_zh="万峰湖（示意）", name_en="Wanfeng Lake (schematic)")
    counts["lake"] = write_geojson("lake", [(lake_props, lake)], out)

    townships = build_townships(counties)
    counts["townships"] = write_geojson(
        "townships",
        [
            (dict(id=t, name_zh=m[0], name_en=m[1], province_zh=m[2], county_zh=m[3]), townships[t])
            for t, m in TOWNSHIP_META.items()
        ],
        out,
    )

    grid_since = {"pg-sjk-4": "2022Q3", "pg-mb-4": "2022Q3", "pg-lbg-3": "2023Q2", "police-mb-2": "2023Q2"}
    grids = []
    # Grid workers are invented (the report names none); the phone numbers are not real ones.
    for n, (tid, kind, k, poly) in enumerate(build_grids(townships), start=1):
        zh, en, short = TOWNSHIP_META[tid][0], TOWNSHIP_META[tid][1].split()[0], TOWNSHIP_META[tid][5]
        gid = f"{'pg' if kind == 'party' else 'police'}-{short}-{k}"
        props = dict(
            id=gid,
            name_zh=f"{zh}{'党建网格' if kind == 'party' else '警格'}{k}（示意）",
            name_en=f"{en} {'Party grid' if kind == 'party' else 'police grid'} {k} (schematic)",
            township_id=tid,
            grid_type=kind,
            worker_name=f"网格员{n:02d}（示例）",
            worker_phone=f"1380000{n:04d}",
            since_quarter=grid_since.get(gid),
        )
        grids.append((props, poly))
    counts["patrol_grids"] = write_geojson("patrol_grids", grids, out)

    counts["tourism_routes"] = write_geojson(
        "tourism_routes",
        [
            (dict(id=r, name_zh=zh, name_en=en, township_id=t, since_quarter=since, source="illustrative"), road(way))
            for r, zh, en, t, since, way in ROUTES
        ],
        out,
    )

    bases = [
        (
            {**props, "reported_fields": REPORTED_BASE if b["id"] in ("base-1", "base-2") else ""},
            blob(b["at"], b["area_mu"] * MU_M2) if b["id"] == "base-1" else point,
        )
        for b, (props, point) in zip(BASES, located(BASES), strict=True)
    ]
    counts["industry_bases"] = write_geojson("industry_bases", bases, out)
    counts["sites"] = write_geojson("sites", located(build_sites(points)), out)

    counts["report_facts"] = write_csv("report_facts", [{**f, "source": "report"} for f in REPORT_FACTS], out)
    counts["output"] = write_csv("output", output_rows(), out)
    counts["employment"] = write_csv("employment", employment_rows(), out)
    counts["tourism_figures"] = write_csv("tourism_figures", tourism_rows(), out)
    counts["mediation"] = write_csv("mediation", mediation_rows(), out)
    counts["party_organisations"] = write_csv(
        "party_organisations", [{**o, "source": "illustrative"} for o in PARTY_ORGANISATIONS], out
    )
    counts["party_school"] = write_csv(
        "party_school",
        [
            dict(date=d, activity_type=a, title_zh=zh, title_en=en, attendance=n, source="illustrative")
            for d, a, zh, en, n in PARTY_SCHOOL
        ],
        out,
    )
    counts["joint_meetings"] = write_csv(
        "joint_meetings",
        [
            dict(quarter=q, date=d, chair_township_id=chair(i), topic_zh=zh, topic_en=en, source="illustrative")
            for i, (q, d, zh, en) in enumerate(MEETINGS)
        ],
        out,
    )

    for key, n in counts.items():
        print(f"{DATASETS[key].path:32} {n:4d}")
    for tid in TOWNSHIPS:
        print(f"{tid:12} {km2(townships[tid]):6.1f} km2")
    print(f"{'lake':12} {km2(lake):6.1f} km2")


if __name__ == "__main__":
    main()
