"""The Streamlit side: cached data and map, the shared view, and the blocks pages are made of.

Everything here draws or caches; what it draws is computed by the pure modules of ``lib``.
"""

from __future__ import annotations

import copy
import hashlib
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.logger import get_logger
from streamlit_folium import st_folium

from lib.contract.catalog import DATASETS, LANGS, MEASURES, REPORT_CITATION, VOCABULARIES, Lang, code_label
from lib.contract.i18n import tr
from lib.contract.literal import markdown_literal
from lib.contract.quarters import quarter_label
from lib.contract.settings import data_dir
from lib.contract.theme import FOCUS_COLOUR, LARGE_TEXT, PLOTLY_CONFIG
from lib.drawn.basemaps import load_basemaps
from lib.drawn.charts import as_table, chosen, enlarged, title_of
from lib.drawn.frames import labelled, select
from lib.drawn.headlines import (
    Headline,
    change,
    default_quarter,
    headline_figures,
    missing_for,
    quarters,
    sum_provenance,
)
from lib.drawn.maps import build_map, in_words, legend_opens, selection
from lib.drawn.offline import MAP_LIFETIME_S, publish, published_once
from lib.drawn.search import Place, places, search, township_at
from lib.files.loading import Data, load_all, signature
from lib.files.problems import Severity
from lib.reports.kiosk import PARAMS as KIOSK_PARAMS

ALL = "all"
LARGE = "large"  # ?text=large: the large-text mode, kept in the link
EDITOR = "editor"
INDUSTRY = "industry"
# Where the search box last asked the map to fly; used once, then forgotten.
FOCUS = "map-focus"
# Maps of the dashboard's pages share one remembered view and set of layers switched off.
DASHBOARD_PLACE = "dashboard"
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
# One line each time the data is read or a map built: that is once per data change for every
# session together, and scripts/measuring/load_test.py counts these lines to show it.
LOG = get_logger("wanfeng")


@dataclass(frozen=True)
class View:
    """What every page shows: the language, the quarter, the township (None: all three), and
    whether in large text."""

    lang: Lang
    quarter: str | None
    township: str | None
    large_text: bool = False

    @property
    def text_scale(self) -> float:
        """How many times its size every text is drawn."""
        return LARGE_TEXT if self.large_text else 1.0


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(folder: str, version: tuple) -> Data:
    # ``version`` (the files' names, times and sizes) is part of the cache key: an edit on
    # disk is read at the next interaction, without a restart. One copy for every session,
    # not one unpickled per call (a county's grids take a tenth of a second): never changed
    # in place, every page selects into new frames.
    started = time.perf_counter()
    data = load_all(Path(folder))
    LOG.info("loaded data from %s (version %s) in %.2f s", folder, _short(version), time.perf_counter() - started)
    return data


def _short(version: tuple) -> str:
    """A short digest of a data version, to tell versions apart in the log."""
    return hashlib.sha1(repr(version).encode()).hexdigest()[:8]


def data_version() -> tuple[str, tuple]:
    """The data folder and the signature of its files: the key of everything cached."""
    folder = data_dir()
    return str(folder), signature(folder)


def load_data() -> Data:
    """Every data file, read again only when one has changed on disk."""
    return _load(*data_version())


@st.cache_resource(show_spinner=False, max_entries=64, ttl=MAP_LIFETIME_S)
def _map(
    folder: str,
    version: tuple,
    lang: Lang,
    layers: tuple[str, ...] | None,
    reveal: bool,
    place: str | None,
    legend_open: bool,
    text_scale: float = 1.0,
) -> folium.Map:
    started = time.perf_counter()
    data = _load(folder, version)
    built = build_map(
        data,
        lang,
        basemaps=load_basemaps(),
        layers=layers,
        reveal_personal=reveal,
        publish=publish,
        place=place,
        legend_open=legend_open,
        remember=published_once,
        text_scale=text_scale,
    )
    # Rendered here once for every session (show_map tells st_folium not to): a third of the
    # map's time on each page otherwise.
    built.get_root().render()
    seconds = time.perf_counter() - started
    LOG.info(
        "built map %s (version %s) in %.2f s",
        (lang, layers, reveal, place, legend_open, text_scale),
        _short(version),
        seconds,
    )
    return built


