"""The plan document parsed: counts, structure and every trap of the PDF conversion.

Counts were taken by hand from data/source/plan.txt (2025-2029 plan):
- indicator tables: 20 (3 plan-wide 項目 tables + 17 指標 tables); indicator rows: 11 plan-wide + 35 = 46
  (平均自立期間 is printed as one row plus a continuation row → two indicators);
- action tables: 36, with 196 rows of which 14 are continuation rows (empty 事業名);
- two 施策 headings are repeated as a table row (① 移住・定住の推進, ② 交流人口・関係人口の創出).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kamiplan.errors import InputError
from kamiplan.plan.parser import parse_plan_file, parse_plan_text
from tests.conftest import SOURCE

PLAN_PATH = SOURCE / "plan.txt"


@pytest.fixture(scope="module")
def plan():
    return parse_plan_file(PLAN_PATH)


def test_front_matter(plan):
    assert plan.title == "第8期上砂川町総合計画前期基本計画"
    assert plan.strategy_title == "第3期上砂川町デジタル田園都市国家構想総合戦略"
    assert plan.vision == "小さな町の輝く未来へ挑戦するまち"
    assert (plan.start_year, plan.end_year) == (2025, 2029)
    assert "2025(令和7)年度を初年度" in plan.period_text
    assert plan.progress_management.startswith("本計画の実効性、即応性を高めるため")
    assert plan.survey_note.startswith("令和6年7月に実施した町民まちづくりアンケート調査")


def test_counts(plan):
    assert len(plan.pillars) == 4
    assert len(plan.policies) == 10
    assert len(plan.indicators) == 46
    assert len(plan.actions) == 196
    assert sum(a.continuation for a in plan.actions) == 14
    measures = sum(len(set(p.outline_measures) | set(p.detail_measures)) for p in plan.policies.values())
    assert measures == 36


def test_every_table_row_is_read_exactly_once(plan):
    """Every data row of every table in the document maps to exactly one record (by line number)."""
    lines = PLAN_PATH.read_text(encoding="utf-8").split("\n")
    headers = {"事業名", "指標", "項目"}
    echoes = {483, 495}
    data_rows = {
        i + 1
        for i, line in enumerate(lines)
        if "\t" in line and line.split("\t")[0].replace(" ", "") not in headers and i + 1 not in echoes
    }
    read = [r.line for r in plan.indicators] + [a.line for a in plan.actions]
    assert len(read) == len(set(read))
    assert set(read) == data_rows


def test_pillar_names_and_summaries(plan):
    p1, p2, p3, p4 = plan.pillars
    assert p1.name == "健康で心豊かに暮らせるまち(子育て・学び・健康・福祉)"
    # The document itself names 大綱2 differently in the 施策体系 and in its own section: keep both.
    assert p2.name == "活気とにぎわいがあふれるまち(産業・雇用・観光)"
    assert p2.outline_name == "活気とにぎわいがあるまち(産業・雇用・観光)"
    assert p3.name == "生活環境が整った住みよいまち(安全・安心)"
    assert p4.name == "次世代につなげるまち(地域・行政)"
    assert len(p1.summary) == 3 and p1.summary[0].startswith("安心して子どもを産み育てられるように")
    assert len(p4.summary) == 4 and p4.summary[-1].startswith("行財政の効率的運営を図るため")


def test_policies_text(plan):
    p11 = plan.policies[(1, 1)]
    assert p11.name == "安心して子どもを産み育てられるまちづくり"
    assert len(p11.issues) == 3 and p11.issues[0].startswith("本町では、人口減少と国に先がけた少子高齢化")
    assert len(p11.approach) == 2 and p11.approach[0].startswith("○子どもと子育てにやさしいまち")
    # 大綱3(1) and 大綱4(1) have no section of their own: no 現状と課題 / 取組方針.
    for key in [(3, 1), (4, 1)]:
        assert plan.policies[key].issues == [] and plan.policies[key].approach == []
    assert len(plan.policies[(3, 2)].approach) == 6


def test_measure_names_keep_both_spellings(plan):
    p11 = plan.policies[(1, 1)]
    assert p11.outline_measures[1] == "妊娠期からの切れ目のない支援"
    assert p11.detail_measures[1] == "妊娠期からの切れ目ない支援"
    assert plan.policies[(3, 1)].outline_measures[6] == "空き家・空き地対策"
    assert list(plan.policies[(4, 2)].detail_measures.values()) == ["DXの推進", "行財政の効率的運営", "広域連携の推進"]


def test_placement_by_sub_area_names_not_position(plan):
    """大綱3(1)'s KPI and action plan, and 大綱4(1)'s action plan, follow the 大綱 overview directly."""
    kpi = next(r for r in plan.indicators if r.name == "町営住宅管理戸数")
    assert (kpi.pillar, kpi.policy, kpi.section) == (3, 1, "kpi")
    housing = [a for a in plan.actions if a.pillar == 3 and a.policy == 1]
    assert {a.measure for a in housing} == {1, 2, 3, 4, 5, 6}
    assert housing[0].name == "テレビ中継局放送機器更新事業"
    p41 = [a for a in plan.actions if (a.pillar, a.policy) == (4, 1)]
    assert [(a.measure, a.name) for a in p41] == [
        (1, "まちづくり町民会議の開催"),
        (1, "集落支援員の配置"),
        (2, "女性の活躍推進の環境づくり"),
    ]
    p42 = [a for a in plan.actions if (a.pillar, a.policy) == (4, 2)]
    assert p42[0].name == "自治体情報システムの標準化・共通化"
    # The document's last line has no newline and ends the 広域連携の推進 table.
    assert (p42[-1].measure, p42[-1].name, p42[-1].line) == (3, "広域連携事業", 809)


def test_heading_repeated_as_table_row_is_not_a_project(plan):
    names = [a.name for a in plan.actions]
    assert "① 移住・定住の推進" not in names and "② 交流人口・関係人口の創出" not in names
    first = [a for a in plan.actions if (a.pillar, a.policy, a.measure) == (2, 2, 1)]
    assert first[0].name == "ふるさと回帰フェアへの参加"
    assert len(first) == 7


def test_page_break_blank_lines_inside_tables(plan):
    """Blank lines 220 and 236 sit inside the 教育環境の充実 table; its rows continue after them."""
    rows = [a for a in plan.actions if (a.pillar, a.policy, a.measure) == (1, 2, 2)]
    assert len(rows) == 36
    assert [r.line for r in rows if r.name == "保護者負担の軽減"] == list(range(221, 231))
    assert any(r.name == "福井市鶉地区との相互交流事業" and r.line == 237 for r in rows)
    assert rows[-1].name == "学校支援地域本部事業"


def test_continuation_rows_belong_to_the_project_above(plan):
    rows = [a for a in plan.actions if a.name == "生涯にわたる生活習慣病予防健診"]
    assert [a.continuation for a in rows] == [False, True, True, True, True]
    assert rows[0].tag == "拡充" and all(r.tag == "" for r in rows[1:])
    assert (
        rows[2].summary
        == "生活習慣病の予防・早期発見を目的として、健診機会のない20歳以上40歳未満の若年者に健診及び保健・栄養指導を実施"
    )


def test_html_fragments_become_readable_text(plan):
    park = next(a for a in plan.actions if a.name == "児童公園整備事業")
    assert park.summary == "・下鷲分譲地内に児童公園を整備 ・各町児童公園の再編と遊具の更新"
    assert all("<" not in a.summary and ">" not in a.summary for a in plan.actions)


def test_names_and_summaries_exactly_as_written(plan):
    giga = [a for a in plan.actions if (a.pillar, a.policy, a.measure) == (1, 2, 1)]
    assert giga[0].name == "GIGA スクール構想の推進"  # the space is in the document
    ict = next(a for a in plan.actions if a.name == "ICT 支援員配置事業")
    assert ict.summary.startswith("ICT教育の授業を円滑に進めるため")
    juku = next(a for a in plan.actions if a.name == "公設学習塾の運営")
    assert juku.summary.endswith("学力向上を促進する ・小学生～算数、国語 ・中学生～数学、英語")


def test_tags(plan):
    tags = [a.tag for a in plan.actions]
    assert set(tags) == {"", "新規", "拡充", "再掲", "新規 (再掲)"}
    assert tags.count("新規 (再掲)") == 5
    assert tags.count("再掲") == 5


def test_average_independence_period_is_two_indicators(plan):
    rows = [r for r in plan.indicators if r.name == "平均自立期間"]
    assert [(r.baseline.subgroup, r.baseline.value, r.target.value) for r in rows] == [
        ("男", 74.7, 74.9),
        ("女", 82.5, 83.6),
    ]


def test_satisfaction_baseline_is_the_july_2024_survey(plan):
    rows = [r for r in plan.indicators if r.section == "satisfaction"]
    assert len(rows) == 7
    assert all(r.baseline_header.as_of == "2024-07" for r in rows)


# -- refusals ---------------------------------------------------------------------------------------


def _mutated(old: str, new: str) -> str:
    text = PLAN_PATH.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("妊婦健康診査受診率\t100%\t100%", "妊婦健康診査受診率\t100%", 132, "セル数が2"),
        ("町道整備\t計画的な", "町道整備\t\t計画的な", 571, "セル数が4"),
        ("新生児聴覚検査助成事業\t先天性", "新生児聴覚検査助成事業\t\t", 152, "セル数が4"),
        (
            "陣痛が起きた際の砂川市立病院までの移送費を全額補助することにより妊婦の不安を解消し、安心・安全な出産に資する\t",
            "陣痛\t謎",
            150,
            "備考",
        ),
        ("① 住環境の整備\n", "① 住環境の整備と謎\n", 559, "判断できません"),
        ("\n現状と課題\n\n本町では", "\n現状と課題\n\n謎の行\n\n取組方針\n\n本町では", None, None),
    ],
)
def test_bad_rows_are_refused_with_file_and_line(old, new, line, fragment):
    text = _mutated(old, new)
    if line is None:
        parse_plan_text(text, "plan.txt")  # extra prose under a known heading is fine
        return
    with pytest.raises(InputError) as info:
        parse_plan_text(text, "plan.txt")
    problem = info.value.problems[0]
    assert problem.path == "plan.txt"
    assert problem.line == line
    assert fragment in str(problem)


def test_missing_heading_is_refused():
    with pytest.raises(InputError, match="■施策体系"):
        parse_plan_text(_mutated("■施策体系", "■施策の体系"), "plan.txt")


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="見つかりません") as info:
        parse_plan_file(tmp_path / "nope.txt")
    assert "nope.txt" in str(info.value)


def test_non_utf8_file_is_refused(tmp_path):
    bad = tmp_path / "plan.txt"
    bad.write_bytes(PLAN_PATH.read_text(encoding="utf-8").encode("cp932", errors="replace"))
    with pytest.raises(InputError, match="UTF-8"):
        parse_plan_file(bad)


def test_windows_line_endings_and_bom_parse_the_same(plan):
    text = "\ufeff" + PLAN_PATH.read_text(encoding="utf-8").replace("\n", "\r\n")
    again = parse_plan_text(text)
    assert [a.name for a in again.actions] == [a.name for a in plan.actions]
    assert [r.line for r in again.indicators] == [r.line for r in plan.indicators]


def test_unknown_policy_heading_is_refused():
    with pytest.raises(InputError) as info:
        parse_plan_text(
            _mutated("(3)脱炭素社会を実現するまちづくり\n\n- ①再生", "(3)脱炭素社会をめざすまちづくり\n\n- ①再生")
        )
    assert info.value.problems[0].line == 667
    assert "施策体系" in str(info.value)


def test_parser_reads_any_plan_in_the_format(tmp_path: Path):
    """A revised plan: one more KPI row and one more project, no code change."""
    text = _mutated(
        "ふるさと納税寄付件数\t448件\t600件\n",
        "ふるさと納税寄付件数\t448件\t600件\nテスト用の架空指標\t1件\t2件\n",
    )
    text = text.rstrip("\n") + "\n広域連携の架空事業\tテスト用の架空の概要\t新規\n"
    parsed = parse_plan_text(text)
    assert len(parsed.indicators) == 47
    assert parsed.actions[-1].name == "広域連携の架空事業"
    assert (parsed.actions[-1].pillar, parsed.actions[-1].policy, parsed.actions[-1].measure) == (4, 2, 3)
