"""Serve the map's scripts and styles from the dashboard itself, so it works offline.

Folium lists CDN addresses for Leaflet and its plugins, and streamlit-folium loads them one
by one inside the map's frame: with no internet the frame stays empty. The same files come
with the XStatic packages installed by ``requirements.txt``; they are copied under
``static/vendor/`` (served by Streamlit at ``app/static/``) and the map is pointed at them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import folium
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
_PACKAGES = {"leaflet": xstatic.pkg.leaflet, "markercluster": xstatic.pkg.leaflet_markercluster}

# The map's frame is served at <base>/component/<name>/index.html, so this reaches
# <base>/app/static/ also when the dashboard runs under a path prefix.
VENDOR_URL = "../../app/static/vendor"

LOCAL_COPIES = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
}
# Folium lists these for its Bootstrap popups and icon markers, which the map does not use.
NOT_NEEDED = {
    "jquery",
    "bootstrap",
    "awesome_markers",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers_font_css",
    "awesome_markers_css",
    "awesome_rotate_css",
}


def install_vendor_assets(target: Path = VENDOR_DIR) -> None:
    """Copy the installed XStatic packages' files under ``target``, once per version."""
    for name, package in _PACKAGES.items():
        folder = target / name
        stamp = folder / f".version-{package.VERSION}"
        if stamp.exists():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(package.BASE_DIR, folder)
        stamp.touch()


def localise(element: folium.Element) -> None:
    """Point the scripts and styles of ``element`` and all it contains at the local copies.

    Raises ValueError for an asset that has no local copy, so that a map never silently
    depends on the internet.
    """
    for attribute in ("default_js", "default_css"):
        assets = getattr(element, attribute, None)
        if assets is not None:
            setattr(element, attribute, [_local(name, url) for name, url in assets if name not in NOT_NEEDED])
    for child in element._children.values():
        localise(child)


def _local(name: str, url: str) -> tuple[str, str]:
    if name not in LOCAL_COPIES:
        raise ValueError(f"no local copy of map asset {name!r} (folium lists {url!r})")
    return name, f"{VENDOR_URL}/{LOCAL_COPIES[name]}"
