"""The ground the map stands on: where provinces meet, and where names stand."""

from __future__ import annotations

import itertools

import geopandas as gpd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel


def borders_between(frame: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """The lines where areas of different ``by`` values meet (provinces, from their counties):
    one row per pair that meets, with the two values as ``a`` and ``b``."""
    groups = {value: shapely.union_all(part.geometry.values) for value, part in frame.groupby(by, sort=True)}
    rows, lines = [], []
    for (a, first), (b, second) in itertools.combinations(groups.items(), 2):
        shared = shapely.line_merge(_lines(shapely.intersection(first.boundary, second.boundary)))
        if not shared.is_empty:
            rows.append({"a": a, "b": b})
            lines.append(shared)
    return gpd.GeoDataFrame(rows, geometry=lines, crs=frame.crs, columns=["a", "b"])


def label_points(
    frame: gpd.GeoDataFrame, view: BaseGeometry | None = None, avoid: BaseGeometry | None = None
) -> list[Point]:
    """A point inside each area for its name: inside the part of it in ``view`` (what the map
    first shows) that ``avoid`` (areas labelled already) leaves free, when there is one."""
    points = []
    for shape in frame.geometry:
        free = shape
        if view is not None and shape.intersects(view):
            free = shape.intersection(view)
            if avoid is not None and not free.difference(avoid).is_empty:
                free = free.difference(avoid)
        points.append(_widest_point(free))
    return points


def _widest_point(shape: BaseGeometry) -> Point:
    """The point of a shape's largest part farthest from its edge, where a name fits best."""
    parts = getattr(shape, "geoms", [shape])
    largest = max((p for p in parts if p.geom_type == "Polygon"), key=lambda p: p.area, default=None)
    if largest is None:
        return shape.representative_point()
    return polylabel(largest, tolerance=max(largest.bounds[2] - largest.bounds[0], 1e-9) / 100)


def _lines(shape: BaseGeometry) -> BaseGeometry:
    """Only the lines of a shape (boundaries that touch at a point also meet there)."""
    parts = [p for p in getattr(shape, "geoms", [shape]) if p.geom_type in ("LineString", "MultiLineString")]
    return shapely.union_all(parts) if parts else shapely.MultiLineString()
