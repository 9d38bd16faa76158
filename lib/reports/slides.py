"""The quarterly-meeting presentation: slides built from the data, each with a short written
summary that says which of its figures are illustrative. The page, the HTML report and the
PowerPoint deck are all made from these slides."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from lib.contract.catalog import FACTUAL_SOURCES, MEASURES, REPORT_CITATION, VOCABULARIES, Lang, code_label
from lib.contract.i18n import tr
from lib.contract.quarters import quarter_label
from lib.drawn import charts
from lib.drawn.frames import select
from lib.drawn.headlines import Headline, change, headline_figures, missing_for, sum_provenance
from lib.drawn.provenance import Provenance
from lib.files.loading import Data


@dataclass(frozen=True)
class Slide:
    """One slide: a title, a few sentences, headline figures, charts, and perhaps the map."""

    key: str
    title: str
    summary: list[str]
    headlines: list[Headline] = field(default_factory=list)
    charts: list[go.Figure] = field(default_factory=list)
    map_layers: tuple[str, ...] | None = None  # the layers to show; None: no map
    # What each headline figure is, by key: of one that mixes reported and illustrative values,
    # which part the report gives.
    sources: dict[str, str] = field(default_factory=dict)
    footnote: str = ""  # small at the foot of the slide: where its figures come from

    @property
    def has_map(self) -> bool:
        return self.map_layers is not None

    @property
    def keys(self) -> set[str]:
        return {headline.key for headline in self.headlines}

    @property
    def is_cover(self) -> bool:
        """The opening slide: the meeting, the quarter, the townships, their map, key figures."""
        return self.key == "title"


def build_slides(data: Data, quarter: str, lang: Lang, township: str | None = None) -> list[Slide]:
    """Every slide of the quarter's presentation, in order."""
    figures = {h.key: h for h in headline_figures(data, quarter, township)}
    q = quarter_label(quarter, lang)
    builders = (_title, _map, _industry, _tourism, _governance, _party, _closing)
    sources = {key: figure_source(h, lang, _told(data, key, quarter, township, lang)) for key, h in figures.items()}
    slides = [build(data, quarter, q, lang, township, figures) for build in builders]
    slides = [replace(slide, sources={k: sources[k] for k in slide.keys}) for slide in slides]
    if missing_for(data, quarter):
        # A quarter still being filled in says so on every slide, as on every page.
        mark = tr("data.quarter_incomplete_short", lang)
        slides = [replace(slide, title=f"{slide.title} · {mark}") for slide in slides]
    return slides


def _source_of(rows: pd.DataFrame, lang: Lang) -> str:
    """What figures a sentence about ``rows`` gives: none yet, the report's, official ones, or
    some illustrative ones among them."""
    if rows.empty:
        return tr("slides.no_data", lang)
    sources = rows["source"] if "source" in rows else pd.Series(["illustrative"])
    if (sources == "report").all():
        return tr("slides.reported", lang)
    return tr("slides.factual" if sources.isin(FACTUAL_SOURCES).all() else "slides.illustrative", lang)


def headline_source(headline: Headline, lang: Lang, told: Provenance | None = None) -> str:
    """What a headline figure is: none yet, the report's own (``told``, for a sum), official, or
    including illustrative figures."""
    if headline.value is None:
        return tr("slides.no_data", lang)
    if told and told.reported:
        return tr("slides.reported", lang)
    return tr("slides.illustrative" if headline.illustrative else "slides.factual", lang)


def figure_source(headline: Headline, lang: Lang, told: Provenance | None = None) -> str:
    """What a headline figure is and, of a sum that adds reported and illustrative values, which
    part the report gives (``told``)."""
    source = headline_source(headline, lang, told)
    if told and told.note and not told.reported:
        return tr("slides.source_note", lang, source=source, note=told.note)
    return source


def _told(data: Data, key: str, quarter: str, township: str | None, lang: Lang) -> Provenance | None:
    """Where a headline figure is a sum, what the report gives of it."""
    return sum_provenance(data, key, quarter, township, lang) if key in MEASURES else None


def _total(rows: pd.DataFrame, column: str) -> float | None:
    """The sum of a column, None (shown "—") when there are no rows: no data is not a zero."""
    return None if rows.empty else float(rows[column].sum())


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _change(value: float | None, base: float | None, lang: Lang) -> str:
    ratio = change(value, base)
    return tr("slides.no_change_known", lang) if ratio is None else f"{ratio:+.1%}"


def _headline_sentence(headline: Headline, lang: Lang, told: Provenance | None = None) -> str:
    """A headline figure in a sentence; ``told`` (for a sum) words a reported value as the report
    does and names the reported part of a mixed one."""
    part = told.note if told and told.note and not told.reported else None
    return tr(
        "slides.headline_part" if part else "slides.headline",
        lang,
        name=tr(f"metric.{headline.key}", lang),
        value=told.wording if told and told.wording else _number(headline.value),
        previous=_change(headline.value, headline.previous, lang),
        year=_change(headline.value, headline.year_ago, lang),
        source=headline_source(headline, lang, told),
        **({"note": part} if part else {}),
    )


