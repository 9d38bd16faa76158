"""Build the schematic sample data under data/geo and data/tables.

This script is the record of how the sample data was made. It reads the generalised rivers and
the reference points (see ``--reference``) and writes every file listed in ``lib/catalog.py``.
Shapes are schematic (drawn to agree with the rivers, not official boundaries); figures are
illustrative except the few stated in the Guizhou Daily report of 2024-04-22, which carry
``source = report``. The output is deterministic: run it twice and the files are the same.

Run from the repository root::

    .venv/bin/python scripts/build_sample_data.py [--reference ../shared/reference]
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

import numpy as np
import shapely
import shapely.affinity
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polygonize, substring, unary_union

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.catalog import DATASETS  # noqa: E402

Coords = Sequence[tuple[float, float]]
Row = dict[str, Any]

DECIMALS = 5
GRID = 10**-DECIMALS
METRIC = "EPSG:32648"  # UTM 48N: metres, for buffers, lengths and areas
_TO_M = Transformer.from_crs("EPSG:4326", METRIC, always_xy=True)
_TO_LL = Transformer.from_crs(METRIC, "EPSG:4326", always_xy=True)

QUARTERS = [f"{y}Q{q}" for y in (2022, 2023) for q in (1, 2, 3, 4)] + ["2024Q1"]
TOWNSHIPS = ("sanjiangkou", "lubuge", "mabeng")
SHORT = {"sanjiangkou": "sjk", "lubuge": "lbg", "mabeng": "mb"}
NAME_EN = {"sanjiangkou": "Sanjiangkou", "lubuge": "Lubuge", "mabeng": "Mabeng"}
NAME_ZH = {"sanjiangkou": "三江口镇", "lubuge": "鲁布革乡", "mabeng": "马蚌镇"}
TRI_POINT = (104.527, 24.735)  # the Nanpan vertex where the Huangni joins
MU_M2 = 10_000 / 15  # 1 mu = 666.67 m2


# --------------------------------------------------------------------------- geometry helpers


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """WGS84 lon/lat to UTM 48N metres."""
    return shapely.transform(geom, lambda c: np.column_stack(_TO_M.transform(c[:, 0], c[:, 1])))


def to_lonlat(geom: BaseGeometry) -> BaseGeometry:
    """UTM 48N metres to WGS84 lon/lat."""
    return shapely.transform(geom, lambda c: np.column_stack(_TO_LL.transform(c[:, 0], c[:, 1])))


def snap(geom: BaseGeometry) -> BaseGeometry:
    """Round to 5 decimals (about 1 m), keeping polygons valid."""
    return shapely.set_precision(geom, GRID)


def km2(geom: BaseGeometry) -> float:
    """Area of a lon/lat geometry in km2."""
    return to_metric(geom).area / 1e6


def km(geom: BaseGeometry) -> float:
    """Length of a lon/lat line in km."""
    return to_metric(geom).length / 1000


def chaikin(coords: Coords, rounds: int = 2, closed: bool = False) -> list[tuple[float, float]]:
    """Smooth a polyline (or ring) by corner cutting; open lines keep their end points."""
    pts = [tuple(c) for c in coords]
    for _ in range(rounds):
        ring = pts[:-1] if closed else pts
        pairs = zip(ring, ring[1:] + ring[:1], strict=False) if closed else itertools.pairwise(ring)
        out: list[tuple[float, float]] = [] if closed else [ring[0]]
        for (x0, y0), (x1, y1) in pairs:
            out += [(0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1), (0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1)]
        pts = out + ([out[0]] if closed else [ring[-1]])
    return pts


def tapered_buffer(line: LineString, radius: Callable[[float], float], step: float = 150) -> Polygon:
    """Buffer a metric line with a radius that varies along it (radius of the distance in m)."""
    n = max(2, int(line.length / step) + 1)
    dists = np.linspace(0, line.length, n)
    discs = [line.interpolate(s).buffer(radius(s), quad_segs=8) for s in dists]
    hulls = [unary_union([a, b]).convex_hull for a, b in itertools.pairwise(discs)]
    return unary_union(hulls)


def wiggle_ring(lonlat: Coords, anchors: Coords, amplitude: float = 450) -> Polygon:
    """A hand-drawn outline made less regular: densify it and displace it smoothly sideways.

    The displacement fades out within 1.5 km of the anchors (where the outline must cross a
    river exactly once).
    """
    ring = to_metric(LineString([*list(lonlat), lonlat[0]]))
    anchor_pts = [to_metric(Point(a)) for a in anchors]
    pts: list[tuple[float, float]] = []
    s_total = 0.0
    coords = list(ring.coords)
    for (x0, y0), (x1, y1) in itertools.pairwise(coords):
        seg = math.hypot(x1 - x0, y1 - y0)
        nx, ny = -(y1 - y0) / seg, (x1 - x0) / seg
        for k in range(max(1, int(seg / 350))):
            f = k / max(1, int(seg / 350))
            x, y = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
            s = s_total + f * seg
            wave = sum(
                w * math.sin(2 * math.pi * s / period + phase)
                for w, period, phase in ((0.5, 5200, 1.3), (0.3, 2600, 0.4), (0.2, 1100, 2.1))
            )
            near = min(Point(x, y).distance(a) for a in anchor_pts)
            d = amplitude * wave * min(1.0, near / 1500)
            pts.append((x + d * nx, y + d * ny))
        s_total += seg
    smooth = chaikin([*pts, pts[0]], rounds=1, closed=True)
    return to_lonlat(Polygon(smooth))


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


def nearest_vertex(ring: Iterable[tuple[float, float]], point: Point) -> tuple[float, float]:
    """The vertex of a ring nearest to a point."""
    return min(ring, key=lambda v: point.distance(Point(v)))


def faces(poly: Polygon, cuts: list[LineString]) -> list[Polygon]:
    """Cut a polygon along lines that meet its outline and each other only at shared vertices.

    No new coordinates are made, so the pieces tile the polygon exactly, vertex for vertex.
    """
    out = [f for f in polygonize(unary_union([poly.exterior, *cuts])) if poly.contains(f.representative_point())]
    coords = np.concatenate([np.asarray(f.exterior.coords) for f in out])
    assert np.allclose(coords, np.round(coords, DECIMALS), atol=1e-9), "a cut made new vertices"
    return out


def grid_cells(poly: Polygon, parts: int) -> list[Polygon]:
    """Split a township into 2 (one west-east cut) or 4 (a north-south cut, then one west-east
    cut on each side) cells. Cuts run between existing vertices of the outline, so the cells
    share the township's outline exactly."""
    ring = list(poly.exterior.coords)[:-1]

    def chord(line: LineString, within: Polygon) -> tuple[Point, Point]:
        """Ends of the longest stretch of a line inside a polygon."""
        inside = line.intersection(within)
        piece = max(getattr(inside, "geoms", [inside]), key=lambda g: g.length)
        return Point(piece.coords[0]), Point(piece.coords[-1])

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
    ends = list(main.coords)
    trunk = LineString([ends[0], *sorted(joints, key=lambda j: Point(ends[0]).distance(Point(j))), ends[1]])
    return faces(poly, [trunk, *sides])