@st.cache_data(show_spinner=False, max_entries=4)
def _places(folder: str, version: tuple) -> list[Place]:
    return places(_load(folder, version))


def shared_controls(data: Data) -> View:
    """The sidebar controls every page follows, kept in the URL so a copied link opens the same view."""
    params = st.query_params
    available = quarters(data)
    townships = [ALL, *VOCABULARIES["township"]]
    if "lang" not in st.session_state:
        st.session_state.lang = params.get("lang") if params.get("lang") in LANGS else "zh"
    if "quarter" not in st.session_state or st.session_state.quarter not in available:
        wanted = params.get("quarter")
        st.session_state.quarter = wanted if wanted in available else default_quarter(data)
    if "township" not in st.session_state:
        st.session_state.township = params.get("township") if params.get("township") in townships else ALL
    if "large_text" not in st.session_state:
        st.session_state.large_text = params.get("text") == LARGE

    lang: Lang = st.session_state.lang
    with st.sidebar:
        st.radio(tr("control.language", lang), LANGS, key="lang", horizontal=True, format_func=LANGUAGE_NAMES.get)
        lang = st.session_state.lang
        st.selectbox(
            tr("control.quarter", lang),
            available[::-1],
            key="quarter",
            format_func=lambda q: quarter_choice(data, q, lang),
        )
        st.selectbox(
            tr("control.township", lang),
            townships,
            key="township",
            format_func=lambda t: tr("control.all_townships", lang) if t == ALL else code_label("township", t, lang),
        )
        st.toggle(tr("control.large_text", lang), key="large_text", help=tr("control.large_text_help", lang))
    view = current_view()
    # The lobby screen's words stay in the link (and on a reload) beside the view's.
    kept = {name: params[name] for name in KIOSK_PARAMS if name in params}
    st.query_params.from_dict(
        {
            "lang": view.lang,
            "quarter": view.quarter or "",
            "township": view.township or ALL,
            **({"text": LARGE} if view.large_text else {}),
            **kept,
        }
    )
    return view


def current_view() -> View:
    """The view chosen with the shared controls."""
    township = st.session_state.get("township", ALL)
    return View(
        st.session_state.get("lang", "zh"),
        st.session_state.get("quarter"),
        None if township == ALL else township,
        bool(st.session_state.get("large_text", False)),
    )


def quarter_choice(data: Data, quarter: str, lang: Lang) -> str:
    """A quarter as the sidebar offers it, marked where its figures are still being filled in."""
    label = quarter_label(quarter, lang)
    return f"{label} · {tr('data.quarter_incomplete_short', lang)}" if missing_for(data, quarter) else label


def incomplete_notice(data: Data, view: View) -> None:
    """A warning when the chosen quarter is still being filled in, naming what it lacks."""
    if view.quarter and (missing := missing_for(data, view.quarter)):
        files = "、".join(DATASETS[key].title(view.lang) for key in missing)
        st.warning(
            tr("data.quarter_incomplete", view.lang, quarter=quarter_label(view.quarter, view.lang), files=files),
            icon=":material/hourglass_top:",
        )


def require_quarter(view: View) -> None:
    """Stop a page that shows one quarter when the data has none, saying so."""
    if view.quarter is None:
        st.info(tr("data.no_quarters", view.lang))
        st.stop()


def problems_notice(data: Data, lang: Lang) -> None:
    """A notice of every problem in the data files, each naming file, row, field and value."""
    problems = data.problems
    if not problems:
        return
    errors = any(p.severity == Severity.ERROR for p in problems)
    with st.expander(
        tr("data.problems_title", lang, n=len(problems)),
        expanded=False,
        icon=":material/warning:" if errors else ":material/info:",
    ):
        for problem in problems:
            st.text(problem.message(lang))


