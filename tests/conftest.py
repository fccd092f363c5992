"""Shared fixtures. Only a few tests read the committed data/; most build into tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from kamiplan.build import SourceFiles, build_tables
from kamiplan.paths import DEFAULT_DATA_DIR, source_dir

PROJECT = Path(__file__).resolve().parent.parent
DATA = DEFAULT_DATA_DIR
SOURCE = source_dir(DATA)


@pytest.fixture(scope="session")
def tables() -> dict[str, pa.Table]:
    """The plan tables built from the committed sources (in memory)."""
    return build_tables(SourceFiles.in_dir(SOURCE))


@pytest.fixture(scope="session")
def indicators(tables):
    return tables["indicators"].to_pandas().set_index("indicator_id", drop=False)


@pytest.fixture(scope="session")
def actions(tables):
    return tables["actions"].to_pandas()


@pytest.fixture
def plan_copy(tmp_path) -> Path:
    """A data folder with the committed plan tables and no actuals (tests write actuals there)."""
    from tests.synthetic import plan_folder

    return plan_folder(tmp_path / "data", DATA)


@pytest.fixture
def source_copy(tmp_path) -> Path:
    """A writable copy of data/source to edit in a test."""
    dst = tmp_path / "source"
    shutil.copytree(SOURCE, dst)
    return dst
