"""Staff keep the data: a viewer sees no editing; an editor signs in, is refused a bad file,
saves a good one that the dashboard then shows, and restores the previous version."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from lib.contract.settings import DEFAULT_DATA_DIR
from lib.files.loading import load_all
from lib.files.store import DataStore
from lib.staff.sign_in import set_password
from tests.browser.conftest import Visit, start_server
from tests.libreoffice import CSV_UTF8, convert

PASSWORD = "meeting room 3"
OUTPUT = "tables/output.csv"
PANEL = "[data-testid='stTabPanel']:visible"


@pytest.fixture(scope="module")
def staffed(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A server on a copy of the data, with one editor."""
    root = tmp_path_factory.mktemp("staffed")
    folder = root / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    set_password(root / "editors.json", "王芳", PASSWORD)
    server, url = start_server(folder, WANFENG_EDITORS_FILE=str(root / "editors.json"))
    yield url, folder
    server.terminate()
    server.wait(timeout=10)


def _sign_in(visit: Visit, url: str, name: str = "王芳", password: str = PASSWORD) -> None:
    page = visit.open(f"{url}/data?lang=en")
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    visit.settle()


def _wait_for_text(visit: Visit, text: str) -> None:
    """Wait for a rerun's result: the idle mark alone may still be the previous run's."""
    visit.page.get_by_text(text).first.wait_for(timeout=30_000)
    visit.settle()


def _go(visit: Visit, page_title: str) -> None:
    visit.page.locator("[data-testid='stSidebarNav'] a", has_text=page_title).click()
    visit.page.locator("h1", has_text=page_title).first.wait_for()
    visit.settle()


def uploader_box(file: str) -> str:
    """A selector of the uploader for ``file``, by its key (which names the file): while the
    script reruns, the uploader of the file chosen before can still be on the page."""
    return f"[class*='st-key-{re.sub(r'[^a-zA-Z0-9_-]', '-', f'upload:{file}:')}']"


def _uploader(visit: Visit, file: str):
    """The file input of the uploader for ``file``."""
    return visit.page.locator(PANEL).locator(f"{uploader_box(file)} input[type='file']")


def _upload(visit: Visit, name: str, content: bytes, file: str = OUTPUT, label: str = "File") -> None:
    visit.choose(label, file, within=PANEL)
    panel = visit.page.locator(PANEL)
    # A file set while the page still redraws the uploader for the chosen file can be dropped: retry.
    for attempt in range(3):
        upload = {"name": name, "mimeType": "application/octet-stream", "buffer": content}
        _uploader(visit, file).set_input_files(upload, timeout=30_000)
        try:
            panel.get_by_text(name).wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    visit.settle()


def _cells(visit: Visit) -> list[str]:
    """The cells of the tables (st.dataframe) in the open tab, as screen readers get them."""
    cells = visit.page.locator(PANEL).locator("[data-testid='stDataFrame'] td[role='gridcell']")
    cells.first.wait_for(state="attached", timeout=30_000)
    return cells.all_inner_texts()


def test_viewer_sees_state_but_no_editing(visit: Visit, staffed):
    url, _ = staffed
    page = visit.open(f"{url}/data?lang=en")
    assert "tables/output.csv" in page.locator("[data-testid='stTable']").first.inner_text()
    assert page.get_by_role("button", name="Sign in").count() == 1
    assert page.locator("input[type='file']").count() == 0
    assert page.get_by_text("Upload a replacement").count() == 0
    visit.screenshot("data-viewer-en")


def test_wrong_password_is_refused(visit: Visit, staffed):
    url, _ = staffed
    # Another name: failures slow later sign-ins of the same name.
    _sign_in(visit, url, name="张三", password="not the password")
    _wait_for_text(visit, "Wrong name or password")
    assert visit.page.locator("input[type='file']").count() == 0


