"""Read a file that staff upload to replace a data file: check it as the dashboard does and
turn it into the canonical file to save.

Tables come as CSV (UTF-8, with or without BOM, or GBK / GB18030 as Excel writes on Chinese
Windows), as Excel .xlsx or .xls or as LibreOffice .ods; layers as GeoJSON, as a GeoPackage or as a zipped ESRI
shapefile. What a file is
is decided by its content, since names lie (Excel saves "CSV" files that are really .xlsx,
and phones rename things). Every upload is converted to canonical text first and then read by
``lib.files.loading`` exactly as the dashboard will read the saved file, so the problems shown
before a save are the ones the dashboard would show after it.

Canonical files:

* tables: UTF-8 CSV with BOM (so that Excel on Chinese Windows opens it right), the header
  being the contract's fields in contract order, lines ending in ``"\\n"`` like the bundled
  files (Excel reads either ending; keeping the bundled one keeps version diffs small);
* layers: UTF-8 GeoJSON FeatureCollection (``ensure_ascii=False``), one feature per line, as
  ``scripts/data/build_sample_data.py`` writes them.

Nothing here writes a data file: the caller saves ``Upload.content`` when it chooses to.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import re
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath

import ftfy
import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from lib.contract.catalog import Dataset, Lang, Layer, Table
from lib.contract.i18n import tr
from lib.files.geodesy import gcj02_to_wgs84
from lib.files.loading import (
    ACCEPTED_CRS,
    MAX_JSON_DEPTH,
    coordinate_types,
    decode,
    json_depth,
    parse_layer,
    parse_table,
    printable,
    read_csv_rows,
)
from lib.files.problems import Problem, Severity
from lib.staff.spreadsheets import restore

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 50
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
LINE_END = "\n"

# Format names as found by content; shown in messages, so language-neutral.
XLSX, XLS, ODS, GEOPACKAGE, SQLITE, SHAPEFILE, ZIP, JSON, XML, CSV, BINARY = (
    "Excel .xlsx",
    "Excel .xls",
    "LibreOffice .ods",
    "GeoPackage .gpkg",
    "SQLite",
    "Shapefile .zip",
    "ZIP",
    "JSON",
    "XML",
    "CSV",
    "binary",
)
_MAGIC = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"%PDF": "PDF",
    b"\xd0\xcf\x11\xe0": XLS,  # OLE2: Excel 97-2003 (and old Word) files
    b"\x1f\x8b": "GZIP",
    b"SQLite format 3\x00": SQLITE,
    b"Rar!": "RAR",
    b"7z\xbc\xaf": "7Z",
}
# A GeoPackage is an SQLite database that says so in its header's application id.
_GEOPACKAGE_IDS = (b"GPKG", b"GP10", b"GP11")
# OpenDocument puts its type first in the zip, unpacked, right after the member's name.
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_GEOD = pyproj.Geod(ellps="WGS84")
_DRIVE = re.compile(r"^[A-Za-z]:")
_TOO_BIG = {"members": MAX_ARCHIVE_MEMBERS, "limit_mb": MAX_UNPACKED_BYTES // 2**20}


@dataclass(frozen=True)
class Reprojection:
    """What was done to an uploaded layer's coordinates to make them WGS84 longitude/latitude:
    from the coordinate system the file states (``crs``, as pyproj names it), and/or from
    Amap's and Tencent's GCJ-02, moving the features ``shift_km`` on average."""

    crs: str | None = None
    epsg: int | None = None
    shift_km: float | None = None

    def sentences(self, lang: Lang) -> list[str]:
        """What was done, in ``lang``: "从 CGCS2000 / 3度带高斯-克吕格 CM 105E（EPSG:4544）转换为 WGS84"."""
        said = []
        if self.crs:
            name = crs_name(self.crs, lang)
            if self.epsg:
                name += f"（EPSG:{self.epsg}）" if lang == "zh" else f" (EPSG:{self.epsg})"
            # No space after a full-width bracket.
            said.append(tr("upload.reprojected", lang, crs=name).replace("） ", "）"))
        if self.shift_km is not None:
            said.append(tr("upload.from_gcj02", lang, km=f"{self.shift_km:.2f}"))
        return said


# pyproj's English names of the coordinate systems Chinese bureaus use, in Chinese.
_CRS_WORDS_ZH = (
    (re.compile(r"3-degree Gauss-Kruger zone (\d+)"), r"3度带高斯-克吕格 第\1带"),
    (re.compile(r"3-degree Gauss-Kruger CM (\w+)"), r"3度带高斯-克吕格 CM \1"),
    (re.compile(r"Gauss-Kruger zone (\d+)"), r"6度带高斯-克吕格 第\1带"),
    (re.compile(r"Gauss-Kruger CM (\w+)"), r"6度带高斯-克吕格 CM \1"),
    (re.compile(r"UTM zone (\w+)"), r"UTM \1 带"),
)


def crs_name(name: str, lang: Lang) -> str:
    """A coordinate system's name as pyproj gives it, in ``lang``."""
    if lang == "zh":
        for pattern, words in _CRS_WORDS_ZH:
            name = pattern.sub(words, name)
    return name


