"""Measures on the WGS84 ellipsoid, and the coordinates of Chinese web maps made true."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import prcoords
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

_GEOD = Geod(ellps="WGS84")


def lengths_km(frame: gpd.GeoDataFrame) -> pd.Series:
    """Geodesic length of each line of ``frame``, in km."""
    return frame.geometry.apply(lambda g: _GEOD.geometry_length(g) / 1000)


def gcj02_to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    """A shape traced on Amap (高德) or Tencent maps, whose GCJ-02 coordinates are shifted by
    law, at its true WGS84 position (around the lake about 0.4 km to the north-west)."""

    def true_positions(lonlat: np.ndarray) -> np.ndarray:
        found = [prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon)) for lon, lat in lonlat]
        return np.array([(c.lon, c.lat) for c in found]).reshape(lonlat.shape)

    return shapely.transform(geometry, true_positions)
