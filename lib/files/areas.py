"""A layer's features in the database, to be asked for by area: the features of the current
version of each layer, one row each, with their bounding box, and with their geometry in a
PostGIS column under a spatial index where the database has the ``postgis`` extension. Without
it the boxes are compared in SQL and the shapes here: the same answer on plain PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import psycopg
import shapely
from shapely.geometry import box as make_box
from shapely.geometry import shape

from lib.contract.catalog import DATASETS, Layer

Box = tuple[float, float, float, float]  # west, south, east, north in degrees (WGS84)

SCHEMA = """
CREATE TABLE IF NOT EXISTS wanfeng_features (
    file text NOT NULL,
    n integer NOT NULL,
    west double precision NOT NULL,
    south double precision NOT NULL,
    east double precision NOT NULL,
    north double precision NOT NULL,
    feature jsonb NOT NULL,
    PRIMARY KEY (file, n)
);
CREATE INDEX IF NOT EXISTS wanfeng_features_west ON wanfeng_features (file, west);
CREATE TABLE IF NOT EXISTS wanfeng_features_of (
    file text PRIMARY KEY,
    seq bigint NOT NULL,
    spatial boolean NOT NULL
);
"""
# Where the database has PostGIS (a database administrator's CREATE EXTENSION postgis).
POSTGIS_SCHEMA = """
ALTER TABLE wanfeng_features ADD COLUMN IF NOT EXISTS geom geometry(Geometry, 4326);
CREATE INDEX IF NOT EXISTS wanfeng_features_geom ON wanfeng_features USING gist (geom);
"""


def is_layer(key: str) -> bool:
    """Whether the data file ``key`` is one of the contract's layers."""
    return any(isinstance(d, Layer) and d.path == key for d in DATASETS.values())


def has_postgis(connection: psycopg.Connection) -> bool:
    """Whether the database has the ``postgis`` extension."""
    row = connection.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')").fetchone()
    return bool(row and row[0])


def features_of(content: bytes) -> list[tuple[dict, shapely.Geometry]]:
    """The features of a GeoJSON file with a geometry that can be read, each with its shape;
    none when the file is not GeoJSON (a file copied in by hand is kept as it is, and the
    data check names what is wrong with it)."""
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return []
    found = document.get("features") if isinstance(document, dict) else None
    shaped = []
    for feature in found if isinstance(found, list) else []:
        try:
            shaped.append((feature, shape(feature["geometry"])))
        except (TypeError, KeyError, ValueError, AttributeError, IndexError, shapely.errors.ShapelyError):
            continue
    return [(feature, geometry) for feature, geometry in shaped if not geometry.is_empty]


def index(connection: psycopg.Connection, key: str, seq: int, content: bytes, spatial: bool) -> None:
    """Make the rows of ``key`` those of its version ``seq``, whose ``content`` is given."""
    connection.execute("DELETE FROM wanfeng_features WHERE file = %s", [key])
    shaped = features_of(content)
    geometries = [geometry for _feature, geometry in shaped]
    bounds = shapely.bounds(geometries) if geometries else []
    columns = "file, n, west, south, east, north, feature" + (", geom" if spatial else "")
    wkb = shapely.to_wkb(shapely.set_srid(geometries, 4326), hex=True, include_srid=True) if spatial else []
    with connection.cursor().copy(f"COPY wanfeng_features ({columns}) FROM STDIN") as copy:
        for n, ((feature, _geometry), (west, south, east, north)) in enumerate(zip(shaped, bounds, strict=True)):
            row = [key, n, west, south, east, north, json.dumps(feature, ensure_ascii=False)]
            copy.write_row([*row, wkb[n]] if spatial else row)
    connection.execute(
        "INSERT INTO wanfeng_features_of (file, seq, spatial) VALUES (%s, %s, %s)"
        " ON CONFLICT (file) DO UPDATE SET seq = EXCLUDED.seq, spatial = EXCLUDED.spatial",
        [key, seq, spatial],
    )


def indexed(connection: psycopg.Connection, key: str) -> tuple[int, bool] | None:
    """The version whose features the rows of ``key`` hold, and whether with their geometry."""
    row = connection.execute("SELECT seq, spatial FROM wanfeng_features_of WHERE file = %s", [key]).fetchone()
    return (int(row[0]), bool(row[1])) if row else None


def within(connection: psycopg.Connection, key: str, area: Box, spatial: bool) -> list[dict]:
    """The features of ``key`` whose geometry meets the box ``area``, in the file's order."""
    west, south, east, north = area
    if spatial:
        rows = connection.execute(
            "SELECT feature FROM wanfeng_features, ST_MakeEnvelope(%s, %s, %s, %s, 4326) AS area"
            " WHERE file = %s AND geom && area AND ST_Intersects(geom, area) ORDER BY n",
            [west, south, east, north, key],
        ).fetchall()
        return [feature for (feature,) in rows]
    rows = connection.execute(
        "SELECT feature FROM wanfeng_features WHERE file = %s"
        " AND west <= %s AND east >= %s AND south <= %s AND north >= %s ORDER BY n",
        [key, east, west, north, south],
    ).fetchall()
    return _meeting([feature for (feature,) in rows], make_box(*area))


def _meeting(features: Sequence[dict], area: shapely.Geometry) -> list[dict]:
    """Those of ``features`` (their boxes meet ``area``) whose shapes meet it too."""
    shapes = [shape(feature["geometry"]) for feature in features]
    return [feature for feature, meets in zip(features, shapely.intersects(shapes, area), strict=True) if meets]
