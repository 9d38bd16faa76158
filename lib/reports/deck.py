"""The quarter's presentation as a 16:9 PowerPoint deck that presenters take away and edit.

Each chart is a native PowerPoint chart converted from its plotly figure, so that its numbers
can be changed in PowerPoint or WPS; the map is a picture (``lib.reports.map_picture``). Every run of
text names an East Asian font as well as a Latin one: without it PowerPoint and WPS may draw
Chinese in a font that lacks it. Type is large enough for the back of a meeting room.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape

import plotly.graph_objects as go
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.parts.image import Image
from pptx.text.text import Font, TextFrame
from pptx.util import Emu, Inches, Pt
from xlsxwriter import Workbook

from lib.contract.catalog import Lang
from lib.contract.i18n import tr
from lib.contract.theme import EAST_ASIAN_FONT, GRID_COLOUR, LATIN_FONT
from lib.drawn.headlines import Headline
from lib.drawn.provenance import REPORTED
from lib.reports.slides import Slide

# Colours of the HTML report (lib.reports.html_report): ink, softer ink, rules, and the Party red.
INK, SOFT, RULE, ACCENT = "1F2328", "57606A", "D0D7DE", "C0392B"
GRID = GRID_COLOUR.removeprefix("#")

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Emu(6858000)  # PowerPoint's own 16:9
WIDTH, HEIGHT = SLIDE_WIDTH.inches, SLIDE_HEIGHT.inches
MARGIN = 0.55
BODY_TOP, BODY_BOTTOM = 1.5, 7.15
GAP = 0.25
TITLE_PT = 36
BODY_PT = (24, 22, 20)  # the largest that leaves the visuals room; never below 20
CARD_LABEL_PT, CARD_VALUE_PT, CARD_SOURCE_PT = 20, 36, 14
FOOTNOTE_PT = 14  # 28 px on a 1920 px screen, as the room's smallest text
CHART_PT, CHART_TITLE_PT = 14, 18
BAR_NAME_PT = 12  # a route's name beside its bar: two lines in a bar's height
MIN_VISUAL = 3.3  # inches of height below the text for charts and the map
CARD_WIDTH = 2.8  # the column of headline figures beside charts
CAPTION = 0.45  # a line under a chart that explains its ★
SIDE_TEXT = 3.6  # the column of sentences beside a slide's only chart or map
COVER_COLUMN = 5.6  # the opening slide's title, left of its map
COVER_CARDS_TOP = 4.75  # the opening slide's key figures, beneath both

_TAG = re.compile(r"<[^>]+>")
_DASHES = {
    "dot": MSO_LINE_DASH_STYLE.ROUND_DOT,
    "dash": MSO_LINE_DASH_STYLE.DASH,
    "dashdot": MSO_LINE_DASH_STYLE.DASH_DOT,
    "longdash": MSO_LINE_DASH_STYLE.LONG_DASH,
    "longdashdot": MSO_LINE_DASH_STYLE.LONG_DASH_DOT,
}


# ---------------------------------------------------------------------------------------------
# Plotly figures as chart specifications


@dataclass(frozen=True)
class SeriesSpec:
    """One series of a native chart: its values by category and how it is drawn."""

    name: str
    values: list[float | None]
    colour: str | None = None  # RRGGBB; None: PowerPoint's theme colour
    dash: str | None = None
    labels: list[str] = field(default_factory=list)  # text on each point ("" for none), e.g. ★


@dataclass(frozen=True)
class ChartSpec:
    """What a native chart needs from a plotly figure."""

    kind: XL_CHART_TYPE
    title: str
    categories: list[str]
    series: list[SeriesSpec]
    category_title: str = ""
    value_title: str = ""

    @property
    def is_bar(self) -> bool:
        return self.kind not in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS)

    @property
    def disjoint(self) -> bool:
        """Whether no category has values in two series (bars then need not stand side by side)."""
        return all(sum(s.values[i] is not None for s in self.series) <= 1 for i in range(len(self.categories)))

    @property
    def labelled(self) -> bool:
        return any(any(s.labels) for s in self.series)


def chart_spec(figure: go.Figure) -> ChartSpec | None:
    """A native chart for a plotly figure, or None if it has no bar or line traces.

    Bars become a column chart (a bar chart if horizontal), stacked if the figure stacks them,
    else clustered; lines (scatter traces) a line chart. A figure with both is drawn as its
    bars only, and traces on a second axis are left out: a PowerPoint chart of one kind has
    one value axis.
    """
    shown = [t for t in figure.data if t.visible is not False]
    bars = [t for t in shown if t.type == "bar"]
    traces = bars or [t for t in shown if t.type == "scatter"]
    if not traces:
        return None
    horizontal = bool(bars) and all(t.orientation == "h" for t in bars)
    category_axis, value_axis = ("y", "x") if horizontal else ("x", "y")
    primary = [t for t in traces if (getattr(t, f"{value_axis}axis") or value_axis) == value_axis]
    traces = primary or traces

    pairs = [_points(t, horizontal) for t in traces]
    layout = figure.layout
    categories = _category_order([c for points in pairs for c, _ in points], layout[f"{category_axis}axis"])
    index = {c: i for i, c in enumerate(categories)}
    series = []
    for trace, points in zip(traces, pairs, strict=True):
        values: list[float | None] = [None] * len(categories)
        labels = [""] * len(categories)
        texts = _texts(trace, len(points))
        for (category, value), text in zip(points, texts, strict=True):
            i = index[category]
            if value is not None:
                before = values[i]
                values[i] = value if before is None else before + value
            labels[i] = labels[i] or text
        line = trace.line.color if trace.type == "scatter" else None
        series.append(
            SeriesSpec(
                name=_plain(trace.name or ""),
                values=values,
                colour=_rgb(line or trace.marker.color),
                dash=trace.line.dash if trace.type == "scatter" else None,
                labels=labels if any(labels) else [],
            )
        )

    if bars:
        stacked = layout.barmode in ("stack", "relative")
        kinds = {
            (False, False): XL_CHART_TYPE.COLUMN_CLUSTERED,
            (False, True): XL_CHART_TYPE.COLUMN_STACKED,
            (True, False): XL_CHART_TYPE.BAR_CLUSTERED,
            (True, True): XL_CHART_TYPE.BAR_STACKED,
        }
        kind = kinds[(horizontal, stacked)]
    else:
        markers = any("markers" in (t.mode or "lines") for t in traces)
        kind = XL_CHART_TYPE.LINE_MARKERS if markers else XL_CHART_TYPE.LINE
    return ChartSpec(
        kind=kind,
        title=_plain(layout.title.text or ""),
        categories=[_category_label(c) for c in categories],
        series=series,
        category_title=_plain(layout[f"{category_axis}axis"].title.text or ""),
        value_title=_plain(layout[f"{value_axis}axis"].title.text or ""),
    )


def _points(trace, horizontal: bool) -> list[tuple[object, float | None]]:
    """(category, value) of each point of a trace; categories 0, 1, ... where it has none."""
    categories, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    values = list(values) if values is not None else []
    categories = list(categories) if categories is not None else list(range(len(values)))
    return [(_python(c), _number(v)) for c, v in zip(categories, values, strict=False)]


def _texts(trace, n: int) -> list[str]:
    """The text plotly writes on each point (a list, one text for all, or none)."""
    text = trace.text
    if text is None or trace.textposition == "none" or (trace.type == "scatter" and "text" not in (trace.mode or "")):
        return [""] * n
    if isinstance(text, str):
        return [text] * n
    return [_plain(str(t)) if t is not None else "" for t in list(text)[:n]] + [""] * max(n - len(text), 0)


def _category_order(found: list[object], axis) -> list[object]:
    """Distinct categories in the order plotly draws them on ``axis``."""
    distinct = list(dict.fromkeys(found))
    order = axis.categoryorder
    if order == "array" and axis.categoryarray is not None:
        wanted = [_python(c) for c in axis.categoryarray]
        return [c for c in wanted if c in distinct] + [c for c in distinct if c not in wanted]
    sortable = order in ("category ascending", "category descending") or (
        axis.type != "category" and not any(isinstance(c, str) for c in distinct)
    )
    if not sortable:
        return distinct  # plotly keeps text categories in the order the traces give them
    try:
        ordered = sorted(distinct)  # type: ignore[type-var]  # numbers or dates; TypeError where mixed
    except TypeError:  # categories of mixed kinds: plotly's order is as good as any
        ordered = sorted(distinct, key=str)
    return ordered[::-1] if order == "category descending" else ordered


def _python(value: object) -> object:
    """A numpy or pandas scalar as the plain Python value it holds."""
    value = value.item() if hasattr(value, "item") and not isinstance(value, str) else value
    return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value


def _number(value: object) -> float | None:
    value = _python(value)
    if value is None or isinstance(value, str):
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def _category_label(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _plain(str(value))


def _plain(text: str) -> str:
    """Plotly text as plain text: line breaks as spaces, other tags dropped, entities decoded."""
    return unescape(_TAG.sub("", re.sub(r"<br\s*/?>", " ", text))).strip()


def _rgb(colour: object) -> str | None:
    """``#RRGGBB``, ``#RGB`` or ``rgb(r, g, b)`` as RRGGBB; None for anything else."""
    if not isinstance(colour, str):
        return None
    text = colour.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{6}", text):
        return text[1:].upper()
    if re.fullmatch(r"#[0-9a-f]{3}", text):
        return "".join(c * 2 for c in text[1:]).upper()
    match = re.fullmatch(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*[\d.]+)?\)", text)
    return "".join(f"{min(int(n), 255):02X}" for n in match.groups()) if match else None


