"""What the data page shows staff about the files, and the tables they edit there."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pandas as pd

from lib.catalog import DATASETS, VOCABULARIES, Dataset, Kind, Lang, Table
from lib.i18n import tr
from lib.loading import Data, decode
from lib.problems import Severity
from lib.quarters import shift
from lib.spreadsheet import safe_csv
from lib.store import Busy, DataStore


def file_status(data: Data, store: DataStore, lang: Lang) -> pd.DataFrame:
    """One row per file of the contract: its state, size, last change and who made it."""
    last_saves = {}
    for version in reversed(store.audit()):  # oldest first, so the newest wins
        if version.action != "initial":
            last_saves[version.file] = version
    rows = []
    for key, loaded in data.files.items():
        dataset = DATASETS[key]
        errors = sum(p.severity == Severity.ERROR for p in loaded.problems)
        warnings = len(loaded.problems) - errors
        saved = last_saves.get(dataset.path)
        rows.append(
            {
                tr("admin.file", lang): dataset.path,
                tr("admin.content", lang): dataset.title(lang),
                tr("admin.state", lang): (
                    tr("admin.state_errors", lang, n=errors)
                    if errors
                    else tr("admin.state_warnings", lang, n=warnings)
                    if warnings
                    else tr("admin.state_ok", lang)
                ),
                tr("admin.rows", lang): None if loaded.frame is None else len(loaded.frame),
                tr("admin.modified", lang): loaded.modified.strftime("%Y-%m-%d %H:%M") if loaded.modified else "—",
                tr("admin.by", lang): saved.user if saved else "—",
            }
        )
    return pd.DataFrame(rows)


def raw_table(text: str, table: Table) -> pd.DataFrame:
    """A CSV table as text cells, every row kept (also the bad ones, so editing loses nothing)."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    for field in table.fields:
        if field.name not in frame:
            frame[field.name] = ""
    return frame[[f.name for f in table.fields] + [c for c in frame.columns if c not in {f.name for f in table.fields}]]


def save_failure(error: OSError, file: str, lang: Lang) -> str:
    """What staff are told when a save fails: why, in words they can act on, and that the file is as it was."""
    if isinstance(error, Busy):
        return tr("admin.save_busy", lang, file=file)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return tr("admin.save_failed_full", lang, file=file)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        folder = Path(error.filename).parent if error.filename else tr("admin.data_folder", lang)
        return tr("admin.save_failed_permission", lang, file=file, folder=folder)
    return tr("admin.save_failed", lang, file=file, error=error.strerror or error)


def read_raw_table(table: Table, raw: bytes | None) -> pd.DataFrame:
    """The cells of a table file as staff typed them; an empty table when there is no file."""
    if not raw:
        return pd.DataFrame(columns=[f.name for f in table.fields], dtype=str)
    return raw_table(decode(raw), table)


def table_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV that Excel on Chinese Windows opens correctly (UTF-8 with BOM)."""
    return _csv_text(frame).encode("utf-8-sig")


def _csv_text(frame: pd.DataFrame) -> str:
    cleaned = frame.fillna("").astype(str).apply(lambda column: column.str.strip())
    return cleaned.to_csv(index=False, lineterminator="\r\n")


def file_download(dataset: Dataset, raw: bytes) -> bytes:
    """A data file as staff download it: a table safe to open in Excel, a layer as it is."""
    return safe_csv(decode(raw)) if isinstance(dataset, Table) else raw


def template(table: Table, example: pd.DataFrame | None) -> bytes:
    """An empty table with the contract's header and one example row."""
    if example is not None and not example.empty:
        row = example.iloc[[0]][[f.name for f in table.fields]].astype(str)
    else:
        row = pd.DataFrame([{f.name: _example_value(f.kind, f.vocabulary) for f in table.fields}])
    return safe_csv(_csv_text(row))


def _example_value(kind: Kind, vocabulary: str | None) -> str:
    examples = {
        Kind.QUARTER: "2024Q1",
        Kind.DATE: "2024-03-15",
        Kind.INTEGER: "0",
        Kind.NUMBER: "0.0",
        Kind.TEXT: "示例",
    }
    if vocabulary:
        return next(iter(VOCABULARIES[vocabulary]))
    return examples.get(kind, "")


def next_quarter_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with rows for the quarter after its latest: the same keys, figures left empty
    for staff to fill in, marked as official statistics."""
    quarters = sorted(q for q in frame["quarter"] if q)
    if not quarters:
        return frame
    latest = quarters[-1]
    new = frame[frame["quarter"] == latest].copy()
    new["quarter"] = shift(latest, 1)
    for column in new.columns:
        if column not in ("quarter", "township_id", "industry", "route_id", "source"):
            new[column] = ""
    if "source" in new:
        new["source"] = "statistics"
    return pd.concat([frame, new], ignore_index=True)
