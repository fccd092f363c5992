"""``python -m kamiplan report``: the numbers of the unit-tested functions, for every indicator."""

from __future__ import annotations

import csv
import io

import pytest

from kamiplan.cli import main
from kamiplan.model.progress import Spec, evaluate
from tests.conftest import PROJECT

FIXTURE = PROJECT / "tests" / "fixtures" / "actuals_worked_examples.csv"


@pytest.fixture
def data_copy(plan_copy):
    return plan_copy


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main(["report", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_report_csv_worked_examples(capsys, data_copy, indicators):
    code, out, _ = _run(
        capsys, "--year", "2026", "--actuals", str(FIXTURE), "--format", "csv", "--data-dir", str(data_copy)
    )
    assert code == 0
    rows = {r["指標ID"]: r for r in csv.DictReader(io.StringIO(out))}
    assert len(rows) == 46
    pop = rows["0-V1"]
    assert (pop["実績(累計)"], pop["計画線上の値"], pop["評価"], pop["評価(言葉)"]) == (
        "2250.0",
        "2270.8",
        "C",
        "やや遅れ",
    )
    assert float(pop["このペースでの目標年の見込み"]) == pytest.approx(1860.0) and pop["見込みで目標達成"] == "いいえ"
    assert (pop["種類"], pop["方向"], pop["時期"]) == ("水準", "高いほど良い", "R8.4.1(2026) 時点")
    shops = rows["2-1-K1"]
    assert (shops["実績(累計)"], shops["計画線上の値"], shops["評価"]) == ("2.0", "2.4", "C")
    assert rows["1-1-T2"]["評価"] == "A" and rows["1-1-T2"]["進捗率(%)"] == ""
    assert rows["0-P2"]["実績(累計)"] == "-30.0"
    assert rows["0-V2"]["評価"] == "N"
    assert "(実績−基準値)÷(目標値−基準値)" in pop["進捗率の式"]
    # Every number equals what the unit-tested functions give.
    values = {"0-V1": {2025: 2380.0, 2026: 2250.0}, "2-1-K1": {2025: 1.0, 2026: 1.0}, "1-3-K1": {2025: 0.8}}
    for indicator_id, series in values.items():
        ev = evaluate(Spec.from_row(indicators.loc[indicator_id]), series, 2026, 2025)
        row = rows[indicator_id]
        assert row["評価"] == ev.grade
        if ev.expected is not None:
            assert float(row["計画線上の値"]) == pytest.approx(ev.expected, abs=1e-4)


def test_report_year_forms_and_2025(capsys, data_copy):
    code, out, _ = _run(
        capsys, "--year", "R7", "--actuals", str(FIXTURE), "--format", "csv", "--data-dir", str(data_copy)
    )
    rows = {r["指標ID"]: r for r in csv.DictReader(io.StringIO(out))}
    assert code == 0
    assert rows["0-V1"]["評価"] == "B" and rows["0-V1"]["計画線上の値"] == "2354.4"
    assert rows["1-3-K1"]["評価"] == "D"
    assert rows["1-2-T1"]["評価"] == "B" and float(rows["1-2-T1"]["計画線上の値"]) == pytest.approx(-3.3333)


def test_report_table_is_human_readable(capsys, data_copy):
    code, out, _ = _run(capsys, "--year", "2026", "--actuals", str(FIXTURE), "--data-dir", str(data_copy))
    assert code == 0
    assert "△やや遅れ" in out and "◎達成" in out and "2,250人" in out


def test_actuals_file_is_evaluated_not_stored(capsys, data_copy):
    before = sorted(p.name for p in data_copy.iterdir())
    _run(capsys, "--year", "2026", "--actuals", str(FIXTURE), "--data-dir", str(data_copy))
    assert sorted(p.name for p in data_copy.iterdir()) == before


def test_without_actuals_uses_the_store(capsys, data_copy, monkeypatch):
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(data_copy))
    code, out, _ = _run(capsys, "--year", "2026", "--format", "csv")
    assert code == 0
    grades = {r["評価"] for r in csv.DictReader(io.StringIO(out))}
    assert grades == {"N"}  # nothing recorded yet: nothing invented


def test_bad_actuals_file_exits_1_with_every_problem(capsys, data_copy, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("指標,年度,実績値\n人口,2025,abc\n謎,2025,1\n", encoding="utf-8")
    code, out, err = _run(capsys, "--year", "2026", "--actuals", str(bad), "--data-dir", str(data_copy))
    assert code == 1 and out == ""
    assert "bad.csv 2行目 列「実績値」" in err and "bad.csv 3行目 列「指標」" in err


def test_bad_year_is_refused(capsys, data_copy):
    with pytest.raises(SystemExit) as info:
        main(["report", "--year", "2205", "--data-dir", str(data_copy)])
    assert info.value.code == 2
    assert "範囲外" in capsys.readouterr().err


def test_without_a_year_the_report_is_of_the_year_most_indicators_have(capsys, tmp_path):
    """テスト用の架空データ of R7 and R8, and one early R9 value: the report was of R9 (45 of 46 評価不能)."""
    from tests.conftest import DATA
    from tests.synthetic import add_early_value, populated_folder

    folder = populated_folder(tmp_path / "data", DATA)
    add_early_value(folder, "0-V1", 2027)
    code, out, err = _run(capsys, "--format", "csv", "--data-dir", str(folder))
    assert code == 0
    assert {r["評価年"] for r in csv.DictReader(io.StringIO(out))} == {"2026"}
    assert err.startswith("R9(2027)年度の実績は、まだ46指標のうち1指標だけです。")
    assert err.rstrip().endswith("R8(2026)年度にしています(ほかの年度は --year で選べます)。")
    code, out, err = _run(capsys, "--year", "R9", "--format", "csv", "--data-dir", str(folder))
    assert {r["評価年"] for r in csv.DictReader(io.StringIO(out))} == {"2027"} and err == ""  # asked: no note