# ---------------------------------------------------------------------------------------------
# The deck


def pptx_report(slides: list[Slide], maps: Mapping[str, bytes], lang: Lang) -> bytes:
    """The slides as a .pptx file: one PowerPoint slide per slide, with its title, sentences,
    headline figures, charts as native charts and, where it has a map, its picture in ``maps``
    (by slide key; none there, no map). ``lang`` is the language of the words the deck adds."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    layout = deck.slide_layouts[5]  # "Title Only": a real title, which the outline and screen readers use
    for slide in slides:
        page = deck.slides.add_slide(layout)
        picture = maps.get(slide.key)
        if slide.is_cover:
            _cover(page, slide, picture, lang)
        else:
            _content(page, slide, picture, lang)
        # The sentences again as speaker notes, to read from the presenter view.
        notes = page.notes_slide.notes_text_frame
        notes.text = "\n".join(slide.summary)
        for paragraph in notes.paragraphs:
            for run in paragraph.runs:
                _typeface(run.font, lang)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _cover(page, slide: Slide, picture: bytes | None, lang: Lang) -> None:
    """The opening slide: the title and what the meeting covers at the top left, the map of the
    area at the top right, the key figures in a row beneath."""
    column = COVER_COLUMN if picture else WIDTH - 2 * MARGIN
    _title(page, slide.title, lang, top=0.6, height=1.6, size=TITLE_PT, anchor=MSO_ANCHOR.BOTTOM)
    page.shapes.title.width = Inches(column)
    _rule(page, top=2.35)
    box = _textbox(page, MARGIN, 2.55, column, 1.6)
    for i, sentence in enumerate(slide.summary):
        _paragraph(box.text_frame, sentence, lang, size=BODY_PT[0], colour=SOFT, first=i == 0)
    cards = [_card_text(h, slide, lang) for h in slide.headlines]
    # Lower than the summary; higher where long labels (English) make the cards taller.
    cards_top = min(COVER_CARDS_TOP, BODY_BOTTOM - _cards_height(cards, WIDTH - 2 * MARGIN, per_row=4))
    _card_rows(page, cards, lang, cards_top, WIDTH - 2 * MARGIN, per_row=4)
    if picture:
        left = MARGIN + column + GAP
        description = tr("export.map", lang, title=slide.title)
        _picture(page, picture, left, 0.35, WIDTH - MARGIN - left, cards_top - 0.35 - GAP, description)


def _content(page, slide: Slide, picture: bytes | None, lang: Lang) -> None:
    """A slide of the body: title; sentences; then headline figures, charts and the map."""
    _title(page, slide.title, lang, top=0.3, height=1.0, size=TITLE_PT, anchor=MSO_ANCHOR.MIDDLE)
    _rule(page, top=1.3)
    visuals: list[go.Figure | bytes] = ([picture] if picture else []) + list(slide.charts)
    width = WIDTH - 2 * MARGIN
    cards = [_card_text(h, slide, lang) for h in slide.headlines]
    if len(visuals) == 1 and not cards and _beside(page, slide, visuals[0], lang):
        return
    bottom = BODY_BOTTOM
    if slide.footnote:
        foot = _text_height([slide.footnote], FOOTNOTE_PT, width)
        bottom -= foot + GAP
        _paragraph(_textbox(page, MARGIN, bottom + GAP, width, foot).text_frame, slide.footnote, lang,
                   size=FOOTNOTE_PT, colour=SOFT, first=True)  # fmt: skip

    # The largest type that leaves the visuals (or, without them, the figures) their room.
    for size in BODY_PT:
        text_height = _text_height(slide.summary, size, width)
        below = bottom - BODY_TOP - text_height - GAP
        if (visuals and below >= MIN_VISUAL) or (not visuals and below >= _cards_height(cards, width, per_row=4)):
            break
    if slide.summary:
        box = _textbox(page, MARGIN, BODY_TOP, width, text_height)
        for i, sentence in enumerate(slide.summary):
            _paragraph(box.text_frame, sentence, lang, size=size, first=i == 0, bullet=len(slide.summary) > 1)
    top = BODY_TOP + (text_height + GAP if slide.summary else 0)
    height = bottom - top

    if visuals:
        left = MARGIN
        column = sum(_card_height(card, CARD_WIDTH) + GAP for card in cards) - GAP
        if cards and column <= height:  # else the figures are left to the sentences, which give them too
            y = top
            for card in cards:
                card_height = _card_height(card, CARD_WIDTH)
                _card(page, card, lang, MARGIN, y, CARD_WIDTH, card_height)
                y += card_height + GAP
            left += CARD_WIDTH + GAP
        x = left
        for visual, cell in zip(visuals, _cells(visuals, WIDTH - MARGIN - left, height), strict=True):
            if isinstance(visual, bytes):
                _picture(page, visual, x, top, cell, height, tr("export.map", lang, title=slide.title))
            else:
                _chart(page, visual, lang, x, top, cell, height)
            x += cell + GAP
    elif cards:
        # Three to a row, four where three rows would run off the slide.
        per_row = 3 if _cards_height(cards, width, per_row=3) <= height else 4
        _card_rows(page, cards, lang, top, width, per_row)


def _cells(visuals: list[go.Figure | bytes], width: float, height: float) -> list[float]:
    """Widths of the visuals side by side: a picture as wide as its shape allows at the full
    height (up to 60% of the row, as its text would shrink with it), charts sharing the rest."""
    room = width - GAP * (len(visuals) - 1)
    pictures = {
        i: min(height * _aspect(v), room * (0.6 if len(visuals) > 1 else 1))
        for i, v in enumerate(visuals)
        if isinstance(v, bytes)
    }
    charts = len(visuals) - len(pictures)
    share = (room - sum(pictures.values())) / charts if charts else 0
    return [pictures.get(i, share) for i in range(len(visuals))]


def _aspect(blob: bytes) -> float:
    """Width over height of a picture."""
    pixels_wide, pixels_high = Image.from_blob(blob).size
    return pixels_wide / pixels_high


def _beside(page, slide: Slide, visual: go.Figure | bytes, lang: Lang) -> bool:
    """A slide's only chart or map as large as the body allows, with its sentences in a column
    beside it; False (and nothing drawn) if they would not fit there."""
    height = BODY_BOTTOM - BODY_TOP
    if isinstance(visual, bytes):
        visual_width = min(height * _aspect(visual), WIDTH - 2 * MARGIN - SIDE_TEXT - GAP)
    else:
        visual_width = WIDTH - 2 * MARGIN - SIDE_TEXT - GAP
    text_left = MARGIN + visual_width + GAP
    text_width = WIDTH - MARGIN - text_left
    size = next((size for size in BODY_PT if _text_height(slide.summary, size, text_width) <= height), None)
    if size is None:
        return False
    if isinstance(visual, bytes):
        _picture(page, visual, MARGIN, BODY_TOP, visual_width, height, tr("export.map", lang, title=slide.title))
    else:
        _chart(page, visual, lang, MARGIN, BODY_TOP, visual_width, height)
    box = _textbox(page, text_left, BODY_TOP, text_width, _text_height(slide.summary, size, text_width))
    for i, sentence in enumerate(slide.summary):
        _paragraph(box.text_frame, sentence, lang, size=size, first=i == 0, bullet=len(slide.summary) > 1)
    return True


def _title(page, text: str, lang: Lang, top: float, height: float, size: int, anchor: MSO_ANCHOR) -> None:
    title = page.shapes.title
    title.left, title.top, title.width, title.height = (
        Inches(MARGIN),
        Inches(top),
        Inches(WIDTH - 2 * MARGIN),
        Inches(height),
    )
    frame = title.text_frame
    frame.word_wrap, frame.vertical_anchor = True, anchor
    frame.auto_size = MSO_AUTO_SIZE.NONE
    _paragraph(frame, text, lang, size=size, bold=True, first=True)


def _rule(page, top: float) -> None:
    """A short bar in the Party red under the title, as in the HTML report."""
    bar = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(MARGIN), Inches(top), Inches(1.6), Inches(0.07))
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor.from_string(ACCENT)
    bar.line.fill.background()
    bar.shadow.inherit = False


def _textbox(page, left: float, top: float, width: float, height: float):
    box = page.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    return box


def _paragraph(
    frame: TextFrame,
    text: str,
    lang: Lang,
    size: float,
    bold: bool = False,
    colour: str = INK,
    first: bool = False,
    bullet: bool = False,
    align: PP_ALIGN = PP_ALIGN.LEFT,
) -> None:
    """A paragraph of one run in the deck's fonts; ``first`` fills the frame's empty paragraph."""
    paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
    if first:
        paragraph.clear()
    paragraph.alignment = align
    paragraph.space_after = Pt(size * 0.3)
    if bullet:
        _bullet(paragraph, size)
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    run.font.color.rgb = RGBColor.from_string(colour)
    _typeface(run.font, lang)


def _bullet(paragraph, size: float) -> None:
    """A round bullet hanging in the margin (python-pptx has no call for it)."""
    indent = Pt(size * 1.1)
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(indent))
    properties.set("indent", str(-indent))
    for tag in ("a:buFont", "a:buChar"):
        old = properties.find(qn(tag))
        if old is not None:
            properties.remove(old)
    properties.append(properties.makeelement(qn("a:buFont"), {"typeface": LATIN_FONT}))
    properties.append(properties.makeelement(qn("a:buChar"), {"char": "•"}))


def _typeface(font: Font, lang: Lang) -> None:
    """Latin and East Asian typefaces, and the language, of a run or of default run properties."""
    font.name = LATIN_FONT
    properties = font._rPr  # python-pptx sets a:latin only
    old = properties.find(qn("a:ea"))
    if old is not None:
        properties.remove(old)
    properties.get_or_add_latin().addnext(properties.makeelement(qn("a:ea"), {"typeface": EAST_ASIAN_FONT}))
    properties.set("lang", "zh-CN" if lang == "zh" else "en-US")
    properties.set("altLang", "en-US" if lang == "zh" else "zh-CN")


# ---------------------------------------------------------------------------------------------
# Headline figures


def _card_text(headline: Headline, slide: Slide, lang: Lang) -> tuple[str, str, str]:
    """Label, value and provenance of a headline figure of ``slide``."""
    value = "—" if headline.value is None else f"{headline.value:,.0f}"
    return tr(f"metric.{headline.key}", lang), value, slide.sources[headline.key]


def _card_height(card: tuple[str, str, str], width: float) -> float:
    label, _, mark = card
    inner = width - 0.2
    lines = _lines(label, CARD_LABEL_PT, inner) * CARD_LABEL_PT + _lines(mark, CARD_SOURCE_PT, inner) * CARD_SOURCE_PT
    return 0.2 + (lines + CARD_VALUE_PT) * 1.25 / 72


def _card_layout(
    cards: list[tuple[str, str, str]], width: float, per_row: int
) -> Iterator[tuple[list[tuple[str, str, str]], float, float]]:
    """``cards`` in rows of ``per_row`` across ``width``: each row, its cards' width and its
    height (that of its tallest)."""
    card_width = (width - GAP * (per_row - 1)) / per_row
    for start in range(0, len(cards), per_row):
        row = cards[start : start + per_row]
        yield row, card_width, max(_card_height(card, card_width) for card in row)


def _cards_height(cards: list[tuple[str, str, str]], width: float, per_row: int = 3) -> float:
    """How tall ``cards`` stand in rows of ``per_row`` across ``width``."""
    heights = [height for _, _, height in _card_layout(cards, width, per_row)]
    return sum(heights) + GAP * (len(heights) - 1) if heights else 0


def _card_rows(page, cards: list[tuple[str, str, str]], lang: Lang, top: float, width: float, per_row: int) -> None:
    """Headline figures in rows of ``per_row`` from ``top``, each row as tall as its tallest."""
    for row, card_width, height in _card_layout(cards, width, per_row):
        for i, card in enumerate(row):
            _card(page, card, lang, MARGIN + i * (card_width + GAP), top, card_width, height)
        top += height + GAP


def _card(page, card: tuple[str, str, str], lang: Lang, left: float, top: float, width: float, height: float) -> None:
    """A headline figure in a rounded box: what it is, its value large, whether it is reported."""
    label, value, mark = card
    box = page.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height))
    box.adjustments[0] = 0.08
    box.fill.solid()
    box.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    box.line.color.rgb = RGBColor.from_string(RULE)
    box.line.width = Pt(1.25)
    box.shadow.inherit = False
    frame = box.text_frame
    frame.word_wrap, frame.vertical_anchor, frame.auto_size = True, MSO_ANCHOR.MIDDLE, MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Inches(0.1)
    _paragraph(frame, label, lang, size=CARD_LABEL_PT, colour=SOFT, first=True)
    _paragraph(frame, value, lang, size=CARD_VALUE_PT, bold=True)
    _paragraph(frame, mark, lang, size=CARD_SOURCE_PT, colour=SOFT)
    for paragraph in frame.paragraphs:
        paragraph.space_after = Pt(0)


# ---------------------------------------------------------------------------------------------
# Charts and the map


class _TextCellsWriter(CategoryWorkbookWriter):
    """The workbook inside a chart, where PowerPoint and WPS edit its numbers, with names and
    categories written as text: XlsxWriter would otherwise make a route named
    ``=HYPERLINK(...)`` a live formula, and one named ``http://...`` a link."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple]:
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _ChartData(CategoryChartData):
    """Chart data whose workbook holds text as text."""

    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return _TextCellsWriter(self)


