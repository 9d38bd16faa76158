"""A clerk adds a quarter alone, in Chinese, as the README tells: typed in the page at a human
pace and at speed with nothing lost, previewed with the numbers, saved with every screen current
at once, restored after a confirmation; and the same quarter uploaded as an .xlsx with two
mistakes, each named by the workbook's own row and the column's Chinese heading."""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from lib.contract.settings import DEFAULT_DATA_DIR
from lib.files.loading import load_all
from lib.staff.sign_in import read_editors, read_roles, set_password, verify
from tests.browser.conftest import Visit, start_server
from tests.browser.test_data_page import PANEL, _cells, _go, _upload, _wait_for_text, uploader_box

pytestmark = pytest.mark.browser

PASSWORD = "meeting room 3"
OUTPUT = "tables/output.csv"
# The nine rows of 2024Q2 in grid order, and what the clerk types into them.
TYPED = ["1600", "55.5", "210", "60", "90.25", "150", "72", "680", "95"]
ROW_HEIGHT = 35  # pixels, of a row of Streamlit's grid


@pytest.fixture
def clerk(tmp_path: Path, visit: Visit) -> Iterator[tuple[Visit, str, Path]]:
    """A server on a copy of the data, and a clerk signed in on its data page, in Chinese."""
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    set_password(tmp_path / "editors.json", "王芳", PASSWORD)
    server, url = start_server(folder, WANFENG_EDITORS_FILE=str(tmp_path / "editors.json"))
    page = visit.open(f"{url}/data?lang=zh")
    page.get_by_role("textbox", name="用户名").fill("王芳")
    page.get_by_role("textbox", name="密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    _wait_for_text(visit, "已登录：王芳")
    yield visit, url, folder
    server.terminate()
    server.wait(timeout=10)


def _status_row(visit: Visit, file: str) -> str:
    return visit.page.locator("[data-testid='stTable']").first.locator("tr", has_text=file).inner_text()


def _standing_still(locator) -> dict:
    """``locator``'s box once it has stayed in place for half a second: after a rerun that
    changes what stands above it, the grid is moved and drawn again, and a click landing
    before then selects nothing."""
    last = None
    for _ in range(40):
        box = locator.bounding_box()
        if box is not None and box == last:
            return box
        last = box
        time.sleep(0.5)
    raise AssertionError(f"the grid kept moving: {last}")


def _type_into_new_rows(visit: Visit, values: list[str] = TYPED, first_row: int = 0, human: int = 5) -> None:
    """Select the figure cell of row ``first_row`` of the new rows' grid and type each value
    down the column, as a person does: the first ``human`` one cell every two seconds, the rest
    as fast as a practised typist."""
    page = visit.page
    grid = page.locator(PANEL).locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    # A click that lands while the grid is drawn again after a rerun selects nothing: a person
    # sees no cell highlighted and clicks again.
    first_cell = grid.locator(f"#glide-cell-0-{first_row}")
    for attempt in range(5):
        box = _standing_still(grid)
        page.mouse.click(box["x"] + 40, box["y"] + 52 + ROW_HEIGHT * first_row)  # the row's first cell
        try:
            expect(first_cell).to_have_attribute("aria-selected", "true", timeout=3_000)
            break
        except AssertionError:
            if attempt == 4:
                raise
    for _ in range(3):  # to the output column, past quarter, township and industry
        page.keyboard.press("ArrowRight")
    editor = page.locator(".gdg-input")  # the grid's cell editor, over the cell being typed in
    for index, value in enumerate(values):
        slow = index < human
        # The first key opens the cell's editor; a person sees it open before typing on. The
        # page fetches the editor's code on its first use, and a key pressed before it is there
        # opens the editor anew, on that key alone ("1600" stood as "600" in one CI run).
        page.keyboard.type(value[0])
        # The editor of this cell, holding that key: the one of the cell above may still be
        # closing, and a key pressed into it is lost with it (the last figure stood empty in a
        # busy CI run).
        expect(editor).to_have_value(value[0], timeout=10_000)
        page.keyboard.type(value[1:], delay=150 if slow else 25)
        page.keyboard.press("Enter")  # commits, and moves to the row below
        time.sleep(2.0 if slow else 0.05)


def test_a_clerk_adds_a_quarter_in_the_page(clerk):
    visit, _, folder = clerk
    page = visit.page
    original = (folder / OUTPUT).read_bytes()
    page.get_by_role("tab", name="在线编辑表格").click()
    visit.choose("选择文件", OUTPUT, within=PANEL)
    visit.press(page.get_by_role("button", name="添加 2024年二季度 的行"), shows="2024年二季度 的新行")
    # Nothing typed yet: the empty cells wait to be filled, no error is shown.
    assert page.locator(PANEL).locator("[data-testid='stAlertContentError']").count() == 0
    _type_into_new_rows(visit)
    # Every value stands in the grid (its cells as screen readers get them), before anything is sent.
    output_column = "td[role='gridcell'][aria-colindex='4']"
    expect(page.locator(PANEL).locator("[data-testid='stDataFrame']").first.locator(output_column)).to_have_text(
        TYPED, timeout=15_000
    )
    visit.choose("这些新行的数据来源", "公开数据", within=PANEL)  # once, for all nine rows
    visit.screenshot("quarter-typed-zh")

    page.get_by_role("button", name="检查并预览").click()
    _wait_for_text(visit, "新增 9 行，删除 0 行，修改 0 行")
    cells = page.locator(PANEL).locator("[data-testid='stDataFrame'] td[role='gridcell']")
    cells.filter(has_text="2024年二季度").first.wait_for(state="attached")  # the totals, drawn last
    shown = _cells(visit)
    assert all(value in shown or f"{float(value):,g}" in shown for value in TYPED)
    total = sum(float(v) for v in TYPED)
    assert "2024年二季度" in shown and f"{total:,g}" in shown  # the new quarter's total, before it is saved
    visit.screenshot("quarter-preview-zh")

    page.get_by_role("button", name="保存", exact=True).click()
    _wait_for_text(visit, "已保存 tables/output.csv")
    saved = load_all(folder).frame("output")
    new = saved[saved.quarter == "2024Q2"]
    assert sorted(new.output_10k_yuan) == sorted(float(v) for v in TYPED) and set(new.source) == {"open_data"}
    # Every screen is current at once: the file's state, and no preview of a change already saved.
    row = _status_row(visit, OUTPUT)
    assert "90" in row and "王芳" in row
    assert page.get_by_text("新增 9 行，删除 0 行，修改 0 行").count() == 1  # in the message, not a preview
    page.get_by_role("button", name="添加 2024年三季度 的行").wait_for()
    visit.screenshot("quarter-saved-zh")

    page.get_by_role("tab", name="历史版本与恢复").click()
    visit.choose("选择文件", OUTPUT, within=PANEL)
    history = _cells(visit)
    assert "#2" in history and "#1" in history and "新增 9 行，删除 0 行，修改 0 行" in history
    assert "首次经看板保存前的原文件" in history and not any("as found" in cell for cell in history)
    visit.choose("版本", "#1", within=PANEL)
    visit.press(page.get_by_role("button", name="恢复此版本…"), "确定要把 tables/output.csv 恢复为")
    assert page.get_by_text("删除 9 行").count() >= 1 and (folder / OUTPUT).read_bytes() != original
    page.get_by_role("button", name="确认恢复").click()
    _wait_for_text(visit, "已恢复 tables/output.csv")
    assert (folder / OUTPUT).read_bytes() == original
    assert "81" in _status_row(visit, OUTPUT)
    visit.screenshot("quarter-restored-zh")


def test_what_is_typed_is_kept_across_a_rerun(clerk):
    """Values typed into the new rows stay there when the page reruns for something else before
    the clerk checks or saves (the choice of a file to download, a look at another table and
    back); the rest typed after, every value is saved, each in its row."""
    visit, _, folder = clerk
    page = visit.page
    page.get_by_role("tab", name="在线编辑表格").click()
    visit.choose("选择文件", OUTPUT, within=PANEL)
    visit.press(page.get_by_role("button", name="添加 2024年二季度 的行"), shows="2024年二季度 的新行")
    _type_into_new_rows(visit, TYPED[:4], human=4)
    output_column = "td[role='gridcell'][aria-colindex='4']"
    cells = page.locator(PANEL).locator("[data-testid='stDataFrame']").first.locator(output_column)
    expect(cells).to_have_text([*TYPED[:4], *[""] * 5], timeout=15_000)

    # Another control, away from the grid: the page reruns from the top (the script, not the
    # browser, draws the chosen file's download button), and runs to its end.
    visit.choose("选择文件", "tables/employment.csv")  # the first on the page: what to download
    expect(page.get_by_role("button", name="下载 employment.csv")).to_be_visible(timeout=30_000)
    visit.settle()
    page.get_by_role("tab", name="在线编辑表格").wait_for()
    expect(cells).to_have_text([*TYPED[:4], *[""] * 5], timeout=15_000)  # nothing typed is gone

    # A look at another table, and back: the grid is gone for a run and drawn again from what
    # the session holds.
    _type_into_new_rows(visit, TYPED[4:6], first_row=4, human=2)
    expect(cells).to_have_text([*TYPED[:6], *[""] * 3], timeout=15_000)
    visit.choose("选择文件", "tables/employment.csv", within=PANEL)
    page.get_by_role("button", name="添加 2024年二季度 的行").wait_for()  # employment's own grid
    visit.choose("选择文件", OUTPUT, within=PANEL)
    _wait_for_text(visit, "2024年二季度 的新行")
    expect(cells).to_have_text([*TYPED[:6], *[""] * 3], timeout=15_000)

    # At a human pace (speed is the test above).
    _type_into_new_rows(visit, TYPED[6:], first_row=6, human=3)
    expect(cells).to_have_text(TYPED, timeout=15_000)
    page.get_by_role("button", name="检查并预览").click()
    _wait_for_text(visit, "新增 9 行，删除 0 行，修改 0 行")
    page.get_by_role("button", name="保存", exact=True).click()
    _wait_for_text(visit, "已保存 tables/output.csv")
    saved = load_all(folder).frame("output")
    new = saved[saved.quarter == "2024Q2"]
    assert list(new.output_10k_yuan) == [float(v) for v in TYPED]


def _workbook_with_two_mistakes(folder: Path) -> tuple[bytes, list[int]]:
    """output.csv with 2024Q2 added, as a clerk's Excel file: one figure typed with a word in it,
    one township written as its name; and the Excel rows of those two."""
    frame = load_all(folder).frame("output")
    rows = [list(frame.columns), *frame.astype(object).itertuples(index=False)]
    rows = [list(row) for row in rows]
    latest = frame[frame.quarter == "2024Q1"]
    for offset, record in enumerate(latest.to_dict("records")):
        rows.append(["2024Q2", record["township_id"], record["industry"], 100 + offset, "statistics"])
    rows[-9][3] = "约1600"
    rows[-5][1] = "鲁布革乡"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "产值"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), [len(rows) - 8, len(rows) - 4]