def test_editor_upload_save_show_and_restore(visit: Visit, staffed):
    url, folder = staffed
    original = (folder / OUTPUT).read_bytes()
    _sign_in(visit, url)
    page = visit.page
    _wait_for_text(visit, "Signed in as 王芳")

    bad = original.decode("utf-8").replace(",1500,", ",1500万,").encode("gbk")
    _upload(visit, "output-bad.csv", bad)
    _wait_for_text(visit, "cannot be saved")
    assert page.get_by_text("expected a number").count() >= 1 and page.get_by_text("1500万").count() >= 1
    assert page.get_by_role("button", name="Save").count() == 0
    assert (folder / OUTPUT).read_bytes() == original

    good = original.decode("utf-8").replace(",1500,", ",1600,").encode("utf-8-sig")
    _upload(visit, "output-good.csv", good)
    _wait_for_text(visit, "1 changed")
    page.get_by_role("button", name="Save").click()
    _wait_for_text(visit, "Saved tables/output.csv")
    assert b",1600," in (folder / OUTPUT).read_bytes()
    visit.screenshot("data-editor-saved-en")

    # Through the sidebar: a new page load would be a new session, signed out.
    output = load_all(DEFAULT_DATA_DIR).frame("output")
    before = output[output.quarter == "2024Q1"].output_10k_yuan.sum()
    _go(visit, "Overview")
    assert f"{before + 100:,.0f}" in page.locator("[data-testid='stMetric']").first.inner_text()
    _go(visit, "Data")
    page.get_by_role("tab", name="History and restore").click()
    visit.choose("File", OUTPUT, within=PANEL)
    history = _cells(visit)
    assert "王芳" in history and "original" in history and "0 added, 0 removed, 1 changed" in history
    visit.choose("Version", "original", within=PANEL)
    # The button of the version chosen only shows once the rerun for the choice has drawn it.
    visit.press(page.get_by_role("button", name="Restore this version…"), shows="Yes, restore it")
    assert (folder / OUTPUT).read_bytes() != original  # asked, not yet done
    visit.press(page.get_by_role("button", name="Yes, restore it"), shows="Restored tables/output.csv")
    assert (folder / OUTPUT).read_bytes() == original
    page.get_by_role("tab", name="Audit log").click()
    visit.settle()
    log = _cells(visit)
    assert "restore" in log and "save" in log


def test_a_save_the_server_cannot_write_is_refused_clearly(visit: Visit, staffed):
    url, folder = staffed
    file = "tables/mediation.csv"
    original = (folder / file).read_bytes()
    # A file where the store keeps this table's versions: the server cannot write there.
    (folder / ".history" / "versions" / "tables").mkdir(parents=True, exist_ok=True)
    (folder / ".history" / "versions" / file).write_text("in the way", encoding="utf-8")
    _sign_in(visit, url)
    _wait_for_text(visit, "Signed in as 王芳")
    changed = original.decode("utf-8").replace("2022Q1,sanjiangkou,20,19", "2022Q1,sanjiangkou,21,19", 1)
    _upload(visit, "mediation.csv", changed.encode("utf-8"), file=file)
    visit.page.locator(PANEL).get_by_text("1 changed").first.wait_for(timeout=30_000)
    visit.settle()
    visit.page.get_by_role("button", name="Save").click()
    _wait_for_text(visit, f"Saving failed and {file} is unchanged")
    assert (folder / file).read_bytes() == original
    assert not list((folder / "tables").glob(".*.tmp"))
    visit.screenshot("data-save-failed-en")