def _chart(page, figure: go.Figure, lang: Lang, left: float, top: float, width: float, height: float) -> None:
    """A plotly figure as a native chart filling the box, with a line under it explaining ★."""
    spec = chart_spec(figure)
    if spec is None:
        return
    starred = any(REPORTED in label for s in spec.series for label in s.labels)
    chart_height = height - CAPTION if starred else height
    data = _ChartData(number_format="#,##0" if _whole(spec) else "General")
    data.categories = spec.categories
    for series in spec.series:
        data.add_series(series.name, series.values)
    frame = page.shapes.add_chart(spec.kind, Inches(left), Inches(top), Inches(width), Inches(chart_height), data)
    chart = frame.chart
    chart.font.size = Pt(CHART_PT)
    chart.font.color.rgb = RGBColor.from_string(INK)
    _typeface(chart.font, lang)

    chart.has_title = bool(spec.title)
    if spec.title:
        title = chart.chart_title.text_frame
        title.text = spec.title
        for run in title.paragraphs[0].runs:
            run.font.size, run.font.bold = Pt(CHART_TITLE_PT), True
            _typeface(run.font, lang)
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_PT)
        _typeface(chart.legend.font, lang)

    _axes(chart, spec, lang)
    plot = chart.plots[0]
    if spec.is_bar:
        plot.gap_width = 60
        if spec.kind in (XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.BAR_CLUSTERED):
            # Bars of different series in different categories (sessions of different kinds)
            # stand in the middle of their category, as in plotly, not beside empty slots.
            plot.overlap = 100 if spec.disjoint else 0
    for series, drawn in zip(spec.series, plot.series, strict=True):
        _style_series(drawn, series, spec, lang)
    if starred:
        caption = _textbox(page, left, top + chart_height, width, CAPTION)
        _paragraph(
            caption.text_frame, tr("chart.reported_marker", lang), lang, size=BODY_PT[-1], colour=SOFT, first=True
        )


