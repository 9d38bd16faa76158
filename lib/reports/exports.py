"""The quarter's report as files to take away: a PowerPoint deck, an HTML page, a Word brief
and the charts as pictures. The command line (scripts/data/export_report.py) and the Present page
both call ``export_all``; it starts a browser for the chart pictures, so import it only when
needed."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from lib.contract.catalog import Lang
from lib.contract.i18n import tr
from lib.files.loading import Data
from lib.reports.brief import docx_brief
from lib.reports.chart_pictures import chart_pngs
from lib.reports.deck import pptx_report
from lib.reports.html_report import html_report
from lib.reports.map_picture import map_png
from lib.reports.slides import build_slides

Progress = Callable[[float, str], None]


def export_all(
    data: Data, quarter: str, lang: Lang, township: str | None, out: Path, progress: Progress | None = None
) -> list[Path]:
    """Write ``report-<quarter>-<lang>.pptx``, ``.html`` and ``.docx`` and
    ``charts-<quarter>-<lang>.zip`` (every chart as ``<slide>-<n>.png``) into ``out`` (made if
    missing); the files written, in that order. ``progress`` hears the share done (0 to 1) and
    what is being made, in ``lang``."""
    step = progress or (lambda share, what: None)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"report-{quarter}-{lang}"

    step(0.0, tr("export.step_slides", lang))
    slides = build_slides(data, quarter, lang, township)
    step(0.05, tr("export.step_map", lang))
    # Each map slide its own picture, of the layers that slide is about.
    maps = {slide.key: map_png(data, lang, slide.map_layers, township) for slide in slides if slide.has_map}

    step(0.2, tr("export.step_charts", lang))
    pictures = chart_pngs(slides)

    step(0.7, tr("export.step_pptx", lang))
    deck = out / f"{stem}.pptx"
    deck.write_bytes(pptx_report(slides, maps, lang))

    step(0.8, tr("export.step_html", lang))
    page = out / f"{stem}.html"
    page.write_text(html_report(data, quarter, lang, township), encoding="utf-8")

    step(0.9, tr("export.step_docx", lang))
    brief = out / f"{stem}.docx"
    brief.write_bytes(docx_brief(slides, pictures, maps, lang, date.today()))

    charts = out / f"charts-{quarter}-{lang}.zip"
    charts.write_bytes(zipped(pictures))
    step(1.0, tr("export.done", lang))
    return [deck, page, brief, charts]


def zipped(files: dict[str, bytes]) -> bytes:
    """Files by name as one ZIP archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
