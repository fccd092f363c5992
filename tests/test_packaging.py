"""``pip install .`` carries what ``kamiplan serve`` needs (checked on the configuration; a real install into a fresh
venv is in the README's packaging note and takes a minute with the network, too slow for every run)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kamiplan.paths import PROJECT_DIR
from kamiplan.plan.schema import TABLES
from tests.conftest import PROJECT

CONFIG = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = CONFIG["tool"]["setuptools"]


def test_a_checkout_is_its_own_project_folder():
    assert PROJECT_DIR == PROJECT
    assert (PROJECT_DIR / "serve.py").is_file() and (PROJECT_DIR / "app.py").is_file()


def test_every_package_is_listed():
    found = {".".join(init.parent.relative_to(PROJECT).parts) for init in (PROJECT / "kamiplan").rglob("__init__.py")}
    assert set(SETUPTOOLS["packages"]) == found | {"kamiplan._project"}
    assert SETUPTOOLS["package-dir"] == {"kamiplan._project": "."}


def shipped() -> set[Path]:
    patterns = CONFIG["tool"]["setuptools"]["package-data"]["kamiplan._project"]
    return {path.relative_to(PROJECT) for pattern in patterns for path in PROJECT.glob(pattern) if path.is_file()}


def test_the_dashboard_files_and_plan_tables_are_shipped_and_the_records_are_not():
    files = shipped()
    assert {Path("pages", p.name) for p in (PROJECT / "pages").glob("*.py")} <= files
    assert {
        Path(".streamlit/config.toml"),
        *(Path("data/source", p.name) for p in (PROJECT / "data/source").iterdir()),
    } <= files
    assert {p for p in files if p.suffix == ".parquet"} == {Path("data", f"{name}.parquet") for name in TABLES}
    assert Path(".streamlit/secrets.toml") not in files


def test_the_command_and_the_pins():
    assert CONFIG["project"]["scripts"] == {"kamiplan": "kamiplan.cli:main"}
    assert CONFIG["project"]["dynamic"] == ["dependencies"]
    assert CONFIG["tool"]["setuptools"]["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    pins = [line for line in (PROJECT / "requirements.txt").read_text(encoding="utf-8").splitlines() if "==" in line]
    assert pins and not [line for line in pins if line.startswith("-")]  # setuptools reads no pip options
