"""Errata of the converted plan text: applied by build-data, refused loudly when they no longer fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamiplan.cli import main
from kamiplan.errors import InputError
from kamiplan.plan.build import SourceFiles, build_data, build_tables
from kamiplan.plan.db import PlanDB
from kamiplan.plan.errata import Erratum, apply_errata, read_errata
from kamiplan.plan.queries import filter_actions
from tests.conftest import DATA, SOURCE

PROJECT_NAME = "帯状疱疹ワクチン接種費用助成事業"
HEADER = "line,wrong,right,why\n"
GOOD = "345,带,帯,テスト用の理由\n"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def built(tmp_path, source_copy):
    out = tmp_path / "out"
    build_data(source_copy, out)
    return source_copy, out


def test_committed_errata_file():
    errata = read_errata(SOURCE / "errata.csv")
    assert [(e.row, e.line, e.wrong, e.right) for e in errata] == [(2, 345, "带", "帯")]
    assert "带" in errata[0].why and "帯" in errata[0].why


def test_plan_txt_keeps_the_conversion_as_it_was():
    """The correction is made at build time: the document itself stays as converted."""
    line = (SOURCE / "plan.txt").read_text(encoding="utf-8").split("\n")[344]
    assert line.count("带") == 2


def test_real_errata_fix_the_project_name_and_summary(tables, actions):
    rows = actions[actions["name"] == PROJECT_NAME]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["summary"].startswith("帯状疱疹ワクチン接種費用を助成し")
    assert row["source_line"] == 345 and row["tag"] == "新規"
    for name, table in tables.items():
        for column in table.column_names:
            values = table.column(column).to_pylist()
            assert not [v for v in values if isinstance(v, str) and "带" in v], (name, column)


def test_no_errata_file_means_no_errata(source_copy):
    (source_copy / "errata.csv").unlink()
    actions = build_tables(SourceFiles.in_dir(source_copy))["actions"].to_pandas()
    assert "带状疱疹ワクチン接種費用助成事業" in set(actions["name"])  # the conversion's text, uncorrected


def test_header_only_file_means_no_errata(tmp_path):
    path = tmp_path / "errata.csv"
    path.write_text(HEADER, encoding="utf-8")
    assert read_errata(path) == []


def test_apply_replaces_every_occurrence_on_its_line_only():
    text = "带一\n带二 带三\n带四\n"
    errata = [Erratum(row=2, line=2, wrong="带", right="帯", why="x")]
    assert apply_errata(text, errata, "errata.csv", "plan.txt") == "带一\n帯二 帯三\n带四\n"


def test_apply_in_file_order_and_line_endings_as_the_parser_counts_them():
    text = "\ufeffa\r\nb c\r\nd\re\n"
    errata = [
        Erratum(row=2, line=2, wrong="b", right="B", why="x"),
        Erratum(row=3, line=2, wrong="B c", right="BC", why="x"),  # sees the line as corrected so far
        Erratum(row=4, line=4, wrong="e", right="E", why="x"),  # a lone CR ends a line too
    ]
    assert apply_errata(text, errata, "errata.csv", "plan.txt") == "\ufeffa\nBC\nd\nE\n"


def test_spaces_in_a_correction_are_kept(tmp_path):
    path = tmp_path / "errata.csv"
    path.write_text(HEADER + "7,GIGA スクール ,GIGAスクール,空白の混入\n", encoding="utf-8-sig")
    assert read_errata(path)[0].wrong == "GIGA スクール "


def _stale_plan(source: Path) -> None:
    """A revised plan: line 345 already reads 帯."""
    plan = source / "plan.txt"
    plan.write_text(plan.read_text(encoding="utf-8").replace("带", "帯"), encoding="utf-8")


@pytest.mark.parametrize(
    ("errata", "change_plan", "where", "fragments"),
    [
        pytest.param(
            HEADER + GOOD,
            _stale_plan,
            "errata.csv 2行目",
            [
                "plan.txt の345行目に訂正前の「带」がありません",
                "この行は今「帯状疱疹ワクチン接種費用助成事業\t帯状疱疹",
            ],
            id="stale-after-revision",
        ),
        pytest.param(
            HEADER + GOOD + "344,带,帯,別の行\n",
            None,
            "errata.csv 3行目",
            ["plan.txt の344行目に訂正前の「带」がありません", "この行は今「事業名\t概要\t備考」です"],
            id="wrong-not-on-its-line",
        ),
        pytest.param(
            HEADER + "99999,带,帯,範囲外\n",
            None,
            "errata.csv 2行目",
            ["99999行目はありません", "plan.txt は"],
            id="line-past-end",
        ),
        pytest.param(HEADER + "0,带,帯,ゼロ\n", None, "errata.csv 2行目", ["1 以上の整数"], id="line-zero"),
        pytest.param(
            HEADER + "三四五,带,帯,漢数字\n", None, "errata.csv 2行目", ["1 以上の整数"], id="line-not-a-number"
        ),
        pytest.param(HEADER + "345,,帯,空\n", None, "errata.csv 2行目", ["訂正前の文字列が空です"], id="empty-wrong"),
        pytest.param(
            HEADER + "345,带,带,同じ\n", None, "errata.csv 2行目", ["訂正前と訂正後が同じです"], id="wrong-equals-right"
        ),
        pytest.param(HEADER + "345,带,帯\n", None, "errata.csv 2行目", ["列の数が3です"], id="too-few-cells"),
        pytest.param(
            HEADER + "345,带,帯,理由,余分\n", None, "errata.csv 2行目", ["列の数が5です"], id="too-many-cells"
        ),
        pytest.param(
            "line,wrong,right,reason\n" + GOOD,
            None,
            "errata.csv 1行目",
            ["不明な列があります: reason", "why"],
            id="unknown-header",
        ),
        pytest.param(
            "line,wrong,right\n345,带,帯\n",
            None,
            "errata.csv 1行目",
            ["必要な列がありません: why"],
            id="missing-column",
        ),
        pytest.param(
            HEADER + '345,"带,帯,理由\n346,a,b,c\n',
            None,
            "errata.csv",
            ["CSV の形式が正しくありません"],
            id="unclosed-quote",
        ),
        pytest.param(
            HEADER + '345,带,"帯\n帯",改行\n', None, "errata.csv 3行目", ["改行は書けません"], id="line-break-in-right"
        ),
        pytest.param(HEADER + "345,带,帯,\n", None, "errata.csv 2行目", ["訂正の理由が空です"], id="no-reason"),
        pytest.param(HEADER + GOOD + GOOD, None, "errata.csv 3行目", ["同じ訂正が2行目にもあります"], id="duplicate"),
        pytest.param("", None, "errata.csv 1行目", ["見出し行がありません"], id="empty-file"),
    ],
)
def test_bad_errata_are_refused_and_nothing_is_written(built, errata, change_plan, where, fragments):
    source, out = built
    before = _snapshot(out)
    (source / "errata.csv").write_text(errata, encoding="utf-8")
    if change_plan:
        change_plan(source)
    with pytest.raises(InputError) as info:
        build_data(source, out)
    text = str(info.value)
    assert where in text, text
    for fragment in fragments:
        assert fragment in text, text
    assert _snapshot(out) == before  # byte-identical, and no temp file left behind


def test_errata_not_in_utf8_are_refused(built):
    source, out = built
    before = _snapshot(out)
    (source / "errata.csv").write_bytes((HEADER + "345,疱,疱,Excel で保存した\n").encode("cp932"))
    with pytest.raises(InputError, match="errata.csv 2行目: 訂正表が UTF-8 ではありません"):
        build_data(source, out)
    assert _snapshot(out) == before


def test_every_problem_is_listed(built):
    source, _ = built
    (source / "errata.csv").write_text(HEADER + "0,带,帯,a\n345,,帯,b\n345,带,帯,\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        build_tables(SourceFiles.in_dir(source))
    assert [p.line for p in info.value.problems] == [2, 3, 4]


def test_cli_refuses_a_stale_erratum_in_japanese(built, capsys):
    source, out = built
    before = _snapshot(out)
    _stale_plan(source)
    code = main(["build-data", "--source-dir", str(source), "--data-dir", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "何も書き込んでいません" in err and "errata.csv 2行目" in err and "345行目" in err
    assert _snapshot(out) == before


def test_keyword_search_finds_the_corrected_project():
    rows = filter_actions(PlanDB(DATA).cursor(), keyword="帯状疱疹")
    assert rows["name"].tolist() == [PROJECT_NAME]
    assert filter_actions(PlanDB(DATA).cursor(), keyword="带").empty
