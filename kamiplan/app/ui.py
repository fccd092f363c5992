"""The one Streamlit module of the core: cached resources, navigation and shared widgets.

Everything else in ``kamiplan/`` is importable without Streamlit.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey

from kamiplan import labels
from kamiplan.app import auth, memory
from kamiplan.app.site import DEFAULT_URL_PATH, names_a_page, page_specs
from kamiplan.errors import InputError
from kamiplan.model import dashboard, project_rollup
from kamiplan.model.trajectory import Trajectory
from kamiplan.model.trajectory import build as build_trajectory
from kamiplan.outputs import charts, htmlparts, images, print_report, static_charts
from kamiplan.outputs.export import export_filename, substitution_note, to_csv_export
from kamiplan.paths import PROJECT_DIR, data_dir
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from kamiplan.plan.periods import year_label
from kamiplan.records.actuals_store import ActualsStore, Cell
from kamiplan.records.projects import ProjectStore
from kamiplan.records.store import RecordStore
from kamiplan.text import escape_markdown


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


def pillar_names(folder: str) -> dict[int, str]:
    """The choice lists' names of the 大綱, in plan order: ``{1: "大綱1 健康で心豊かに暮らせるまち", …}``."""
    return {int(r.pillar): f"大綱{r.pillar} {r.short_name}" for r in pillars(folder).itertuples()}


def policy_names(folder: str, pillar: int) -> dict[int, str]:
    """The choice lists' names of one 大綱's 基本計画, as the plan numbers them: ``{1: "(1) …", …}``."""
    part = policies(folder)
    return {int(r.policy): f"({r.policy}) {r.name}" for r in part[part["pillar"] == pillar].itertuples()}


def measure_names(folder: str, pillar: int, policy: int) -> dict[int, str]:
    """The choice lists' names of one 基本計画's 施策, as the plan prints them: ``{1: "① …", …}``."""
    from kamiplan.records.project_editing import measure_label

    part = measures(folder)
    chosen = part[(part["pillar"] == pillar) & (part["policy"] == policy)]
    return {int(r.measure): measure_label(r.measure, r.name) for r in chosen.itertuples()}


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


# -- project records (事業の評価), cached until the next save of the project store --------------------
@st.cache_resource(show_spinner=False)
def _project_store(folder: str) -> ProjectStore:
    return ProjectStore(Path(folder))


def project_store() -> ProjectStore:
    return _project_store(folder())


@st.cache_data(show_spinner=False)
def actions(folder: str) -> pd.DataFrame:
    """The plan's 196 実施計画 rows in document order."""
    return queries.actions(_plan_db(folder).cursor())


@st.cache_data(show_spinner=False, max_entries=8)
def _project_current(folder: str, revision: int) -> pd.DataFrame:
    return _project_store(folder).current()


def project_records() -> pd.DataFrame:
    """The projects' current records (every year), cached until the next save."""
    return _project_current(folder(), project_store().revision())


@st.cache_data(show_spinner=False, max_entries=16)
def _project_table(folder: str, revision: int, year: int) -> pd.DataFrame:
    return project_rollup.project_table(actions(folder), _project_current(folder, revision), year)


@st.cache_resource(show_spinner=False, max_entries=16)
def _project_listing(folder: str, revision: int, year: int, filters: tuple):
    from kamiplan.model import project_views

    pillar, policy, measure, tags, keyword, statuses, grades, directions = filters
    rows = queries.filter_actions(
        _plan_db(folder).cursor(), pillar or None, policy or None, measure or None, list(tags), keyword
    )
    return project_views.project_listing(
        rows, _project_table(folder, revision, year), year, statuses, grades, directions
    )


def project_listing(
    year: int,
    pillar: int,
    policy: int,
    measure: int,
    tags: list[str],
    keyword: str,
    statuses: list[str],
    grades: list[str],
    directions: list[str],
):
    """The 実施計画 list for the page's filters (:func:`kamiplan.model.project_views.project_listing`; 0 = every
    大綱・基本計画・施策), shared by all sessions until the next save of the project records (read only).

    Returns the listing and what it was made from (for :func:`csv_download`'s ``source``). At most 16
    choices of filters are kept (a listing of the 196 rows is ~0.2 MB).
    """
    filters = (pillar, policy, measure, tuple(tags), keyword, tuple(statuses), tuple(grades), tuple(directions))
    key = (folder(), project_store().revision(), year, filters)
    return _project_listing(*key), ("project_listing", *key)


def project_table(year: int) -> pd.DataFrame:
    """Every 実施計画 row with its record of ``year`` (:func:`kamiplan.model.project_rollup.project_table`)."""
    return _project_table(folder(), project_store().revision(), year)


# -- evaluations and charts, cached until the next save (the store's revision is in every key) --------
# Least recently used entries go first: 3,000 covers every chart of a 1,000-indicator plan in three
# evaluation years and bounds the server's memory however many years people browse.
CHART_CACHE_ENTRIES = 3000


@st.cache_data(show_spinner=False, max_entries=32)
def _evaluation(folder: str, revision: int, year: int) -> pd.DataFrame:
    start = int(plan_info(folder)["start_year"])
    return dashboard.evaluate(indicators(folder), _current(folder, revision), year, start)


def evaluation(year: int) -> pd.DataFrame:
    """Every indicator row evaluated for ``year`` (:func:`kamiplan.model.dashboard.evaluate`); pages filter it."""
    return _evaluation(folder(), store().revision(), year)


@st.cache_resource(show_spinner=False, max_entries=8)
def _indicator_table(folder: str, revision: int, year: int) -> pd.DataFrame:
    return dashboard.indicator_table(_evaluation(folder, revision, year))


def indicator_table(year: int) -> tuple[pd.DataFrame, tuple]:
    """全指標の一覧 of ``year`` (:func:`kamiplan.model.dashboard.indicator_table`), shared by all sessions
    until the next save (read only), and what it was made from (for :func:`csv_download`'s ``source``)."""
    key = (folder(), store().revision(), year)
    return _indicator_table(*key), ("indicator_table", *key)


@st.cache_resource(show_spinner=False, max_entries=256)
def _pillar_view(
    folder: str, revision: int, year: int, pillar: int, policy: int, grades: tuple[str, ...]
) -> dashboard.PillarView:
    report = _evaluation(folder, revision, year)
    inds, pols = indicators(folder), policies(folder)
    numbers = [int(p) for p in pols.loc[pols["pillar"] == pillar, "policy"]]
    return dashboard.pillar_view(
        report[report["pillar"] == pillar], inds[inds["pillar"] == pillar], numbers, policy, list(grades)
    )


def pillar_view(pillar: int, year: int, policy: int, grades: list[str]) -> tuple[dashboard.PillarView, tuple]:
    """What the 大綱 page shows for its filters (:func:`kamiplan.model.dashboard.pillar_view`), shared by all
    sessions until the next save (read only): a filter change looks it up instead of filtering again.

    Returns the view and what it was made from (for :func:`csv_download`'s ``source``)."""
    source = (folder(), store().revision(), year, pillar, policy, tuple(grades))
    return _pillar_view(*source), ("pillar_view", *source)


@st.cache_resource(show_spinner=False, max_entries=CHART_CACHE_ENTRIES)
def _trajectory(folder: str, revision: int, year: int, indicator_id: str) -> Trajectory:
    row = _indicator_rows(folder)[indicator_id]
    start = int(plan_info(folder)["start_year"])
    return build_trajectory(row, _series_cells(folder, revision).get(row["series_id"], {}), year, start)


@st.cache_resource(show_spinner=False)
def _indicator_rows(folder: str) -> dict[str, dict]:
    return {r["indicator_id"]: r for r in indicators(folder).to_dict("records")}


def trajectories(ids, year: int) -> list[Trajectory]:
    """The trajectory of each indicator row, in order (shared by all sessions: read only).

    ``ids``: indicator ids, or a frame of indicator rows (its ``indicator_id`` column)."""
    if isinstance(ids, pd.DataFrame):
        ids = ids["indicator_id"]
    return list(_trajectories(folder(), store().revision(), year, tuple(ids)))


@st.cache_resource(show_spinner=False, max_entries=256)
def _trajectories(folder: str, revision: int, year: int, ids: tuple[str, ...]) -> tuple[Trajectory, ...]:
    # One lookup for a section's charts instead of one per chart (each lookup hashes its arguments).
    return tuple(_trajectory(folder, revision, year, i) for i in ids)


def _trajectory_key(traj: Trajectory) -> bytes:
    return traj.fingerprint


# The interactive charts' specs: needed until the server has drawn a chart (seconds after a save or a start),
# or always where charts are not drawn (no Japanese font). ~10 KB each: the charts of the largest page of a
# 1,000-indicator plan (250), not every chart, so that the drawn ones do not keep their specs (~10 MB).
SPEC_CACHE_ENTRIES = 300


@st.cache_data(show_spinner=False, max_entries=SPEC_CACHE_ENTRIES, hash_funcs={Trajectory: _trajectory_key})
def _chart_spec(traj: Trajectory, height: int) -> dict:
    # Building the layered Altair chart costs more than looking it up: do it once. Not validated again
    # (the chart tests validate every kind; :func:`kamiplan.outputs.charts.unchecked_building`).
    return charts.trajectory_chart(traj, height=height).to_dict(validate=False)


# -- charts drawn on the server (issue 14) -------------------------------------------------------------
ENV_STATIC_CHARTS = "KAMIPLAN_STATIC_CHARTS"  # "0": every chart interactive (Vega-Lite in the browser)


@st.cache_resource(show_spinner=False)
def svg_cache() -> static_charts.SvgCache:
    """The server's finished chart SVGs (one per server; every session reads it), drawn through the render
    cache on disk (the charts drawn before a restart come back without drawing)."""
    context = drawing_setup()[1]
    return static_charts.SvgCache(
        functools.partial(static_charts.render_in_child, context=context), done=memory.release_unused
    )


@st.cache_resource(show_spinner=False)
def drawing_setup() -> tuple[str, str]:
    """``(problem, context)`` of chart drawing on this server (:func:`kamiplan.outputs.images.drawing_setup`),
    found once by a child process so that the server itself never loads vl-convert for it."""
    return images.drawing_setup_in_child()


def static_charts_on() -> bool:
    """Charts are drawn on the server unless switched off, or the Japanese font is missing (the SVG's text
    would be laid out with another font's widths): then every chart is interactive, as before."""
    return os.environ.get(ENV_STATIC_CHARTS, "1").strip() != "0" and not drawing_setup()[0]


