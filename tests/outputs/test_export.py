"""CSV exports for Excel: BOM or cp932, formula-safe text, numbers stay numbers, meaningful file names."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamiplan import labels
from kamiplan.model import dashboard
from kamiplan.outputs.cp932 import LOOKALIKES, REPLACEMENT
from kamiplan.outputs.export import (
    CsvExport,
    Substitution,
    export_filename,
    formula_safe,
    substitution_note,
    to_csv_bytes,
    to_csv_export,
    unescape_formula,
)
from kamiplan.plan import queries
from kamiplan.plan.build import build_data
from kamiplan.plan.db import PlanDB
from kamiplan.records.actuals_store import ActualsStore
from tests.conftest import DATA


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+81", "'+81"),
        ("-転出超過", "'-転出超過"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("＝１＋１", "'＝１＋１"),
        ("＋", "'＋"),
        ("－", "'－"),
        ("＠", "'＠"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("人口", "人口"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_formula_safe(text, safe):
    assert formula_safe(text) == safe
    assert unescape_formula(formula_safe(text)) == text


@given(st.text())
def test_unescape_inverts_formula_safe(text):
    assert unescape_formula(formula_safe(text)) == text


def test_numbers_stay_numbers_and_bom():
    frame = pd.DataFrame({"名前": ["=1+1", "普通"], "値": [-30, 2.5], "整数": pd.array([1, None], dtype="Int64")})
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["名前,値,整数", "'=1+1,-30.0,1", "普通,2.5,"]
    assert to_csv_bytes(frame, "cp932").decode("cp932") == text


def test_cp932_writes_geta_for_an_emoji_and_counts_it():
    """Before: 🙂 refused the whole Shift_JIS file. Now it becomes 〓 and the export says so."""
    frame = pd.DataFrame({"x": ["🙂", "普通"]})
    export = to_csv_export(frame, "cp932")
    assert export.data.decode("cp932").splitlines() == ["x", "〓", "普通"]
    assert export.changed_cells == 1 and export.replaced == 1
    assert export.substitutions == (Substitution("🙂", REPLACEMENT, 1),)
    assert to_csv_bytes(frame, "cp932") == export.data
    note = substitution_note(export)
    assert "1 個のセル" in note and "🙂 → 〓" in note and labels.CP932_NO_LOOKALIKE in note


PAIRS = sorted(LOOKALIKES.items())


@pytest.mark.parametrize(("char", "replacement"), PAIRS, ids=[f"U+{ord(c):04X}" for c, _ in PAIRS])
def test_cp932_writes_each_lookalike(char, replacement):
    frame = pd.DataFrame({"名前": [f"前{char}後"], "値": [1.5]})
    export = to_csv_export(frame, "cp932")
    assert export.data.decode("cp932").splitlines() == ["名前,値", f"前{replacement}後,1.5"]
    assert (export.changed_cells, export.substitutions) == (1, (Substitution(char, replacement, 1),))
    utf8 = to_csv_export(frame)
    assert utf8.data.decode("utf-8-sig").splitlines()[1] == f"前{char}後,1.5"  # UTF-8 stays exact
    assert (utf8.changed_cells, utf8.substitutions) == (0, ())


def test_cp932_counts_cells_and_characters():
    frame = pd.DataFrame(
        {
            "基準値〜": ["—", "带状疱疹 带", "普通", None],  # a header is a cell too
            "概要": ["带", "🙂", "—", "x"],
            "値": [1, 2, 3, 4],
        }
    )
    export = to_csv_export(frame, "cp932")
    assert export.changed_cells == 6
    assert export.substitutions == (
        Substitution("带", "帯", 3),
        Substitution("—", "―", 2),
        Substitution("〜", "～", 1),
        Substitution("🙂", "〓", 1),
    )
    assert export.replaced == 7
    assert export.data.decode("cp932").splitlines() == [
        "基準値～,概要,値",
        "―,帯,1",
        "帯状疱疹 帯,〓,2",
        "普通,―,3",
        ",x,4",
    ]
    assert frame.columns[0] == "基準値〜" and frame.iloc[0, 0] == "—"  # the input is not modified
    assert substitution_note(export) == (
        "Shift_JIS にない文字を 6 個のセルで似た文字に置き換えました(带 → 帯、— → ―、〜 → ～、🙂 → 〓)。"
        "似た文字のないものは 〓 にしました。正確な文字が必要なときは UTF-8 を選んでください。"
    )


def test_note_names_invisible_characters_and_stops_after_six_kinds():
    export = to_csv_export(pd.DataFrame({"x": ["a\u00a0b", "\u2003", "·•–‒¥¦‾"]}), "cp932")
    note = substitution_note(export, labels.CP932_ADVICE_CLI)
    assert note.startswith("Shift_JIS にない文字を 3 個のセルで似た文字に置き換えました(U+00A0 → 半角スペース、")
    assert "U+2003 → 全角スペース、· → ・、• → ・、– → －、‒ → －、ほか 3 種類)" in note  # 9 kinds: 6 named
    assert note.endswith("--encoding utf-8-sig で書き出してください。")
    assert substitution_note(to_csv_export(pd.DataFrame({"x": ["普通"]}), "cp932")) == ""
    assert substitution_note(CsvExport(b"", "utf-8-sig")) == ""


def test_formula_safety_applies_to_the_text_as_written():
    """Formula safety judges the text as written: − (U+2212) written as － in Shift_JIS gets no ' (Excel would show it)."""
    frame = pd.DataFrame({"x": ["−30", "=1+1", "–5", "人口", "− 評価不能"], "n": [-1, 2, 3, 4, 5]})
    assert to_csv_bytes(frame).decode("utf-8-sig").splitlines()[1:] == [
        "−30,-1",
        "'=1+1,2",
        "–5,3",
        "人口,4",
        "− 評価不能,5",
    ]
    assert to_csv_bytes(frame, "cp932").decode("cp932").splitlines()[1:] == [
        "－30,-1",
        "'=1+1,2",
        "－5,3",
        "人口,4",
        "－ 評価不能,5",
    ]


