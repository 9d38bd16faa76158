"""Tables as staff's office suite saves them: a bundled table opened in LibreOffice and saved as
Excel 97-2003 (.xls), .xlsx or .ods reads back as the same table, and a mistake in it is named by
the workbook's own name, sheet and row."""

from __future__ import annotations

import pytest

from lib.contract.catalog import DATASETS
from lib.contract.settings import DEFAULT_DATA_DIR
from lib.staff.uploads import read_upload
from tests.libreoffice import CSV_UTF8, convert
from tests.unit.test_uploads import _bundled_text, _only, _refused


@pytest.mark.parametrize("key", ["output", "party_school"])
@pytest.mark.parametrize("extension", ["xls", "xlsx", "ods"])
def test_workbooks_saved_by_libreoffice(tmp_path, bundled, extension, key):
    """A bundled table opened in LibreOffice and saved as Excel 97-2003 (.xls), .xlsx or .ods."""
    csv_file = tmp_path / "产值.csv"
    csv_file.write_text(_bundled_text(key), encoding="utf-8")
    workbook = convert(csv_file, extension, CSV_UTF8)
    upload = read_upload(DATASETS[key], workbook.name, workbook.read_bytes())
    assert upload.problems == [] and upload.frame.equals(bundled.frame(key))
    assert upload.content == b"\xef\xbb\xbf" + (DEFAULT_DATA_DIR / DATASETS[key].path).read_bytes()
    if key != "output":
        return
    # A mistake is named by the workbook's own name, sheet and row.
    csv_file.write_text(_bundled_text("output").replace(",1500,", ",1500万,", 1), encoding="utf-8")
    workbook = convert(csv_file, extension, CSV_UTF8)
    problem = _only(read_upload(DATASETS["output"], workbook.name, workbook.read_bytes()))
    assert problem.what == "not_number" and problem.value == "1500万"
    assert problem.message("zh").startswith(f"产值.{extension} · 工作表“产值” · 第 {problem.row} 行")


def test_a_damaged_xls_from_libreoffice_is_refused(tmp_path):
    csv_file = tmp_path / "output.csv"
    csv_file.write_text(_bundled_text("output"), encoding="utf-8")
    raw = convert(csv_file, "xls", CSV_UTF8).read_bytes()
    _refused(read_upload(DATASETS["output"], "output.xls", raw[: len(raw) // 2]), "not_excel")