def static_chart(
    kind: str,
    parts: tuple,
    spec_for: Callable[[Any], dict],
    variants: tuple = static_charts.WIDTHS,
    wrap: Callable[[dict], str] = static_charts.responsive_html,
) -> bool:
    """Show a chart as SVG drawn on the server, when it is drawn; say whether it was shown.

    When it is not drawn yet (the first visit after a change or a server start), nothing is shown, the
    drawing is queued, and the caller shows the interactive chart: nobody waits for the server's drawing.

    Parameters
    ----------
    kind, parts
        What the chart is drawn from, exactly (the trajectory's data, the height …): the cache key.
    spec_for : callable
        ``variant → Vega-Lite spec`` of one variant (a plot width in px, a slide design …).
    variants : tuple
        The variants drawn; all are sent and CSS shows the one that suits the screen. Default: the two
        column widths of :data:`kamiplan.outputs.static_charts.WIDTHS`.
    wrap : callable
        ``{variant: svg} → HTML`` (default :func:`kamiplan.outputs.static_charts.responsive_html`).

    Returns
    -------
    bool
        True when the SVG was shown.
    """
    if not static_charts_on():
        return False
    cache = svg_cache()
    keys = {v: hashlib.sha256(pickle.dumps((kind, parts, v))).hexdigest() for v in variants}
    svgs = {v: cache.get(k) for v, k in keys.items()}
    if all(svg is not None for svg in svgs.values()):
        show_svg(keys[variants[0]], wrap(svgs))
        return True
    # Built in the background, not here: a page of 250 charts would wait for 500 specs.
    cache.request((k, functools.partial(spec_for, v)) for v, k in keys.items() if svgs[v] is None)
    return False


# The SVG is put into the page as it is (innerHTML): the browser parses it natively. Shown by st.markdown,
# Streamlit's Markdown renderer turned each SVG into thousands of React elements, again on every rerun of
# the section (a filter change): ~15 % slower to open a page of charts and to change its filter, measured
# on a bare page of 大綱1's 15 charts (BENCHMARKS.md). The same HTML is not put in again.
_SVG_JS = """
export default function ({ parentElement, data }) {
  if (parentElement.kpHtml !== data.html) {
    parentElement.innerHTML = data.html;
    parentElement.kpHtml = data.html;
  }
}
"""
SVG_COMPONENT = "kamiplan_svg"


@functools.cache
def _svg_component():
    # Not isolated: the charts are in the page's own DOM, for the rules that travel with them, for
    # printing, and for the tests and the benchmark that find them by ``data-kp-chart``.
    return st.components.v2.component(SVG_COMPONENT, js=_SVG_JS, isolate_styles=False)


def show_svg(key: str, html: str) -> None:
    """Put a server-drawn chart's HTML into the page as it is (``key``: what it was drawn from).

    The HTML is ours: every text in the SVG was escaped when it was drawn (vl-convert, and
    :func:`kamiplan.outputs.static_charts.finish_svg` for the hover titles). The same chart twice on a page
    gets a second key.
    """
    for n in range(1, 1000):
        try:
            _svg_component()(key=f"kp_svg_{key[:24]}_{n}", data={"html": html})
            return
        except StreamlitDuplicateElementKey:
            continue


@st.cache_resource(show_spinner=False)
def _other_places(folder: str) -> dict[str, list[dict]]:
    return dashboard.shared_series(indicators(folder))


EVAL_YEAR_KEY = "eval_year"  # the sidebar's selectbox
EVAL_YEAR_CHOSEN_KEY = "eval_year_chosen"  # someone chose the year (the selectbox, a link's ?year=)
URL_YEAR_PROBLEM_KEY = "present_year_problem"  # a ?year= that names no plan year, told once by the page
PRESENT_PAGE = "present"


def evaluation_year() -> int:
    """The evaluation year shown: the one chosen in the sidebar (shared by every page), else the default."""
    return int(st.session_state.get(EVAL_YEAR_KEY, default_year().year))


def default_year() -> dashboard.DefaultYear:
    """:func:`kamiplan.model.dashboard.default_year` of the recorded actuals, cached until the next save."""
    return _default_year(folder(), store().revision())


@st.cache_data(show_spinner=False, max_entries=8)
def _default_year(folder: str, revision: int) -> dashboard.DefaultYear:
    info = plan_info(folder)
    return dashboard.default_year(
        _current(folder, revision), indicators(folder), int(info["start_year"]), int(info["end_year"])
    )


# -- page frame --------------------------------------------------------------------------------------
def configure() -> None:
    # No initial_sidebar_state here: "auto" sent on every run re-opened the sidebar on wide screens,
    # over the slides of 発表モード (which asks for "collapsed") on some runs at 1280×720, and over a
    # sidebar the user had closed. Unset, the sidebar keeps whatever state it has.
    st.set_page_config(page_title=labels.APP_TITLE, layout="wide")


_PAGES: dict = {}  # url_path → st.Page of the current navigation (identical in every session)
CURRENT_PAGE_KEY = "kamiplan_url_path"
# Page names in the sidebar on as many lines as they need: Streamlit keeps each on one line and cuts it with
# 「…」, and the sidebar (the same width at 1280×800 and 1920×1080) cut 「大綱2 活気とにぎわいがあふれるまち」.
# A name that does not fit breaks at its space (「大綱2」 above the pillar's name, not 「…あふれるま」 above
# 「ち」: keep-all), inside a word only if a word alone is wider than the sidebar (anywhere). Every level
# of the link's text is set, whatever Streamlit's own classes are called (they change between releases;
# stSidebarNavLink is the test id Streamlit's own tests use). The two lines of a name sit close together and
# its link keeps the height of a one-line link (line height 2 → 1.4 with the difference as padding), so
# 「大綱2」 does not read as a page of its own.
NAV_CSS = """<style>
[data-testid="stSidebarNavLink"] { line-height: 1.4 !important; padding-top: 0.3rem !important;
  padding-bottom: 0.3rem !important; }
[data-testid="stSidebarNavLink"] * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; word-break: keep-all !important; overflow-wrap: anywhere !important;
  line-height: inherit !important; }
</style>"""


# Streamlit's own page parts that show English, and no setting or parameter reaches (Streamlit 1.67; the menu ⋮ and
# the running indicator with its 「Stop」 are off in .streamlit/config.toml, headings of st.title/st.header/
# st.subheader get anchor=False). Each rule is scoped to the part by the test id Streamlit's own tests use:
# - Charts drawn in the browser (the first visit after a save or a server start, until the server has drawn the
#   SVG): no toolbar. It offered 「Show data」 (the spec's raw columns, empty cells as 「None」), 「Download as PNG」,
#   「Fullscreen」 in English, and on a slide it covered the end of the chart's title. The chart's own hover
#   texts (Vega's tooltip, outside the toolbar) stay. The images are the buttons under 「表で見る」.
# - Tables (st.dataframe): no toolbar (English 「Show/hide columns」 with 「Select all」, 「Download as CSV」 without
#   the Shift_JIS choice and the guard against Excel formulas of the page's own CSV button, 「Search」 with
#   「Type to search」, 「Fullscreen」). The edit tables keep theirs (「行の追加」): their keys start with editor_ or
#   project_editor_ (pages/edit.py), and Streamlit names their container st-key-<key>.
# - Headings written in Markdown (the slides' titles, <h1> in st.markdown): no 「Link to heading」 anchor.
# - Texts that are needed are put in Japanese: the original text is hidden (display: none, so screen readers do
#   not read it either) and the Japanese comes from ::after: the file uploaders' button 「Upload」, the line beside
#   it 「2MB per file • CSV, TXT…」 (the label says the kinds of file and the size in Japanese), what shows while a
#   file is dragged over 「Drag and drop a file here」 (a div of one span right after the input; the list of chosen
#   files, which takes the same place, is a div of divs). The skip link 「Skip to main content」 (the first stop of the
#   Tab key) is a text node of its own link: its text is made 0 px high (hidden, it could not take the focus)
#   and the Japanese shown beside it; a screen reader reads both.
# - Streamlit's own dialogs: kamiplan opens none (no st.dialog, whose content is a block of elements) and the
#   「Page not found」 one no longer comes (ui.navigation), so what is left is the one of a lost server
#   (「Connection error — Streamlit server is not responding. Are you connected to the internet?」, about 4 s after
#   the server stopped; it closes by itself when the server is back): its title and text in Japanese.
_CHROME_CSS = """<style>
[data-testid="stElementToolbar"]:has(~ [data-testid="stVegaLiteChart"]) { display: none !important; }
[data-testid="stElementContainer"]:not([class*="st-key-editor_"]):not([class*="st-key-project_editor_"])
  [data-testid="stDataFrame"] > [data-testid="stElementToolbar"] { display: none !important; }
[data-testid="stMarkdownContainer"] [data-testid="stHeaderActionElements"] { display: none !important; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] > * { display: none !important; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after { content: UPLOAD_BUTTON; }
[data-testid="stFileUploaderDropzoneInstructions"] > * { display: none !important; }
[data-testid="stFileUploaderDropzoneInstructions"]::after { content: UPLOAD_INSTRUCTIONS; }
[data-testid="stFileUploaderDropzone"] > input + div:has(> span:only-child) > span { display: none !important; }
[data-testid="stFileUploaderDropzone"] > input + div:has(> span:only-child)::after { content: UPLOAD_DROP_HERE; }
[data-testid="stSkipToContent"] { font-size: 0 !important; }
[data-testid="stSkipToContent"]::after { content: SKIP_TO_CONTENT; font-size: 1rem; }
[data-testid="stDialog"]:not(:has([data-testid="stVerticalBlock"])) section > h2 { font-size: 0 !important; }
[data-testid="stDialog"]:not(:has([data-testid="stVerticalBlock"])) section > h2::after {
  content: SERVER_LOST_TITLE; font-size: 1.5rem; }
[data-testid="stDialog"]:not(:has([data-testid="stVerticalBlock"])) section > h2 + div > * { display: none !important; }
[data-testid="stDialog"]:not(:has([data-testid="stVerticalBlock"])) section > h2 + div::after {
  content: SERVER_LOST_TEXT; }
</style>"""


