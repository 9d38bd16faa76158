"""What the data page shows staff about the files, and the tables they edit there."""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import math
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from lib.contract.catalog import DATASETS, VOCABULARIES, Dataset, Kind, Lang, Layer, Table, mask
from lib.contract.i18n import tr
from lib.contract.quarters import shift
from lib.files.database import Unavailable
from lib.files.loading import Data, decode
from lib.files.problems import Problem, Severity
from lib.files.store import SYSTEM_USER, Busy, Version
from lib.staff.spreadsheets import safe_csv
from lib.staff.uploads import MAX_UPLOAD_BYTES, Upload, read_upload

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_status(data: Data, audit: list[Version], lang: Lang) -> pd.DataFrame:
    """One row per file of the contract: its state, size, last change and who made it (from
    the ``audit`` log, newest first)."""
    last_saves = {}
    for version in reversed(audit):  # oldest first, so the newest wins
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
                tr("admin.rows", lang): "—" if loaded.frame is None else str(len(loaded.frame)),
                tr("admin.modified", lang): loaded.modified.strftime("%Y-%m-%d %H:%M") if loaded.modified else "—",
                tr("admin.by", lang): who(saved, lang) if saved else "—",
            }
        )
    return pd.DataFrame(rows)


def who(version: Version, lang: Lang) -> str:
    """Who saved a version, as staff read it (the store's own snapshots are the system's)."""
    return tr("admin.system", lang) if version.user == SYSTEM_USER else version.user


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
    if isinstance(error, Unavailable):
        return tr("admin.save_unavailable", lang, file=file)
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


