"""What staff see of the files, and the tables they edit, without Streamlit."""

from __future__ import annotations

from lib.admin import file_status, next_quarter_rows, read_raw_table, table_csv, template
from lib.catalog import DATASETS
from lib.loading import load_all
from lib.store import DataStore
from lib.uploads import read_upload

OUTPUT = DATASETS["output"]


def test_status_names_every_file_and_who_saved_it(data_copy):
    store = DataStore(data_copy)
    path = data_copy / OUTPUT.path
    store.save(OUTPUT.path, path.read_bytes() + b"", user="王芳", summary="none", expected=store.token(OUTPUT.path))
    status = file_status(load_all(data_copy), store, "en")
    assert len(status) == len(DATASETS) and set(status["State"]) == {"fine"}
    saved = status[status["File"] == OUTPUT.path].iloc[0]
    assert saved["By"] == "王芳" and saved["Rows or features"] == 81


def test_status_counts_problems(data_copy):
    path = data_copy / OUTPUT.path
    path.write_text(path.read_text(encoding="utf-8").replace(",1500,", ",x,"), encoding="utf-8")
    status = file_status(load_all(data_copy), DataStore(data_copy), "zh")
    assert status[status["文件"] == OUTPUT.path].iloc[0]["状态"] == "有问题（1 个）"


def test_template_has_the_header_and_one_example_row(bundled):
    for table in (DATASETS[k] for k in ("output", "party_school")):
        for example in (bundled.frame(table.key), None):
            result = read_upload(table, "template.csv", template(table, example))
            assert result.problems == [] and len(result.frame) == 1


def test_editing_keeps_bad_rows_and_round_trips(data_copy):
    path = data_copy / OUTPUT.path
    path.write_text(path.read_text(encoding="utf-8").replace(",1500,", ",1500万,"), encoding="utf-8")
    cells = read_raw_table(OUTPUT, path.read_bytes())
    assert len(cells) == 81 and "1500万" in set(cells["output_10k_yuan"])  # nothing is lost to editing
    cells.loc[cells["output_10k_yuan"] == "1500万", "output_10k_yuan"] = "1500"
    result = read_upload(OUTPUT, "edited.csv", table_csv(cells))
    assert result.problems == [] and len(result.frame) == 81


def test_rows_of_the_next_quarter(bundled, data_copy):
    cells = read_raw_table(OUTPUT, (data_copy / OUTPUT.path).read_bytes())
    grown = next_quarter_rows(cells)
    new = grown[grown["quarter"] == "2024Q2"]
    assert len(new) == 9 and set(new["output_10k_yuan"]) == {""} and set(new["source"]) == {"statistics"}
    problems = read_upload(OUTPUT, "edited.csv", table_csv(grown)).problems
    assert {p.what for p in problems} == {"required"}  # the figures are for staff to fill in
    grown.loc[grown["quarter"] == "2024Q2", "output_10k_yuan"] = "100"
    assert read_upload(OUTPUT, "edited.csv", table_csv(grown)).problems == []
