"""scripts/measuring/benchmark.py still runs end to end: servers, browser, AppTest and the report.

A smoke test only: the figures depend on the machine, so none is checked against a bound.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from lib.contract.settings import ROOT

pytestmark = pytest.mark.browser


def _row(report: str, measure: str) -> list[str]:
    """The cells of the first table row whose measure starts with ``measure``."""
    line = next(line for line in report.splitlines() if line.startswith(f"| {measure}"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_quick_benchmark_writes_figures_for_both_apps(tmp_path):
    out = tmp_path / "B.md"
    done = subprocess.run(
        [sys.executable, "scripts/measuring/benchmark.py", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert "| Measure | Dashboard | Baseline | Baseline / dashboard |" in report
    figures = {
        "Map drawn, from navigation start": r"\d+\.\d\d s",
        "Bytes sent to the browser": r"\d+\.\d\d MB",
        "Rerun after a quarter change, server": r"\d+\.\d{3} s",
        "Peak memory of the server": r"\d+ MiB",
    }
    for measure, form in figures.items():
        _, dashboard, baseline, _ = _row(report, measure)
        assert re.fullmatch(form, dashboard) and re.fullmatch(form, baseline), (measure, dashboard, baseline)
    assert _row(report, "Requests to any outside host")[1:3] == ["0", "0"]
    # Beside a bare Streamlit page, measured in the same run, with what a restart reads.
    bare = _row(report, "Bare Streamlit page shown")
    assert re.fullmatch(r"\d+\.\d\d s", bare[1]) and bare[2] == "1.00x", bare
    drawn = _row(report, "Dashboard map drawn")
    assert re.fullmatch(r"\d+\.\d\dx", drawn[2]) and drawn[3].startswith("≤ 1.3x: "), drawn
    assert re.fullmatch(r"\d+\.\d\d s", _row(report, "… after a restart on unchanged files")[1])
    # A restart: the server warms itself, and its first visitor comes after that as well as before.
    assert re.fullmatch(r"\d+\.\d\d s", _row(report, "Server warmed itself after that restart")[1])
    for comes in ("as the server answers", "once warmed"):
        row = _row(report, f"Dashboard map, first visit after a restart on unchanged files, {comes}")
        assert re.fullmatch(r"\d+\.\d\d s", row[1]) and re.fullmatch(r"\d+\.\d\dx", row[2]), row