@dataclass(frozen=True)
class _Adjustments:
    """What the editor said of an uploaded layer: its attributes' contract names, and whether
    its coordinates are GCJ-02."""

    renames: dict[str, str] = dataclasses.field(default_factory=dict)
    gcj02: bool = False


@dataclass(frozen=True)
class Upload:
    """An uploaded file as read: the canonical bytes to save, its sound rows, its problems.

    ``content`` and ``frame`` are None when the file cannot be read as the dataset at all.
    For tables ``content`` keeps every uploaded row, bad ones too, so that it is the file
    staff sent; the caller refuses to save while any problem is an error.
    """

    content: bytes | None
    frame: pd.DataFrame | None
    problems: list[Problem]
    repaired: bytes | None = None  # the table with garbled text mended, offered instead
    reprojected: Reprojection | None = None  # what was done to a layer's coordinates
    unmatched: tuple[str, ...] = ()  # a layer's attribute names that are not the contract's
    missing: tuple[str, ...] = ()  # contract fields that no feature of a layer has
    samples: Mapping[str, str] = dataclasses.field(default_factory=dict)  # a value of each unmatched name

    @property
    def savable(self) -> bool:
        """Whether the upload may replace the file: readable, and no problem is an error."""
        return self.content is not None and not any(p.severity == Severity.ERROR for p in self.problems)