# --------------------------------------------------------------------------- reference data


def read_reference(folder: Path) -> tuple[dict[str, LineString], dict[str, Point]]:
    """The generalised rivers (keyed nanpan/huangni) and the reference points (keyed by name_en)."""
    rivers_fc = json.loads((folder / "rivers_generalised.geojson").read_text(encoding="utf-8"))
    rivers: dict[str, LineString] = {}
    for f in rivers_fc["features"]:
        key = "nanpan" if "Nanpan" in f["properties"]["name_en"] else "huangni"
        rivers[key] = shape(f["geometry"])
    points_fc = json.loads((folder / "reference_points.geojson").read_text(encoding="utf-8"))
    points = {f["properties"]["name_en"]: shape(f["geometry"]) for f in points_fc["features"]}
    return rivers, points


def lake_axis(nanpan: LineString) -> LineString:
    """The Nanpan from the tri-point down to the Tianshengqiao-I dam."""
    coords = list(nanpan.coords)
    return LineString(coords[coords.index(TRI_POINT) :])


# --------------------------------------------------------------------------- layers


def build_townships(rivers: dict[str, LineString]) -> dict[str, Polygon]:
    """Three schematic townships sharing borders exactly along the rivers.

    A hand-drawn outline around the tri-point is cut by the Nanpan and the Huangni (whose last
    vertex is snapped onto the Nanpan's tri-point vertex, 0.001 degrees away), so neighbouring
    townships share the river line, vertex for vertex.
    """
    crossings = [(104.592, 24.880), (104.672, 24.657), (104.509, 24.571)]
    outline = [
        (104.434, 24.745),
        (104.428, 24.790),
        (104.440, 24.830),
        (104.474, 24.858),
        (104.522, 24.868),
        (104.560, 24.877),
        crossings[0],
        (104.616, 24.866),
        (104.644, 24.850),
        (104.662, 24.820),
        (104.670, 24.782),
        (104.675, 24.735),
        (104.684, 24.690),
        crossings[1],
        (104.704, 24.628),
        (104.712, 24.598),
        (104.697, 24.572),
        (104.662, 24.564),
        (104.620, 24.561),
        (104.578, 24.565),
        (104.540, 24.569),
        crossings[2],
        (104.470, 24.594),
        (104.445, 24.628),
        (104.436, 24.690),
    ]
    region = wiggle_ring(outline, crossings)
    huangni = LineString([*list(rivers["huangni"].coords)[:-1], TRI_POINT])
    faces = list(polygonize(unary_union([region.exterior, rivers["nanpan"], huangni])))
    faces = [f for f in faces if region.contains(f.representative_point())]
    assert len(faces) == 3, f"expected 3 township faces, got {len(faces)}"
    probes = {"lubuge": (104.45, 24.75), "sanjiangkou": (104.62, 24.80), "mabeng": (104.62, 24.60)}
    out = {}
    for tid, xy in probes.items():
        (face,) = [f for f in faces if f.contains(Point(xy))]
        out[tid] = snap(face)
    return out