def _cells(data: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


def _check_real_download(frame: pd.DataFrame) -> CsvExport:
    """cp932 gives back every cell of the UTF-8 file, with look-alikes (formula safety judged before them)."""
    utf8 = to_csv_export(frame)
    sjis = to_csv_export(frame, "cp932")
    table = str.maketrans(LOOKALIKES)
    exact, written = _cells(utf8.data, "utf-8-sig"), _cells(sjis.data, "cp932")
    assert len(exact) == len(written) == len(frame) + 1
    for row_exact, row_written in zip(exact, written, strict=True):
        for u, c in zip(row_exact, row_written, strict=True):
            # Every cell is the UTF-8 cell with look-alikes; a ' is added only where UTF-8 has one too.
            assert c == u.translate(table), (u, c)
    assert utf8.substitutions == ()
    return sjis


@pytest.fixture(scope="module")
def report():
    con = PlanDB(DATA).cursor()
    info = queries.plan_info(con)
    return dashboard.evaluate(queries.indicators(con), ActualsStore(DATA).current(), 2026, int(info["start_year"]))


def test_overview_all_indicators_download_in_shift_jis(report):
    table = dashboard.indicator_table(report)
    export = _check_real_download(table)
    no_grade = int((report["grade"] == "N").sum())
    assert set(export.substitutions) == {Substitution("—", "―", 1), Substitution("−", "－", no_grade)}
    assert export.changed_cells == 1 + no_grade
    cells = _cells(export.data, "cp932")
    header = cells[0]
    rows = {r[header.index("指標ID")]: r for r in cells[1:]}
    assert rows["4-2-K1"][header.index("基準値")] == "―"  # the plan's 「—」: no baseline
    assert rows["4-2-K1"][header.index("基準値(数値)")] == ""  # and no number
    assert rows["0-V1"][header.index("目標値(数値)")] == "2020.0"  # numbers stay numbers for Excel


def test_pillar4_indicator_download_in_shift_jis(report):
    table = dashboard.indicator_table(dashboard.filter_report(report[report["pillar"] == 4]))
    export = _check_real_download(table)
    assert Substitution("—", "―", 1) in export.substitutions
    assert "— → ―" in substitution_note(export)


def test_projects_download_in_shift_jis():
    table = dashboard.action_table(queries.filter_actions(PlanDB(DATA).cursor()))
    export = _check_real_download(table)
    assert export.substitutions == ()  # 带 is corrected by data/source/errata.csv
    assert "帯状疱疹ワクチン接種費用助成事業" in export.data.decode("cp932")


def test_projects_download_without_the_errata_writes_the_lookalike(tmp_path, source_copy):
    """Were 带 still in the tables, Shift_JIS would write 帯 and say so (2 cells of one project)."""
    (source_copy / "errata.csv").unlink()
    build_data(source_copy, tmp_path / "data")
    table = dashboard.action_table(queries.filter_actions(PlanDB(tmp_path / "data").cursor(), keyword="疱疹"))
    export = _check_real_download(table)
    assert substitution_note(export) == (
        "Shift_JIS にない文字を 2 個のセルで似た文字に置き換えました(带 → 帯)。正確な文字が必要なときは UTF-8 を選んでください。"
    )


def test_export_filename():
    assert (
        export_filename("指標一覧", ["大綱1", "", "◎ 達成・× 遅れ"], date(2026, 11, 28))
        == "指標一覧_大綱1_◎達成・×遅れ_20261128.csv"
    )
    assert export_filename("事業一覧", ["a/b:c"], date(2026, 1, 2), "cp932") == "事業一覧_abc_20260102_sjis.csv"