def _css_string(text: str) -> str:
    """``text`` as a CSS string (for ``content:``)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


@functools.cache
def chrome_css() -> str:
    """:data:`_CHROME_CSS` with the Japanese of :mod:`kamiplan.labels` in place."""
    css = _CHROME_CSS
    for name in (
        "UPLOAD_BUTTON",
        "UPLOAD_INSTRUCTIONS",
        "UPLOAD_DROP_HERE",
        "SKIP_TO_CONTENT",
        "SERVER_LOST_TITLE",
        "SERVER_LOST_TEXT",
    ):
        css = css.replace(f"content: {name};", f"content: {_css_string(getattr(labels, name))};")
    return css


def navigation():
    """All pages of :func:`kamiplan.app.site.page_specs`, grouped in sections, with Japanese titles.

    A mistyped address (``/pillar9``) opens the 概要 with a Japanese line saying so (:func:`_unknown_page`),
    instead of Streamlit's English 「Page not found」 dialog over it.
    """
    specs = page_specs(pillars(folder()), readonly=auth.readonly_deployment())
    sections: dict[str, list] = {}
    for spec in specs:
        page = st.Page(
            str(PROJECT_DIR / spec.script),
            title=spec.title,
            url_path=spec.url_path or DEFAULT_URL_PATH,
            default=spec.url_path == "",
        )
        sections.setdefault(spec.section, []).append(page)
    _PAGES.clear()
    _PAGES.update({p.url_path or DEFAULT_URL_PATH: p for group in sections.values() for p in group})
    asked = _unknown_page(specs)
    page = st.navigation(sections)
    st.html(NAV_CSS + chrome_css())  # style only: Streamlit puts it where it takes no room on the page
    if asked:
        st.warning(escape_markdown(labels.PAGE_NOT_FOUND.format(path=asked[:60])))
    st.session_state[CURRENT_PAGE_KEY] = page.url_path
    return page


def _unknown_page(specs) -> str:
    """The page path this run's URL asks for when it names no page (``pillar9`` of ``/pillar9``), else "".

    Then the run is made to ask for the default page, as a run of ``/`` does: ``st.navigation`` resolves a page
    path it does not know to the default page too, but also sends the browser a "page not found" that Streamlit
    shows as an English dialog (「Page not found」 「The page that you have requested does not seem to exist.
    Running the app's main page.」). Streamlit has no setting for either; what the run asks for is read and
    reset on the session's pages manager (the same one ``st.navigation`` reads, set before every run). If a
    release renames it, nothing is changed and Streamlit's own dialog comes back (the browser test of a
    mistyped address fails).
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    asked = getattr(manager, "intended_page_name", None)
    if (
        not isinstance(asked, str)
        or getattr(manager, "intended_page_script_hash", None)  # a page chosen in the menu: always known
        or names_a_page(asked, specs)
        or not hasattr(manager, "set_script_intent")
    ):
        return ""
    manager.set_script_intent("", "")
    return asked.strip("/")


def current_pillar() -> int:
    """The 大綱 of the pillar page being shown (from its URL path ``pillarN``)."""
    url_path = str(st.session_state.get(CURRENT_PAGE_KEY, "pillar1"))
    digits = "".join(ch for ch in url_path if ch.isdigit())
    return int(digits) if digits else 1


def sidebar() -> None:
    """Shared sidebar: the evaluation year (set before the page runs), and why the default is not the latest
    year with data when it is not.

    The year is the one someone chose (here, or by a 発表モード link's ``?year=R7``) or else the default
    (:func:`default_year`), which follows the data as they are saved. On 発表モード the URL carries the year,
    so that a reload or a link shows the same slides of the same year.
    """
    info = plan_info(folder())
    start, end = int(info["start_year"]), int(info["end_year"])
    years = dashboard.evaluation_years(start, end)
    default = default_year()
    on_present = st.session_state.get(CURRENT_PAGE_KEY) == PRESENT_PAGE
    if on_present:
        _year_from_url(start, end, default.year)
    if not st.session_state.get(EVAL_YEAR_CHOSEN_KEY) or st.session_state.get(EVAL_YEAR_KEY) not in years:
        st.session_state[EVAL_YEAR_KEY] = default.year
    # No index: the value is the session state's (an index as well made Streamlit warn of two defaults).
    year = selectbox(
        st.sidebar,
        labels.EVAL_YEAR,
        years,
        format_func=lambda y: f"{year_label(y)}年度",
        key=EVAL_YEAR_KEY,
        on_change=_year_chosen,
        help=labels.EVAL_YEAR_HELP,
    )
    if note := labels.year_note(year, default):
        (st.sidebar.caption if year == default.year else st.sidebar.warning)(note)
    if on_present:
        _year_to_url(year)
    st.sidebar.caption(f"{info['title']}\n{info['strategy_title']}")


def _year_chosen() -> None:
    """The selectbox was changed: the choice stays over the default; on 発表モード the URL follows."""
    st.session_state[EVAL_YEAR_CHOSEN_KEY] = True
    if st.session_state.get(CURRENT_PAGE_KEY) == PRESENT_PAGE:
        _year_to_url(int(st.session_state[EVAL_YEAR_KEY]))


def _year_from_url(start: int, end: int, default: int) -> None:
    """発表モード's ``?year=``: a plan year is the year shown (a link is a choice); anything else falls back to
    the default, which the page says (:func:`url_year_problem`) and the URL then carries."""
    raw = st.query_params.get("year")
    if raw is None or not str(raw).strip():
        return
    year = dashboard.year_from_param(raw, start, end)
    if year is not None:
        st.session_state[EVAL_YEAR_KEY] = year
        st.session_state[EVAL_YEAR_CHOSEN_KEY] = True
        return
    st.session_state[EVAL_YEAR_KEY] = default
    st.session_state[EVAL_YEAR_CHOSEN_KEY] = False
    st.session_state[URL_YEAR_PROBLEM_KEY] = labels.PRESENT_YEAR_UNKNOWN.format(
        asked=str(raw).strip()[:20],
        first=dashboard.year_param(start),
        last=dashboard.year_param(end),
        year=year_label(default),
    )


def _year_to_url(year: int) -> None:
    """``?year=R7`` first in 発表モード's URL (``?year=R7&slide=5``), sent only when it changes."""
    code = dashboard.year_param(year)
    if st.query_params.get("year") != code:
        st.query_params.from_dict({"year": code} | {k: v for k, v in st.query_params.to_dict().items() if k != "year"})


def url_year_problem() -> None:
    """Say once, in a toast (the slides keep their size), that the URL's year was not a plan year (what the URL
    said is shown as text: a toast reads Markdown)."""
    if problem := st.session_state.pop(URL_YEAR_PROBLEM_KEY, None):
        st.toast(escape_markdown(problem), duration="long")


# -- shared widgets --------------------------------------------------------------------------------
def table(frame: pd.DataFrame, **kwargs):
    """``st.dataframe`` as every page shows tables: no index, full width, an empty cell empty (not "None"),
    numbers with thousands separators, columns only for the export (``基準値(数値)``) left out.

    A table without rows (filters that leave none) is a sentence instead: Streamlit draws an empty table as its
    headings above one row that reads 「empty」, in English, and no setting changes that word.
    """
    if frame.empty:
        st.caption(labels.TABLE_NO_ROWS)
        return None
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("placeholder", "")
    kwargs.setdefault("column_order", [c for c in frame.columns if c not in dashboard.EXPORT_ONLY_COLUMNS])
    config = dict(kwargs.pop("column_config", None) or {})
    for column in frame.columns:
        if column not in config and pd.api.types.is_float_dtype(frame[column]):
            config[column] = st.column_config.NumberColumn(column, format="localized")
    kwargs["column_config"] = config
    return st.dataframe(frame, **kwargs)


# -- tables drawn as plain HTML (issue 14) -----------------------------------------------------------
# st.dataframe draws with a grid library (canvas, its own script chunk): one 15-row 指標一覧 below the charts
# made a warm open of 大綱1 ~300 ms slower (1,615 → 1,271 ms without it; the floor page 1,152 / 1,018 ms).
# The summary tables of the pages are plain HTML instead, in the page's DOM (so the browser's search, copy and
# print find them), every column readable (headings wrap; the first column stays when the table scrolls
# sideways) and sortable by a click on a heading (again: the other way; numbers as numbers, 評価 in the
# plan's order, empty cells last).
_TABLE_JS = """
export default function ({ parentElement, data }) {
  if (parentElement.kpHtml !== data.html) {
    parentElement.innerHTML = data.html;
    parentElement.kpHtml = data.html;
  }
  if (parentElement.kpSorts) return;
  parentElement.kpSorts = true;
  parentElement.addEventListener('click', (event) => {
    const button = event.target.closest('th button');
    if (!button) return;
    const th = button.parentElement;
    const table = th.closest('table');
    const col = [...th.parentElement.children].indexOf(th);
    const dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    table.querySelectorAll('th[aria-sort]').forEach((h) => h.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    const numeric = th.classList.contains('num') || th.dataset.sort === 'key';
    const key = (row) => {
      const cell = row.cells[col];
      const text = cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent;
      return numeric ? (text === '' ? NaN : Number(text)) : text;
    };
    const rows = [...table.tBodies[0].rows];
    rows.sort((a, b) => {
      const x = key(a), y = key(b);
      if (numeric) {
        if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) - Number.isNaN(y);
        return dir * (x - y);
      }
      if (!x || !y) return !x - !y;
      return dir * x.localeCompare(y, 'ja');
    });
    table.tBodies[0].append(...rows);
  });
}
"""
TABLE_COMPONENT = "kamiplan_table"
TABLE_CSS = """<style>
.kp-table { overflow-x: auto; max-width: 100%; margin-bottom: 0.5rem; }
.kp-table table { border-collapse: collapse; font-size: 0.9rem; line-height: 1.45; min-width: 100%; }
.kp-table th, .kp-table td { border-bottom: 1px solid #e4e5e8; padding: 0.35rem 0.55rem; text-align: left;
  vertical-align: top; }
.kp-table th { background: #f3f4f6; font-weight: 600; }
.kp-table th button { all: unset; cursor: pointer; display: block; }
.kp-table th button:focus-visible { outline: 2px solid #0072B2; outline-offset: 2px; }
.kp-table th[aria-sort="ascending"] button::after { content: " ▲"; font-size: 0.75em; }
.kp-table th[aria-sort="descending"] button::after { content: " ▼"; font-size: 0.75em; }
.kp-table td.num, .kp-table th.num { text-align: right; font-variant-numeric: tabular-nums; }
.kp-table td { white-space: nowrap; }
.kp-table th { min-width: 4.5em; }
.kp-table tr > :first-child { position: sticky; left: 0; background: #fff; min-width: 11em; max-width: 20em;
  white-space: normal; box-shadow: 1px 0 0 #e4e5e8; }
.kp-table th:first-child { background: #f3f4f6; }
.kp-table tfoot td { font-weight: 600; border-top: 2px solid #c9ccd1; }
</style>"""


@functools.cache
def _table_component():
    return st.components.v2.component(TABLE_COMPONENT, js=_TABLE_JS, isolate_styles=False)


@st.cache_resource(show_spinner=False, max_entries=64)
def _static_table_html(source: tuple, total_row: bool, _frame: pd.DataFrame) -> str:
    return static_table_html(_frame, total_row)


# A plan's words sort by the number the plan means (「2,020人」 by 2020, 「女 83.6 歳」 by 83.6): the export's
# numeric twin of the column (no number: last).
SORT_BY_NUMBER = {"目標値(R11)": "目標値(数値)", "基準値": "基準値(数値)"}


def static_table_html(frame: pd.DataFrame, total_row: bool = False) -> str:
    """The HTML of :func:`static_table` (its styles, the table; 評価 sorts in the plan's order of grades, the
    plan's 基準値・目標値 by their numbers; a last row of totals stays last)."""
    shown = frame[[c for c in frame.columns if c not in dashboard.EXPORT_ONLY_COLUMNS]]
    keys = {"評価": [dashboard.grade_rank(v) for v in shown["評価"]]} if "評価" in shown else {}
    for column, numbers in SORT_BY_NUMBER.items():
        if column in shown and numbers in frame:
            keys[column] = [float(v) if pd.notna(v) else float("nan") for v in frame[numbers]]
    body = htmlparts.table(shown, sort_keys=keys, sortable=True, footer=1 if total_row else 0)
    return f'{TABLE_CSS}<div class="kp-table">{body}</div>'


