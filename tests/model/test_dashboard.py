"""Dashboard view models: roll-ups, tables, project counts, action filters (DuckDB, bound parameters)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamiplan.model import dashboard
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from tests.conftest import DATA


@pytest.fixture(scope="module")
def con():
    return PlanDB(DATA).cursor()


@pytest.fixture
def report(indicators):
    current = pd.DataFrame(
        {
            "series_id": ["0-V1", "1-3-K1", "1-1-T2"],
            "year": [2026, 2026, 2026],
            "value": [2250.0, 0.5, 100.0],
            "note": "",
            "source": "",
        }
    )
    return dashboard.evaluate(indicators.reset_index(drop=True), current, 2026, 2025)


def test_grade_counts_and_rollup(con, report):
    pillars, policies = queries.pillars(con), queries.policies(con)
    counts = dashboard.grade_counts(report, "pillar", pillars, policies)
    assert counts["group"].unique().tolist() == [
        "計画全体",
        "大綱1 健康で心豊かに暮らせるまち",
        "大綱2 活気とにぎわいがあふれるまち",
        "大綱3 生活環境が整った住みよいまち",
        "大綱4 次世代につなげるまち",
    ]
    table = dashboard.rollup_table(counts).set_index("区分")
    assert table.loc["計画全体", "△ やや遅れ"] == 1 and table.loc["計画全体", "計"] == 11
    assert table.loc["大綱1 健康で心豊かに暮らせるまち", "◎ 達成"] == 2  # 要介護2号 0.5 ≤ 0.6, 妊婦健診 100
    assert table["計"].sum() == 46
    by_policy = dashboard.grade_counts(report, "policy", pillars, policies)
    assert "大綱3(1) 快適で住みよいまちづくり" in set(by_policy["group"])
    assert by_policy.groupby("group")["count"].sum().sum() == 46


def test_indicator_table(report):
    table = dashboard.indicator_table(report)
    # At 1280×800 the first columns are what people look for; ID and 区分 last (issue 12).
    assert table.columns[:4].tolist() == ["指標名", "実績", "評価", "目標値(R11)"]
    assert table.columns[-2:].tolist() == ["区分", "指標ID"]
    pop = table.set_index("指標ID").loc["0-V1"]
    # recorded as recorded; the path one decimal beyond the plan's whole people (2,270.8, not 2,271)
    assert (pop["実績"], pop["計画線上の値"], pop["評価"]) == (2250.0, 2270.8, "△ やや遅れ")
    assert (pop["基準値(数値)"], pop["目標値(数値)"]) == (2438.0, 2020.0)


def test_values_keep_the_plans_decimals(report):
    table = dashboard.indicator_table(report).set_index("指標ID")
    rates = table[["進捗率(%)", "達成率(%)"]].stack().dropna()
    assert all(round(v, 1) == v for v in rates)


def test_action_filters(con, actions):
    assert len(queries.filter_actions(con)) == 196
    repeats = queries.filter_actions(con, tags=["再掲"])
    assert len(repeats) == 10 and repeats["is_repeat"].all()
    assert (
        len(queries.filter_actions(con, tags=["新規", "再掲"])) == len(queries.filter_actions(con, tags=["新規"])) + 5
    )
    assert len(queries.filter_actions(con, tags=["拡充"])) == 10
    assert len(queries.filter_actions(con, tags=["なし"])) == (actions["tag"] == "").sum() == 148
    ict = queries.filter_actions(con, keyword="ict")["name"].tolist()  # case-insensitive, in 事業名 or 概要
    assert ict == [
        "小中学校における教育支援アプリ等の積極的な利用",
        "ICT 支援員配置事業",
        "介護予防事業のICT化",
        "介護予防事業のICT化",
    ]
    assert len(queries.filter_actions(con, keyword="100%' OR '1'='1")) == 0
    assert len(queries.filter_actions(con, pillar=3, policy=1, measure=6)) == 3
    assert queries.filter_actions(con, project="1-2-2-09")["is_continuation"].tolist() == [False] + [True] * 9


def test_action_table_and_counts(con):
    rows = queries.filter_actions(con, pillar=1, policy=3)
    table = dashboard.action_table(rows)
    assert table.columns.tolist() == ["事業ID", "位置", "施策", "事業名", "概要", "備考", "再掲元"]
    care = table[(table["事業名"] == "ケアラー支援推進事業") & (table["備考"] == "新規 (再掲)")].iloc[0]
    assert care["位置"] == "大綱1(3)②" and care["再掲元"] == "大綱1(3)① 1-3-1-02"
    assert dashboard.project_count(queries.filter_actions(con)) == 172
    assert dashboard.project_count(rows) == len(rows) - 4 - 4  # 4 continuation rows, 4 再掲 rows in 大綱1(3)


# -- the default 評価年度 ------------------------------------------------------------------------------
# An invented plan of ten indicators (series a–j) over 2025–2029, and actuals written as {year: "series with a
# value"}: the rule sees only which indicator has a value in which year (no figure of the town's).
SERIES = "abcdefghij"
TEN = pd.DataFrame({"series_id": list(SERIES)})


def recorded(by_year: dict[int, str]) -> pd.DataFrame:
    """Actuals of the invented plan: one row per series letter and year, any value (the rule counts them)."""
    rows = [(s, year, 1.0) for year, letters in by_year.items() for s in letters]
    return pd.DataFrame(rows, columns=["series_id", "year", "value"])


@pytest.mark.parametrize(
    ("by_year", "expected"),
    [
        ({}, 2025),  # no data: the first plan year
        ({1995: SERIES, 2020: SERIES, 2031: SERIES}, 2025),  # history before the plan and after it: not counted
        ({2025: SERIES, 2026: "a"}, 2025),  # one early value in the next year (人口 of 4月1日 R8)
        ({2025: SERIES, 2027: "a"}, 2025),  # one early value two years on
        ({2025: SERIES, 2026: "ab", 2027: "a", 2029: "c"}, 2025),  # a few early values in several years
        ({2025: SERIES, 2026: "abcd"}, 2025),  # R8 coming in: 4 of 10, under half
        ({2025: SERIES, 2026: "abcde"}, 2026),  # half have arrived: R8 is evaluated now
        ({2025: SERIES, 2026: SERIES[2:], 2027: "a"}, 2026),  # census-like a, b only every 5 years: R8 all the rest
        ({2025: SERIES, 2026: SERIES[2:], 2027: SERIES[2:], 2030: "ab"}, 2027),  # … and the year after
        ({2025: "ab", 2026: "cde", 2027: "cde"}, 2027),  # 国勢調査 indicators in 2025, the others later
        ({y: SERIES for y in range(2025, 2030)}, 2029),  # every year complete: the last
        ({2025: SERIES, 2026: SERIES, 2027: "abcd"}, 2026),  # R8 complete: R8
        ({2025: "abcdef", 2026: "abcdef"}, 2026),  # a tie: the later year
        ({2025: "abcdef", 2026: "ghijab", 2027: "a"}, 2026),  # a tie and one early value after it
        ({2026: "a"}, 2026),  # a single value anywhere: its year (it is all there is)
    ],
)
def test_default_year(by_year, expected):
    choice = dashboard.default_year(recorded(by_year), TEN, 2025, 2029)
    assert choice.year == expected
    assert list(choice.counts) == [2025, 2026, 2027, 2028, 2029] and choice.total == 10


def test_default_year_counts_what_the_pages_count():
    """Indicator rows, as 「R8 は46指標のうち3指標」 says: a series printed in two places counts twice; a missing
    value and a series the plan does not have count nothing; the inputs are not changed."""
    plan = pd.DataFrame({"series_id": ["a", "a", "b", "c", "d"]})  # 合計特殊出生率 is printed twice, as a
    actuals = recorded({2025: "bcd", 2026: "a", 2027: "z"})
    actuals.loc[len(actuals)] = ["b", 2027, float("nan")]
    before = actuals.copy(), plan.copy()
    choice = dashboard.default_year(actuals, plan, 2025, 2029)
    assert choice.counts == {2025: 3, 2026: 2, 2027: 0, 2028: 0, 2029: 0} and choice.total == 5
    assert choice.year == 2026  # 2 of the 5 rows against 3: at least half
    assert choice.later == {} and dashboard.default_year(
        recorded({2025: "bcd", 2026: "b"}), plan, 2025, 2029
    ).later == {2026: 1}
    pd.testing.assert_frame_equal(actuals, before[0])
    pd.testing.assert_frame_equal(plan, before[1])


def test_default_year_refuses_an_empty_period():
    with pytest.raises(ValueError):
        dashboard.default_year(recorded({}), TEN, 2029, 2025)


PLAN_YEARS = range(2025, 2030)
some_actuals = st.dictionaries(
    st.integers(2020, 2031), st.sets(st.sampled_from(SERIES), max_size=10).map("".join), max_size=8
)


@settings(max_examples=200, deadline=None)
@given(by_year=some_actuals, data=st.data())
def test_default_year_property(by_year, data):
    """The default is always a plan year; one more value in a later year moves it only to that year, and only
    when that year then has values for at least half as many indicators as the best-covered year."""
    before = dashboard.default_year(recorded(by_year), TEN, 2025, 2029)
    assert before.year in PLAN_YEARS
    later = [y for y in PLAN_YEARS if y > before.year and len(by_year.get(y, "")) < len(SERIES)]
    if not later:
        return
    year = data.draw(st.sampled_from(later))
    letter = data.draw(st.sampled_from([s for s in SERIES if s not in by_year.get(year, "")]))
    after = dashboard.default_year(recorded(by_year | {year: by_year.get(year, "") + letter}), TEN, 2025, 2029)
    assert after.year in (before.year, year)
    assert (after.year == year) == (2 * after.counts[year] >= after.most)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("R7", 2025), ("r8", 2026), ("Ｒ８", 2026), ("2027", 2027), ("令和11年度", 2029), (" R9 ", 2027)]
    + [("R12", None), ("R6", None), ("2030", None), ("abc", None), ("", None), (None, None), ("R7&slide=2", None)],
)
def test_year_from_param(text, expected):
    assert dashboard.year_from_param(text, 2025, 2029) == expected


def test_year_param_is_the_office_short_form():
    assert [dashboard.year_param(y) for y in (2025, 2029)] == ["R7", "R11"]
    assert all(dashboard.year_from_param(dashboard.year_param(y), 2025, 2029) == y for y in PLAN_YEARS)


def test_shared_series_lists_the_other_places(con):
    from kamiplan.model.dashboard import other_places, shared_series
    from kamiplan.plan.queries import indicators

    inds = indicators(con)
    shared = shared_series(inds)
    # 合計特殊出生率 and 社会増減数 are printed twice (plan-wide and in a 大綱): four rows, each pointing to the other.
    assert sorted(shared) == ["0-P1", "0-P2", "1-1-T1", "2-2-T1"]
    assert [o["indicator_id"] for o in shared["0-P1"]] == ["1-1-T1"]
    for indicator_id in inds["indicator_id"]:
        ids = [o["indicator_id"] for o in other_places(inds, indicator_id)]
        assert [o["indicator_id"] for o in shared.get(indicator_id, [])] == ids


def test_filter_report_by_policy_and_grade(report):
    assert dashboard.GRADE_FILTER_OPTIONS == ["◎ 達成", "○ 順調", "△ やや遅れ", "× 遅れ", "− 評価不能"]
    # Nothing chosen: every indicator.
    assert len(dashboard.filter_report(report)) == len(report) == 46
    # 1-3-K1 (介護保険2号認定率 0.76% → 0.60%, lower): 0.5 in 2026 is past the target → 達成.
    achieved = dashboard.filter_report(report, grades=["◎ 達成"])
    assert "1-3-K1" in set(achieved["indicator_id"]) and set(achieved["grade"]) == {"A"}
    # 人口 2,250 in 2026: behind the path (2,270.8), above the floor → やや遅れ, in the plan-wide part (policy 0).
    late = dashboard.filter_report(report, grades=["△ やや遅れ", "× 遅れ"])
    assert "0-V1" in set(late["indicator_id"]) and set(late["grade"]) <= {"C", "D"}
    # One 基本計画: only its rows, and the grade filter still applies.
    policy = dashboard.filter_report(report[report["pillar"] == 1], policy=3)
    assert set(policy["policy"]) == {3} and "1-3-K1" in set(policy["indicator_id"])
    both = dashboard.filter_report(report[report["pillar"] == 1], policy=3, grades=["◎ 達成"])
    assert both["indicator_id"].tolist() == policy[policy["grade"] == "A"]["indicator_id"].tolist()
    assert "1-3-K1" in set(both["indicator_id"]) and len(both) < len(policy)


def test_count_caption_explains_repeats(con):
    repeats = queries.filter_actions(con, tags=["再掲"])
    assert dashboard.count_caption(repeats) == "10 行 ・ 事業 0 件(再掲 10 行は元の事業に数えます)"
    everything = dashboard.count_caption(queries.filter_actions(con))
    assert everything.startswith("196 行 ・ 事業 172 件(再掲 10 行は元の事業に数えます。事業名が空欄の続きの行 14 行")


def test_a_recorded_value_is_never_rounded_away(con):
    """98.5 beside a plan written in whole percents (100%): the table said 98 while the chart said 98.5."""
    inds = queries.indicators(con)
    actuals = pd.DataFrame(
        [
            {"series_id": "1-1-T2", "year": 2025, "value": 98.5},  # 妊婦健診, plan 100%
            {"series_id": "0-S6", "year": 2025, "value": 7.56},  # plan 8.2%
            {"series_id": "1-3-T1", "year": 2025, "value": 74.75},  # 平均自立期間(男), plan 74.7 → 74.9
        ]
    )
    table = dashboard.indicator_table(dashboard.evaluate(inds, actuals, 2025, 2025)).set_index("指標ID")
    assert table.loc["1-1-T2", "実績"] == 98.5 and table.loc["0-S6", "実績"] == 7.56
    assert (
        table.loc["1-3-T1", "実績"] == 74.75 and table.loc["1-3-T1", "計画線上の値"] == 74.77
    )  # behind the path, visibly


def test_pillar_view_lists_each_policy_with_the_indicators_shown(report, indicators, con):
    """大綱1 of the plan: its 3 基本計画 and 15 indicator rows, filtered as the page's filters ask."""
    inds = indicators.reset_index(drop=True)
    pillar = inds[inds["pillar"] == 1]
    policies = [int(p) for p in queries.policies(con).query("pillar == 1")["policy"]]
    part = report[report["pillar"] == 1]

    everything = dashboard.pillar_view(part, pillar, policies)
    assert list(everything.shown) == policies == [1, 2, 3]
    assert [i for ids in everything.shown.values() for i in ids] == pillar["indicator_id"].tolist()
    assert everything.shown[2] == ("1-2-T1", "1-2-K1", "1-2-K2", "1-2-K3")
    assert everything.table["指標ID"].tolist() == pillar["indicator_id"].tolist()

    one = dashboard.pillar_view(part, pillar, policies, policy=3)
    assert list(one.shown) == [3] and one.table["指標ID"].tolist() == list(one.shown[3])

    # A grade filter keeps every 基本計画 (a section says nothing is shown), with only the matching rows.
    achieved = dashboard.pillar_view(part, pillar, policies, grades=["◎ 達成"])
    # 1-1-T2 (100 in 2026) and 1-3-K1 (0.5 %, past its lower target) are 達成; nothing of (2) is.
    assert achieved.shown == {1: ("1-1-T2",), 2: (), 3: ("1-3-K1",)}
    assert achieved.table["指標ID"].tolist() == ["1-1-T2", "1-3-K1"]
    assert set(achieved.table["評価"]) == {"◎ 達成"}

    # A 基本計画 without any indicator is still a section (empty), as on the page.
    assert dashboard.pillar_view(part, pillar, [*policies, 9]).shown[9] == ()
