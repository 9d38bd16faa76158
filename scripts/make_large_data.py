"""Write a county-sized data set in the dashboard's data contract, for load and speed tests.

The bundled data holds 24 grids and 31 sites; a county-wide roll-out would bring thousands of
grids and tens of thousands of sites. The map, the loader and the pages must stay usable at
that size, and this makes a set to measure them on, with no real (or personal) data in it.

It copies the bundled data folder and replaces two layers:

- ``geo/patrol_grids.geojson``: N grids that tile the three townships and a county around them
  (about ``MARGIN_KM`` beyond them), without gaps or overlaps. They are Voronoi cells of seed
  points spread evenly (Lloyd's relaxation) over a plane stretched across the townships, so the
  cells are smaller there, as grids are where people live. Every edge is divided at the same
  length and every vertex moved by one smooth function of where it is: the two cells on an edge
  keep the same vertices, so the tiling holds, and the edges wander like hand-drawn boundaries
  of 20 to 60 vertices a grid.
- ``geo/sites.geojson``: the bundled sites, then sample sites over the same area up to M.

No table refers to a grid or a site, so the tables stay as they are. Everything made here is
illustrative (``source = illustrative``) and named as a sample; a README.txt in the folder
says so. The same seed writes the same files. Run from anywhere::

    .venv/bin/python scripts/make_large_data.py OUT [--grids 10000] [--sites 50000] [--seed 7]

then check it with ``scripts/check_data.py OUT`` and show it with ``WANFENG_DATA_DIR=OUT make run``.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.catalog import DATASETS, VOCABULARIES  # noqa: E402
from lib.loading import DEFAULT_DATA_DIR, load  # noqa: E402

MARGIN_KM = 20.0  # how far the county reaches beyond the townships
DENSER = 4.0  # grids a km² in the townships, against the county's far parts
RAMP_KM = 4.0  # how gradually grids grow beyond the townships
LLOYD_ROUNDS = 4  # enough to even the cells out, few enough to leave them irregular
EDGE = 0.115  # length an edge is divided at, in sides of the grids around it
# The hand-drawn look: (amplitude, wavelength) in sides of an average grid, direction in degrees, phase.
BENDS = ((0.08, 2.3, 20, 0.3), (0.03, 0.8, 110, 1.9), (0.01, 0.3, 65, 4.1))
WOBBLE_KM = (1.5, 35.0)  # amplitude and wavelength of the county outline's large bends
VERTICES = (20, 60)  # allowed vertex count of a grid's outline
DECIMALS = 5  # about 1 m, as the bundled files
SITE_TYPES = {  # what the sample sites are, and how often
    "wood_enterprise": 0.5,
    "police_station": 0.2,
    "mediation_centre": 0.15,
    "party_school": 0.1,
    "solar_plant": 0.05,
}
README = """\
示例数据（合成），用于负载与速度测试 / Synthetic sample data for load and speed tests

本文件夹由 scripts/make_large_data.py 生成（{grids} 个网格，{sites} 个站点，随机种子 {seed}）。
网格和新增站点都是编造的示例，不是真实数据；其余文件复制自项目自带的示例数据。

