"""Frames as the dashboard shows them: selected by the shared controls, labelled for people."""

from __future__ import annotations

import pandas as pd

from lib.contract.catalog import DATASETS, Dataset, Kind, Lang
from lib.contract.i18n import tr
from lib.contract.quarters import quarter_of_date
from lib.drawn.provenance import source_text
from lib.files.geodesy import lengths_km


def select(frame: pd.DataFrame, township: str | None, through: str | None = None) -> pd.DataFrame:
    """Rows of a township (all when None) up to and including quarter ``through``."""
    if township is not None:
        if "township_ids" in frame:
            frame = frame[frame["township_ids"].str.split("|").apply(lambda codes: township in codes)]
        elif "township_id" in frame:
            frame = frame[frame["township_id"] == township]
    if through is not None and "quarter" in frame:
        frame = frame[frame["quarter"] <= through]
    elif through is not None and "date" in frame:
        frame = frame[frame["date"].map(lambda d: quarter_of_date(d.year, d.month)) <= through]
    return frame


def labelled(
    dataset: Dataset, frame: pd.DataFrame, lang: Lang, columns: list[str], reveal_personal: bool = False
) -> pd.DataFrame:
    """``columns`` of ``frame`` with coded values as labels and headers in ``lang``.

    ``name`` stands for the name in ``lang`` (``name_zh`` or ``name_en``), likewise ``title``
    and ``topic``.
    """
    shown = {}
    for column in columns:
        name = f"{column}_{lang}" if f"{column}_{lang}" in frame else column
        field = dataset.field(name)
        values = frame[name]
        if name == "source":
            values = pd.Series([source_text(dataset, r, lang) for r in frame.to_dict("records")], index=frame.index)
        elif field.kind not in (Kind.INTEGER, Kind.NUMBER):  # numbers stay numbers, to sort by
            values = values.map(lambda value, field=field: field.display(value, lang, reveal_personal))
        shown[field.heading(lang)] = values.to_numpy()
    return pd.DataFrame(shown)


def route_table(routes: pd.DataFrame, figures: pd.DataFrame | None, quarter: str | None, lang: Lang) -> pd.DataFrame:
    """The routes with their geodesic length and, where known, their visits in ``quarter``."""
    shown = labelled(DATASETS["tourism_routes"], routes, lang, ["name", "township_id"])
    shown[tr("column.length_km", lang)] = lengths_km(routes).round(1).to_numpy()
    if figures is not None:
        visits = figures[figures["quarter"] == quarter].set_index("route_id")["visitors"]
        shown[tr("column.visitors", lang)] = routes["id"].map(visits).to_numpy()
    return shown
