"""The Streamlit side of the presentation page: full-screen slides, turning them, exporting."""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
import streamlit as st

from lib.app import storage, ui
from lib.contract.catalog import Lang
from lib.contract.i18n import tr
from lib.contract.literal import markdown_literal
from lib.contract.settings import PAGES_DIR
from lib.contract.theme import DARK_GRID, DARK_GROUND, DARK_INK
from lib.drawn import charts, maps
from lib.files.loading import Data
from lib.reports.kiosk import (
    Kiosk,
    KioskSettingError,
    default_seconds,
    kiosk_from,
    lobby_seconds,
    local_zone,
    next_turn,
    status_line,
)
from lib.reports.slides import Slide, build_slides

SLIDE = "slide"
LOBBY_TURN = "lobby-turn"
# Map and charts leave room for the title and headline figures on a 1366x768 projector.
PROJECTOR_HEIGHT = 400
COVER_MAP_HEIGHT = 340
FIGURES_PER_ROW = 4
# The presentation fills the screen: no sidebar, no Streamlit header, larger type. A
# presenter leaves it with the "exit" link.
_FULL_SCREEN = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"] { display: none !important; }
.block-container { padding: 1rem 2.5rem 0.5rem !important; max-width: 100% !important; }
/* Type grows with the screen: body text 28 px on a 1920 px projector, never below 19 px; in
   the large-text mode each half as large again (--text-scale, as the root's size). */
.block-container h1 { font-size: max(2.1rem, calc(2.6vw * var(--text-scale))) !important;
  padding: 0.4rem 0 0.6rem !important; }
.block-container p, .block-container li { font-size: max(1.2rem, calc(1.46vw * var(--text-scale))) !important;
  line-height: 1.5 !important; }
.block-container [data-testid="stMetricValue"] p { font-size: max(2.6rem, calc(3.6vw * var(--text-scale))) !important;
  line-height: 1.15 !important; font-weight: 600; }