def _whole(spec: ChartSpec) -> bool:
    """Whether every value is a whole number, or large enough to read as one."""
    values = [v for s in spec.series for v in s.values if v is not None]
    return all(v.is_integer() or abs(v) >= 100 for v in values)


def _axes(chart, spec: ChartSpec, lang: Lang) -> None:
    """Axis fonts, grid lines as in lib.drawn.charts, and the figure's axis titles."""
    for axis, title in ((chart.category_axis, spec.category_title), (chart.value_axis, spec.value_title)):
        axis.tick_labels.font.size = Pt(CHART_PT)
        _typeface(axis.tick_labels.font, lang)
        axis.format.line.color.rgb = RGBColor.from_string(RULE)
        axis.has_title = bool(title)
        if title:
            frame = axis.axis_title.text_frame
            frame.text = title
            for run in frame.paragraphs[0].runs:
                run.font.size, run.font.bold = Pt(CHART_PT), False
                _typeface(run.font, lang)
    if spec.kind == XL_CHART_TYPE.BAR_CLUSTERED:
        # Each bar names what it is: office suites otherwise leave out every other long name,
        # which in the chart's type would take more lines than a bar is high.
        chart.category_axis.tick_labels.font.size = Pt(BAR_NAME_PT)
        labels = chart.category_axis._element
        labels.find(qn("c:noMultiLvlLbl")).addprevious(labels.makeelement(qn("c:tickLblSkip"), {"val": "1"}))
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string(GRID)
    value_axis.tick_labels.number_format = "#,##0" if _whole(spec) else "General"
    value_axis.tick_labels.number_format_is_linked = False
    if any(v is not None and v < 0 for s in spec.series for v in s.values):
        return
    value_axis.minimum_scale = 0  # plotly's rangemode "tozero"


