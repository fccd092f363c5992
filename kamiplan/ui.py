"""The one Streamlit module of the core: cached resources, navigation and shared widgets.

Everything else in ``kamiplan/`` is importable without Streamlit.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import streamlit as st

from kamiplan import charts, dashboard, labels, queries
from kamiplan.actuals_store import ActualsStore, Cell
from kamiplan.auth import configured_password, password_ok, readonly_deployment
from kamiplan.db import PlanDB
from kamiplan.errors import InputError, Problem
from kamiplan.export import export_filename, to_csv_bytes
from kamiplan.paths import PROJECT_DIR, data_dir
from kamiplan.periods import year_label
from kamiplan.site import page_specs
from kamiplan.text import escape_markdown
from kamiplan.trajectory import Trajectory
from kamiplan.trajectory import build as build_trajectory


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


@st.cache_data(show_spinner=False)
def measures(folder: str) -> pd.DataFrame:
    return queries.measures(_plan_db(folder).cursor())


@st.cache_data(show_spinner=False, max_entries=8)
def _current(folder: str, revision: int) -> pd.DataFrame:
    return _store(folder).current()


def current_actuals() -> pd.DataFrame:
    """Recorded actuals, cached until the next save (keyed by the store's revision)."""
    return _current(folder(), store().revision())


@st.cache_resource(show_spinner=False, max_entries=8)
def _series_cells(folder: str, revision: int) -> dict[str, dict[int, Cell]]:
    return dashboard.series_cells(_current(folder, revision))


def series_cells() -> dict[str, dict[int, Cell]]:
    """Recorded actuals by series, shared by all sessions until the next save: read, never modify."""
    return _series_cells(folder(), store().revision())


# -- evaluations and charts, cached until the next save (the store's revision is in every key) --------
# Least recently used entries go first: 3,000 covers every chart of a 1,000-indicator plan in three
# evaluation years and bounds the server's memory however many years people browse.
CHART_CACHE_ENTRIES = 3000


@st.cache_data(show_spinner=False, max_entries=32)
def _evaluation(folder: str, revision: int, year: int) -> pd.DataFrame:
    start = int(plan_info(folder)["start_year"])
    return dashboard.evaluate(indicators(folder), _current(folder, revision), year, start)


def evaluation(year: int) -> pd.DataFrame:
    """Every indicator row evaluated for ``year`` (:func:`kamiplan.dashboard.evaluate`); pages filter it."""
    return _evaluation(folder(), store().revision(), year)


@st.cache_resource(show_spinner=False, max_entries=CHART_CACHE_ENTRIES)
def _trajectory(folder: str, revision: int, year: int, indicator_id: str) -> Trajectory:
    row = _indicator_rows(folder)[indicator_id]
    start = int(plan_info(folder)["start_year"])
    return build_trajectory(row, _series_cells(folder, revision).get(row["series_id"], {}), year, start)


@st.cache_resource(show_spinner=False)
def _indicator_rows(folder: str) -> dict[str, dict]:
    return {r["indicator_id"]: r for r in indicators(folder).to_dict("records")}


def trajectories(rows: pd.DataFrame, year: int) -> list[Trajectory]:
    """The trajectory of each indicator row of ``rows``, in order (shared by all sessions: read only)."""
    folder_, revision = folder(), store().revision()
    return [_trajectory(folder_, revision, year, i) for i in rows["indicator_id"]]


def _trajectory_key(traj: Trajectory) -> bytes:
    # Everything the chart is drawn from (indicator, points, grade, years): same bytes, same chart.
    return pickle.dumps((traj.indicator, traj.points, traj.evaluation, traj.year, traj.first_year))


@st.cache_data(show_spinner=False, max_entries=CHART_CACHE_ENTRIES, hash_funcs={Trajectory: _trajectory_key})
def _chart_spec(traj: Trajectory, height: int) -> dict:
    # Building and validating the 9-layer Altair chart costs far more than drawing it: do it once.
    return charts.trajectory_chart(traj, height=height).to_dict()


@st.cache_resource(show_spinner=False)
def _other_places(folder: str) -> dict[str, list[dict]]:
    return dashboard.shared_series(indicators(folder))


def evaluation_year() -> int:
    """The evaluation year chosen in the sidebar (shared by every page)."""
    info = plan_info(folder())
    default = dashboard.default_year(current_actuals(), int(info["start_year"]), int(info["end_year"]))
    return int(st.session_state.get("eval_year", default))


# -- page frame --------------------------------------------------------------------------------------
def configure() -> None:
    st.set_page_config(page_title=labels.APP_TITLE, layout="wide", initial_sidebar_state="auto")


_PAGES: dict = {}  # url_path → st.Page of the current navigation (identical in every session)
CURRENT_PAGE_KEY = "kamiplan_url_path"


def navigation():
    """All pages of :func:`kamiplan.site.page_specs`, grouped in sections, with Japanese titles."""
    sections: dict[str, list] = {}
    for spec in page_specs(pillars(folder()), readonly=readonly_deployment()):
        page = st.Page(
            str(PROJECT_DIR / spec.script),
            title=spec.title,
            url_path=spec.url_path or "overview",
            default=spec.url_path == "",
        )
        sections.setdefault(spec.section, []).append(page)
    _PAGES.clear()
    _PAGES.update({p.url_path or "overview": p for group in sections.values() for p in group})
    page = st.navigation(sections)
    st.session_state[CURRENT_PAGE_KEY] = page.url_path
    return page


def current_pillar() -> int:
    """The 大綱 of the pillar page being shown (from its URL path ``pillarN``)."""
    url_path = str(st.session_state.get(CURRENT_PAGE_KEY, "pillar1"))
    digits = "".join(ch for ch in url_path if ch.isdigit())
    return int(digits) if digits else 1


def sidebar() -> None:
    """Shared sidebar: the evaluation year (set before the page runs)."""
    info = plan_info(folder())
    years = dashboard.evaluation_years(int(info["start_year"]), int(info["end_year"]))
    default = evaluation_year()
    st.sidebar.selectbox(
        "評価年度",
        years,
        index=years.index(default) if default in years else 0,
        format_func=lambda y: f"{year_label(y)}年度",
        key="eval_year",
        help="グラフと評価(達成・順調・やや遅れ・遅れ)の基準にする年度",
    )
    st.sidebar.caption(f"{info['title']}\n{info['strategy_title']}")


# -- shared widgets --------------------------------------------------------------------------------
def plain(text: str) -> None:
    """Show text exactly as written (no Markdown interpretation)."""
    if text:
        st.markdown(escape_markdown(text))


def indicator_card(traj: Trajectory, page_for: dict | None = None, height: int = 240) -> None:
    """One trajectory chart, its table equivalent, and links to where else it is printed."""
    st.vega_lite_chart(_chart_spec(traj, height), theme=None, width="stretch")
    table = lazy_expander(f"表で見る:{traj.indicator['label']}", key=f"table_{traj.indicator['indicator_id']}")
    if table.open:
        with table:
            st.dataframe(traj.table(), hide_index=True, width="stretch")
            if traj.indicator.get("memo"):
                st.caption("補足: " + escape_markdown(traj.indicator["memo"]))
    for other in _other_places(folder()).get(traj.indicator["indicator_id"], []):
        where = dashboard.PLAN_WIDE if other["pillar"] == 0 else f"大綱{other['pillar']}({other['policy']})"
        target = (page_for or {}).get(int(other["pillar"]))
        text = f"同じ指標が{where}にも掲載(実績は共通)"
        if target:
            st.page_link(target, label=text)
        else:
            st.caption(text)


def lazy_expander(label: str, key: str):
    """A collapsed expander whose content runs only once it is opened (``if box.open: with box: ...``).

    Opening it reruns the page (everything else comes from the caches); closed, nothing inside is
    computed or sent to the browser.
    """
    return st.expander(label, key=key, on_change="rerun")


def pillar_pages() -> dict:
    """Page targets for links: 0 → the overview, N → the 大綱 N page."""
    out = {0: _PAGES.get("overview")}
    for r in pillars(folder()).itertuples():
        out[int(r.pillar)] = _PAGES.get(f"pillar{r.pillar}")
    return {k: v for k, v in out.items() if v is not None}


def csv_download(frame: pd.DataFrame, kind: str, filters: list[str], key: str) -> None:
    """Download what is on screen, with the active filters: UTF-8 with BOM by default, cp932 on request."""
    cols = st.columns([3, 2], vertical_alignment="center")
    encoding = cols[0].radio(
        "文字コード",
        ["utf-8-sig", "cp932"],
        format_func={"utf-8-sig": "UTF-8(BOM付き・推奨)", "cp932": "Shift_JIS(古い Excel 向け)"}.get,
        horizontal=True,
        key=f"{key}_encoding",
        label_visibility="collapsed",
    )
    try:
        data = to_csv_bytes(frame, encoding)
    except InputError as exc:
        show_problems(exc, heading="この文字コードでは書き出せません。")
        return
    cols[1].download_button(
        f"CSV をダウンロード({len(frame)}行)",
        data,
        file_name=export_filename(kind, filters, encoding=encoding),
        mime="text/csv",
        on_click="ignore",
        key=f"{key}_download",
    )


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