Written by scripts/make_large_data.py ({grids} grids, {sites} sites, seed {seed}). The grids
(geo/patrol_grids.geojson) and the sample sites (geo/sites.geojson, after the bundled ones) are
made up for load tests and are not real data: names say "sample", sites are `illustrative`.
The other files are copies of the bundled sample data. Show it with WANFENG_DATA_DIR=<this folder>.
"""


@dataclass(frozen=True)
class Plane:
    """Kilometres east and north of a point, from and to lon/lat: flat enough for a county."""

    lon: float
    lat: float

    @property
    def scale(self) -> np.ndarray:
        return np.array([111.32 * math.cos(math.radians(self.lat)), 110.57])

    def to_km(self, lonlat: np.ndarray) -> np.ndarray:
        return (lonlat - [self.lon, self.lat]) * self.scale

    def to_lonlat(self, km: np.ndarray) -> np.ndarray:
        return km / self.scale + [self.lon, self.lat]


@dataclass(frozen=True)
class County:
    """The townships and the county around them, in km, with how densely grids lie in it."""

    plane: Plane
    townships: shapely.Geometry  # their union, in km
    area: shapely.Geometry  # the county, in km
    grids: int

    @classmethod
    def around(cls, townships: shapely.Geometry, grids: int) -> County:
        """The townships' convex hull, ``MARGIN_KM`` wider, to hold ``grids`` grids."""
        west, south, east, north = townships.bounds
        plane = Plane((west + east) / 2, (south + north) / 2)
        in_km = shapely.transform(townships, plane.to_km)
        area = shapely.buffer(shapely.convex_hull(in_km), MARGIN_KM, quad_segs=16)
        for shape in (in_km, area):
            shapely.prepare(shape)
        return cls(plane, in_km, area, grids)

    def density(self, km: np.ndarray) -> np.ndarray:
        """Grids a km² (relative): ``DENSER`` in the townships, falling smoothly to 1 beyond."""
        beyond = shapely.distance(self.townships, shapely.points(km))
        return 1 + (DENSER - 1) * np.exp(-((beyond / RAMP_KM) ** 2))

    @cached_property
    def mean_density(self) -> float:
        west, south, east, north = self.area.bounds
        xy = np.random.default_rng(0).uniform([west, south], [east, north], (20_000, 2))
        return float(self.density(xy[shapely.contains_xy(self.area, *xy.T)]).mean())

    @property
    def side_km(self) -> float:
        """The side of an average grid."""
        return math.sqrt(self.area.area / self.grids)

    def side_at(self, km: np.ndarray) -> np.ndarray:
        """The side of a grid at each point, from the density there."""
        return self.side_km * np.sqrt(self.mean_density / self.density(km))

    def scatter(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """``count`` points over the county, as dense as the grids are."""
        west, south, east, north = self.area.bounds
        found = np.empty((0, 2))
        while len(found) < count:
            xy = rng.uniform([west, south], [east, north], (2 * (count - len(found)) + 16, 2))
            xy = xy[shapely.contains_xy(self.area, *xy.T)]
            found = np.concatenate([found, xy[rng.uniform(0, DENSER, len(xy)) < self.density(xy)]])
        return found[:count]

    def place(self, km: np.ndarray) -> np.ndarray:
        """Points bent (``bend``, ``wobble``) and taken to lon/lat, rounded to ``DECIMALS``."""
        return rounded(self.plane.to_lonlat(wobble(bend(km, self.side_km))))


def bend(km: np.ndarray, side: float) -> np.ndarray:
    """Every point moved by a smooth function of where it is (``BENDS``, in grid sides): the
    same vertex always goes to the same place, so cells that share an edge still share it."""
    moved = km.copy()
    for amplitude, wavelength, degrees, phase in BENDS:
        angle, k = math.radians(degrees), 2 * math.pi / (wavelength * side)
        along = km @ [math.cos(angle), math.sin(angle)] * k
        across = km @ [-math.sin(angle), math.cos(angle)] * k
        moved[:, 0] += amplitude * side * np.sin(along + phase)
        moved[:, 1] += amplitude * side * np.sin(across + 2 * phase)
    return moved


def wobble(km: np.ndarray) -> np.ndarray:
    """Large, gentle bends (``WOBBLE_KM``), so the county is not a smooth oval."""
    amplitude, wavelength = WOBBLE_KM
    k = 2 * math.pi / wavelength
    x, y = km[:, 0], km[:, 1]
    return np.column_stack(
        [x + amplitude * np.sin(k * (0.8 * y + 0.6 * x) + 0.7), y + amplitude * np.sin(k * (0.9 * x - 0.4 * y) + 2.2)]
    )


def rounded(xy: np.ndarray) -> np.ndarray:
    """Lon/lat rounded to ``DECIMALS``, to the double that prints as the short decimal."""
    return np.rint(xy * 10**DECIMALS) / 10**DECIMALS


def voronoi(seeds: np.ndarray, area: shapely.Geometry) -> np.ndarray:
    """The Voronoi cell of every seed, in the seeds' order, cut to ``area``."""
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=area, ordered=True))
    outside = ~shapely.within(cells, area)
    cells[outside] = shapely.intersection(cells[outside], area)
    return cells


def relax(seeds: np.ndarray, county: County) -> np.ndarray:
    """Seeds moved to their cells' centroids, weighted by the density (to first order), so the
    cells even out and keep their sizes."""
    cells = voronoi(seeds, county.area)
    centroids = shapely.get_coordinates(shapely.centroid(cells))
    step = 0.01 * county.side_km
    gradient = np.column_stack(
        [
            np.log(county.density(centroids + offset) / county.density(centroids - offset)) / (2 * step)
            for offset in ([step, 0], [0, step])
        ]
    )
    return centroids + shapely.area(cells)[:, None] / (2 * math.pi) * gradient