def static_table(frame: pd.DataFrame, key: str, source: tuple | None = None, total_row: bool = False) -> None:
    """A summary table as plain HTML, sortable by its headings (:data:`_TABLE_JS`); columns only for the
    export (``基準値(数値)``) left out, a table without rows a sentence (as :func:`table`).

    ``source``: what ``frame`` was made from, exactly, when that is known (its HTML is then made once).
    ``total_row``: the last row is the total (「計」); sorting leaves it last.
    """
    if frame.empty:
        st.caption(labels.TABLE_NO_ROWS)
        return
    html = static_table_html(frame, total_row) if source is None else _static_table_html(source, total_row, frame)
    _table_component()(key=f"kp_table_{key}", data={"html": html})


def file_uploader(label: str, *, key: str, help: str, multiple: bool = False):
    """``st.file_uploader`` of the edit page: any kind of file (up to ``server.maxUploadSize``, 20 MB).

    kamiplan's reader says in Japanese what a file is and what to do (an old .xls: save it as .xlsx; a PDF: not a
    CSV or Excel book; over its 2 MB: the size and the limit), and the label says which files it reads. Given a
    list of file kinds, Streamlit refused every other kind itself, in English (「application/vnd.ms-excel files are
    not allowed.」), so the Japanese advice for an .xls never showed; the same for a file over the server's limit
    (「File must be 2.0MB or smaller.」), hence the larger limit in .streamlit/config.toml.
    """
    return st.file_uploader(label, type=None, accept_multiple_files=multiple, key=key, help=help)


def selectbox(where, label: str, options, **kwargs):
    """``st.selectbox`` (in ``where``: ``st``, ``st.sidebar`` or a column) whose open list is in Japanese only.

    Typing is off (``filter_mode=None``): a typed word that matches no choice showed Streamlit's English 「No
    results」. The lists are short (the longest, the 担当課 of the template, a few dozen), picked by a click or
    the arrow keys. Other arguments as for ``st.selectbox``.
    """
    return where.selectbox(label, options, filter_mode=None, **kwargs)


def multiselect(where, label: str, options, *, key: str, placeholder: str) -> list:
    """A filter of a few fixed choices (none chosen = all) whose open list is in Japanese only.

    Streamlit's multiselect puts an English option of its own at the top of the list, 「Select all」
    (「Select N matches」 while typing): ``select_all=False`` leaves it out. Typing is off as well
    (``filter_mode=None``): a typed word that matches no choice shows 「No results」, and a list of a few
    choices needs no search.

    Parameters
    ----------
    where
        ``st`` or a column to put the widget in.
    label, options, key, placeholder
        As for ``st.multiselect`` (``placeholder``: what stands in the box when nothing is chosen).

    Returns
    -------
    list
        The chosen options.
    """
    return where.multiselect(label, options, key=key, placeholder=placeholder, select_all=False, filter_mode=None)


def plain(text: str) -> None:
    """Show text exactly as written (no Markdown interpretation)."""
    if text:
        st.markdown(escape_markdown(text))


def indicator_card(traj: Trajectory, page_for: dict | None = None, height: int = 240) -> None:
    """One trajectory chart (drawn on the server when it can be, :func:`static_chart`), its table
    equivalent, and links to where else it is printed."""
    if not static_chart(
        "trajectory",
        (_trajectory_key(traj), height),
        lambda w: charts.trajectory_chart(traj, height=height, width=w).to_dict(validate=False),
    ):
        st.vega_lite_chart(_chart_spec(traj, height), theme=None, width="stretch")
    box = lazy_expander(f"表で見る:{traj.indicator['label']}", key=f"table_{traj.indicator['indicator_id']}")
    if box.open:
        with box:
            table(traj.table())
            if traj.indicator.get("memo"):
                st.caption("補足: " + escape_markdown(traj.indicator["memo"]))
            image_downloads(traj)
    for other in _other_places(folder()).get(traj.indicator["indicator_id"], []):
        where = dashboard.PLAN_WIDE if other["pillar"] == 0 else f"大綱{other['pillar']}({other['policy']})"
        target = (page_for or {}).get(int(other["pillar"]))
        text = f"同じ指標が{where}にも掲載(実績は共通)"
        if target:
            st.page_link(target, label=text)
        else:
            st.caption(text)


def image_downloads(traj: Trajectory) -> None:
    """PNG and SVG buttons for one chart. The image is drawn only when clicked (a callable ``data``)."""
    problem = drawing_setup()[0]
    if problem:
        st.caption(escape_markdown(f"{labels.IMAGES_UNAVAILABLE}: {problem}"))
        return
    cols = st.columns(2)
    key = f"image_{traj.indicator['indicator_id']}"
    for col, ext, mime, label, draw in (
        (cols[0], "png", "image/png", labels.DOWNLOAD_PNG, images.chart_png),
        (cols[1], "svg", "image/svg+xml", labels.DOWNLOAD_SVG, images.chart_svg),
    ):
        col.download_button(
            label,
            functools.partial(draw, traj),
            file_name=images.image_filename(traj, ext),
            mime=mime,
            on_click="ignore",
            key=f"{key}_{ext}",
        )


@st.cache_data(show_spinner=False, max_entries=4)
def _report_html(folder: str, revision: int, project_revision: int, year: int) -> bytes:
    """The report with the projects' 事業の実施状況 (both revisions key the cache: either save makes it anew)."""
    con = _plan_db(folder).cursor()
    return print_report.build_html(
        con, _store(folder).current(), year, _project_current(folder, project_revision)
    ).encode("utf-8")


def report_download(year: int) -> None:
    """The printable report of ``year``: built when clicked (46 charts, several seconds), cached until the next save."""
    problem = drawing_setup()[0]
    if problem:
        st.caption(escape_markdown(f"{labels.DOWNLOAD_REPORT}: {problem}"))
        return
    st.download_button(
        labels.DOWNLOAD_REPORT,
        functools.partial(_report_html, folder(), store().revision(), project_store().revision(), year),
        file_name=print_report.report_filename(year),
        mime="text/html",
        on_click="ignore",
        key="report_download",
        help="ブラウザで開いて印刷すると、A4 縦・大綱ごとに改ページされます。作成に十数秒かかります。",
    )


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


@st.cache_resource(show_spinner=False, max_entries=32)
def _csv_export(source: tuple, encoding: str, _frame: pd.DataFrame):
    return to_csv_export(_frame, encoding)


def csv_download(frame: pd.DataFrame, kind: str, filters: list[str], key: str, source: tuple | None = None) -> None:
    """Download what is on screen, with the active filters: UTF-8 with BOM by default, cp932 on request.

    cp932 lacks some characters of the plan (「—」): they are written as look-alikes, and a caption says which.
    ``source``: what ``frame`` was made from, exactly, when that is known (the cache key of the frame):
    its CSV is then made once for every session and rerun, not at every filter change.
    An empty ``frame`` (the filters leave no row) is not offered: a sentence stands where the button stands,
    and the choice of encoding stays, greyed, so the page keeps its place and the choice is kept for later.
    """
    cols = st.columns([3, 2], vertical_alignment="center")
    encoding = cols[0].radio(
        "文字コード",
        ["utf-8-sig", "cp932"],
        format_func={"utf-8-sig": "UTF-8(BOM付き・推奨)", "cp932": "Shift_JIS(古い Excel 向け)"}.get,
        horizontal=True,
        key=f"{key}_encoding",
        label_visibility="collapsed",
        disabled=frame.empty,
    )
    if frame.empty:
        cols[1].caption(labels.CSV_NOTHING_TO_DOWNLOAD)
        return
    # Made at once, not on click (a callable): the same bytes are stored once for every session that shows
    # them (Streamlit keys files by content), whereas a callable keeps each session's own table. On the
    # 1,000-indicator plan, 10 sessions: 423 MB made at once, 467–473 MB on click (BENCHMARKS.md).
    try:
        export = to_csv_export(frame, encoding) if source is None else _csv_export(source, encoding, frame)
    except InputError as exc:
        show_problems(exc, heading="この文字コードでは書き出せません。")
        return
    data, substitutions = export.data, export.substitutions
    cols[1].download_button(
        f"CSV をダウンロード({len(frame)}行)",
        data,
        file_name=export_filename(kind, filters, encoding=encoding),
        mime="text/csv",
        on_click="ignore",
        key=f"{key}_download",
    )
    if substitutions:  # Shift_JIS lacked some characters: say which look-alikes were written
        st.caption(escape_markdown(substitution_note(export)))


UNDO_PREVIEW_LINES = 20  # values listed before 元に戻す・やり直す (the rest: 「ほか N 件」)


def undo_redo(
    store: RecordStore,
    log: pd.DataFrame,
    indicators: pd.DataFrame | None,
    by: str,
    describe,
    *,
    summary=None,
    key: str = "",
    name: str = "",
) -> None:
    """元に戻す and やり直す, each saying first which change it acts on, each with its own confirmation.

    The checkboxes are keyed by the change they confirm, so after an undo the next one starts unchecked.
    Any kind of record: ``summary(log, revision, reverse=...)`` gives the lines describing one change (the
    actuals' :func:`~kamiplan.records.actuals_io.change_summary` of ``indicators`` when not given); ``key``
    prefixes the widget keys (two kinds on one page); ``name`` names the kind in the message after the run
    (「事業の評価の」).
    """
    from kamiplan.records.actuals_io import change_summary

    if summary is None:

        def summary(log, revision, reverse=False):
            return change_summary(log, revision, indicators, reverse=reverse)

    hist = store.history()
    for action, target, run, done_text in (
        ("元に戻す", hist.undo, store.undo, "元に戻しました"),
        ("やり直す", hist.redo, store.redo, "やり直しました"),
    ):
        if target is None:
            continue
        if action == "元に戻す":
            lines = summary(log, target, reverse=True)
            what = "次の変更を元に戻します。値はこうなります"
        else:
            # target is the undo; what comes back is the change it undid, as that change was made
            undone = int(str(log.loc[log["revision"] == target, "how"].iloc[0]).partition(":")[2])
            lines = summary(log, undone, reverse=False)
            what = "元に戻した次の変更を、もう一度反映します。値はこうなります"
        subject = lines[0].split("・")[0]  # 「変更番号 3」: the change people know, not the undo's own number
        shown = lines[1 : UNDO_PREVIEW_LINES + 1]
        if len(lines) - 1 > len(shown):  # a file import can change hundreds of values: the log table has them all
            shown.append(f"ほか {len(lines) - 1 - len(shown)} 件(下の変更履歴の表の{subject})")
        st.markdown(
            escape_markdown(f"{what}({lines[0]}):") + "\n" + "\n".join(f"- {escape_markdown(t)}" for t in shown)
        )
        confirm = st.checkbox(f"{subject} を{action}ことを確認しました", key=f"{key}{action}_confirm_{target}")
        if st.button(action, disabled=not confirm, key=f"{key}{action}_{target}"):
            try:
                result = run(by, describe)
            except InputError as exc:
                show_problems(exc)
            else:
                st.session_state["edit_flash"] = f"{name}{subject} を{done_text}(記録は変更番号 {result.revision})。"
                forget(*[k for k in st.session_state if str(k).startswith(("edit_snapshot_", "project_snapshot_"))])
                st.rerun()
    if hist.undo is None and hist.redo is None:
        st.caption("元に戻せる変更はありません。")


