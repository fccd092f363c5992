"""The progress report: every indicator evaluated for one year (``python -m kamiplan report``)."""

from __future__ import annotations

import datetime
import io
import unicodedata

import duckdb
import pandas as pd

from kamiplan.labels import DIRECTION_LABELS, GRADE_SYMBOLS, KIND_LABELS, REPORT_COLUMNS
from kamiplan.model.progress import evaluate_indicators
from kamiplan.plan import queries
from kamiplan.plan.periods import POINT_IN_TIME
from kamiplan.reading.when import date_label, year_ref

CSV_COLUMNS = (
    "indicator_id",
    "pillar",
    "policy",
    "name",
    "unit",
    "kind",
    "direction",
    "year",
    "period",
    "actual",
    "expected",
    "progress_pct",
    "achievement_pct",
    "grade",
    "grade_label",
    "projected",
    "projected_meets",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "progress_formula",
    "achievement_formula",
)
ROUND = 4


def build_report(con: duckdb.DuckDBPyConnection, actuals: pd.DataFrame, year: int) -> pd.DataFrame:
    """Evaluate every indicator row for ``year`` against ``actuals`` (series_id, year, value).

    Parameters
    ----------
    con : DuckDB cursor over the plan tables
    actuals : DataFrame
        Yearly values by series.
    year : int

    Returns
    -------
    DataFrame
        One row per indicator row in document order, columns :data:`CSV_COLUMNS`.
    """
    start_year = int(queries.plan_info(con)["start_year"])
    indicators = queries.indicators(con)
    frame = evaluate_indicators(indicators, actuals, year, start_year)
    frame["period"] = [period_text(row, year) for row in indicators.to_dict("records")]
    return frame[list(CSV_COLUMNS)]


def period_text(indicator: dict, year: int) -> str:
    """The period the indicator is counted in that year: 「R7(2025)年度」「R7(2025)年」「R7.4.1(2025) 時点」."""
    basis, as_of = indicator["year_basis"], str(indicator.get("baseline_as_of") or "")
    if basis == POINT_IN_TIME and len(as_of) == 10:
        month, day = int(as_of[5:7]), int(as_of[8:10])
        return f"{date_label(datetime.date(year, month, day))} 時点"
    return year_ref(year, basis)


def to_csv(report: pd.DataFrame) -> str:
    """The report as CSV text for Excel: Japanese headers and words (:data:`kamiplan.labels.REPORT_COLUMNS`),
    numbers rounded to 4 decimals, empty where undefined."""
    out = report.copy()
    for col in ("actual", "expected", "progress_pct", "achievement_pct", "projected"):
        out[col] = out[col].round(ROUND)
    out["kind"] = [KIND_LABELS.get(k, k) for k in out["kind"]]
    out["direction"] = [DIRECTION_LABELS.get(d, d) for d in out["direction"]]
    out["projected_meets"] = ["" if pd.isna(m) else ("はい" if m else "いいえ") for m in out["projected_meets"]]
    out = out.rename(columns=REPORT_COLUMNS)
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _fmt(value) -> str:
    if value is None or pd.isna(value):
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def to_table(report: pd.DataFrame) -> str:
    """A table for the terminal, aligned for full-width characters."""
    headers = ["ID", "評価", "指標", "時期", "実績", "計画線", "進捗率%", "達成率%", "見込み"]
    rows = []
    for r in report.itertuples():
        name = r.name if _width(r.name) <= 40 else r.name[:19] + "…"
        rows.append(
            [
                r.indicator_id,
                f"{GRADE_SYMBOLS[r.grade]}{r.grade_label}",
                name,
                r.period,
                _fmt(r.actual) + (r.unit if not pd.isna(r.actual) else ""),
                _fmt(r.expected),
                _fmt(r.progress_pct),
                _fmt(r.achievement_pct),
                _fmt(r.projected),
            ]
        )
    widths = [max(_width(h), *(_width(row[i]) for row in rows)) for i, h in enumerate(headers)]
    right = {4, 5, 6, 7, 8}
    lines = ["  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(headers))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(row)))
    return "\n".join(lines) + "\n"