def read_upload(
    dataset: Dataset, filename: str, raw: bytes, renames: Mapping[str, str] | None = None, gcj02: bool = False
) -> Upload:
    """Read an upload meant to replace ``dataset``'s file, whatever form staff sent it in.

    For a layer, ``renames`` gives contract field names to the file's own attribute names
    (``{"XZQMC": "name_zh"}``), and ``gcj02`` says its coordinates were traced on Amap or
    Tencent maps and are to be made true."""
    if len(raw) > MAX_UPLOAD_BYTES:
        size = {"size_mb": f"{len(raw) / 2**20:.1f}", "limit_mb": MAX_UPLOAD_BYTES // 2**20}
        return _refused(dataset, "too_large", size)
    found = sniff(raw)
    suffix = Path(filename).suffix.lower()
    if isinstance(dataset, Layer):
        upload = _read_layer(dataset, raw, found, suffix, _Adjustments(dict(renames or {}), gcj02))
    else:
        assert isinstance(dataset, Table)
        upload = _read_table(dataset, raw, found, suffix)
    return _named_as_sent(upload, dataset, filename, first_sheet(raw, found) if found in _SPREADSHEET_ENGINES else None)


def _named_as_sent(upload: Upload, dataset: Dataset, filename: str, sheet: str | None) -> Upload:
    """The upload with its problems naming the file as staff sent it (and its sheet), so that
    "row 5" is row 5 of what they have open."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    if name == PurePosixPath(dataset.path).name and sheet is None:
        return upload
    named = [dataclasses.replace(p, source=name, sheet=sheet) for p in upload.problems]
    return dataclasses.replace(upload, problems=named)


def first_sheet(raw: bytes, found: str = XLSX) -> str | None:
    """The name of a workbook's first sheet, the one that is read; None if it cannot be read."""
    try:
        return pd.ExcelFile(io.BytesIO(raw), engine=_SPREADSHEET_ENGINES[found]).sheet_names[0]
    except Exception:  # a damaged workbook: its problem is said elsewhere
        return None


def sniff(raw: bytes) -> str:
    """What a file is by its content: one of the format names above, or a known binary type."""
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return ZIP
        if "xl/workbook.xml" in names:
            return XLSX
        if raw[30:38] == b"mimetype" and raw[38:].startswith(_ODS_MIMETYPE):
            return ODS
        return SHAPEFILE if any(name.lower().endswith(".shp") for name in names) else ZIP
    for magic, name in _MAGIC.items():
        if raw.startswith(magic):
            return GEOPACKAGE if name == SQLITE and raw[68:72] in _GEOPACKAGE_IDS else name
    if b"\x00" in raw[:8192]:
        return BINARY
    try:
        text = decode(raw)
    except UnicodeDecodeError:
        return BINARY
    first = text.lstrip()[:1]
    return JSON if first in ("{", "[") else XML if first == "<" else CSV


# Tables


_SPREADSHEET_ENGINES = {XLSX: "openpyxl", XLS: "calamine", ODS: "calamine"}


def _read_table(table: Table, raw: bytes, found: str, suffix: str) -> Upload:
    # A workbook is a zip too: refuse one that would unpack into more than any table needs.
    if found in (XLSX, ODS) and _unpacked_size(raw) > MAX_UNPACKED_BYTES:
        return _refused(table, "archive_too_big", dict(_TOO_BIG))
    if found in _SPREADSHEET_ENGINES:
        text = excel_csv(raw, found)
        return _refused(table, "not_excel") if text is None else table_upload(table, text)
    if found == ZIP and suffix in (".xlsx", ".xlsm", ".xls"):
        return _refused(table, "not_excel")
    if found != CSV:
        return _refused(table, "wrong_file_type_table", {"found": found})
    return table_upload(table, decode(raw))


def table_upload(table: Table, text: str) -> Upload:
    """A table's upload from its CSV text: canonical CSV, checked as the dashboard checks it.

    A byte-order mark read as Latin-1 ("ï»¿", as an .xlsx made from the page's own download
    has it) is the mark it is; garbled Chinese (UTF-8 read as another code page, as in an
    .xlsx made by opening a CSV without a BOM) is refused cell by cell, and the mended table
    offered."""
    text = text.removeprefix(MISREAD_BOM)
    frame, problems = parse_table(table, text)
    if frame is None or any(p.what == "too_many_cells" for p in problems):
        # A row of more cells than the header has no columns to go in: refused, never cut short.
        return Upload(None, None, problems)
    canonical, extra = _canonical_csv(table, text)
    frame, problems = parse_table(table, canonical)
    notes = [Problem(table.path, "extra_column", field=name, severity=Severity.WARNING) for name in extra]
    garbled = _garbled(table, canonical)
    repaired = None
    if garbled:
        mended, _ = _canonical_csv(table, ftfy.fix_encoding(text))
        repaired = ("\ufeff" + mended).encode("utf-8")
    return Upload(("\ufeff" + canonical).encode("utf-8"), frame, garbled + problems + notes, repaired)


MISREAD_BOM = "\ufeff".encode().decode("latin-1")


def _garbled(table: Table, text: str) -> list[Problem]:
    """A problem for each cell whose text is mojibake, with the text it should have been."""
    found = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        for name, cell in row.items():
            if isinstance(cell, str) and cell and ftfy.badness.is_bad(cell):
                mended = ftfy.fix_encoding(cell)
                found.append(
                    Problem(table.path, "garbled", row=line, field=name, value=cell, details={"fixed": mended})
                )
    return found


def _canonical_csv(table: Table, text: str) -> tuple[str, list[str]]:
    """The table's CSV with the contract's columns in contract order, every row kept as sent,
    and the names of the uploaded columns that the contract does not have (left out)."""
    # Read the way lib.files.loading reads, so that rows and line numbers stay the same.
    raw = read_csv_rows(text).frame
    raw = raw.map(restore)  # a cell of a downloaded file, as it was before it was made safe for Excel
    names = [f.name for f in table.fields]
    extra = [c for c in raw.columns if c not in names and not (_blank_heading(c) and (raw[c].fillna("") == "").all())]
    canonical = raw.reindex(columns=names, fill_value="").fillna("")
    return canonical.to_csv(index=False, lineterminator=LINE_END), extra


def _blank_heading(name: str) -> bool:
    # pandas names a column without heading "Unnamed: 5"; Excel leaves such columns behind.
    return not name or name.startswith("Unnamed:")


def excel_csv(raw: bytes, found: str = XLSX) -> str | None:
    """The first sheet of a workbook (.xlsx, .xls or .ods) as CSV text, every cell as the text the
    contract expects (dates as YYYY-MM-DD, whole numbers without ".0"); None if it cannot be read."""
    try:
        sheet = pd.read_excel(
            io.BytesIO(raw),
            sheet_name=0,
            header=None,
            dtype=object,
            engine=_SPREADSHEET_ENGINES[found],
            na_filter=False,
        )
    except Exception:  # openpyxl raises many kinds for a damaged workbook; all mean "cannot read"
        return None
    rows = [[_cell_text(value) for value in row] for row in sheet.itertuples(index=False)]
    # Formatting can stretch a sheet past its data: trim empty rows and columns at the end only,
    # so that line numbers in messages stay the row numbers Excel shows.
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((i + 1 for row in rows for i, cell in enumerate(row) if cell), default=0)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=LINE_END).writerows(row[:width] for row in rows)
    return buffer.getvalue()


