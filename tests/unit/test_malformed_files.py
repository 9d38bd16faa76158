"""Files as they really arrive: whatever a layer or a table holds, loading survives it, every
problem names its file, and the sound rows still load. Property-based (hypothesis), with the
fixed-seed, bounded "ci" profile of tests/conftest.py so that CI stays quick and repeatable."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.contract.catalog import DATASETS
from lib.contract.settings import ROOT
from lib.files.loading import MAX_JSON_DEPTH, load_all, parse_layer, parse_table
from lib.files.problems import Problem, Severity

BASES, OUTPUT = DATASETS["industry_bases"], DATASETS["output"]
SOUND_BASE = json.loads((ROOT / "data" / BASES.path).read_text(encoding="utf-8"))["features"][0]
HEADER = "quarter,township_id,industry,output_10k_yuan,source,reported_as"
SOUND_ROW = "2024Q1,sanjiangkou,wood,1500,report,1500"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _geometries() -> st.SearchStrategy:
    coordinates = st.lists(json_values | st.floats(allow_nan=True, allow_infinity=True), max_size=3)
    return json_values | st.fixed_dictionaries(
        {"type": st.sampled_from(["Point", "Polygon", "x"]), "coordinates": coordinates}
    )


features = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"type": st.just("Feature"), "properties": json_values | st.dictionaries(st.sampled_from([f.name for f in BASES.fields]), json_values), "geometry": _geometries()}
    ),
)  # fmt: skip
# A table's text is decoded from a file's bytes, so it never holds half of a UTF-16 pair.
table_text = st.characters(codec="utf-8")
# Cells of one row that stays one row of the header's width: no quote, comma or line break.
row_cells = st.lists(
    st.text(st.characters(codec="utf-8", exclude_characters='",\r\n'), max_size=30), min_size=1, max_size=6
)


def _named(problems: list[Problem], file: str) -> bool:
    """Whether every problem names the file, in both languages, and there is at least one."""
    return bool(problems) and all(p.file == file and p.message("zh") and p.message("en") for p in problems)


@given(st.lists(features, min_size=1, max_size=4))
def test_spoiled_features_are_each_named_and_the_sound_one_loads(spoiled):
    document = {"type": "FeatureCollection", "features": [SOUND_BASE, *spoiled]}
    frame, problems = parse_layer(BASES, json.dumps(document, allow_nan=True))
    assert frame is not None  # a spoiled feature spoils only itself
    assert "base-1" in set(frame["id"])
    assert all(p.file == BASES.path and p.message("zh") and p.message("en") for p in problems)
    # Every feature left out is named: by its number, or as a repeat of one that loaded.
    named = {p.row for p in problems if p.severity == Severity.ERROR and p.row is not None}
    repeats = sum(p.what == "duplicate" for p in problems)
    assert 1 not in named and len(frame) + len(named) + repeats == 1 + len(spoiled)


@given(json_values)
def test_a_layer_with_anything_as_its_crs_loads_or_says_why(crs):
    document = {"type": "FeatureCollection", "crs": crs, "features": [SOUND_BASE]}
    frame, problems = parse_layer(BASES, json.dumps(document, allow_nan=True))
    if frame is None:  # a coordinate system that cannot be taken spoils the whole layer, said so
        assert _named(problems, BASES.path) and {p.what for p in problems} <= {"wrong_json_type", "wrong_crs"}
    else:
        assert list(frame["id"]) == ["base-1"] and not any(p.severity == Severity.ERROR for p in problems)


@given(st.lists(st.text(table_text, max_size=30), max_size=8), st.text(table_text, max_size=200))
def test_a_table_with_anything_in_it_loads_what_is_sound_or_says_why(cells, noise):
    text = f"{HEADER}\n{SOUND_ROW}\n{','.join(cells)}\n{noise}\n"
    frame, problems = parse_table(OUTPUT, text)
    assert all(p.file == OUTPUT.path and p.message("zh") and p.message("en") for p in problems)
    if frame is None:  # a quote left open, or a row wider than the header: the file is not CSV
        assert _named(problems, OUTPUT.path)
    else:
        assert 1500 in set(frame["output_10k_yuan"])


@given(row_cells)
def test_a_spoiled_row_is_named_and_the_sound_rows_load(cells):
    line = ",".join(cells)
    frame, problems = parse_table(OUTPUT, f"{HEADER}\n{SOUND_ROW}\n2024Q1,lubuge,fruit,12,report,\n{line}\n")
    assert frame is not None  # a spoiled row spoils only itself
    assert {1500, 12} <= set(frame["output_10k_yuan"])
    assert all(p.file == OUTPUT.path and p.message("zh") and p.message("en") for p in problems)
    # The spoiled row loads, is named by its line, is a repeat of a row above, or is blank.
    assert {p.row for p in problems if p.what != "duplicate"} <= {4}
    left_out = any(p.row == 4 for p in problems) or any(p.what == "duplicate" for p in problems)
    assert left_out != (len(frame) == 3) or not line.strip()


SPOILED_LAYERS = {
    "a feature that is not an object": '{"type":"FeatureCollection","features":[1,"x",null]}',
    "properties of the wrong type": '{"type":"FeatureCollection","features":[{"type":"Feature","properties":[1],"geometry":null}]}',
    "geometry of the wrong type": '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":"POINT(1 2)"}]}',
    "crs of the wrong type": '{"type":"FeatureCollection","crs":"EPSG:4326","features":[]}',
    "features of the wrong type": '{"type":"FeatureCollection","features":{"a":1}}',
    "nesting deeper than a parser takes": '{"type":"FeatureCollection","features":' + "[" * 100_000 + "]" * 100_000 + "}",
    "non-finite coordinates": '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[NaN,Infinity]}}]}',
    "truncated": '{"type":"FeatureCollection","features":[{"type":"Feat',
    "empty": "",
    "binary": "\x00\x01\x02\xff",
}  # fmt: skip


@pytest.mark.parametrize("content", SPOILED_LAYERS.values(), ids=SPOILED_LAYERS.keys())
def test_each_kind_of_spoiled_layer_is_named_and_the_rest_loads(data_copy, content):
    (data_copy / BASES.path).write_text(content, encoding="utf-8", errors="surrogateescape")
    data = load_all(data_copy)
    assert data.files["industry_bases"].problems and all(
        p.file == BASES.path for p in data.files["industry_bases"].problems
    )
    assert data.frame("townships") is not None and data.frame("output") is not None


@pytest.mark.parametrize("content", list(SPOILED_LAYERS.values())[:7], ids=list(SPOILED_LAYERS)[:7])
def test_the_data_check_names_a_spoiled_file_without_a_traceback(tmp_path, data_copy, content):
    (data_copy / BASES.path).write_text(content, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/data/check_data.py"), str(data_copy), "--lang", "en"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert any(line.startswith(BASES.path) for line in result.stdout.splitlines())


def test_the_depth_limit_is_the_one_uploads_use():
    from lib.staff import uploads

    assert uploads.MAX_JSON_DEPTH == MAX_JSON_DEPTH
