"""Move the data files between a data folder and the PostgreSQL database that servers on
several hosts share (WANFENG_DATABASE_URL, from the environment, else .streamlit/secrets.toml,
as the server reads it).

    python scripts/data/database.py import [FOLDER]   # the contract's files into the database (default: the data folder)
    python scripts/data/database.py export FOLDER     # the database's current files into FOLDER, byte for byte
    python scripts/data/database.py features LAYER --area W,S,E,N > view.geojson
                                                      # a layer's features that meet an area, as GeoJSON

An import keeps every earlier version: each file whose content the database does not already
have becomes its current version, by the name given with ``--user``. The folder is only read.
``features`` asks the database for the features of a layer (its file, e.g.
geo/patrol_grids.geojson) that meet an area in degrees, by PostGIS's spatial index where the
database has it; as the files, they hold personal details: for editors only.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from lib.contract.catalog import LANGS
from lib.contract.settings import SettingsError, data_dir, database_url
from lib.files.database import DatabaseStore, Unavailable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import a data folder into the database, or export it back.")
    parser.add_argument("action", choices=["import", "export", "features"])
    parser.add_argument(
        "folder", nargs="?", help="import: default the data folder; export: needed; features: the layer's file"
    )
    parser.add_argument("--area", type=_area, help="features: west,south,east,north in degrees (WGS84)")
    parser.add_argument("--user", default=getpass.getuser(), help="who the imported versions are by")
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of a settings error (default: en)")
    args = parser.parse_args(argv)
    if args.action == "export" and args.folder is None:
        parser.error("export needs the folder to write into")
    if args.action == "features" and (args.folder is None or args.area is None):
        parser.error("features needs the layer's file and --area")
    try:
        url, own_folder = database_url(), data_dir()
    except SettingsError as error:  # one line naming the file, not a traceback
        print(error.message(args.lang), file=sys.stderr)
        return 1
    if not url:
        print("WANFENG_DATABASE_URL is not set (environment or .streamlit/secrets.toml)", file=sys.stderr)
        return 1
    folder = Path(args.folder) if args.folder and args.action != "features" else own_folder
    store = DatabaseStore(url, folder)
    try:
        if args.action == "features":
            found = store.features_in(args.folder, args.area)
            print(json.dumps({"type": "FeatureCollection", "features": found}, ensure_ascii=False))
        elif args.action == "import":
            taken = store.import_files(folder, user=args.user)
            print("\n".join(f"imported {v.file} ({v.size} bytes)" for v in taken) or "nothing new to import")
        else:
            for key in store.export_files(folder):
                print(f"exported {key}")
    except (Unavailable, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    except KeyError as error:  # not a layer
        print(error.args[0], file=sys.stderr)
        return 1
    return 0


def _area(text: str) -> tuple[float, float, float, float]:
    """West, south, east and north from "W,S,E,N"."""
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            "give the area as west,south,east,north, e.g. 104.5,24.6,104.7,24.9"
        ) from error
    if not (west < east and south < north):
        raise argparse.ArgumentTypeError("the area's west must be less than its east, its south less than its north")
    return west, south, east, north


if __name__ == "__main__":
    sys.exit(main())