def _cell_text(value: object) -> str:
    """One Excel cell as text."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # 15 significant digits is what Excel shows: 0.1 + 0.2 is 0.3 there, and here too.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    return str(value).strip()


# Layers


def _read_layer(layer: Layer, raw: bytes, found: str, suffix: str, adjust: _Adjustments) -> Upload:
    if found in (SHAPEFILE, ZIP):
        return shapefile_upload(layer, raw, adjust)
    if found == GEOPACKAGE:
        return geopackage_upload(layer, raw, adjust)
    # A broken .geojson (cut short, say) is JSON that failed: say so rather than "wrong type".
    if found == JSON or (found == CSV and suffix in (".geojson", ".json")):
        return geojson_upload(layer, decode(raw), adjust)
    return _refused(layer, "wrong_file_type_layer", {"found": found})


def geojson_upload(layer: Layer, text: str, adjust: _Adjustments | None = None) -> Upload:
    """A layer's upload from GeoJSON text: canonical GeoJSON, checked as the dashboard checks it;
    one in a projected coordinate system (a ``crs`` the dashboard does not draw) is reprojected."""
    adjust = adjust or _Adjustments()
    if json_depth(text) > MAX_JSON_DEPTH:
        return _refused(layer, "too_deep", {"limit": MAX_JSON_DEPTH})
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return Upload(None, None, parse_layer(layer, text)[1])
    if not _is_feature_collection(document):
        return _refused(layer, "not_feature_collection")
    crs = document.get("crs")
    crs_stated = str(((crs or {}).get("properties") or {}).get("name", "CRS84"))
    if not crs_stated.endswith(ACCEPTED_CRS):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload.geojson"
            path.write_text(text, encoding="utf-8")
            try:
                frame, reprojected = _read_gis(path)
            except _GisError:
                frame, reprojected = None, None
        if reprojected is None:  # a coordinate system GDAL does not know: never guess
            return Upload(None, None, [Problem(layer.path, "wrong_crs", value=crs_stated)])
        return _layer_upload(layer, _features(layer, frame), adjust, reprojected, stated=True)
    features = [_tidy_feature(layer, f) for f in document.get("features") or []]
    return _layer_upload(layer, features, adjust, crs=crs, stated=crs is not None)


def _is_feature_collection(document: object) -> bool:
    """Whether the document has the shape lib.files.loading relies on: a FeatureCollection whose
    features, properties and crs are objects (anything else would make it fail midway)."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return False
    crs, features = document.get("crs"), document.get("features")
    if crs is not None and not (isinstance(crs, dict) and isinstance(crs.get("properties") or {}, dict)):
        return False
    if features is not None and not isinstance(features, list):
        return False
    return all(
        f is None or (isinstance(f, dict) and isinstance(f.get("properties") or {}, dict)) for f in features or []
    )


