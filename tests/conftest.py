"""Fixtures shared by the unit, AppTest and browser tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, settings

from lib.contract.settings import DEFAULT_DATA_DIR
from lib.files.loading import Data, load_all
from lib.serving.postgres import Cluster, binaries, throwaway_cluster

# Property-based tests run the same examples on every machine and every run (derandomize: the
# seed comes from the test itself, and no example database carries one run into the next),
# bounded so that CI stays quick. HYPOTHESIS_PROFILE=explore searches more widely, at random.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", max_examples=2_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def bundled() -> Data:
    """The bundled data, read once."""
    return load_all(DEFAULT_DATA_DIR)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the bundled data folder that a test may spoil."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A PostgreSQL cluster of the tests' own (Debian's server in a temporary folder)."""
    if binaries() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not installed: `make test` installs it (Makefile SYSTEM_PACKAGES)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    with throwaway_cluster() as cluster:
        yield cluster


@contextmanager
def _new_database(postgres: Cluster) -> Iterator[str]:
    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres.url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield postgres.url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(postgres.url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def database_url(postgres: Cluster) -> Iterator[str]:
    """The address of a new, empty database in the tests' cluster, dropped afterwards."""
    with _new_database(postgres) as url:
        yield url


@pytest.fixture
def postgis_url(postgres: Cluster) -> Iterator[str]:
    """As ``database_url``, the database with PostGIS (Debian's postgresql-postgis)."""
    with _new_database(postgres) as url:
        with psycopg.connect(url, autocommit=True) as connection:
            try:
                connection.execute("CREATE EXTENSION postgis")
            except psycopg.errors.FeatureNotSupported:  # not installed
                if os.environ.get("CI") == "true":
                    pytest.fail("PostGIS is not installed: `make test` installs it (Makefile SYSTEM_PACKAGES)")
                pytest.skip("PostGIS is not installed (apt-get install postgresql-postgis)")
        yield url


def run_command(script: Path, *args: str, cwd: Path, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A command of scripts/ run from ``cwd``, as a user runs it, on ``data_dir`` or else its
    default folder (never one this process was given): it must find the repository by itself."""
    env = {k: v for k, v in os.environ.items() if k != "WANFENG_DATA_DIR"}
    if data_dir is not None:
        env["WANFENG_DATA_DIR"] = str(data_dir)
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, str(script), *args], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8"
    )
