"""Read the data files of the contract, check them, and keep what is sound.

A file that cannot be read at all is left out with its problem; a row or feature with a
bad value is left out with its problem while the rest of the file is kept. Nothing here
ever writes to a data file.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from lib.contract.catalog import DATASETS, VOCABULARIES, Dataset, Field, Kind, Layer, Table
from lib.contract.quarters import parse_quarter
from lib.files import parsed
from lib.files.problems import Problem, Severity

ACCEPTED_CRS = ("CRS84", "4326", "4490")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


@dataclass
class Loaded:
    """One data file as read: its sound rows (None if unreadable) and its problems."""

    dataset: Dataset
    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    modified: datetime | None = None
    # What names a large layer's content as read (lib.files.parsed.digest); None for the others.
    digest: str | None = None


@dataclass
class Data:
    """Every file of the contract as read from one data folder."""

    folder: Path
    files: dict[str, Loaded]

    def frame(self, key: str) -> pd.DataFrame | None:
        """The sound rows of a file, or None when the file could not be read (or is not held)."""
        loaded = self.files.get(key)
        return loaded.frame if loaded else None

    def digest(self, key: str) -> str | None:
        """What names the content of a large layer as read, or None (see ``Loaded.digest``)."""
        loaded = self.files.get(key)
        return loaded.digest if loaded else None

    @property
    def problems(self) -> list[Problem]:
        return [p for loaded in self.files.values() for p in loaded.problems]

    @property
    def last_modified(self) -> datetime | None:
        times = [f.modified for f in self.files.values() if f.modified]
        return max(times, default=None)


def signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every data file: changes when any file does."""
    entries = []
    for dataset in DATASETS.values():
        path = folder / dataset.path
        stat = path.stat() if path.exists() else None
        entries.append((dataset.path, stat.st_mtime_ns if stat else 0, stat.st_size if stat else -1))
    return tuple(entries)


def load_all(folder: Path) -> Data:
    """Read and check every file of the contract under ``folder``."""
    files = {key: load(dataset, folder) for key, dataset in DATASETS.items()}
    data = Data(folder, files)
    _check_references(data)
    return data


def load(dataset: Dataset, folder: Path) -> Loaded:
    """Read and check one file of the contract."""
    path = folder / dataset.path
    if not path.exists():
        return Loaded(dataset, None, [Problem(dataset.path, "missing_file")])
    modified = datetime.fromtimestamp(path.stat().st_mtime)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Loaded(dataset, None, [Problem(dataset.path, "unreadable", details={"error": str(error)})], modified)
    named = parsed.digest(raw) if isinstance(dataset, Layer) else None
    if named and (found := parsed.kept(dataset, named)) is not None:
        return Loaded(dataset, *found, modified, named)
    try:
        text = decode(raw)
    except UnicodeDecodeError as error:  # a damaged file, or another kind of file saved under this name
        return Loaded(dataset, None, [Problem(dataset.path, "not_text", details={"position": error.start})], modified)
    del raw  # a county's layer is tens of MB, its text as much again: none kept longer than needed
    if isinstance(dataset, Layer):
        frame, problems = parse_layer(dataset, text)
        del text
        if named:
            parsed.keep(dataset, named, frame, problems)
    else:
        assert isinstance(dataset, Table)
        frame, problems = parse_table(dataset, text)
    return Loaded(dataset, frame, problems, modified, named)


