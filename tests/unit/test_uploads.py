"""Uploads of replacement files: every kind of bad file is refused or reported as the dashboard
would report it, in every form staff send (UTF-8, UTF-8 with BOM, GBK, Excel .xlsx; GeoJSON,
zipped shapefiles), and good files become canonical files that read back the same."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import re
import shutil
import sqlite3
import tempfile
import warnings
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import openpyxl
import pytest

from lib.contract.catalog import DATASETS, LAYERS, TABLES, Layer, Table
from lib.contract.settings import DEFAULT_DATA_DIR
from lib.files.loading import decode, load_all, parse_layer, parse_table
from lib.files.problems import Severity
from lib.staff.uploads import MAX_ARCHIVE_MEMBERS, MAX_UPLOAD_BYTES, Upload, json_depth, read_upload, sniff

TABLE_FORMS = ("utf-8", "utf-8-sig", "gbk", "xlsx")
TEXT_ENCODINGS = ("utf-8", "utf-8-sig", "gbk")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[104.5, 24.7], [104.6, 24.8], [104.6, 24.7], [104.5, 24.8], [104.5, 24.7]]],
}


# Building uploads


def _bundled_text(dataset_key: str) -> str:
    return (DEFAULT_DATA_DIR / DATASETS[dataset_key].path).read_text(encoding="utf-8")


def _typed(cell: str) -> object:
    """A cell as Excel stores what staff type: numbers as numbers, dates as dates."""
    if not cell:
        return None
    if re.fullmatch(r"-?\d+", cell):
        return int(cell)
    if re.fullmatch(r"-?\d+\.\d+", cell):
        return float(cell)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
        return date.fromisoformat(cell)
    return cell


def _xlsx(text: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(text)):
        sheet.append([_typed(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _table_file(text: str, form: str, stem: str = "upload") -> tuple[str, bytes]:
    """A table's CSV text as staff would upload it: a CSV in an encoding, or a workbook."""
    if form == "xlsx":
        return f"{stem}.xlsx", _xlsx(text)
    # Excel on Windows ends lines with CRLF; the canonical file must not care.
    return f"{stem}.csv", text.replace("\n", "\r\n").encode(form)


def _upload_table(key: str, text: str, form: str) -> Upload:
    filename, raw = _table_file(text, form)
    return read_upload(DATASETS[key], filename, raw)


def _edited_layer(key: str, index: int, edit) -> dict:
    document = json.loads(_bundled_text(key))
    edit(document["features"][index])
    return document


def _upload_layer(key: str, document: object, encoding: str = "utf-8") -> Upload:
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    return read_upload(DATASETS[key], f"{key}.geojson", text.encode(encoding))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _zipped_shapefile(frame: gpd.GeoDataFrame, folder: Path, encoding: str | None = None, drop=()) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # long field names are cut to 10 characters, as in real shapefiles
        frame.to_file(folder / "grids.shp", engine="pyogrio", **({"encoding": encoding} if encoding else {}))
    return _zip({f"grids/{p.name}": p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix not in drop})


def _geopackage(layers: dict[str, gpd.GeoDataFrame | None]) -> bytes:
    """A GeoPackage as GDAL writes it, holding ``layers`` by name (None: a small table of points)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.gpkg"
        for name, frame in layers.items():
            if frame is None:
                frame = gpd.GeoDataFrame({"n": [1]}, geometry=gpd.points_from_xy([104.6], [24.8]), crs="EPSG:4326")
            frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
        return path.read_bytes()


def _sqlite_database() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.db"
        with contextlib.closing(sqlite3.connect(path)) as database:
            database.execute("create table t (x)")
            database.commit()
        return path.read_bytes()


def _only(upload: Upload):
    assert len(upload.problems) == 1, [p.message("en") for p in upload.problems]
    return upload.problems[0]


def _refused(upload: Upload, what: str):
    problem = _only(upload)
    assert problem.what == what and problem.severity == Severity.ERROR
    assert upload.content is None and upload.frame is None and not upload.savable
    return problem


def _as_saved(problems: list) -> list[str]:
    """The messages of an upload's problems as they will read once it is the data file (an
    upload's own messages name the file as it was sent)."""
    return [dataclasses.replace(p, source=None, sheet=None).message("zh") for p in problems]


def _as_dashboard_reads_it(tmp_path: Path, key: str, content: bytes) -> list[str]:
    """Messages the dashboard shows once ``content`` is saved as the file."""
    folder = tmp_path / "saved"
    shutil.copytree(DEFAULT_DATA_DIR, folder, dirs_exist_ok=True)
    (folder / DATASETS[key].path).write_bytes(content)
    return [p.message("zh") for p in load_all(folder).files[key].problems]


