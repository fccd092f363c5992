"""``kamiplan import`` / ``export-actuals`` / ``template``: all or nothing, with a preview."""

from __future__ import annotations

import csv
import io

import pytest

from kamiplan.cli import main
from kamiplan.outputs.export import Substitution, to_csv_bytes, to_csv_export
from kamiplan.records.actuals_io import export_frame, plan_import
from kamiplan.records.actuals_store import ActualsStore, Cell, Change
from tests.hostile_files import CASES


@pytest.fixture
def folder(plan_copy):
    return plan_copy


def store_bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name.startswith("actuals")}


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def seed(folder):
    ActualsStore(folder).save([Change("0-V1", 2024, Cell(2438.0, "既存", "町民課"), Cell())], by="seed", how="form")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_files_through_import(case, folder, tmp_path, capsys):
    seed(folder)
    before = store_bytes(folder)
    path = tmp_path / "実績.csv"
    path.write_bytes(case.data)
    code, out, err = run(capsys, "import", str(path), "--data-dir", str(folder), "--by", "テスト")
    if case.refused:
        assert code == 1
        assert "何も書き込んでいません" in err
        for line, _column, fragment in case.errors:
            assert fragment in err
            if line is not None:
                assert f"{line}行目" in err
        assert store_bytes(folder) == before  # byte-identical after every rejection
        return
    assert code == 0, err
    cells = ActualsStore(folder).cells()
    for key, value in case.values.items():
        assert cells[key].value == pytest.approx(value)
    for key, note in case.notes.items():
        assert cells[key].note == note


