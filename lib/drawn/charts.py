"""Plotly figures of the dashboard: pure functions from frames to figures.

Plotly reads a few HTML tags in names and hover text, so text from the data goes through
``plotly_text`` first.
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap
from html import escape, unescape

import pandas as pd
import plotly.graph_objects as go

from lib.contract.catalog import DATASETS, MEASURES, VOCABULARIES, Lang, code_colour, code_label
from lib.contract.i18n import tr
from lib.contract.quarters import quarter_label
from lib.contract.theme import CHART_FONT, GRID_COLOUR, SERIES_COLOURS
from lib.drawn.provenance import Provenance, of_sum


def plotly_text(text: str) -> str:
    """Text from the data as Plotly shows it, letter for letter: ``<`` would open a tag (Plotly
    draws ``<a href>``, ``<b>``, ``<br>`` and more) and ``&`` an entity."""
    # Quotes stay as they are: Plotly decodes &lt; &gt; &amp; but would show &quot; as written.
    return escape(text, quote=False)


def wrapped_text(text: str, width: int = 24) -> str:
    """``plotly_text`` in lines of at most ``width`` letters, broken between words: a long name
    beside a bar in a narrow column."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    # Only spaces become breaks, so the names read the same in one line (the deck's charts).
    return "<br>".join(plotly_text(line) for line in lines) if " ".join(lines) == text else plotly_text(text)


def is_empty(figure: go.Figure) -> bool:
    """Whether no trace of ``figure`` has a single value to draw."""
    for trace in figure.data:
        values = [v for axis in ("x", "y") if getattr(trace, axis, None) is not None for v in getattr(trace, axis)]
        if any(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in values):
            return False
    return True


def _layout(figure: go.Figure, title: str, lang: Lang) -> go.Figure:
    if is_empty(figure):
        # Said in words, not an empty frame with a meaningless 0-4 axis.
        figure.update_xaxes(visible=False).update_yaxes(visible=False)
        figure.add_annotation(
            text=tr("chart.no_data", lang),
            showarrow=False,
            font={"size": 16, "color": "#555555"},
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
        )
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        font={"family": CHART_FONT, "size": 14},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        height=380,
    )
    figure.update_yaxes(gridcolor=GRID_COLOUR, rangemode="tozero")
    return figure


def _by_quarter(figure: go.Figure) -> go.Figure:
    # The labels tilt where the chart is too narrow for them side by side (tickangle "auto").
    return figure.update_xaxes(type="category", tickangle=None, categoryorder="category ascending")


def by_quarter(frame: pd.DataFrame, measure: str, lang: Lang) -> go.Figure:
    """Bars of a measure (``output``, ``jobs``) per quarter, stacked by industry; ★ on a bar
    whose value is itself reported, and a hover note naming a reported part of any other."""
    kept = MEASURES[measure]
    file, value = kept.dataset, kept.column
    figure = go.Figure()
    quarters = sorted(frame["quarter"].unique())
    for code in VOCABULARIES["industry"]:
        rows = frame[frame["industry"] == code]
        if rows.empty:
            continue
        totals = rows.groupby("quarter")[value].sum().reindex(quarters)
        marks = [_provenance(file, rows[rows["quarter"] == q], value, lang) for q in quarters]
        _bars(figure, code_label("industry", code, lang), code_colour("industry", code), marks,
              x=totals.index, y=totals, customdata=[[f"industry={code}"]] * len(totals), hover="%{x}<br>%{fullData.name}: %{y:,.0f}")  # fmt: skip
    figure.update_layout(barmode="stack")
    figure.update_yaxes(title_text=tr(kept.axis, lang))
    return _layout(_by_quarter(figure), tr(kept.by_quarter, lang), lang)


def by_township(frame: pd.DataFrame, measure: str, quarter: str, lang: Lang) -> go.Figure:
    """Bars of a measure per township in one quarter, stacked by industry; ★ as ``by_quarter``."""
    kept = MEASURES[measure]
    file, value = kept.dataset, kept.column
    current = frame[frame["quarter"] == quarter]
    figure = go.Figure()
    townships = [t for t in VOCABULARIES["township"] if t in set(current["township_id"])]
    for industry in VOCABULARIES["industry"]:
        rows = current[current["industry"] == industry]
        cells = [rows[rows["township_id"] == t] for t in townships]
        marks = [_provenance(file, cell, value, lang) for cell in cells]
        _bars(figure, code_label("industry", industry, lang), code_colour("industry", industry), marks,
              y=[code_label("township", t, lang) for t in townships], x=[cell[value].sum(min_count=1) for cell in cells],
              orientation="h", customdata=[[f"township_id={t}", f"industry={industry}"] for t in townships],
              hover="%{y}<br>%{fullData.name}: %{x:,.0f}")  # fmt: skip
    figure.update_layout(barmode="stack")
    figure.update_xaxes(title_text=tr(kept.axis, lang), rangemode="tozero", gridcolor=GRID_COLOUR)
    return _layout(figure, tr(kept.by_township, lang, quarter=quarter_label(quarter, lang)), lang)


