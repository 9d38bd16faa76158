"""Which values the Guizhou Daily report gives: the one rule behind every mark that claims a source.

A record's ``source`` says where all its values come from; where one record mixes sources, its
``reported_fields`` names the fields the report gives (the others are as ``source`` says). A sum
is marked reported only when every value in it is; one that adds reported and other figures is
not, and its note says which part the report gives. A reported figure reads as the report wrote
it (``reported_as``, e.g. "500余"), not rounded to a bare 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from lib.contract.catalog import Dataset, Lang
from lib.contract.i18n import tr

REPORTED = "★"
# Fields about provenance itself, never marked.
_ABOUT = frozenset({"source", "reported_fields", "reported_as"})


def reported_fields(dataset: Dataset, record: Mapping) -> frozenset[str]:
    """The fields of ``record`` whose values the report gives."""
    if record.get("source") == "report":
        return frozenset(f.name for f in dataset.fields if f.name not in _ABOUT)
    listed = record.get("reported_fields")
    if not isinstance(listed, str):
        return frozenset()
    return frozenset(name.strip() for name in listed.split("|") if name.strip()) - _ABOUT


def is_reported(dataset: Dataset, record: Mapping, field: str) -> bool:
    """Whether the report gives ``record``'s value of ``field``."""
    return field in reported_fields(dataset, record)


@dataclass(frozen=True)
class Provenance:
    """Whether a value is itself the report's (``reported``), which part of it is when only a part
    is (``note``, empty otherwise), and the report's wording of a single reported value."""

    reported: bool
    note: str = ""
    wording: str = ""

    @property
    def mark(self) -> str:
        """★ on a reported value, nothing on any other."""
        return REPORTED if self.reported else ""


def of_sum(dataset: Dataset, rows: pd.DataFrame, field: str, lang: Lang) -> Provenance:
    """The provenance of the sum of ``field`` over ``rows``: reported only when every value in
    it is (a single reported row, say); otherwise a note naming each reported part."""
    records = rows.to_dict("records")
    reported = [r for r in records if is_reported(dataset, r, field)]
    if not reported:
        return Provenance(False)
    unit = dataset.field(field).unit
    if len(reported) == len(records):
        if len(records) == 1:
            wording = _worded(dataset, records[0], field, lang)
            return Provenance(True, tr("provenance.as_reported", lang, value=wording), wording)
        return Provenance(True)
    gap = "" if lang == "zh" else " "
    parts = "、".join(
        f"{_name(dataset, r, lang)} {_worded(dataset, r, field, lang)}{gap + unit(lang) if unit else ''}"
        for r in reported
    )
    return Provenance(False, tr("provenance.part", lang, parts=parts))


def _worded(dataset: Dataset, record: Mapping, field: str, lang: Lang) -> str:
    wording = record.get("reported_as")
    if not (isinstance(wording, str) and wording.strip()):
        wording = record.get(field)
    if isinstance(wording, str) and wording.strip().replace(".", "", 1).isdigit():
        wording = float(wording)
    if isinstance(wording, int | float):
        return f"{wording:,g}"
    text = "" if wording is None else str(wording).strip()
    return text if lang == "zh" else text.replace("余", "+")


def _name(dataset: Dataset, record: Mapping, lang: Lang) -> str:
    """A row named by its key, quarters left out: "三江口镇木材加工"."""
    names = [dataset.field(n).display(record.get(n), lang) for n in dataset.unique if n != "quarter"]
    return ("" if lang == "zh" else " ").join(names)


def source_text(dataset: Dataset, record: Mapping, lang: Lang) -> str:
    """A record's source as people read it; a mixed record says which fields the report gives:
    "示例（名称、面积出自报道）"."""
    source = dataset.field("source").display(record.get("source"), lang)
    if record.get("source") == "report":
        return source
    given = reported_fields(dataset, record)
    fields = [f.label(lang) for f in dataset.fields if f.name in given]
    if not fields:
        return source
    return tr("provenance.mixed_record", lang, source=source, fields=("、" if lang == "zh" else ", ").join(fields))


def marked(dataset: Dataset, record: Mapping, field: str, text: str) -> str:
    """``text`` (a value of ``field`` as shown) with ★ when the report gives it."""
    return f"{text} {REPORTED}" if text not in ("", "—") and is_reported(dataset, record, field) else text
