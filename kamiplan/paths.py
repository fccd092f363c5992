"""Where the data lives: ``KAMIPLAN_DATA_DIR`` or the project's ``data/``.

The project folder holds ``app.py``, ``serve.py``, ``pages/``, ``data/`` and ``.streamlit/``: in a checkout
it is the folder above ``kamiplan/``; ``pip install .`` (non-editable) installs those files as
``kamiplan/_project/`` (``pyproject.toml``), since site-packages has no folder above the package of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

_INSTALLED_PROJECT_DIR = Path(__file__).resolve().parent / "_project"
PROJECT_DIR = (
    _INSTALLED_PROJECT_DIR if (_INSTALLED_PROJECT_DIR / "app.py").is_file() else Path(__file__).resolve().parent.parent
)
DEFAULT_DATA_DIR = PROJECT_DIR / "data"
ENV_DATA_DIR = "KAMIPLAN_DATA_DIR"
SOURCE_DIR_NAME = "source"
PLAN_FILE = "plan.txt"
CURATION_FILE = "indicators.csv"
ERRATA_FILE = "errata.csv"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: an explicit path, else ``$KAMIPLAN_DATA_DIR``, else ``data/`` of the project."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_DATA_DIR, "").strip()
    return Path(env) if env else DEFAULT_DATA_DIR


def source_dir(data: Path) -> Path:
    """The folder holding the plan document, the curated file and the errata."""
    return data / SOURCE_DIR_NAME