def build_lake(rivers: dict[str, LineString], dam: Point) -> Polygon:
    """A schematic Wanfeng Lake: the Nanpan from the tri-point to the dam, buffered 0.8-2.5 km wide.

    The axis is smoothed and buffered with a width that grows downstream and varies along the
    way; a few short side arms are added; the raw river line always stays inside.
    """
    raw = to_metric(lake_axis(rivers["nanpan"]))
    axis = LineString(chaikin(list(raw.coords), rounds=3))
    start = 600.0  # the lake starts just below the confluence, so the tri-point stays on land
    axis = substring(axis, start, axis.length)
    length = axis.length

    def half_width(s: float) -> float:
        base = 430 + 720 * (s / length) ** 0.8
        wave = 170 * math.sin(2 * math.pi * s / 9000 + 0.7) + 90 * math.sin(2 * math.pi * s / 4100)
        ramp = min(1.0, s / 2500)
        return max(400.0, min(1250.0, base + ramp * wave))

    body = tapered_buffer(axis, half_width)
    # side arms: km along the axis, side (+1 left, -1 right), angle to the axis, length km,
    # bend (radians over the arm), and an optional fork (share of the arm, angle, length km)
    arms: list[tuple[float, int, float, float, float, tuple[float, float, float] | None]] = [
        (8.0, 1, 70, 3.4, 0.35, None),
        (14.5, -1, 75, 3.4, -0.4, (0.55, -50, 1.5)),
        (25.0, -1, 80, 4.6, 0.3, None),
        (31.0, 1, 65, 5.0, -0.3, (0.5, 45, 2.2)),
        (40.0, -1, 70, 5.6, 0.35, (0.45, -40, 2.4)),
        (48.0, 1, 80, 4.2, 0.4, None),
        (55.0, -1, 75, 3.6, -0.3, None),
        (61.0, 1, 70, 4.8, -0.35, (0.6, 50, 2.0)),
        (68.0, -1, 70, 4.6, 0.3, None),
        (73.0, 1, 60, 5.4, 0.3, None),
        (77.5, -1, 75, 3.2, 0.25, None),
    ]
    parts = [body, substring(raw, start, raw.length).buffer(350)]

    def arm(origin: Point, heading: float, arm_km: float, bend: float, mouth: float) -> LineString:
        pts = []
        for k in range(9):
            f = k / 8
            pts.append(
                (
                    origin.x + f * arm_km * 1000 * math.cos(heading + bend * f),
                    origin.y + f * arm_km * 1000 * math.sin(heading + bend * f),
                )
            )
        line = LineString(pts)
        parts.append(tapered_buffer(line, lambda t: mouth - (mouth - 130) * t / line.length, 100))
        return line

    for s_km, side, angle, arm_km, bend, fork in arms:
        s = s_km * 1000 - start
        p0, p1 = axis.interpolate(s - 50), axis.interpolate(s + 50)
        heading = math.atan2(p1.y - p0.y, p1.x - p0.x) + side * math.radians(angle)
        line = arm(axis.interpolate(s), heading, arm_km, bend, half_width(s) * 0.7)
        if fork:
            share, turn, fork_km = fork
            at = line.interpolate(share, normalized=True)
            arm(at, heading + bend * share + math.radians(turn), fork_km, 0.2, 260)
    lake = unary_union(parts)
    # cut off whatever lies beyond the dam
    d0 = to_metric(dam)
    (x0, y0), (x1, y1) = raw.coords[-2], raw.coords[-1]
    ux, uy = (x1 - x0) / math.hypot(x1 - x0, y1 - y0), (y1 - y0) / math.hypot(x1 - x0, y1 - y0)
    far = 50_000
    beyond = Polygon(
        [
            (d0.x - uy * far, d0.y + ux * far),
            (d0.x + uy * far, d0.y - ux * far),
            (d0.x + uy * far + ux * far, d0.y - ux * far + uy * far),
            (d0.x - uy * far + ux * far, d0.y + ux * far + uy * far),
        ]
    )
    lake = lake.difference(beyond)
    if lake.geom_type == "MultiPolygon":
        lake = max(lake.geoms, key=lambda g: g.area)
    lake = Polygon(lake.exterior).simplify(35)
    return snap(to_lonlat(lake))


def build_grids(townships: dict[str, Polygon]) -> list[tuple[str, str, Polygon]]:
    """Party grids (4 per township) and police grids (2 per township), each tiling the township."""
    grids: list[tuple[str, str, Polygon]] = []
    for kind, parts in (("party", 4), ("police", 2)):
        for tid in TOWNSHIPS:
            cells = grid_cells(townships[tid], parts)
            assert len(cells) == parts, f"{tid}: {len(cells)} {kind} cells"
            # number the cells from north-west to south-east
            cells.sort(key=lambda c: (-round(c.centroid.y, 2), c.centroid.x))
            grids += [(tid, kind, c) for c in cells]
    return grids