# -- messages ----------------------------------------------------------------------------------------
def show_problems(
    error: InputError, heading: str = "受け付けませんでした。何も保存していません。", warning: bool = False
) -> None:
    """Every problem of a refusal as a list that wraps (a table cut the hints off), never interpreted as Markdown."""
    lines = [escape_markdown(heading)] + [f"- {escape_markdown(str(p))}" for p in error.problems[:200]]
    if len(error.problems) > 200:
        lines.append(f"- ほか {len(error.problems) - 200} 件")
    (st.warning if warning else st.error)("\n".join(lines))


def download_csv(label: str, frame: pd.DataFrame, encoding: str, file_name: str, key: str, container=None) -> None:
    """A download of ``frame`` in ``encoding``; for Shift_JIS, a caption says which look-alikes were written."""
    place = container or st
    export = to_csv_export(frame, encoding)
    place.download_button(label, export.data, file_name=file_name, mime="text/csv", on_click="ignore", key=key)
    if export.substitutions:
        place.caption(escape_markdown(substitution_note(export)))


def forget(*keys: str) -> None:
    """Drop session values (a button's ``on_click``: runs before the page, so the page starts afresh)."""
    for key in keys:
        st.session_state.pop(key, None)


def digest(value) -> str:
    """A short stable key for widget keys that must change when ``value`` does."""
    import hashlib

    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:12]


def indicator_caption(ind: dict) -> str:
    """単位・基準値・目標値 of an indicator above its table (the year added only where the cell lacks one)."""

    def cell(label: str, year: int) -> str:
        label = str(label).strip()
        if label in ("", "—", "―", "-"):
            return f"なし({year_label(int(year))})"
        return label if "年" in label else f"{label}({year_label(int(year))})"

    parts = [
        f"単位: {ind['unit'] or 'なし'}",
        f"基準値: {cell(ind['baseline_label'], ind['baseline_year'])}",
        f"目標値: {cell(ind['target_label'], ind['target_year'])}",
        labels.kind_beside(ind["kind"], ind["target_label"]),  # 5か年合計 once: the target says it already
        labels.DIRECTION_LABELS[ind["direction"]],
    ]
    return " ・ ".join(part for part in parts if part)


def editor_columns(ind: dict) -> dict:
    """The edit table's columns: text cells read on save (full-width digits, ▲, units), the date read-only."""
    from kamiplan.records.editing import COL_AS_OF, COL_NOTE, COL_SOURCE, COL_VALUE, COL_YEAR

    return {
        COL_YEAR: st.column_config.TextColumn(COL_YEAR, help="R7(2025)・2025・令和7年度 のどれでも", default=""),
        COL_VALUE: st.column_config.TextColumn(
            f"{COL_VALUE}({ind['unit'] or '単位なし'})",
            help="全角の数字、「2,390」「▲12」「98.5%」も読み取ります。消すときは空欄に",
            default="",
        ),
        COL_AS_OF: st.column_config.TextColumn(
            COL_AS_OF, disabled=True, help="ファイルで日付つきで記録した値の時点(いつもと違うときだけ)", default=""
        ),
        COL_NOTE: st.column_config.TextColumn(COL_NOTE, max_chars=2000, default=""),
        COL_SOURCE: st.column_config.TextColumn(COL_SOURCE, max_chars=2000, default=""),
    }


def import_options(digest: str, sheets: tuple[str, ...]) -> tuple[str | None, bool]:
    """The sheet (for a book with several) and 「－」 as 0, keyed by the file so a new file starts afresh."""
    sheet = None
    if len(sheets) > 1:
        sheet = selectbox(st, "読み込むシート", sheets, key=f"import_sheet_{digest}")
    dash = st.checkbox(labels.IMPORT_OPTION_DASH, key=f"import_dash_{digest}", help=labels.IMPORT_OPTION_DASH_HELP)
    return sheet, dash


def unusual_confirmation(digest: str, lines: list[int]) -> bool:
    """The checkbox confirming questioned values; it names their lines (the same label before and after)."""
    where = "・".join(f"{n}行目" for n in sorted(set(lines)))
    return st.checkbox(f"{labels.UNUSUAL_CONFIRM}({where})", key=f"import_accept_{digest}")


def import_preview(plan) -> None:
    """What an import would do, before anything is saved: how the file was read, the changes, every line skipped."""
    parsed = plan.parsed
    counts = plan.counts
    shape = "横長(年度ごとの列)" if parsed.layout == "wide" else "縦長(1行に1つの値)"
    header = "・".join(f"{n}行目" for n in parsed.header_lines)
    st.write(
        escape_markdown(
            f"{parsed.source_label}、{shape}の表として読みました(見出し: {header})。"
            f"新規 {counts.get('新規', 0)}件・変更 {counts.get('変更', 0)}件・変更なし {counts.get('変更なし', 0)}件"
            f"・読み飛ばし {len(parsed.skipped)}行(まだ保存していません)"
        )
    )
    changed = plan.preview[plan.preview["状態"] != "変更なし"]
    if changed.empty:
        st.info("変更はありません。ファイルの値は、すべて記録済みの値と同じです。")
    else:
        shown = [c for c in changed.columns if c not in ("時点", "確認") or changed[c].astype(bool).any()]
        table(changed[shown])
    if parsed.ignored_columns:
        st.caption(
            escape_markdown(
                "読まなかった列(実績値としては使いません): " + "、".join(f"「{c}」" for c in parsed.ignored_columns)
            )
        )
    if parsed.warnings:
        st.warning("計画と違う基準値・単位が書かれています(値は取り込みますが、確かめてください)。")
        table(plan.notices_frame("warnings"))
    if parsed.unusual:
        st.info("確認済みの値(単位を換算したもの・桁がいつもと違うもの):")
        table(plan.notices_frame("unusual"))
    if parsed.skipped:
        st.caption(f"読み飛ばした行({len(parsed.skipped)}行): 値は記録しません")
        table(
            plan.skipped_frame(),
            hide_index=True,
            width="stretch",
            column_config={
                "行": st.column_config.NumberColumn("行", width="small"),
                "理由": st.column_config.TextColumn("理由", width="medium"),
                "列": st.column_config.TextColumn("列", width="small"),
                "内容": st.column_config.TextColumn("内容", width="large"),
                "説明": st.column_config.TextColumn("説明", width="large"),
            },
        )


# -- access ------------------------------------------------------------------------------------------
def edit_unlocked() -> bool:
    """Ask for the edit password; True once this browser session has given the one configured now.

    A configuration that cannot be used (the example password, a short one, a broken hash) keeps editing locked
    and tells the administrator why; wrong passwords are throttled server-wide (``auth.EDIT_LOGIN``).
    """
    config = auth.edit_config(st.secrets, auth.example_password())
    if config.kind == "none":
        st.info(labels.EDIT_READ_ONLY)
        return False
    if not config.usable:
        st.session_state.pop("edit_unlocked", None)
        st.error("\n\n".join((labels.EDIT_REFUSED_HEADING, config.problem, labels.EDIT_REFUSED_ADVICE)))
        return False
    # The session remembers which password it was given: a new password logs every session out.
    if st.session_state.get("edit_unlocked") == config.fingerprint:
        return True
    with st.form("edit_login"):
        given = st.text_input(labels.EDIT_PASSWORD_LABEL, type="password")
        submitted = st.form_submit_button(labels.EDIT_LOGIN_BUTTON)
    if not submitted:
        if wait := auth.EDIT_LOGIN.wait_seconds():
            st.warning(labels.EDIT_LOCKED_OUT.format(n=auth.EDIT_LOGIN.max_failures, seconds=wait))
        return False
    if not given:
        st.error(labels.EDIT_PASSWORD_EMPTY)
        return False
    attempt = auth.EDIT_LOGIN.attempt(lambda: auth.password_ok(given, config))
    if attempt.ok:
        st.session_state["edit_unlocked"] = config.fingerprint
        st.rerun()
    if attempt.wait_seconds:
        st.error(labels.EDIT_LOCKED_OUT.format(n=auth.EDIT_LOGIN.max_failures, seconds=attempt.wait_seconds))
    else:
        st.error(labels.EDIT_PASSWORD_WRONG)
    return False


# -- presentation mode -----------------------------------------------------------------------------
SLIDE_FONT_SCALE = 1.9  # chart text ≥ 20 px (axis labels 11 px × 1.9)
SLIDE_CHART_HEIGHT = "container"  # sized by CSS: a share of the screen height
SUMMARY_LABEL_WRAP = 12  # characters per line of a 基本計画 name on a summary slide (whole names, wrapped)
SUMMARY_BAR_STEP = 80  # px per 基本計画 in the grade roll-up of a 大綱 summary slide (fits 1280×720)
PRESENTATION_CSS = """
<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.2vh 2.5vw 0 2.5vw !important; max-width: 100% !important; }
[data-testid="stMarkdownContainer"] .kp-title { font-size: max(4.4vh, 28px) !important; font-weight: 700; line-height: 1.2; margin: 0 0 0.6vh 0; padding: 0; }
[data-testid="stMarkdownContainer"] .kp-hero { font-size: max(7vh, 40px) !important; font-weight: 700; line-height: 1.3; margin: 14vh 0 3vh 0; }
[data-testid="stMarkdownContainer"] .kp-sub { font-size: max(2.8vh, 18px) !important; color: #444; margin: 0 0 1vh 0; }
[data-testid="stMarkdownContainer"] .kp-body { font-size: max(2.4vh, 17px) !important; line-height: 1.45; margin: 0.4vh 0; }
[data-testid="stMarkdownContainer"] .kp-count { font-size: max(2.4vh, 17px) !important; color: #333; text-align: center; }
[data-testid="stButton"] button p { font-size: max(2.4vh, 17px) !important; }
.kp-chart [data-testid="stVegaLiteChart"], .st-key-kp-chart-0 [data-testid="stVegaLiteChart"], .st-key-kp-chart-1 [data-testid="stVegaLiteChart"] { height: 60vh !important; }
</style>
"""


def presentation_style() -> None:
    """Hall-sized type and no page chrome (our own fixed CSS; no user text inside)."""
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)


@st.cache_data(show_spinner=False, max_entries=16)
def _deck(folder: str, revision: int, project_revision: int, year: int):
    from kamiplan.outputs import slides

    info = plan_info(folder)
    trajs = dashboard.trajectories(
        indicators(folder), dashboard.series_cells(_current(folder, revision)), year, int(info["start_year"])
    )
    projects = _project_table(folder, project_revision, year)
    deck = slides.build_deck(pillars(folder), trajs, info, projects)
    return deck, {t.indicator["indicator_id"]: t for t in trajs}