def _tidy_feature(layer: Layer, feature: dict | None) -> dict | None:
    """A feature with its members in GeoJSON order and the contract's properties first."""
    if feature is None:
        return None
    properties = feature.get("properties") or {}
    names = [f.name for f in layer.fields]
    ordered = {name: properties[name] for name in names if name in properties}
    ordered |= {name: value for name, value in properties.items() if name not in ordered}
    return {"type": "Feature", "properties": ordered, "geometry": feature.get("geometry")}


def geojson_text(features: list[dict | None], crs: object = None) -> str:
    """A FeatureCollection, one feature per line; ``crs`` kept when the upload named one."""
    head = '{"type":"FeatureCollection",'
    if crs is not None:
        head += f'"crs":{json.dumps(crs, ensure_ascii=False, separators=(",", ":"))},'
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    body = ",\n".join(lines) + "\n" if lines else ""
    return f'{head}"features":[\n{body}]}}\n'


def _layer_upload(
    layer: Layer,
    features: list[dict | None],
    adjust: _Adjustments,
    reprojected: Reprojection | None = None,
    *,
    stated: bool,
    crs: object = None,
) -> Upload:
    """The upload of a layer's features (lon/lat unless ``crs`` says otherwise), renamed and
    made true as the editor asked, checked as the dashboard checks them. ``stated``: whether the
    file named its coordinate system."""
    features = [_renamed(feature, adjust.renames) for feature in features]
    if not stated and (far := _not_lon_lat(features)) is not None:
        return _refused(layer, "missing_crs", {"x": f"{far[0]:.0f}", "y": f"{far[1]:.0f}"})
    if adjust.gcj02:
        features, shift_km = _from_gcj02(features)
        reprojected = dataclasses.replace(reprojected or Reprojection(), shift_km=shift_km)
    # Half of a UTF-16 pair (from a \uD800 escape) written back as its escape: UTF-8 cannot hold
    # it, and lib.files.loading names the feature that has it.
    canonical = printable(geojson_text(features, crs))
    frame, problems = parse_layer(layer, canonical)
    contract = [f.name for f in layer.fields]
    samples: dict[str, str] = {}
    for feature in features:
        for name, value in (feature or {}).get("properties", {}).items():
            if name not in contract and not samples.get(printable(name)):
                samples[printable(name)] = "" if value is None else printable(str(value))
    present = {name for f in features if f for name in f["properties"]}
    return Upload(
        canonical.encode("utf-8") if frame is not None else None,
        frame,
        problems,
        reprojected=reprojected,
        unmatched=tuple(sorted(samples)),
        missing=tuple(name for name in contract if name not in present),
        samples=samples,
    )


def _renamed(feature: dict | None, renames: Mapping[str, str]) -> dict | None:
    """A feature whose attributes named in ``renames`` carry their contract names instead."""
    if feature is None or not renames:
        return feature
    properties = {renames.get(name, name): value for name, value in feature["properties"].items()}
    return {**feature, "properties": properties}


def _not_lon_lat(features: list[dict | None]) -> tuple[float, float] | None:
    """A coordinate of the features when none of them can be longitude/latitude (as in a file
    in metres): one stray feature is that feature's problem, not the file's."""
    far = None
    for feature in features:
        traced = _shape(feature.get("geometry") if feature else None)
        if traced is None:
            continue  # no shape, or a broken one: lib.files.loading says what is wrong with it
        coords = shapely.get_coordinates(traced)
        outside = coords[(np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)]
        if not len(outside):
            return None
        far = far or (float(outside[0][0]), float(outside[0][1]))
    return far


def _from_gcj02(features: list[dict | None]) -> tuple[list[dict | None], float]:
    """Features traced on Amap or Tencent maps at their true places, and how far they moved
    on average (km)."""
    moved, shifts = [], []
    for feature in features:
        traced = _shape(feature.get("geometry") if feature else None)
        if feature is None or traced is None or traced.is_empty:
            moved.append(feature)  # as sent: lib.files.loading says what is wrong with it
            continue
        true = gcj02_to_wgs84(traced)
        a, b = traced.representative_point(), true.representative_point()
        shifts.append(_GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000)
        moved.append({**feature, "geometry": mapping(true)})
    return moved, float(np.mean(shifts)) if shifts else 0.0


