"""Load test: many users at once on the dashboard (lib.serving.load says how). Run::

    .venv/bin/python scripts/measuring/load_test.py [--sessions 30] [--browsers 2] [--pages overview,map,...]
        [--replicas K] [--url URL] [--think 0] [--ramp 0] [--database] [--timeout 60] [--deadline 900] [--no-warmup] [--json FILE]

Without ``--url`` it starts its own server on a free loopback port (``--replicas K``: K
processes behind nginx, lib.serving.replicas) and stops it at the end.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from dataclasses import asdict
from pathlib import Path

from lib.serving.load import PAGES, report, run


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running dashboard (default: start one on a free loopback port)")
    parser.add_argument("--sessions", type=int, default=30, help="protocol sessions at once")
    parser.add_argument("--browsers", type=int, default=2, help="real Chromium tabs alongside")
    parser.add_argument("--pages", type=lambda text: text.split(","), default=PAGES, help="comma-separated")
    parser.add_argument("--replicas", type=int, default=0, help="dashboard processes behind nginx (0: one, direct)")
    parser.add_argument("--data", type=Path, help="the data folder of the servers started here")
    parser.add_argument(
        "--database",
        action="store_true",
        help="the servers started here share a PostgreSQL database of the run's own, each its own folder",
    )
    parser.add_argument(
        "--server-option",
        action="append",
        default=[],
        help="a Streamlit option for the servers started here, e.g. --server-option=--runner.postScriptGC=false",
    )
    parser.add_argument(
        "--think", type=float, default=0, help="seconds a user reads a page before the next (each 0.5-1.5 times it)"
    )
    parser.add_argument("--ramp", type=float, default=0, help="seconds over which the sessions arrive (0: all at once)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds for one page")
    parser.add_argument("--deadline", type=float, default=900, help="seconds for the whole walk")
    parser.add_argument("--no-warmup", dest="warmup", action="store_false", help="start cold: no walk before")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    return args


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the run as Ctrl-C does, so that the servers started here are stopped too."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    outcome = run(args)
    print(report(outcome))
    if args.json:
        args.json.write_text(json.dumps(asdict(outcome), indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if outcome.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