# Six one-day tour routes (the number is reported; names and courses are illustrative): id,
# names, main township, quarter it began, and waypoints along the valleys and lake shores.
ROUTES: list[tuple[str, str, str, str, str, Coords]] = [
    (
        "route-1",
        "万峰湖北岸湖光山色一日游（示例）",
        "Wanfeng Lake north-shore day tour (illustrative)",
        "sanjiangkou",
        "2022Q1",
        [
            (104.548, 24.754),
            (104.566, 24.744),
            (104.586, 24.737),
            (104.602, 24.738),
            (104.622, 24.731),
            (104.636, 24.716),
            (104.646, 24.700),
            (104.660, 24.690),
            (104.666, 24.708),
            (104.652, 24.730),
            (104.634, 24.752),
            (104.612, 24.766),
            (104.592, 24.776),
        ],
    ),
    (
        "route-2",
        "黄泥河峡谷三江口一日游（示例）",
        "Huangni gorge and Sanjiangkou day tour (illustrative)",
        "sanjiangkou",
        "2023Q1",
        [
            (104.592, 24.776),
            (104.568, 24.786),
            (104.555, 24.804),
            (104.561, 24.826),
            (104.574, 24.845),
            (104.590, 24.858),
            (104.604, 24.850),
            (104.616, 24.830),
            (104.622, 24.806),
            (104.606, 24.786),
            (104.594, 24.779),
        ],
    ),
    (
        "route-3",
        "鲁布革布依村寨生态一日游（示例）",
        "Lubuge Buyi villages eco day tour (illustrative)",
        "lubuge",
        "2022Q2",
        [
            (104.478, 24.792),
            (104.466, 24.812),
            (104.474, 24.834),
            (104.500, 24.849),
            (104.526, 24.848),
            (104.541, 24.833),
            (104.531, 24.812),
            (104.524, 24.790),
            (104.504, 24.781),
            (104.484, 24.787),
        ],
    ),
    (
        "route-4",
        "南盘江西岸峡谷风光一日游（示例）",
        "Nanpan west-bank gorge day tour (illustrative)",
        "lubuge",
        "2023Q2",
        [
            (104.476, 24.790),
            (104.466, 24.768),
            (104.458, 24.744),
            (104.462, 24.718),
            (104.458, 24.694),
            (104.460, 24.668),
            (104.474, 24.682),
            (104.486, 24.700),
            (104.496, 24.722),
            (104.506, 24.742),
            (104.497, 24.764),
            (104.482, 24.786),
        ],
    ),
    (
        "route-5",
        "马蚌砂糖橘果园采摘一日游（示例）",
        "Mabeng sugar-orange orchard day tour (illustrative)",
        "mabeng",
        "2023Q4",
        [
            (104.655, 24.628),
            (104.636, 24.621),
            (104.626, 24.608),
            (104.606, 24.596),
            (104.586, 24.600),
            (104.574, 24.618),
            (104.586, 24.636),
            (104.606, 24.629),
            (104.628, 24.636),
            (104.652, 24.632),
        ],
    ),
    (
        "route-6",
        "万峰湖南岸湖湾一日游（示例）",
        "Wanfeng Lake south-shore bays day tour (illustrative)",
        "mabeng",
        "2022Q4",
        [
            (104.528, 24.712),
            (104.547, 24.706),
            (104.566, 24.699),
            (104.584, 24.690),
            (104.598, 24.678),
            (104.603, 24.664),
            (104.590, 24.656),
            (104.570, 24.664),
            (104.552, 24.678),
            (104.536, 24.694),
            (104.527, 24.708),
        ],
    ),
]


def road(waypoints: Coords) -> LineString:
    """A road through waypoints, smoothed into curves."""
    return snap(LineString(chaikin(waypoints, rounds=3)))


def blob(centre: tuple[float, float], area_m2: float, aspect: float = 1.35, tilt: float = 0.5) -> Polygon:
    """An irregular rounded polygon of a given area around a lon/lat centre."""
    c = to_metric(Point(centre))
    pts = []
    for k in range(24):
        a = 2 * math.pi * k / 24
        r = 1 + 0.12 * math.sin(3 * a + 0.4) + 0.07 * math.sin(5 * a + 1.1)
        x, y = aspect * r * math.cos(a), r * math.sin(a)
        pts.append((x * math.cos(tilt) - y * math.sin(tilt), x * math.sin(tilt) + y * math.cos(tilt)))
    unit = Polygon(pts)
    scale = math.sqrt(area_m2 / unit.area)
    poly = shapely.affinity.scale(unit, scale, scale, origin=(0, 0))
    return snap(to_lonlat(shapely.affinity.translate(poly, c.x, c.y)))


def sunflower(centre: tuple[float, float], n: int, radius_m: float, squash: float = 0.7) -> list[Point]:
    """n points spread evenly over an ellipse (golden-angle spiral), deterministic."""
    c = to_metric(Point(centre))
    golden = math.pi * (3 - math.sqrt(5))
    pts = []
    for k in range(n):
        r = radius_m * math.sqrt((k + 0.5) / n)
        a = k * golden
        x, y = r * math.cos(a), squash * r * math.sin(a)
        pts.append(to_lonlat(Point(c.x + x * 0.94 - y * 0.34, c.y + x * 0.34 + y * 0.94)))
    return pts


# --------------------------------------------------------------------------- point layers

