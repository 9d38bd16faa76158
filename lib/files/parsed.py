"""Large layers as read and checked, kept on disk by their content.

Reading and checking a county's 25 MB of GeoJSON takes a quarter of a minute, on the first
visit after every restart. What came of it (the sound features as GeoParquet, the problems as
JSON) is kept under the cache folder, named by a digest of the file's bytes and of the code
that reads them: the same file read again by the same code gives the same result in a fraction
of a second, and any change to either reads it anew. Small files are not kept: reading them is
quicker than the look-up.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from functools import cache
from importlib import metadata
from pathlib import Path

import geopandas as gpd

from lib.contract.catalog import Dataset
from lib.contract.settings import ROOT, cache_dir
from lib.files.problems import Problem, Severity

KEEP_FROM_BYTES = 1_000_000
KEPT_PER_LAYER = 4  # versions of one layer kept; older ones are removed
# What decides the result of reading a layer: the contract, the reading code, its libraries.
_CODE = ("lib/contract/catalog.py", "lib/contract/quarters.py", "lib/files/loading.py", "lib/files/problems.py")
_LIBRARIES = ("geopandas", "shapely", "pandas", "pyarrow", "numpy")


@cache
def code_digest(files: tuple[str, ...] = _CODE, libraries: tuple[str, ...] = _LIBRARIES) -> str:
    """A digest of the source ``files`` (under the repository) and the versions of ``libraries``:
    what changes when the code that made a kept result does."""
    digest = hashlib.sha256()
    for name in files:
        digest.update((ROOT / name).read_bytes())
    for library in libraries:
        digest.update(f"{library}={metadata.version(library)};".encode())
    return digest.hexdigest()


def digest(raw: bytes) -> str | None:
    """What names the result of reading ``raw`` (a layer file's bytes) by the code here; None
    for a file too small to keep."""
    if len(raw) < KEEP_FROM_BYTES:
        return None
    return hashlib.sha256(raw + code_digest().encode()).hexdigest()[:40]


def kept(
    layer: Dataset, named: str, folder: Path | None = None
) -> tuple[gpd.GeoDataFrame | None, list[Problem]] | None:
    """What reading the file of ``layer`` whose ``digest`` is ``named`` gave before, or None."""
    entry = (folder or cache_dir()) / f"{layer.key}-{named}"
    try:
        said = json.loads(entry.with_suffix(".json").read_text(encoding="utf-8"))
        frame = gpd.read_parquet(entry.with_suffix(".parquet")) if said["frame"] else None
    except (OSError, ValueError, KeyError):  # not kept, or half removed: read the file itself
        return None
    with contextlib.suppress(OSError):
        os.utime(entry.with_suffix(".json"))  # read: the last to go
    return frame, [_problem(p) for p in said["problems"]]


def keep(
    layer: Dataset, named: str, frame: gpd.GeoDataFrame | None, problems: list[Problem], folder: Path | None = None
) -> None:
    """Keep what reading the file whose ``digest`` is ``named`` gave, where its problems are
    kept exactly in JSON; a cache that cannot be written is not kept, and nothing else fails."""
    said = {"frame": frame is not None, "problems": [_said(p) for p in problems]}
    if [_problem(p) for p in json.loads(json.dumps(said["problems"]))] != problems:
        return
    folder = folder or cache_dir()
    entry = folder / f"{layer.key}-{named}"
    part = f".{os.getpid()}.{threading.get_ident()}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if frame is not None:
            frame.to_parquet(entry.with_name(entry.name + ".parquet" + part))
            entry.with_name(entry.name + ".parquet" + part).replace(entry.with_suffix(".parquet"))
        # The JSON last: an entry counts once it is there, its frame already in place.
        entry.with_name(entry.name + ".json" + part).write_text(json.dumps(said, ensure_ascii=False), encoding="utf-8")
        entry.with_name(entry.name + ".json" + part).replace(entry.with_suffix(".json"))
    except OSError:
        return
    _forget_older(layer, folder)


def _forget_older(layer: Dataset, folder: Path) -> None:
    """Remove the versions of ``layer`` beyond the ``KEPT_PER_LAYER`` last read or written."""
    entries = sorted(folder.glob(f"{layer.key}-*.json"), key=_last_used, reverse=True)
    for old in entries[KEPT_PER_LAYER:]:
        for path in (old, old.with_suffix(".parquet")):
            with contextlib.suppress(OSError):
                path.unlink()


def _last_used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed by another process meanwhile
        return 0.0


def _said(problem: Problem) -> dict[str, object]:
    return {name: getattr(problem, name) for name in Problem.__dataclass_fields__}


def _problem(said: dict) -> Problem:
    return Problem(**{**said, "severity": Severity(said["severity"])})
