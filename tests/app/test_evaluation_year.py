"""The 評価年度 the pages open on (the default of kamiplan.model.dashboard.default_year, said in the sidebar when
it is not the latest year with data), a choice that wins over it, and 発表モード's ``?year=R7`` in the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kamiplan import labels
from kamiplan.records.actuals_store import ActualsStore, Cell, Change
from kamiplan.text import escape_markdown
from tests.conftest import DATA, PROJECT
from tests.synthetic import LABEL, add_early_value, populated_folder

# テスト用の架空データ: 38 of the 46 indicators have R7 and R8 values; 人口 (0-V1) one early R9 value too.
EARLY_NOTE = "R9(2027)年度の実績は、まだ46指標のうち1指標だけです。"


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


def param(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) else value


def hero_sub(at: AppTest) -> str:
    """The title slide's line 「… 進捗状況(R8(2026)年度)」."""
    return next(m.value for m in at.markdown if 'class="kp-sub"' in m.value and "進捗状況" in m.value)


def slide_count(at: AppTest) -> str:
    return next(m.value for m in at.markdown if 'class="kp-count"' in m.value).split(">")[1].split("<")[0]


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
    assert param(slides, "year") == "R8"


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
    assert not at.exception and "進捗状況(R9(2027)年度)" in hero_sub(at) and param(at, "year") == "R9"


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


def test_the_presentation_url_carries_the_year(early, monkeypatch):
    """A link (or a reload) with ?year=R7&slide=N opens that slide of that year; the year stays in the URL."""
    at = present(early, monkeypatch, year="R7")
    assert "進捗状況(R7(2025)年度)" in hero_sub(at) and year_of(at) == 2025
    assert param(at, "year") == "R7" and not at.toast
    total = int(slide_count(at).split(" / ")[1])
    at = present(early, monkeypatch, year="R7", slide="5")
    assert slide_count(at).startswith("5 / ") and param(at, "year") == "R7"
    next(b for b in at.button if b.key == "slide_next").click().run()
    assert slide_count(at).startswith("6 / ") and param(at, "year") == "R7" and param(at, "slide") == "6"
    assert list(at.query_params)[0] == "year"  # ?year=R7&slide=6
    # The sidebar (hidden in 発表モード, but it can be opened) changes the year of the URL too.
    at.selectbox(key="eval_year").set_value(2027).run()
    assert param(at, "year") == "R9" and param(at, "slide") == "6" and total > 6


@pytest.mark.parametrize("asked", ["R99", "2031", "abc", "R6", "[R7](https://example.com)"])
def test_a_wrong_year_in_the_url_falls_back_to_the_default_and_says_so(early, monkeypatch, asked):
    at = present(early, monkeypatch, year=asked, slide="2")
    assert year_of(at) == 2026 and slide_count(at).startswith("2 / ")
    said = labels.PRESENT_YEAR_UNKNOWN.format(asked=asked[:20], first="R7", last="R11", year="R8(2026)")
    assert said.startswith(f"URL の評価年度「{asked[:20]}」は計画期間(R7〜R11年度)の年度ではないため、R8(2026)")
    assert [t.value for t in at.toast] == [escape_markdown(said)]  # a link in the URL is shown as text
    assert param(at, "year") == "R8"  # the URL now names the year shown: a reload says nothing more
    at.run()
    assert not at.toast and year_of(at) == 2026


def test_a_year_typed_in_full_width_or_lower_case_is_read(early, monkeypatch):
    at = present(early, monkeypatch, year="ｒ７")
    assert year_of(at) == 2025 and param(at, "year") == "R7" and not at.toast
