"""The actuals file: a CSV of yearly values, as staff export it from Excel.

One parser for ``kamiplan report --actuals``, ``kamiplan import`` and the upload on the edit page.

- Encoding: a BOM means UTF-8; else strict UTF-8; else strict cp932 (Excel in Japan).
- Header names in English or Japanese: ``indicator``/``indicator_id``/``指標``/``指標名``/``指標ID``,
  ``year``/``年度``/``年``, ``value``/``実績値``/``値``, optional ``note``/``備考`` and ``source``/``出典``.
- The indicator is an indicator ID or the exact plan name (spacing and full/half width aside); a name
  printed in two places resolves to its one series.
- The year is ``2025``, ``R7``, ``令和7年度``, ``令和7年`` or ``2025年度`` (1950–2035).
- The value may use full-width digits, thousands commas, ▲/△ as minus and a trailing unit;
  "—", "－" or blank mean no value (the row is skipped).

Any row that can't be read refuses the whole file, with every problem listed (row, column, value,
reason). Text (notes, sources) stays text: it is never evaluated, and exports neutralise formulas.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from kamiplan.errors import InputError, Problem
from kamiplan.periods import parse_period
from kamiplan.plan_parser import compact
from kamiplan.values import is_no_value, nfkc, parse_number

MAX_BYTES = 2 * 1024 * 1024
MIN_YEAR, MAX_YEAR = 1950, 2035
MAX_TEXT = 2000

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "指標id", "id"),
    "indicator": ("indicator", "指標", "指標名", "name"),
    "year": ("year", "年度", "年"),
    "value": ("value", "実績値", "値", "実績"),
    "note": ("note", "備考", "要因分析・コメント", "コメント"),
    "source": ("source", "出典"),
}
# Columns the template carries for the reader's convenience; their content is not used.
INFORMATIONAL = ("単位", "unit", "大綱", "基本計画", "pillar", "policy", "区分", "section")
UNIT_ALIASES = {"pt": "ポイント", "ﾎﾟｲﾝﾄ": "ポイント", "point": "ポイント"}


@dataclass(frozen=True)
class ActualRecord:
    """One readable value row of the file."""

    line: int
    indicator_id: str
    series_id: str
    year: int
    value: float
    note: str
    source: str


@dataclass
class ParsedActuals:
    records: list[ActualRecord]
    skipped: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    roles: frozenset[str] = (
        frozenset()
    )  # which columns the file has: indicator_id, indicator, year, value, note, source

    def frame(self) -> pd.DataFrame:
        """Columns series_id, year, value, note, source, indicator_id, line."""
        return pd.DataFrame(
            [r.__dict__ for r in self.records],
            columns=["line", "indicator_id", "series_id", "year", "value", "note", "source"],
        )


def decode(data: bytes, filename: str = "") -> tuple[str, str]:
    """Decode CSV bytes: BOM → utf-8-sig, else strict UTF-8, else strict cp932. Refuses binary data."""
    if not data.strip():
        raise InputError([Problem("ファイルが空です", filename)])
    if len(data) > MAX_BYTES:
        raise InputError(
            [
                Problem(
                    f"ファイルが大きすぎます({len(data):,} バイト)。上限は {MAX_BYTES // 1024 // 1024} MB です",
                    filename,
                )
            ]
        )
    if b"\x00" in data:
        raise InputError(
            [Problem("CSV ではなくバイナリのファイルです(Excel ブックなら「CSV」で保存し直してください)", filename)]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError([Problem("UTF-8 として読めない文字があります", filename, line)]) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([Problem("文字コードが UTF-8 でも Shift_JIS(cp932)でもありません", filename, line)]) from None


class IndicatorResolver:
    """Find the series of an indicator ID or plan name."""

    def __init__(self, indicators: pd.DataFrame) -> None:
        self.rows = {r["indicator_id"]: r for r in indicators.to_dict("records")}
        self.by_id = {compact(i).upper(): i for i in self.rows}
        self.by_name: dict[str, set[str]] = {}
        for r in self.rows.values():
            for key in {compact(r["name"]), compact(r["label"])}:
                self.by_name.setdefault(key, set()).add(r["indicator_id"])

    def resolve(self, text: str) -> tuple[str | None, str]:
        """Return (indicator_id, "") or (None, reason)."""
        key = compact(text)
        if not key:
            return None, "指標が空です"
        if key.upper() in self.by_id:
            return self.by_id[key.upper()], ""
        ids = self.by_name.get(key, set())
        series = {self.rows[i]["series_id"] for i in ids}
        if len(series) == 1:
            # A name printed in two places: report it under its first (plan-wide) row.
            return min(ids, key=lambda i: self.rows[i]["seq"]), ""
        if len(series) > 1:
            labels = "・".join(sorted({self.rows[i]["label"] for i in ids}))
            return None, f"指標名が複数の指標に当てはまります({labels})。区別できる名前か指標IDで書いてください"
        return None, "計画にない指標です(指標IDか計画書どおりの指標名で書きます)"


def _header_map(header: list[str], filename: str) -> tuple[dict[str, int], list[str]]:
    if len(header) == 1 and "\t" in header[0]:
        raise InputError([Problem("タブ区切りのファイルです。カンマ区切り(CSV)で保存してください", filename, 1)])
    problems: list[Problem] = []
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        key = nfkc(raw).strip().lower()
        role = next((r for r, names in HEADER_ALIASES.items() if key in names), None)
        if role is None:
            if key:
                ignored.append(raw.strip())
            continue
        if role in found:
            problems.append(
                Problem(f"同じ意味の列が2つあります(「{header[found[role]]}」と「{raw}」)", filename, 1, raw)
            )
            continue
        found[role] = index
    if "indicator_id" not in found and "indicator" not in found:
        problems.append(Problem("見出し行に指標の列(指標ID・指標名・indicator)がありません", filename, 1))
    for role, label in (("year", "年度(year)"), ("value", "実績値(value)")):
        if role not in found:
            problems.append(Problem(f"見出し行に{label}の列がありません", filename, 1))
    if problems:
        raise InputError(problems)
    return found, [c for c in ignored if nfkc(c).strip().lower() not in INFORMATIONAL]


def parse_year(text: str) -> tuple[int | None, str]:
    """A Western year from 2025 / R7 / 令和7年度 / 令和7年 / 2025年度 (and Excel's 2025.0)."""
    s = nfkc(text).strip()
    if not s:
        return None, "年度が空です"
    s = re.sub(r"^(\d+)\.0+$", r"\1", s)
    if re.fullmatch(r"\d{1,6}", s):
        year = int(s)
    else:
        period = parse_period(s)
        if period is None:
            return None, "年度として読めません(例: 2025、R7、令和7年度)"
        year = period.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, f"年が範囲外です({MIN_YEAR}〜{MAX_YEAR}年)。令和7年度なら 2025 または R7 と書きます"
    return year, ""


def parse_value(text: str, indicator: dict) -> tuple[float | None, str]:
    """A value in the indicator's unit, or (None, reason). A blank or dash is (None, "")."""
    if is_no_value(text):
        return None, ""
    parsed = parse_number(text)
    if parsed is None:
        return None, "数値として読めません"
    unit = indicator["unit"]
    rest = re.sub(r"\s+", "", parsed.rest)
    rest = UNIT_ALIASES.get(rest.lower(), rest)
    if rest and rest != unit:
        if unit:
            return None, f"単位「{rest}」がこの指標の単位「{unit}」と違います(単位を換算せずに書いてください)"
        return None, f"この指標に単位はありません(「{rest}」は不要です)"
    reason = value_problem(parsed.value, indicator)
    return (None, reason) if reason else (parsed.value, "")


def value_problem(value: float, indicator: dict) -> str:
    """Why ``value`` is impossible for the indicator's unit ("" when it is fine)."""
    low, high = indicator.get("value_min"), indicator.get("value_max")
    if low is not None and not pd.isna(low) and value < low:
        what = "割合" if indicator["unit"] == "%" else "人数・件数などの値"
        return f"{what}は{low:g}より小さくなりません"
    if high is not None and not pd.isna(high) and value > high:
        return f"割合(%)は{low:g}〜{high:g}の範囲です"
    return ""


def parse_actuals(data: bytes, indicators: pd.DataFrame, filename: str = "") -> ParsedActuals:
    """Read an actuals CSV (all or nothing).

    Parameters
    ----------
    data : bytes
        The file content.
    indicators : DataFrame
        Rows of ``indicators.parquet`` (IDs, names, units, value bounds).
    filename : str
        Used in messages.

    Returns
    -------
    ParsedActuals
        Raises :class:`InputError` listing every bad row when any row can't be read.
    """
    text, encoding = decode(data, filename)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise InputError([Problem("ファイルが空です", filename)])
    columns, ignored = _header_map(rows[0], filename)
    if len(rows) == 1:
        raise InputError([Problem("見出し行だけで、データの行がありません", filename)])

    resolver = IndicatorResolver(indicators)
    problems: list[Problem] = []
    records: list[ActualRecord] = []
    skipped: list[tuple[int, str]] = []
    seen: dict[tuple[str, int], int] = {}

    def cell(row: list[str], role: str) -> str:
        index = columns.get(role)
        return row[index].strip() if index is not None and index < len(row) else ""

    def header_of(role: str) -> str:
        return rows[0][columns[role]].strip()

    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(rows[0]):
            problems.append(Problem(f"列の数({len(row)})が見出し行({len(rows[0])})より多いです", filename, line))
            continue
        bad = False
        indicator_id = None
        id_text = cell(row, "indicator_id")
        name_text = cell(row, "indicator")
        if id_text:
            indicator_id, reason = resolver.resolve(id_text)
            if indicator_id is None:
                problems.append(Problem(reason, filename, line, header_of("indicator_id"), id_text))
                bad = True
            elif name_text:
                by_name, _ = resolver.resolve(name_text)
                if by_name is None or resolver.rows[by_name]["series_id"] != resolver.rows[indicator_id]["series_id"]:
                    problems.append(
                        Problem(
                            f"指標IDと指標名が合いません(ID {indicator_id} は「{resolver.rows[indicator_id]['label']}」)",
                            filename,
                            line,
                            header_of("indicator"),
                            name_text,
                        )
                    )
                    bad = True
        else:
            indicator_id, reason = resolver.resolve(name_text)
            if indicator_id is None:
                column = header_of("indicator") if "indicator" in columns else header_of("indicator_id")
                problems.append(Problem(reason, filename, line, column, name_text))
                bad = True

        year_text = cell(row, "year")
        year, reason = parse_year(year_text)
        if year is None:
            problems.append(Problem(reason, filename, line, header_of("year"), year_text))
            bad = True

        value_text = cell(row, "value")
        value = None
        if indicator_id is not None:
            value, reason = parse_value(value_text, resolver.rows[indicator_id])
            if reason:
                problems.append(Problem(reason, filename, line, header_of("value"), value_text))
                bad = True

        note, source = cell(row, "note"), cell(row, "source")
        for role, text_value in (("note", note), ("source", source)):
            if len(text_value) > MAX_TEXT:
                problems.append(
                    Problem(f"{MAX_TEXT}文字を超えています", filename, line, header_of(role), text_value[:20] + "…")
                )
                bad = True
        if bad or indicator_id is None or year is None:
            continue
        series_id = resolver.rows[indicator_id]["series_id"]
        key = (series_id, year)
        if key in seen:
            problems.append(
                Problem(
                    f"同じ指標・同じ年度の値が{seen[key]}行目にもあります",
                    filename,
                    line,
                    header_of("year"),
                    year_text,
                )
            )
            continue
        seen[key] = line
        if value is None:
            skipped.append((line, "値なし(—・空欄)のため読み飛ばしました"))
            continue
        records.append(ActualRecord(line, indicator_id, series_id, year, value, note, source))

    if problems:
        raise InputError(problems)
    if not records:
        raise InputError([Problem("値の入った行がありません", filename)])
    return ParsedActuals(
        records=records, skipped=skipped, ignored_columns=ignored, encoding=encoding, roles=frozenset(columns)
    )
