"""事業の実施状況 as the pages show it: list, filters, one project's years, roll-up tables (テスト用の架空データ)."""

from __future__ import annotations

import pandas as pd
import pytest

from kamiplan.model import project_views as pv
from kamiplan.model.project_rollup import project_table, rollup
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from kamiplan.records.projects import PROJECTS, ProjectRecord
from tests.conftest import DATA
from tests.synthetic import synthetic_project_changes


@pytest.fixture(scope="module")
def con():
    return PlanDB(DATA).cursor()


@pytest.fixture(scope="module")
def actions(con) -> pd.DataFrame:
    return queries.actions(con)


def _current(records: dict[tuple[str, int], ProjectRecord]) -> pd.DataFrame:
    rows = [{"action_id": k, "year": y} | vars(r) for (k, y), r in records.items()]
    return pd.DataFrame(rows, columns=["action_id", "year", *PROJECTS.field_names])


@pytest.fixture(scope="module")
def synthetic(actions) -> pd.DataFrame:
    changes = synthetic_project_changes(actions, (2025,))
    return pd.DataFrame([{"action_id": c.key, "year": c.year} | vars(c.new) for c in changes])


RECORDS = {
    ("1-1-1-01", 2025): ProjectRecord(status="実施", grade="B", direction="継続", budget=1200.0, spent=1150.5),
    ("1-1-1-02", 2025): ProjectRecord(status="未実施", grade="D"),
    ("1-3-1-20", 2025): ProjectRecord(status="一部実施", grade="C", direction="改善", department="テスト課"),
    ("1-3-1-20", 2027): ProjectRecord(status="完了", grade="A", direction="完了", spent=80.0),
}


def test_the_list_shows_the_year_words_beside_the_name(con, actions):
    rows = pv.with_records(queries.filter_actions(con, pillar=1), project_table(actions, _current(RECORDS), 2025))
    table = pv.project_list(rows, 2025).set_index("事業ID")
    assert list(table.columns[:6]) == ["事業名", "実施状況", "評価", "今後の方向性", "決算額(千円)", "予算額(千円)"]
    assert table.loc["1-1-1-01", ["実施状況", "評価", "今後の方向性"]].tolist() == ["実施", "B 概ね計画どおり", "継続"]
    assert table.loc["1-1-1-01", "決算額(千円)"] == 1150.5 and table.loc["1-1-1-01", "年度"] == "R7(2025)年度"
    # Not entered: words the filters offer, amounts empty (not 0).
    assert table.loc["1-1-1-03", ["実施状況", "評価", "今後の方向性"]].tolist() == ["未入力", "未評価", "未入力"]
    assert pd.isna(table.loc["1-1-1-03", "決算額(千円)"])
    # A 再掲 row shows its original's record and says where the original is.
    assert table.loc["1-3-2-04", "実施状況"] == "一部実施" and table.loc["1-3-2-04", "担当課"] == "テスト課"
    assert table.loc["1-3-2-04", "再掲元"] == "大綱1(3)① 1-3-1-20"
    assert table.loc["1-3-2-04", "位置"] == "大綱1(3)②"


def test_filters_combine_and_a_repeat_row_follows_its_original(con, actions):
    table = project_table(actions, _current(RECORDS), 2025)
    rows = pv.with_records(queries.filter_actions(con), table)
    assert pv.filter_records(rows).equals(rows)  # nothing chosen: every row
    started = pv.filter_records(rows, statuses=["一部実施"])
    assert started["action_id"].tolist() == ["1-3-1-20", "1-3-2-04"]
    assert pv.filter_records(rows, statuses=["一部実施"], grades=["A 計画どおり以上"]).empty
    not_graded = pv.filter_records(rows, grades=[pv.NOT_GRADED])
    assert len(not_graded) == 196 - 3 - 1  # three graded records, and the 再掲 row showing one of them
    chosen = pv.filter_records(rows, directions=["継続", "改善"])
    assert set(chosen["action_id"]) == {"1-1-1-01", "1-3-1-20", "1-3-2-04"}
    plan_columns = queries.filter_actions(con).columns.tolist()
    assert rows.columns[: len(plan_columns)].tolist() == plan_columns  # the plan's columns first, unchanged


def test_filter_options_are_the_plan_words_then_the_blank():
    assert pv.STATUS_OPTIONS == ("実施", "一部実施", "未実施", "検討中", "完了", "休止", "廃止", "未入力")
    assert pv.GRADE_OPTIONS[0] == "A 計画どおり以上" and pv.GRADE_OPTIONS[-1] == "未評価"
    assert pv.DIRECTION_OPTIONS[-1] == "未入力" and len(pv.DIRECTION_OPTIONS) == 9