def _style_series(drawn, series: SeriesSpec, spec: ChartSpec, lang: Lang) -> None:
    """A series in its trace's colour (where the figure sets one), with its points' texts."""
    if spec.is_bar:
        if series.colour:
            drawn.format.fill.solid()
            drawn.format.fill.fore_color.rgb = RGBColor.from_string(series.colour)
        drawn.invert_if_negative = False
    else:
        drawn.smooth = False
        line = drawn.format.line
        line.width = Pt(2.5)
        if series.colour:
            line.color.rgb = RGBColor.from_string(series.colour)
        if series.dash in _DASHES:
            line.dash_style = _DASHES[series.dash]
        if spec.kind == XL_CHART_TYPE.LINE_MARKERS:
            drawn.marker.style, drawn.marker.size = XL_MARKER_STYLE.CIRCLE, 7
            if series.colour:
                drawn.marker.format.fill.solid()
                drawn.marker.format.fill.fore_color.rgb = RGBColor.from_string(series.colour)
                drawn.marker.format.line.color.rgb = RGBColor.from_string(series.colour)
    for i, text in enumerate(series.labels):
        if not text or series.values[i] is None:
            continue
        label = drawn.points[i].data_label
        label.has_text_frame = True
        label.text_frame.text = text
        label.position = XL_LABEL_POSITION.INSIDE_END if spec.is_bar else XL_LABEL_POSITION.ABOVE
        for run in label.text_frame.paragraphs[0].runs:
            run.font.size = Pt(CHART_PT)
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF) if spec.is_bar else RGBColor.from_string(INK)
            _typeface(run.font, lang)


