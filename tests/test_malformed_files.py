"""Files as they really arrive: whatever a layer or a table holds, loading survives it, every
problem names its file, and the sound rows still load. Property-based (hypothesis), with a fixed
seed and bounded examples so that CI stays quick and repeatable."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from lib.catalog import DATASETS
from lib.loading import MAX_JSON_DEPTH, load_all, parse_layer, parse_table
from tests.conftest import ROOT

BASES, OUTPUT = DATASETS["industry_bases"], DATASETS["output"]
SOUND_BASE = json.loads((ROOT / "data" / BASES.path).read_text(encoding="utf-8"))["features"][0]
SOUND_ROW = "2024Q1,sanjiangkou,wood,1500,report,1500"
BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

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


@seed(20240422)
@BOUNDED
@given(st.lists(features, max_size=4), json_values)
def test_a_layer_with_anything_in_it_loads_what_is_sound(spoiled, crs):
    document = {"type": "FeatureCollection", "features": [SOUND_BASE, *spoiled]}
    if crs is not None:
        document["crs"] = crs
    frame, problems = parse_layer(BASES, json.dumps(document, allow_nan=True))
    assert all(p.file == BASES.path and p.message("zh") and p.message("en") for p in problems)
    if frame is not None:
        assert "base-1" in set(frame["id"])  # the sound feature came through
    else:
        assert problems  # a layer not read at all says why


@seed(20240422)
@BOUNDED
@given(st.lists(st.text(max_size=30), max_size=6), st.text(max_size=200))
def test_a_table_with_anything_in_it_loads_what_is_sound(cells, noise):
    text = f"quarter,township_id,industry,output_10k_yuan,source,reported_as\n{SOUND_ROW}\n{','.join(cells)}\n{noise}\n"
    frame, problems = parse_table(OUTPUT, text)
    assert all(p.file == OUTPUT.path and p.message("zh") for p in problems)
    if frame is not None:
        assert 1500 in set(frame["output_10k_yuan"]) or any(p.what == "duplicate" for p in problems)


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
        [sys.executable, str(ROOT / "scripts/check_data.py"), str(data_copy), "--lang", "en"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert any(line.startswith(BASES.path) for line in result.stdout.splitlines())


def test_the_depth_limit_is_the_one_uploads_use():
    from lib import uploads

    assert uploads.MAX_JSON_DEPTH == MAX_JSON_DEPTH
