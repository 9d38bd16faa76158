"""Finding places on the map: the township under a click, and features by name in either
language."""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from lib.contract.catalog import LAYERS
from lib.files.loading import Data


@dataclass(frozen=True)
class Place:
    """A named feature of a layer, with the corners Leaflet zooms to."""

    layer: str
    id: str
    name_zh: str
    name_en: str
    bounds: tuple[tuple[float, float], tuple[float, float]]

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


def township_at(data: Data, lon: float, lat: float) -> str | None:
    """The township that holds the point, or None outside all of them."""
    townships = data.frame("townships")
    if townships is None:
        return None
    inside = townships[townships.geometry.intersects(shapely.Point(lon, lat))]
    return None if inside.empty else str(inside.iloc[0]["id"])


def places(data: Data) -> list[Place]:
    """Every named feature of every layer that could be read, in the order of the layers."""
    found = []
    for layer in LAYERS:
        frame = data.frame(layer.key)
        if frame is None or frame.empty:
            continue
        corners = frame.geometry.bounds.to_numpy()
        for (west, south, east, north), row in zip(corners, frame.itertuples(index=False), strict=True):
            bounds = ((float(south), float(west)), (float(north), float(east)))
            found.append(Place(layer.key, str(row.id), str(row.name_zh), str(row.name_en), bounds))
    return found


def search(candidates: list[Place], query: str, limit: int = 8) -> list[Place]:
    """The places whose Chinese or English name (or id) holds ``query``, ignoring case: whole
    names first, then names that start with it, then the rest, shorter names first."""
    wanted = query.strip().casefold()
    if not wanted:
        return []

    def rank(place: Place) -> tuple[int, int] | None:
        names = [place.name_zh.casefold(), place.name_en.casefold(), place.id.casefold()]
        if wanted in names:
            return 0, len(place.name_zh)
        if any(name.startswith(wanted) for name in names):
            return 1, len(place.name_zh)
        if any(wanted in name for name in names):
            return 2, len(place.name_zh)
        return None

    ranked = [(r, place) for place in candidates if (r := rank(place)) is not None]
    return [place for _, place in sorted(ranked, key=lambda pair: pair[0])[:limit]]
