"""The quarter's brief as a Word document, as county offices circulate reports on paper.

A4 with the margins of official documents (GB/T 9704), headings in 黑体 and body text in 仿宋
at 三号 (16 pt); every run names its East Asian font as well as a Latin one, so that Word and
WPS (which have both) and LibreOffice (which substitutes a CJK font it has) all draw Chinese.
The brief holds the title, the date, each slide's written summary, the key figures as a
table, and the charts and the map as pictures.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from lib.contract.catalog import Lang
from lib.contract.i18n import tr
from lib.contract.theme import BRIEF_BODY_FONT, BRIEF_HEADING_FONT
from lib.reports.slides import Slide

BODY_FONT, HEADING_FONT = BRIEF_BODY_FONT, BRIEF_HEADING_FONT  # by the names Word and WPS know them under
TITLE_PT, HEADING_PT, BODY_PT, TABLE_PT, CAPTION_PT = 22, 16, 16, 12, 12  # 二号, 三号, 三号, 小四, 小四
TEXT_WIDTH = Mm(210 - 28 - 26)  # A4 less the official left and right margins
_TAG = re.compile(r"<[^>]+>")


def docx_brief(
    slides: Sequence[Slide], charts: Mapping[str, bytes], maps: Mapping[str, bytes], lang: Lang, day: date
) -> bytes:
    """The brief of ``slides`` (the first is the title, the last the closing figures) with
    ``charts`` (PNG by file name, ``<slide key>-<n>.png``) and ``maps`` (PNG by slide key),
    dated ``day``."""
    document = Document()
    _page(document)
    _styles(document, lang)
    title, *body = slides
    _paragraph(document, title.title, HEADING_FONT, TITLE_PT, bold=True, centre=True)
    _paragraph(document, tr("brief.date", lang, day=_day(day, lang)), BODY_FONT, BODY_PT, centre=True)
    for sentence in title.summary:
        _paragraph(document, sentence, BODY_FONT, BODY_PT, indent=lang == "zh")
    for slide in body:
        document.add_heading(slide.title, level=1)
        for sentence in slide.summary:
            _paragraph(document, sentence, BODY_FONT, BODY_PT, indent=lang == "zh")
        if slide.key in maps:
            _picture(document, maps[slide.key], tr("export.map", lang, title=slide.title))
        for n, figure in enumerate(slide.charts, start=1):
            picture = charts.get(f"{slide.key}-{n}.png")
            if picture:
                _picture(document, picture, _TAG.sub("", figure.layout.title.text or slide.title))
        if slide is body[-1] and slide.headlines:
            _figures_table(document, slide, lang)
        if slide.footnote:
            _paragraph(document, slide.footnote, BODY_FONT, CAPTION_PT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def _styles(document, lang: Lang) -> None:
    """Body and heading styles in the offices' typefaces, and the document's language."""
    normal = document.styles["Normal"]
    _typeface(normal.font, normal.element.get_or_add_rPr(), BODY_FONT, lang)
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.line_spacing = 1.5
    heading = document.styles["Heading 1"]
    _typeface(heading.font, heading.element.get_or_add_rPr(), HEADING_FONT, lang)
    heading.font.size, heading.font.bold = Pt(HEADING_PT), False
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12), Pt(6)


def _typeface(font, properties, face: tuple[str, str], lang: Lang) -> None:
    east_asian, latin = face
    font.name = latin
    fonts = properties.get_or_add_rFonts()
    for attribute, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian)):
        fonts.set(qn(attribute), name)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = properties.makeelement(qn("w:lang"), {})
        properties.append(language)
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")


def _paragraph(document, text: str, face: tuple[str, str], size: float, *, bold=False, centre=False, indent=False):
    paragraph = document.add_paragraph()
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if indent:  # two characters, as Chinese paragraphs begin
        paragraph.paragraph_format.first_line_indent = Pt(2 * size)
    run = paragraph.add_run(text)
    _typeface(run.font, run._element.get_or_add_rPr(), face, "zh")
    run.font.size, run.font.bold = Pt(size), bold
    return paragraph


def _picture(document, png: bytes, caption: str) -> None:
    """A picture the width of the text, with its caption beneath."""
    document.add_picture(io.BytesIO(png), width=TEXT_WIDTH)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.paragraphs[-1].paragraph_format.keep_with_next = True  # never a caption alone atop a page
    _paragraph(document, caption, HEADING_FONT, CAPTION_PT, centre=True)


def _figures_table(document, slide: Slide, lang: Lang) -> None:
    """The key figures: what, this quarter, against the last quarter and a year ago, source."""
    heads = [tr(f"brief.column_{name}", lang) for name in ("figure", "value", "previous", "year", "source")]
    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        _cell(cell, text, HEADING_FONT)
    for headline in slide.headlines:
        row = table.add_row().cells
        values = (
            tr(f"metric.{headline.key}", lang),
            "—" if headline.value is None else f"{headline.value:,.0f}",
            _change(headline.value, headline.previous),
            _change(headline.value, headline.year_ago),
            slide.sources[headline.key],
        )
        for cell, text in zip(row, values, strict=True):
            _cell(cell, text, BODY_FONT)


def _cell(cell, text: str, face: tuple[str, str]) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.15
    run = paragraph.add_run(text)
    _typeface(run.font, run._element.get_or_add_rPr(), face, "zh")
    run.font.size = Pt(TABLE_PT)


def _change(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "—"
    return f"{(value - base) / base:+.1%}"


def _day(day: date, lang: Lang) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.strftime("%d %B %Y").lstrip("0")