def _picture(page, blob: bytes, left: float, top: float, width: float, height: float, description: str) -> None:
    """A picture as large as fits the box, centred in it, keeping its shape."""
    pixels_wide, pixels_high = Image.from_blob(blob).size
    scale = min(width / pixels_wide, height / pixels_high)
    shown_w, shown_h = pixels_wide * scale, pixels_high * scale
    picture = page.shapes.add_picture(
        io.BytesIO(blob),
        Inches(left + (width - shown_w) / 2),
        Inches(top + (height - shown_h) / 2),
        Emu(Inches(shown_w)),
        Emu(Inches(shown_h)),
    )
    picture._element.nvPicPr.cNvPr.set("descr", description)  # alternative text


# ---------------------------------------------------------------------------------------------
# How much room text takes


def _em(text: str) -> float:
    """Width of ``text`` in font sizes: Chinese characters are square, Latin ones narrower."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            width += 1.0
        elif char in " .,;:'!|()[]-":
            width += 0.3
        elif char.isupper() or char in "%@—":
            width += 0.68
        else:
            width += 0.53
    return width


def _lines(text: str, size: float, width: float) -> int:
    """Lines ``text`` wraps to at ``size`` points in a box ``width`` inches wide (a little
    pessimistic: a word that does not fit moves whole to the next line)."""
    return max(1, math.ceil(_em(text) * size / 72 / (width * 0.93)))


def _text_height(sentences: list[str], size: float, width: float) -> float:
    """Inches that the sentences take as bulleted paragraphs in a text box ``width`` wide."""
    if not sentences:
        return 0.0
    inner = width - 0.2 - (size * 1.1 / 72 if len(sentences) > 1 else 0)
    lines = sum(_lines(s, size, inner) for s in sentences)
    return 0.1 + lines * size * 1.2 / 72 + (len(sentences) - 1) * size * 0.3 / 72
