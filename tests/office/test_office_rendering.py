"""The exported deck and brief as an office suite shows them: LibreOffice renders each to PDF,
and poppler reads the pages back. Every page has something on it and nothing off it, every
word can be read (no missing glyphs, every font embedded, a Chinese one for Chinese), the
figures are the data's, and the charts hold the data's numbers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from pptx import Presentation

from lib.contract.catalog import LANGS
from lib.drawn.headlines import default_quarter
from lib.reports.exports import export_all
from lib.reports.slides import build_slides
from tests.libreoffice import convert

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
CJK_FONT = re.compile(r"CJK|Hei|Song|Kai|Fang|WenQuanYi|Droid Sans Fallback", re.IGNORECASE)


@pytest.fixture(scope="module", params=LANGS)
def exported(request, bundled, tmp_path_factory) -> tuple[str, dict[str, Path], dict[str, Path]]:
    """The quarter's export in one language, and each office file rendered to PDF by LibreOffice."""
    lang = request.param
    folder = tmp_path_factory.mktemp(f"export-{lang}")
    written = export_all(bundled, default_quarter(bundled), lang, None, folder)
    files = {path.suffix: path for path in written}
    pdfs = {}
    for suffix in (".pptx", ".docx"):
        own = folder / suffix[1:]
        own.mkdir()
        pdfs[suffix] = convert(files[suffix].rename(own / files[suffix].name), "pdf")
        files[suffix] = own / files[suffix].name
    return lang, files, pdfs


def _poppler(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, encoding="utf-8").stdout


def _pages(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", _poppler("pdfinfo", str(pdf))).group(1))


@pytest.mark.parametrize("suffix", [".pptx", ".docx"])
def test_every_page_has_something_on_it_and_nothing_off_it(exported, tmp_path, suffix):
    _, _, pdfs = exported
    pdf = pdfs[suffix]
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == _pages(pdf) > 1
    for image in images:
        grey = Image.open(image).convert("L")
        inked = sum(count for level, count in enumerate(grey.histogram()) if level < 235)
        assert inked / (grey.width * grey.height) > 0.005, f"{image.name} is blank"
    boxes = _poppler("pdftotext", "-bbox", str(pdf), "-")
    pages = boxes.split("<page ")[1:]
    for number, page in enumerate(pages, start=1):
        width, height = map(float, _PAGE.search("<page " + page).groups())
        for x0, y0, x1, y1 in (map(float, word) for word in _WORD.findall(page)):
            assert x0 >= -1 and y0 >= -1 and x1 <= width + 1 and y1 <= height + 1, f"page {number}: a word off the page"


@pytest.mark.parametrize("suffix", [".pptx", ".docx"])
def test_every_word_is_drawn_in_an_embedded_font_that_has_it(exported, suffix):
    lang, _, pdfs = exported
    text = _poppler("pdftotext", "-layout", str(pdfs[suffix]), "-")
    assert "\ufffd" not in text and "□" not in text
    fonts = [line.split() for line in _poppler("pdffonts", str(pdfs[suffix])).splitlines()[2:]]
    assert fonts and all(font[-5] == "yes" for font in fonts), fonts  # the "emb" column: embedded
    if lang == "zh":
        assert any(CJK_FONT.search(font[0]) for font in fonts), fonts


@pytest.mark.parametrize("suffix", [".pptx", ".docx"])
def test_the_pages_say_what_the_slides_say(exported, bundled, suffix):
    lang, _, pdfs = exported
    text = re.sub(r"\s+", "", _poppler("pdftotext", str(pdfs[suffix]), "-"))
    slides = build_slides(bundled, default_quarter(bundled), lang)
    for slide in slides[1:]:
        assert re.sub(r"\s+", "", slide.title) in text, slide.title
    for headline in slides[-1].headlines:
        assert f"{headline.value:,.0f}" in text, headline.key
    if suffix == ".pptx":
        assert _pages(pdfs[suffix]) == len(slides)


def test_every_chart_of_the_deck_holds_the_datas_numbers(exported, bundled):
    lang, files, _ = exported
    slides = build_slides(bundled, default_quarter(bundled), lang)
    deck = Presentation(str(files[".pptx"]))
    for slide, page in zip(slides, deck.slides, strict=True):
        charts = [shape.chart for shape in page.shapes if shape.has_chart]
        assert len(charts) == len(slide.charts), slide.key
        for chart, figure in zip(charts, slide.charts, strict=True):
            drawn = {s.name: [v for v in s.values if v is not None] for s in chart.plots[0].series}
            for plot in chart.plots[1:]:
                drawn |= {s.name: [v for v in s.values if v is not None] for s in plot.series}
            for trace in figure.data:
                if getattr(trace, "yaxis", None) == "y2":
                    continue  # a running total on a second axis is left to the sentences, which give it
                values = trace.x if getattr(trace, "orientation", None) == "h" else trace.y
                expected = sorted(float(v) for v in values if v is not None)
                assert sorted(drawn[re.sub(r"<[^>]+>", "", trace.name)]) == pytest.approx(expected), trace.name


def test_the_brief_is_set_in_the_offices_typefaces(exported):
    _, files, _ = exported
    brief = Document(str(files[".docx"]))
    body = brief.styles["Normal"].element.rPr.rFonts
    heading = brief.styles["Heading 1"].element.rPr.rFonts
    assert body.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"
    assert heading.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    section = brief.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