def deck():
    """The slides and the trajectories they show, for the evaluation year (with 事業の実施状況 when entered)."""
    return _deck(folder(), store().revision(), project_store().revision(), evaluation_year())


def slide_number(total: int) -> int:
    """``?slide=N`` from the URL, clamped to 1..total (a typo never breaks the show)."""
    raw = st.query_params.get("slide", "1")
    try:
        n = int(str(raw).strip())
    except ValueError:
        n = 1
    return min(max(n, 1), total)


def _go(n: int) -> None:
    st.query_params["slide"] = str(n)


# Presenter keys, listened for on the app's own document: a components.v2 component runs its
# JavaScript in the page (no iframe), so keys arrive while focus is on the body, with no click first.
# A key sends the slide to show as a trigger value, and the page reruns as for the 「次へ」 button. It
# counts from the slide in the URL (where the last run went, whichever control moved it) or from the
# slide it last asked for and the URL does not show yet: presses faster than the page reruns are merged
# into one run by Streamlit, and the last one says where the presenter wants to be. Keys typed into a
# text field, and Space/Enter on a focused button or link (which press it), are left alone; a mouse
# click on 「前へ」「次へ」 leaves no focus behind, so a clicker's Space/Enter still means "next".
# Streamlit calls the function again when the data change and the returned cleanup only at unmount
# (leaving 発表モード): one listener per mounted component.
_SLIDE_KEYS_JS = """
const mounted = new WeakMap();
const BUTTONS = ".st-key-slide_prev button, .st-key-slide_next button";

export default function ({ parentElement, data, setTriggerValue }) {
  let me = mounted.get(parentElement);
  if (!me) {
    const typing = (el) => el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
    const pressable = (el) => el.closest && el.closest("button, a[href], summary, [role=button], [role=link]");
    const shown = () => {
      const raw = (new URLSearchParams(window.location.search).get("slide") || "").trim();
      return Math.min(Math.max(/^[+-]?[0-9]+$/.test(raw) ? Number(raw) : 1, 1), me.data.total);
    };
    const onKey = (e) => {
      if (e.defaultPrevented || e.isComposing || e.altKey || e.ctrlKey || e.metaKey) return;
      const move = me.data.keys[e.key];
      const el = e.composedPath()[0];
      if (!move || !el || typing(el) || ((e.key === " " || e.key === "Enter") && pressable(el))) return;
      e.preventDefault();
      const at = shown();
      const from = me.asked === null || me.asked === at ? at : me.asked;
      const to = { next: from + 1, previous: from - 1, first: 1, last: me.data.total }[move];
      if (to === from || to < 1 || to > me.data.total) return;  // at the ends: nothing
      me.asked = to;
      me.send("slide", to);
    };
    const onClick = (e) => {
      const button = e.target.closest && e.target.closest(BUTTONS);
      if (!button) return;
      me.asked = null;  // the button moves from the slide shown
      if (e.detail > 0) button.blur();
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    document.documentElement.dataset.kpSlideKeys = "on";  // listening (the browser tests wait for it)
    me = {
      asked: null,
      stop: () => {
        document.removeEventListener("keydown", onKey);
        document.removeEventListener("click", onClick);
        delete document.documentElement.dataset.kpSlideKeys;
      },
    };
    mounted.set(parentElement, me);
  }
  const token = {};
  Object.assign(me, { data, send: setTriggerValue, token });
  return () => {
    if (me.token !== token) return;  // a newer call owns the listener now
    me.stop();
    mounted.delete(parentElement);
  };
}
"""
SLIDE_KEYS_KEY = "slide_keys"


@functools.cache
def _slide_keys_component():
    return st.components.v2.component("kamiplan_slide_keys", js=_SLIDE_KEYS_JS)


def _slide_key_pressed(total: int) -> None:
    asked = st.session_state[SLIDE_KEYS_KEY]["slide"]
    if isinstance(asked, int):
        _go(min(max(asked, 1), total))


def slide_keys(total: int) -> None:
    """The presenter's keys (:data:`kamiplan.outputs.slides.KEYS`, what USB clickers send) move the slides."""
    from kamiplan.outputs import slides

    _slide_keys_component()(
        key=SLIDE_KEYS_KEY,
        data={"keys": slides.KEYS, "total": total},
        on_slide_change=functools.partial(_slide_key_pressed, total),
    )


def slide_controls(n: int, total: int) -> None:
    """「◀ 前へ」 n / total 「次へ ▶」 under the slide, and the presenter's keys; both stop at the ends."""
    cols = st.columns([1, 1, 1], vertical_alignment="center")
    cols[0].button("◀ 前へ", on_click=_go, args=(n - 1,), disabled=n <= 1, key="slide_prev", width="stretch")
    cols[1].markdown(f'<div class="kp-count">{n} / {total}</div>', unsafe_allow_html=True)
    cols[2].button("次へ ▶", on_click=_go, args=(n + 1,), disabled=n >= total, key="slide_next", width="stretch")
    with cols[1]:
        slide_keys(total)


def _html(tag: str, cls: str, text: str) -> None:
    import html

    st.markdown(html_block(f'<{tag} class="{cls}">{html.escape(text)}</{tag}>'), unsafe_allow_html=True)


def html_block(html: str) -> str:
    """``html`` as one HTML block for ``st.markdown``: a blank line (a text typed over two paragraphs)
    would end the block there and show the rest as Markdown, closing tags as text. HTML shows a run of
    line breaks as one space anyway, so nothing a reader sees changes."""
    return re.sub(r"\n\s*\n", "\n", re.sub(r"\r\n?", "\n", html))  # \r alone ends a line in Markdown too


# The 「事業の実施状況」 slide (kamiplan.outputs.htmlparts.project_slide): tiles of 評価 on the left, the
# 新規 list on the right, sized by the screen height like the rest of 発表モード (fits 1280×720).
PROJECT_SLIDE_CSS = """<style>
.kp-project .pslide { display: grid; grid-template-columns: 36fr 64fr; gap: 3vw; align-items: start; }
.kp-project .phead { font-size: max(2.8vh, 19px) !important; font-weight: 700; line-height: 1.3; margin: 0 0 1vh 0 !important; }
.kp-project .ptile { display: grid; grid-template-columns: 7vh 1fr auto; align-items: center; gap: 1.2vw; border: 3px solid #ccc; border-radius: 10px; padding: 0.3vh 1.4vw; margin: 0 0 1.1vh 0; }
.kp-project .ptile .letter { font-size: max(5.4vh, 36px); font-weight: 700; line-height: 1.1; text-align: center; }
.kp-project .ptile .word { font-size: max(2.8vh, 19px); font-weight: 700; line-height: 1.25; }
.kp-project .ptile .n { font-size: max(4vh, 26px); }
.kp-project .pgrade-A { border-color: #009E73; } .kp-project .pgrade-A .letter { color: #00714f; }
.kp-project .pgrade-B { border-color: #0072B2; } .kp-project .pgrade-B .letter { color: #005a8c; }
.kp-project .pgrade-C { border-color: #E69F00; } .kp-project .pgrade-C .letter { color: #8a5a00; }
.kp-project .pgrade-D { border-color: #D55E00; } .kp-project .pgrade-D .letter { color: #a34400; }
.kp-project .pgrade-none .letter { color: #555; }
.kp-project ul.plist { list-style: none; margin: 0 !important; padding: 0 !important; }
.kp-project ul.plist li { display: grid; grid-template-columns: 5.2em 1fr; gap: 1vw; margin: 0 0 0.6vh 0 !important; padding: 0 !important; font-size: max(2.8vh, 18px) !important; line-height: 1.4; }
.kp-project ul.plist li.more { display: block; color: #333; }
.kp-project .plist .status { border: 2px solid #888; border-radius: 8px; text-align: center; font-size: 0.85em; align-self: start; }
</style>"""


def full_width_chart(kind: str, parts: tuple, spec: Callable[[], dict]) -> None:
    """A chart across the page (a roll-up): drawn on the server at :data:`static_charts.FULL_WIDTHS` once it
    can be, interactive until then. ``spec()`` gives the chart's spec at the container's width."""
    if not static_chart(
        kind,
        parts,
        lambda width: static_charts.fit(spec(), width),
        static_charts.FULL_WIDTHS,
        functools.partial(static_charts.responsive_html, switch_at=static_charts.FULL_SWITCH_AT),
    ):
        st.vega_lite_chart(spec(), theme=None, width="stretch")


def grade_rollup(counts: pd.DataFrame) -> None:
    """The indicators' grade roll-up (概要): :func:`kamiplan.outputs.charts.grade_rollup_chart`."""
    full_width_chart(
        "grade_rollup", (pickle.dumps(counts),), lambda: charts.grade_rollup_chart(counts).to_dict(validate=False)
    )


def _slide_spec(traj: Trajectory, charts_on_slide: int, design: str) -> dict:
    """The slide's trajectory chart drawn for one screen design (:data:`static_charts.SLIDE_BOXES`)."""
    width, height = static_charts.SLIDE_BOXES[design][charts_on_slide]
    # The interactive slide's own spec (sized by its container, titles wrapped the same), given the box.
    spec = charts.trajectory_chart(traj, height=SLIDE_CHART_HEIGHT, font_scale=SLIDE_FONT_SCALE).to_dict(validate=False)
    return static_charts.fit(spec, width, height)


def _summary_spec(counts: pd.DataFrame) -> dict:
    """The 基本計画 roll-up of a 大綱 summary slide (whole names wrapped, 80 px bars)."""
    return charts.grade_rollup_chart(
        counts, font_scale=1.7, bar_step=SUMMARY_BAR_STEP, wrap=SUMMARY_LABEL_WRAP
    ).to_dict(validate=False)


