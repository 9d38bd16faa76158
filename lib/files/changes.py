"""What a replacement file changes: rows or features added, removed and changed.

Rows are matched by the dataset's unique key (``Dataset.unique``), the same key that
``lib.files.loading`` uses to find duplicates, so a change of a key value shows as one row removed
and one added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from shapely.geometry.base import BaseGeometry

from lib.contract.catalog import Dataset, Field, Kind, Lang
from lib.contract.i18n import tr
from lib.contract.quarters import quarter_label

ACTIONS = {"added": "admin.added", "removed": "admin.removed", "changed": "admin.changed"}
GEOMETRY_TOLERANCE = 1e-9  # degrees: far below any digitising precision, above float noise


@dataclass(frozen=True)
class Changes:
    """Keys (unique values joined by " / ") of the rows only in the new file, only in the old
    one, and in both with different values, with the names of the fields that differ."""

    added: list[str]
    removed: list[str]
    changed: list[tuple[str, list[str]]]
    layer: bool = False  # counts features rather than rows in the summary

    def summary(self, lang: Lang) -> str:
        """The change in one line, such as "新增 4 行，删除 0 行，修改 2 行"."""
        if self.empty:
            return tr("changes.none", lang)
        return tr("changes.features" if self.layer else "changes.rows", lang, **self.counts)

    @property
    def counts(self) -> dict[str, int]:
        """How many rows (or features) were added, removed and changed."""
        return {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)}

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def compare(dataset: Dataset, old: pd.DataFrame | None, new: pd.DataFrame) -> Changes:
    """The changes from ``old`` to ``new`` (frames as lib.files.loading reads them); ``old`` None
    means there was no file, so every row is added."""
    before = _by_key(dataset, old) if old is not None else {}
    after = _by_key(dataset, new)
    fields = [f.name for f in dataset.fields] + (["geometry"] if dataset.is_layer else [])
    changed = []
    for key, row in after.items():
        if key in before:
            differ = [name for name in fields if not _same(before[key].get(name), row.get(name))]
            if differ:
                changed.append((key, differ))
    return Changes(
        added=[key for key in after if key not in before],
        removed=[key for key in before if key not in after],
        changed=changed,
        layer=dataset.is_layer,
    )


def row_key(dataset: Dataset, row: dict | pd.Series) -> str:
    """A row's unique key as lib.files.loading names duplicates: the values joined by " / "."""
    return " / ".join(str(row[name]) for name in dataset.unique)


def _by_key(dataset: Dataset, frame: pd.DataFrame) -> dict[str, dict]:
    # Frames from lib.files.loading hold no duplicate keys; should one slip in, the first counts, as there.
    rows: dict[str, dict] = {}
    for record in frame.to_dict("records"):
        rows.setdefault(row_key(dataset, record), record)
    return rows


def _same(a: object, b: object) -> bool:
    """Whether two cell values are the same: empty equals empty, geometries within tolerance."""
    if _empty(a) or _empty(b):
        return _empty(a) and _empty(b)
    if isinstance(a, BaseGeometry) or isinstance(b, BaseGeometry):
        return (
            isinstance(a, BaseGeometry)
            and isinstance(b, BaseGeometry)
            and a.geom_type == b.geom_type
            and a.equals_exact(b, GEOMETRY_TOLERANCE)
        )
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def _empty(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def value_changes(dataset: Dataset, old: pd.DataFrame | None, new: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Every value added, removed or changed, one per line, the current value beside the new
    one, so that a wrong digit is seen before saving. Shown to editors only: nothing masked."""
    before = _by_key(dataset, old) if old is not None else {}
    after = _by_key(dataset, new)
    shown = [f for f in dataset.fields if f.name not in dataset.unique]
    lines = []

    def line(action: str, key: str, field: Field | None, old_value: object, new_value: object) -> None:
        record = before.get(key) or after[key]
        lines.append(
            {
                tr("admin.action", lang): tr(ACTIONS[action], lang),
                tr("admin.record", lang): " · ".join(
                    dataset.field(n).display(record.get(n), lang, reveal=True) for n in dataset.unique
                ),
                tr("admin.field", lang): field.heading(lang) if field else tr("admin.geometry", lang),
                tr("admin.old_value", lang): _shown(field, old_value, lang),
                tr("admin.new_value", lang): _shown(field, new_value, lang),
            }
        )

    for key, row in after.items():
        if key not in before:
            for field in shown:
                if not _empty(row.get(field.name)):
                    line("added", key, field, None, row.get(field.name))
        else:
            for field in shown:
                if not _same(before[key].get(field.name), row.get(field.name)):
                    line("changed", key, field, before[key].get(field.name), row.get(field.name))
            if dataset.is_layer and not _same(before[key].get("geometry"), row.get("geometry")):
                line("changed", key, None, before[key].get("geometry"), row.get("geometry"))
    for key, row in before.items():
        if key not in after:
            for field in shown:
                if not _empty(row.get(field.name)):
                    line("removed", key, field, row.get(field.name), None)
    return pd.DataFrame(lines)


def quarter_totals(dataset: Dataset, old: pd.DataFrame | None, new: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """For a quarterly table, the total of each figure in every quarter the change touches,
    before and after; empty for any other file."""
    figures = [f for f in dataset.fields if f.kind in (Kind.NUMBER, Kind.INTEGER) and not f.personal]
    if "quarter" not in {f.name for f in dataset.fields} or not figures:
        return pd.DataFrame()
    empty = pd.DataFrame(columns=[f.name for f in dataset.fields])
    totals = {
        when: (frame if frame is not None else empty).groupby("quarter")[[f.name for f in figures]].sum(min_count=1)
        for when, frame in (("before", old), ("after", new))
    }
    lines = []
    for quarter in sorted(set(totals["before"].index) | set(totals["after"].index)):
        for field in figures:
            values = [
                totals[when][field.name].get(quarter) if quarter in totals[when].index else None
                for when in ("before", "after")
            ]
            if not _same(*values):
                lines.append(
                    {
                        tr("admin.quarter", lang): quarter_label(quarter, lang),
                        tr("admin.field", lang): field.heading(lang),
                        tr("admin.total_before", lang): _shown(field, values[0], lang),
                        tr("admin.total_after", lang): _shown(field, values[1], lang),
                    }
                )
    return pd.DataFrame(lines)


def _shown(field: Field | None, value: object, lang: Lang) -> str:
    if field is None:
        return "—" if _empty(value) else tr("admin.shape", lang)
    if _empty(value):
        return "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Every digit as typed: a preview that rounds would hide the wrong one.
        # (Sums of such values are rounded to far below anything typed, to drop float noise.)
        text = format(Decimal(str(round(value, 9))), ",f")
        return text.removesuffix(".0") if "." in text else text
    return field.display(value, lang, reveal=True)
