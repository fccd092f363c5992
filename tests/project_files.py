"""事業の評価 files as 担当課 might send them, shared by the reader, import and command tests.

Every value here is invented for testing (テスト用の架空データ) and is not the town's record: each file says
so in its first line, which the reader skips as a title row.
Each refused case lists the problems it must report, as (file, line, column fragment, message fragment, project
fragment); nothing may be written for any of them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl

TITLE = "テスト用の架空データ(上砂川町の記録ではありません)\n"
HEADER = "事業ID,事業名,年度,実施状況,評価,今後の方向性,予算額(千円),決算額(千円),担当課\n"


def csv(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    """A CSV with the title row, the header (line 2) and ``rows`` from line 3."""
    return (TITLE + header + "".join(r + "\n" for r in rows)).encode(encoding)


@dataclass(frozen=True)
class Expect:
    file: str
    line: int | None
    column: str
    message: str
    project: str = ""


@dataclass(frozen=True)
class Case:
    id: str
    files: tuple[tuple[str, bytes], ...]
    errors: tuple[Expect, ...]
    year: int | None = None


def merged_amount_book() -> bytes:
    """One 予算額 merged over two projects' rows: it would count twice."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (
        ["テスト用の架空データ"],
        ["事業ID", "事業名", "年度", "実施状況", "予算額(千円)"],
        ["1-1-1-01", None, "R7", "実施", 500],
        ["1-1-1-02", None, "R7", "実施", None],
    ):
        ws.append(row)
    ws.merge_cells("E3:E4")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CENTER = "子ども家庭センター設置事業(1-1-1-01)・R7(2025)年度"