def render_slide(slide, trajs: dict) -> None:
    """One slide: big title, at most two charts each with its grade and one plain sentence."""
    from kamiplan.model import narrative
    from kamiplan.outputs import htmlparts, slides

    if slide.kind in (slides.TITLE, slides.CLOSING):
        _html("h1", "kp-hero", slide.title)
        _html("p", "kp-sub", slide.subtitle)
        if slide.kind == slides.TITLE:
            info = plan_info(folder())
            _html(
                "p",
                "kp-sub",
                f"計画期間 {year_label(int(info['start_year']))}〜{year_label(int(info['end_year']))}年度",
            )
            if slide.note:
                _html("p", "kp-sub", slide.note)
        return
    _html("h1", "kp-title", slide.title)
    if slide.kind == slides.PROJECTS and slide.projects is not None:
        _html("p", "kp-sub", slide.subtitle)
        # Our fixed CSS and htmlparts' HTML, in which every text (project names) is escaped.
        body = htmlparts.project_slide(slide.projects)
        st.markdown(html_block(f'{PROJECT_SLIDE_CSS}<div class="kp-project">{body}</div>'), unsafe_allow_html=True)
        return
    if slide.kind == slides.NO_ACTUALS:
        _html("p", "kp-sub", slide.subtitle)
        for indicator_id in slide.indicator_ids:
            t = trajs[indicator_id]
            _html("p", "kp-body", f"{t.grade_text} {t.indicator['label']}(目標 {t.indicator['target_label']})")
        return
    if slide.kind == slides.PILLAR_SUMMARY:
        _html(
            "p",
            "kp-sub",
            f"{slide.subtitle} ・ 指標 {len(slide.indicator_ids)} ・ {year_label(evaluation_year())}年度の評価",
        )
        left, right = st.columns([3, 2])
        rows = [trajs[i] for i in slide.indicator_ids]
        counts = dashboard.grade_counts(
            pd.DataFrame(
                [{"pillar": t.indicator["pillar"], "policy": t.indicator["policy"], "grade": t.grade} for t in rows]
            ),
            "policy",
            pillars(folder()),
            policies(folder()),
        )
        # The whole 基本計画 name, wrapped over lines by the chart (issue 12: 「子育て支援…」 lost its meaning).
        counts["group"] = [
            g.split(")", 1)[0].replace(f"大綱{slide.pillar}", "") + ")" + g.split(")", 1)[1] for g in counts["group"]
        ]
        with left:
            if not static_chart(
                "summary",
                (pickle.dumps(counts),),
                lambda d: static_charts.fit(_summary_spec(counts), static_charts.SUMMARY_WIDTHS[d]),
                static_charts.SLIDE_DESIGNS,
                static_charts.slide_html,
            ):
                st.vega_lite_chart(_summary_spec(counts), theme=None, width="stretch")
        with right:
            _html("p", "kp-body", "大きく動いた指標")
            for indicator_id in slide.movers:
                t = trajs[indicator_id]
                _html("p", "kp-body", f"{narrative.headline(t)} {t.indicator['label']}: {narrative.sentence(t)}")
            if not slide.movers:
                _html("p", "kp-body", "前回から大きく動いた指標はありません。")
        return
    cols = st.columns(len(slide.indicator_ids) or 1)
    for col, indicator_id in zip(cols, slide.indicator_ids, strict=False):
        t = trajs[indicator_id]
        with col, st.container(key=f"kp-chart-{list(slide.indicator_ids).index(indicator_id)}"):
            if not static_chart(
                "slide",
                (_trajectory_key(t), len(cols)),
                functools.partial(_slide_spec, t, len(cols)),
                static_charts.SLIDE_DESIGNS,
                static_charts.slide_html,
            ):
                chart = charts.trajectory_chart(t, height=SLIDE_CHART_HEIGHT, font_scale=SLIDE_FONT_SCALE)
                st.altair_chart(chart, theme=None, width="stretch")
            _html("p", "kp-body", f"{narrative.headline(t)}: {narrative.sentence(t)}")


# -- 効果検証シート (issue 13 item 5) ------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=4)
def _review_sheet(folder: str, revision: int, project_revision: int, year: int, created) -> bytes:
    from kamiplan.outputs.review_sheet import review_workbook

    return review_workbook(
        _plan_db(folder).cursor(), _current(folder, revision), _project_current(folder, project_revision), year, created
    )


def review_sheet_download(year: int) -> None:
    """The 効果検証シート (Excel) of ``year``: built when clicked, cached until either store saves (or the day ends)."""
    from kamiplan.outputs.export import today_jst
    from kamiplan.outputs.review_sheet import review_filename

    st.download_button(
        labels.DOWNLOAD_REVIEW_SHEET,
        functools.partial(_review_sheet, folder(), store().revision(), project_store().revision(), year, today_jst()),
        file_name=review_filename(year),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="review_sheet_download",
        help=labels.DOWNLOAD_REVIEW_SHEET_HELP,
    )


# -- 事業の評価: pages (issue 13) — the year's project records on the 実施計画, 大綱 and 概要 pages ----------
# The modules of the frames and charts are imported inside the functions (as the slides' are).
@st.cache_data(show_spinner=False, max_entries=32)
def _project_rollup(folder: str, revision: int, year: int, by: tuple[str, ...]) -> pd.DataFrame:
    return project_rollup.rollup(_project_table(folder, revision, year), by)


def project_rollup_frame(year: int, by: tuple[str, ...] = ("pillar",)) -> pd.DataFrame:
    """The year's roll-up (:func:`kamiplan.model.project_rollup.rollup`), cached until the next save."""
    return _project_rollup(folder(), project_store().revision(), year, tuple(by))


def project_year_select(key: str, where=st) -> int:
    """年度 R7–R11 of the project records a page shows; it starts at the evaluation year of the sidebar
    (and starts there again when that year is changed)."""
    from kamiplan.model import project_views

    years = list(project_views.YEARS)
    default = evaluation_year()
    return selectbox(
        where,
        "年度",
        years,
        index=years.index(default) if default in years else 0,
        format_func=lambda y: f"{year_label(y)}年度",
        key=f"{key}_{default}",
        help="実施状況・評価・今後の方向性・決算額を表示する年度",
    )


def project_record_filters(key: str) -> tuple[list[str], list[str], list[str]]:
    """The multiselects 実施状況・評価・今後の方向性 (none chosen = all), in one row."""
    from kamiplan.model import project_views

    cols = st.columns(3)
    statuses = multiselect(
        cols[0], "実施状況", project_views.STATUS_OPTIONS, key=f"{key}_statuses", placeholder="すべての実施状況"
    )
    grades = multiselect(cols[1], "評価", project_views.GRADE_OPTIONS, key=f"{key}_grades", placeholder="すべての評価")
    directions = multiselect(
        cols[2], "今後の方向性", project_views.DIRECTION_OPTIONS, key=f"{key}_directions", placeholder="すべての方向性"
    )
    return statuses, grades, directions


# Pixels: a 1280×800 screen shows 事業名・詳細・実施状況・評価・今後の方向性・決算額 before the table scrolls, each
# heading whole (「今後の方向性」, 「決算額(千円)」) and every 評価 whole (「D 大幅な遅れ・未着手」).
PROJECT_COLUMN_WIDTHS = {
    "事業名": 210,
    labels.PROJECT_DETAIL_LINK: 70,
    "実施状況": 76,
    "評価": 150,
    "今後の方向性": 100,
    "決算額(千円)": 104,
    "予算額(千円)": 104,
    "担当課": 90,
    "年度": 110,
    "事業ID": 80,
}


def _project_columns(frame: pd.DataFrame) -> dict:
    """Column widths of the project tables: the four words narrow, texts wide, the link small."""
    from kamiplan.model import project_views as pv

    config = {}
    for column, width in PROJECT_COLUMN_WIDTHS.items():
        if column == labels.PROJECT_DETAIL_LINK:
            config[column] = st.column_config.LinkColumn(column, display_text=pv.LINK_TEXT, width=width)
        elif column in (pv.COL_SPENT, pv.COL_BUDGET):
            config[column] = st.column_config.NumberColumn(column, format="localized", width=width)
        else:
            config[column] = st.column_config.TextColumn(column, width=width)
    for column in ("概要", "取組内容・実績", "成果・課題"):
        config[column] = st.column_config.TextColumn(column, width="large")
    return {k: v for k, v in config.items() if k in frame.columns}


def project_list(frame: pd.DataFrame, links: list[str]) -> None:
    """The 実施計画 list of a year, each row with a link to its project view (a 再掲 row: to its original)."""
    from kamiplan.model import project_views as pv

    shown = frame.assign(**{labels.PROJECT_DETAIL_LINK: links})
    order = [c for c in shown.columns if c not in (labels.PROJECT_DETAIL_LINK, pv.COL_YEAR)]
    order.insert(1, labels.PROJECT_DETAIL_LINK)
    table(shown, column_order=order, column_config=_project_columns(shown))


def project_view(asked: str) -> None:
    """One project (``?project=ID``): the plan's words, every year R7–R11 of its record, its continuation
    rows and where it is 再掲."""
    from kamiplan.model import project_views as pv

    if st.button(labels.PROJECT_BACK, key="projects_clear"):
        st.query_params.clear()
        st.rerun()
    view = pv.find_project(actions(folder()), asked)
    if view is None:
        st.warning(escape_markdown(labels.PROJECT_UNKNOWN.format(asked=asked)))
        return
    first = view.first
    st.header(escape_markdown(f"{first['name']}({first['action_id']})"), anchor=False)
    st.markdown("  \n".join(escape_markdown(line) for line in pv.project_facts(view, measures(folder()))))
    st.subheader(labels.PROJECT_SUMMARY_HEADING, anchor=False)
    plain(first["summary"] or "(計画書に概要の記載はありません)")
    if len(view.rows) > 1:
        st.subheader(labels.PROJECT_ROWS_HEADING, anchor=False)
        rows = pv.project_rows_table(view)
        table(rows, column_config=_project_columns(rows))
    years = pv.project_years(view, project_records())
    st.subheader(labels.PROJECT_YEARS_HEADING, anchor=False)
    columns = [c for c in years.columns if len(view.rows) > 1 or c != pv.C["action_id"]]
    table(years, column_order=columns, column_config=_project_columns(years))
    st.subheader(labels.PROJECT_REPEATS_HEADING, anchor=False)
    places = pv.repeat_places(view, measures(folder()))
    if places.empty:
        st.caption(labels.PROJECT_NOT_REPEATED)
    pages = pillar_pages()
    for place in places.itertuples():
        target = pages.get(int(place.pillar))
        if target:
            st.page_link(target, label=f"{place.label} を含む大綱{place.pillar}のページへ")
        else:
            st.caption(escape_markdown(place.label))


@st.cache_data(show_spinner=False, max_entries=64)
def _project_status_spec(folder: str, revision: int, year: int, pillar: int, policy: int) -> dict:
    from kamiplan.outputs import project_charts

    summary = _project_rollup(folder, revision, year, ("pillar", "policy")).set_index(["pillar", "policy"])
    return project_charts.status_chart(summary.loc[(pillar, policy)]).to_dict(validate=False)


@st.cache_resource(show_spinner=False, max_entries=256)
def _policy_projects(folder: str, revision: int, year: int, pillar: int, policy: int) -> tuple[pd.Series, bool, str]:
    """(the 基本計画's row of the year's roll-up, whether anything is entered anywhere, its notes as Markdown)."""
    from kamiplan.model import project_views as pv

    rollup = _project_rollup(folder, revision, year, ("pillar", "policy"))
    summary = rollup.set_index(["pillar", "policy"]).loc[(pillar, policy)]
    notes = "  \n".join(escape_markdown(line) for line in pv.summary_notes(summary))
    return summary, bool(rollup["entered"].sum()), notes


