"""The 評価年度 the pages open on (the default of kamiplan.model.dashboard.default_year, said in the sidebar when
it is not the latest year with data), and a choice that wins over it."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kamiplan.records.actuals_store import ActualsStore, Cell, Change
from tests.conftest import DATA, PROJECT
from tests.synthetic import LABEL, add_early_value, populated_folder

# テスト用の架空データ: 38 of the 46 indicators have R7 and R8 values; 人口 (0-V1) one early R9 value too.
EARLY_NOTE = "R9(2027)年度の実績は、まだ46指標のうち1指標だけです。"


@pytest.fixture(autouse=True)
def served(monkeypatch):
    """Every run goes through app.py (its sidebar sets the year), as on the server: AppTest resets Streamlit's
    legacy pages-folder flag before each run, and with ``pages/`` beside app.py a run after the first ran the
    page file alone. serve.py clears the flag at server start; here it is cleared after each reset."""
    init = PagesManager.__init__

    def clear_flag(self, *args, **kwargs):
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", clear_flag)


@pytest.fixture(scope="module")
def early(tmp_path_factory):
    folder = populated_folder(tmp_path_factory.mktemp("early") / "data", DATA)
    add_early_value(folder, "0-V1", 2027)
    return folder


def open_app(folder, monkeypatch, url_path: str = "", script: str = "", **params) -> AppTest:
    """The app on ``url_path`` (``""``: 概要), with ``params`` in the URL when that page runs."""
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(folder))
    monkeypatch.delenv("KAMIPLAN_READONLY", raising=False)
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
    if url_path:
        at.switch_page(script)
        at._page_hash = calc_hash(url_path)  # one module serves every 大綱: pick it by URL path
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def present(folder, monkeypatch, **params) -> AppTest:
    return open_app(folder, monkeypatch, "present", "pages/present.py", **params)


def year_of(at: AppTest) -> int:
    """The 評価年度 of the sidebar."""
    return int(at.selectbox(key="eval_year").value)


def hero_sub(at: AppTest) -> str:
    """The title slide's line 「… 進捗状況(R8(2026)年度)」."""
    return next(m.value for m in at.markdown if 'class="kp-sub"' in m.value and "進捗状況" in m.value)


def sidebar_texts(at: AppTest) -> list[str]:
    return [e.value for e in [*at.sidebar.caption, *at.sidebar.warning]]


def test_pages_open_on_the_year_most_indicators_have(early, monkeypatch):
    """One early R9 value made every page (and the slides) open on R9, where 45 of 46 indicators are 評価不能."""
    at = open_app(early, monkeypatch)
    assert year_of(at) == 2026
    assert at.header[0].value == "計画全体の目標(R8(2026)年度の評価)"
    notes = [c for c in sidebar_texts(at) if c.startswith(EARLY_NOTE)]
    assert notes == [EARLY_NOTE + "そのため評価年度は、38指標の実績がある R8(2026)年度にしています(上で選べます)。"]
    pillar = open_app(early, monkeypatch, "pillar1", "pages/pillar.py")
    assert "大綱1 の指標一覧(R8(2026)年度)" in [h.value for h in pillar.header]
    slides = present(early, monkeypatch)
    assert "進捗状況(R8(2026)年度)" in hero_sub(slides)


def test_a_chosen_year_wins_and_the_sidebar_says_how_few_it_has(early, monkeypatch):
    at = open_app(early, monkeypatch)
    at.selectbox(key="eval_year").set_value(2027).run()
    assert at.header[0].value == "計画全体の目標(R9(2027)年度の評価)"
    assert at.sidebar.warning[0].value == (
        "R9(2027)年度の実績は、46指標のうち1指標だけです。実績のない指標は「− 評価不能」になります。"
        "多くの指標の実績があるのは R8(2026)年度です。"
    )
    assert not [c for c in sidebar_texts(at) if c.startswith(EARLY_NOTE)]
    at.switch_page("pages/present.py").run()  # another page keeps the choice
    assert not at.exception and "進捗状況(R9(2027)年度)" in hero_sub(at)


def test_the_default_follows_saved_actuals_until_someone_chooses(tmp_path, monkeypatch):
    folder = populated_folder(tmp_path / "data", DATA)
    at = open_app(folder, monkeypatch)
    assert year_of(at) == 2026
    store = ActualsStore(folder)
    r8 = {s: c for (s, y), c in store.cells().items() if y == 2026}
    store.save(
        [Change(s, 2027, Cell(c.value, LABEL, "テスト"), Cell()) for s, c in r8.items()], by="テスト", how="form"
    )
    at.run()  # R9 is complete now: a page opened without a choice moves on
    assert year_of(at) == 2027
    at.selectbox(key="eval_year").set_value(2025).run()
    store.save([Change("0-V1", 2028, Cell(2000.0, LABEL, "テスト"), Cell())], by="テスト", how="form")
    at.run()
    assert year_of(at) == 2025  # the choice stays
