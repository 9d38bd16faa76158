"""A layer's features asked for by area in the database: the same answer from PostGIS's
spatial index and from plain PostgreSQL, always of the current version."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

import lib.files.database
from lib.contract.settings import ROOT
from lib.files.database import DatabaseStore
from tests.conftest import run_command

GRIDS = "geo/patrol_grids.geojson"
SITES = "geo/sites.geojson"
COMMAND = ROOT / "scripts" / "data" / "database.py"


@pytest.fixture(params=["postgis", "plain"])
def store(request, tmp_path: Path) -> DatabaseStore:
    """The bundled data imported into a database with PostGIS, or without."""
    url = request.getfixturevalue("postgis_url" if request.param == "postgis" else "database_url")
    store = DatabaseStore(url, tmp_path / "host")
    store.import_files(ROOT / "data")
    return store


def _ids(features: list[dict]) -> list[str]:
    return [feature["properties"]["id"] for feature in features]


def _file_features(path: str) -> list[dict]:
    return json.loads((ROOT / "data" / path).read_text(encoding="utf-8"))["features"]


def test_a_box_over_the_whole_area_gives_every_feature_as_the_file_holds_it(store):
    assert store.features_in(GRIDS, (100.0, 20.0, 110.0, 30.0)) == _file_features(GRIDS)


def _grid(id_: str, ring: list[list[float]]) -> dict:
    return {"type": "Feature", "properties": {"id": id_}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_a_box_gives_the_features_whose_shape_meets_it_not_those_whose_box_does(store):
    # An L over 104.0–104.2 east, 24.8–25.0 north, open at its north-east; a square in the opening.
    ell = [[104.0, 24.8], [104.2, 24.8], [104.2, 24.9], [104.1, 24.9], [104.1, 25.0], [104.0, 25.0], [104.0, 24.8]]
    square = [[104.15, 24.95], [104.16, 24.95], [104.16, 24.96], [104.15, 24.96], [104.15, 24.95]]
    layer = {"type": "FeatureCollection", "features": [_grid("ell", ell), _grid("square", square)]}
    store.save(GRIDS, json.dumps(layer).encode(), user="王芳", summary="two grids", expected=store.token(GRIDS))
    assert _ids(store.features_in(GRIDS, (104.14, 24.94, 104.17, 24.97))) == ["square"]
    assert _ids(store.features_in(GRIDS, (104.18, 24.94, 104.19, 24.95))) == []  # in the L's box only
    assert _ids(store.features_in(GRIDS, (104.05, 24.85, 104.06, 24.86))) == ["ell"]
    assert _ids(store.features_in(GRIDS, (103.0, 24.0, 105.0, 26.0))) == ["ell", "square"]


def test_a_box_far_away_gives_none(store):
    assert store.features_in(SITES, (0.0, 0.0, 1.0, 1.0)) == []


def test_a_save_changes_what_is_found_at_once(store):
    features = _file_features(SITES)
    lon, lat = features[0]["geometry"]["coordinates"]
    near = (lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001)
    assert features[0]["properties"]["id"] in _ids(store.features_in(SITES, near))
    moved = json.loads((ROOT / "data" / SITES).read_text(encoding="utf-8"))
    moved["features"][0]["geometry"]["coordinates"] = [lon + 0.5, lat]
    store.save(SITES, json.dumps(moved).encode(), user="王芳", summary="moved", expected=store.token(SITES))
    assert features[0]["properties"]["id"] not in _ids(store.features_in(SITES, near))
    store.restore(SITES, store.history(SITES)[-1].id, user="王芳", expected=store.token(SITES))
    assert features[0]["properties"]["id"] in _ids(store.features_in(SITES, near))


def test_a_file_copied_in_by_hand_that_is_not_geojson_gives_no_feature_and_no_error(store):
    store.sync()  # this host's folder has the files
    (store.folder / SITES).write_bytes(b'{"type": "FeatureCollection", "features": [')  # half copied
    store.sync()
    assert store.features_in(SITES, (100.0, 20.0, 110.0, 30.0)) == []


def test_only_layers_are_asked_for_by_area(store):
    with pytest.raises(KeyError):
        store.features_in("tables/output.csv", (100.0, 20.0, 110.0, 30.0))


def test_features_kept_before_postgis_was_added_are_given_their_geometry(database_url, tmp_path, monkeypatch):
    store = DatabaseStore(database_url, tmp_path / "host")
    store.import_files(ROOT / "data")
    everything = store.features_in(GRIDS, (100.0, 20.0, 110.0, 30.0))
    with psycopg.connect(database_url, autocommit=True) as connection:
        try:
            connection.execute("CREATE EXTENSION postgis")
        except psycopg.errors.FeatureNotSupported:
            pytest.skip("PostGIS is not installed (apt-get install postgresql-postgis)")
    monkeypatch.setattr(lib.files.database, "_SPATIAL", {})  # as a server started after it was added
    assert store.features_in(GRIDS, (100.0, 20.0, 110.0, 30.0)) == everything
    with psycopg.connect(database_url) as connection:
        counts = connection.execute("SELECT count(*), count(geom) FROM wanfeng_features WHERE file = %s", [GRIDS])
        assert counts.fetchone() == (len(everything), len(everything))


def test_the_command_gives_the_features_of_an_area_as_geojson(postgis_url, tmp_path, monkeypatch):
    monkeypatch.setenv("WANFENG_DATABASE_URL", postgis_url)
    host = tmp_path / "host"
    assert run_command(COMMAND, "import", str(ROOT / "data"), cwd=tmp_path, data_dir=host).returncode == 0
    found = run_command(COMMAND, "features", GRIDS, "--area", "100,20,110,30", cwd=tmp_path, data_dir=host)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout) == {"type": "FeatureCollection", "features": _file_features(GRIDS)}
    table = run_command(
        COMMAND, "features", "tables/output.csv", "--area", "100,20,110,30", cwd=tmp_path, data_dir=host
    )
    assert table.returncode == 1 and "tables/output.csv is not a layer" in table.stderr
    backwards = run_command(COMMAND, "features", GRIDS, "--area", "110,20,100,30", cwd=tmp_path, data_dir=host)
    assert backwards.returncode == 2 and "west must be less than its east" in backwards.stderr