def decode(raw: bytes) -> str:
    """Text of a file saved as UTF-8 (with or without BOM) or, as Excel does on Chinese
    Windows, as GBK / GB18030."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


class CsvRows(NamedTuple):
    """A CSV text's cells under its header, and the lines (as Excel numbers them, the header
    line 1) that hold more cells than the header names, with how many."""

    frame: pd.DataFrame
    too_long: list[tuple[int, int]]


def read_csv_rows(text: str) -> CsvRows:
    """Every row of a CSV text as text cells, blank lines left out; a row with more cells than
    the header (an unquoted "1,500") is set aside by its line rather than spoiling the table.
    Raises ``csv.Error`` (or ``ValueError`` for a text with no header) where no table can be read."""
    # Empty lines left out, as pandas does; a line of bare commas is a row, to be named.
    records = [row for row in csv.reader(io.StringIO(text), skipinitialspace=True) if row not in ([], [""])]
    if not records:
        raise ValueError("no header line")
    first, *rows = records
    header = _unique_names([name.strip() for name in first])
    kept, too_long = [], []
    for line, row in enumerate(rows, start=2):
        if len(row) > len(header):
            too_long.append((line, len(row)))
        kept.append(row[: len(header)] + [""] * (len(header) - len(row)))
    return CsvRows(pd.DataFrame(kept, columns=header, dtype=str), too_long)


def _unique_names(names: list[str]) -> list[str]:
    """Column names told apart as pandas does: a blank one "Unnamed: 5", a repeated one "x.1"."""
    seen: dict[str, int] = {}
    unique = []
    for index, name in enumerate(names):
        name = name or f"Unnamed: {index}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        unique.append(f"{name}.{count}" if count else name)
    return unique


def parse_table(table: Table, text: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Rows of a CSV table that meet the contract, and the problems of the others."""
    try:
        raw, too_long = read_csv_rows(text)
    except (csv.Error, ValueError) as error:
        return None, [Problem(table.path, "not_csv", details={"error": str(error).strip()})]
    long_lines = {line for line, _ in too_long}
    missing = [f.name for f in table.fields if f.required and f.name not in raw.columns]
    if missing:
        return None, [
            Problem(table.path, "missing_column", field=name, details={"columns": ", ".join(raw.columns)})
            for name in missing
        ]
    rows = []
    problems = [
        Problem(table.path, "too_many_cells", row=line, details={"cells": count, "columns": len(raw.columns)})
        for line, count in too_long
    ]
    for line, record in enumerate(raw.to_dict("records"), start=2):
        if line in long_lines:
            continue
        values, faults = _convert_record(table, record)
        problems += [fault.at(table.path, line) for fault in faults]
        if not faults:
            rows.append(values)
    frame = pd.DataFrame(rows, columns=[f.name for f in table.fields])
    return _drop_duplicates(table, frame, problems)


def parse_layer(layer: Layer, text: str) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    """Features of a GeoJSON layer that meet the contract, and the problems of the others.

    Any content is survived: wrong JSON types where GeoJSON has objects, nesting past what a
    parser takes, non-finite numbers and repeated keys each become a problem that says where."""
    if (depth := json_depth(text)) > MAX_JSON_DEPTH:
        return None, [Problem(layer.path, "too_deep", value=depth, details={"limit": MAX_JSON_DEPTH})]
    repeated: list[str] = []
    # Each feature is read and checked as the parser completes it, so a county's layer is
    # never held whole as parsed JSON (ten times its text) beside its rows.
    read = partial(_read_feature, layer, halves=_may_hold_halves(text))
    try:
        document = json.loads(text, object_pairs_hook=partial(_object, repeated, read))
    except json.JSONDecodeError as error:
        return None, [Problem(layer.path, "not_json", details={"line": error.lineno, "error": error.msg})]
    except RecursionError:  # nesting the depth count missed (it cannot miss, but never a traceback)
        return None, [Problem(layer.path, "too_deep", details={"limit": MAX_JSON_DEPTH})]
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return None, [Problem(layer.path, "not_feature_collection")]
    for name, value, expected in (
        ("crs", document.get("crs"), "object"),
        ("features", document.get("features"), "array"),
    ):
        if value is not None and not isinstance(value, dict if expected == "object" else list):
            return None, [_wrong_type(layer.path, name, value, expected)]
    crs = document.get("crs") or {}
    if not isinstance(crs.get("properties") or {}, dict):
        return None, [_wrong_type(layer.path, "crs.properties", crs.get("properties"), "object")]
    crs_name = str((crs.get("properties") or {}).get("name", "CRS84"))
    if not crs_name.endswith(ACCEPTED_CRS):
        return None, [Problem(layer.path, "wrong_crs", value=printable(crs_name))]
    warnings = [
        Problem(layer.path, "repeated_key", field=printable(key), severity=Severity.WARNING)
        for key in dict.fromkeys(repeated)
    ]
    frame, problems = _features(layer, document.get("features") or [], read)
    return frame, warnings + problems


