"""Figures computed from the data: headline numbers and their changes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.contract.catalog import DATASETS, FACTUAL_SOURCES, MEASURES, Lang
from lib.contract.quarters import previous, year_earlier
from lib.drawn.frames import select
from lib.drawn.provenance import Provenance, of_sum
from lib.files.loading import Data


@dataclass(frozen=True)
class Headline:
    """A headline figure for a quarter, with the same figure for the quarters it is
    compared with (None where the data has no such quarter) and its values up to it."""

    key: str
    file: str
    value: float | None
    previous: float | None
    year_ago: float | None
    illustrative: bool
    trend: tuple[float, ...] = ()


def quarters(data: Data) -> list[str]:
    """Every quarter that the quarterly tables cover, oldest first."""
    found: set[str] = set()
    for measure in MEASURES.values():
        frame = data.frame(measure.dataset)
        if frame is not None:
            found |= set(frame["quarter"])
    return sorted(found)


def missing_for(data: Data, quarter: str) -> list[str]:
    """The files of the measures (output, jobs) that have no rows for ``quarter``: a quarter
    for which any is missing is still being filled in."""
    missing = []
    for measure in MEASURES.values():
        frame = data.frame(measure.dataset)
        if frame is not None and not (frame["quarter"] == quarter).any():
            missing.append(measure.dataset)
    return missing


def default_quarter(data: Data) -> str | None:
    """The quarter a page opens on: the latest complete one (a newer quarter half filled in
    is not the latest news), else the latest there is."""
    available = quarters(data)
    complete = [q for q in available if not missing_for(data, q)]
    return (complete or available)[-1] if available else None


def active_in(frame: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """Rows that exist in ``quarter``: begun in it or before (empty ``since_quarter``: always)."""
    return frame[_is_active(frame, quarter)]


def _is_active(frame: pd.DataFrame, quarter: str) -> pd.Series:
    since = frame["since_quarter"]
    return since.isna() | (since <= quarter)


def is_illustrative(frame: pd.DataFrame) -> bool:
    """Whether any row is illustrative (rows of a file without a source are)."""
    return "source" not in frame or not frame["source"].isin(FACTUAL_SOURCES).all()


COUNTS = {
    "bases": "industry_bases",
    "routes": "tourism_routes",
    "grids": "patrol_grids",
    "party_organisations": "party_organisations",
}


def headline_figures(data: Data, quarter: str, township: str | None) -> list[Headline]:
    """The overview's figures for a quarter and township, each with its comparisons."""
    headlines = []
    for measure in MEASURES.values():
        frame = data.frame(measure.dataset)
        if frame is not None:
            frame = select(frame, township)
            totals = frame.groupby("quarter")[measure.column].sum()
            current = is_illustrative(frame[frame["quarter"] == quarter])
            headlines.append(_headline(measure.key, measure.dataset, totals, quarter, current))
    for key, file in COUNTS.items():
        frame = data.frame(file)
        if frame is not None:
            frame = select(frame, township)
            counts = pd.Series({q: _is_active(frame, q).sum() for q in quarters(data)}, dtype=float)
            headlines.append(_headline(key, file, counts, quarter, is_illustrative(active_in(frame, quarter))))
    return headlines


def sum_provenance(data: Data, measure: str, quarter: str, township: str | None, lang: Lang) -> Provenance:
    """Whether a measure's headline figure (``output``, ``jobs``) is itself the report's, and
    which part of it is when only a part is."""
    kept = MEASURES[measure]
    frame = data.frame(kept.dataset)
    if frame is None:
        return Provenance(False)
    rows = select(frame, township)
    return of_sum(DATASETS[kept.dataset], rows[rows["quarter"] == quarter], kept.column, lang)


def _headline(key: str, file: str, series: pd.Series, quarter: str, illustrative: bool) -> Headline:
    def at(q: str) -> float | None:
        return float(series[q]) if q in series.index else None

    trend = tuple(float(value) for q, value in series.sort_index().items() if q <= quarter)
    return Headline(key, file, at(quarter), at(previous(quarter)), at(year_earlier(quarter)), illustrative, trend)


def change(value: float | None, base: float | None) -> float | None:
    """Relative change from ``base`` to ``value``; None where it is undefined."""
    if value is None or base is None or base == 0:
        return None
    return (value - base) / base
