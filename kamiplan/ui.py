"""The one Streamlit module of the core: cached resources, navigation and shared widgets.

Everything else in ``kamiplan/`` is importable without Streamlit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from kamiplan import labels, queries
from kamiplan.actuals_store import ActualsStore
from kamiplan.auth import configured_password, password_ok, readonly_deployment
from kamiplan.db import PlanDB
from kamiplan.errors import InputError, Problem
from kamiplan.paths import PROJECT_DIR, data_dir
from kamiplan.text import escape_markdown

PAGES_DIR = PROJECT_DIR / "pages"


# -- data -------------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _plan_db(folder: str) -> PlanDB:
    return PlanDB(Path(folder))


@st.cache_resource(show_spinner=False)
def _store(folder: str) -> ActualsStore:
    return ActualsStore(Path(folder))


def folder() -> str:
    return str(data_dir())


def cursor():
    """A DuckDB cursor for this script run (the connection itself is shared and cached)."""
    return _plan_db(folder()).cursor()


def store() -> ActualsStore:
    return _store(folder())


@st.cache_data(show_spinner=False)
def plan_info(folder: str) -> dict:
    return queries.plan_info(_plan_db(folder).cursor())


@st.cache_data(show_spinner=False)
def indicators(folder: str) -> pd.DataFrame:
    return queries.indicators(_plan_db(folder).cursor())


@st.cache_data(show_spinner=False)
def pillars(folder: str) -> pd.DataFrame:
    return queries.pillars(_plan_db(folder).cursor())


@st.cache_data(show_spinner=False)
def policies(folder: str) -> pd.DataFrame:
    return queries.policies(_plan_db(folder).cursor())


# -- page frame --------------------------------------------------------------------------------------
def configure() -> None:
    st.set_page_config(page_title=labels.APP_TITLE, layout="wide", initial_sidebar_state="auto")


def navigation() -> st.navigation:
    """All pages, with Japanese titles; the edit page is left out of a read-only deployment."""
    pages = {
        "": [st.Page(str(PAGES_DIR / "overview.py"), title="概要", url_path="overview", default=True)],
        "管理": [],
    }
    if not readonly_deployment():
        pages["管理"].append(st.Page(str(PAGES_DIR / "edit.py"), title="実績の入力", url_path="edit"))
    return st.navigation({k: v for k, v in pages.items() if v})


# -- messages ----------------------------------------------------------------------------------------
def show_problems(error: InputError, heading: str = "受け付けませんでした。何も保存していません。") -> None:
    """Every problem of a refusal, as plain text (values users typed are never interpreted)."""
    lines = [escape_markdown(heading)] + [f"- {escape_markdown(str(p))}" for p in error.problems[:200]]
    if len(error.problems) > 200:
        lines.append(f"- ほか {len(error.problems) - 200} 件")
    st.error("\n".join(lines))


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"行": p.line, "列": p.column, "値": p.value, "内容": p.message} for p in problems],
        columns=["行", "列", "値", "内容"],
    )


# -- access ------------------------------------------------------------------------------------------
def edit_unlocked() -> bool:
    """Ask for the edit password; True once this browser session has given it."""
    configured = configured_password(st.secrets)
    if configured is None:
        st.info(
            "このダッシュボードは閲覧専用です。実績を入力するには、管理者が "
            "`.streamlit/secrets.toml` に編集用パスワードを設定してください(README 参照)。"
        )
        return False
    if st.session_state.get("edit_unlocked"):
        return True
    with st.form("edit_login"):
        given = st.text_input("編集用パスワード", type="password")
        submitted = st.form_submit_button("編集を始める")
    if submitted:
        if password_ok(given, configured):
            st.session_state["edit_unlocked"] = True
            st.rerun()
        st.error("パスワードが違います。")
    return False
