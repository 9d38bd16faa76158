"""Fixtures shared by the unit, AppTest and browser tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lib.loading import DEFAULT_DATA_DIR, Data, load_all

ROOT = Path(__file__).resolve().parent.parent


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
