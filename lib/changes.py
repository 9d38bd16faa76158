"""What a replacement file changes: rows or features added, removed and changed.

Rows are matched by the dataset's unique key (``Dataset.unique``), the same key that
``lib.loading`` uses to find duplicates, so a change of a key value shows as one row removed
and one added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from shapely.geometry.base import BaseGeometry

from lib.catalog import Dataset, Lang
from lib.i18n import tr

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
        counts = {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)}
        return tr("changes.features" if self.layer else "changes.rows", lang, **counts)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def compare(dataset: Dataset, old: pd.DataFrame | None, new: pd.DataFrame) -> Changes:
    """The changes from ``old`` to ``new`` (frames as lib.loading reads them); ``old`` None
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
    """A row's unique key as lib.loading names duplicates: the values joined by " / "."""
    return " / ".join(str(row[name]) for name in dataset.unique)


def _by_key(dataset: Dataset, frame: pd.DataFrame) -> dict[str, dict]:
    # Frames from lib.loading hold no duplicate keys; should one slip in, the first counts, as there.
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