MAX_JSON_DEPTH = 64


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (brackets inside strings not counted).

    Checked before parsing: deep nesting makes the parser, and later shapely, recurse until
    Python gives up."""
    # Only the brackets counted, one byte each: a county's layer has a few million of them, and
    # a step per character of its text would take ten times the text's size.
    brackets = np.frombuffer(_JSON_STRING.sub("", text).encode("utf-8").translate(None, _NOT_BRACKETS), np.uint8)
    steps = np.where((brackets == ord("{")) | (brackets == ord("[")), np.int8(1), np.int8(-1))
    return int(np.cumsum(steps, dtype=np.int32).max(initial=0))


_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def _object(
    repeated: list[str], read: Callable[[dict], ReadFeature], pairs: list[tuple[str, object]]
) -> dict | ReadFeature:
    """A JSON object, noting keys it repeats (JSON keeps only the last, silently); a feature
    as ``read`` makes of it."""
    found: dict = {}
    for key, value in pairs:
        if key in found:
            repeated.append(key)
        found[key] = value
    return read(found) if found.get("type") == "Feature" else found


def _wrong_type(file: str, name: str | None, value: object, expected: str, row: int | None = None) -> Problem:
    details: dict[str, object] = {"expected": expected, "found": _json_type(value)}
    return Problem(file, "wrong_json_type", row=row, field=name, details=details)


_HALF_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_HALF = re.compile("[\ud800-\udfff]")


def _may_hold_halves(text: str) -> bool:
    """Whether JSON text may put half of a UTF-16 pair into a string: only a \\uD800-\\uDFFF
    escape can (decoded bytes never hold one). Features are searched for halves only then,
    and the cheap substring test first, so that ordinary files pay nothing for it."""
    return ("\\ud" in text or "\\uD" in text) and _HALF_ESCAPE.search(text) is not None


def _half_character(feature: dict) -> tuple[str, dict[str, object]] | None:
    """The property (or member) of a feature whose text holds half of a UTF-16 pair, and
    that half as JSON escapes it. Such text cannot be shown or saved (UTF-8 has no halves)."""
    members = [*(feature.get("properties") or {}).items(), *((k, v) for k, v in feature.items() if k != "properties")]
    for name, value in members:
        if half := _half_in([name, value]):
            return printable(name), {"escape": f"\\u{ord(half):04x}"}
    return None


def _half_in(value: object) -> str | None:
    """The first half of a UTF-16 pair in a JSON value's texts, keys included."""
    if isinstance(value, str):
        found = _HALF.search(value)
        return found[0] if found else None
    items = [*value.keys(), *value.values()] if isinstance(value, dict) else value if isinstance(value, list) else []
    return next((half for item in items if (half := _half_in(item))), None)