def test_an_upload_with_two_mistakes_names_the_workbook_row_and_column(clerk):
    visit, _, folder = clerk
    page = visit.page
    content, lines = _workbook_with_two_mistakes(folder)
    visit.choose("选择文件", OUTPUT, within=PANEL)
    panel = page.locator(PANEL)
    # The uploader speaks Chinese too (Streamlit's own words are English): its style is drawn
    # with it, once the page has redrawn it for the file chosen.
    button = f"{uploader_box(OUTPUT)} [data-testid='stFileUploaderDropzone'] [data-testid='stBaseButton-secondary']"
    page.wait_for_function(
        """selector => { const b = document.querySelector(selector);
            return b && getComputedStyle(b, '::after').content === '"选择文件"'; }""",
        arg=button,
        timeout=30_000,
    )
    assert page.locator(button).locator("[data-testid='stMarkdownContainer']").is_hidden()  # "Upload"
    _upload(visit, "产值-2024Q2.xlsx", content, label="选择文件")
    _wait_for_text(visit, "不能保存")
    errors = panel.locator("[data-testid='stAlertContentError']").all_inner_texts()
    number = next(e for e in errors if "约1600" in e)
    assert f"产值-2024Q2.xlsx · 工作表“产值” · 第 {lines[0]} 行 · 列“季度产值（万元）”（output_10k_yuan）" in number
    assert "删除“约”，只填数字" in number
    township = next(e for e in errors if "鲁布革乡" in e)
    assert f"第 {lines[1]} 行 · 列“乡镇”（township_id）" in township and "lubuge" in township
    assert page.get_by_role("button", name="保存", exact=True).count() == 0
    visit.screenshot("quarter-upload-mistakes-zh")