.block-container [data-testid="stMetricLabel"] p, .block-container [data-testid="stMetricDelta"] p,
.block-container [data-testid="stCaptionContainer"] p { font-size: max(1.05rem, calc(1.46vw * var(--text-scale))) !important; }
</style>
"""


# The lobby screen: not one control, a dark ground for an LED wall when asked.
_LOBBY = """
<style>
.block-container [data-testid="stButton"], .block-container [data-testid="stPopover"] { display: none !important; }
.block-container { padding-top: 0.4rem !important; }
</style>
"""
_DARK = f"""
<style>
.stApp, [data-testid="stMain"] {{ background: {DARK_GROUND} !important; }}
.block-container h1, .block-container p, .block-container li,
.block-container [data-testid="stMetricValue"] p, .block-container [data-testid="stMetricLabel"] p {{ color: {DARK_INK} !important; }}
.block-container [data-testid="stCaptionContainer"] p {{ color: #C9D3DD !important; }}
.block-container [data-testid="stMetricDelta"] p {{ color: inherit !important; }}
.block-container [data-testid="stMetric"] {{ background: #15263A; border-color: {DARK_GRID} !important; }}
</style>
"""


def full_screen() -> None:
    """Hide everything but the slide."""
    st.html(_FULL_SCREEN)


def lobby_mode() -> Kiosk | None:
    """The lobby-screen mode the address asks for (``?kiosk=1``), or None; a setting that
    cannot be used stops the page saying so."""
    try:
        return kiosk_from(st.query_params.to_dict(), default_seconds())
    except KioskSettingError as error:
        st.error(str(error))
        st.stop()


def lobby(view: ui.View, kiosk: Kiosk) -> None:
    """The slides turning by themselves every ``kiosk.seconds``, from the last to the first,
    with the time and the data's date; changed data shows from the next slide on."""
    st.html(_LOBBY + (_DARK if kiosk.theme == "dark" else ""))
    try:
        zone = local_zone()
    except KioskSettingError as error:
        st.error(str(error))
        st.stop()
    st.fragment(_turning, run_every=kiosk.seconds)(view, kiosk, zone)


def _turning(view: ui.View, kiosk: Kiosk, zone: ZoneInfo) -> None:
    storage.follow()  # the fragment reruns without the page: the database followed here too
    data = ui.load_data()
    deck = slides(view)
    turn = st.session_state[LOBBY_TURN] = next_turn(
        st.session_state.get(LOBBY_TURN), time.time(), kiosk.seconds, len(deck)
    )
    slide = deck[turn.index]
    st.caption(markdown_literal(status_line(datetime.now(zone), data.last_modified, view.lang)))
    show(data, view, slide, dark=kiosk.theme == "dark")


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
    if view.quarter is None:  # no data of any quarter: the page says so before it asks
        return []
    return _slides(*ui.data_version(), view.quarter, view.lang, view.township)


def controls(data: Data, view: ui.View, count: int) -> int:
    """One row above the slide (two in large text): previous and next (also the ← → keys), the
    slide number, the export and the way out; the slide to show."""
    lang = view.lang
    index = min(st.session_state.get(SLIDE, 0), count - 1)
    if view.large_text:  # two rows: in one, the buttons' words would be cut short
        back, position, forward = st.columns([1, 2, 1], vertical_alignment="center")
        export, lobby_screen, leave = st.columns(3, vertical_alignment="center")
    else:
        back, position, forward, export, lobby_screen, leave = st.columns(
            [1, 2, 1, 1, 1.3, 1], vertical_alignment="center"
        )
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
    with export:
        _exports(data, view)
    with lobby_screen:
        _lobby_choice(lang)
    leave.page_link(PAGES_DIR / "overview_page.py", label=tr("present.exit", lang), icon=":material/close:")
    return index


def _turn(index: int) -> None:
    st.session_state[SLIDE] = index


def _lobby_choice(lang: Lang) -> None:
    """The way to the lobby screen, light or dark."""
    seconds = lobby_seconds(None, default_seconds())
    with st.popover(tr("kiosk.start", lang), icon=":material/tv:"):
        st.markdown(tr("kiosk.explain", lang, seconds=seconds))
        for theme, label in (("light", "kiosk.light"), ("dark", "kiosk.dark")):
            st.button(tr(label, lang), key=f"lobby-{theme}", on_click=_to_lobby, args=(theme, seconds))


def _to_lobby(theme: str, seconds: int) -> None:
    st.session_state.pop(LOBBY_TURN, None)  # the first slide first
    st.query_params.update({"kiosk": "1", "every": str(seconds), "theme": theme})


def show(data: Data, view: ui.View, slide: Slide, dark: bool = False) -> None:
    """One slide at the width of the screen; ``dark``: on a dark ground."""
    if slide.is_cover:
        _cover(data, view, slide)
        return
    st.title(slide.title)
    _figures(data, view, slide)
    visuals = [*([None] if slide.has_map else []), *slide.charts]
    text, *shown = st.columns([2, *([3] * min(len(visuals), 2))]) if visuals else (st.container(),)
    with text:
        for sentence in slide.summary:
            st.markdown(f"- {markdown_literal(sentence)}")
        ui.for_screen_readers([_in_words(data, view, slide, visual) for visual in visuals[: len(shown)]])
    for column, visual in zip(shown, visuals, strict=False):
        with column:
            if visual is None:
                _map(data, view, slide)
            else:
                # In large text as tall as ever: a slide fits the screen.
                chart = charts.enlarged(visual, view.text_scale).update_layout(height=visual.layout.height)
                ui.plot(on_dark(chart) if dark else chart, own_colours=dark)
    if slide.footnote:
        st.caption(markdown_literal(slide.footnote))


def _cover(data: Data, view: ui.View, slide: Slide) -> None:
    """The opening slide: the meeting and what it covers beside the map of the area, the key
    figures beneath."""
    words, area = st.columns(2, vertical_alignment="center")
    with words:
        st.title(slide.title)
        for sentence in slide.summary:
            st.markdown(markdown_literal(sentence))
        ui.for_screen_readers([_in_words(data, view, slide, None)])
    with area:
        _map(data, view, slide, height=COVER_MAP_HEIGHT)
    _figures(data, view, slide)


def _in_words(data: Data, view: ui.View, slide: Slide, visual: go.Figure | None) -> str:
    """What a chart of the slide shows in a sentence, or its map (``None``)."""
    if visual is None:
        return tr("words.list_separator", view.lang).join(maps.in_words(data, view.lang, slide.map_layers))
    return charts.in_words(visual, view.lang)


def _figures(data: Data, view: ui.View, slide: Slide) -> None:
    """The slide's headline figures, four to a row."""
    for start in range(0, len(slide.headlines), FIGURES_PER_ROW):
        row = slide.headlines[start : start + FIGURES_PER_ROW]
        for column, headline in zip(st.columns(FIGURES_PER_ROW), row, strict=False):
            with column:
                # The slide's charts show the trend; a sparkline would only crowd the screen.
                ui.metric(data, view, headline, trend=False)


def _map(data: Data, view: ui.View, slide: Slide, height: int = PROJECTOR_HEIGHT) -> None:
    ui.show_map(
        data, view, height=height, layers=slide.map_layers, key=f"map-{slide.key}", place=None, in_words_beneath=False
    )


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


def on_dark(figure: go.Figure) -> go.Figure:
    """A projector chart in light ink on a dark ground, its series in their own colours."""
    return (
        go.Figure(figure)
        .update_layout(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", font_color=DARK_INK)
        # Without Streamlit's theme the axes make room for their own labels.
        .update_xaxes(gridcolor=DARK_GRID, linecolor=DARK_GRID, color=DARK_INK, automargin=True)
        .update_yaxes(gridcolor=DARK_GRID, linecolor=DARK_GRID, color=DARK_INK, automargin=True)
    )


def _exports(data: Data, view: ui.View) -> None:
    """Make the report as PowerPoint, HTML, Word and chart pictures, with a progress bar."""
    with st.popover(tr("present.export_short", view.lang), icon=":material/download:"):
        st.markdown(tr("present.export", view.lang))
        if not st.button(tr("present.make_exports", view.lang), key="make-exports"):
            return
        from lib.reports.exports import export_all  # the exporters start a browser: loaded only when asked
        from lib.reports.map_picture import NoChineseFont

        bar = st.progress(0.0)

        def progress(share: float, what: str) -> None:
            bar.progress(min(share, 1.0), text=what)

        quarter = view.quarter
        if quarter is None:  # the page asks for data of a quarter before the slides
            return
        with tempfile.TemporaryDirectory(prefix="wanfeng-export-") as folder:
            try:
                written = export_all(
                    data,
                    quarter,
                    view.lang,
                    view.township,
                    Path(folder),
                    progress=progress,
                )
            except NoChineseFont as error:  # never a deck of boxes: say so
                st.error(str(error))
                return
            downloads = {path.name: path.read_bytes() for path in written}
        bar.empty()
        for name, content in downloads.items():
            # "ignore": a download must not rerun the page and take the other files away.
            st.download_button(name, content, name, key=f"export:{name}", on_click="ignore", icon=":material/download:")
