"""Dense layers drawn as the scale allows: how many per hexagon zoomed out, each one zoomed in.

A county's ten thousand grids or fifty thousand sites cannot be told apart at the scale of the
whole area, and drawing them all costs the browser seconds. Below ``DETAIL_FROM`` such a layer
is drawn as H3 hexagons holding how many of its features lie in each, counted by township,
industry and first quarter so that the highlight and the cross-filter still apply; from
``DETAIL_FROM`` on, its features are fetched in tiles, only those the view reaches.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import h3
import numpy as np
import pandas as pd
import shapely

# A layer with more features than this is drawn by density when zoomed out.
DENSE_ABOVE = 2_000
# From this zoom each feature is drawn (a view of about 7 km by 4 on a 1600 px screen).
DETAIL_FROM = 14
# (first zoom, H3 resolution): hexagons of 40 to 60 px across at each zoom below DETAIL_FROM.
LEVELS = ((0, 6), (11, 7), (12, 8))
# Features travel in the slippy-map tiles of this zoom (about 4.4 km across here) that hold
# their anchor point.
TILE_ZOOM = 13
# What a hexagon counts its features by: the selection fades what differs (wanfeng-map.js).
COUNTED_BY = ("township_id", "industry", "since_quarter")
DECIMALS = 5


def is_dense(frame: pd.DataFrame) -> bool:
    """Whether a layer of ``frame`` is drawn by density when zoomed out."""
    return len(frame) > DENSE_ABOVE


def anchors(geometry: np.ndarray) -> np.ndarray:
    """A point inside each shape (the point itself for a point), as (longitude, latitude) rows."""
    return shapely.get_coordinates(shapely.point_on_surface(geometry))


def density_collection(frame: pd.DataFrame, resolution: int, area: bool) -> str:
    """The features of ``frame`` counted per H3 cell of ``resolution``, as GeoJSON: each cell a
    hexagon (``area``) or the point at its centre, with its total ``n``, the largest total of
    any cell ``m``, and its counts ``k`` as [township, industry, first quarter, count] rows."""
    points = anchors(frame.geometry.values)
    counted = pd.DataFrame(
        {
            "cell": [h3.latlng_to_cell(lat, lon, resolution) for lon, lat in points],
            **{name: _codes(frame, name).to_numpy() for name in COUNTED_BY},
        }
    )
    groups = counted.groupby(["cell", *COUNTED_BY], dropna=False, sort=True).size()
    counts: dict[str, list[list]] = {}
    for (cell, township, industry, since), n in groups.items():
        counts.setdefault(cell, []).append([code_of(township), code_of(industry), code_of(since), int(n)])
    totals = {cell: sum(row[3] for row in rows) for cell, rows in counts.items()}
    largest = max(totals.values(), default=0)
    features = [
        {
            "type": "Feature",
            "geometry": _cell_shape(cell, area),
            "properties": {"id": cell, "n": totals[cell], "m": largest, "k": rows},
        }
        for cell, rows in counts.items()
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))


def tiles(frame: pd.DataFrame, zoom: int = TILE_ZOOM) -> Iterator[tuple[list[list[float]], pd.DataFrame]]:
    """The features of ``frame`` by the tile of ``zoom`` that holds their anchor, each part with
    the south-west and north-east corners of its features (Leaflet's order)."""
    keys = tile_keys(anchors(frame.geometry.values), zoom)
    for key in np.unique(keys):
        part = frame[keys == key]
        west, south, east, north = part.total_bounds
        yield [[float(south), float(west)], [float(north), float(east)]], part


def tile_keys(points: np.ndarray, zoom: int) -> np.ndarray:
    """The slippy-map tile (x * 2**zoom + y) of each (longitude, latitude) row of ``points``."""
    n = 2**zoom
    longitude, latitude = points[:, 0], np.radians(points[:, 1])
    x = np.clip(np.floor((longitude + 180.0) / 360.0 * n), 0, n - 1).astype(np.int64)
    y = np.clip(np.floor((1.0 - np.arcsinh(np.tan(latitude)) / np.pi) / 2.0 * n), 0, n - 1).astype(np.int64)
    return x * n + y


def _cell_shape(cell: str, area: bool) -> dict:
    if not area:
        lat, lon = h3.cell_to_latlng(cell)
        return {"type": "Point", "coordinates": [round(lon, DECIMALS), round(lat, DECIMALS)]}
    ring = [[round(lon, DECIMALS), round(lat, DECIMALS)] for lat, lon in h3.cell_to_boundary(cell)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _codes(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame[name].where(frame[name].map(lambda v: isinstance(v, str) and bool(v)), None)


def code_of(value: object) -> str | None:
    """A coded value (a township's or an industry's code, a quarter) as the map's scripts
    take it: None for a missing or empty one."""
    return value if isinstance(value, str) and value else None