BASES: list[Row] = [
    # id, names, township, industry, jobs, area_mu, since, source, position
    dict(
        id="base-1",
        name_zh="万亩砂糖橘基地",
        name_en="10,000-mu sugar-orange base",
        township_id="mabeng",
        industry="fruit",
        jobs=120,
        area_mu=10000,
        since_quarter=None,
        source="report",
        at=(104.612, 24.610),
    ),
    dict(
        id="base-2",
        name_zh="千亩柠檬基地",
        name_en="1,000-mu lemon base",
        township_id="lubuge",
        industry="fruit",
        jobs=45,
        area_mu=1000,
        since_quarter="2022Q3",
        source="report",
        at=(104.452, 24.712),
    ),
    dict(
        id="base-3",
        name_zh="万峰湖湖畔休闲旅游基地（示例）",
        name_en="Wanfeng Lake lakeside leisure base (illustrative)",
        township_id="sanjiangkou",
        industry="tourism",
        jobs=70,
        area_mu=None,
        since_quarter=None,
        source="illustrative",
        at=(104.575, 24.733),
    ),
    dict(
        id="base-4",
        name_zh="鲁布革布依族民俗文旅基地（示例）",
        name_en="Lubuge Buyi folk-culture tourism base (illustrative)",
        township_id="lubuge",
        industry="tourism",
        jobs=50,
        area_mu=None,
        since_quarter="2022Q2",
        source="illustrative",
        at=(104.505, 24.815),
    ),
    dict(
        id="base-5",
        name_zh="马蚌壮族山歌文旅基地（示例）",
        name_en="Mabeng Zhuang folk-song tourism base (illustrative)",
        township_id="mabeng",
        industry="tourism",
        jobs=40,
        area_mu=None,
        since_quarter="2023Q1",
        source="illustrative",
        at=(104.556, 24.668),
    ),
    dict(
        id="base-6",
        name_zh="三江口百香果种植基地（示例）",
        name_en="Sanjiangkou passion-fruit base (illustrative)",
        township_id="sanjiangkou",
        industry="fruit",
        jobs=35,
        area_mu=None,
        since_quarter="2023Q2",
        source="illustrative",
        at=(104.648, 24.752),
    ),
    dict(
        id="base-7",
        name_zh="三江口渔家文旅基地（示例）",
        name_en="Sanjiangkou fishing-village tourism base (illustrative)",
        township_id="sanjiangkou",
        industry="tourism",
        jobs=40,
        area_mu=None,
        since_quarter="2023Q4",
        source="illustrative",
        at=(104.650, 24.684),
    ),
]

SJK_SEAT = (104.590, 24.778)  # schematic position of the Sanjiangkou town seat


def build_sites(points: dict[str, Point]) -> list[Row]:
    """Facilities: tri-point and dams (open data), reported facilities, 22 wood firms."""
    tri = points["Guizhou-Yunnan-Guangxi tri-point at the Huangni-Nanpan confluence"]
    tsq = points["Tianshengqiao-I dam (forms Wanfeng Lake)"]
    lbg = points["Lubuge dam (Huangni River)"]
    sites: list[Row] = [
        dict(
            id="tri-point",
            name_zh="黔滇桂三省（区）交界点（黄泥河汇入南盘江）",
            name_en="Guizhou-Yunnan-Guangxi tri-point (Huangni-Nanpan confluence)",
            site_type="tri_point",
            township_id=None,
            source="open_data",
            at=(tri.x, tri.y),
        ),
        dict(
            id="dam-tianshengqiao-1",
            name_zh="天生桥一级水电站大坝（万峰湖坝址）",
            name_en="Tianshengqiao-I dam (forms Wanfeng Lake)",
            site_type="dam",
            township_id=None,
            source="open_data",
            at=(tsq.x, tsq.y),
        ),
        dict(
            id="dam-lubuge",
            name_zh="鲁布革水电站大坝（黄泥河）",
            name_en="Lubuge dam (Huangni River)",
            site_type="dam",
            township_id=None,
            source="open_data",
            at=(lbg.x, lbg.y),
        ),
        dict(
            id="party-school",
            name_zh="黔滇桂跨省（区）联合党工委党校（位置示意）",
            name_en="Joint Party school of the cross-provincial committee (position schematic)",
            site_type="party_school",
            township_id="sanjiangkou",
            source="report",
            at=(104.597, 24.787),
        ),
        dict(
            id="mediation-centre",
            name_zh="黔滇桂跨省（区）一站式矛盾纠纷调处中心（位置示意）",
            name_en="Tri-provincial one-stop dispute mediation centre (position schematic)",
            site_type="mediation_centre",
            township_id="sanjiangkou",
            source="report",
            at=(104.546, 24.748),
        ),
        dict(
            id="station-lbg",
            name_zh="鲁布革乡派出所（位置示意）",
            name_en="Lubuge township police station (position schematic)",
            site_type="police_station",
            township_id="lubuge",
            source="report",
            at=(104.478, 24.792),
        ),
        dict(
            id="station-sjk",
            name_zh="三江口镇派出所（示例）",
            name_en="Sanjiangkou town police station (illustrative)",
            site_type="police_station",
            township_id="sanjiangkou",
            source="illustrative",
            at=(104.582, 24.781),
        ),
        dict(
            id="station-mb",
            name_zh="马蚌镇派出所（示例）",
            name_en="Mabeng town police station (illustrative)",
            site_type="police_station",
            township_id="mabeng",
            source="illustrative",
            at=(104.655, 24.628),
        ),
        dict(
            id="solar-wanfeng",
            name_zh="万峰湖生态光伏电站（位置示意）",
            name_en="Wanfeng Lake ecological solar plant (position illustrative)",
            site_type="solar_plant",
            township_id="sanjiangkou",
            source="report",
            at=(104.668, 24.712),
        ),
    ]
    for k, p in enumerate(sunflower((104.604, 24.768), 22, 2300), start=1):
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
    return sites


# --------------------------------------------------------------------------- tables