def test_dry_run_writes_nothing_and_shows_the_preview(folder, tmp_path, capsys):
    seed(folder)
    before = store_bytes(folder)
    path = tmp_path / "a.csv"
    path.write_text("指標,年度,実績値\n人口,2024,2440\n人口,2025,2380\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(path), "--data-dir", str(folder), "--dry-run")
    assert code == 0
    assert "2行目  変更  人口(0-V1) R6(2024)年: 2,438人 → 2,440人" in out
    assert "3行目  新規  人口(0-V1) R7(2025)年: — → 2,380人" in out
    assert "新規 1件、変更 1件、変更なし 0件" in out
    assert store_bytes(folder) == before


def test_missing_note_column_keeps_stored_notes(folder, tmp_path, capsys):
    seed(folder)
    path = tmp_path / "a.csv"
    path.write_text("指標,年度,実績値\n人口,2024,2440\n", encoding="utf-8")
    assert run(capsys, "import", str(path), "--data-dir", str(folder), "--by", "x")[0] == 0
    assert ActualsStore(folder).cells()[("0-V1", 2024)] == Cell(2440.0, "既存", "町民課")


def test_template_round_trip_to_report(folder, tmp_path, capsys):
    """Fill the template (cp932, as Excel saves it) → import → the report shows the values."""
    template = tmp_path / "template.csv"
    assert run(capsys, "template", "--data-dir", str(folder), "--encoding", "cp932", "--out", str(template))[0] == 0
    rows = list(csv.DictReader(io.StringIO(template.read_bytes().decode("cp932"))))
    assert {r["指標ID"] for r in rows} >= {"0-V1", "1-3-T1", "1-3-T2"} and "1-1-T1" not in {r["指標ID"] for r in rows}
    assert len(rows) == 44 * 5  # every series × FY2025–2029
    for r in rows:
        if (r["指標ID"], r["年度"]) == ("0-V1", "2026"):
            r["実績値"] = "2,250人"
        if (r["指標ID"], r["年度"]) == ("2-1-K1", "2025"):
            r["実績値"] = "1"
        if (r["指標ID"], r["年度"]) == ("2-1-K1", "2026"):
            r["実績値"] = "1"
        if (r["指標ID"], r["年度"]) == ("0-V1", "2025"):
            r["実績値"] = "2380"
            r["備考"] = "テスト用の架空データ"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    filled = tmp_path / "filled.csv"
    filled.write_bytes(buf.getvalue().encode("cp932"))
    code, out, err = run(capsys, "import", str(filled), "--data-dir", str(folder), "--by", "テスト")
    assert code == 0, err
    assert "新規 4件" in out and "読み飛ばし 216行" in out
    code, out, _ = run(capsys, "report", "--year", "2026", "--format", "csv", "--data-dir", str(folder))
    report = {r["指標ID"]: r for r in csv.DictReader(io.StringIO(out))}
    assert report["0-V1"]["実績(累計)"] == "2250.0" and report["0-V1"]["評価"] == "C"
    assert report["2-1-K1"]["実績(累計)"] == "2.0" and report["2-1-K1"]["評価"] == "C"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_export_then_reimport_changes_nothing(folder, tmp_path, capsys, encoding):
    store = ActualsStore(folder)
    store.save(
        [
            Change("0-V1", 2025, Cell(2380.0, '=HYPERLINK("x")', "@町民課"), Cell()),
            Change("0-P2", 2026, Cell(-30.0, "-転出超過", "+住基"), Cell()),
            Change("2-2-K1", 2025, Cell(9.7, "①髙橋さん調べ", ""), Cell()),
            Change("1-3-K1", 2025, Cell(0.7123456789, "", ""), Cell()),
        ],
        by="テスト",
        how="form",
    )
    out = tmp_path / "export.csv"
    assert run(capsys, "export-actuals", "--data-dir", str(folder), "--encoding", encoding, "--out", str(out))[0] == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    text = raw.decode(encoding)
    assert "'=HYPERLINK" in text and "'@町民課" in text and "'-転出超過" in text  # formula-safe
    assert ",-30," in text  # numbers stay numbers
    before = store_bytes(folder)
    code, stdout, _ = run(capsys, "import", str(out), "--data-dir", str(folder), "--by", "テスト")
    assert code == 0 and "変更はありません" in stdout
    assert store_bytes(folder) == before


def test_stale_import_is_refused(folder, tmp_path):
    store = ActualsStore(folder)
    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.queries import indicators

    inds = indicators(PlanDB(folder).cursor())
    plan = plan_import("指標,年度,実績値\n人口,2025,2380\n".encode(), "a.csv", inds, store)
    store.save([Change("0-V1", 2025, Cell(2400.0), Cell())], by="別の人", how="form")  # after the preview
    from kamiplan.records.actuals_io import commit_import
    from kamiplan.records.actuals_store import StaleError

    with pytest.raises(StaleError, match="今の記録: 2,400") as info:
        commit_import(plan, store, by="テスト", filename="a.csv")
    message = str(info.value)
    assert "人口(0-V1)・R7(2025)年" in message and "「別の人」が" in message and "あなたが入力した値: 2,380" in message
    assert "最新の状態を読み込む" in message
    assert store.cells()[("0-V1", 2025)].value == 2400.0


def test_cp932_replaces_characters_it_cannot_hold(folder):
    """Before: 🙂 in a note refused the whole Shift_JIS export. Now it is written as 〓 (and counted)."""
    store = ActualsStore(folder)
    store.save([Change("0-V1", 2025, Cell(1.0, "🙂", ""), Cell())], by="x", how="form")
    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.queries import indicators

    inds = indicators(PlanDB(folder).cursor())
    frame = export_frame(inds, store.current())
    export = to_csv_export(frame, "cp932")
    rows = list(csv.DictReader(io.StringIO(export.data.decode("cp932"))))
    assert [r["備考"] for r in rows if (r["指標ID"], r["年度"]) == ("0-V1", "2025")] == ["〓"]
    assert export.changed_cells == 1 and export.substitutions == (Substitution("🙂", "〓", 1),)
    assert to_csv_bytes(frame, "cp932") == export.data
    assert to_csv_bytes(frame, "utf-8-sig").decode("utf-8-sig").count("🙂") == 1


def test_cli_says_what_shift_jis_replaced(folder, tmp_path, capsys):
    ActualsStore(folder).save(
        [Change("0-V1", 2025, Cell(2380.0, "🙂 見込み〜", "住民基本台帳—町民課"), Cell())], by="テスト", how="form"
    )
    out = tmp_path / "export.csv"
    code, _, err = run(capsys, "export-actuals", "--data-dir", str(folder), "--encoding", "cp932", "--out", str(out))
    assert code == 0
    assert "Shift_JIS にない文字を 2 個のセルで似た文字に置き換えました(🙂 → 〓、〜 → ～、— → ―)。" in err
    assert "--encoding utf-8-sig で書き出してください" in err
    assert "🙂 見込み～" not in out.read_bytes().decode("cp932") and "〓 見込み～" in out.read_bytes().decode("cp932")
    code, _, err = run(capsys, "export-actuals", "--data-dir", str(folder), "--out", str(out))
    assert code == 0 and "Shift_JIS" not in err  # UTF-8: exact, nothing to say
    assert "🙂 見込み〜" in out.read_bytes().decode("utf-8-sig")
    template = tmp_path / "template.csv"
    code, _, err = run(capsys, "template", "--data-dir", str(folder), "--encoding", "cp932", "--out", str(template))
    assert code == 0 and "Shift_JIS" not in err  # the template holds only the plan's names: nothing replaced
