"""What staff see of the files, and the tables they edit, without Streamlit."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from lib.contract.catalog import DATASETS
from lib.contract.settings import DEFAULT_DATA_DIR
from lib.files.changes import compare, quarter_totals, value_changes
from lib.files.loading import load, load_all
from lib.files.problems import Problem
from lib.files.store import DataStore
from lib.staff.editing import (
    apply_edits,
    check_grid,
    file_status,
    name_grid_rows,
    new_quarter_rows,
    read_raw_table,
    suggested_renames,
    table_csv,
    template,
    uploader_style,
    version_summary,
)
from lib.staff.uploads import read_upload

OUTPUT = DATASETS["output"]


def test_status_names_every_file_and_who_saved_it(data_copy):
    store = DataStore(data_copy)
    path = data_copy / OUTPUT.path
    store.save(OUTPUT.path, path.read_bytes() + b"", user="王芳", summary="none", expected=store.token(OUTPUT.path))
    status = file_status(load_all(data_copy), store.audit(), "en")
    assert len(status) == len(DATASETS) and set(status["State"]) == {"fine"}
    saved = status[status["File"] == OUTPUT.path].iloc[0]
    assert saved["By"] == "王芳" and saved["Rows or features"] == "81"


def test_status_counts_problems(data_copy):
    path = data_copy / OUTPUT.path
    path.write_text(path.read_text(encoding="utf-8").replace(",1500,", ",x,"), encoding="utf-8")
    status = file_status(load_all(data_copy), DataStore(data_copy).audit(), "zh")
    assert status[status["文件"] == OUTPUT.path].iloc[0]["状态"] == "有问题（1 个）"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_template_is_a_header_and_rules_never_data(bundled, lang):
    for table in DATASETS.values():
        if table.is_layer:
            continue
        raw = template(table, lang)
        workbook = load_workbook(io.BytesIO(raw))
        data_sheet, rules = workbook.worksheets
        assert [c.value for c in data_sheet[1]] == [f.name for f in table.fields] and data_sheet.max_row == 1
        # Uploaded back as it is, it is a valid file with no rows: nothing of an example slips in.
        result = read_upload(table, "template.xlsx", raw)
        assert result.problems == [] and len(result.frame) == 0
        described = {row[0].value: row for row in rules.iter_rows(min_row=2) if row[0].value}
        for field in table.fields:
            assert described[field.name][1].value == field.heading(lang)
        if table.key == "output":
            assert "sanjiangkou" in described["township_id"][3].value
            assert described["quarter"][4].value == "2024Q1"
    real = set(bundled.frame("output")["output_10k_yuan"].astype(str))
    cells = {
        str(c.value) for row in load_workbook(io.BytesIO(template(OUTPUT, "zh"))).worksheets[1].iter_rows() for c in row
    }
    assert not cells & real


def test_editing_keeps_bad_rows_and_round_trips(data_copy):
    path = data_copy / OUTPUT.path
    path.write_text(path.read_text(encoding="utf-8").replace(",1500,", ",1500万,"), encoding="utf-8")
    cells = read_raw_table(OUTPUT, path.read_bytes())
    assert len(cells) == 81 and "1500万" in set(cells["output_10k_yuan"])  # nothing is lost to editing
    cells.loc[cells["output_10k_yuan"] == "1500万", "output_10k_yuan"] = "1500"
    result = read_upload(OUTPUT, "edited.csv", table_csv(cells))
    assert result.problems == [] and len(result.frame) == 81


ONE_ROW = ["2024Q1", "sanjiangkou", "wood", "1500", "statistics", ""]
ACCEPTED = {
    "thousands separator": ("output_10k_yuan", "1,500", 1500),
    "exponent": ("output_10k_yuan", "1e3", 1000),
    "spaced quarter": ("quarter", "2024 Q 1", "2024Q1"),
    "quarter": ("quarter", "2024Q1", "2024Q1"),
}
REFUSED = {
    "about": ("output_10k_yuan", "约1500", "not_number"),
    "words": ("output_10k_yuan", "abc", "not_number"),
    "no such quarter": ("quarter", "2024Q5", "not_quarter"),
}


def _both_ways(folder: Path, field: str, value: str):
    """One row holding ``value`` as ``field``, read by the loader from a file (as Excel writes
    it) and checked from the in-page grid as a clerk types it there."""
    header = [f.name for f in OUTPUT.fields]
    row = dict(zip(header, ONE_ROW, strict=True)) | {field: value}
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, [row[name] for name in header]])
    (folder / OUTPUT.path).parent.mkdir(parents=True)
    (folder / OUTPUT.path).write_text(buffer.getvalue(), encoding="utf-8-sig")
    loaded = load(OUTPUT, folder)
    cells = read_raw_table(OUTPUT, table_csv(pd.DataFrame([ONE_ROW], columns=header)))
    typed = apply_edits(cells, {"edited_rows": {0: {field: value}}})
    return loaded, check_grid(OUTPUT, typed)


@pytest.mark.parametrize(("field", "value", "expected"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_the_grid_and_the_loader_accept_the_same_values(tmp_path, field, value, expected):
    loaded, checked = _both_ways(tmp_path, field, value)
    assert loaded.problems == [] and checked.problems == [] and checked.savable
    assert loaded.frame[field].tolist() == checked.frame[field].tolist() == [expected]


@pytest.mark.parametrize(("field", "value", "what"), REFUSED.values(), ids=REFUSED.keys())
def test_the_grid_and_the_loader_refuse_the_same_values(tmp_path, field, value, what):
    loaded, checked = _both_ways(tmp_path, field, value)
    assert loaded.frame.empty and not checked.savable
    found = [[(p.row, p.field, p.value, p.what) for p in problems] for problems in (loaded.problems, checked.problems)]
    assert found[0] == found[1] == [(2, field, value, what)]


def test_rows_of_the_next_quarter(bundled, data_copy):
    cells = read_raw_table(OUTPUT, (data_copy / OUTPUT.path).read_bytes())
    new = new_quarter_rows(OUTPUT, cells, source="report")
    assert len(new) == 9 and set(new["quarter"]) == {"2024Q2"}
    assert set(new["output_10k_yuan"]) == {""} and set(new["source"]) == {"report"}
    grown = pd.concat([cells, new], ignore_index=True)
    problems = read_upload(OUTPUT, OUTPUT.path, table_csv(grown)).problems
    assert {p.what for p in problems} == {"required"}  # the figures are for staff to fill in
    grown.loc[grown["quarter"] == "2024Q2", "output_10k_yuan"] = "100"
    assert read_upload(OUTPUT, OUTPUT.path, table_csv(grown)).problems == []
    assert new_quarter_rows(OUTPUT, cells.iloc[0:0]).empty


def test_grid_edits_are_applied_as_typed():
    cells = pd.DataFrame({"quarter": ["2024Q2", "2024Q2", "2024Q2"], "output_10k_yuan": ["", "", "7"]})
    edits = {
        "edited_rows": {0: {"output_10k_yuan": "1,500"}, "1": {"output_10k_yuan": 12.5}},
        "added_rows": [{"quarter": "2024Q3", "output_10k_yuan": None}],
        "deleted_rows": [2],
    }
    edited = apply_edits(cells, edits)
    assert edited.to_dict("list") == {
        "quarter": ["2024Q2", "2024Q2", "2024Q3"],
        "output_10k_yuan": ["1,500", "12.5", ""],
    }
    assert apply_edits(cells, {}).equals(cells)


def _grown(bundled, figures: dict[tuple[str, str], str]) -> pd.DataFrame:
    cells = read_raw_table(OUTPUT, table_csv(bundled.frame("output").astype(str)))
    new = new_quarter_rows(OUTPUT, cells)
    for (township, industry), value in figures.items():
        new.loc[(new.township_id == township) & (new.industry == industry), "output_10k_yuan"] = value
    return pd.concat([cells, new], ignore_index=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_preview_shows_every_value_and_the_totals(bundled, lang):
    old = bundled.frame("output")
    changed = old.copy()
    changed.loc[
        (changed.quarter == "2024Q1") & (changed.township_id == "mabeng") & (changed.industry == "wood"),
        "output_10k_yuan",
    ] = 99.5
    values = value_changes(OUTPUT, old, changed, lang)
    assert len(values) == 1
    line = values.iloc[0].tolist()
    township = "马蚌镇" if lang == "zh" else "Mabeng"
    assert township in line[1] and "2024Q1" in line[1] and line[4] == "99.5"
    before = old[
        (old.quarter == "2024Q1") & (old.township_id == "mabeng") & (old.industry == "wood")
    ].output_10k_yuan.iloc[0]
    assert line[3] == f"{before:,g}"
    totals = quarter_totals(OUTPUT, old, changed, lang)
    assert len(totals) == 1
    total_before = old[old.quarter == "2024Q1"].output_10k_yuan.sum()
    assert totals.iloc[0].tolist()[2:] == [f"{total_before:,g}", f"{total_before - before + 99.5:,g}"]


def test_added_rows_show_their_values_and_a_new_quarter_total(bundled):
    old = bundled.frame("output")
    grown = _grown(
        bundled, {(t, i): "10" for t in ("sanjiangkou", "lubuge", "mabeng") for i in ("wood", "fruit", "tourism")}
    )
    new = read_upload(OUTPUT, OUTPUT.path, table_csv(grown)).frame
    values = value_changes(OUTPUT, old, new, "zh")
    assert set(values["操作"]) == {"新增"} and (values["新值"] == "10").sum() == 9
    totals = quarter_totals(OUTPUT, old, new, "zh")
    assert totals.iloc[0].tolist() == ["2024年二季度", "季度产值（万元）", "—", "90"]
    assert compare(OUTPUT, old, new).counts == {"added": 9, "removed": 0, "changed": 0}


def test_grid_problems_name_the_row_and_the_column_as_the_clerk_sees_them(bundled):
    grown = _grown(bundled, {("sanjiangkou", "wood"): "约1600"})
    problems = name_grid_rows(read_upload(OUTPUT, OUTPUT.path, table_csv(grown)).problems, OUTPUT, grown, "zh")
    wrong = next(p for p in problems if p.what == "not_number").message("zh")
    assert "2024Q2 · 三江口镇 · 木材加工" in wrong and "季度产值（万元）" in wrong and "output_10k_yuan" in wrong
    assert "删除“约”，只填数字" in wrong
    in_english = name_grid_rows(read_upload(OUTPUT, OUTPUT.path, table_csv(grown)).problems, OUTPUT, grown, "en")
    empty = next(p for p in in_english if p.what == "required").message("en")
    assert "the row 2024Q2 · Sanjiangkou · Fruit growing" in empty
    assert "“Output (10k yuan)” (output_10k_yuan)" in empty and empty.endswith("must not be empty. Enter a value")


def test_history_says_what_each_version_did_in_either_language(data_copy):
    store = DataStore(data_copy)
    path = data_copy / OUTPUT.path
    first = store.save(
        OUTPUT.path,
        path.read_bytes() + b"",
        user="王芳",
        summary="x",
        expected=store.token(OUTPUT.path),
        details={"counts": {"added": 9, "removed": 0, "changed": 1}},
    )
    store.restore(OUTPUT.path, store.history(OUTPUT.path)[-1].id, user="王芳", expected=store.token(OUTPUT.path))
    restored, saved, initial = store.history(OUTPUT.path)
    assert version_summary(saved, "zh") == "新增 9 行，删除 0 行，修改 1 行" and saved.id == first.id
    assert version_summary(saved, "en") == "9 added, 0 removed, 1 changed"
    assert version_summary(initial, "zh") == "首次经看板保存前的原文件"
    assert version_summary(restored, "zh").startswith("恢复为 ") and "restored the version" in version_summary(
        restored, "en"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_uploader_speaks_the_users_language(lang):
    style = uploader_style(lang)
    assert ("选择文件" if lang == "zh" else "Choose a file") in style and "stFileUploaderDropzoneInstructions" in style


@pytest.mark.parametrize(
    ("value", "hint"),
    [("约1600", "删除“约”，只填数字"), ("about 1600", "删除“about”，只填数字"), ("1500万元", "删除“万元”，只填数字")],
)
def test_a_wrong_number_says_what_to_delete(value, hint):
    problem = Problem(OUTPUT.path, "not_number", row=5, field="output_10k_yuan", value=value)
    assert problem.message("zh").endswith(hint)
    assert "Delete “" in problem.message("en") and "”“" not in problem.message("en").replace("约", "")


def test_a_township_written_by_name_is_told_its_code():
    problem = Problem(
        OUTPUT.path, "unknown_code", row=9, field="township_id", value="鲁布革乡", details={"allowed": "x"}
    )
    assert problem.message("zh").endswith("“鲁布革乡”请写成代码 lubuge")
    assert problem.message("en").endswith("write “鲁布革乡” as its code lubuge")
    assert (
        Problem(OUTPUT.path, "unknown_code", field="township_id", value="nowhere", details={"allowed": "x"}).hint("zh")
        is None
    )


def _renamed_upload(tmp_path, **renamed: str):
    import geopandas as gpd

    frame = gpd.read_file(DEFAULT_DATA_DIR / DATASETS["townships"].path).rename(columns=renamed)
    path = tmp_path / "t.gpkg"
    frame.to_file(path, layer="townships", driver="GPKG", engine="pyogrio")
    return read_upload(DATASETS["townships"], path.name, path.read_bytes())


def test_attributes_are_offered_by_the_names_other_tools_give_them(tmp_path):
    upload = _renamed_upload(tmp_path, name_zh="XZQMC", name_en="NAME", county_zh="所属县", province_zh="备注")
    assert suggested_renames(DATASETS["townships"], upload, {}) == {
        "XZQMC": "name_zh",
        "NAME": "name_en",  # holds no Chinese
        "所属县": "county_zh",
    }


def test_a_plain_name_holding_chinese_is_the_chinese_name(tmp_path):
    upload = _renamed_upload(tmp_path, name_zh="NAME", name_en="EN")
    assert suggested_renames(DATASETS["townships"], upload, {}) == {"NAME": "name_zh"}


def test_the_names_an_editor_gave_last_time_come_first(tmp_path):
    upload = _renamed_upload(tmp_path, name_zh="MC", name_en="XZQMC")
    remembered = {"XZQMC": "name_en", "MC": "name_zh"}
    assert suggested_renames(DATASETS["townships"], upload, remembered) == {"MC": "name_zh", "XZQMC": "name_en"}


def test_the_store_remembers_attribute_names_per_file(tmp_path):
    store = DataStore(tmp_path)
    assert store.renames("geo/townships.geojson") == {}
    store.remember_renames("geo/townships.geojson", {"XZQMC": "name_zh"})
    store.remember_renames("geo/lake.geojson", {"MC": "name_zh"})
    assert store.renames("geo/townships.geojson") == {"XZQMC": "name_zh"}
    assert DataStore(tmp_path).renames("geo/lake.geojson") == {"MC": "name_zh"}