class Jitter:
    """Deterministic small variation: a seeded generator using only random.random()."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def __call__(self, spread: float) -> float:
        return 1 + spread * (2 * self._rng.random() - 1)


def one_decimal(x: float) -> float | int:
    """A figure with at most one decimal; whole numbers stay whole."""
    v = round(x, 1)
    return int(v) if v == int(v) else v


def quarter_no(q: str) -> int:
    return int(q[-1])


def output_rows() -> list[Row]:
    """Quarterly output in 10k yuan: trend and season; 2024Q1 Sanjiangkou wood 1500 is reported."""
    jit = Jitter(2024_0422)
    fruit_share = {  # share of the year's output by quarter
        "mabeng": (0.30, 0.05, 0.10, 0.55),  # sugar oranges: harvest Nov-Feb
        "lubuge": (0.20, 0.15, 0.35, 0.30),  # lemons: Aug-Dec
        "sanjiangkou": (0.20, 0.20, 0.40, 0.20),  # passion fruit etc.
    }
    fruit_year = {"mabeng": (2300, 2900, 3300), "lubuge": (420, 700, 800), "sanjiangkou": (260, 420, 520)}
    tour_share = (0.20, 0.28, 0.34, 0.18)
    tour_year = {"sanjiangkou": (1000, 1500, 1700), "lubuge": (700, 1000, 1100), "mabeng": (350, 550, 650)}
    wood_range = {"sanjiangkou": (800, 1500), "lubuge": (55, 120), "mabeng": (70, 150)}
    wood_season = (0.97, 1.0, 1.02, 1.04)
    rows = []
    for t, q in enumerate(QUARTERS):
        y, qn = int(q[:4]) - 2022, quarter_no(q)
        for tid in TOWNSHIPS:
            a, b = wood_range[tid]
            wood = a * (b / a) ** (t / 8) * wood_season[qn - 1] * jit(0.02)
            fruit = fruit_year[tid][y] * fruit_share[tid][qn - 1] * jit(0.05)
            tour = tour_year[tid][y] * tour_share[qn - 1] * jit(0.05)
            for industry, value in (("wood", wood), ("fruit", fruit), ("tourism", tour)):
                source = "illustrative"
                if (q, tid, industry) == ("2024Q1", "sanjiangkou", "wood"):
                    value, source = 1500, "report"
                rows.append(
                    dict(
                        quarter=q, township_id=tid, industry=industry, output_10k_yuan=one_decimal(value), source=source
                    )
                )
    return rows


def employment_rows() -> list[Row]:
    """People employed by quarter: wood 500 in Sanjiangkou 2024Q1 (the reported "500+");
    fruit and tourism in 2024Q1 split the alliance bases' 400 jobs (reported "400+")."""
    jit = Jitter(500)
    wood_range = {"sanjiangkou": (300, 500), "lubuge": (25, 38), "mabeng": (30, 45)}
    season = {"fruit": (1.05, 0.92, 0.95, 1.08), "tourism": (0.95, 1.03, 1.06, 0.96)}
    rows = []
    for t, q in enumerate(QUARTERS):
        qn = quarter_no(q)
        for tid in TOWNSHIPS:
            a, b = wood_range[tid]
            values = {"wood": round(a * (b / a) ** (t / 8) * jit(0.02))}
            for industry in ("fruit", "tourism"):
                # 2024Q1: the alliance bases' jobs (400 in all); before: a build-up towards it
                jobs = sum(b["jobs"] for b in BASES if b["township_id"] == tid and b["industry"] == industry)
                factor = 1.0 if q == "2024Q1" else (0.6 + 0.4 * t / 8) * season[industry][qn - 1]
                values[industry] = round(jobs * factor * (1.0 if q == "2024Q1" else jit(0.03)))
            for industry, jobs in values.items():
                source = "illustrative"
                if (q, tid, industry) == ("2024Q1", "sanjiangkou", "wood"):
                    jobs, source = 500, "report"
                rows.append(dict(quarter=q, township_id=tid, industry=industry, jobs=jobs, source=source))
    return rows


def tourism_rows() -> list[Row]:
    """Visits per route and quarter, from the quarter the route began (illustrative)."""
    jit = Jitter(6)
    base = {"route-1": 4200, "route-2": 2600, "route-3": 3300, "route-4": 2100, "route-5": 1900, "route-6": 2400}
    season = (0.80, 1.15, 1.30, 0.75)
    year = {"2022": 0.75, "2023": 1.0, "2024": 1.1}
    rows = []
    for q in QUARTERS:
        for rid, _zh, _en, _tid, since, _way in ROUTES:
            if q < since:
                continue
            first = 0.6 if q == since else 1.0
            visits = base[rid] * season[quarter_no(q) - 1] * year[q[:4]] * first * jit(0.06)
            rows.append(dict(quarter=q, route_id=rid, visitors=round(visits), source="illustrative"))
    return rows


def mediation_rows() -> list[Row]:
    """Disputes received and resolved per quarter and township (illustrative, 5-40)."""
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
                    quarter=q, township_id=tid, cases_received=received, cases_resolved=resolved, source="illustrative"
                )
            )
    return rows


