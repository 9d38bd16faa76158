"""A hostile copy of the bundled data: markup, script and formulas in every free-text field.

Driven by ``lib.contract.catalog``: every field of kind TEXT of every table and layer (ids and
references aside, so that the files still join) gets every payload, and each file gets one
extra record with a payload in a checked field, so the problem messages carry one too. The
rest stays valid, so every page, chart and export still draws.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from lib.contract.catalog import DATASETS, Dataset, Kind
from lib.contract.settings import DEFAULT_DATA_DIR

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=1</script>"
MD_LINK = "[点我 click](javascript:window.__pwned=1)"
A_LINK = '<a href="javascript:window.__pwned=1">link</a>'
MARKUP = "**bold** $x$"
FORMULA = '=HYPERLINK("http://x")'
PAYLOADS = (IMG, SCRIPT, MD_LINK, A_LINK, MARKUP, FORMULA)
# Kinds that are checked: a payload there makes the record fail, with the payload in the message.
_CHECKED = (Kind.QUARTER, Kind.DATE, Kind.INTEGER, Kind.NUMBER, Kind.CODE, Kind.CODES)


def hostile_text(text: str) -> str:
    """``text`` with every payload: the formula first, where a spreadsheet reads it as one."""
    rest = " ".join(p for p in PAYLOADS if p != FORMULA)
    return f"{FORMULA} {text} {rest}"


def is_free_text(dataset: Dataset, name: str) -> bool:
    """Whether a field holds free text (not an id, nor a reference to another file's id)."""
    field = next((f for f in dataset.fields if f.name == name), None)
    return field is not None and field.kind == Kind.TEXT and name != "id" and not name.endswith("_id")


def hostile_copy(target: Path, source: Path = DEFAULT_DATA_DIR) -> Path:
    """Copy the data folder ``source`` to ``target`` and spoil every file of the contract in it."""
    shutil.copytree(source, target)
    for index, dataset in enumerate(DATASETS.values()):
        path = target / dataset.path
        if path.exists():
            bad = PAYLOADS[index % len(PAYLOADS)]
            (_spoil_layer if dataset.is_layer else _spoil_table)(dataset, path, bad)
    return target


def _spoiled(dataset: Dataset, record: dict) -> dict:
    return {
        k: hostile_text(v) if is_free_text(dataset, k) and isinstance(v, str) and v else v for k, v in record.items()
    }


def _bad(dataset: Dataset, record: dict, payload: str) -> dict:
    """A copy of ``record`` with ``payload`` in its first checked field, so that it is refused."""
    checked = next((f.name for f in dataset.fields if f.kind in _CHECKED), None)
    return {**record, **({checked: payload} if checked else {})}


def _spoil_table(dataset: Dataset, path: Path, payload: str) -> None:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        columns, rows = list(reader.fieldnames or []), list(reader)
    rows = [_spoiled(dataset, row) for row in rows]
    if rows and any(f.kind in _CHECKED for f in dataset.fields):
        rows.append(_bad(dataset, rows[0], payload))
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _spoil_layer(dataset: Dataset, path: Path, payload: str) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    features = document["features"]
    for feature in features:
        feature["properties"] = _spoiled(dataset, feature["properties"])
    if features:
        # The id is shown in the problem; with no checked field, the missing shape is the fault.
        extra = {**features[0], "properties": {**_bad(dataset, features[0]["properties"], payload), "id": payload}}
        if not any(f.kind in _CHECKED for f in dataset.fields):
            extra["geometry"] = None
        features.append(extra)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