def test_with_records_does_not_modify_its_input(con, actions):
    rows = queries.filter_actions(con, pillar=2)
    before = rows.copy()
    table = project_table(actions, _current(RECORDS), 2025)
    table_before = table.copy()
    pv.with_records(rows, table)
    pd.testing.assert_frame_equal(rows, before)
    pd.testing.assert_frame_equal(table, table_before)


def test_record_caption_counts_repeat_rows_once(con, actions):
    rows = pv.with_records(queries.filter_actions(con), project_table(actions, _current(RECORDS), 2025))
    assert pv.record_caption(rows, 2025) == (
        "R7(2025)年度の記録: 入力済み 3 行・未入力 183 行(再掲の 10 行は元の事業の記録を表示し、ここでは数えません)"
    )
    r8 = pv.with_records(queries.filter_actions(con), project_table(actions, _current(RECORDS), 2026))
    assert pv.record_caption(r8[~r8["is_repeat"]], 2026) == "R8(2026)年度の記録: 入力済み 0 行・未入力 186 行"


def test_project_listing_is_the_filtered_list_with_its_links_and_counts(con, actions):
    table = project_table(actions, _current(RECORDS), 2025)
    listing = pv.project_listing(queries.filter_actions(con, pillar=1, policy=3), table, 2025, statuses=["一部実施"])
    # 1-3-1-20 (一部実施) and the 再掲 row 1-3-2-04 that shows its record, with their links.
    assert listing.table["事業ID"].tolist() == ["1-3-1-20", "1-3-2-04"]
    assert listing.links == ("projects?project=1-3-1-20#詳細", "projects?project=1-3-1-20#元の事業を表示")
    assert listing.caption.endswith(
        "R7(2025)年度の記録: 入力済み 1 行・未入力 0 行(再掲の 1 行は元の事業の記録を表示し、ここでは数えません)"
    )
    assert "  \n" in listing.caption
    everything = pv.project_listing(queries.filter_actions(con), table, 2025)
    assert len(everything.table) == len(everything.links) == 196


def test_detail_links_open_the_row_or_the_original(con, actions):
    rows = queries.filter_actions(con, pillar=1, policy=3)
    links = dict(zip(rows["action_id"], pv.detail_links(rows), strict=True))
    assert links["1-3-1-20"] == "projects?project=1-3-1-20#詳細"
    assert links["1-3-2-04"] == "projects?project=1-3-1-20#元の事業を表示"


def test_a_project_view_resolves_rows_repeats_and_continuations(actions, con):
    assert pv.find_project(actions, "9-9-9-99") is None and pv.find_project(actions, "") is None
    view = pv.find_project(actions, "1-3-2-04")  # a 再掲 row: its original
    assert view.project_id == "1-3-1-20" and view.via_repeat == "1-3-2-04"
    assert view.repeats["action_id"].tolist() == ["1-3-2-04"]
    measures = queries.measures(con)
    name = measures.set_index(["pillar", "policy", "measure"]).loc[(1, 3, 2), "name"]
    assert pv.repeat_places(view, measures)["label"].tolist() == [f"大綱1(3)② {name}(1-3-2-04・再掲)"]
    facts = pv.project_facts(view, measures)
    assert facts[0].startswith("大綱1(3)① ") and any("1-3-2-04 はこの事業の再掲です" in f for f in facts)
    continued = pv.find_project(actions, "1-2-2-12")  # a continuation row: its whole project
    assert continued.project_id == "1-2-2-09" and continued.rows["action_id"].iloc[0] == "1-2-2-09"
    assert len(continued.rows) == 10 and continued.repeats.empty
    assert pv.project_rows_table(continued).columns.tolist() == ["事業ID", "概要", "備考"]
    assert pv.find_project(actions, " 1-2-2-09 ").project_id == "1-2-2-09"


def test_project_years_are_the_five_plan_years(actions):
    view = pv.find_project(actions, "1-3-1-20")
    years = pv.project_years(view, _current(RECORDS))
    assert years["年度"].tolist() == [f"R{y - 2018}({y})年度" for y in range(2025, 2030)]
    assert years["実施状況"].tolist() == ["一部実施", "未入力", "完了", "未入力", "未入力"]
    assert years["評価"].tolist() == ["C 遅れ", "", "A 計画どおり以上", "", ""]  # no record: 未入力 once
    assert years["決算額(千円)"].isna().tolist() == [True, True, False, True, True]
    continued = pv.project_years(pv.find_project(actions, "1-2-2-09"), _current({}))
    assert len(continued) == 50 and continued["事業ID"].iloc[5] == "1-2-2-10"
    assert pv.project_years(view, _current({}))["実施状況"].eq("未入力").all()