PARTY_ORGANISATIONS: list[Row] = [
    dict(
        id="jpo-1",
        name_zh="三江口—鲁布革黄泥河联合党支部（示例）",
        name_en="Sanjiangkou-Lubuge Huangni River joint Party branch (illustrative)",
        township_ids="sanjiangkou|lubuge",
        members=38,
        since_quarter=None,
    ),
    dict(
        id="jpo-2",
        name_zh="三江口—马蚌南盘江联合党支部（示例）",
        name_en="Sanjiangkou-Mabeng Nanpan River joint Party branch (illustrative)",
        township_ids="sanjiangkou|mabeng",
        members=42,
        since_quarter=None,
    ),
    dict(
        id="jpo-3",
        name_zh="鲁布革—马蚌联合党支部（示例）",
        name_en="Lubuge-Mabeng joint Party branch (illustrative)",
        township_ids="lubuge|mabeng",
        members=27,
        since_quarter=None,
    ),
    dict(
        id="jpo-4",
        name_zh="三地木材加工产业链联合党支部（示例）",
        name_en="Tri-township wood-processing industry-chain Party branch (illustrative)",
        township_ids="sanjiangkou|lubuge|mabeng",
        members=31,
        since_quarter="2022Q2",
    ),
    dict(
        id="jpo-5",
        name_zh="三地水果产业联盟联合党支部（示例）",
        name_en="Tri-township fruit alliance joint Party branch (illustrative)",
        township_ids="sanjiangkou|lubuge|mabeng",
        members=24,
        since_quarter="2022Q4",
    ),
    dict(
        id="jpo-6",
        name_zh="万峰湖文旅联合党支部（示例）",
        name_en="Wanfeng Lake tourism joint Party branch (illustrative)",
        township_ids="sanjiangkou|mabeng",
        members=19,
        since_quarter="2023Q3",
    ),
]

PARTY_SCHOOL: list[tuple[str, str, str, str, int]] = [
    ("2023-07-14", "lecture", "党校开班暨专题党课（示例）", "Opening session and Party lecture (illustrative)", 68),
    (
        "2023-08-18",
        "member_training",
        "党员教育培训：基层党组织建设（示例）",
        "Member training: grassroots Party organisation (illustrative)",
        52,
    ),
    (
        "2023-09-15",
        "skills_training",
        "实用技能培训：砂糖橘种植管理（示例）",
        "Skills training: sugar-orange orchard care (illustrative)",
        61,
    ),
    (
        "2023-10-20",
        "seminar",
        "专题座谈会：跨省（区）矛盾纠纷联调（示例）",
        "Seminar: joint cross-border dispute mediation (illustrative)",
        38,
    ),
    (
        "2023-11-10",
        "lecture",
        "专题党课：民族团结进步（示例）",
        "Party lecture: ethnic unity and progress (illustrative)",
        55,
    ),
    (
        "2023-11-24",
        "skills_training",
        "实用技能培训：木材加工安全生产（示例）",
        "Skills training: safety in wood processing (illustrative)",
        47,
    ),
    (
        "2023-12-15",
        "member_training",
        "党员教育培训：党员冬训（示例）",
        "Member training: winter course for Party members (illustrative)",
        64,
    ),
    (
        "2024-01-19",
        "seminar",
        "专题座谈会：乡村生态一日游线路协作（示例）",
        "Seminar: cooperation on the eco-tour routes (illustrative)",
        36,
    ),
    (
        "2024-03-08",
        "member_training",
        "党员教育培训：“领头雁”村干部培训（示例）",
        "Member training: 'lead goose' course for village cadres (illustrative)",
        49,
    ),
    (
        "2024-03-22",
        "lecture",
        "专题党课：民族地区乡村振兴（示例）",
        "Party lecture: rural revitalisation in ethnic areas (illustrative)",
        50,
    ),
]

# Topics are matters the report says the joint committee handled; which meeting took which
# topic, and the dates, are illustrative.
MEETINGS: list[tuple[str, str, str, str]] = [
    ("2022Q1", "2022-03-18", "木材加工产业布局与木材原料供应协作", "Wood-processing layout and timber supply"),
    ("2022Q2", "2022-06-24", "罗八高速公路施工协调服务", "Luoba expressway construction coordination"),
    ("2022Q3", "2022-09-16", "“党建网格+警格”治理与联合巡逻", "Party grid + police grid governance and joint patrols"),
    ("2022Q4", "2022-12-09", "万峰湖生态光伏发电项目", "Wanfeng Lake ecological solar power project"),
    (
        "2023Q1",
        "2023-03-10",
        "民族团结山歌赛与“壮族三月三”筹备",
        "Folk-song contest and Zhuang 'Third of March' festival",
    ),
    ("2023Q2", "2023-06-21", "筹建联合党工委党校", "Setting up the joint Party school"),
    ("2023Q3", "2023-09-22", "一站式矛盾纠纷调处中心运行", "Running the one-stop dispute mediation centre"),
    ("2023Q4", "2023-12-15", "乡村生态一日游线路与产业联盟基地", "Eco-tour routes and industry alliance bases"),
    ("2024Q1", "2024-03-19", "木材加工废料利用与引进生物资源企业", "Wood waste use and bio-resource firms"),
]


def chair(t: int) -> str:
    """Rotating chair, one township per meeting in the order Sanjiangkou, Lubuge, Mabeng,
    ending with Sanjiangkou in 2024Q1 (its Party secretary is the rotating secretary in the report)."""
    return TOWNSHIPS[(t - (len(QUARTERS) - 1)) % 3]


# --------------------------------------------------------------------------- writing


