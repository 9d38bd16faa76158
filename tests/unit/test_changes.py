"""Comparing a file with its replacement: rows and features added, removed and changed."""

from __future__ import annotations

import pandas as pd
import shapely.affinity

from lib.contract.catalog import DATASETS
from lib.files.changes import Changes, compare


def test_same_frame_has_no_changes(bundled):
    for key, dataset in DATASETS.items():
        changes = compare(dataset, bundled.frame(key), bundled.frame(key).copy())
        assert changes.empty, key
    assert changes.summary("zh") == "没有变化" and changes.summary("en") == "no changes"


def test_added_removed_and_changed_rows(bundled):
    old = bundled.frame("output")
    new = old.copy()
    wood = (new["quarter"] == "2024Q1") & (new["township_id"] == "sanjiangkou") & (new["industry"] == "wood")
    new.loc[wood, "output_10k_yuan"] = 1600.0
    new.loc[wood, "source"] = "statistics"
    first = new.index[0]
    new = new.drop(index=first)
    added = old.iloc[[1]].assign(quarter="2024Q2")
    new = pd.concat([new, added], ignore_index=True)
    changes = compare(DATASETS["output"], old, new)
    assert changes.added == ["2024Q2 / sanjiangkou / fruit"]
    assert changes.removed == ["2022Q1 / sanjiangkou / wood"]
    assert changes.changed == [("2024Q1 / sanjiangkou / wood", ["output_10k_yuan", "source"])]
    assert not changes.empty
    assert changes.summary("zh") == "新增 1 行，删除 1 行，修改 1 行"
    assert changes.summary("en") == "1 added, 1 removed, 1 changed"


def test_a_missing_file_means_everything_is_added(bundled):
    frame = bundled.frame("joint_meetings")
    changes = compare(DATASETS["joint_meetings"], None, frame)
    assert changes.added == list(frame["quarter"]) and not changes.removed and not changes.changed
    assert changes.summary("en") == f"{len(frame)} added, 0 removed, 0 changed"


def test_empty_values_are_equal_whatever_their_form(bundled):
    old = bundled.frame("party_organisations")
    new = old.copy()
    new["since_quarter"] = new["since_quarter"].astype(object).where(new["since_quarter"].notna(), float("nan"))
    assert compare(DATASETS["party_organisations"], old, new).empty


def test_geometry_change(bundled):
    old = bundled.frame("sites")
    new = old.copy()
    new.loc[0, "geometry"] = shapely.affinity.translate(new.loc[0, "geometry"], xoff=0.001)
    new.loc[1, "geometry"] = shapely.affinity.translate(new.loc[1, "geometry"], xoff=1e-12)  # float noise
    new.loc[2, "name_en"] = "Renamed"
    changes = compare(DATASETS["sites"], old, new)
    assert changes.changed == [(old.loc[0, "id"], ["geometry"]), (old.loc[2, "id"], ["name_en"])]
    assert changes.summary("zh") == "新增 0 个要素，删除 0 个要素，修改 2 个要素"


def test_changed_key_is_one_removed_and_one_added(bundled):
    old = bundled.frame("lake")
    new = old.assign(id="lake-2")
    changes = compare(DATASETS["lake"], old, new)
    assert (changes.added, changes.removed, changes.changed) == (["lake-2"], [old.loc[0, "id"]], [])


def test_changes_is_a_plain_value():
    assert Changes([], [], []).empty
    assert not Changes(["a"], [], []).empty