# Less room above the page title than Streamlit leaves, so that a projector's 768 lines hold
# the overview's figures and map; the header's menu stays at the right, above nothing. Where
# the keyboard is, seen on every control.
_FRAME_STYLE = f"""<style>
.block-container {{ padding-top: 2.75rem !important; }}
:focus-visible {{ outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px; }}
:root {{ --text-scale: 1; }}
.sr-only {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }}
[data-testid="stElementContainer"]:has(.sr-only) {{ position: absolute; }}  /* and takes no room */
</style>"""
# Streamlit sizes its text in rem from the root's font size: the large-text mode sets it, as a
# share of the browser's own (a reader's larger default is kept). Its margins, sized the same
# way, stay as they were; a figure's label wraps rather than losing its end ("含示例数据"). On
# a phone a page's title grows less: "Governance" half as large again is wider than the screen.
_LARGE_TEXT_STYLE = """<style>
:root {{ font-size: {scale:.0%} !important; --text-scale: {scale:g}; }}
.block-container {{ padding-left: 2rem !important; padding-right: 2rem !important; }}
@media (max-width: 640px) {{
  .block-container {{ padding-left: 1rem !important; padding-right: 1rem !important; }}
  .block-container h1 {{ font-size: min(2.75rem, 14.5vw) !important; }}
}}
[data-testid="stMetricLabel"] *, [data-testid^="stMetricDelta"] * {{ white-space: normal !important; overflow: visible !important; }}
</style>"""


def frame_style(view: View) -> None:
    """The page frame's own style, for every page, in the view's text size."""
    st.html(_FRAME_STYLE + (_LARGE_TEXT_STYLE.format(scale=view.text_scale) if view.large_text else ""))


def page_title(key: str, view: View, data: Data) -> None:
    """The page heading, with the selected quarter and township."""
    township = (
        code_label("township", view.township, view.lang) if view.township else tr("control.all_townships", view.lang)
    )
    quarter = quarter_label(view.quarter, view.lang) if view.quarter else ""
    st.title(tr(key, view.lang))
    st.caption(f"{tr('app.title', view.lang)} · {quarter} · {township}")
    incomplete_notice(data, view)


def honesty_note(lang: Lang) -> None:
    """Which figures are reported and which are illustrative."""
    st.caption(tr("data.honesty", lang, citation=REPORT_CITATION(lang)))


def report_facts(data: Data, view: View, topics: tuple[str, ...] | None = None) -> None:
    """What the report states on ``topics`` (all when None), each in its words, under its citation."""
    facts = data.frame("report_facts")
    if facts is None or facts.empty:
        return
    if topics is not None:
        facts = facts[facts["topic"].isin(topics)]
    with st.expander(tr("facts.title", view.lang, citation=REPORT_CITATION(view.lang)), icon=":material/article:"):
        for fact in facts.to_dict("records"):
            st.markdown(f"- {markdown_literal(fact[f'text_{view.lang}'])}")


def coverage(data: Data, view: View) -> None:
    """Which quarters the data covers and when its files last changed."""
    available = quarters(data)
    if not available:
        st.info(tr("data.no_quarters", view.lang))
        return
    modified = data.last_modified.strftime("%Y-%m-%d %H:%M") if data.last_modified else "—"
    st.markdown(
        tr(
            "data.coverage",
            view.lang,
            first=quarter_label(available[0], view.lang),
            last=quarter_label(available[-1], view.lang),
            modified=modified,
        )
    )


def headline_metrics(data: Data, view: View, per_row: int = 3, compact: bool = False) -> None:
    """The headline figures of the quarter with their change on the previous quarter and year,
    ``per_row`` to a row; ``compact``: without their trends and frames, to fit beside a map."""
    if view.quarter is None:
        return
    headlines = _headlines(*data_version(), view.quarter, view.township)
    for start in range(0, len(headlines), per_row):
        for column, headline in zip(st.columns(per_row), headlines[start : start + per_row], strict=False):
            with column:
                metric(data, view, headline, trend=not compact, border=not compact)


@st.cache_resource(show_spinner=False, max_entries=64)
def _headlines(folder: str, version: tuple, quarter: str, township: str | None) -> list[Headline]:
    # Shared by every session, like the data they are counted from; a Headline is frozen.
    return headline_figures(_load(folder, version), quarter, township)