def fmt(coords: Any) -> Any:
    """Round nested coordinates to 5 decimals."""
    if isinstance(coords, (int, float)):
        return round(float(coords), DECIMALS)
    return [fmt(c) for c in coords]


def write_geojson(key: str, features: Iterable[tuple[Row, BaseGeometry]], out: Path) -> int:
    """Write a layer: one feature per line, properties in the contract's order."""
    dataset = DATASETS[key]
    names = [f.name for f in dataset.fields]
    lines = []
    for props, geom in features:
        assert set(props) == set(names), f"{key}: {sorted(props)} != {sorted(names)}"
        g = mapping(geom)
        feature = {
            "type": "Feature",
            "properties": {n: props[n] for n in names},
            "geometry": {"type": g["type"], "coordinates": fmt(g["coordinates"])},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    path = out / dataset.path
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ",\n".join(lines)
    path.write_text(f'{{"type":"FeatureCollection","features":[\n{body}\n]}}\n', encoding="utf-8")
    return len(lines)


def write_csv(key: str, rows: list[Row], out: Path) -> int:
    """Write a table: UTF-8 without BOM, header in the contract's order, \\n line ends."""
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


def point_features(rows: list[Row]) -> list[tuple[Row, BaseGeometry]]:
    return [({k: v for k, v in r.items() if k != "at"}, snap(Point(r["at"]))) for r in rows]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reference",
        type=Path,
        default=ROOT.parent / "shared" / "reference",
        help="folder with rivers_generalised.geojson and reference_points.geojson",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "data", help="data folder to write")
    args = parser.parse_args(argv)
    rivers, points = read_reference(args.reference)
    out: Path = args.out
    counts: dict[str, int] = {}

    river_names = {"nanpan": ("南盘江", "Nanpan River"), "huangni": ("黄泥河", "Huangni River")}
    counts["rivers"] = write_geojson(
        "rivers",
        [(dict(id=k, name_zh=river_names[k][0], name_en=river_names[k][1]), rivers[k]) for k in ("nanpan", "huangni")],
        out,
    )

    lake = build_lake(rivers, points["Tianshengqiao-I dam (forms Wanfeng Lake)"])
    counts["lake"] = write_geojson(
        "lake", [(dict(id="wanfeng_lake", name_zh="万峰湖（示意）", name_en="Wanfeng Lake (schematic)"), lake)], out
    )

    townships = build_townships(rivers)
    meta = {
        "sanjiangkou": ("三江口镇", "Sanjiangkou Town", "贵州省", "兴义市"),
        "lubuge": ("鲁布革布依族苗族乡", "Lubuge Buyi and Miao Ethnic Township", "云南省", "罗平县"),
        "mabeng": ("马蚌镇", "Mabeng Town", "广西壮族自治区", "西林县"),
    }
    counts["townships"] = write_geojson(
        "townships",
        [
            (
                dict(id=t, name_zh=meta[t][0], name_en=meta[t][1], province_zh=meta[t][2], county_zh=meta[t][3]),
                townships[t],
            )
            for t in TOWNSHIPS
        ],
        out,
    )

    since_grid = {"pg-sjk-4": "2022Q3", "pg-mb-4": "2022Q3", "pg-lbg-3": "2023Q2", "police-mb-2": "2023Q2"}
    grid_features = []
    number: dict[tuple[str, str], int] = {}
    for tid, kind, poly in build_grids(townships):
        k = number[(tid, kind)] = number.get((tid, kind), 0) + 1
        gid = f"{'pg' if kind == 'party' else 'police'}-{SHORT[tid]}-{k}"
        zh = f"{meta[tid][0]}{'党建网格' if kind == 'party' else '警格'}{k}（示意）"
        en = f"{NAME_EN[tid]} {'Party grid' if kind == 'party' else 'police grid'} {k} (schematic)"
        grid_features.append(
            (
                dict(
                    id=gid, name_zh=zh, name_en=en, township_id=tid, grid_type=kind, since_quarter=since_grid.get(gid)
                ),
                poly,
            )
        )
    counts["patrol_grids"] = write_geojson("patrol_grids", grid_features, out)

    counts["tourism_routes"] = write_geojson(
        "tourism_routes",
        [
            (
                dict(id=rid, name_zh=zh, name_en=en, township_id=tid, since_quarter=since, source="illustrative"),
                road(way),
            )
            for rid, zh, en, tid, since, way in ROUTES
        ],
        out,
    )

    base_features = []
    for b in BASES:
        props = {k: v for k, v in b.items() if k != "at"}
        geom = blob(b["at"], b["area_mu"] * MU_M2) if b["id"] == "base-1" else snap(Point(b["at"]))
        base_features.append((props, geom))
    counts["industry_bases"] = write_geojson("industry_bases", base_features, out)
    counts["sites"] = write_geojson("sites", point_features(build_sites(points)), out)

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
            dict(quarter=q, date=d, chair_township_id=chair(t), topic_zh=zh, topic_en=en, source="illustrative")
            for t, (q, d, zh, en) in enumerate(MEETINGS)
        ],
        out,
    )

    for key, n in counts.items():
        print(f"{DATASETS[key].path:32} {n:4d}")
    for t in TOWNSHIPS:
        print(f"township {t:12} {km2(townships[t]):7.1f} km2")
    print(f"lake {'':20} {km2(lake):7.1f} km2")


if __name__ == "__main__":
    main()