def test_summary_table_and_notes_of_a_worked_example(actions):
    summary = rollup(project_table(actions, _current(RECORDS), 2025), ("pillar", "policy")).set_index(
        ["pillar", "policy"]
    )
    s11 = summary.loc[(1, 1)]
    table = pv.summary_table(s11)
    assert table.columns.tolist() == ["区分", "項目", "件数"]
    assert table["項目"].tolist()[:5] == [
        "A 計画どおり以上",
        "B 概ね計画どおり",
        "C 遅れ",
        "D 大幅な遅れ・未着手",
        "未評価",
    ]
    assert table[table["区分"] == "評価"]["件数"].sum() == s11["projects"]
    assert table[table["区分"] == "実施状況"]["件数"].sum() == s11["projects"]
    notes = pv.summary_notes(s11)
    assert notes[0] == f"評価する事業 {int(s11['projects'])}件(再掲を除く)のうち 2件が入力済み"
    assert notes[1] == "予算額の合計 1,200千円(1件の合計)"
    assert notes[2] == "決算額の合計 1,150.5千円(1件の合計)"
    new = int(s11["new"])
    assert notes[3] == f"新規 {new}件のうち 1件が実施・一部実施・完了"  # 1-1-1-01 is 新規 and 実施
    s13 = summary.loc[(1, 3)]
    assert pv.summary_notes(s13)[1:3] == ["予算額は入力されていません", "決算額は入力されていません"]


def test_messages_instead_of_a_chart_of_zeros():
    assert pv.not_entered_message(2025) == "R7(2025)年度の事業の評価はまだ入力されていません。"
    assert pv.not_entered_message(2026, anywhere=True).startswith("この基本計画の事業は、R8(2026)年度の評価")


def test_rollup_table_per_pillar_with_a_total(con, actions, synthetic):
    per_pillar = rollup(project_table(actions, synthetic, 2025), ("pillar",))
    groups = pv.group_names(per_pillar, queries.pillars(con))
    assert groups[0] == "大綱1 健康で心豊かに暮らせるまち"
    table = pv.rollup_table(per_pillar, groups)
    assert table["区分"].tolist() == [*groups, "計"]
    total = table.iloc[-1]
    assert total["事業の数"] == 186 and total["入力済み"] == per_pillar["entered"].sum()
    grade_columns = ["A 計画どおり以上", "B 概ね計画どおり", "C 遅れ", "D 大幅な遅れ・未着手", "未評価"]
    assert (table[grade_columns].sum(axis=1) == table["事業の数"]).all()
    status_columns = ["実施", "一部実施", "未実施", "検討中", "完了", "休止", "廃止", "実施状況未入力"]
    assert (table[status_columns].sum(axis=1) == table["事業の数"]).all()
    assert total["予算額(千円)"] == synthetic["budget"].sum() and total["予算額の件数"] == len(synthetic)
    assert table["予算額(千円)"].dtype == "float64"
    counts = pv.grade_counts(per_pillar, groups)
    assert len(counts) == 4 * 5 and counts["label"].iloc[4] == "未評価"
    assert counts.groupby("group", sort=False)["count"].sum().tolist() == per_pillar["projects"].tolist()
    nothing = pv.rollup_table(rollup(project_table(actions, _current({}), 2025), ("pillar",)), groups)
    assert nothing["予算額(千円)"].isna().all() and (nothing["予算額の件数"] == 0).all()


def test_measure_tables_cover_every_measure_of_the_policy(con, actions):
    table = project_table(actions, _current(RECORDS), 2025)
    part = table[(table["pillar"] == 1) & (table["policy"] == 3)]
    measures = queries.measures(con, pillar=1, policy=3)
    tables = pv.measure_tables(part, measures)
    assert [h for h, _ in tables] == [f"{chr(0x2460 + i)} {n}" for i, n in enumerate(measures["name"])]
    first = tables[0][1]
    assert first.columns.tolist()[:5] == ["事業名", "詳細", "実施状況", "評価", "今後の方向性"]
    assert sum(len(t) for _, t in tables) == len(part)
    row = first.set_index("事業ID").loc["1-3-1-20"]
    assert (row["実施状況"], row["評価"], row["今後の方向性"]) == ("一部実施", "C 遅れ", "改善")


def test_no_programmer_words_in_the_frames(con, actions, synthetic):
    table = project_table(actions, synthetic, 2025)
    rows = pv.with_records(queries.filter_actions(con), table)
    per_pillar = rollup(table)
    frames = [
        pv.project_list(rows, 2025),
        pv.rollup_table(per_pillar, pv.group_names(per_pillar, queries.pillars(con))),
    ]
    frames += [pv.project_years(pv.find_project(actions, "1-2-2-09"), synthetic)]
    for frame in frames:
        text = frame.astype(str).where(frame.notna(), "").to_csv()
        assert not any(word in text for word in ("None", "<NA>", "nan,", "NaT")), text[:300]