def project_status(pillar: int, policy: int, year: int) -> None:
    """「事業の実施状況」 of one 基本計画: bars by 評価 and 実施状況, the amounts and 新規 in words, and the
    counts as a table (「表で見る」); a plain sentence instead when nothing is entered for the year."""
    from kamiplan.model import project_views as pv

    st.subheader(f"{labels.PROJECT_STATUS_HEADING}({year_label(year)}年度)", anchor=False)
    key = (folder(), project_store().revision(), year, pillar, policy)
    summary, anywhere, notes = _policy_projects(*key)
    if not int(summary["projects"]):
        st.caption(labels.PROJECT_NO_ACTIONS)
        return
    if not int(summary["entered"]):
        st.info(pv.not_entered_message(year, anywhere=anywhere))
        return
    cols = st.columns([3, 2])
    with cols[0]:
        if not static_chart("project_status", key, lambda _: _project_status_spec(*key), (None,)):
            st.vega_lite_chart(_project_status_spec(*key), theme=None, width="content")
    cols[1].markdown(notes)
    box = lazy_expander(
        f"表で見る:({policy}) の{labels.PROJECT_STATUS_HEADING}", key=f"project_status_{pillar}_{policy}"
    )
    if box.open:
        with box:
            table(pv.summary_table(summary))


def project_measures(pillar: int, policy: int, year: int) -> None:
    """The projects of each 施策 of one 基本計画, with the year's 実施状況・評価・今後の方向性."""
    from kamiplan.model import dashboard as dash
    from kamiplan.model import project_views as pv

    rows = project_table(year)
    rows = rows[(rows["pillar"] == pillar) & (rows["policy"] == policy)]
    part = measures(folder())
    part = part[(part["pillar"] == pillar) & (part["policy"] == policy)]
    st.caption(
        f"事業 {dash.project_count(rows)} 件(続きの行と再掲を除く)・{year_label(year)}年度の記録。"
        "再掲の行は元の事業の記録を表示します。「詳細」で年度ごとの記録を開きます。"
    )
    for heading, frame in pv.measure_tables(rows, part):
        st.markdown(f"**{escape_markdown(heading)}**")
        if frame.empty:
            st.caption("この施策の事業は実施計画にありません。")
            continue
        table(frame, column_config=_project_columns(frame))


@st.cache_data(show_spinner=False, max_entries=16)
def _project_rollup_spec(folder: str, revision: int, year: int) -> dict:
    from kamiplan.model import project_views as pv
    from kamiplan.outputs import project_charts

    rollup = _project_rollup(folder, revision, year, ("pillar",))
    counts = pv.grade_counts(rollup, pv.group_names(rollup, pillars(folder)))
    return project_charts.grade_rollup_chart(counts).to_dict(validate=False)


def project_pillar_rollup(year: int) -> None:
    """「事業の実施状況(大綱別)」 (概要): stacked bars by 評価 and the table of every count, with a CSV."""
    from kamiplan.model import project_views as pv

    st.header(labels.PROJECT_ROLLUP_HEADING, anchor=False)

    rollup = project_rollup_frame(year, ("pillar",))
    st.caption(
        f"{year_label(year)}年度の記録。事業は実施計画の行ごとに数え、再掲の行は元の事業の大綱で1回だけ数えます。"
        "予算額・決算額は入力された額の合計です(千円)。"
    )
    if not int(rollup["entered"].sum()):
        st.info(pv.not_entered_message(year))
        return
    key = (folder(), project_store().revision(), year)
    full_width_chart("project_rollup", key, lambda: _project_rollup_spec(*key))
    frame = pv.rollup_table(rollup, pv.group_names(rollup, pillars(folder())))
    static_table(frame, key="overview_projects", source=("project_rollup_table", *key), total_row=True)
    csv_download(
        frame,
        "事業の実施状況",
        [f"{year_label(year)}年度", "大綱別"],
        key="overview_projects",
        source=("project_rollup_table", *key),
    )


# -- 事業の評価: files on the page (the round trip with the departments, issue 13) ----------------------
def project_files_section(by: str, year: int) -> None:
    """The department template, the export and the upload of returned files, for the 「事業の評価」 tab.

    The same reader and rules as ``python -m kamiplan import-projects`` (:mod:`kamiplan.records.projects_io`):
    several files at once, all or nothing, a preview of 新規 / 変更 / 変更なし and every skipped line
    before anything is saved; the save carries what the preview saw, so a colleague's change in
    between is refused with both versions shown.
    """
    import hashlib

    from kamiplan.records.projects_io import (
        UnusualAmountsError,
        commit_project_import,
        plan_project_import,
        project_export_frame,
        project_template,
    )
    from kamiplan.records.store import StaleError

    acts = actions(folder())
    pstore = project_store()
    records = pstore.records()
    departments = sorted({r.department for r in records.values() if r.department})
    st.subheader(labels.PROJECT_FILES_HEADING, anchor=False)
    cols = st.columns([2, 2, 2])
    choice = selectbox(
        cols[0],
        labels.PROJECT_TEMPLATE_DEPARTMENT,
        ["", *departments],
        format_func=lambda d: d or labels.PROJECT_TEMPLATE_ALL,
        key=f"project_template_department_{year}",
    )
    cols[1].download_button(
        labels.PROJECT_TEMPLATE_BUTTON.format(year=year_label(year)),
        data=functools.partial(project_template, acts, records, year, choice or None),
        file_name=f"事業の評価_{year_label(year)}{'_' + choice if choice else ''}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key=f"project_template_{year}",
    )
    cols[2].download_button(
        labels.PROJECT_EXPORT_BUTTON,
        data=lambda: to_csv_export(project_export_frame(acts, pstore.records()), "utf-8-sig").data,  # on click
        file_name="事業の評価_記録済み.csv",
        mime="text/csv",
        on_click="ignore",
        key="project_export",
    )
    uploads = file_uploader(
        labels.PROJECT_UPLOAD_LABEL,
        multiple=True,
        key="project_upload",
        help=labels.PROJECT_UPLOAD_HELP.format(year=year_label(year)),
    )
    if not uploads:
        return
    files = [(u.name, u.getvalue()) for u in uploads]
    digest = hashlib.sha256(b"".join(n.encode() + b"\0" + d for n, d in files)).hexdigest()[:16]
    accept = bool(st.session_state.get(f"project_accept_{digest}", False))
    plan_key = f"project_plan_{digest}_{year}_{accept}"
    names = "、".join(n for n, _ in files)
    try:
        if plan_key not in st.session_state:
            forget(*[k for k in st.session_state if str(k).startswith("project_plan_")])
            st.session_state[plan_key] = plan_project_import(files, acts, pstore, year=year, accept_unusual=accept)
        plan = st.session_state[plan_key]
    except UnusualAmountsError as exc:
        show_problems(exc, labels.PROJECT_UNUSUAL_HEADING, warning=True)
        st.checkbox(labels.PROJECT_UNUSUAL_CONFIRM, key=f"project_accept_{digest}")
        return
    except InputError as exc:
        show_problems(exc, labels.PROJECT_FILES_REFUSED.format(names=names, n=len(exc.problems)))
        return
    project_import_preview(plan)
    if plan.changes and st.button(labels.PROJECT_IMPORT_COMMIT, type="primary", key="project_import_commit"):
        try:
            result = commit_project_import(plan, pstore, by=by)
        except StaleError as exc:
            show_problems(exc, labels.PROJECT_IMPORT_STALE)
            st.button(labels.PROJECT_IMPORT_RECHECK, key="project_import_recheck", on_click=forget, args=(plan_key,))
        except InputError as exc:
            show_problems(exc)
        else:
            st.session_state["edit_flash"] = labels.PROJECT_IMPORT_DONE.format(
                names=names, n=result.changed, revision=result.revision
            )
            forget(*[k for k in st.session_state if str(k).startswith("project_plan_")])
            st.rerun()


def project_import_preview(plan) -> None:
    """What an import of project files would do, before anything is saved."""
    counts = plan.counts
    st.write(
        escape_markdown(
            labels.PROJECT_PREVIEW_SUMMARY.format(
                files=len(plan.filenames),
                new=counts.get("新規", 0),
                changed=counts.get("変更", 0),
                same=counts.get("変更なし", 0),
                skipped=len(plan.skipped),
            )
        )
    )
    if not plan.changes:
        st.info(labels.PROJECT_PREVIEW_NO_CHANGE)
    else:
        table(plan.changes_frame())
    for heading, frame in (
        (labels.PROJECT_PREVIEW_CONVERSIONS, plan.conversions_frame()),
        (labels.PROJECT_PREVIEW_NOTICES, plan.notices_frame()),
        (labels.PROJECT_PREVIEW_UNUSUAL, plan.notices_frame("unusual")),
        (labels.PROJECT_PREVIEW_SKIPPED.format(n=len(plan.skipped)), plan.skipped_frame()),
    ):
        if len(frame):
            st.caption(escape_markdown(heading))
            table(frame)


# -- 事業の評価 on the edit page ---------------------------------------------------------------------
def project_editor_columns() -> dict:
    """The 事業の評価 table's columns: the plan's cells read-only, choices from the lists, amounts read on save.

    Amounts are text cells (full-width digits typed with the IME on are read, not dropped as a number column
    drops them); 評価 shows 「A 計画どおり以上」 but stores the letter.
    """
    from kamiplan.records import project_editing as pe
    from kamiplan.records.projects import DIRECTIONS, STATUSES

    def fixed(column: str, width: int, **kwargs):
        return st.column_config.TextColumn(column, disabled=True, width=width, **kwargs)

    return {
        pe.COL_ID: fixed(pe.COL_ID, 80),
        pe.COL_NAME: fixed(pe.COL_NAME, 190, pinned=True),
        pe.COL_SUMMARY: fixed(pe.COL_SUMMARY, 200, help=labels.PROJECT_SUMMARY_HELP),
        pe.COL_TAG: fixed(pe.COL_TAG, 60),
        pe.COL_STATUS: st.column_config.SelectboxColumn(
            pe.COL_STATUS, options=list(STATUSES), help=labels.PROJECT_STATUS_HELP, width=100
        ),
        pe.COL_GRADE: st.column_config.SelectboxColumn(
            pe.COL_GRADE,
            options=list(pe.GRADE_LETTERS),
            format_func=pe.grade_choice,
            help=labels.PROJECT_GRADE_HELP,
            width=170,
        ),
        pe.COL_PREVIOUS_DIRECTION: fixed(pe.COL_PREVIOUS_DIRECTION, 130, help=labels.PROJECT_PREVIOUS_HELP),
        pe.COL_DIRECTION: st.column_config.SelectboxColumn(
            pe.COL_DIRECTION, options=list(DIRECTIONS), help=labels.PROJECT_DIRECTION_HELP, width=120
        ),
        pe.COL_BUDGET: st.column_config.TextColumn(pe.COL_BUDGET, help=labels.PROJECT_AMOUNT_HELP, width=130),
        pe.COL_SPENT: st.column_config.TextColumn(pe.COL_SPENT, help=labels.PROJECT_AMOUNT_HELP, width=130),
        pe.COL_WORK: st.column_config.TextColumn(pe.COL_WORK, max_chars=2000, width="large"),
        pe.COL_OUTCOME: st.column_config.TextColumn(pe.COL_OUTCOME, max_chars=2000, width="large"),
        pe.COL_DEPARTMENT: st.column_config.TextColumn(
            pe.COL_DEPARTMENT, max_chars=pe.MAX_TEXT, help=labels.PROJECT_DEPARTMENT_HELP, width=130
        ),
    }