# Good uploads


@pytest.mark.parametrize("form", TABLE_FORMS)
@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.key)
def test_good_tables_in_every_form(bundled, table: Table, form: str):
    upload = _upload_table(table.key, _bundled_text(table.key), form)
    assert upload.problems == [] and upload.savable
    assert upload.frame.equals(bundled.frame(table.key))
    content = upload.content
    assert content.startswith(b"\xef\xbb\xbf") and b"\r" not in content
    assert content.decode("utf-8-sig").splitlines()[0] == ",".join(f.name for f in table.fields)
    frame, problems = parse_table(table, decode(content))
    assert problems == [] and frame.equals(upload.frame)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.key)
def test_canonical_table_is_the_bundled_file_with_a_bom(table: Table):
    upload = read_upload(table, table.path, (DEFAULT_DATA_DIR / table.path).read_bytes())
    assert upload.content == b"\xef\xbb\xbf" + (DEFAULT_DATA_DIR / table.path).read_bytes()


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.key)
def test_good_layers(bundled, layer: Layer, encoding: str):
    upload = read_upload(layer, "upload.json", _bundled_text(layer.key).encode(encoding))
    assert upload.problems == [] and upload.savable
    assert upload.frame.equals(bundled.frame(layer.key))
    text = upload.content.decode("utf-8")
    assert text == _bundled_text(layer.key)  # canonical: one feature per line, Chinese as itself
    frame, problems = parse_layer(layer, text)
    assert problems == [] and frame.equals(upload.frame)


def test_excel_cells_become_the_text_the_contract_expects(bundled):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["date", "activity_type", "title_zh", "title_en", "attendance", "source"])
    sheet.append([date(2023, 7, 14), "lecture", "党课", "Lecture", 68.0, "illustrative"])
    sheet.append(["2023/8/18", "seminar", "座谈会", "Seminar", 52, "report"])
    sheet.append([None] * 6)  # formatting left below the data is not a row
    sheet.cell(row=10, column=8).number_format = "0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = read_upload(DATASETS["party_school"], "培训.xlsx", buffer.getvalue())
    assert upload.problems == []
    lines = upload.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == [
        "2023-07-14,lecture,党课,Lecture,68,illustrative",
        "2023/8/18,seminar,座谈会,Seminar,52,report",
    ]
    assert list(upload.frame["date"]) == [date(2023, 7, 14), date(2023, 8, 18)]


def test_excel_saved_with_a_csv_name_is_read_as_excel(bundled):
    upload = read_upload(DATASETS["output"], "output.csv", _xlsx(_bundled_text("output")))
    assert upload.problems == [] and upload.frame.equals(bundled.frame("output"))


def test_columns_are_put_in_contract_order_and_unknown_ones_left_out(bundled):
    frame = bundled.frame("party_organisations")
    rows = [["备注", "source", "members", "township_ids", "name_en", "name_zh", "id"]]
    rows += [["注", r.source, str(r.members), r.township_ids, r.name_en, r.name_zh, r.id] for r in frame.itertuples()]
    text = "\n".join(",".join(row) for row in rows) + "\n"
    for form in TABLE_FORMS:
        upload = _upload_table("party_organisations", text, form)
        problem = _only(upload)
        assert (problem.what, problem.field, problem.severity) == ("extra_column", "备注", Severity.WARNING)
        assert upload.savable
        lines = upload.content.decode("utf-8-sig").splitlines()
        assert lines[0] == "id,name_zh,name_en,township_ids,members,since_quarter,source"
        assert "注" not in upload.content.decode("utf-8-sig")
        assert upload.frame["since_quarter"].isna().all()
        assert upload.frame.drop(columns="since_quarter").equals(frame.drop(columns="since_quarter"))


# Bad tables, in every form


@pytest.mark.parametrize("form", TABLE_FORMS)
def test_missing_column(form):
    upload = _upload_table("employment", _bundled_text("employment").replace("jobs", "people", 1), form)
    problem = _refused(upload, "missing_column")
    assert problem.field == "jobs" and problem.file == "tables/employment.csv"
    assert "people" in problem.message("en")


@pytest.mark.parametrize("form", TABLE_FORMS)
def test_wrong_type_keeps_the_row_in_the_file_but_not_in_the_frame(tmp_path, bundled, form):
    upload = _upload_table("output", _bundled_text("output").replace(",1500,", ",1500万,", 1), form)
    problem = _only(upload)
    assert (problem.file, problem.field, problem.value, problem.what) == (
        "tables/output.csv",
        "output_10k_yuan",
        "1500万",
        "not_number",
    )
    assert not upload.savable
    lines = upload.content.decode("utf-8-sig").splitlines()
    assert "1500万" in lines[problem.row - 1]  # the line number is the one Excel shows
    assert len(upload.frame) == len(bundled.frame("output")) - 1
    # The same message as the dashboard shows for that content.
    assert _as_saved(upload.problems) == _as_dashboard_reads_it(tmp_path, "output", upload.content)
    sent_as = "upload.xlsx · 工作表“Sheet”" if form == "xlsx" else "upload.csv"
    assert problem.message("zh").startswith(
        f"{sent_as} · 第 {problem.row} 行 · 列“季度产值（万元）”（output_10k_yuan）"
    )


