"""``kamiplan import-projects`` / ``export-projects`` / ``project-template``: all or nothing, with a preview.

Every value here is invented for testing (テスト用の架空データ).
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from kamiplan.cli import main
from kamiplan.records.projects import ProjectChange, ProjectRecord, ProjectStore
from tests.project_files import CASES, csv


def store_bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith("projects")}


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def folder(plan_copy):
    """A data folder holding one recorded project (so that "nothing written" compares real files)."""
    ProjectStore(plan_copy).save(
        [ProjectChange("1-1-1-03", 2025, ProjectRecord(status="実施", department="テスト課"), ProjectRecord())],
        by="テスト",
        how="form",
    )
    return plan_copy


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_files_are_refused_and_nothing_is_written(case, folder, tmp_path, capsys):
    before = store_bytes(folder)
    paths = []
    for name, data in case.files:
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    year = ["--year", str(case.year)] if case.year else []
    code, _out, err = run(capsys, "import-projects", *paths, *year, "--data-dir", folder, "--by", "テスト")
    assert code == 1
    assert "何も書き込んでいません" in err
    for expect in case.errors:
        assert expect.message in err and expect.project in err
        if expect.line is not None:
            assert f"{expect.file} {expect.line}行目" in err
        if expect.column:
            assert f"列「{expect.column}" in err
    assert store_bytes(folder) == before


def test_unusual_amounts_are_asked_about_then_recorded(folder, tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_bytes(csv("1-1-1-01,,R7,実施,B,継続,1000,2000,テスト課"))
    before = store_bytes(folder)
    code, _, err = run(capsys, "import-projects", path, "--data-dir", folder, "--by", "テスト")
    assert code == 1 and "1.5倍を超えています" in err and "--accept-unusual を付けて" in err
    assert store_bytes(folder) == before
    code, out, _ = run(capsys, "import-projects", path, "--data-dir", folder, "--by", "テスト", "--accept-unusual")
    assert code == 0 and "確認済み" in out and "保存しました: 1件" in out
    assert ProjectStore(folder).records()[("1-1-1-01", 2025)].spent == 2000.0


def test_dry_run_shows_the_preview_and_writes_nothing(folder, tmp_path, capsys):
    path = tmp_path / "評価.csv"
    path.write_bytes(
        csv(
            "1-1-1-03,,R7,完了,A,完了,,,テスト課",
            '1-1-1-01,,R7,実施,,,"1,200,000円",,',
            "1-1-1-02,,R7,,,,,,",
            "注)テスト用の架空データ",
            encoding="cp932",
        )
    )
    before = store_bytes(folder)
    code, out, _ = run(capsys, "import-projects", path, "--data-dir", folder, "--dry-run")
    assert code == 0
    assert "評価.csv: CSV・Shift_JIS(cp932)・カンマ区切り(見出し 2行目)" in out
    assert (
        "    3行目  変更  妊婦一般健康診査助成事業(1-1-1-03) R7(2025)年度: 実施状況: 実施 → 完了、"
        "評価: (未入力) → A 計画どおり以上、今後の方向性: (未入力) → 完了" in out
    )
    assert "    4行目  新規  子ども家庭センター設置事業(1-1-1-01) R7(2025)年度: 実施状況: (未入力) → 実施" in out
    assert "1,200,000円 → 1,200千円" in out
    assert "    1行目  読み飛ばし: 見出し行より上の行(表題など) テスト用の架空データ" in out
    assert "    6行目  読み飛ばし: 注記の行(注・※・出典など)" in out
    assert "読み飛ばし(未入力、記録する列がすべて空欄): 5行目(1行)" in out
    assert "評価.csv: 新規 1件、変更 1件、変更なし 0件(読み飛ばし 3行)" in out
    assert "確認のみ(--dry-run): 何も書き込んでいません。" in out
    assert store_bytes(folder) == before


def test_a_file_without_a_year_column_takes_the_year_given(folder, tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_bytes(csv("1-1-1-01,実施", header="事業ID,実施状況\n"))
    code, _, err = run(capsys, "import-projects", path, "--data-dir", folder, "--by", "テスト")
    assert code == 1 and "年度の列がありません" in err and "--year R7" in err
    code, out, _ = run(capsys, "import-projects", path, "--data-dir", folder, "--by", "テスト", "--year", "令和8年度")
    assert code == 0, out
    assert ProjectStore(folder).records()[("1-1-1-01", 2026)] == ProjectRecord(status="実施")


def test_template_export_and_reimport_through_the_commands(folder, tmp_path, capsys):
    template = tmp_path / "事業の評価_R7.xlsx"
    code, _, err = run(
        capsys, "project-template", "--year", "R7", "--department", "テスト課", "--out", template, "--data-dir", folder
    )
    assert code == 0 and "担当課「テスト課」と担当課が未定の事業" in err
    wb = openpyxl.load_workbook(template)
    ws = wb.active
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == "1-1-1-01")
    for column, value in (("F", "実施"), ("G", "B"), ("I", 1200), ("M", "テスト課")):
        ws[f"{column}{row}"] = value
    wb.save(template)
    code, out, err = run(capsys, "import-projects", template, "--data-dir", folder, "--by", "テスト")
    assert code == 0, err
    assert "新規 1件、変更 0件、変更なし 1件" in out and "保存しました: 1件" in out
    export = tmp_path / "export.csv"
    code, _, err = run(capsys, "export-projects", "--out", export, "--encoding", "cp932", "--data-dir", folder)
    assert code == 0 and "事業の評価 2件" in err
    before = store_bytes(folder)
    code, out, _ = run(capsys, "import-projects", export, "--data-dir", folder, "--by", "テスト")
    assert code == 0 and "変更はありません" in out
    assert store_bytes(folder) == before


def test_template_commands_refuse_what_they_cannot_write(folder, tmp_path, capsys):
    code, _, err = run(capsys, "project-template", "--year", "R7", "--out", tmp_path / "x.csv", "--data-dir", folder)
    assert code == 1 and ".xlsx で終えてください" in err and not (tmp_path / "x.csv").exists()
    with pytest.raises(SystemExit):
        main(["project-template", "--year", "H27", "--out", str(tmp_path / "x.xlsx"), "--data-dir", str(folder)])
    assert "H27(2015)年度は計画期間(R7(2025)〜R11(2029)年度)の外です" in capsys.readouterr().err


def test_two_files_with_the_same_name_are_told_apart(folder, tmp_path, capsys):
    paths = []
    for sub in ("保健福祉課", "教育委員会"):
        (tmp_path / sub).mkdir()
        path = tmp_path / sub / "評価.csv"
        path.write_bytes(csv("1-1-1-01,,R7,実施,,,,,"))
        paths.append(path)
    code, _, err = run(capsys, "import-projects", *paths, "--data-dir", folder)
    assert code == 1 and f"「{paths[0]}」の3行目にもあります" in err


def test_help_is_japanese(capsys):
    for command in ("import-projects", "export-projects", "project-template"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert out.startswith("使い方:") and "オプション" in out and "usage" not in out


def test_template_bytes_open_as_a_book(folder, tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert run(capsys, "project-template", "--year", "2025", "--out", out, "--data-dir", folder)[0] == 0
    assert openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active.max_row == 2 + 186
