"""Check a data folder against the data contract, as the dashboard would read it.

For staff before they copy files in, and for CI. Prints one line per problem and a summary
line per file; exits with 1 if any problem is an error (rows the dashboard would leave out),
else 0 (warnings alone do not fail).

Run from anywhere::

    .venv/bin/python scripts/data/check_data.py [FOLDER] [--lang zh|en]
    .venv/bin/python scripts/data/check_data.py --file PATH --dataset NAME [--gcj02] [--lang zh|en]

FOLDER defaults to WANFENG_DATA_DIR (from the environment, else .streamlit/secrets.toml, as
the server reads it) when set, else the bundled data/ folder. A settings file that cannot be
read is named in one line, with exit status 1.

With ``--file`` one file is checked as the data page checks an upload meant to replace the
dataset NAME (townships, output, …): in any form the page takes (a zipped shapefile, a
GeoPackage, GeoJSON in any stated coordinate system, CSV, .xlsx, .xls, .ods). It prints the
same problems, the coordinate system found and the conversion it would make, and exits 0 when
the file could be saved.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib.contract.catalog import DATASETS, LANGS, Dataset, Lang, Layer
from lib.contract.i18n import tr
from lib.contract.settings import SettingsError, data_dir
from lib.files.loading import load_all
from lib.files.problems import Severity
from lib.files.store import DataStore
from lib.staff.uploads import read_upload


def main(argv: list[str] | None = None) -> int:
    """Check the folder (or the one file) named on the command line; the exit status."""
    parser = argparse.ArgumentParser(description="Check a data folder against the data contract.")
    parser.add_argument("folder", nargs="?", type=Path, help="data folder (default: $WANFENG_DATA_DIR, else data/)")
    parser.add_argument("--lang", choices=LANGS, default="zh", help="language of the messages (default: zh)")
    parser.add_argument("--file", type=Path, help="one file to check as an upload, instead of the folder")
    parser.add_argument("--dataset", choices=list(DATASETS), help="what --file is meant to replace")
    parser.add_argument("--gcj02", action="store_true", help="--file's coordinates are from Amap or Tencent maps")
    args = parser.parse_args(argv)
    # A console that cannot show Chinese should still get every line, not a crash.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    if args.file is not None and args.dataset is None:
        parser.error("--file needs --dataset")
    try:
        folder = args.folder or data_dir()
    except SettingsError as error:  # one line naming the file, not a traceback
        print(error.message(args.lang), file=sys.stderr)
        return 1
    if args.file is not None:
        return check_file(args.file, DATASETS[args.dataset], args.lang, args.gcj02, folder)
    data = load_all(folder)
    for problem in data.problems:
        print(problem.message(args.lang))
    for key, dataset in DATASETS.items():
        problems = data.files[key].problems
        if problems:
            print(tr("problem.file_problems", args.lang, file=dataset.path, n=len(problems)))
        else:
            print(tr("problem.file_ok", args.lang, file=dataset.path))
    return 1 if any(p.severity == Severity.ERROR for p in data.problems) else 0


def check_file(path: Path, dataset: Dataset, lang: Lang, gcj02: bool, folder: Path) -> int:
    """Check one file as an upload replacing ``dataset``, with the attribute names remembered
    for it in ``folder``; 0 when it could be saved."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        print(f"{path}: {tr('problem.unreadable', lang, error=error.strerror or str(error))}")
        return 1
    renames = DataStore(folder).renames(dataset.path) if isinstance(dataset, Layer) else {}
    upload = read_upload(dataset, path.name, raw, renames, gcj02)
    for problem in upload.problems:
        print(problem.message(lang))
    if upload.unmatched and upload.missing:
        print(tr("upload.unmatched", lang, names=", ".join(upload.unmatched)))
    if upload.reprojected is not None:
        print(" ".join(upload.reprojected.sentences(lang)))
    elif isinstance(dataset, Layer) and upload.content is not None:
        print(tr("upload.lon_lat", lang))
    print(
        tr(
            "problem.file_problems" if upload.problems else "problem.file_ok",
            lang,
            file=path.name,
            n=len(upload.problems),
        )
    )
    return 0 if upload.savable else 1


if __name__ == "__main__":
    sys.exit(main())
