"""Large layers are kept as read and checked, and read back exactly; never a stale result."""

from __future__ import annotations

import json

import pytest
from geopandas.testing import assert_geodataframe_equal

from lib.contract.catalog import DATASETS
from lib.files import loading, parsed
from lib.files.loading import load

GRIDS = DATASETS["patrol_grids"]


@pytest.fixture
def kept_here(tmp_path, monkeypatch):
    """Every layer kept, however small, in a cache folder of the test's own."""
    monkeypatch.setattr(parsed, "KEEP_FROM_BYTES", 0)
    monkeypatch.setenv("WANFENG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _spoil_one_feature(data_copy):
    path = data_copy / GRIDS.path
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][2]["properties"]["township_id"] = "nowhere"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_a_layer_read_again_comes_from_what_was_kept_exactly(data_copy, kept_here, monkeypatch):
    _spoil_one_feature(data_copy)
    first = load(GRIDS, data_copy)
    assert first.problems and list(kept_here.glob("patrol_grids-*.json"))
    monkeypatch.setattr(loading, "parse_layer", lambda *_: pytest.fail("read again, not from what was kept"))
    again = load(GRIDS, data_copy)
    assert_geodataframe_equal(again.frame, first.frame)
    assert again.problems == first.problems and again.modified == first.modified


def test_a_changed_file_is_read_anew(data_copy, kept_here):
    first = load(GRIDS, data_copy)
    _spoil_one_feature(data_copy)
    again = load(GRIDS, data_copy)
    assert not first.problems and [p.what for p in again.problems] and len(again.frame) == len(first.frame) - 1


def test_a_half_removed_entry_is_read_anew(data_copy, kept_here):
    first = load(GRIDS, data_copy)
    for frame_file in kept_here.glob("*.parquet"):
        frame_file.unlink()
    assert_geodataframe_equal(load(GRIDS, data_copy).frame, first.frame)


def test_a_cache_that_cannot_be_written_changes_nothing(data_copy, kept_here):
    kept_here.write_text("a file where the folder should be")
    assert_geodataframe_equal(load(GRIDS, data_copy).frame, load(GRIDS, data_copy).frame)


def test_only_the_last_versions_of_a_layer_are_kept(data_copy, kept_here):
    path = data_copy / GRIDS.path
    text = path.read_text(encoding="utf-8")
    for n in range(parsed.KEPT_PER_LAYER + 2):
        path.write_text(text + " " * n, encoding="utf-8")
        load(GRIDS, data_copy)
    assert len(list(kept_here.glob("patrol_grids-*.json"))) == parsed.KEPT_PER_LAYER
    assert len(list(kept_here.glob("patrol_grids-*.parquet"))) == parsed.KEPT_PER_LAYER


def test_small_layers_are_not_kept(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("WANFENG_CACHE_DIR", str(tmp_path / "cache"))
    load(GRIDS, data_copy)
    assert not (tmp_path / "cache").exists()