def _provenance(file: str, rows: pd.DataFrame, value: str, lang: Lang) -> Provenance:
    return of_sum(DATASETS[file], rows, value, lang)


def _bars(figure: go.Figure, name: str, colour: str, marks: list[Provenance], hover: str, **bars: object) -> None:
    """One stacked series: its reported values starred, every note in its hover."""
    figure.add_bar(
        name=name,
        marker_color=colour,
        text=[mark.mark for mark in marks],
        textposition="inside",
        hovertext=[plotly_text(mark.note) for mark in marks],
        hovertemplate=[
            f"{hover}<br>%{{hovertext}}<extra></extra>" if m.note else f"{hover}<extra></extra>" for m in marks
        ],
        **bars,
    )


def lines_by(
    frame: pd.DataFrame, value: str, by: str, names: dict[str, str], lang: Lang, title_key: str, axis_key: str
) -> go.Figure:
    """One line of ``value`` per quarter for each group of ``by``, named by ``names``."""
    figure = go.Figure()
    colours = dict(zip(sorted(names), itertools.cycle(SERIES_COLOURS), strict=False))
    for group, rows in frame.groupby(by, sort=True):
        rows = rows.sort_values("quarter")
        figure.add_scatter(
            name=plotly_text(names.get(group, str(group))),
            x=rows["quarter"],
            y=rows[value],
            mode="lines+markers",
            line_color=colours.get(group, SERIES_COLOURS[-1]),
            hovertemplate="%{x}<br>%{fullData.name}: %{y:,.0f}<extra></extra>",
        )
    figure.update_yaxes(title_text=tr(axis_key, lang))
    return _layout(_by_quarter(figure), tr(title_key, lang), lang)


def mediation(frame: pd.DataFrame, lang: Lang) -> go.Figure:
    """Disputes received and resolved per quarter."""
    totals = frame.groupby("quarter")[["cases_received", "cases_resolved"]].sum().sort_index()
    x = totals.index
    figure = go.Figure()
    figure.add_bar(name=tr("chart.received", lang), x=x, y=totals["cases_received"], marker_color="#7B3294")
    figure.add_bar(name=tr("chart.resolved", lang), x=x, y=totals["cases_resolved"], marker_color="#009E73")
    figure.update_layout(barmode="group")
    figure.update_yaxes(title_text=tr("chart.cases", lang))
    return _layout(_by_quarter(figure), tr("chart.mediation_by_quarter", lang), lang)


def school_attendance(frame: pd.DataFrame, lang: Lang) -> go.Figure:
    """Attendance of each Party school session, coloured by kind, with the running total."""
    sessions = frame.sort_values("date")
    figure = go.Figure()
    for kind in VOCABULARIES["activity_type"]:
        rows = sessions[sessions["activity_type"] == kind]
        if rows.empty:
            continue
        figure.add_bar(
            name=code_label("activity_type", kind, lang),
            x=rows["date"],
            y=rows["attendance"],
            marker_color=code_colour("activity_type", kind),
            customdata=rows[f"title_{lang}"].map(plotly_text),
            hovertemplate="%{x}<br>%{customdata}: %{y}<extra></extra>",
        )
    figure.add_scatter(
        name=tr("chart.cumulative", lang),
        x=sessions["date"],
        y=sessions["attendance"].cumsum(),
        mode="lines+markers",
        line={"color": "#333333", "dash": "dot"},
        yaxis="y2",
    )
    figure.update_layout(
        yaxis={"title": {"text": tr("chart.attendance", lang)}},
        yaxis2={
            "title": {"text": tr("chart.cumulative", lang)},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
        },
    )
    return _layout(figure, tr("chart.school_attendance", lang), lang)


def visitors_by_route(figures: pd.DataFrame, routes: pd.DataFrame, lang: Lang) -> go.Figure:
    """Visits per quarter, one line for each route."""
    names = dict(zip(routes["id"], routes[f"name_{lang}"], strict=True))
    shown = figures[figures["route_id"].isin(names)]
    return lines_by(shown, "visitors", "route_id", names, lang, "chart.visitors_by_quarter", "chart.visitors")