def printable(text: str) -> str:
    """Text as it can be shown and printed: half characters written as their escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _json_type(value: object) -> str:
    """The JSON type of a parsed value, as the json_type.* messages name it."""
    if isinstance(value, ReadFeature):
        return "object"
    return {dict: "object", list: "array", str: "text", bool: "boolean", type(None): "null"}.get(type(value), "number")


@dataclass(frozen=True, slots=True)
class ReadFeature:
    """One GeoJSON feature as read and checked: its row and shape, or what is wrong with it."""

    values: dict
    geometry: object
    faults: list[_Fault]
    feature_id: str | None


def _read_feature(layer: Layer, feature: dict, halves: bool) -> ReadFeature:
    if not isinstance(feature.get("properties") or {}, dict):
        wrong = {"expected": "object", "found": _json_type(feature.get("properties"))}
        return ReadFeature({}, None, [_Fault("properties", None, "wrong_json_type", wrong)], None)
    if halves and (broken := _half_character(feature)):
        return ReadFeature({}, None, [_Fault(broken[0], None, "half_character", broken[1])], None)
    properties = feature.get("properties") or {}
    values, faults = _convert_record(layer, properties)
    geometry, geometry_fault = _check_geometry(layer, feature.get("geometry"))
    faults += [geometry_fault] if geometry_fault else []
    return ReadFeature(values, geometry, faults, str(properties.get("id", "")) or None)


def _features(
    layer: Layer, features: list, read: Callable[[dict], ReadFeature]
) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    rows, geometries, problems = [], [], []
    for index, item in enumerate(features, start=1):
        if not isinstance(item, dict | ReadFeature):
            problems.append(_wrong_type(layer.path, None, item, "object", index))
            continue
        feature = item if isinstance(item, ReadFeature) else read(item)  # one whose type is not "Feature"
        problems += [fault.at(layer.path, index, feature.feature_id) for fault in feature.faults]
        if not feature.faults:
            rows.append(feature.values)
            geometries.append(feature.geometry)
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=[f.name for f in layer.fields]), geometry=geometries, crs="EPSG:4326"
    )
    return _drop_duplicates(layer, frame, problems)


def convert(field_: Field, raw: object) -> tuple[object, tuple[str, dict] | None]:
    """The value of one cell as its field's kind, or what is wrong with it."""
    text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
    if not text:
        return (None, ("required", {})) if field_.required else (None, None)
    match field_.kind:
        case Kind.TEXT:
            return text, None
        case Kind.INTEGER | Kind.NUMBER:
            try:
                number = float(text.replace(",", ""))
            except ValueError:
                return None, (f"not_{field_.kind}", {})
            if field_.kind == Kind.INTEGER and not number.is_integer():
                return None, ("not_integer", {})
            if not math.isfinite(number):
                return None, ("not_number", {})
            if field_.minimum is not None and number < field_.minimum:
                return None, ("below_minimum", {"minimum": field_.minimum})
            return (int(number) if field_.kind == Kind.INTEGER else number), None
        case Kind.QUARTER:
            quarter = parse_quarter(text)
            return (quarter, None) if quarter else (None, ("not_quarter", {}))
        case Kind.DATE:
            # Excel turns 2023-07-14 into 2023/7/14 when it saves a CSV again.
            match = _DATE.match(text)
            try:
                return date(*(int(part) for part in match.groups())), None  # type: ignore[union-attr]
            except (AttributeError, ValueError):
                return None, ("not_date", {})
        case Kind.FIELDS:  # which names are the record's fields is checked with the record
            return "|".join(name.strip() for name in text.split("|") if name.strip()), None
        case Kind.CODE | Kind.CODES:
            allowed = VOCABULARIES[field_.vocabulary or ""]
            codes = [c.strip() for c in text.split("|")] if field_.kind == Kind.CODES else [text]
            unknown = [c for c in codes if c not in allowed]
            if unknown:
                return None, ("unknown_code", {"allowed": ", ".join(allowed)})
            return ("|".join(codes) if field_.kind == Kind.CODES else text), None
    raise ValueError(f"unknown field kind: {field_.kind!r}")


class _Fault(NamedTuple):
    """What is wrong with one value, before it is placed in a file."""

    field: str
    value: object
    what: str
    details: dict

    def at(self, file: str, row: int, feature_id: str | None = None) -> Problem:
        return Problem(file, self.what, row, feature_id, self.field, self.value, self.details)


def _convert_record(dataset: Dataset, record: dict) -> tuple[dict, list[_Fault]]:
    values, faults = {}, []
    for field_ in dataset.fields:
        if field_.name not in record and field_.required:
            faults.append(_Fault(field_.name, None, "missing_property", {}))
            continue
        raw = record.get(field_.name)
        if isinstance(raw, dict | list | ReadFeature):  # a value, never one written as its Python text
            faults.append(_Fault(field_.name, None, "wrong_json_type", {"expected": "text", "found": _json_type(raw)}))
            continue
        value, wrong = convert(field_, raw)
        if wrong:
            faults.append(_Fault(field_.name, raw, *wrong))
        values[field_.name] = value
    listed = values.get("reported_fields")
    if isinstance(listed, str):
        names = {f.name for f in dataset.fields}
        if unknown := [n.strip() for n in listed.split("|") if n.strip() and n.strip() not in names]:
            faults.append(
                _Fault(
                    "reported_fields",
                    listed,
                    "unknown_field",
                    {"unknown": ", ".join(unknown), "allowed": ", ".join(sorted(names))},
                )
            )
    return values, faults


