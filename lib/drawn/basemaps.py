"""Optional online basemaps, configured in ``config/basemaps.toml``."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lib.contract.catalog import Label
from lib.contract.settings import BASEMAPS_FILE

_VARIABLE = re.compile(r"\$\{(\w+)\}")


@dataclass(frozen=True)
class Basemap:
    """A tile layer the user may switch on."""

    name: Label
    url: str
    attribution: str
    max_zoom: int = 18
    subdomains: str = "abc"


def load_basemaps(path: Path = BASEMAPS_FILE, environ: Mapping[str, str] = os.environ) -> list[Basemap]:
    """Basemaps of the settings file, with ``${VARIABLE}`` in a URL taken from ``environ``.

    An entry whose variable is not set (a missing Tianditu key, say) is left out.
    """
    if not path.exists():
        return []
    with path.open("rb") as file:
        entries = tomllib.load(file).get("basemap", [])
    basemaps = []
    for entry in entries:
        names = _VARIABLE.findall(entry["url"])
        if any(not environ.get(name) for name in names):
            continue
        url = _VARIABLE.sub(lambda match: environ[match[1]], entry["url"])
        basemaps.append(
            Basemap(
                Label(entry["name_zh"], entry["name_en"]),
                url,
                entry["attribution"],
                entry.get("max_zoom", 18),
                entry.get("subdomains", "abc"),
            )
        )
    return basemaps