def visitors_in_quarter(figures: pd.DataFrame, routes: pd.DataFrame, quarter: str, lang: Lang) -> go.Figure:
    """Visits of one quarter, a bar for each route, most visited on top; ★ on a reported one.
    Named on the axis, not in a legend: six long route names would crowd a slide's chart."""
    names = dict(zip(routes["id"], routes[f"name_{lang}"], strict=True))
    current = figures[(figures["quarter"] == quarter) & figures["route_id"].isin(names)]
    totals = current.groupby("route_id")["visitors"].sum().sort_values()
    marks = [_provenance("tourism_figures", current[current["route_id"] == r], "visitors", lang) for r in totals.index]
    figure = go.Figure()
    _bars(figure, tr("chart.visitors", lang), code_colour("industry", "tourism"), marks,
          y=[wrapped_text(names[r]) for r in totals.index], x=totals.values, orientation="h",
          hover="%{y}: %{x:,.0f}")  # fmt: skip
    figure.update_layout(showlegend=False)
    # The title says what is counted: no axis title, the routes' names the room.
    figure.update_xaxes(rangemode="tozero", gridcolor=GRID_COLOUR)
    title = tr("chart.visitors_in_quarter", lang, quarter=quarter_label(quarter, lang))
    return _layout(figure, title, lang)


def enlarged(figure: go.Figure, scale: float) -> go.Figure:
    """``figure`` with every text ``scale`` times as large (the title, ticks, axis titles,
    legend and notes) and the chart taller to hold them; ``figure`` itself when ``scale`` is 1."""
    if scale == 1:
        return figure
    grown = go.Figure(figure)
    layout = grown.layout
    # Streamlit's chart theme sets sizes of its own where the figure has none: each is set.
    base = layout.font.size or 12

    def axis(found: go.layout.XAxis | go.layout.YAxis) -> None:
        found.update(
            tickfont_size=(found.tickfont.size or base) * scale, title_font_size=(found.title.font.size or base) * scale
        )

    text = base * scale
    grown.update_layout(
        font_size=text,
        title_font_size=(layout.title.font.size or 17) * scale,
        height=round((layout.height or 450) * math.sqrt(scale)),
        margin_t=round((layout.margin.t or 50) * scale),
        # The legend at the chart's foot, below the axis's labels and title (with the gaps, about
        # five lines of text): placed under the plot as on the dashboard, the larger labels
        # would run into it.
        legend={
            "font_size": (layout.legend.font.size or base) * scale,
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
        },
        margin_b=round(text * 5.2) if layout.showlegend is not False else layout.margin.b,
    )
    grown.for_each_xaxis(axis).for_each_yaxis(axis)
    for note in layout.annotations:
        note.font.size = (note.font.size or 12) * scale
    return grown


def as_table(figure: go.Figure) -> pd.DataFrame:
    """The figures a chart draws, as text: a row for each place on its category axis (a
    quarter, a township, a route), a column for each series, ★ beside a reported value as
    on its bar. The chart's text alternative, for those who cannot see it."""
    columns: dict[str, dict[str, str]] = {}
    order: list[str] = []
    across = False
    for trace in figure.data:
        across = getattr(trace, "orientation", None) == "h"
        places, values = (trace.y, trace.x) if across else (trace.x, trace.y)
        if places is None or values is None:
            continue
        marks = trace.text if isinstance(getattr(trace, "text", None), tuple | list) else [""] * len(places)
        column = columns.setdefault(_plain(trace.name or ""), {})
        for place, value, mark in zip(places, values, marks, strict=False):
            key = _plain(str(place))
            order += [key] if key not in order else []
            column[key] = f"{_number(value)} {mark}".strip() if mark else _number(value)
    # In the order read on the chart: quarters and dates left to right, bars top to bottom.
    order = order[::-1] if across else sorted(order)
    return pd.DataFrame(columns, index=order).fillna("—")


def in_words(figure: go.Figure, lang: Lang) -> str:
    """``as_table`` in a sentence: the chart's title, then each place with its figures."""
    table = as_table(figure)
    between = tr("words.item_separator", lang)
    places = tr("words.list_separator", lang).join(
        tr(
            "chart.in_words_place",
            lang,
            place=place,
            figures=between.join(f"{name} {value}".strip() for name, value in row.items()),
        )
        for place, row in table.iterrows()
    )
    return tr("chart.in_words", lang, title=title_of(figure), places=places)


def title_of(figure: go.Figure) -> str:
    """The chart's title as its reader sees it."""
    return _plain(figure.layout.title.text or "")


def _plain(text: str) -> str:
    """Text as Plotly draws it, without its tags: a wrapped name in one line."""
    return unescape(re.sub(r"<br\s*/?>", " ", text))


def _number(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return str(value)


def chosen(points: list[dict]) -> dict[str, str]:
    """The codes (``{"industry": "wood"}``, ``{"township_id": ...}``) that every selected point
    of a chart shares, read from the points' ``customdata``."""
    shared: dict[str, str] | None = None
    for point in points:
        codes = dict(item.split("=", 1) for item in point.get("customdata") or [] if isinstance(item, str))
        shared = codes if shared is None else {k: v for k, v in shared.items() if codes.get(k) == v}
    return shared or {}
