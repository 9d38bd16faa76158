"""The county-sized data set for load tests: in the contract, and grids that tile the county."""

from __future__ import annotations

import subprocess
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import shapely

from lib.contract.catalog import VOCABULARIES
from lib.contract.settings import DEFAULT_DATA_DIR, ROOT
from lib.files.loading import Data, load_all
from lib.files.problems import Severity
from tests.conftest import run_command

SCRIPT = ROOT / "scripts" / "data" / "make_large_data.py"
GRIDS, SITES = 400, 2_000


_run = partial(run_command, SCRIPT)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A small set: the folder and the run that wrote it."""
    cwd = tmp_path_factory.mktemp("large")
    result = _run("out", "--grids", str(GRIDS), "--sites", str(SITES), cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return cwd / "out", result


@pytest.fixture(scope="module")
def large(made) -> Data:
    return load_all(made[0])


@pytest.fixture(scope="module")
def grids(large) -> np.ndarray:
    return large.frame("patrol_grids").geometry.values


def test_reads_without_errors_and_says_what_it_wrote(made, large):
    out, result = made
    assert not [p.message("en") for p in large.problems if p.severity == Severity.ERROR]
    assert "synthetic" in (out / "README.txt").read_text(encoding="utf-8").lower()
    assert "patrol_grids.geojson" in result.stdout and "sites.geojson" in result.stdout
    assert " s" in result.stdout.splitlines()[-1]  # the time taken


def test_as_many_grids_and_sites_as_asked_with_unique_ids(large):
    grids, sites = large.frame("patrol_grids"), large.frame("sites")
    assert len(grids) == GRIDS and len(sites) == SITES
    assert grids["id"].is_unique and sites["id"].is_unique


def test_grids_and_sites_have_valid_codes_and_are_marked_as_samples(large, bundled):
    grids, sites = large.frame("patrol_grids"), large.frame("sites")
    assert set(grids["township_id"]) == set(VOCABULARIES["township"])  # every grid has one, each township has grids
    assert set(grids["grid_type"]) == set(VOCABULARIES["grid_type"])
    assert grids["name_en"].str.startswith("Sample grid").all()
    samples = sites[~sites["id"].isin(bundled.frame("sites")["id"])]
    assert len(samples) > 0.95 * SITES
    assert (samples["source"] == "illustrative").all()
    assert samples["name_en"].str.startswith("Sample").all() and samples["name_zh"].str.startswith("示例").all()
    assert samples["township_id"].dropna().isin(VOCABULARIES["township"]).all()


def test_grids_are_valid_polygons_of_20_to_60_vertices(grids):
    assert (shapely.get_type_id(grids) == shapely.GeometryType.POLYGON).all()
    assert shapely.is_valid(grids).all()
    vertices = shapely.get_num_coordinates(shapely.get_exterior_ring(grids)) - 1
    assert vertices.min() >= 20 and vertices.max() <= 60


def test_grids_tile_the_townships_and_the_county_beyond(large, grids):
    union = shapely.union_all(grids)
    assert shapely.area(grids).sum() == pytest.approx(union.area, rel=1e-3)  # no overlaps
    townships = shapely.union_all(large.frame("townships").geometry.values)
    assert townships.difference(union).area < 1e-6 * townships.area  # no gaps over the townships
    assert union.area > 3 * townships.area  # and the county around them
    assert isinstance(union, shapely.Polygon) and not union.interiors  # in one piece, without holes


def test_the_same_seed_writes_the_same_files(tmp_path):
    for name in ("a", "b"):
        run = _run(str(tmp_path / name), "--grids", "100", "--sites", "100", "--seed", "3", cwd=tmp_path)
        assert run.returncode == 0, run.stderr
    for layer in ("geo/patrol_grids.geojson", "geo/sites.geojson"):
        assert (tmp_path / "a" / layer).read_bytes() == (tmp_path / "b" / layer).read_bytes()


def test_refuses_to_write_into_the_bundled_data(tmp_path):
    before = (DEFAULT_DATA_DIR / "geo/patrol_grids.geojson").read_bytes()
    run = _run(str(DEFAULT_DATA_DIR / "geo"), "--grids", "100", "--sites", "100", cwd=tmp_path)
    assert run.returncode == 2 and "bundled" in run.stderr
    assert (DEFAULT_DATA_DIR / "geo/patrol_grids.geojson").read_bytes() == before
