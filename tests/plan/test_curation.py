"""The curated file is checked on its own before it is matched with the document."""

from __future__ import annotations

import pytest

from kamiplan.errors import InputError
from kamiplan.plan.curation import COLUMNS, read_curation
from tests.conftest import SOURCE

HEADER = ",".join(COLUMNS) + "\n"
GOOD = "1-1-T1,,1,1,target,合計特殊出生率,,level,higher,0,,\n"


def test_committed_file_reads(tmp_path):
    rows = read_curation(SOURCE / "indicators.csv")
    assert len(rows) == 46
    assert rows[0].indicator_id == "0-V1" and rows[0].series_id == "0-V1"
    shared = [r for r in rows if r.series_id != r.indicator_id]
    assert [(r.indicator_id, r.series_id) for r in shared] == [("1-1-T1", "0-P1"), ("2-2-T1", "0-P2")]


@pytest.mark.parametrize(
    ("body", "line", "column", "fragment"),
    [
        ("1 1 T1,,1,1,target,x,,level,higher,0,,\n", 2, "indicator_id", "英数字"),
        ("1-1-T1,,one,1,target,x,,level,higher,0,,\n", 2, "pillar", "整数"),
        ("1-1-T1,,1,1,goal,x,,level,higher,0,,\n", 2, "section", "区分"),
        ("1-1-T1,,1,1,target,x,,linear,higher,0,,\n", 2, "kind", "種類"),
        ("1-1-T1,,1,1,target,x,,level,up,0,,\n", 2, "direction", "higher"),
        ("1-1-T1,,1,1,target,x,,level,higher,yes,,\n", 2, "survey", "0 か 1"),
        ("1-1-T1,,1,1,target,x,,level,higher,0,1/2,\n", 2, "related_policy", "大綱-基本計画"),
        ("1-1-T1,,1,1,target,,,level,higher,0,,\n", 2, "name", "空"),
        ("1-1-T1,,1,1,target,x,,level,higher,0,\n", 2, "", "列の数"),
        (GOOD + GOOD.replace("1-1-T1", "1-1-T2"), 3, "name", "2行目にも"),
        (GOOD + GOOD.replace("合計特殊出生率", "y"), 3, "indicator_id", "重複"),
        (GOOD.replace(",,1,1", ",0-X,1,1"), 2, "series_id", "系列ID"),
    ],
)
def test_bad_rows(tmp_path, body, line, column, fragment):
    path = tmp_path / "indicators.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_curation(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (line, column)
    assert fragment in problem.message


def test_every_problem_is_listed(tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text(
        HEADER + GOOD.replace("level", "x") + GOOD.replace("1-1-T1", "1-1-T9").replace("higher", "y"), encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        read_curation(path)
    assert [(p.line, p.column) for p in info.value.problems] == [(2, "kind"), (3, "direction")]


def test_missing_columns_and_encoding(tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text("indicator_id,name\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="必要な列がありません"):
        read_curation(path)
    path.write_bytes((HEADER + GOOD).encode("cp932"))
    with pytest.raises(InputError, match="UTF-8"):
        read_curation(path)
    path.write_bytes((HEADER + GOOD).encode("utf-8-sig"))
    assert read_curation(path)[0].name == "合計特殊出生率"