def test_files_of_every_kind_reach_the_checks_in_the_clerks_language(visit: Visit, staffed, tmp_path: Path):
    """Any file is taken: one of a wrong kind is refused in Chinese, naming the kinds accepted;
    a LibreOffice .xls and a GeoPackage from GDAL (in CGCS2000) are checked, previewed and saved."""
    url, folder = staffed
    page = visit.open(f"{url}/data?lang=zh")
    page.get_by_role("textbox", name="用户名").fill("王芳")
    page.get_by_role("textbox", name="密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    _wait_for_text(visit, "已登录：王芳")

    _upload(visit, "产值.pdf", b"%PDF-1.7\n" + bytes(range(256)), label="选择文件")
    _wait_for_text(visit, "文件类型不符（这是 PDF 文件），应为 CSV、Excel（.xlsx / .xls）或 .ods 表格")
    visit.screenshot("data-upload-wrong-type-zh")

    sheet = tmp_path / "产值.csv"
    sheet.write_text((folder / OUTPUT).read_text(encoding="utf-8").replace(",1500,", ",1700,", 1), encoding="utf-8")
    _upload(visit, "产值.xls", convert(sheet, "xls", CSV_UTF8).read_bytes(), label="选择文件")
    _wait_for_text(visit, "新增 0 行，删除 0 行，修改 1 行")
    page.get_by_role("button", name="保存").click()
    _wait_for_text(visit, f"已保存 {OUTPUT}")
    assert b",1700," in (folder / OUTPUT).read_bytes()

    sites = load_all(folder).frame("sites").copy()
    sites.loc[0, "name_zh"] = "万峰湖码头（新）"
    layer = tmp_path / "万峰湖.gpkg"
    sites.to_crs("EPSG:4523").to_file(layer, layer="sites", driver="GPKG", engine="pyogrio")
    _upload(visit, layer.name, layer.read_bytes(), file="geo/sites.geojson", label="选择文件")
    _wait_for_text(visit, "新增 0 个要素，删除 0 个要素，修改 1 个要素")
    visit.screenshot("data-upload-geopackage-zh")
    page.get_by_role("button", name="保存").click()
    _wait_for_text(visit, "已保存 geo/sites.geojson")
    assert "万峰湖码头（新）" in (folder / "geo/sites.geojson").read_text(encoding="utf-8")


def test_official_boundaries_in_gauss_kruger_are_converted_and_their_fields_matched(
    visit: Visit, staffed, tmp_path: Path
):
    """A county bureau's township boundaries: a zipped shapefile in CGCS2000 / 3-degree
    Gauss-Kruger CM 105E, attribute table in GBK, names under XZQMC."""
    import geopandas as gpd

    url, folder = staffed
    frame = gpd.read_file(folder / "geo/townships.geojson").rename(columns={"name_zh": "XZQMC"})
    frame.loc[frame.id == "mabeng", "XZQMC"] = "马蚌镇（正式界线）"
    shp = tmp_path / "shp"
    shp.mkdir()
    frame.to_crs("EPSG:4544").to_file(shp / "乡镇界.shp", encoding="GBK", engine="pyogrio")
    archive = tmp_path / "乡镇界.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for part in shp.iterdir():
            bundle.write(part, part.name)

    page = visit.open(f"{url}/data?lang=zh")
    page.get_by_role("textbox", name="用户名").fill("王芳")
    page.get_by_role("textbox", name="密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    _wait_for_text(visit, "已登录：王芳")
    _upload(visit, archive.name, archive.read_bytes(), file="geo/townships.geojson", label="选择文件")
    _wait_for_text(visit, "已从 CGCS2000 / 3度带高斯-克吕格 CM 105E（EPSG:4544）转换为 WGS84 经纬度")
    # XZQMC is offered as the Chinese name: the clerk only checks it.
    _wait_for_text(visit, "文件中的字段名与数据约定不同")
    name_box = page.locator(PANEL).locator("[data-testid='stSelectbox']").filter(has_text="name_zh")
    expect(name_box.locator("input")).to_have_value(re.compile("XZQMC"))
    _wait_for_text(visit, "新增 0 个要素，删除 0 个要素，修改 1 个要素")
    visit.screenshot("data-upload-official-boundaries-zh")
    page.get_by_role("button", name="保存").click()
    _wait_for_text(visit, "已保存 geo/townships.geojson")
    saved = gpd.read_file(folder / "geo/townships.geojson")
    assert "马蚌镇（正式界线）" in set(saved.name_zh) and saved.crs.equals("EPSG:4326")
    assert DataStore(folder).renames("geo/townships.geojson") == {"XZQMC": "name_zh"}