def test_a_half_filled_quarter_is_not_the_default(clerk):
    visit, url, folder = clerk
    employment = folder / "tables/employment.csv"
    lines = employment.read_text(encoding="utf-8").splitlines()
    latest = [line for line in lines if line.startswith("2024Q1,")]
    employment.write_text("\n".join([*lines, *(line.replace("2024Q1,", "2024Q2,", 1) for line in latest)]) + "\n")
    page = visit.open(f"{url}/?lang=zh")
    assert "quarter=2024Q1" in page.url  # the latest complete quarter, not the half-filled one
    assert page.get_by_text("数据尚不完整").count() == 0
    visit.choose("季度", "2024年二季度 · 数据不完整", within="[data-testid='stSidebar']")
    _wait_for_text(visit, "2024年二季度的数据尚不完整")
    _go(visit, "产业与就业")
    assert page.get_by_text("2024年二季度的数据尚不完整").count() == 1
    visit.screenshot("quarter-incomplete-industry-zh")


def test_an_administrator_adds_an_editor_on_the_page(tmp_path: Path, visit: Visit):
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    editors = tmp_path / "editors.json"
    set_password(editors, "王芳", PASSWORD, role="admin")
    set_password(editors, "李明", "a long password")
    server, url = start_server(folder, WANFENG_EDITORS_FILE=str(editors))
    try:
        page = visit.open(f"{url}/data?lang=zh")
        page.get_by_role("textbox", name="用户名").fill("王芳")
        page.get_by_role("textbox", name="密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        _wait_for_text(visit, "已登录：王芳")
        page.get_by_role("tab", name="账号管理").click()
        visit.settle()
        panel = page.locator(PANEL)
        panel.get_by_role("textbox", name="用户名").fill("张敏")
        panel.get_by_role("textbox", name="密码", exact=True).fill("quarter two")
        panel.get_by_role("textbox", name="再次输入密码").fill("quarter two")
        panel.get_by_role("button", name="保存账号").click()
        _wait_for_text(visit, "已保存账号 张敏（编辑）")
        assert read_roles(editors) == {"王芳": "admin", "李明": "editor", "张敏": "editor"}
        assert verify(read_editors(editors), "张敏", "quarter two")
        # The grid draws the cells of rows in view only: bring it into view first.
        page.locator(PANEL).locator("[data-testid='stDataFrame']").first.scroll_into_view_if_needed()
        accounts = page.locator(PANEL).locator("[data-testid='stDataFrame'] td[role='gridcell']")
        accounts.filter(has_text="张敏").first.wait_for(state="attached", timeout=60_000)
        visit.screenshot("accounts-zh")
        visit.choose("用户名", "李明", within=PANEL)
        visit.press(page.get_by_role("button", name="取消此账号"), shows="已取消账号 李明")
        assert "李明" not in read_roles(editors)
        # An editor who is not an administrator sees no accounts.
        page.get_by_role("button", name="退出登录（王芳）").click()
        expect(page.get_by_role("tab", name="账号管理")).to_have_count(0, timeout=30_000)
        visit.settle()
        page.get_by_role("textbox", name="用户名").fill("张敏")
        page.get_by_role("textbox", name="密码").fill("quarter two")
        page.get_by_role("button", name="登录").click()
        _wait_for_text(visit, "已登录：张敏")
        assert page.get_by_role("tab", name="账号管理").count() == 0
    finally:
        server.terminate()
        server.wait(timeout=10)