CASES: list[Case] = [
    Case(
        "unknown-name-suggests",
        (("a.csv", csv(",子ども家庭センタ設置事業,R7,実施,B,継続,,,テスト課")),),
        (
            Expect(
                "a.csv",
                3,
                "事業名",
                "計画にない事業名です。もしかして: 子ども家庭センター設置事業(1-1-1-01)",
                "子ども家庭センタ設置事業",
            ),
        ),
    ),
    Case(
        "unknown-id-suggests",
        (("a.csv", csv("1-1-1-99,,R7,実施,B,継続,,,テスト課")),),
        (Expect("a.csv", 3, "事業ID", "計画にない事業IDです", "1-1-1-99"),),
    ),
    Case(
        "ambiguous-name-lists-candidates",
        (("a.csv", csv(",保護者負担の軽減,R7,実施,B,継続,,,テスト課")),),
        (
            Expect(
                "a.csv",
                3,
                "事業名",
                "この事業名の行が実施計画に10行あります(概要の違う事業)。「事業ID」の列を加えて、どの行か書いてください: "
                "1-2-2-09(「高校に通学する子どもを持つ保護者の負担を…」)、1-2-2-10(「自転車通学が",
                "保護者負担の軽減",
            ),
        ),
    ),
    Case(
        "status-not-in-list",
        (("a.csv", csv("1-1-1-01,,R7,やってる,B,継続,,,テスト課")),),
        (
            Expect(
                "a.csv",
                3,
                "実施状況",
                "「やってる」は実施状況として選べる言葉ではありません。次のどれかを書いてください: "
                "実施、一部実施、未実施、検討中、完了、休止、廃止",
                CENTER,
            ),
        ),
    ),
    Case(
        "grade-not-in-list",
        (("a.csv", csv("1-1-1-01,,R7,実施,S,継続,,,テスト課")),),
        (
            Expect(
                "a.csv",
                3,
                "評価",
                "「S」は評価として選べる言葉ではありません。次のどれかを書いてください: "
                "A(計画どおり以上)、B(概ね計画どおり)、C(遅れ)、D(大幅な遅れ・未着手)",
                CENTER,
            ),
        ),
    ),
    Case(
        "direction-not-in-list",
        (("a.csv", csv("1-1-1-01,,R7,実施,B,拡大,,,テスト課")),),
        (
            Expect(
                "a.csv",
                3,
                "今後の方向性",
                "「拡大」は今後の方向性として選べる言葉ではありません。次のどれかを書いてください: 拡充、継続、改善",
                CENTER,
            ),
        ),
    ),
    Case(
        "negative-amount",
        (("a.csv", csv("1-1-1-01,,R7,実施,B,継続,▲100,,テスト課")),),
        (Expect("a.csv", 3, "予算額(千円)", "マイナスの金額は記録できません", CENTER),),
    ),
    Case(
        "non-numeric-amount",
        (("a.csv", csv("1-1-1-01,,R7,実施,B,継続,1200,未定,テスト課")),),
        (Expect("a.csv", 3, "決算額(千円)", "金額として読めません", CENTER),),
    ),
    Case(
        "unquoted-thousands-comma",
        (("a.csv", csv("1-1-1-01,,R7,実施,B,継続,1,200,1100,テスト課")),),
        (Expect("a.csv", 3, "", "列の数(10)が見出し行(9)より多いです", "1-1-1-01"),),
    ),
    Case(
        "same-project-year-in-two-files",
        (
            ("a.csv", csv("1-1-1-01,,R7,実施,B,継続,,,テスト課")),
            ("b.csv", csv(",子ども家庭センター設置事業,令和7年度,一部実施,C,改善,,,テスト課")),
        ),
        (Expect("b.csv", 3, "年度", "同じ事業・同じ年度の行が「a.csv」の3行目にもあります", CENTER),),
    ),
    Case(
        "repeat-row-and-its-original",
        (("a.csv", csv("1-3-1-02,,R7,実施,B,継続,,,テスト課", "1-3-2-01,,2025,実施,B,継続,,,テスト課")),),
        (
            Expect(
                "a.csv",
                4,
                "年度",
                "同じ事業・同じ年度の行が3行目にもあります(ケアラー支援推進事業(1-3-2-01) は ケアラー支援推進事業(1-3-1-02) "
                "の再掲で、同じ事業です)",
                "ケアラー支援推進事業(1-3-2-01)",
            ),
        ),
    ),
    Case(
        "year-after-the-plan",
        (("a.csv", csv("1-1-1-01,,R12,実施,B,継続,,,テスト課")),),
        (Expect("a.csv", 3, "年度", "R12(2030)年度は計画期間(R7(2025)〜R11(2029)年度)の外です", "1-1-1-01"),),
    ),
    Case(
        "heisei-year",
        (("a.csv", csv("1-1-1-01,,H27,実施,B,継続,,,テスト課")),),
        (Expect("a.csv", 3, "年度", "H27(2015)年度は計画期間(R7(2025)〜R11(2029)年度)の外です", "1-1-1-01"),),
    ),
    Case(
        "year-before-the-plan",
        (("a.csv", csv("1-1-1-01,,2024,実施,B,継続,,,テスト課")),),
        (Expect("a.csv", 3, "年度", "R6(2024)年度は計画期間", "1-1-1-01"),),
    ),
    Case(
        "id-and-name-disagree",
        (("a.csv", csv("1-1-1-01,不妊治療費等助成事業,R7,実施,B,継続,,,テスト課")),),
        (
            Expect(
                "a.csv",
                3,
                "事業名",
                "事業ID「1-1-1-01」は「子ども家庭センター設置事業」の行で、事業名「不妊治療費等助成事業」と合いません",
                "不妊治療費等助成事業",
            ),
        ),
    ),
    Case(
        "no-year-column-and-no-year-given",
        (("a.csv", csv("1-1-1-01,,実施", header="事業ID,事業名,実施状況\n")),),
        (Expect("a.csv", 2, "", "年度の列がありません", ""),),
    ),
    Case(
        "file-year-differs-from-the-year-given",
        (("a.csv", csv("1-1-1-01,,R8,実施,B,継続,,,テスト課")),),
        (
            Expect(
                "a.csv", 3, "年度", "ファイルの年度 R8(2026)年度 と、指定した年度 R7(2025)年度 が違います", "1-1-1-01"
            ),
        ),
        year=2025,
    ),
    Case(
        "binary-file",
        (("評価.csv", b"\x00\x01\x02PK binary \x00" * 20),),
        (Expect("評価.csv", None, "", "CSV でも Excel ブック(.xlsx)でもないファイルです", ""),),
    ),
    Case(
        "oversize-file",
        (("評価.csv", csv("1-1-1-01,,R7,実施,,,,,") + b"," * (2 * 1024 * 1024)),),
        (Expect("評価.csv", None, "", "ファイルが大きすぎます", ""),),
    ),
    Case(
        "merged-amount-cell",
        (("評価.xlsx", merged_amount_book()),),
        (Expect("評価.xlsx", 4, "予算額(千円)(E列)", "結合されたセルの金額です", "1-1-1-02"),),
    ),
    Case(
        "every-problem-listed",
        (("a.csv", csv("1-1-1-01,,R7,やってる,S,継続,-5,,テスト課", ",存在しない事業,R7,実施,B,継続,,,テスト課")),),
        (
            Expect("a.csv", 3, "実施状況", "「やってる」は実施状況として", CENTER),
            Expect("a.csv", 3, "評価", "「S」は評価として", CENTER),
            Expect("a.csv", 3, "予算額(千円)", "マイナスの金額", CENTER),
            Expect("a.csv", 4, "事業名", "計画にない事業名です", "存在しない事業"),
        ),
    ),
]
