"""Hostile and messy actuals files, shared by the parser, import and page tests.

Every value here is invented for testing (テスト用の架空データ) and is not the town's data.
Each case is either cleaned (the values it must yield, by (series_id, year)) or refused (the problems it
must report, each as (line, column fragment, message fragment)).
"""

from __future__ import annotations

from dataclasses import dataclass, field

HEADER_JA = "指標,年度,実績値,備考\n"
HEADER_EN = "indicator,year,value,note\n"


@dataclass(frozen=True)
class Case:
    id: str
    data: bytes
    values: dict[tuple[str, int], float] = field(default_factory=dict)
    errors: tuple[tuple[int | None, str, str], ...] = ()
    notes: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return bool(self.errors)


def u8(text: str) -> bytes:
    return text.encode("utf-8")


def bom(text: str) -> bytes:
    return text.encode("utf-8-sig")


def sjis(text: str) -> bytes:
    return text.encode("cp932")


CASES: list[Case] = [
    # --- cleaned as specified ---------------------------------------------------------------------
    Case("cp932", sjis(HEADER_JA + "人口,R7,2380\n"), values={("0-V1", 2025): 2380.0}),
    Case("utf8-bom", bom(HEADER_JA + "人口,令和7年度,2380\n"), values={("0-V1", 2025): 2380.0}),
    Case("utf8-plain-english-header", u8(HEADER_EN + "0-V1,2025,2380\n"), values={("0-V1", 2025): 2380.0}),
    Case("fullwidth-digits", sjis(HEADER_JA + "人口,２０２５,２３８０\n"), values={("0-V1", 2025): 2380.0}),
    Case("thousands-commas", u8(HEADER_JA + '人口,2025,"2,380"\n'), values={("0-V1", 2025): 2380.0}),
    Case("triangle-minus", u8(HEADER_JA + "社会増減数(転入者数－転出者数),2025,▲30\n"), values={("0-P2", 2025): -30.0}),
    Case(
        "white-triangle-minus",
        sjis(HEADER_JA + "社会増減数(転入者数－転出者数),2025,△30人\n"),
        values={("0-P2", 2025): -30.0},
    ),
    Case("trailing-unit", u8(HEADER_JA + "乳幼児健診・相談受診率,2025,91.5%\n"), values={("1-1-T3", 2025): 91.5}),
    Case(
        "fullwidth-percent",
        sjis(HEADER_JA + "乳幼児健診・相談受診率,2025,９１．５％\n"),
        values={("1-1-T3", 2025): 91.5},
    ),
    Case("man-nin-unit", u8(HEADER_JA + "観光入込客数,2025,9.7万人\n"), values={("2-2-K1", 2025): 9.7}),
    Case(
        "dash-means-no-value",
        u8(HEADER_JA + "人口,2025,—\n人口,2026,－\n人口,2027,\n人口,2028,2200\n"),
        values={("0-V1", 2028): 2200.0},
    ),
    Case(
        "year-forms",
        u8(HEADER_JA + "人口,令和8年,2300\n人口,2027年度,2250\n人口,R10,2200\n"),
        values={("0-V1", 2026): 2300.0, ("0-V1", 2027): 2250.0, ("0-V1", 2028): 2200.0},
    ),
    Case(
        "history-before-baseline",
        u8(HEADER_JA + "人口,1995,6000\n人口,2020,2800\n"),
        values={("0-V1", 1995): 6000.0, ("0-V1", 2020): 2800.0},
    ),
    Case("name-in-two-places", u8(HEADER_JA + "合計特殊出生率,2025,1.30\n"), values={("0-P1", 2025): 1.30}),
    Case("id-case-insensitive", u8("indicator_id,year,value\n1-3-k1,2025,0.70\n"), values={("1-3-K1", 2025): 0.70}),
    Case("subgroup-label", u8(HEADER_JA + "平均自立期間(男),2025,74.8歳\n"), values={("1-3-T1", 2025): 74.8}),
    Case(
        "relative-negative",
        u8(HEADER_JA + "「全国学力・学習状況調査」の平均正答率,2025,▲3ポイント\n"),
        values={("1-2-T1", 2025): -3.0},
    ),
    Case(
        "formula-in-note-stays-text",
        u8(HEADER_JA + '人口,2025,2380,"=HYPERLINK(""http://evil.example"",""x"")"\n'),
        values={("0-V1", 2025): 2380.0},
        notes={("0-V1", 2025): '=HYPERLINK("http://evil.example","x")'},
    ),
    Case(
        "script-in-note-stays-text",
        u8(HEADER_JA + "人口,2025,2380,<script>alert(1)</script>\n"),
        values={("0-V1", 2025): 2380.0},
        notes={("0-V1", 2025): "<script>alert(1)</script>"},
    ),
    Case(
        "crlf-and-blank-lines",
        u8((HEADER_JA + "\n人口,2025,2380\n\n").replace("\n", "\r\n")),
        values={("0-V1", 2025): 2380.0},
    ),
    Case("excel-float-year", u8(HEADER_JA + "人口,2025.0,2380\n"), values={("0-V1", 2025): 2380.0}),
    Case(
        "same-indicator-printed-twice-same-value",
        u8("指標ID,年度,実績値\n0-P1,2025,1.3\n1-1-T1,2025,1.3\n0-P2,2025,▲35\n2-2-T1,2025,▲35\n"),
        values={("0-P1", 2025): 1.3, ("0-P2", 2025): -35.0},
    ),
    Case("tab-separated", u8("指標\t年度\t実績値\n人口\t2025\t2,380\n"), values={("0-V1", 2025): 2380.0}),
    Case(
        "unicode-text-utf16",
        "指標\t年度\t実績値\r\n人口\tR7\t2380\r\n".encode("utf-16"),
        values={("0-V1", 2025): 2380.0},
    ),
    # --- refused, with every problem listed ---------------------------------------------------------
    Case("empty", b"", errors=((None, "", "空"),)),
    Case("whitespace-only", b"  \r\n \n", errors=((None, "", "空"),)),
    Case("header-only", bom(HEADER_JA), errors=((None, "", "データの行がありません"),)),
    Case("broken-zip", b"PK\x03\x04\x00\x00\x08\x00" + bytes(range(256)), errors=((None, "", "Excel ブック"),)),
    Case("binary", b"\x7fELF\x02\x01\x00" + bytes(range(256)), errors=((None, "", "CSV でも Excel ブック"),)),
    Case("old-xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), errors=((None, "", ".xls"),)),
    Case("not-cp932-either", b"\x81\x00"[:1] + b"\xff\xfe\xfd" * 10, errors=((1, "", "文字コード"),)),
    Case("50MB", b"a" * (50 * 1024 * 1024), errors=((None, "", "大きすぎます"),)),
    Case("unknown-name", u8(HEADER_JA + "町の幸福度,2025,50\n"), errors=((2, "指標", "計画にない指標"),)),
    Case("ambiguous-name", u8(HEADER_JA + "平均自立期間,2025,75\n"), errors=((2, "指標", "指標が複数"),)),
    Case("duplicate-series-year", u8(HEADER_JA + "人口,2025,2380\n人口,R7,2390\n"), errors=((3, "年度", "2行目にも"),)),
    Case(
        "duplicate-via-two-names-differing",
        u8(HEADER_JA + "合計特殊出生率,2025,1.3\n合計特殊出生率(5カ年平均),2025,1.31\n"),
        errors=((3, "年度", "2か所に載っている同じ指標"),),
    ),
    Case("text-in-value", u8(HEADER_JA + "人口,2025,約2400\n"), errors=((2, "実績値", "数値として読めません"),)),
    Case("year-2050", u8(HEADER_JA + "人口,2050,2000\n"), errors=((2, "年度", "範囲外"),)),
    Case("year-typo-7", u8(HEADER_JA + "人口,7,2000\n"), errors=((2, "年度", "範囲外"),)),
    Case("year-typo-2205", u8(HEADER_JA + "人口,2205,2000\n"), errors=((2, "年度", "範囲外"),)),
    Case("year-unreadable", u8(HEADER_JA + "人口,来年,2000\n"), errors=((2, "年度", "読めません"),)),
    Case("percent-150", u8(HEADER_JA + "乳幼児健診・相談受診率,2025,150%\n"), errors=((2, "実績値", "0〜100"),)),
    Case("negative-people", u8(HEADER_JA + "人口,2025,-5\n"), errors=((2, "実績値", "小さくなりません"),)),
    Case("negative-cases", u8(HEADER_JA + "新規出店数,2025,▲1件\n"), errors=((2, "実績値", "小さくなりません"),)),
    Case("wrong-unit", u8(HEADER_JA + "観光入込客数,2025,95000人\n"), errors=((2, "実績値", "単位"),)),
    Case(
        "formula-as-value", u8(HEADER_JA + '人口,2025,"=SUM(A1:A3)"\n'), errors=((2, "実績値", "数値として読めません"),)
    ),
    Case(
        "formula-as-indicator",
        u8(HEADER_JA + '"=HYPERLINK(""http://x"")",2025,1\n'),
        errors=((2, "指標", "計画にない指標"),),
    ),
    Case("missing-columns", u8("名前,数\n人口,2380\n"), errors=((None, "", "見出し行が見つかりません"),)),
    Case("no-value-column", u8("指標,年度\n人口,2025\n"), errors=((None, "", "見出し行が見つかりません"),)),
    Case(
        "two-indicator-columns",
        u8("指標,指標名,年度,実績値\n人口,人口,2025,2380\n"),
        errors=((1, "指標名", "同じ意味の列が2つ"),),
    ),
    Case("unquoted-thousands-comma", u8("指標,年度,実績値\n人口,2025,2,380\n"), errors=((2, "", "列の数"),)),
    Case(
        "unquoted-thousands-comma-into-note",
        u8(HEADER_JA + "新規出店数,2025,1,200\n"),
        errors=((2, "実績値", "2つの列に分かれて"),),
    ),
    Case(
        "unquoted-thousands-comma-with-note",
        u8(HEADER_JA + "人口,2025,2,380,住基\n"),
        errors=((2, "", "列の数"),),
    ),
    Case(
        "many-bad-rows-all-listed",
        u8(
            HEADER_JA + "人口,2025,abc\n謎の指標,2025,1\n人口,2099,1\n乳幼児健診・相談受診率,2026,101\n人口,2026,2300\n"
        ),
        errors=((2, "実績値", "数値"), (3, "指標", "計画にない"), (4, "年度", "範囲外"), (5, "実績値", "0〜100")),
    ),
    Case(
        "id-and-name-disagree",
        u8("指標ID,指標名,年度,実績値\n0-V1,出生率,2025,1\n"),
        errors=((2, "指標名", "合いません"),),
    ),
    Case("too-many-cells", u8(HEADER_JA + "人口,2025,2380,メモ,余計\n"), errors=((2, "", "列の数"),)),
    Case("all-values-blank", u8(HEADER_JA + "人口,2025,—\n"), errors=((None, "", "値の入った行がありません"),)),
]