def metric(data: Data, view: View, headline: Headline, trend: bool = True, border: bool = True) -> None:
    """One headline figure: its value and (unless ``trend`` is off) its trend, its changes, and
    whether it is illustrative or incomplete; in a frame unless ``border`` is off."""
    label = tr(f"metric.{headline.key}", view.lang)
    quarter = view.quarter
    told = (
        sum_provenance(data, headline.key, quarter, view.township, view.lang)
        if quarter and headline.key in MEASURES
        else None
    )
    if told and told.reported:
        label += f" · {told.mark} {tr('source.reported', view.lang)}"
    elif headline.illustrative:
        label += f" · {tr('source.mixed', view.lang)}"
    if any(p.severity == Severity.ERROR for p in data.files[headline.file].problems):
        label = f":material/warning: {label} · {tr('data.incomplete', view.lang)}"
    quarterly, yearly = change(headline.value, headline.previous), change(headline.value, headline.year_ago)
    st.metric(
        label,
        "—" if headline.value is None else (told.wording if told and told.wording else f"{headline.value:,.0f}"),
        delta=None if quarterly is None else f"{quarterly:+.1%}",
        delta_description=tr("metric.vs_previous", view.lang),
        delta_color="normal" if quarterly else "off",
        delta_arrow="auto" if quarterly else "off",
        chart_data=list(headline.trend) if trend else None,
        chart_type="bar" if headline.key in MEASURES else "line",
        border=border,
    )
    st.caption(
        (
            tr("metric.vs_year", view.lang, delta=f"{yearly:+.1%}")
            if yearly is not None
            else tr("metric.no_comparison", view.lang)
        )
        + (f" · {told.note}" if told and told.note else "")
    )


def frame(data: Data, key: str, view: View, through_quarter: bool = True) -> pd.DataFrame | None:
    """Rows of a file for the selected township (and up to the quarter), or None with a notice."""
    found = data.frame(key)
    if found is None:
        st.info(tr("data.file_unavailable", view.lang, file=DATASETS[key].path))
        return None
    return select(found, view.township, view.quarter if through_quarter else None)


def show_map(
    data: Data,
    view: View,
    height: int = 560,
    layers: tuple[str, ...] | None = None,
    key: str = "map",
    place: str | None = DASHBOARD_PLACE,
    industry: str | None = None,
    in_words_beneath: bool = True,
) -> None:
    """The map, built once per data change, with the view's township and quarter (and an
    industry) highlighted; a click on a township selects it, outside the three selects all.
    What it shows in words one click beneath it, unless the screen has no room."""
    built = _map(
        *data_version(),
        view.lang,
        layers,
        signed_in_editor() is not None,
        place,
        legend_opens(height, view.text_scale),
        view.text_scale,
    )
    highlight = selection(
        view.township, st.session_state.get(INDUSTRY), view.quarter, st.session_state.pop(FOCUS, None)
    )
    # st_folium adds to the map it is given: it gets a copy, so the cached map stays intact.
    st_folium(
        copy.deepcopy(built),
        height=height,
        use_container_width=True,
        returned_objects=["last_clicked"],
        feature_group_to_add=highlight,
        render=False,
        key=key,
        on_change=partial(_map_clicked, key),
    )
    if in_words_beneath:
        with st.expander(tr("map.as_text", view.lang), icon=":material/notes:"):
            st.markdown("\n".join(f"- {markdown_literal(line)}" for line in in_words(data, view.lang, layers)))
    if view.township:
        st.button(
            tr("map.show_all", view.lang),
            icon=":material/zoom_out_map:",
            key=f"{key}-all",
            on_click=_select,
            args=(ALL,),
        )


def _map_clicked(key: str) -> None:
    clicked = (st.session_state.get(key) or {}).get("last_clicked")
    if clicked:
        _select(township_at(load_data(), clicked["lng"], clicked["lat"]) or ALL)


def _select(township: str) -> None:
    st.session_state.township = township


def map_search(view: View) -> None:
    """A search box for any named feature, in either language; a found one is flown to."""
    query = st.text_input(
        tr("map.search", view.lang),
        key="map-search",
        placeholder=tr("map.search_hint", view.lang),
        icon=":material/search:",
    )
    if not query:
        return
    found = search(_places(*data_version()), query)
    if not found:
        st.caption(tr("map.search_none", view.lang))
        return
    columns = st.columns(min(len(found), 4))
    for index, place in enumerate(found):
        columns[index % len(columns)].button(
            markdown_literal(place.name(view.lang)),
            key=f"found:{place.layer}:{place.id}",
            on_click=_fly_to,
            args=(place,),
        )


