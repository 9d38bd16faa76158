"""Write the quarter's report for presenters to take away: the PowerPoint deck, the HTML
report and every chart as a picture.

Run from anywhere::

    .venv/bin/python scripts/data/export_report.py [--quarter 2024Q1] [--lang zh|en]
        [--township all|sanjiangkou|lubuge|mabeng] [--out exports/]

The quarter defaults to the latest in the data, the output folder to exports/ (made if
missing). The data is read from WANFENG_DATA_DIR (from the environment, else
.streamlit/secrets.toml, as the server reads it) when set, else the bundled data/ folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib.contract.catalog import LANGS, VOCABULARIES
from lib.contract.i18n import tr
from lib.contract.quarters import parse_quarter
from lib.contract.settings import SettingsError, data_dir
from lib.drawn.headlines import default_quarter, quarters
from lib.files.loading import load_all
from lib.reports.exports import export_all
from lib.reports.map_picture import NoChineseFont

ALL = "all"


def main(argv: list[str] | None = None) -> int:
    """Export the report as the command line asks; the exit status."""
    parser = argparse.ArgumentParser(description="Write the quarter's report: PowerPoint, HTML and chart pictures.")
    parser.add_argument("--quarter", help="quarter such as 2024Q1 (default: the latest in the data)")
    parser.add_argument("--lang", choices=LANGS, default="zh", help="language of the report (default: zh)")
    parser.add_argument(
        "--township",
        choices=[ALL, *VOCABULARIES["township"]],
        default=ALL,
        help="one township, or all three (default: all)",
    )
    parser.add_argument("--out", type=Path, default=Path("exports"), help="output folder (default: exports/)")
    args = parser.parse_args(argv)
    # A console that cannot show Chinese should still get every line, not a crash.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")

    try:
        folder = data_dir()
    except SettingsError as error:  # one line naming the file, not a traceback
        print(error.message(args.lang), file=sys.stderr)
        return 1
    data = load_all(folder)
    known = quarters(data)
    if not known:
        parser.error(tr("data.no_quarters", args.lang))
    quarter = parse_quarter(args.quarter) if args.quarter else default_quarter(data)
    if quarter not in known:
        parser.error(tr("export.unknown_quarter", args.lang, quarter=args.quarter, quarters=", ".join(known)))
    township = None if args.township == ALL else args.township
    try:
        for path in export_all(data, quarter, args.lang, township, args.out):
            print(tr("export.wrote", args.lang, path=path))
    except NoChineseFont as error:  # never a picture of boxes: say so and fail
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
