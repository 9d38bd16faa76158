"""The quarter's report as one HTML file that opens from a USB stick: no server, no network.

Everything is in the file: plotly.js once, inline; each map in an ``<iframe srcdoc>`` with
Leaflet's script, style and images inline and no basemap tiles; system fonts only. Text
from the data is escaped, here and by ``lib.drawn.maps`` and ``lib.drawn.charts``.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from datetime import date
from functools import cache
from html import escape
from pathlib import Path

import plotly.graph_objects as go

from lib.contract.catalog import REPORT_CITATION, Lang, code_label
from lib.contract.i18n import HTML_LANG, tr
from lib.contract.quarters import quarter_label
from lib.contract.theme import LATIN_SCREEN_FONT, PLOTLY_CONFIG, SCREEN_FONT
from lib.drawn.headlines import Headline, change
from lib.drawn.maps import build_map, legend_opens
from lib.drawn.offline import VENDOR_SOURCES, VENDOR_URL
from lib.files.loading import Data
from lib.files.problems import Severity
from lib.reports.slides import Slide, build_slides

_VENDOR_TAG = re.compile(rf'<(?:script|link)\b[^>]*?"{re.escape(VENDOR_URL)}/([^"]+)"[^>]*>(?:\s*</script>)?')
_CSS_URL = re.compile(r"url\((['\"]?)(?![a-z]+:|#)([^)'\"]+)\1\)")
# A browser with developer tools open would fetch the source map: leave the comment out.
_SOURCE_MAP = re.compile(r"^[/*\s]*[#@] sourceMappingURL=.*$", re.M)
_FONT = SCREEN_FONT
MAP_HEIGHT, COVER_MAP_HEIGHT = 560, 380  # px: a slide's map across the page, the opening's beside its title
_CSS = f"""
:root {{ --ink: #1F2328; --soft: #57606A; --line: #D0D7DE; --warn: #8A4B00; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0 auto; max-width: 1500px; padding: 24px 40px; font-family: {_FONT}; font-size: 20px;
  line-height: 1.6; color: var(--ink); background: #fff; }}
/* Latin fonts first in English: CJK fonts draw quotation marks full-width. */
html:lang(en) body {{ font-family: {LATIN_SCREEN_FONT}, {_FONT}; }}
h1 {{ font-size: 40px; line-height: 1.3; margin: 0 0 8px; }}
h2 {{ font-size: 32px; line-height: 1.3; margin: 0 0 16px; padding-bottom: 6px; border-bottom: 3px solid #C0392B; }}
/* The opening, as the deck's title slide: title and summary, the map beside, the key figures beneath. */
header {{ padding-bottom: 16px; border-bottom: 1px solid var(--line); display: grid;
  grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 8px 32px; align-items: start; }}
header > :not(.opening, .map) {{ grid-column: 1 / -1; }}
header .map {{ height: {COVER_MAP_HEIGHT}px; }}
@media screen and (max-width: 1000px) {{ header {{ grid-template-columns: minmax(0, 1fr); }} }}
header .lead {{ font-size: 24px; margin: 0 0 12px; }}
header .meta {{ color: var(--soft); margin: 0 0 12px; }}
.honesty {{ border-left: 6px solid var(--warn); background: #FFF6E5; padding: 10px 16px; margin: 0 0 8px; }}
.slide {{ padding: 32px 0; border-bottom: 1px solid var(--line); }}
.figures {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 14px; margin-bottom: 16px; }}
.figure {{ border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }}
.figure .label {{ font-size: 18px; color: var(--soft); }}
.figure .value {{ font-size: 36px; font-weight: 700; line-height: 1.2; }}
.figure .delta {{ font-size: 18px; }}
.figure .source {{ font-size: 18px; color: var(--soft); }}
.figure .mark {{ font-size: 18px; color: var(--warn); font-weight: 600; }}
.footnote {{ font-size: 18px; color: var(--soft); margin: 16px 0 0; }}
.summary {{ padding-left: 1.2em; margin: 0 0 16px; }}
.summary li {{ margin-bottom: 6px; }}
/* Fixed columns: a chart takes the width of its box when drawn, before the page is complete. */
.visuals {{ display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px; }}
.visuals.one {{ grid-template-columns: minmax(0, 1fr); }}
.visuals .map {{ grid-column: 1 / -1; }}  /* the whole width: a narrow map hides under its legend */
@media screen and (max-width: 1000px) {{ .visuals {{ grid-template-columns: minmax(0, 1fr); }} }}
.map {{ width: 100%; height: {MAP_HEIGHT}px; border: 1px solid var(--line); border-radius: 8px; }}
.chart {{ min-width: 0; }}
@page {{ size: A4 landscape; margin: 12mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 14pt; }}
  .slide {{ break-before: page; border: none; padding: 0; }}
  .figure, .map, .chart {{ break-inside: avoid; }}
  .map {{ height: 120mm; }}
  .modebar-container {{ display: none !important; }}
}}
"""

# Plotly resizes its charts with the window only; printing and late layout change their boxes.
_RESIZE_CHARTS = """<script>
var chartBoxes = new ResizeObserver(function (boxes) {
  boxes.forEach(function (box) { Plotly.Plots.resize(box.target.querySelector(".js-plotly-plot")); });
});
document.querySelectorAll(".chart").forEach(function (box) { chartBoxes.observe(box); });
</script>
"""


def html_report(data: Data, quarter: str, lang: Lang, township: str | None = None) -> str:
    """The quarter's slides as one self-contained HTML document: the title slide heads the page,
    every other slide is a section with its figures, sentences, charts and map."""
    cover, *slides = build_slides(data, quarter, lang, township)
    sections, plotly_included = [], False
    for slide in slides:
        sections.append(_section(data, slide, lang, township, include_plotlyjs=not plotly_included))
        plotly_included = plotly_included or bool(slide.charts)
    return (
        f'<!DOCTYPE html>\n<html lang="{HTML_LANG[lang]}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(cover.title)}</title>\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n{_header(data, cover, quarter, lang, township)}\n"
        f"{''.join(sections)}\n{_RESIZE_CHARTS if plotly_included else ''}</body>\n</html>\n"
    )


def _header(data: Data, cover: Slide, quarter: str, lang: Lang, township: str | None) -> str:
    """The title, what the report covers and when it was made, the map of the area, the key
    figures, and which figures are real."""
    place = code_label("township", township, lang) if township else tr("control.all_townships", lang)
    meta = " · ".join(
        (
            tr("export.quarter", lang, quarter=quarter_label(quarter, lang)),
            tr("export.township", lang, township=place),
            tr("export.generated", lang, date=date.today().isoformat()),
        )
    )
    lead = "".join(f"<p class='lead'>{escape(s)}</p>" for s in cover.summary)
    honesty = f"<p class='honesty'>{escape(tr('data.honesty', lang, citation=REPORT_CITATION(lang)))}</p>"
    figures = "".join(_headline(data, h, cover, lang) for h in cover.headlines)
    return (
        f"<header><div class='opening'><h1>{escape(cover.title)}</h1>{lead}<p class='meta'>{escape(meta)}</p></div>"
        + (_map_frame(data, cover, lang, township, COVER_MAP_HEIGHT) if cover.has_map else "")
        + (f"<div class='figures'>{figures}</div>" if figures else "")
        + f"{honesty}<p class='meta'>{escape(tr('export.offline', lang))}</p></header>"
    )


def _section(data: Data, slide: Slide, lang: Lang, township: str | None, include_plotlyjs: bool) -> str:
    """One slide: title, headline figures, sentences, then the map and charts."""
    figures = "".join(_headline(data, h, slide, lang) for h in slide.headlines)
    summary = "".join(f"<li>{escape(s)}</li>" for s in slide.summary)
    visuals = [_map_frame(data, slide, lang, township, MAP_HEIGHT)] if slide.has_map else []
    visuals += [_chart(f, include_plotlyjs and i == 0) for i, f in enumerate(slide.charts)]
    return (
        f"<section class='slide' id='slide-{escape(slide.key)}'><h2>{escape(slide.title)}</h2>"
        + (f"<div class='figures'>{figures}</div>" if figures else "")
        + (f"<ul class='summary'>{summary}</ul>" if summary else "")
        + (
            f"<div class='visuals {'two' if len(slide.charts) > 1 else 'one'}'>{''.join(visuals)}</div>"
            if visuals
            else ""
        )
        + (f"<p class='footnote'>{escape(slide.footnote)}</p>" if slide.footnote else "")
        + "</section>\n"
    )


def _headline(data: Data, headline: Headline, slide: Slide, lang: Lang) -> str:
    """A headline figure of ``slide`` as a card: value, its two changes, and what it is."""

    def delta(base: float | None, key: str) -> str:
        ratio = change(headline.value, base)
        text = tr("metric.no_comparison", lang) if ratio is None else tr(key, lang, delta=f"{ratio:+.1%}")
        return f"<div class='delta'>{escape(text)}</div>"

    incomplete = any(p.severity == Severity.ERROR for p in data.files[headline.file].problems)
    marks = [tr("data.incomplete", lang)] if incomplete else []
    return (
        f"<div class='figure'><div class='label'>{escape(tr(f'metric.{headline.key}', lang))}</div>"
        f"<div class='value'>{'—' if headline.value is None else f'{headline.value:,.0f}'}</div>"
        f"{delta(headline.previous, 'export.vs_previous')}{delta(headline.year_ago, 'metric.vs_year')}"
        f"<div class='source'>{escape(slide.sources[headline.key])}</div>"
        + "".join(f"<div class='mark'>{escape(m)}</div>" for m in marks)
        + "</div>"
    )


def _chart(figure: go.Figure, include_plotlyjs: bool) -> str:
    """An interactive chart with type a little larger than on screen (a copy: slides are cached),
    its legend lower to clear the larger axis titles."""
    bigger = go.Figure(figure).update_layout(font_size=16, title_font_size=22, height=500, legend_y=-0.17)
    html = bigger.to_html(
        full_html=False, include_plotlyjs=include_plotlyjs, config=PLOTLY_CONFIG, default_width="100%"
    )
    return f"<div class='chart'>{html}</div>"


def _map_frame(data: Data, slide: Slide, lang: Lang, township: str | None, height: int) -> str:
    """The slide's map, ``height`` px tall on screen, as a document of its own inside an iframe,
    so Leaflet's globals and styles stay apart from the page's. Not sandboxed: Chromium moves a
    sandboxed frame to a process of its own, where the map is made before the frame has a size."""
    fmap = build_map(data, lang, township, basemaps=None, layers=slide.map_layers, legend_open=legend_opens(height))
    title = escape(tr("export.map", lang, title=slide.title))
    # A document of its own says its language and title, as the page does (WCAG 2.1, 3.1.1, 2.4.2).
    document = (
        inline_vendor(fmap.get_root().render())
        .replace("<html>", f'<html lang="{HTML_LANG[lang]}">', 1)
        .replace("<head>", f"<head>\n<title>{title}</title>", 1)
    )
    return f'<iframe class="map" title="{title}" srcdoc="{escape(document)}"></iframe>'


def inline_vendor(document: str) -> str:
    """``document`` with each script and style of static/vendor/ written out at the top of its
    head, before the map's own styles, which override Leaflet's.

    Raises ValueError if a reference to static/vendor/ remains, so that a map in the report
    never silently depends on files that are not there.
    """
    assets = [_asset(path) for path in _VENDOR_TAG.findall(document)]
    inlined = _VENDOR_TAG.sub("", document).replace("<head>", f"<head>\n{''.join(assets)}", 1)
    if VENDOR_URL in inlined or (assets and assets[0] not in inlined):
        raise ValueError(f"a map asset under {VENDOR_URL} could not be written into the report")
    return inlined


@cache
def _asset(path: str) -> str:
    """A vendor file (``leaflet/leaflet.js``) as an inline script or style block."""
    folder, name = path.split("/", 1)
    file = VENDOR_SOURCES[folder] / name
    text = _SOURCE_MAP.sub("", file.read_text(encoding="utf-8"))
    if file.suffix == ".js":
        return f"<script>{text}</script>"
    return f"<style>{_CSS_URL.sub(lambda m: f'url({_data_uri(file.parent / m[2])})', text)}</style>"


def _data_uri(file: Path) -> str:
    """An image as a data: URI, so that the style needs no file beside it."""
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"
