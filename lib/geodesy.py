"""Lengths measured on the WGS84 ellipsoid, not in degrees."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from pyproj import Geod

_GEOD = Geod(ellps="WGS84")


def lengths_km(frame: gpd.GeoDataFrame) -> pd.Series:
    """Geodesic length of each line of ``frame``, in km."""
    return frame.geometry.apply(lambda g: _GEOD.geometry_length(g) / 1000)