def _shape(geometry: object) -> BaseGeometry | None:
    """A GeoJSON geometry as shapely's; None when there is none or it is broken. Converted only
    when its coordinates are numbers: shapely would make ``true`` 1, and the moved feature
    would then pass the loader's check."""
    if not isinstance(geometry, dict) or coordinate_types(geometry):
        return None
    try:
        return shape(geometry)
    except (AttributeError, IndexError, KeyError, OverflowError, TypeError, ValueError, shapely.errors.ShapelyError):
        return None


def shapefile_upload(layer: Layer, raw: bytes, adjust: _Adjustments | None = None) -> Upload:
    """A layer's upload from a zipped ESRI shapefile, reprojected to lon/lat when needed."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive, tempfile.TemporaryDirectory() as folder:
            problem = _unpack_shapefile(layer, archive, Path(folder))
            if problem:
                return Upload(None, None, [problem])
            frame, reprojected = _read_shapefile(Path(folder) / "layer.shp", (Path(folder) / "layer.cpg").exists())
    except _GisError as error:
        return _refused(layer, "not_shapefile", {"error": str(error)})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, zlib.error) as e:
        # Damaged, encrypted or oddly compressed archives.
        return _refused(layer, "bad_archive", {"error": str(e)})
    stated = frame.crs is not None or reprojected is not None
    return _layer_upload(layer, _features(layer, frame), adjust or _Adjustments(), reprojected, stated=stated)


def geopackage_upload(layer: Layer, raw: bytes, adjust: _Adjustments | None = None) -> Upload:
    """A layer's upload from a GeoPackage: its only map layer, or the one named as the dataset's
    file (``sites`` for sites.geojson); reprojected to lon/lat when needed."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.gpkg"
        path.write_bytes(raw)
        try:
            names = _map_layers(path)
            wanted = PurePosixPath(layer.path).stem
            chosen = names if len(names) == 1 else [n for n in names if n.lower() == wanted.lower()]
            if len(chosen) != 1:
                return _refused(layer, "geopackage_layers", {"names": ", ".join(names) or "—", "wanted": wanted})
            frame, reprojected = _read_gis(path, layer=chosen[0])
        except _GisError as error:
            return _refused(layer, "not_geopackage", {"error": str(error)})
    stated = frame.crs is not None or reprojected is not None
    return _layer_upload(layer, _features(layer, frame), adjust or _Adjustments(), reprojected, stated=stated)


class _GisError(Exception):
    """GDAL could not read the file."""


def _map_layers(path: Path) -> list[str]:
    """The names of a GeoPackage's layers that hold shapes (not plain attribute tables)."""
    try:
        return [str(name) for name, geometry_type in pyogrio.list_layers(path) if geometry_type]
    except (RuntimeError, ValueError, OSError) as error:  # pyogrio's errors are RuntimeErrors
        raise _GisError(str(error)) from error


def _read_shapefile(path: Path, has_cpg: bool) -> tuple[gpd.GeoDataFrame, Reprojection | None]:
    # Without a .cpg GDAL assumes Latin-1; Chinese tools write UTF-8 or, older ones, GBK.
    if has_cpg:
        return _read_gis(path)
    try:
        return _read_gis(path, encoding="utf-8")
    except _GisError as error:
        if not isinstance(error.__cause__, UnicodeDecodeError):
            raise
        return _read_gis(path, encoding="gb18030")