def divide(cells: np.ndarray, county: County) -> np.ndarray:
    """Every edge divided evenly into pieces about ``EDGE`` grid sides long. Both cells on an
    edge divide it alike, counted from its lower end, so they keep sharing every vertex."""
    xy, ring = shapely.get_coordinates(shapely.get_exterior_ring(cells), return_index=True)
    edge = ring[1:] == ring[:-1]
    start, end, ring = xy[:-1][edge], xy[1:][edge], ring[:-1][edge]
    middle = (start + end) / 2
    pieces = np.ceil(np.hypot(*(end - start).T) / (EDGE * county.side_at(middle))).astype(int)
    pieces = np.maximum(pieces, 1)
    flip = (start[:, 0] > end[:, 0]) | ((start[:, 0] == end[:, 0]) & (start[:, 1] > end[:, 1]))
    low, high = np.where(flip[:, None], end, start), np.where(flip[:, None], start, end)
    of = np.repeat(np.arange(len(pieces)), pieces)
    step = np.arange(len(of)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    t = np.where(flip[of], pieces[of] - step, step) / pieces[of]
    points = low[of] + (high - low)[of] * t[:, None]
    points[step == 0] = start[of[step == 0]]
    return shapely.polygons(shapely.linearrings(points, indices=ring[of]))


def tiling(county: County, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The grids that tile the county, in lon/lat, and their seeds (in km)."""
    seeds = county.scatter(county.grids, rng)
    for _ in range(LLOYD_ROUNDS):
        seeds = relax(seeds, county)
    grids = shapely.transform(divide(voronoi(seeds, county.area), county), county.place)
    # An edge shorter than the rounding becomes a repeated point; both cells drop it alike.
    return shapely.orient_polygons(shapely.remove_repeated_points(grids)), seeds


def vertex_counts(polygons: np.ndarray) -> np.ndarray:
    """Vertices of each polygon's outline, not counting the closing point."""
    return shapely.get_num_coordinates(shapely.get_exterior_ring(polygons)) - 1


def check_grids(grids: np.ndarray, count: int) -> None:
    """Stop if the grids are not ``count`` valid polygons of ``VERTICES`` vertices."""
    vertices = vertex_counts(grids)
    faults = {
        "cells": len(grids) != count,
        "not polygons": (shapely.get_type_id(grids) != shapely.GeometryType.POLYGON).any(),
        "invalid": (~shapely.is_valid(grids)).any(),
        "holes": (shapely.get_num_interior_rings(grids) > 0).any(),
        "vertices": vertices.min() < VERTICES[0] or vertices.max() > VERTICES[1],
    }
    if any(faults.values()):
        wrong = ", ".join(name for name, fault in faults.items() if fault)
        raise SystemExit(f"the grids came out wrong ({wrong}; vertices {vertices.min()} to {vertices.max()})")


def townships_of(points: np.ndarray, townships: dict[str, shapely.Geometry], plane: Plane, nearest: bool) -> list:
    """The township holding each lon/lat point; for points beyond all three, the nearest one
    (``nearest``) or None."""
    km = plane.to_km(points)
    shapes = {code: shapely.transform(shape, plane.to_km) for code, shape in townships.items()}
    found = np.full(len(points), None, dtype=object)
    for code, shape in shapes.items():
        shapely.prepare(shape)
        found[shapely.contains_xy(shape, km[:, 0], km[:, 1]) & (found == None)] = code  # noqa: E711 (elementwise)
    beyond = np.flatnonzero(found == None)  # noqa: E711
    if nearest and len(beyond):
        spots = shapely.points(km[beyond])
        distances = np.array([shapely.distance(shape, spots) for shape in shapes.values()])
        found[beyond] = np.array(list(shapes), dtype=object)[distances.argmin(axis=0)]
    return found.tolist()


def grid_rows(
    grids: np.ndarray,
    seeds: np.ndarray,
    townships: dict[str, shapely.Geometry],
    county: County,
    quarters: list[str],
    rng: np.random.Generator,
) -> list[tuple[dict, dict]]:
    """Properties and geometry of every grid, numbered township by township in rows from north
    to south, west to east; a third are police grids, most began before the data."""
    owners = townships_of(shapely.get_coordinates(shapely.point_on_surface(grids)), townships, county.plane, True)
    rank = {code: n for n, code in enumerate(VOCABULARIES["township"])}
    order = np.lexsort((seeds[:, 0], -np.floor(seeds[:, 1] / county.side_km), [rank[o] for o in owners]))
    kinds = rng.choice(["party", "party", "police"], len(grids))
    began = rng.choice([None] * (3 * len(quarters)) + quarters[1:], len(grids))
    width = max(5, len(str(len(grids))))
    rows = []
    for n, (i, kind, since) in enumerate(zip(order, kinds, began, strict=True), start=1):
        number = f"{n:0{width}d}"
        properties = {
            "id": f"grid-{number}",
            "name_zh": f"示例网格 {number}",
            "name_en": f"Sample grid {number}",
            "township_id": owners[i],
            "grid_type": kind,
            "worker_name": f"网格员{number}（示例）",
            "worker_phone": f"138{n:08d}",
            "since_quarter": since,
        }
        rows.append((properties, polygon_geometry(grids[i])))
    return rows


def site_rows(
    count: int, townships: dict[str, shapely.Geometry], county: County, rng: np.random.Generator
) -> list[tuple[dict, dict]]:
    """Properties and geometry of ``count`` sample sites, spread as the grids are."""
    points = county.place(county.scatter(count, rng))
    owners = townships_of(points, townships, county.plane, nearest=False)
    kinds = rng.choice(list(SITE_TYPES), count, p=list(SITE_TYPES.values()))
    width = max(5, len(str(count)))
    rows = []
    for n, (kind, owner, point) in enumerate(zip(kinds, owners, points.tolist(), strict=True), start=1):
        label = VOCABULARIES["site_type"][kind].label
        properties = {
            "id": f"sample-site-{n:0{width}d}",
            "name_zh": f"示例{label.zh} {n:0{width}d}",
            "name_en": f"Sample {label.en.lower()} {n:0{width}d}",
            "site_type": kind,
            "township_id": owner,
            "source": "illustrative",
        }
        rows.append((properties, {"type": "Point", "coordinates": point}))
    return rows


def polygon_geometry(polygon: shapely.Geometry) -> dict:
    """A polygon without holes as GeoJSON, coordinates as they are (already rounded)."""
    return {"type": "Polygon", "coordinates": [shapely.get_coordinates(polygon).tolist()]}


def read_features(folder: Path, key: str) -> list[dict]:
    """The features of a layer as stored."""
    return json.loads((folder / DATASETS[key].path).read_text(encoding="utf-8"))["features"]


def write_layer(folder: Path, key: str, features: Iterable[tuple[dict, dict]]) -> Path:
    """A layer as the bundled ones are written: UTF-8, one feature a line, properties in the
    contract's order."""
    names = [f.name for f in DATASETS[key].fields]
    lines = []
    for properties, geometry in features:
        assert set(properties) == set(names), f"{key}: {sorted(properties)} != {sorted(names)}"
        feature = {"type": "Feature", "properties": {n: properties[n] for n in names}, "geometry": geometry}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    path = folder / DATASETS[key].path
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    return path


def copy_bundled(out: Path) -> None:
    """The bundled data files into ``out``, which may exist; never into the bundled folder."""
    bundled = DEFAULT_DATA_DIR.resolve()
    if out.resolve() == bundled or bundled in out.resolve().parents:
        raise SystemExit(f"{out} is the bundled data folder: choose another")
    for dataset in DATASETS.values():
        (out / dataset.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEFAULT_DATA_DIR / dataset.path, out / dataset.path)


def describe(path: Path, what: str) -> str:
    return f"wrote {path} ({what}, {path.stat().st_size / 1e6:.1f} MB)"


def main(argv: list[str] | None = None) -> int:
    """Write the set asked for on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write; data files in it are replaced")
    parser.add_argument("--grids", type=int, default=10_000, help="number of patrol grids (default: %(default)s)")
    parser.add_argument("--sites", type=int, default=50_000, help="number of sites (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: %(default)s)")
    args = parser.parse_args(argv)
    bundled_sites = read_features(DEFAULT_DATA_DIR, "sites")
    if args.grids < 10 or args.sites < len(bundled_sites):
        parser.error(f"--grids must be at least 10 and --sites at least {len(bundled_sites)} (the bundled sites)")
    started = time.perf_counter()
    rng = np.random.default_rng(args.seed)

    townships = {f["properties"]["id"]: shapely.geometry.shape(f["geometry"]) for f in read_features(DEFAULT_DATA_DIR, "townships")}
    quarters = sorted(load(DATASETS["output"], DEFAULT_DATA_DIR).frame["quarter"].unique())
    county = County.around(shapely.union_all(list(townships.values())), args.grids)
    grids, seeds = tiling(county, rng)
    check_grids(grids, args.grids)
    sites = site_rows(args.sites - len(bundled_sites), townships, county, rng)

    copy_bundled(args.out)
    grid_path = write_layer(args.out, "patrol_grids", grid_rows(grids, seeds, townships, county, quarters, rng))
    site_path = write_layer(args.out, "sites", [(f["properties"], f["geometry"]) for f in bundled_sites] + sites)
    readme = args.out / "README.txt"
    readme.write_text(README.format(grids=args.grids, sites=args.sites, seed=args.seed), encoding="utf-8")

    vertices = vertex_counts(grids)
    print(describe(grid_path, f"{args.grids:,} grids of {vertices.min()} to {vertices.max()} vertices, median {np.median(vertices):g}"))
    print(describe(site_path, f"{args.sites:,} sites: {len(bundled_sites)} bundled, {len(sites):,} samples"))
    print(f"wrote {readme}; the other files are copies of {DEFAULT_DATA_DIR}")
    print(f"took {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
