"""Figures computed from the data: headline numbers and their changes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.loading import Data
from lib.quarters import previous, year_earlier
from lib.tables import select


@dataclass(frozen=True)
class Headline:
    """A headline figure for a quarter, with the same figure for the quarters it is
    compared with (None where the data has no such quarter)."""

    key: str
    value: float | None
    previous: float | None
    year_ago: float | None
    illustrative: bool


def quarters(data: Data) -> list[str]:
    """Every quarter that the quarterly tables cover, oldest first."""
    found: set[str] = set()
    for key in ("output", "employment"):
        frame = data.frame(key)
        if frame is not None:
            found |= set(frame["quarter"])
    return sorted(found)


def active_in(frame: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """Rows that exist in ``quarter``: begun in it or before (empty ``since_quarter``: always)."""
    since = frame["since_quarter"]
    return frame[since.isna() | (since <= quarter)]


def is_illustrative(frame: pd.DataFrame) -> bool:
    """Whether any row is not a reported figure (rows without a source are illustrative)."""
    return "source" not in frame or bool((frame["source"] != "report").any())


def headline_figures(data: Data, quarter: str, township: str | None) -> list[Headline]:
    """The overview's figures for a quarter and township, each with its comparisons."""
    sums = {"output": ("output", "output_10k_yuan"), "jobs": ("employment", "jobs")}
    counts = {
        "bases": "industry_bases",
        "routes": "tourism_routes",
        "grids": "patrol_grids",
        "party_organisations": "party_organisations",
    }
    headlines = []
    for key, (file, column) in sums.items():
        frame = data.frame(file)
        if frame is None:
            continue
        frame = select(frame, township)
        known = set(frame["quarter"])

        def total(q: str, frame: pd.DataFrame = frame, column: str = column, known: set = known) -> float | None:
            return float(frame.loc[frame["quarter"] == q, column].sum()) if q in known else None

        current = frame[frame["quarter"] == quarter]
        headlines.append(
            Headline(
                key, total(quarter), total(previous(quarter)), total(year_earlier(quarter)), is_illustrative(current)
            )
        )
    first = min(quarters(data), default=quarter)
    for key, file in counts.items():
        frame = data.frame(file)
        if frame is None:
            continue
        frame = select(frame, township)

        def count(q: str, frame: pd.DataFrame = frame) -> float | None:
            return float(len(active_in(frame, q))) if q >= first else None

        headlines.append(
            Headline(
                key,
                count(quarter),
                count(previous(quarter)),
                count(year_earlier(quarter)),
                is_illustrative(active_in(frame, quarter)),
            )
        )
    return headlines


def change(value: float | None, base: float | None) -> float | None:
    """Relative change from ``base`` to ``value``; None where it is undefined."""
    if value is None or base is None or base == 0:
        return None
    return (value - base) / base