def _read_gis(path: Path, **options: str) -> tuple[gpd.GeoDataFrame, Reprojection | None]:
    """A file GDAL reads, in lon/lat, and what was done to get there. Without a stated CRS the
    coordinates are taken as they are (the caller refuses them when they cannot be lon/lat)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's notes on field types are not for staff
            frame = gpd.read_file(path, engine="pyogrio", **options)
            if frame.crs is None or frame.crs.equals("EPSG:4326"):
                return frame, None
            reprojected = Reprojection(frame.crs.name, frame.crs.to_epsg())
            return frame.to_crs("EPSG:4326"), reprojected
    except (RuntimeError, ValueError, OSError, pyproj.exceptions.CRSError) as error:
        raise _GisError(str(error)) from error


def _unpack_shapefile(layer: Layer, archive: zipfile.ZipFile, folder: Path) -> Problem | None:
    """Check the archive and unpack its shapefile as ``folder/layer.*``; what is wrong, if anything."""
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return Problem(layer.path, "archive_too_big", details=dict(_TOO_BIG))
    # Members are unpacked under fixed names, so a hostile name could do no harm; such an
    # archive was still made to attack, so none of it is used.
    unsafe = next((m.filename for m in members if _unsafe_name(m.filename)), None)
    if unsafe is not None:
        return Problem(layer.path, "unsafe_archive", details={"name": unsafe})
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        return Problem(layer.path, "archive_too_big", details=dict(_TOO_BIG))
    # macOS adds "__MACOSX/._name.shp" resource forks beside the real files.
    files = [m for m in members if not m.is_dir() and "__MACOSX" not in m.filename and not _base(m).startswith("._")]
    shps = [m for m in files if _base(m).lower().endswith(".shp")]
    if len(shps) != 1:
        return Problem(layer.path, "no_shapefile", details={"n": len(shps)})
    stem = shps[0].filename[:-4].lower()
    parts = {m.filename[len(stem) :].lower(): m for m in files if m.filename[: len(stem)].lower() == stem}
    parts = {suffix: m for suffix, m in parts.items() if suffix.count(".") == 1 and suffix.startswith(".")}
    missing = [suffix for suffix in (".shx", ".dbf") if suffix not in parts]
    if missing:
        return Problem(layer.path, "shapefile_incomplete", details={"missing": ", ".join(missing)})
    budget = MAX_UNPACKED_BYTES
    for suffix, member in parts.items():
        # Sizes in the archive's directory can lie: count the bytes actually unpacked.
        with archive.open(member) as source, (folder / f"layer{suffix}").open("wb") as target:
            while chunk := source.read(1 << 20):
                budget -= len(chunk)
                if budget < 0:
                    return Problem(layer.path, "archive_too_big", details=dict(_TOO_BIG))
                target.write(chunk)
    return None


def _unpacked_size(raw: bytes) -> int:
    """The size a zip says its members unpack to (zipfile never reads past it)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return sum(m.file_size for m in archive.infolist())


def _unsafe_name(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(_DRIVE.match(path)) or ".." in PurePosixPath(path).parts


def _base(member: zipfile.ZipInfo) -> str:
    return PurePosixPath(member.filename.replace("\\", "/")).name


def _features(layer: Layer, frame: gpd.GeoDataFrame) -> list[dict | None]:
    """A GIS file's features as GeoJSON features, properties named as the contract names them."""
    names = _contract_names(layer, [c for c in frame.columns if c != frame.geometry.name])
    features: list[dict | None] = []
    for record, geometry in zip(
        frame.drop(columns=frame.geometry.name).to_dict("records"), frame.geometry, strict=True
    ):
        properties = {names[column]: _json_value(value) for column, value in record.items()}
        ordered = {f.name: properties.pop(f.name) for f in layer.fields if f.name in properties} | properties
        shape = mapping(geometry) if geometry is not None and not geometry.is_empty else None
        features.append({"type": "Feature", "properties": ordered, "geometry": shape})
    return features


def _contract_names(layer: Layer, columns: list[str]) -> dict[str, str]:
    """Shapefile columns renamed to the contract's fields: DBF cuts names to 10 characters
    (township_id becomes township_i) and some tools write them in capitals."""
    names = {}
    for column in columns:
        match = next(
            (
                f.name
                for f in layer.fields
                if column.lower() == f.name.lower() or (len(column) == 10 and column.lower() == f.name[:10].lower())
            ),
            None,
        )
        names[column] = match if match and match not in columns else column
    return names


def _json_value(value: object) -> object:
    """A shapefile attribute as a JSON value."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, str | int | bool) else str(value)


def _refused(dataset: Dataset, what: str, details: dict[str, object] | None = None) -> Upload:
    """An upload that cannot be read as the dataset at all."""
    return Upload(None, None, [Problem(dataset.path, what, details=details or {})])