def file_download(dataset: Dataset, raw: bytes, reveal_personal: bool = False) -> bytes:
    """A data file as it is downloaded: a table safe to open in Excel, a layer as it is; for
    anyone but an editor (``reveal_personal``) with personal details masked."""
    personal = [f.name for f in dataset.fields if f.personal]
    if isinstance(dataset, Table):
        text = decode(raw)
        if personal and not reveal_personal:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
            for name in personal:
                if name in frame:
                    frame[name] = frame[name].map(lambda value: mask(value) if value else value)
            text = frame.to_csv(index=False, lineterminator="\n")
        return safe_csv(text)
    if not personal or reveal_personal:
        return raw
    try:
        document = json.loads(decode(raw))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return b""  # a layer that cannot be read cannot be masked: nothing of it leaves
    for feature in document.get("features") or [] if isinstance(document, dict) else []:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        for name in personal:
            if isinstance(properties, dict) and properties.get(name):
                properties[name] = mask(str(properties[name]))
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def template(table: Table, lang: Lang) -> bytes:
    """An Excel template: the first sheet has the contract's header and no rows (so it uploads
    as it is), the second says what each column takes, with an example marked as one."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = tr("template.data_sheet", lang)
    sheet.append([f.name for f in table.fields])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rules = workbook.create_sheet(tr("template.rules_sheet", lang))
    rules.append([tr(f"template.{column}", lang) for column in ("column", "heading", "rule", "allowed", "example")])
    for field_ in table.fields:
        allowed = VOCABULARIES[field_.vocabulary] if field_.vocabulary else {}
        rules.append(
            [
                field_.name,
                field_.heading(lang),
                tr(f"template.kind_{field_.kind}", lang) + ("" if field_.required else tr("template.optional", lang)),
                "\n".join(f"{code} · {entry.label(lang)}" for code, entry in allowed.items()),
                _example_value(field_.kind, field_.vocabulary),
            ]
        )
    rules.append([])
    rules.append([tr("template.example_note", lang)])
    for column, width in zip("ABCDE", (22, 24, 40, 36, 16), strict=True):
        sheet.column_dimensions[column].width = rules.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _example_value(kind: Kind, vocabulary: str | None) -> str:
    examples = {
        Kind.QUARTER: "2024Q1",
        Kind.DATE: "2024-03-15",
        Kind.INTEGER: "120",
        Kind.NUMBER: "35.5",
        Kind.TEXT: "示例 example",
    }
    if vocabulary:
        return next(iter(VOCABULARIES[vocabulary]))
    return examples.get(kind, "")


def new_quarter_rows(table: Table, frame: pd.DataFrame, source: str = "statistics") -> pd.DataFrame:
    """Rows of ``table`` for the quarter after the latest in ``frame`` (its cells as text):
    the same unique keys, figures left empty for staff to fill in, all with ``source``; no
    rows when ``frame`` has no quarter."""
    quarters = sorted(q for q in frame.get("quarter", pd.Series(dtype=str)) if q)
    if not quarters:
        return frame.iloc[0:0].copy()
    latest = quarters[-1]
    new = frame[frame["quarter"] == latest].copy().reset_index(drop=True)
    new["quarter"] = shift(latest, 1)
    for column in new.columns:
        if column not in (*table.unique, "source"):
            new[column] = ""
    if "source" in new:
        new["source"] = source
    return new


def apply_edits(frame: pd.DataFrame, edits: Mapping[str, Any]) -> pd.DataFrame:
    """``frame`` with the edits ``st.data_editor`` reports (``edited_rows`` by position,
    ``added_rows``, ``deleted_rows``) applied, every cell as text."""
    result = frame.copy().reset_index(drop=True)
    for position, values in (edits.get("edited_rows") or {}).items():
        for column, value in values.items():
            if column in result.columns:
                result.loc[int(position), column] = _cell(value)
    deleted = {int(position) for position in edits.get("deleted_rows") or []}
    result = result.drop(index=[i for i in deleted if i in result.index])
    added = pd.DataFrame(
        [{c: _cell(row.get(c)) for c in result.columns} for row in edits.get("added_rows") or []],
        columns=result.columns,
    )
    return pd.concat([result, added], ignore_index=True) if len(added) else result.reset_index(drop=True)


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def version_summary(version: Version, lang: Lang, numbers: Mapping[str, int] | None = None) -> str:
    """What a saved version changed, in ``lang`` (entries from before counts were kept: as
    written); a restore names the version it brought back by its number in ``numbers``."""
    if version.action == "initial":
        return tr("admin.summary_outside" if version.details.get("outside") else "admin.summary_initial", lang)
    if version.action == "restore" and "restored" in version.details:
        restored = datetime.fromisoformat(str(version.details["restored"])).astimezone()
        when = f"{restored:%Y-%m-%d %H:%M:%S}"
        if (number := (numbers or {}).get(str(version.details.get("restored_id")))) is not None:
            when = f"#{number} · {when}"
        return tr("admin.summary_restored", lang, when=when)
    counts = version.details.get("counts")
    if isinstance(counts, dict):
        return tr("changes.features" if version.file.endswith(".geojson") else "changes.rows", lang, **counts)
    return version.summary


def check_grid(table: Table, cells: pd.DataFrame) -> Upload:
    """The in-page grid's cells checked as a replacement of the table's file: by the loader's
    rules through the upload's path, so that the grid accepts and refuses exactly what a file
    copied in or uploaded would (the grid has no checks of its own)."""
    return read_upload(table, table.path, table_csv(cells))


def name_grid_rows(problems: list[Problem], table: Table, cells: pd.DataFrame, lang: Lang) -> list[Problem]:
    """Problems of a table checked from the in-page grid, each naming its row by its key
    (as the grid shows it) rather than by a line of a file the clerk never sees."""
    named = []
    for problem in problems:
        position = (problem.row or 0) - 2  # line 1 is the header
        if problem.row is not None and 0 <= position < len(cells):
            row = cells.iloc[position]
            record = " · ".join(table.field(n).display(row.get(n) or None, lang, reveal=True) for n in table.unique)
            problem = dataclasses.replace(problem, record=record)
        named.append(problem)
    return named


def uploader_style(lang: Lang) -> str:
    """A style sheet that puts the file uploader's own words (English in Streamlit) into ``lang``."""
    limit = tr("admin.upload_limit", lang, mb=MAX_UPLOAD_BYTES // 2**20)
    browse = tr("admin.upload_browse", lang)
    instructions = '[data-testid="stFileUploaderDropzoneInstructions"]'
    button = '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"]'
    return (
        "<style>"
        f"{instructions} > * {{display: none;}}"
        f"{instructions}::after {{content: {json.dumps(limit, ensure_ascii=False)};}}"
        f'{button} [data-testid="stMarkdownContainer"] {{display: none;}}'
        f"{button}::after {{content: {json.dumps(browse, ensure_ascii=False)};}}"
        "</style>"
    )


def suggested_renames(layer: Layer, upload: Upload, remembered: Mapping[str, str]) -> dict[str, str]:
    """Which of an upload's own attributes stands for each contract field it lacks: as the
    editor said for the last upload of the file, else by the names other tools give the field
    ("XZQMC" for a name); a plain "NAME" is the Chinese name when it holds Chinese."""
    suggested: dict[str, str] = {}
    free = list(upload.unmatched)
    for name in upload.missing:
        aliases = {alias.casefold() for alias in layer.field(name).aliases}
        found = [c for c in free if remembered.get(c) == name] or [c for c in free if c.casefold() in aliases]
        if not found and name in ("name_zh", "name_en"):
            chinese = name == "name_zh"
            found = [c for c in free if c.casefold() == "name" and _has_chinese(upload.samples.get(c, "")) == chinese]
        if found:
            suggested[found[0]] = name
            free.remove(found[0])
    return suggested


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in text)