def _check_geometry(layer: Layer, geometry: object) -> tuple[object, _Fault | None]:
    allowed = {"allowed": ", ".join(sorted(layer.geometry_types))}
    if not isinstance(geometry, dict):
        return None, _Fault("geometry", None, "no_geometry", allowed)
    if geometry.get("type") not in layer.geometry_types:
        return None, _Fault("geometry", geometry.get("type"), "wrong_geometry_type", allowed)
    if wrong := coordinate_types(geometry):
        return None, _Fault("geometry.coordinates", None, "wrong_json_type", wrong)
    try:
        parsed = shape(geometry)
    except (AttributeError, IndexError, OverflowError, TypeError, ValueError, shapely.errors.GEOSException) as error:
        return None, _Fault("geometry", None, "bad_coordinates", {"error": str(error)})
    coordinates = shapely.get_coordinates(parsed)
    if not np.isfinite(coordinates).all():
        return None, _Fault("geometry", None, "bad_coordinates", {"error": "NaN / Infinity"})
    if len(coordinates) == 0:
        return None, _Fault("geometry", None, "no_geometry", allowed)
    outside = coordinates[(abs(coordinates[:, 0]) > 180) | (abs(coordinates[:, 1]) > 90)]
    if len(outside):
        return None, _Fault("geometry", f"{outside[0][0]:g}, {outside[0][1]:g}", "not_lon_lat", {})
    if not parsed.is_valid:
        return None, _Fault("geometry", None, "invalid_geometry", {"reason": shapely.is_valid_reason(parsed)})
    return parsed, None


# How deeply each geometry type nests arrays around its numbers (GeoJSON, RFC 7946 §3.1).
_COORDINATE_DEPTH = {
    "Point": 1,
    "MultiPoint": 2,
    "LineString": 2,
    "MultiLineString": 3,
    "Polygon": 3,
    "MultiPolygon": 4,
}


def coordinate_types(geometry: dict) -> dict[str, str] | None:
    """What JSON type was expected and what found where a geometry's coordinates are not
    arrays of numbers; None when they are (or the type is not one with coordinates).

    Checked before shapely sees them: it takes ``true`` as 1, ``"2"`` as 2 and ``[[1, 2]]`` as
    a point, so a spoiled feature would load at a made-up place."""
    depth = _COORDINATE_DEPTH.get(str(geometry.get("type")))
    return _coordinate_types(geometry.get("coordinates"), depth) if depth else None


def _coordinate_types(coordinates: object, depth: int) -> dict[str, str] | None:
    """As ``coordinate_types``, for coordinates that nest arrays ``depth`` deep around numbers."""
    if not isinstance(coordinates, list | tuple):  # tuples: shapely's mapping() of a GIS file's shapes
        return {"expected": "array", "found": _json_type(coordinates)}
    if depth > 1:
        return next((wrong for item in coordinates if (wrong := _coordinate_types(item, depth - 1))), None)
    for value in coordinates:
        # Exact types: bool is an int in Python, but true/false is not a number in JSON.
        if type(value) not in (int, float):
            return {"expected": "number", "found": _json_type(value)}
    return None


def _drop_duplicates(dataset: Dataset, frame: pd.DataFrame, problems: list[Problem]):
    duplicated = frame.duplicated(subset=list(dataset.unique), keep="first")
    for _, row in frame[duplicated].iterrows():
        key = " / ".join(str(row[name]) for name in dataset.unique)
        problems.append(Problem(dataset.path, "duplicate", field=", ".join(dataset.unique), value=key))
    return frame[~duplicated].reset_index(drop=True), problems


def _check_references(data: Data) -> None:
    """Checks across files, reported as warnings: the rows stay in."""
    routes, figures = data.frame("tourism_routes"), data.frame("tourism_figures")
    if routes is not None and figures is not None:
        known = set(routes["id"])
        for _, row in figures[~figures["route_id"].isin(known)].iterrows():
            data.files["tourism_figures"].problems.append(
                Problem(
                    "tables/tourism_figures.csv",
                    "unknown_route",
                    field="route_id",
                    value=row["route_id"],
                    severity=Severity.WARNING,
                )
            )
    mediation = data.frame("mediation")
    if mediation is not None:
        for _, row in mediation[mediation["cases_resolved"] > mediation["cases_received"]].iterrows():
            data.files["mediation"].problems.append(
                Problem(
                    "tables/mediation.csv",
                    "resolved_exceeds_received",
                    field="cases_resolved",
                    value=row["cases_resolved"],
                    details={"quarter": row["quarter"]},
                    severity=Severity.WARNING,
                )
            )