@pytest.mark.parametrize("form", TABLE_FORMS)
@pytest.mark.parametrize(
    ("old", "new", "what", "value"),
    [
        (",sanjiangkou,", ",三江口,", "unknown_code", "三江口"),
        ("2024Q1", "2024年一季度", "not_quarter", "2024年一季度"),
        (",304,", ",三百,", "not_integer", "三百"),
        (",304,", ",-3,", "below_minimum", -3),
    ],
)
def test_bad_values(tmp_path, form, old, new, what, value):
    upload = _upload_table("employment", _bundled_text("employment").replace(old, new, 1), form)
    problem = _only(upload)
    assert (problem.what, problem.file) == (what, "tables/employment.csv") and problem.row
    assert str(problem.value) == str(value)
    assert _as_saved(upload.problems) == _as_dashboard_reads_it(tmp_path, "employment", upload.content)


@pytest.mark.parametrize("form", TABLE_FORMS)
def test_duplicate_rows(form):
    text = _bundled_text("mediation")
    first_row = text.splitlines()[1]
    upload = _upload_table("mediation", text + first_row + "\n", form)
    problem = _only(upload)
    assert problem.what == "duplicate" and problem.value == "2022Q1 / sanjiangkou"


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
def test_a_row_longer_than_the_header_is_named(encoding):
    lines = _bundled_text("output").splitlines()
    lines[3] += ",三江口,wood"  # a row longer than the header: an unquoted 1,500 does this
    problem = _refused(
        read_upload(DATASETS["output"], "output.csv", "\n".join(lines).encode(encoding)), "too_many_cells"
    )
    assert "tables/output.csv · 第 4 行" in problem.message("zh") and "row 4" in problem.message("en")
    assert "1,500" in problem.message("zh") and problem.details["cells"] == len(lines[3].split(","))


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
def test_empty_csv(encoding):
    _refused(read_upload(DATASETS["output"], "output.csv", "".encode(encoding)), "not_csv")


