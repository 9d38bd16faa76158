"""What asking the database for a view's features by area costs at county scale: the features
of one close view (the size of a zoomed-in map, zoom 14) and of one township-wide view, taken
from the county-sized set (scripts/data/make_large_data.py) by PostGIS's spatial index, by plain
PostgreSQL's boxes, and, as the baseline measured in the same run, by reading the layer's file
whole and keeping what meets the view. Run::

    .venv/bin/python scripts/measuring/area_query.py [--repeats 15] [--grids 10000] [--sites 50000]

It starts a PostgreSQL cluster of its own (Debian's postgresql and postgresql-postgis) and
prints a Markdown table for docs/robustness.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import psycopg
import shapely

from lib.contract.catalog import DATASETS
from lib.contract.settings import ROOT
from lib.files.areas import Box, features_of
from lib.files.database import DatabaseStore
from lib.serving.postgres import throwaway_cluster

LAYERS = ("patrol_grids", "sites")
VIEWS: dict[str, Box] = {
    # In Sanjiangkou, where the grids are densest.
    "close view (zoom 14, 2.2 × 1.3 km)": (104.60, 24.75, 104.622, 24.762),
    "one township (16 × 22 km)": (104.526, 24.658, 104.684, 24.880),
}


def timed(work: Callable[[], list], repeats: int) -> tuple[float, int]:
    """The median seconds of ``work`` over ``repeats`` runs, and how many features it gave."""
    times, found = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        found = len(work())
        times.append(time.perf_counter() - start)
    return statistics.median(times), found


def from_file(path: Path, area: Box) -> Callable[[], list]:
    """The baseline: the file read whole, its features kept where they meet ``area``."""
    box = shapely.box(*area)
    return lambda: [feature for feature, shape in features_of(path.read_bytes()) if shape.intersects(box)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--grids", type=int, default=10_000)
    parser.add_argument("--sites", type=int, default=50_000)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="wanfeng-areas-"))
    folder = work / "county"
    maker = ROOT / "scripts" / "data" / "make_large_data.py"
    subprocess.run(
        [sys.executable, str(maker), str(folder), "--grids", str(args.grids), "--sites", str(args.sites)],
        check=True,
        capture_output=True,
    )
    rows = []
    with throwaway_cluster() as cluster:
        stores = {}
        for name, extension in (("PostGIS", True), ("plain PostgreSQL", False)):
            with psycopg.connect(cluster.url, autocommit=True) as connection:
                database = name.split()[0].lower()
                connection.execute(f"CREATE DATABASE {database}")
            url = cluster.url.rsplit("/", 1)[0] + f"/{database}"
            if extension:
                with psycopg.connect(url, autocommit=True) as connection:
                    connection.execute("CREATE EXTENSION postgis")
            start = time.perf_counter()
            stores[name] = DatabaseStore(url, work / database)
            stores[name].import_files(folder)
            print(f"{name}: imported in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        for key in LAYERS:
            path = DATASETS[key].path
            for view, area in VIEWS.items():
                baseline, expected = timed(from_file(folder / path, area), max(3, args.repeats // 5))
                row = [f"{key}, {view}", f"{expected:,}", f"{baseline * 1000:,.0f} ms"]
                for name, store in stores.items():
                    seconds, found = timed(partial(store.features_in, path, area), args.repeats)
                    if found != expected:
                        print(f"{name} gave {found} features of {path} in {view}, the file {expected}", file=sys.stderr)
                        return 1
                    row.append(f"{seconds * 1000:,.1f} ms ({seconds / baseline:.3f}×)")
                rows.append(row)
    header = ["Layer and view", "Features", "File read whole (baseline)", *stores]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
