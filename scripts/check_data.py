"""Check a data folder against the data contract, as the dashboard would read it.

For staff before they copy files in, and for CI. Prints one line per problem and a summary
line per file; exits with 1 if any problem is an error (rows the dashboard would leave out),
else 0 (warnings alone do not fail).

Run from anywhere::

    .venv/bin/python scripts/check_data.py [FOLDER] [--lang zh|en]

FOLDER defaults to $WANFENG_DATA_DIR when set, else the bundled data/ folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.catalog import DATASETS, LANGS  # noqa: E402
from lib.i18n import tr  # noqa: E402
from lib.loading import load_all  # noqa: E402
from lib.problems import Severity  # noqa: E402
from lib.settings import data_dir  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Check the folder named on the command line; the exit status."""
    parser = argparse.ArgumentParser(description="Check a data folder against the data contract.")
    parser.add_argument("folder", nargs="?", type=Path, default=data_dir(), help="data folder (default: %(default)s)")
    parser.add_argument("--lang", choices=LANGS, default="zh", help="language of the messages (default: zh)")
    args = parser.parse_args(argv)
    # A console that cannot show Chinese should still get every line, not a crash.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    data = load_all(args.folder)
    for problem in data.problems:
        print(problem.message(args.lang))
    for key, dataset in DATASETS.items():
        problems = data.files[key].problems
        if problems:
            print(tr("problem.file_problems", args.lang, file=dataset.path, n=len(problems)))
        else:
            print(tr("problem.file_ok", args.lang, file=dataset.path))
    return 1 if any(p.severity == Severity.ERROR for p in data.problems) else 0


if __name__ == "__main__":
    sys.exit(main())
