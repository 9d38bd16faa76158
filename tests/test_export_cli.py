"""The command line that writes the quarter's report, run as presenters run it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from lib.exports import zipped
from lib.figures import quarters
from lib.slides import build_slides
from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "export_report.py"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "WANFENG_DATA_DIR"}
    env["PYTHONIOENCODING"] = "utf-8"
    # Run from elsewhere: the script must find the repository by itself.
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8"
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The report in English, written with every other option left to its default."""
    cwd = tmp_path_factory.mktemp("cli")
    return cwd / "exports", _run("--lang", "en", cwd=cwd)


def test_writes_the_deck_and_the_chart_pictures(exported, bundled):
    out, result = exported
    assert result.returncode == 0, result.stdout + result.stderr
    latest = quarters(bundled)[-1]
    deck = out / f"report-{latest}-en.pptx"
    assert deck.is_file()
    slides = build_slides(bundled, latest, "en")
    assert [p.shapes.title.text_frame.text for p in Presentation(str(deck)).slides] == [s.title for s in slides]
    charts = sorted(path.name for path in (out / "charts").iterdir())
    assert charts == sorted(f"{s.key}-{n}.png" for s in slides for n in range(1, len(s.charts) + 1))
    assert all((out / "charts" / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n") for name in charts)
    for path in [deck, *(out / "charts").iterdir()]:
        assert f"Wrote {path.relative_to(out.parent)}" in result.stdout


def test_writes_the_html_report(exported, bundled):
    pytest.importorskip("lib.report_html")
    out, result = exported
    page = out / f"report-{quarters(bundled)[-1]}-en.html"
    assert page.is_file()
    assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")
    assert f"Wrote {page.relative_to(out.parent)}" in result.stdout


def test_a_quarter_not_in_the_data_is_refused(tmp_path):
    result = _run("--quarter", "1999Q1", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2
    assert "1999Q1" in result.stderr
    assert not (tmp_path / "out").exists()


def test_chart_pictures_zip_into_one_file(exported):
    out, _ = exported
    pictures = sorted((out / "charts").glob("*.png"))
    with zipfile.ZipFile(io.BytesIO(zipped(pictures))) as archive:
        assert archive.namelist() == [p.name for p in pictures]
        assert archive.read(pictures[0].name) == pictures[0].read_bytes()
