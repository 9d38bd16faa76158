"""Every chart of the presentation as a PNG, for presenters who paste pictures into their own
slides. Kaleido draws them in Debian's Chromium, which it finds by itself."""

from __future__ import annotations

import threading

import kaleido
import plotly.graph_objects as go

from lib.reports.slides import Slide

WIDTH, HEIGHT = 1200, 600  # layout pixels: a 2:1 picture that fills half a 16:9 slide
# Kaleido's server is one per process: two exports at once would stop it under each other.
_SERVER = threading.Lock()


def chart_names(slides: list[Slide]) -> list[tuple[str, go.Figure]]:
    """Each chart with its file name, ``<slide key>-<n>.png`` counting from 1 in each slide."""
    return [(f"{slide.key}-{n}.png", figure) for slide in slides for n, figure in enumerate(slide.charts, start=1)]


def chart_pngs(slides: list[Slide], scale: float = 2) -> dict[str, bytes]:
    """Every chart of every slide as PNG bytes, by file name, in slide order."""
    named = chart_names(slides)
    if not named:
        return {}
    with _SERVER:
        # One browser for all charts: about 0.3 s a chart instead of 4 s for each.
        # No MathJax: the charts have no formulas, and its default source is a CDN.
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        try:
            return {name: _png(figure, scale) for name, figure in named}
        finally:
            kaleido.stop_sync_server(silence_warnings=True)


def _png(figure: go.Figure, scale: float) -> bytes:
    """One chart with type large enough to read when the picture is shown on a slide (a copy:
    slides are cached)."""
    bigger = go.Figure(figure).update_layout(font_size=18, title_font_size=24, width=WIDTH, height=HEIGHT)
    options = {"format": "png", "width": WIDTH, "height": HEIGHT, "scale": scale}
    return kaleido.calc_fig_sync(bigger.to_dict(), opts=options)
