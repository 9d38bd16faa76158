"""The command line that writes the quarter's report, run as presenters run it."""

from __future__ import annotations

import io
import subprocess
import zipfile
from functools import partial
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from lib.contract.settings import ROOT
from lib.drawn.headlines import quarters
from lib.reports.exports import zipped
from lib.reports.slides import build_slides
from tests.conftest import run_command

SCRIPT = ROOT / "scripts" / "data" / "export_report.py"


_run = partial(run_command, SCRIPT)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The report in English, written with every other option left to its default."""
    cwd = tmp_path_factory.mktemp("cli")
    return cwd / "exports", _run("--lang", "en", cwd=cwd)


def test_writes_exactly_the_files_the_readme_names(exported, bundled):
    out, result = exported
    assert result.returncode == 0, result.stdout + result.stderr
    latest = quarters(bundled)[-1]
    names = [
        f"report-{latest}-en.pptx",
        f"report-{latest}-en.html",
        f"report-{latest}-en.docx",
        f"charts-{latest}-en.zip",
    ]
    assert sorted(path.name for path in out.iterdir()) == sorted(names)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(name.replace(latest, "2024Q1").replace("-en", "-zh") in readme for name in names)
    for name in names:
        assert f"Wrote {(out / name).relative_to(out.parent)}" in result.stdout
    slides = build_slides(bundled, latest, "en")
    deck = Presentation(str(out / names[0]))
    assert [p.shapes.title.text_frame.text for p in deck.slides] == [s.title for s in slides]
    with zipfile.ZipFile(out / names[3]) as archive:
        charts = archive.namelist()
        assert charts == [f"{s.key}-{n}.png" for s in slides for n in range(1, len(s.charts) + 1)]
        assert all(archive.read(name).startswith(b"\x89PNG\r\n\x1a\n") for name in charts)


def test_writes_the_word_brief(exported, bundled):
    out, _ = exported
    latest = quarters(bundled)[-1]
    brief = Document(str(out / f"report-{latest}-en.docx"))
    slides = build_slides(bundled, latest, "en")
    text = "\n".join(p.text for p in brief.paragraphs)
    assert slides[0].title in text and all(s.title in text for s in slides[1:])
    assert len(brief.inline_shapes) == sum(len(s.charts) + s.has_map for s in slides[1:])  # charts and maps
    (figures,) = brief.tables
    assert len(figures.rows) == len(slides[-1].headlines) + 1
    # A picture keeps to its caption: never a caption alone at the top of a page.
    pictures = [p for p in brief.paragraphs if p._p.xpath(".//pic:pic")]
    assert len(pictures) == len(brief.inline_shapes)
    assert all(p.paragraph_format.keep_with_next for p in pictures)


def test_writes_the_html_report(exported, bundled):
    pytest.importorskip("lib.reports.html_report")
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


def test_files_zip_into_one_archive_under_their_names():
    with zipfile.ZipFile(io.BytesIO(zipped({"a.png": b"1", "b.png": b"22"}))) as archive:
        assert archive.namelist() == ["a.png", "b.png"] and archive.read("b.png") == b"22"
