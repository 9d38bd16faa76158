"""Serve the map's scripts and styles from the dashboard itself, so it works offline.

Folium lists CDN addresses for Leaflet and its plugins, and streamlit-folium loads them one
by one inside the map's frame: with no internet the frame stays empty. The same files come
with the XStatic packages installed by ``requirements.txt``; they are copied under
``static/vendor/`` (served by Streamlit at ``app/static/``) and the map is pointed at them.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import folium
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster

from lib.contract.settings import STATIC_DIR, cache_dir

VENDOR_DIR = STATIC_DIR / "vendor"
PUBLISHED_DIR = STATIC_DIR / "geo"
# Each folder of static/vendor/ and where it comes from: the XStatic packages and the
# dashboard's own map script.
VENDOR_SOURCES = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
    "wanfeng": Path(__file__).resolve().parent / "assets",
}

# The map's frame is served at <base>/component/<name>/index.html, so this reaches
# <base>/app/static/ also when the dashboard runs under a path prefix.
STATIC_URL = "../../app/static"
VENDOR_URL = f"{STATIC_URL}/vendor"

LOCAL_COPIES = {
    "leaflet": "leaflet/leaflet.js",
    "leaflet_css": "leaflet/leaflet.css",
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
    "wanfeng_map": "wanfeng/wanfeng-map.js",
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
    """Copy the files of ``VENDOR_SOURCES`` under ``target``, again only when they change.

    The first sessions after a start, in one process or several, may all find a folder
    missing: each copies into a folder of its own and renames it into place, so none sees a
    half-copied folder or trips over another's copy.
    """
    for name, source in VENDOR_SOURCES.items():
        folder = target / name
        stamp = f".copy-{_fingerprint(source)}"
        if (folder / stamp).exists():
            continue
        target.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target))
        fresh.chmod(0o755)  # mkdtemp's folder is private; the copy is served to everyone
        shutil.copytree(source, fresh, dirs_exist_ok=True)
        (fresh / stamp).touch()
        _move_into_place(fresh, folder, stamp)


def _move_into_place(fresh: Path, folder: Path, stamp: str) -> None:
    """Rename ``fresh`` to ``folder``, moving an outdated ``folder`` aside; drop ``fresh`` when
    another session or process put the same copy in place first."""
    for _ in range(5):
        try:
            fresh.rename(folder)
            return
        except OSError:
            if (folder / stamp).exists():
                break
            old = folder.with_name(f".{folder.name}-old-{os.getpid()}-{threading.get_ident()}")
            with contextlib.suppress(FileNotFoundError):
                folder.rename(old)
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(fresh, ignore_errors=True)


# A published file is kept while a map built in the last day uses it (lib.app.ui rebuilds a
# cached map after MAP_LIFETIME_S, and each build touches its files): one untouched for twice
# that is left over from data since replaced, and the first build of each process clears it.
MAP_LIFETIME_S = 24 * 3600
PUBLISHED_KEEP_S = 2 * MAP_LIFETIME_S
_tidied: set[Path] = set()


def publish(text: str, folder: Path = PUBLISHED_DIR) -> str:
    """Serve ``text`` (a layer's GeoJSON) as a file named by its content; its URL from the map.

    A name that changes with the content lets the browser keep the file for good: it fetches a
    layer once, not on every rerun or page. A gzipped copy sits beside it. Anyone may fetch what
    is published here: never publish personal details (``lib.drawn.maps`` keeps them inline).
    """
    if folder not in _tidied:
        _tidied.add(folder)
        prune_published(folder)
    content = text.encode()
    name = f"{hashlib.sha256(content).hexdigest()[:32]}.json"
    # Streamlit serves static files as they are: the gzipped copy is unpacked by the browser.
    for target, body in (
        (folder / name, lambda: content),
        (folder / f"{name}.gz", lambda: gzip.compress(content, mtime=0)),
    ):
        try:
            os.utime(target)  # in use again: kept, and not made again
        except FileNotFoundError:
            folder.mkdir(parents=True, exist_ok=True)
            # Named for the process and thread: two maps built at once may publish the same layer.
            partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.part")
            partial.write_bytes(body())
            partial.replace(target)
    return f"{STATIC_URL}/geo/{name}"


def published_once(
    name: str, make: Callable[[], dict], folder: Path = PUBLISHED_DIR, kept_in: Path | None = None
) -> dict:
    """What ``make`` gives (a description naming files it published under ``folder`` by URL),
    made once for ``name`` and kept in the cache folder: after a restart a county's layers are
    not cut up and written out again. Made anew when a file it names is gone."""
    entry = (kept_in or cache_dir()) / "published" / f"{name}.json"
    if entry.parent not in _tidied:
        _tidied.add(entry.parent)
        prune_published(entry.parent)  # what data since replaced published
    with contextlib.suppress(OSError, ValueError):
        said = json.loads(entry.read_text(encoding="utf-8"))
        for path in [entry, *_published_files(said, folder)]:
            os.utime(path)  # in use again: kept
        return said
    said = make()
    with contextlib.suppress(OSError):  # not kept: made again next time, and nothing else fails
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(f"{entry.name}.{os.getpid()}.{threading.get_ident()}.part")
        partial.write_text(json.dumps(said, ensure_ascii=False), encoding="utf-8")
        partial.replace(entry)
    return said


def _published_files(value: object, folder: Path) -> Iterator[Path]:
    """The files under ``folder`` (each with its gzipped copy) that the URLs in ``value`` name."""
    if isinstance(value, str) and value.startswith(f"{STATIC_URL}/geo/"):
        path = folder / value.rsplit("/", 1)[1]
        yield from (path, path.with_name(f"{path.name}.gz"))
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _published_files(inner, folder)
    elif isinstance(value, list):
        for inner in value:
            yield from _published_files(inner, folder)


def prune_published(folder: Path = PUBLISHED_DIR, keep_s: float = PUBLISHED_KEEP_S) -> list[Path]:
    """Remove the files of ``folder`` that no map has used for ``keep_s`` seconds; those removed."""
    cutoff = time.time() - keep_s
    removed = []
    for path in folder.glob("*"):
        with contextlib.suppress(FileNotFoundError):  # another process removed it first
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
    return removed


def _fingerprint(folder: Path) -> str:
    """A short digest of the names, sizes and times of the files in ``folder``."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    listing = "".join(f"{p.relative_to(folder)}:{p.stat().st_size}:{p.stat().st_mtime_ns};" for p in files)
    return hashlib.sha1(listing.encode()).hexdigest()[:12]


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