def test_damaged_workbook():
    raw = _xlsx(_bundled_text("output"))
    _refused(read_upload(DATASETS["output"], "output.xlsx", raw[: len(raw) // 2]), "not_excel")
    _refused(
        read_upload(DATASETS["output"], "output.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), "not_excel"
    )


def test_workbook_that_unpacks_too_big():
    buffer = io.BytesIO(_xlsx(_bundled_text("output")))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(101 * 1024 * 1024))
    assert len(buffer.getvalue()) < MAX_UPLOAD_BYTES
    _refused(read_upload(DATASETS["output"], "output.xlsx", buffer.getvalue()), "archive_too_big")


@pytest.mark.parametrize("form", TABLE_FORMS)
def test_too_large(form):
    filename, raw = _table_file(_bundled_text("output"), form)
    padded = raw + b"\n" * MAX_UPLOAD_BYTES
    problem = _refused(read_upload(DATASETS["output"], filename, padded), "too_large")
    assert "20 MB" in problem.message("en") and "20 MB" in problem.message("zh")


@pytest.mark.parametrize(
    ("filename", "raw", "found"),
    [
        ("output.csv", PNG, "PNG"),
        ("output.csv", b"%PDF-1.7\n" + bytes(range(256)), "PDF"),
        ("output.csv", bytes(range(256)) * 8, "binary"),
        ("output.csv", _bundled_text("lake").encode("utf-8"), "JSON"),
        ("output.csv", _bundled_text("lake").encode("gbk"), "JSON"),
        ("output.zip", _zip({"a/b.shp": b"x"}), "Shapefile .zip"),
        ("output.gpkg", _geopackage({"output": None}), "GeoPackage .gpkg"),
    ],
)
def test_wrong_file_type_for_a_table(filename, raw, found):
    problem = _refused(read_upload(DATASETS["output"], filename, raw), "wrong_file_type_table")
    assert found in problem.message("en") and "expected a CSV, Excel (.xlsx or .xls) or .ods table" in problem.message(
        "en"
    )
    assert "应为 CSV、Excel（.xlsx / .xls）或 .ods 表格" in problem.message("zh")


@pytest.mark.parametrize("form", TABLE_FORMS)
def test_table_uploaded_for_a_layer(form):
    filename, raw = _table_file(_bundled_text("output"), form)
    problem = _refused(read_upload(DATASETS["sites"], filename, raw), "wrong_file_type_layer")
    assert problem.file == "geo/sites.geojson"
    assert "expected GeoJSON, a GeoPackage (.gpkg) or a zipped shapefile" in problem.message("en")


def test_table_named_geojson_for_a_layer():
    raw = _bundled_text("output").encode("utf-8")
    _refused(read_upload(DATASETS["sites"], "sites.geojson", raw), "not_json")
    _refused(read_upload(DATASETS["sites"], "sites.csv", raw), "wrong_file_type_layer")


# Bad layers


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
@pytest.mark.parametrize("text", ['{"type": "FeatureCollection", "features": [', "三江口镇 not JSON", ""])
def test_not_json(encoding, text):
    problem = _refused(_upload_layer("townships", text, encoding), "not_json")
    assert "geo/townships.geojson" in problem.message("en") and "line 1" in problem.message("en")


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
@pytest.mark.parametrize(
    "text",
    [
        '{"type":"FeatureCollection","features":[' + "[" * 70 + "]" * 70 + "]}",
        "[" * 200_000,  # deep enough to crash the JSON parser, were it reached
        '{"a":' * 100 + "1" + "}" * 100,
    ],
)
def test_too_deep_json(encoding, text):
    problem = _refused(_upload_layer("lake", text, encoding), "too_deep")
    assert "64" in problem.message("zh")


def test_brackets_inside_strings_are_not_nesting():
    assert json_depth('{"a": "[[[[{{{{\\"[[[["}') == 1
    document = _edited_layer("lake", 0, lambda f: f["properties"].update(name_en="[" * 100 + '"]'))
    assert _upload_layer("lake", document).problems == []


@pytest.mark.parametrize(
    "document",
    [
        {"type": "Feature", "properties": {}, "geometry": None},
        {"type": "FeatureCollection", "features": {"a": 1}},
        {"type": "FeatureCollection", "features": ["a feature"]},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": ["id"], "geometry": None}]},
        {"type": "FeatureCollection", "crs": "EPSG:4326", "features": []},
        [1, 2, 3],
    ],
)
def test_not_a_feature_collection(document):
    _refused(_upload_layer("lake", document), "not_feature_collection")


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
def test_invalid_geometry(tmp_path, encoding):
    upload = _upload_layer(
        "patrol_grids", _edited_layer("patrol_grids", 0, lambda f: f.update(geometry=BOWTIE)), encoding
    )
    problem = _only(upload)
    assert (problem.file, problem.row, problem.field, problem.what) == (
        "geo/patrol_grids.geojson",
        1,
        "geometry",
        "invalid_geometry",
    )
    assert "Self-intersection" in problem.message("en") and not upload.savable
    assert _as_saved(upload.problems) == _as_dashboard_reads_it(tmp_path, "patrol_grids", upload.content)


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
@pytest.mark.parametrize("coordinates", [[24.8, 104.6], [560000.0, 2740000.0]])
def test_not_lon_lat(encoding, coordinates):
    point = {"type": "Point", "coordinates": coordinates}
    problem = _only(_upload_layer("sites", _edited_layer("sites", 0, lambda f: f.update(geometry=point)), encoding))
    assert problem.what == "not_lon_lat" and problem.feature_id == "tri-point"


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
@pytest.mark.parametrize(
    ("field", "value", "what"),
    [("township_id", "三江口", "unknown_code"), ("jobs", "许多", "not_integer"), ("jobs", -1, "below_minimum")],
)
def test_bad_properties(encoding, field, value, what):
    document = _edited_layer("industry_bases", 2, lambda f: f["properties"].update({field: value}))
    problem = _only(_upload_layer("industry_bases", document, encoding))
    assert (problem.row, problem.field, problem.value, problem.what) == (3, field, value, what)


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
def test_missing_property(encoding):
    document = _edited_layer("industry_bases", 2, lambda f: f["properties"].pop("industry"))
    upload = _upload_layer("industry_bases", document, encoding)
    assert _only(upload).what == "missing_property" and len(upload.frame) == 6


def test_geojson_in_a_coordinate_system_nobody_knows_is_refused():
    document = json.loads(_bundled_text("lake"))
    document["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::99999"}}
    problem = _refused(_upload_layer("lake", document), "wrong_crs")
    assert "EPSG::99999" in problem.message("en")


def test_layer_too_large():
    raw = _bundled_text("sites").encode("utf-8") + b" " * MAX_UPLOAD_BYTES
    _refused(read_upload(DATASETS["sites"], "sites.geojson", raw), "too_large")


@pytest.mark.parametrize(
    ("filename", "raw", "found"),
    [
        ("sites.geojson", PNG, "PNG"),
        ("sites.json", bytes(range(256)) * 8, "binary"),
        ("sites.kml", b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"></kml>', "XML"),
        ("sites.db", _sqlite_database(), "SQLite"),
    ],
)
def test_wrong_file_type_for_a_layer(filename, raw, found):
    problem = _refused(read_upload(DATASETS["sites"], filename, raw), "wrong_file_type_layer")
    assert found in problem.message("en")


# Zipped shapefiles


def _bundled_frame(bundled, key: str) -> gpd.GeoDataFrame:
    return bundled.frame(key).copy()


@pytest.mark.parametrize("key", ["lake", "rivers", "townships", "patrol_grids", "tourism_routes", "sites"])
def test_zipped_shapefile_in_lon_lat(tmp_path, bundled, key):
    expected = _bundled_frame(bundled, key)
    upload = read_upload(DATASETS[key], f"{key}.zip", _zipped_shapefile(expected, tmp_path / "shp"))
    assert upload.problems == [], [p.message("en") for p in upload.problems]
    assert upload.frame.drop(columns="geometry").equals(expected.drop(columns="geometry"))
    for got, want in zip(upload.frame.geometry, expected.geometry, strict=True):
        assert got.normalize().equals_exact(want.normalize(), 1e-9)
    text = upload.content.decode("utf-8")
    assert text.startswith('{"type":"FeatureCollection","features":[\n') and text.count("\n") == len(expected) + 2
    frame, problems = parse_layer(DATASETS[key], text)
    assert problems == [] and frame.equals(upload.frame)


def test_projected_shapefile_is_reprojected(tmp_path, bundled):
    expected = _bundled_frame(bundled, "patrol_grids")
    raw = _zipped_shapefile(expected.to_crs("EPSG:32648"), tmp_path / "shp")
    assert "UTM" in zipfile.ZipFile(io.BytesIO(raw)).read("grids/grids.prj").decode()
    upload = read_upload(DATASETS["patrol_grids"], "网格.zip", raw)
    assert upload.problems == [] and upload.savable
    assert upload.frame.drop(columns="geometry").equals(expected.drop(columns="geometry"))
    for got, want in zip(upload.frame.geometry, expected.geometry, strict=True):
        assert got.normalize().equals_exact(want.normalize(), 1e-6)  # degrees, about 10 cm


def test_shapefile_in_gbk_without_cpg(tmp_path, bundled):
    expected = _bundled_frame(bundled, "townships")
    raw = _zipped_shapefile(expected, tmp_path / "shp", encoding="gbk", drop=(".cpg",))
    upload = read_upload(DATASETS["townships"], "townships.zip", raw)
    assert upload.problems == [] and list(upload.frame["name_zh"]) == list(expected["name_zh"])


def test_projected_shapefile_without_prj_is_refused_saying_what_is_missing(tmp_path, bundled):
    expected = _bundled_frame(bundled, "sites")
    raw = _zipped_shapefile(expected.to_crs("EPSG:4544"), tmp_path / "shp", drop=(".prj",))
    problem = _refused(read_upload(DATASETS["sites"], "sites.zip", raw), "missing_crs")
    assert ".prj" in problem.message("zh") and "没有注明坐标系" in problem.message("zh")
    assert "coordinate system" in problem.message("en")


def test_shapefile_with_bad_values_is_checked_like_geojson(tmp_path, bundled):
    frame = _bundled_frame(bundled, "patrol_grids")
    frame.loc[1, "grid_type"] = "网格"
    upload = read_upload(DATASETS["patrol_grids"], "grids.zip", _zipped_shapefile(frame, tmp_path / "shp"))
    problem = _only(upload)
    assert (problem.row, problem.field, problem.value, problem.what) == (2, "grid_type", "网格", "unknown_code")


# GeoPackages


@pytest.mark.parametrize("key", ["lake", "townships", "patrol_grids", "tourism_routes", "sites"])
def test_geopackage_in_cgcs2000_is_reprojected(bundled, key):
    """A layer as a GIS tool in China saves it: GeoPackage, CGCS2000 Gauss-Kruger zone 35."""
    expected = _bundled_frame(bundled, key)
    upload = read_upload(DATASETS[key], f"{key}.gpkg", _geopackage({key: expected.to_crs("EPSG:4523")}))
    assert upload.problems == [] and upload.savable, [p.message("en") for p in upload.problems]
    assert upload.frame.drop(columns="geometry").equals(expected.drop(columns="geometry"))
    for got, want in zip(upload.frame.geometry, expected.geometry, strict=True):
        assert got.normalize().equals_exact(want.normalize(), 1e-6)
    frame, problems = parse_layer(DATASETS[key], upload.content.decode("utf-8"))
    assert problems == [] and frame.equals(upload.frame)


def test_geopackage_layer_named_as_the_file_is_chosen(bundled):
    expected = _bundled_frame(bundled, "sites")
    raw = _geopackage({"roads": None, "Sites": expected, "notes": None})
    upload = read_upload(DATASETS["sites"], "万峰湖.gpkg", raw)
    assert upload.problems == [] and len(upload.frame) == len(expected)


def test_geopackage_with_several_layers_none_named_as_the_file(bundled):
    problem = _refused(
        read_upload(DATASETS["sites"], "a.gpkg", _geopackage({"a": None, "b": None})), "geopackage_layers"
    )
    assert "a, b" in problem.message("zh") and "sites" in problem.message("zh")


def test_geopackage_with_bad_values_is_checked_like_geojson(bundled):
    frame = _bundled_frame(bundled, "patrol_grids")
    frame.loc[1, "grid_type"] = "网格"
    problem = _only(read_upload(DATASETS["patrol_grids"], "grids.gpkg", _geopackage({"patrol_grids": frame})))
    assert (problem.row, problem.field, problem.value, problem.what) == (2, "grid_type", "网格", "unknown_code")
    assert problem.source == "grids.gpkg"


def test_damaged_geopackage(bundled):
    raw = _geopackage({"sites": _bundled_frame(bundled, "sites")})
    _refused(read_upload(DATASETS["sites"], "sites.gpkg", raw[:4096]), "not_geopackage")


@pytest.mark.parametrize(
    ("members", "what"),
    [
        ({"../../etc/lake.shp": b"x", "lake.dbf": b"x", "lake.shx": b"x"}, "unsafe_archive"),
        ({"lake/../../lake.shp": b"x"}, "unsafe_archive"),
        ({"/tmp/lake.shp": b"x"}, "unsafe_archive"),
        ({"C:\\lake.shp": b"x"}, "unsafe_archive"),
        ({f"f{i}.txt": b"x" for i in range(MAX_ARCHIVE_MEMBERS + 1)} | {"lake.shp": b"x"}, "archive_too_big"),
        ({"lake.shp": bytes(101 * 1024 * 1024)}, "archive_too_big"),
        ({"readme.txt": b"x"}, "no_shapefile"),
        ({"a.shp": b"x", "b.shp": b"x", "a.dbf": b"x", "b.dbf": b"x"}, "no_shapefile"),
        ({"lake.shp": b"x", "lake.shx": b"x"}, "shapefile_incomplete"),
        ({"lake.shp": b"x", "lake.shx": b"x", "lake.dbf": b"x"}, "not_shapefile"),
    ],
)
def test_bad_archives(members, what):
    problem = _refused(read_upload(DATASETS["lake"], "lake.zip", _zip(members)), what)
    assert problem.file == "geo/lake.geojson" and problem.message("zh") and problem.message("en")


def test_archive_with_traversal_names_the_member():
    raw = _zip({"../evil.shp": b"x", "../evil.dbf": b"x", "../evil.shx": b"x"})
    problem = _refused(read_upload(DATASETS["lake"], "lake.zip", raw), "unsafe_archive")
    assert "../evil" in problem.message("en")


def test_damaged_archive():
    raw = _zip({"lake.shp": b"x" * 1000, "lake.dbf": b"x", "lake.shx": b"x"})
    _refused(read_upload(DATASETS["lake"], "lake.zip", raw[: len(raw) // 2]), "bad_archive")


def test_sniffing_goes_by_content():
    assert sniff(_xlsx("a,b\n1,2\n")) == "Excel .xlsx"
    assert sniff(_zip({"x/y.SHP": b""})) == "Shapefile .zip"
    assert sniff(_zip({"x.txt": b""})) == "ZIP"
    assert sniff(PNG) == "PNG"
    assert sniff(b'\xef\xbb\xbf  {"type": "FeatureCollection"}') == "JSON"
    assert sniff("季度,乡镇\n".encode("gbk")) == "CSV"


@pytest.mark.parametrize(
    "filename", ["../../../etc/cron.d/x.csv", "/etc/passwd", "C:\\Windows\\win.ini", "..\\..\\a.xlsx", "a\x00.csv", ""]
)
def test_the_uploaded_name_never_decides_where_the_file_goes(filename):
    """The name only hints at the form; the content is the same canonical file whatever it says."""
    table = DATASETS["output"]
    raw = (DEFAULT_DATA_DIR / table.path).read_bytes()
    assert read_upload(table, filename, raw).content == read_upload(table, table.path, raw).content


def _xlsx_of(text: str) -> bytes:
    """A workbook holding the CSV text cell by cell, as an office suite makes one from a CSV."""
    workbook = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(text)):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_garbled_chinese_is_caught_and_the_mended_table_offered():
    """An .xlsx made by opening a UTF-8 CSV without a BOM as Latin-1: mojibake that looks like text."""
    meetings = DATASETS["joint_meetings"]
    original = _bundled_text("joint_meetings")
    garbled = original.encode("utf-8").decode("latin-1")
    upload = read_upload(meetings, "meetings.xlsx", _xlsx_of(garbled))
    found = [p for p in upload.problems if p.what == "garbled"]
    assert found and not upload.savable
    first = found[0]
    assert first.field == "topic_zh" and first.row == 2 and first.source == "meetings.xlsx"
    assert "木材加工" in first.message("zh") and "乱码" in first.message("zh")
    mended = read_upload(meetings, "meetings.csv", upload.repaired)
    assert mended.savable and mended.frame.equals(read_upload(meetings, "m.csv", original.encode()).frame)


def test_a_misread_byte_order_mark_is_the_mark_it_is():
    """The page's own download (UTF-8 with BOM) opened as Latin-1 and saved as .xlsx: "ï»¿quarter"."""
    text = "\ufeff" + _bundled_text("output")
    upload = read_upload(DATASETS["output"], "output.xlsx", _xlsx_of(text.encode("utf-8").decode("latin-1")))
    assert upload.savable and upload.problems == [] and len(upload.frame) == 81


def test_sound_chinese_is_not_taken_for_garbled(bundled):
    for key in ("joint_meetings", "party_school", "party_organisations", "report_facts"):
        upload = read_upload(DATASETS[key], f"{key}.csv", _bundled_text(key).encode("utf-8"))
        assert not [p for p in upload.problems if p.what == "garbled"], key


# Official boundaries as a county bureau hands them out (issue: the map on real ground)

CRS_OF_BUREAUS = ["EPSG:4326", "EPSG:4490", "EPSG:4544", "EPSG:4543"]


def _written_by_gdal(frame: gpd.GeoDataFrame, folder: Path, form: str, encoding: str = "UTF-8") -> tuple[str, bytes]:
    """``frame`` as GDAL (through geopandas/pyogrio) writes it: a zipped shapefile (with or
    without its .cpg), a GeoPackage or GeoJSON."""
    folder.mkdir(parents=True, exist_ok=True)
    if form == "gpkg":
        frame.to_file(folder / "boundaries.gpkg", layer="townships", driver="GPKG", engine="pyogrio")
        return "boundaries.gpkg", (folder / "boundaries.gpkg").read_bytes()
    if form == "geojson":
        frame.to_file(folder / "boundaries.geojson", driver="GeoJSON", engine="pyogrio")
        return "boundaries.geojson", (folder / "boundaries.geojson").read_bytes()
    drop = (".cpg",) if form == "shp-no-cpg" else ()
    return "boundaries.zip", _zipped_shapefile(frame, folder, encoding=encoding, drop=drop)


@pytest.mark.parametrize("crs", CRS_OF_BUREAUS)
@pytest.mark.parametrize(
    ("form", "encoding"),
    [
        ("shp", "UTF-8"),
        ("shp", "GBK"),
        ("shp-no-cpg", "UTF-8"),
        ("shp-no-cpg", "GBK"),
        ("gpkg", "UTF-8"),
        ("geojson", "UTF-8"),
    ],
)
def test_official_boundaries_in_every_form_end_as_the_same_wgs84_features(tmp_path, bundled, form, encoding, crs):
    expected = _bundled_frame(bundled, "townships")
    filename, raw = _written_by_gdal(expected.to_crs(crs), tmp_path / "gdal", form, encoding)
    upload = read_upload(DATASETS["townships"], filename, raw)
    assert upload.problems == [] and upload.savable, [p.message("en") for p in upload.problems]
    assert upload.frame.drop(columns="geometry").equals(expected.drop(columns="geometry"))
    for got, want in zip(upload.frame.geometry, expected.geometry, strict=True):
        assert got.normalize().equals_exact(want.normalize(), 1e-5)  # about a metre
    if crs in ("EPSG:4544", "EPSG:4543"):  # metres: converted (CGCS2000 lon/lat is WGS84's within a metre)
        assert upload.reprojected.epsg == int(crs.split(":")[1])


def test_the_preview_says_which_coordinate_system_was_converted(tmp_path, bundled):
    expected = _bundled_frame(bundled, "patrol_grids")
    filename, raw = _written_by_gdal(expected.to_crs("EPSG:4544"), tmp_path / "gdal", "shp", "GBK")
    (said_zh,) = read_upload(DATASETS["patrol_grids"], filename, raw).reprojected.sentences("zh")
    assert said_zh == "已从 CGCS2000 / 3度带高斯-克吕格 CM 105E（EPSG:4544）转换为 WGS84 经纬度"
    (said_en,) = read_upload(DATASETS["patrol_grids"], filename, raw).reprojected.sentences("en")
    assert said_en == "Converted from CGCS2000 / 3-degree Gauss-Kruger CM 105E (EPSG:4544) to WGS84 longitude/latitude"


def test_attributes_named_otherwise_are_mapped_to_the_contract(tmp_path, bundled):
    expected = _bundled_frame(bundled, "townships")
    renamed = expected.rename(columns={"name_zh": "XZQMC", "name_en": "NAME", "county_zh": "所属县"})
    filename, raw = _written_by_gdal(renamed.to_crs("EPSG:4490"), tmp_path / "gdal", "gpkg")
    upload = read_upload(DATASETS["townships"], filename, raw)
    assert upload.unmatched == ("NAME", "XZQMC", "所属县") and upload.missing == ("name_zh", "name_en", "county_zh")
    assert not upload.savable and {p.what for p in upload.problems} == {"missing_property"}
    mapped = read_upload(
        DATASETS["townships"], filename, raw, renames={"XZQMC": "name_zh", "NAME": "name_en", "所属县": "county_zh"}
    )
    assert mapped.problems == [] and mapped.unmatched == () and mapped.missing == ()
    assert list(mapped.frame.name_zh) == list(expected.name_zh)


def test_points_traced_on_amap_are_moved_to_their_true_places(bundled):
    import prcoords

    expected = _bundled_frame(bundled, "sites")
    document = json.loads(_bundled_text("sites"))
    for feature in document["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        shown = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
        feature["geometry"]["coordinates"] = [shown.lon, shown.lat]
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8")
    as_traced = read_upload(DATASETS["sites"], "sites.geojson", raw)
    assert as_traced.reprojected is None
    moved = read_upload(DATASETS["sites"], "sites.geojson", raw, gcj02=True)
    assert moved.problems == [] and 0.3 < moved.reprojected.shift_km < 0.6
    for got, want in zip(moved.frame.geometry, expected.geometry, strict=True):
        assert got.distance(want) < 1e-5
    assert "平均移动 0." in moved.reprojected.sentences("zh")[0] and "GCJ-02" in moved.reprojected.sentences("en")[0]


@pytest.mark.parametrize("gcj02", [False, True], ids=["lon/lat", "amap"])
@pytest.mark.parametrize("coordinates", [[True, False], [None, 24.8], ["104.6", "24.8"]], ids=["bool", "null", "text"])
def test_coordinates_that_are_not_numbers_are_refused_even_when_moved(coordinates, gcj02):
    # Moving GCJ-02 shapes goes through shapely, which would turn true into 1.0 and so pass the check.
    point = {"type": "Point", "coordinates": coordinates}
    document = _edited_layer("sites", 0, lambda f: f.update(geometry=point))
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8")
    upload = read_upload(DATASETS["sites"], "sites.geojson", raw, gcj02=gcj02)
    assert not upload.savable
    assert [(p.row, p.field, p.what) for p in upload.problems] == [(1, "geometry.coordinates", "wrong_json_type")]
    assert len(upload.frame) == len(document["features"]) - 1


@pytest.mark.parametrize(
    "geometry",
    ["POINT(1 2)", {"type": "Hexagon"}, {"type": "Point", "coordinates": []}],
    ids=["text", "unknown type", "empty"],
)
def test_a_broken_shape_among_amap_points_is_named_not_raised(geometry):
    document = _edited_layer("sites", 0, lambda f: f.update(geometry=geometry))
    upload = read_upload(DATASETS["sites"], "sites.geojson", json.dumps(document).encode("utf-8"), gcj02=True)
    assert [p.row for p in upload.problems] == [1] and len(upload.frame) == len(document["features"]) - 1


def test_half_a_character_in_an_upload_is_named_and_never_saved():
    # json.dumps escapes the half; the canonical file written back must hold the escape, not the half.
    document = _edited_layer("sites", 2, lambda f: f["properties"].update({"name_zh": "企业\ud800", "备注\udc00": "x"}))
    upload = read_upload(DATASETS["sites"], "sites.geojson", json.dumps(document).encode("utf-8"))
    assert [(p.row, p.what) for p in upload.problems] == [(3, "half_character")] and not upload.savable
    assert upload.unmatched == ("备注\\udc00",) and len(upload.frame) == len(document["features"]) - 1
    assert all(p.message("zh").encode("utf-8") for p in upload.problems)
