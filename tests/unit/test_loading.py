"""Reading the data contract: the bundled files are sound, and each kind of bad file is
reported by file, row or feature, field and value while everything else keeps working."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from lib.contract.catalog import DATASETS, LAYERS, TABLES, VOCABULARIES
from lib.files.loading import convert, load_all, signature
from lib.files.problems import Severity


def _rewrite_csv(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_feature(path: Path, index: int, edit) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document["features"][index])
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _only_problem(data, key):
    problems = data.files[key].problems
    assert len(problems) == 1, [p.message("en") for p in problems]
    return problems[0]


def test_bundled_data_is_sound(bundled):
    assert bundled.problems == []
    for key in DATASETS:
        assert bundled.frame(key) is not None and not bundled.frame(key).empty, key


def test_bundled_data_agrees_with_the_report(bundled):
    output, jobs = bundled.frame("output"), bundled.frame("employment")
    wood = (output["quarter"] == "2024Q1") & (output["township_id"] == "sanjiangkou") & (output["industry"] == "wood")
    assert output.loc[wood, "output_10k_yuan"].item() == 1500
    assert output.loc[wood, "source"].item() == "report"
    wood_jobs = (jobs["quarter"] == "2024Q1") & (jobs["township_id"] == "sanjiangkou") & (jobs["industry"] == "wood")
    assert jobs.loc[wood_jobs, "jobs"].item() >= 500
    bases = bundled.frame("industry_bases")
    assert len(bases) == 7 and bases["jobs"].sum() >= 400
    assert len(bundled.frame("tourism_routes")) == 6
    assert len(bundled.frame("party_organisations")) == 6
    sites = bundled.frame("sites")
    assert (sites["site_type"] == "wood_enterprise").sum() == 22
    school = bundled.frame("party_school")
    assert len(school) == 10 and school["attendance"].sum() >= 500
    assert min(school["date"]).isoformat() >= "2023-07-01"
    assert set(output["quarter"]) >= {f"{y}Q{q}" for y in (2022, 2023) for q in range(1, 5)} | {"2024Q1"}


def test_every_figure_says_where_it_comes_from(bundled):
    for dataset in DATASETS.values():
        if any(f.name == "source" for f in dataset.fields):
            assert set(bundled.frame(dataset.key)["source"]) <= set(VOCABULARIES["source"])


def test_reading_never_writes(data_copy):
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in data_copy.rglob("*") if p.is_file()}
    load_all(data_copy)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in data_copy.rglob("*") if p.is_file()}
    assert before == after


def test_signature_changes_when_a_file_changes(data_copy):
    before = signature(data_copy)
    _rewrite_csv(data_copy / "tables/output.csv", "2024Q1", "2024Q1")
    path = data_copy / "tables/output.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert signature(data_copy) != before


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030"])
def test_excel_encodings_read_the_same(data_copy, bundled, encoding):
    for table in TABLES:
        path = data_copy / table.path
        path.write_bytes(path.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding))
    data = load_all(data_copy)
    assert data.problems == []
    for table in TABLES:
        assert data.frame(table.key).equals(bundled.frame(table.key)), table.key


def test_missing_file_leaves_the_rest_working(data_copy):
    (data_copy / "geo/patrol_grids.geojson").unlink()
    data = load_all(data_copy)
    problem = _only_problem(data, "patrol_grids")
    assert problem.file == "geo/patrol_grids.geojson" and problem.what == "missing_file"
    assert data.frame("patrol_grids") is None
    assert data.frame("townships") is not None and data.frame("output") is not None


# Ways a file goes bad on disk: a copy cut off, a disk that returns noise, a file left empty.
CORRUPTIONS = {
    "cut short": lambda raw: raw[: len(raw) // 2],
    "noise": lambda raw: random.Random(len(raw)).randbytes(len(raw)),
    "emptied": lambda raw: b"",
}


@pytest.mark.parametrize("how", CORRUPTIONS)
@pytest.mark.parametrize("key", DATASETS)
def test_a_file_corrupted_on_disk_spoils_only_itself(data_copy, bundled, key, how):
    path = data_copy / DATASETS[key].path
    path.write_bytes(CORRUPTIONS[how](path.read_bytes()))
    data = load_all(data_copy)
    assert data.files[key].problems, "the damage is reported"
    for other in DATASETS.keys() - {key}:
        assert data.frame(other).equals(bundled.frame(other)), other
        assert all(p.severity == Severity.WARNING for p in data.files[other].problems), other


def test_unreadable_file(data_copy):
    path = data_copy / "tables/mediation.csv"
    path.unlink()
    path.mkdir()  # a folder where the file should be cannot be read
    problem = _only_problem(load_all(data_copy), "mediation")
    assert problem.what == "unreadable"
    assert "tables/mediation.csv" in problem.message("zh")


def test_not_json(data_copy):
    (data_copy / "geo/townships.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    data = load_all(data_copy)
    problem = _only_problem(data, "townships")
    assert problem.what == "not_json"
    assert "geo/townships.geojson" in problem.message("en") and "line 1" in problem.message("en")
    assert data.frame("industry_bases") is not None


def test_missing_column(data_copy):
    _rewrite_csv(data_copy / "tables/employment.csv", "jobs", "people")
    problem = _only_problem(load_all(data_copy), "employment")
    assert (problem.what, problem.field) == ("missing_column", "jobs")
    assert "jobs" in problem.message("zh") and "tables/employment.csv" in problem.message("zh")


def test_missing_property(data_copy):
    _edit_feature(data_copy / "geo/industry_bases.geojson", 2, lambda f: f["properties"].pop("industry"))
    data = load_all(data_copy)
    problem = _only_problem(data, "industry_bases")
    assert (problem.row, problem.field, problem.what) == (3, "industry", "missing_property")
    assert len(data.frame("industry_bases")) == 6  # the other bases stay on the map


def test_wrong_type_names_line_field_and_value(data_copy):
    _rewrite_csv(data_copy / "tables/output.csv", ",1500", ",1500万")
    data = load_all(data_copy)
    problem = _only_problem(data, "output")
    assert (problem.field, problem.value, problem.what) == ("output_10k_yuan", "1500万", "not_number")
    message = problem.message("zh")
    assert "tables/output.csv" in message and f"第 {problem.row} 行" in message and "1500万" in message
    lines = (data_copy / "tables/output.csv").read_text(encoding="utf-8").splitlines()
    assert "1500万" in lines[problem.row - 1]  # the line number is the one Excel shows
    assert len(data.frame("output")) == 80


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ({"zh": "万峰湖"}, "object"),
        (["万峰湖"], "array"),
        # A feature inside a feature: read as a feature when the parser completes it, still no name.
        ({"type": "Feature", "properties": {"name_zh": "万峰湖"}, "geometry": None}, "object"),
    ],
)
def test_a_property_holding_an_object_or_a_list_is_named_not_written_as_text(data_copy, value, found):
    _edit_feature(data_copy / "geo/industry_bases.geojson", 1, lambda f: f["properties"].update(name_zh=value))
    problem = _only_problem(load_all(data_copy), "industry_bases")
    assert (problem.row, problem.field, problem.what, problem.details) == (
        2,
        "name_zh",
        "wrong_json_type",
        {"expected": "text", "found": found},
    )
    assert "对象" in problem.message("zh") or "列表" in problem.message("zh")


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        ("2024Q1", "2024Q5", "not_quarter"),
        (",sanjiangkou,", ",sanjiangkou town,", "unknown_code"),
    ],
)
def test_bad_codes(data_copy, old, new, what):
    _rewrite_csv(data_copy / "tables/employment.csv", old, new)
    problem = _only_problem(load_all(data_copy), "employment")
    assert problem.what == what and problem.value == new.strip(",")
    if what == "unknown_code":
        assert "sanjiangkou, lubuge, mabeng" in problem.message("en")


def test_negative_count(data_copy):
    _edit_feature(data_copy / "geo/industry_bases.geojson", 0, lambda f: f["properties"].update(jobs=-5))
    problem = _only_problem(load_all(data_copy), "industry_bases")
    assert (problem.field, problem.value, problem.what) == ("jobs", -5, "below_minimum")


def test_invalid_geometry(data_copy):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[104.5, 24.7], [104.6, 24.8], [104.6, 24.7], [104.5, 24.8], [104.5, 24.7]]],
    }
    _edit_feature(data_copy / "geo/patrol_grids.geojson", 0, lambda f: f.update(geometry=bowtie))
    problem = _only_problem(load_all(data_copy), "patrol_grids")
    assert (problem.row, problem.field, problem.what) == (1, "geometry", "invalid_geometry")
    assert "Self-intersection" in problem.message("en")


def test_wrong_geometry_type(data_copy):
    point = {"type": "Point", "coordinates": [104.6, 24.8]}
    _edit_feature(data_copy / "geo/tourism_routes.geojson", 1, lambda f: f.update(geometry=point))
    problem = _only_problem(load_all(data_copy), "tourism_routes")
    assert (problem.what, problem.value) == ("wrong_geometry_type", "Point")


@pytest.mark.parametrize("coordinates", [[24.8, 104.6], [560000.0, 2740000.0]])
def test_coordinates_that_are_not_lon_lat(data_copy, coordinates):
    _edit_feature(
        data_copy / "geo/sites.geojson", 0, lambda f: f.update(geometry={"type": "Point", "coordinates": coordinates})
    )
    problem = _only_problem(load_all(data_copy), "sites")
    assert problem.what == "not_lon_lat" and problem.feature_id
    assert "lat/lon swapped" in problem.message("en")


NOT_NUMBERS = {
    "booleans": ({"type": "Point", "coordinates": [True, False]}, "number", "boolean"),
    "text": ({"type": "Point", "coordinates": ["104.6", "24.8"]}, "number", "text"),
    "null": ({"type": "Point", "coordinates": [None, 24.8]}, "number", "null"),
    "an array too deep": ({"type": "Point", "coordinates": [[104.6, 24.8]]}, "number", "array"),
    "no coordinates": ({"type": "Point"}, "array", "null"),
    "a boolean in a ring": (
        {"type": "Polygon", "coordinates": [[[104.5, 24.7], [104.6, 24.7], [104.6, True], [104.5, 24.7]]]},
        "number",
        "boolean",
    ),
}


@pytest.mark.parametrize(("geometry", "expected", "found"), NOT_NUMBERS.values(), ids=NOT_NUMBERS.keys())
def test_coordinates_that_are_not_numbers_name_file_feature_and_field(data_copy, bundled, geometry, expected, found):
    # Shapely would take true as 1 and "104.6" as 104.6: the feature would load at a made-up place.
    _edit_feature(data_copy / "geo/industry_bases.geojson", 2, lambda f: f.update(geometry=geometry))
    data = load_all(data_copy)
    problem = _only_problem(data, "industry_bases")
    assert (problem.file, problem.row, problem.field, problem.what) == (
        "geo/industry_bases.geojson",
        3,
        "geometry.coordinates",
        "wrong_json_type",
    )
    assert problem.feature_id == bundled.frame("industry_bases")["id"][2]
    assert problem.details == {"expected": expected, "found": found}
    assert problem.message("en").startswith(
        f"geo/industry_bases.geojson · feature 3 · id={problem.feature_id} · field geometry.coordinates: expected "
    )
    assert "应为" in problem.message("zh")
    assert len(data.frame("industry_bases")) == len(bundled.frame("industry_bases")) - 1


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda f: f["properties"].update(name_zh="基地\ud800"), "name_zh"),
        (lambda f: f["properties"].update({"备注\udc00": 1}), "备注\\udc00"),
        (lambda f: f["geometry"].update(type="\ud800"), "geometry"),
    ],
    ids=["in a value", "in a name", "in the geometry"],
)
def test_half_a_character_is_named_not_raised(data_copy, bundled, edit, field):
    # A \ud800 escape decodes to text that UTF-8, pandas and the browser cannot take.
    path = data_copy / "geo/industry_bases.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document["features"][1])
    path.write_text(json.dumps(document), encoding="utf-8")  # ASCII: the half as its \uXXXX escape
    data = load_all(data_copy)
    problem = _only_problem(data, "industry_bases")
    assert (problem.row, problem.field, problem.what) == (2, field, "half_character")
    assert "\\u" in problem.message("en") and problem.message("zh").encode("utf-8")
    assert len(data.frame("industry_bases")) == len(bundled.frame("industry_bases")) - 1


def test_projected_crs_is_refused(data_copy):
    path = data_copy / "geo/lake.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}}
    path.write_text(json.dumps(document), encoding="utf-8")
    problem = _only_problem(load_all(data_copy), "lake")
    assert problem.what == "wrong_crs"


def test_duplicate_rows_keep_the_first(data_copy):
    path = data_copy / "tables/mediation.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    problem = _only_problem(load_all(data_copy), "mediation")
    assert problem.what == "duplicate"


def test_cross_file_checks_are_warnings(data_copy):
    path = data_copy / "tables/tourism_figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(lines[0] + "\n2024Q1,route-99,10,illustrative\n", encoding="utf-8")
    problem = _only_problem(load_all(data_copy), "tourism_figures")
    assert (problem.what, problem.severity) == ("unknown_route", Severity.WARNING)


def test_every_layer_and_table_is_in_the_catalog_once():
    paths = [d.path for d in (*LAYERS, *TABLES)]
    assert len(paths) == len(set(paths))


@pytest.mark.parametrize(
    ("text", "expected"), [("2023-07-14", (2023, 7, 14)), ("2023/7/14", (2023, 7, 14)), ("2023.7.4", (2023, 7, 4))]
)
def test_dates_as_excel_writes_them(text, expected):
    value, wrong = convert(DATASETS["party_school"].field("date"), text)
    assert wrong is None and (value.year, value.month, value.day) == expected


@pytest.mark.parametrize("text", ["2023-13-01", "14/07/2023", "July 2023"])
def test_bad_dates(text):
    assert convert(DATASETS["party_school"].field("date"), text) == (None, ("not_date", {}))


def test_a_row_longer_than_the_header_spoils_only_itself():
    from lib.files.loading import parse_table

    text = "quarter,township_id,industry,output_10k_yuan,source,reported_as\n"
    text += "2024Q1,mabeng,fruit,1,500,illustrative,\n"  # an unquoted 1,500
    text += "2024Q1,lubuge,fruit,300,illustrative,\n"
    frame, problems = parse_table(DATASETS["output"], text)
    assert [(p.what, p.row, p.details["cells"]) for p in problems] == [("too_many_cells", 2, 7)]
    assert frame["township_id"].tolist() == ["lubuge"]