def _fly_to(place: Place) -> None:
    st.session_state[FOCUS] = place


def chart(build: Callable[..., go.Figure], *args: object, key: str | None = None) -> None:
    """The Plotly chart ``build(*args)`` at the width of its column, built once for every
    session showing the same rows. With a ``key``, selecting its bars selects their industry
    (and township) for the page and its map."""
    view = current_view()
    figure = _figure(build, f"{build.__module__}.{build.__qualname__}", view.text_scale, *args)
    plot(figure, key=key)
    figures_table(figure, view.lang)


def for_screen_readers(lines: list[str]) -> None:
    """Text that screen readers read out and the screen does not show: what the charts and
    the map of a slide, which has no room for their tables, show."""
    if not lines:  # not even an empty element: a block holding one takes room of its own
        return
    st.html("<div class='sr-only'>" + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</div>")


def figures_table(figure: go.Figure, lang: Lang) -> None:
    """The chart's figures as a table, one click away: its text alternative."""
    with st.expander(tr("chart.as_table", lang, title=title_of(figure)), icon=":material/table:"):
        st.table(as_table(figure))


def _rows_digest(frame: pd.DataFrame) -> bytes:
    """A digest of a frame's columns, types and values (a layer's shapes as WKB): several
    times quicker than Streamlit's own hashing of text columns."""
    if isinstance(frame, gpd.GeoDataFrame):
        frame = pd.DataFrame(frame.to_wkb())
    content = (list(frame.columns), [str(t) for t in frame.dtypes], frame.index.tolist(), frame.to_numpy().tolist())
    return hashlib.blake2b(pickle.dumps(content)).digest()


@st.cache_resource(
    show_spinner=False, max_entries=256, hash_funcs={pd.DataFrame: _rows_digest, gpd.GeoDataFrame: _rows_digest}
)
def _figure(_build: Callable[..., go.Figure], name: str, text_scale: float, *args: object) -> go.Figure:
    # The builder is known by its name, and the rows themselves are part of the key, so an edit
    # makes new figures. Building one is a tenth of a second of pandas and Plotly checks, most
    # of a page's time under load; the one copy is shared and never changed in place.
    return enlarged(_build(*args), text_scale)


def plot(figure: go.Figure, key: str | None = None, own_colours: bool = False) -> None:
    """A figure that is already built (and shared: never changed here) as a Plotly chart;
    ``own_colours``: drawn in the figure's colours, not the light theme's (a dark screen)."""
    if key is None:
        st.plotly_chart(figure, width="stretch", config=PLOTLY_CONFIG, theme=None if own_colours else "streamlit")
        return
    st.plotly_chart(
        figure,
        width="stretch",
        config=PLOTLY_CONFIG,
        key=key,
        on_select=partial(_chart_selected, key),
        selection_mode=("points", "box"),
    )


def _chart_selected(key: str) -> None:
    codes = chosen(st.session_state[key].selection.points)
    if "industry" in codes:
        st.session_state[INDUSTRY] = codes["industry"]
    if "township_id" in codes:
        st.session_state.township = codes["township_id"]


def industry_choice(view: View) -> str | None:
    """The page's industry, chosen here or by selecting bars of its charts; None for all."""
    options = [ALL, *VOCABULARIES["industry"]]
    if st.session_state.get(INDUSTRY) not in options:
        st.session_state[INDUSTRY] = ALL
    st.segmented_control(
        tr("control.industry", view.lang),
        options,
        key=INDUSTRY,
        format_func=lambda c: (
            tr("control.all_industries", view.lang) if c == ALL else code_label("industry", c, view.lang)
        ),
    )
    chosen_industry = st.session_state.get(INDUSTRY)
    return None if chosen_industry in (ALL, None) else chosen_industry


def table(key: str, rows: pd.DataFrame, view: View, columns: list[str]) -> None:
    """Rows of a data file as a table with labelled values and headers."""
    shown = labelled(DATASETS[key], rows, view.lang, columns, reveal_personal=signed_in_editor() is not None)
    st.dataframe(shown, hide_index=True, width="stretch")


def signed_in_editor() -> str | None:
    """The editor signed in on the data page, or None for a viewer."""
    return st.session_state.get(EDITOR)
