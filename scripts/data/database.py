"""Move the data files between a data folder and the PostgreSQL database that servers on
several hosts share (WANFENG_DATABASE_URL, from the environment, else .streamlit/secrets.toml,
as the server reads it).

    python scripts/data/database.py import [FOLDER]   # the contract's files into the database (default: the data folder)
    python scripts/data/database.py export FOLDER     # the database's current files into FOLDER, byte for byte

An import keeps every earlier version: each file whose content the database does not already
have becomes its current version, by the name given with ``--user``. The folder is only read.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from lib.contract.catalog import LANGS
from lib.contract.settings import SettingsError, data_dir, database_url
from lib.files.database import DatabaseStore, Unavailable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import a data folder into the database, or export it back.")
    parser.add_argument("action", choices=["import", "export"])
    parser.add_argument("folder", nargs="?", type=Path, help="import: default the data folder; export: needed")
    parser.add_argument("--user", default=getpass.getuser(), help="who the imported versions are by")
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of a settings error (default: en)")
    args = parser.parse_args(argv)
    try:
        url, folder = database_url(), args.folder or (data_dir() if args.action == "import" else None)
    except SettingsError as error:  # one line naming the file, not a traceback
        print(error.message(args.lang), file=sys.stderr)
        return 1
    if not url:
        print("WANFENG_DATABASE_URL is not set (environment or .streamlit/secrets.toml)", file=sys.stderr)
        return 1
    if folder is None:
        parser.error("export needs the folder to write into")
    store = DatabaseStore(url, folder)
    try:
        if args.action == "import":
            taken = store.import_files(folder, user=args.user)
            print("\n".join(f"imported {v.file} ({v.size} bytes)" for v in taken) or "nothing new to import")
        else:
            for key in store.export_files(folder):
                print(f"exported {key}")
    except Unavailable as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
