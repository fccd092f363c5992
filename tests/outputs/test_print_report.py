"""The printable report: every indicator, A4 print CSS, escaped user text, no script, no network."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pandas as pd
import pytest

from kamiplan.cli import main
from kamiplan.errors import InputError
from kamiplan.model.narrative import sentence
from kamiplan.outputs import images
from kamiplan.outputs.plan_view import load
from kamiplan.outputs.print_report import render, report_filename
from kamiplan.plan.db import PlanDB
from kamiplan.records.actuals_store import ActualsStore
from tests.conftest import HOSTILE_NOTE, HOSTILE_SOURCE


def block(report_html: str, indicator_id: str) -> str:
    start = report_html.index(f'<article class="indicator" id="ind-{indicator_id}">')
    return report_html[start : report_html.index("</article>", start)]


def test_every_indicator_has_its_label_chart_numbers_and_sentence(report_html, outputs_view):
    inds = outputs_view.indicators
    assert report_html.count('<article class="indicator"') == len(inds) == 46
    assert report_html.count("<svg") == len(inds)
    for traj in outputs_view.trajectories:
        part = block(report_html, traj.indicator["indicator_id"])
        assert html.escape(traj.indicator["label"]) in part
        assert html.escape(sentence(traj)) in part
        for label in ("基準値", "目標値", "実績(R8)", "計画線上の値", "進捗率", "達成率", "評価"):
            assert f">{label}</th>" in part


def test_numbers_of_one_indicator(report_html, outputs_view):
    part = block(report_html, "0-V1")
    ev = next(t for t in outputs_view.trajectories if t.indicator["indicator_id"] == "0-V1").evaluation
    assert "2,438人 (令和6年4月1日)" in part and "2,020人 (令和11年4月1日)" in part
    assert f"{ev.progress_pct:.1f}%" in part and f"{ev.achievement_pct:.1f}%" in part
    assert '<span class="grade grade-C">△ やや遅れ</span>' in part  # symbol and word, not colour alone
    assert "R7(2025): テスト用の架空データ" in part  # notes and sources of the recorded values


def test_print_css_a4_and_a_page_break_before_each_part(report_html, outputs_view):
    assert "size: A4 portrait" in report_html
    assert ".part { break-before: page; page-break-before: always; }" in report_html
    parts = re.findall(r'<section class="part[^"]*" id="([^"]+)"', report_html)
    assert parts == ["plan-wide"] + [f"pillar{p}" for p in outputs_view.pillars["pillar"]]
    assert "break-inside: avoid" in report_html  # an indicator is never split over two pages


def test_cover_has_title_vision_period_and_rollup(report_html):
    head = report_html[: report_html.index('<section class="part')]
    assert "第8期上砂川町総合計画前期基本計画 進捗状況報告(R8(2026)年度)" in head
    assert "将来像「小さな町の輝く未来へ挑戦するまち」" in head
    assert "計画期間 R7(2025)〜R11(2029)年度" in head and "作成日 2026年11月28日" in head
    for row in ("計画全体", "大綱1 健康で心豊かに暮らせるまち", "大綱4 次世代につなげるまち"):
        assert f"<td>{row}</td>" in head
    assert "◎ 達成" in head and "− 評価不能" in head


def test_user_text_is_escaped_and_nothing_runs(report_html):
    assert "<script" not in report_html.lower()  # no script at all: it prints without JavaScript
    assert "<img" not in report_html.lower()
    assert html.escape(HOSTILE_NOTE) in report_html
    assert html.escape(HOSTILE_SOURCE) in report_html


def test_no_network_reference(report_html):
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", report_html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}  # SVG namespaces only


def test_without_actuals_the_report_says_so(tmp_path):
    from tests.conftest import DATA
    from tests.synthetic import plan_folder

    folder = plan_folder(tmp_path / "data", DATA)
    view = load(PlanDB(folder).cursor(), ActualsStore(folder).current(), 2025)
    few = replace(view, trajectories=view.trajectories[:2])  # two charts are enough here, and quick
    html_text = render(few)
    assert "まだ実績が記録されていません" in html_text
    assert html_text.count("− 評価不能</span>") == 2
    assert '<td>計画全体</td><td class="num">0</td><td class="num">0</td>' in html_text


def test_render_leaves_the_view_alone(report_html, outputs_view, outputs_folder):
    # report_html was rendered from outputs_view: its frames are still what the plan and actuals give.
    fresh = load(PlanDB(outputs_folder).cursor(), ActualsStore(outputs_folder).current(), 2026)
    pd.testing.assert_frame_equal(outputs_view.report, fresh.report)
    pd.testing.assert_frame_equal(outputs_view.actuals, fresh.actuals)
    assert all(t.points.equals(f.points) for t, f in zip(outputs_view.trajectories, fresh.trajectories, strict=True))


def test_year_outside_the_plan_is_refused(outputs_folder):
    with pytest.raises(InputError) as err:
        load(PlanDB(outputs_folder).cursor(), ActualsStore(outputs_folder).current(), 2030)
    assert "計画期間(R7(2025)〜R11(2029)年度)の中で" in str(err.value)


def test_filename():
    assert report_filename(2026) == "進捗レポート_R8(2026)年度.html"


def test_command_writes_the_report(outputs_folder, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["export-report", "--year", "令和8年度", "--out", str(out), "--data-dir", str(outputs_folder)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "進捗状況報告(R8(2026)年度)" in text
    assert "書き出しました" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temp file left


@pytest.mark.parametrize(
    ("year", "message"),
    [("2030", "計画期間(R7(2025)〜R11(2029)年度)の中で"), ("令和", "年度として読めません")],
)
def test_command_refuses_a_bad_year_and_writes_nothing(outputs_folder, tmp_path, capsys, year, message):
    out = tmp_path / "report.html"
    try:
        code = main(["export-report", "--year", year, "--out", str(out), "--data-dir", str(outputs_folder)])
    except SystemExit as exc:  # argparse refuses what is not a year at all
        code = exc.code
    assert code in (1, 2)
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_command_refuses_when_no_japanese_font(outputs_folder, tmp_path, capsys, monkeypatch):
    images._check_font.cache_clear()
    monkeypatch.setattr(images, "_font_drawn", lambda font: False)
    out = tmp_path / "report.html"
    try:
        code = main(["export-report", "--year", "2026", "--out", str(out), "--data-dir", str(outputs_folder)])
    finally:
        images._check_font.cache_clear()
    assert code == 1
    err = capsys.readouterr().err
    assert "何も書き込んでいません" in err and "日本語フォント「Noto Sans CJK JP」が見つかりません" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(2020.0, "人", "2,020人"), (-17.0, "人", "▲17人"), (1.335, "", "1.335"), (1.32, "", "1.32"), (None, "人", "—")],
)
def test_numbers_as_people_write_them(value, unit, text):
    from kamiplan.outputs.htmlparts import fmt

    assert fmt(value, unit) == text


# -- 事業の実施状況 ---------------------------------------------------------------------------------------
def project_part(report_html: str, pillar: int) -> str:
    start = report_html.index(f'id="projects-{pillar}"')
    return report_html[start : report_html.index("</section>", start)]


def row_of(first: str, numbers) -> str:
    """A table row as htmlparts.table writes it: a text cell, then numbers right-aligned."""
    return f"<tr><td>{first}</td>" + "".join(f'<td class="num">{int(n)}</td>' for n in numbers) + "</tr>"


def test_each_pillar_has_its_project_part_with_the_synthetic_counts(report_html, outputs_view):
    from kamiplan import labels
    from kamiplan.model.project_rollup import new_projects, rollup
    from kamiplan.outputs.htmlparts import amount

    table = outputs_view.projects
    whole = rollup(table, ("pillar",)).set_index("pillar")
    by_policy = rollup(table, ("pillar", "policy"))
    for pillar in (1, 2, 3, 4):
        part = project_part(report_html, pillar)
        row = {k: v if k in ("budget", "spent") else int(v) for k, v in whole.loc[pillar].items()}
        assert "事業の実施状況(R8(2026)年度)" in part
        assert f"事業 {row['projects']}件のうち、評価を入力した事業 {row['entered']}件" in part
        grades = [row[f"grade_{g}"] for g in "ABCD"] + [row["grade_none"], row["projects"]]
        assert row_of("件数", grades) in part
        statuses = [row[f"status_{w}"] for w in labels.PROJECT_STATUSES] + [row["status_none"], row["projects"]]
        assert row_of("件数", statuses) in part
        for name, what in (("budget", "予算額"), ("spent", "決算額")):
            assert f"{what}の合計 {amount(row[name])}千円({row[f'{name}_count']}件の合計)" in part
        new = new_projects(table[table["pillar"] == pillar])
        assert f"新規事業 {len(new)}件(うち実施・一部実施・完了 {row['new_started']}件)" in part
        assert all(html.escape(name) in part for name in new["name"])
        policies = by_policy[by_policy["pillar"] == pillar]
        assert part.count("<tr><td>(") == len(policies)  # one row per 基本計画 in the compact table
        for r in policies.itertuples():
            name = outputs_view.policies.set_index(["pillar", "policy"]).loc[(pillar, r.policy), "name"]
            assert f"<tr><td>({r.policy}) {html.escape(name)}</td>" in part
        # On the 大綱's first pages, before the indicators of its first 基本計画.
        section = report_html.index(f'id="pillar{pillar}"')
        assert section < report_html.index(f'id="projects-{pillar}"') < report_html.index("<h3>(1)", section)
    cover = report_html[: report_html.index('id="plan-wide"')]
    overview = cover[cover.index("事業の実施状況(大綱ごと・R8(2026)年度)") :]
    assert overview.count("<tr><td>大綱") == 4 and overview.count("<tr><td>計</td>") == 1


def test_project_parts_have_no_programmer_words(report_html):
    from tests.conftest import LEFTOVER_WORDS, visible_text

    text = visible_text(report_html)
    assert not LEFTOVER_WORDS.findall(text)
    assert "事業の実施状況" in text and "未評価" in text


def test_report_without_project_records_says_so(outputs_folder, tmp_path, monkeypatch):
    """The command with a data folder where nothing was entered: one plain sentence per place, no table."""
    from kamiplan.outputs import print_report
    from tests.conftest import LEFTOVER_WORDS, visible_text
    from tests.synthetic import plan_folder

    folder = plan_folder(tmp_path / "data", outputs_folder, keep_actuals=True)
    real = print_report.load

    def few(con, actuals, year, projects=None):
        return replace(real(con, actuals, year, projects), trajectories=real(con, actuals, year).trajectories[:2])

    monkeypatch.setattr(print_report, "load", few)
    out = tmp_path / "report.html"
    assert main(["export-report", "--year", "R8", "--out", str(out), "--data-dir", str(folder)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("R8(2026)年度の事業の評価はまだ入力されていません。") == 5  # cover and each 大綱
    assert 'class="data rollup projects"' not in text and "新規事業" not in text
    assert not LEFTOVER_WORDS.findall(visible_text(text))
    assert not (folder / "projects.parquet").exists()  # reading created nothing
