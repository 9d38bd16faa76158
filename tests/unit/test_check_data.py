"""The command-line check of a data folder, as staff and CI run it."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from lib.contract.catalog import DATASETS
from lib.contract.settings import ROOT
from tests.conftest import run_command

SCRIPT = ROOT / "scripts" / "data" / "check_data.py"


_run = partial(run_command, SCRIPT)


def _break_output(folder: Path) -> int:
    """Spoil one value of output.csv; the line number Excel shows for it."""
    path = folder / "tables/output.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if ",1500," in line)
    lines[index] = lines[index].replace(",1500,", ",1500万,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1


def test_bundled_data_passes(tmp_path):
    result = _run(cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines == [f"{d.path}：正常" for d in DATASETS.values()]


def test_broken_copy_fails_naming_file_line_and_field(tmp_path, data_copy):
    line = _break_output(data_copy)
    result = _run(str(data_copy), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1
    problem = result.stdout.splitlines()[0]
    assert problem.startswith(
        f"tables/output.csv · row {line} · column “Output (10k yuan)” (output_10k_yuan): expected a number"
    )
    assert problem.endswith("Delete “万” and enter the number only")
    assert "1500万" in problem
    assert "tables/output.csv: 1 problems" in result.stdout and "tables/employment.csv: OK" in result.stdout


def test_chinese_by_default_and_folder_from_the_environment(tmp_path, data_copy):
    line = _break_output(data_copy)
    result = _run(cwd=tmp_path, data_dir=data_copy)
    assert result.returncode == 1
    assert f"tables/output.csv · 第 {line} 行 · 列“季度产值（万元）”（output_10k_yuan）：应为数字" in result.stdout
    assert "tables/output.csv：1 个问题" in result.stdout


def test_unreadable_layer_fails(tmp_path, data_copy):
    (data_copy / "geo/sites.geojson").write_text('{"type": "FeatureCollection"', encoding="utf-8")
    result = _run(str(data_copy), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1 and "geo/sites.geojson: not valid JSON" in result.stdout


def test_warnings_alone_pass(tmp_path, data_copy):
    path = data_copy / "tables/tourism_figures.csv"
    path.write_text(path.read_text(encoding="utf-8") + "2024Q1,route-99,10,illustrative\n", encoding="utf-8")
    result = _run(str(data_copy), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "route id not found in tourism_routes.geojson" in result.stdout


def test_missing_folder_fails(tmp_path):
    result = _run(str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 1 and "文件不存在" in result.stdout


def test_a_broken_layer_names_its_feature(tmp_path, data_copy):
    path = data_copy / "geo/industry_bases.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][2]["properties"]["jobs"] = "许多"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = _run(str(data_copy), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1
    assert "geo/industry_bases.geojson · feature 3 · id=" in result.stdout and "(jobs)" in result.stdout


def test_coordinates_that_are_not_numbers_fail_the_check(tmp_path, data_copy):
    path = data_copy / "geo/industry_bases.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][0]["geometry"] = {"type": "Point", "coordinates": [True, False]}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = _run(str(data_copy), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "geo/industry_bases.geojson · feature 1 · id=base-1 · field geometry.coordinates: expected a number, "
        "found true/false" in result.stdout
    )


def _official_townships(folder: Path, **renamed: str) -> Path:
    """The bundled townships as a bureau's GeoPackage, in CGCS2000 Gauss-Kruger CM 105E."""
    import geopandas as gpd

    frame = gpd.read_file(ROOT / "data" / DATASETS["townships"].path).rename(columns=renamed)
    path = folder / "乡镇界.gpkg"
    frame.to_crs("EPSG:4544").to_file(path, layer="townships", driver="GPKG", engine="pyogrio")
    return path


def test_one_file_is_checked_as_an_upload_with_its_conversion(tmp_path):
    path = _official_townships(tmp_path)
    result = _run("--file", str(path), "--dataset", "townships", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已从 CGCS2000 / 3度带高斯-克吕格 CM 105E（EPSG:4544）转换为 WGS84 经纬度" in result.stdout
    assert "乡镇界.gpkg：正常" in result.stdout


def test_one_file_that_could_not_be_saved_exits_1_naming_what_is_wrong(tmp_path):
    path = _official_townships(tmp_path, name_zh="XZQMC")
    result = _run("--file", str(path), "--dataset", "townships", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "乡镇界.gpkg · feature 1 · id=sanjiangkou" in result.stdout and "(name_zh)" in result.stdout
    assert "outside the data contract: XZQMC" in result.stdout


def test_one_file_uses_the_attribute_names_remembered_for_the_dataset(tmp_path, data_copy):
    from lib.files.store import DataStore

    DataStore(data_copy).remember_renames(DATASETS["townships"].path, {"XZQMC": "name_zh"})
    path = _official_townships(tmp_path, name_zh="XZQMC")
    result = _run(str(data_copy), "--file", str(path), "--dataset", "townships", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def test_one_file_needs_its_dataset_and_must_exist(tmp_path):
    assert _run("--file", "x.geojson", cwd=tmp_path).returncode == 2
    missing = _run("--file", str(tmp_path / "none.geojson"), "--dataset", "lake", cwd=tmp_path)
    assert missing.returncode == 1 and "none.geojson" in missing.stdout and "Traceback" not in missing.stderr
