"""The county-sized data set for speed tests: in the contract, grids that tile the area."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import shapely

from lib.loading import load_all
from lib.problems import Severity
from tests.conftest import ROOT

GRIDS, SITES = 400, 2_000


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    out = tmp_path_factory.mktemp("large") / "data"
    script = ROOT / "scripts" / "make_large_data.py"
    run = [sys.executable, str(script), str(out), "--grids", str(GRIDS), "--sites", str(SITES)]
    subprocess.run(run, check=True, capture_output=True, cwd=tmp_path_factory.getbasetemp())
    return load_all(out)


def test_the_set_reads_without_errors(large):
    assert not [p for p in large.problems if p.severity == Severity.ERROR]
    assert abs(len(large.frame("patrol_grids")) - GRIDS) <= GRIDS * 0.05
    assert len(large.frame("sites")) >= SITES
    assert large.frame("patrol_grids")["id"].is_unique and large.frame("sites")["id"].is_unique


def test_grids_are_valid_polygons_of_20_to_60_vertices(large):
    shapes = large.frame("patrol_grids").geometry.values
    assert set(shapely.get_type_id(shapes)) == {3} and shapely.is_valid(shapes).all()
    vertices = shapely.get_num_coordinates(shapes) - 1
    assert vertices.min() >= 20 and vertices.max() <= 60


def test_grids_tile_the_townships_and_beyond(large):
    shapes = large.frame("patrol_grids").geometry.values
    union = shapely.union_all(shapes)
    assert np.isclose(shapely.area(shapes).sum(), union.area, rtol=1e-3)  # no overlaps
    townships = shapely.union_all(large.frame("townships").geometry.values)
    assert townships.difference(union).area < townships.area * 1e-6  # no gaps
    assert union.area > townships.area * 2  # the county beyond
