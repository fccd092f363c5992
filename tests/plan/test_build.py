"""build-data: the typed plan tables, byte-stable, and refusals that leave the tables untouched."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kamiplan.cli import main
from kamiplan.errors import InputError
from kamiplan.plan import schema
from kamiplan.plan.build import PLAN_TABLES, SourceFiles, build_data, build_tables
from tests.conftest import DATA


def test_committed_tables_are_up_to_date(tmp_path):
    """Rebuilding from data/source gives byte-identical parquet files: a stale table fails CI."""
    written = build_data(DATA / "source", tmp_path)
    assert set(written) == set(PLAN_TABLES)
    for name in PLAN_TABLES:
        rebuilt = (tmp_path / f"{name}.parquet").read_bytes()
        committed = (DATA / f"{name}.parquet").read_bytes()
        assert rebuilt == committed, f"data/{name}.parquet is stale: run python -m kamiplan build-data"


def test_build_is_byte_stable(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build_data(DATA / "source", a)
    build_data(DATA / "source", b)
    for name in PLAN_TABLES:
        assert (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes()


def test_schemas(tables):
    for name, table in tables.items():
        assert table.schema.equals(schema.TABLES[name])
    committed = pq.read_table(DATA / "indicators.parquet")
    assert committed.schema.equals(schema.INDICATORS)


def test_counts(tables, indicators, actions):
    assert tables["pillars"].num_rows == 4
    assert tables["policies"].num_rows == 10
    assert tables["measures"].num_rows == 36
    assert len(indicators) == 46
    assert indicators["series_id"].nunique() == 44
    assert indicators["indicator_id"].is_unique
    assert len(actions) == 196
    assert actions["action_id"].is_unique
    assert list(actions["seq"]) == list(range(1, 197))


def test_population_more_is_better_although_target_is_lower(indicators):
    pop = indicators.loc["0-V1"]
    assert pop["name"] == "人口"
    assert (pop["baseline_value"], pop["target_value"]) == (2438.0, 2020.0)
    assert pop["direction"] == "higher" and pop["kind"] == "level"
    assert (pop["baseline_year"], pop["target_year"]) == (2024, 2029)
    assert pop["year_basis"] == "point_in_time"
    assert (pop["baseline_as_of"], pop["target_as_of"]) == ("2024-04-01", "2029-04-01")
    assert pop["baseline_label"] == "2,438人 (令和6年4月1日)"
    assert pop["unit"] == "人"


def test_plan_wide_periods(indicators):
    stay = indicators.loc["0-V2"]
    assert (stay["baseline_year"], stay["year_basis"], stay["baseline_value"]) == (2024, "fiscal_year", 63.9)
    assert "巻末資料" in stay["footnote"]
    tfr = indicators.loc["0-P1"]
    assert (tfr["baseline_year"], tfr["year_basis"], tfr["unit"]) == (2023, "fiscal_year", "")
    social = indicators.loc["0-P2"]
    assert (social["baseline_value"], social["target_value"]) == (-41.0, -17.0)
    assert (social["baseline_year"], social["year_basis"]) == (2023, "calendar_year")
    sat = indicators[indicators["section"] == "satisfaction"]
    assert len(sat) == 7
    assert set(sat["baseline_year"]) == {2024} and set(sat["baseline_as_of"]) == {"2024-07"}
    assert set(sat["year_basis"]) == {"point_in_time"}
    assert sat["survey"].all()
    assert sat.loc["0-S1", "baseline_value"] == 25.4 and sat.loc["0-S1", "target_value"] == 30.0


def test_section_tables_are_r5_to_r11(indicators):
    pillar_rows = indicators[indicators["pillar"] > 0]
    assert set(pillar_rows["baseline_year"]) == {2023}
    assert set(indicators["target_year"]) == {2029}


def test_units_after_numbers(indicators):
    by_name = indicators.set_index("label")
    expected = {
        "観光入込客数": (9.5, 10.0, "万人"),
        "町内の事業所数": (70.0, 76.0, "事業所"),
        "自主防災組織の結成状況": (0.0, 5.0, "地区"),
        "防災行政無線屋外拡声子局数": (0.0, 3.0, "局"),
        "町営住宅管理戸数": (1107.0, 975.0, "戸"),
        "特産品をふるさと納税返礼品として活用した数": (4.0, 5.0, "種類"),
        "平均自立期間(男)": (74.7, 74.9, "歳"),
        "町公式インスタグラムのフォロワー数": (1050.0, 2010.0, "人"),
        "介護保険2号認定率": (0.76, 0.6, "%"),
    }
    for label, (b, t, unit) in expected.items():
        row = by_name.loc[label]
        assert (row["baseline_value"], row["target_value"], row["unit"]) == (b, t, unit), label


def test_cumulative_targets(indicators):
    cum = indicators[indicators["kind"] == "cumulative"]
    assert set(cum["label"]) == {
        "新規出店数",
        "創業支援等助成金交付件数",
        "企業人材確保事業助成金交付件数",
        "特産品をふるさと納税返礼品として活用した数",
        "企業版ふるさと納税の活用",
    }
    assert set(cum["target_span_years"]) == {5}
    shops = cum[cum["label"] == "新規出店数"].iloc[0]
    assert (shops["baseline_value"], shops["target_value"], shops["target_label"]) == (1.0, 6.0, "6 件 (5 か年合計)")
    goods = cum[cum["label"] == "特産品をふるさと納税返礼品として活用した数"].iloc[0]
    assert goods["baseline_span_years"] == 4  # the one baseline that is a 4-year total
    others = cum[cum["label"] != "特産品をふるさと納税返礼品として活用した数"]
    assert others["baseline_span_years"].isna().all()


def test_maintain_targets_keep_their_direction(indicators):
    maintain = indicators[indicators["kind"] == "maintain"].set_index("label")
    assert set(maintain.index) == {
        "妊婦健康診査受診率",
        "乳幼児健診・相談健診未受診者の状況把握率",
        "交通死亡事故発生件数",
    }
    assert maintain.loc["妊婦健康診査受診率", "direction"] == "higher"
    assert maintain.loc["交通死亡事故発生件数", "direction"] == "lower"
    assert maintain.loc["交通死亡事故発生件数", "baseline_value"] == 0.0


def test_lower_is_better_indicators(indicators):
    lower = set(indicators.loc[indicators["direction"] == "lower", "label"])
    assert lower == {"介護保険2号認定率", "65歳以上の要介護認定者の割合", "町営住宅管理戸数", "交通死亡事故発生件数"}


def test_academic_score_is_relative(indicators):
    row = indicators.loc["1-2-T1"]
    assert row["name"] == "「全国学力・学習状況調査」の平均正答率"
    assert row["kind"] == "relative" and row["direction"] == "higher"
    assert (row["baseline_value"], row["target_value"]) == (-5.0, 0.0)
    assert row["baseline_label"] == "-5ポイント以下 (全道平均との差)"
    assert row["target_label"] == "全道平均以上"
    assert row["unit"] == "ポイント"
    assert math.isnan(row["value_min"]) and math.isnan(row["value_max"])


def test_digital_training_has_no_baseline(indicators):
    row = indicators.loc["4-2-K1"]
    assert row["name"] == "デジタル人材育成研修受講率"
    assert math.isnan(row["baseline_value"])
    assert row["baseline_label"] == "—"
    assert row["target_value"] == 100.0


def test_average_independence_period_two_series(indicators):
    rows = indicators[indicators["name"] == "平均自立期間"]
    assert list(rows["subgroup"]) == ["男", "女"]
    assert list(rows["label"]) == ["平均自立期間(男)", "平均自立期間(女)"]
    assert rows["series_id"].nunique() == 2


def test_measures_printed_in_two_places_share_one_series(indicators):
    tfr = indicators[indicators["name"].str.startswith("合計特殊出生率")]
    assert list(tfr["name"]) == ["合計特殊出生率(5カ年平均)", "合計特殊出生率"]
    assert list(zip(tfr["pillar"], tfr["policy"], strict=True)) == [(0, 0), (1, 1)]
    assert tfr["series_id"].nunique() == 1
    social = indicators[indicators["name"] == "社会増減数(転入者数－転出者数)"]
    assert list(zip(social["pillar"], social["policy"], strict=True)) == [(0, 0), (2, 2)]
    assert social["series_id"].nunique() == 1
    # The 大綱2 row's header says only "R5"; the plan-wide row says R5年: one series, one basis.
    assert set(social["year_basis"]) == {"calendar_year"}


def test_value_bounds_follow_the_unit(indicators):
    assert (indicators.loc["1-1-T3", "value_min"], indicators.loc["1-1-T3", "value_max"]) == (0.0, 100.0)
    assert indicators.loc["3-1-K1", "value_min"] == 0.0 and math.isnan(indicators.loc["3-1-K1", "value_max"])
    assert math.isnan(indicators.loc["0-P2", "value_min"])  # 社会増減 may be negative


def test_satisfaction_linked_to_policies(indicators):
    sat = indicators[indicators["section"] == "satisfaction"].set_index("name")
    assert (sat.loc["学校教育の推進", "related_pillar"], sat.loc["学校教育の推進", "related_policy"]) == (1, 2)
    assert sat["related_policy"].notna().all()


def test_repeat_rows_link_to_their_original(actions):
    by_id = actions.set_index("action_id")
    repeats = actions[actions["is_repeat"]]
    assert len(repeats) == 10
    for _, row in repeats.iterrows():
        original = by_id.loc[row["repeat_of"]]
        assert original["name"] == row["name"]
        assert not original["is_repeat"]
        assert original["seq"] < row["seq"]
    care = actions[(actions["name"] == "ケアラー支援推進事業") & actions["is_repeat"]].iloc[0]
    assert care["tag"] == "新規 (再掲)" and care["is_new"]
    assert by_id.loc[care["repeat_of"], "measure"] == 1
    assert actions.loc[~actions["is_repeat"], "repeat_of"].isna().all()


def test_continuation_rows_share_the_project(actions):
    burden = actions[actions["name"] == "保護者負担の軽減"]
    assert len(burden) == 10
    assert burden["project_id"].nunique() == 1
    assert burden.iloc[0]["action_id"] == burden.iloc[0]["project_id"]
    assert burden["is_continuation"].tolist() == [False] + [True] * 9


def test_plan_table(tables):
    plan = tables["plan"].to_pylist()[0]
    assert plan["vision"] == "小さな町の輝く未来へ挑戦するまち"
    assert (plan["start_year"], plan["end_year"]) == (2025, 2029)
    assert len(plan["source_sha256"]) == 64


def test_policy_texts(tables):
    policies = tables["policies"].to_pandas().set_index(["pillar", "policy"])
    assert policies.loc[(3, 1), "issues"] == "" and policies.loc[(4, 1), "approach"] == ""
    assert policies.loc[(1, 3), "approach"].count("\n") == 3
    pillars = tables["pillars"].to_pandas().set_index("pillar")
    assert pillars.loc[2, "short_name"] == "活気とにぎわいがあふれるまち"
    assert pillars.loc[2, "fields"] == "産業・雇用・観光"


# -- refusals leave the existing tables untouched ----------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def built(tmp_path, source_copy):
    out = tmp_path / "out"
    build_data(source_copy, out)
    return source_copy, out


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "fragment"),
    [
        (
            "plan.txt",
            "乳幼児健診・相談受診率\t89.0%\t95.0%",
            "乳幼児健診・相談受診率\t89.0%",
            "plan.txt 133行目",
            "セル数",
        ),
        (
            "indicators.csv",
            "1-1-T3,,1,1,target,乳幼児健診・相談受診率",
            "1-1-T3,,1,1,target,乳幼児健診相談受診率",
            "indicators.csv 15行目",
            "計画書にない指標",
        ),
        (
            "indicators.csv",
            "2-1-K1,,2,1,kpi,新規出店数,,cumulative",
            "2-1-K1,,2,1,kpi,新規出店数,,level",
            "indicators.csv 30行目",
            "cumulative",
        ),
        (
            "indicators.csv",
            "1-1-T2,,1,1,target,妊婦健康診査受診率,,maintain",
            "1-1-T2,,1,1,target,妊婦健康診査受診率,,level",
            "indicators.csv 14行目",
            "maintain",
        ),
        ("indicators.csv", ",level,higher,0,,\n", ",level,upward,0,,\n", "indicators.csv", "higher"),
        ("indicators.csv", "1-1-T1,0-P1,", "1-1-T1,0-P9,", "indicators.csv 13行目", "系列ID"),
        ("indicators.csv", "1-1-T3,", "1-1-T2,", "indicators.csv 15行目", "重複"),
    ],
)
def test_bad_input_is_refused_and_tables_untouched(built, file, old, new, where, fragment):
    source, out = built
    before = _snapshot(out)
    _edit(source / file, old, new)
    with pytest.raises(InputError) as info:
        build_data(source, out)
    text = str(info.value)
    assert where in text and fragment in text, text
    assert _snapshot(out) == before  # byte-identical, and no temp file left behind


def test_missing_curated_row_names_the_plan_line(built):
    source, out = built
    lines = (source / "indicators.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (source / "indicators.csv").write_text(
        "".join(line for line in lines if not line.startswith("3-1-K1,")), encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        build_data(source, out)
    assert "plan.txt 555行目" in str(info.value) and "町営住宅管理戸数" in str(info.value)


def test_unknown_curated_key_and_missing_plan_file(built):
    source, out = built
    before = _snapshot(out)
    with open(source / "indicators.csv", "a", encoding="utf-8") as f:
        f.write("9-9-K9,,4,2,kpi,存在しない指標,,level,higher,0,,\n")
    with pytest.raises(InputError, match="indicators.csv 48行目.*計画書にない指標"):
        build_data(source, out)
    (source / "plan.txt").unlink()
    with pytest.raises(InputError, match="plan.txt.*見つかりません"):
        build_data(source, out)
    assert _snapshot(out) == before


def test_cli_reports_errors_in_japanese_and_exits_1(built, capsys):
    source, out = built
    before = _snapshot(out)
    _edit(source / "plan.txt", "町道整備\t計画的な", "町道整備\t\t計画的な")
    code = main(["build-data", "--source-dir", str(source), "--data-dir", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "何も書き込んでいません" in err and "571行目" in err
    assert _snapshot(out) == before


def test_revised_plan_loads_by_editing_data_files_only(built):
    source, out = built
    _edit(
        source / "plan.txt",
        "ふるさと納税寄付件数\t448件\t600件\n",
        "ふるさと納税寄付件数\t448件\t600件\nテスト用の架空指標\t1件\t2件\n",
    )
    with open(source / "indicators.csv", "a", encoding="utf-8") as f:
        f.write("4-2-K9,,4,2,kpi,テスト用の架空指標,,level,higher,0,,テスト用\n")
    tables = build_tables(SourceFiles.in_dir(source))
    assert tables["indicators"].num_rows == 47
    build_data(source, out)
    assert pq.read_table(out / "indicators.parquet").num_rows == 47
