"""The Streamlit side of the presentation page: full-screen slides, turning them, exporting."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from lib import ui
from lib.catalog import Lang
from lib.i18n import tr
from lib.literal import markdown_literal
from lib.loading import Data
from lib.slides import Slide, build_slides

SLIDE = "slide"
# Map and charts leave room for the title and headline figures on a 1366x768 projector.
PROJECTOR_HEIGHT = 400
# The presentation fills the screen: no sidebar, no Streamlit header, larger type. A
# presenter leaves it with the "exit" link.
_FULL_SCREEN = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"] { display: none !important; }
.block-container { padding: 1.2rem 2.5rem 1rem !important; max-width: 100% !important; }
.block-container h1 { font-size: 2.6rem !important; }
.block-container p, .block-container li { font-size: 1.45rem !important; line-height: 1.55 !important; }
.block-container [data-testid="stMetricValue"] p { font-size: 3rem !important; line-height: 1.15 !important; font-weight: 600; }
.block-container [data-testid="stMetricLabel"] p, .block-container [data-testid="stMetricDelta"] p,
.block-container [data-testid="stCaptionContainer"] p { font-size: 1.2rem !important; }
@media (max-width: 1400px) {
  .block-container p, .block-container li { font-size: 1.2rem !important; }
  .block-container h1 { font-size: 2.1rem !important; }
}
</style>
"""


def full_screen() -> None:
    """Hide everything but the slide."""
    st.html(_FULL_SCREEN)


@st.cache_resource(show_spinner=False, max_entries=16)
def _slides(folder: str, version: tuple, quarter: str, lang: Lang, township: str | None) -> list[Slide]:
    # folder and version key the cache: the slides are rebuilt when the data changes. One copy
    # for every session (a copy each would rebuild every chart): nothing changes it in place.
    return [
        replace(slide, charts=[for_projector(chart) for chart in slide.charts])
        for slide in build_slides(ui.load_data(), quarter, lang, township)
    ]


def slides(view: ui.View) -> list[Slide]:
    """The quarter's slides with charts made for the projector, built once per data change
    and view."""
    return _slides(*ui.data_version(), view.quarter, view.lang, view.township)


def navigator(count: int, lang: Lang) -> int:
    """Previous and next buttons (also the ← → keys) and the slide number; the slide to show."""
    index = min(st.session_state.get(SLIDE, 0), count - 1)
    back, position, forward, leave = st.columns([1, 2, 1, 1], vertical_alignment="center")
    # Callbacks turn the slide before the page is drawn, so both buttons know where they are.
    back.button(
        f"← {tr('slides.previous', lang)}",
        shortcut="left",
        disabled=index == 0,
        key="slide-back",
        on_click=_turn,
        args=(index - 1,),
    )
    forward.button(
        f"{tr('slides.next', lang)} →",
        shortcut="right",
        disabled=index >= count - 1,
        key="slide-forward",
        on_click=_turn,
        args=(index + 1,),
    )
    position.markdown(f"**{tr('slides.position', lang, n=index + 1, total=count)}** · {tr('slides.keys', lang)}")
    leave.page_link(ui.PAGES_DIR / "overview_page.py", label=tr("present.exit", lang), icon=":material/close:")
    return index


def _turn(index: int) -> None:
    st.session_state[SLIDE] = index


def show(data: Data, view: ui.View, slide: Slide) -> None:
    """One slide at the width of the screen."""
    st.title(slide.title)
    if slide.headlines:
        for column, headline in zip(st.columns(len(slide.headlines)), slide.headlines, strict=True):
            with column:
                # The slide's charts show the trend; a sparkline would only crowd the screen.
                ui.metric(data, view, headline, trend=False)
    visuals = [*([None] if slide.has_map else []), *slide.charts]
    text, *shown = st.columns([2, *([3] * min(len(visuals), 2))]) if visuals else (st.container(),)
    with text:
        for sentence in slide.summary:
            st.markdown(f"- {markdown_literal(sentence)}")
    for column, visual in zip(shown, visuals, strict=False):
        with column:
            if visual is None:
                ui.show_map(
                    data, view, height=PROJECTOR_HEIGHT, layers=slide.map_layers, key=f"map-{slide.key}", place=None
                )
            else:
                ui.plot(visual)


def for_projector(figure: go.Figure) -> go.Figure:
    """A chart with type large enough for the back of a meeting room."""
    # Streamlit's chart theme sets tick and legend sizes of its own: each is set here.
    return (
        go.Figure(figure)
        .update_layout(
            font_size=18,
            title_font_size=24,
            height=PROJECTOR_HEIGHT,
            # Lower than on the dashboard, clear of the tilted quarter labels.
            legend={"font_size": 18, "y": -0.35},
        )
        .update_xaxes(tickfont_size=16, title_font_size=18)
        .update_xaxes(tickangle=-45, selector={"type": "category"})
        .update_yaxes(tickfont_size=16, title_font_size=18)
    )


def exports(data: Data, view: ui.View) -> None:
    """Make the report as PowerPoint, HTML, Word and chart pictures, with a progress bar."""
    with st.expander(tr("present.export", view.lang), icon=":material/download:"):
        if not st.button(tr("present.make_exports", view.lang), key="make-exports"):
            return
        from lib.exports import export_all  # the exporters start a browser: loaded only when asked
        from lib.map_image import NoChineseFont

        bar = st.progress(0.0)
        with tempfile.TemporaryDirectory(prefix="wanfeng-export-") as folder:
            try:
                written = export_all(
                    data,
                    view.quarter,
                    view.lang,
                    view.township,
                    Path(folder),
                    progress=lambda share, what: bar.progress(min(share, 1.0), text=what),
                )
            except NoChineseFont as error:  # never a deck of boxes: say so
                st.error(str(error))
                return
            downloads = {path.name: path.read_bytes() for path in written}
        bar.empty()
        for name, content in downloads.items():
            # "ignore": a download must not rerun the page and take the other files away.
            st.download_button(name, content, name, key=f"export:{name}", on_click="ignore", icon=":material/download:")