COVER_FIGURES = ("output", "jobs", "bases", "grids")


def _title(data, quarter, q, lang, township, figures) -> Slide:
    places = ("、" if lang == "zh" else ", ").join(code_label("township", t, lang) for t in VOCABULARIES["township"])
    return Slide(
        "title",
        tr("slides.title", lang, quarter=q),
        [tr("slides.title_summary", lang, places=places)],
        [figures[k] for k in COVER_FIGURES if k in figures],
        map_layers=("lake", "rivers", "townships"),
    )


def _map(data, quarter, q, lang, township, figures) -> Slide:
    counts = {k: _number(figures[k].value) if k in figures else "—" for k in ("bases", "routes", "grids")}
    return Slide(
        "map",
        tr("slides.map", lang),
        [tr("slides.map_summary", lang, **counts)],
        map_layers=("lake", "rivers", "townships", "industry_bases", "tourism_routes", "sites"),
    )


def _industry(data, quarter, q, lang, township, figures) -> Slide:
    summary = [
        _headline_sentence(figures[k], lang, _told(data, k, quarter, township, lang))
        for k in ("output", "jobs")
        if k in figures
    ]
    output = data.frame("output")
    shown = []
    if output is not None:
        rows = select(output, township, quarter)
        shown.append(charts.by_quarter(rows, "output", lang))
    employment = data.frame("employment")
    if employment is not None:
        shown.append(charts.by_township(select(employment, township, quarter), "jobs", quarter, lang))
    # The sentences carry the two figures and what of them is reported; cards repeating them
    # would leave the charts no room (the opening and closing slides show them as cards).
    return Slide("industry", tr("page.industry", lang), summary, charts=shown)


def _tourism(data, quarter, q, lang, township, figures) -> Slide:
    routes, visits = data.frame("tourism_routes"), data.frame("tourism_figures")
    summary, shown = [], []
    if "routes" in figures:
        summary.append(_headline_sentence(figures["routes"], lang))
    if routes is not None and visits is not None:
        current = visits[visits["quarter"] == quarter]
        summary.append(
            tr(
                "slides.visits",
                lang,
                visits=_number(_total(current, "visitors")),
                source=_source_of(current, lang),
            )
        )
        shown.append(charts.visitors_in_quarter(visits, select(routes, township), quarter, lang))
    return Slide(
        "tourism", tr("page.tourism", lang), summary, charts=shown, map_layers=("lake", "townships", "tourism_routes")
    )


def _governance(data, quarter, q, lang, township, figures) -> Slide:
    mediation, summary, shown = data.frame("mediation"), [], []
    if mediation is not None:
        rows = select(mediation, township, quarter)
        current = rows[rows["quarter"] == quarter]
        received, resolved = _total(current, "cases_received"), _total(current, "cases_resolved")
        summary.append(
            tr(
                "slides.mediation",
                lang,
                received=_number(received),
                resolved=_number(resolved),
                rate=f"{resolved / received:.0%}" if received and resolved is not None else "—",
                source=_source_of(current, lang),
            )
        )
        shown.append(charts.mediation(rows, lang))
    if "grids" in figures:
        summary.append(_headline_sentence(figures["grids"], lang))
    return Slide(
        "governance",
        tr("page.governance", lang),
        summary,
        charts=shown,
        map_layers=("lake", "townships", "patrol_grids", "sites"),
    )


def _party(data, quarter, q, lang, township, figures) -> Slide:
    summary, shown = [], []
    if "party_organisations" in figures:
        summary.append(_headline_sentence(figures["party_organisations"], lang))
    school = data.frame("party_school")
    if school is not None:
        held = select(school, None, quarter)
        summary.append(
            tr(
                "slides.school",
                lang,
                sessions=len(held),
                attendance=_number(_total(held, "attendance")),
                source=_source_of(held, lang),
            )
        )
        shown.append(charts.school_attendance(held, lang))
    meetings = data.frame("joint_meetings")
    if meetings is not None:
        meeting = meetings[meetings["quarter"] == quarter]
        if not meeting.empty:
            row = meeting.iloc[0]
            summary.append(
                tr(
                    "slides.meeting",
                    lang,
                    chair=code_label("township", row["chair_township_id"], lang),
                    topic=row[f"topic_{lang}"],
                    source=_source_of(meeting, lang),
                )
            )
    return Slide("party", tr("page.party", lang), summary, charts=shown)


def _closing(data, quarter, q, lang, township, figures) -> Slide:
    # The figures speak for themselves, each saying what of it is reported; the foot says whence.
    return Slide(
        "closing",
        tr("slides.closing", lang, quarter=q),
        [],
        list(figures.values()),
        footnote=tr("data.honesty", lang, citation=REPORT_CITATION(lang)),
    )
