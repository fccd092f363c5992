"""Files in and out of the actuals store: template, export, import preview and the changes to save."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from kamiplan.labels import indicator_ref, timestamp_text
from kamiplan.plan.values import format_number
from kamiplan.reading.layout import SKIP_REASONS
from kamiplan.reading.tabular import unescape_formula
from kamiplan.reading.when import as_of_label, year_ref
from kamiplan.records.actuals_file import ParsedActuals, ReadOptions, parse_actuals
from kamiplan.records.actuals_store import EMPTY, ActualsStore, Cell, Change, Describe, SaveResult

TEMPLATE_COLUMNS = ("指標ID", "指標名", "単位", "年度", "実績値", "備考", "出典")
ENCODINGS = {"utf-8-sig": "UTF-8(BOM付き)", "cp932": "Shift_JIS(cp932)"}

STATUS_NEW = "新規"
STATUS_CHANGED = "変更"
STATUS_UNCHANGED = "変更なし"


def template_frame(indicators: pd.DataFrame, years: range) -> pd.DataFrame:
    """One row per series and year to fill in (shared series appear once, under their first row)."""
    rows = []
    for r in indicators.drop_duplicates("series_id").to_dict("records"):
        for year in years:
            rows.append(
                {
                    "指標ID": r["indicator_id"],
                    "指標名": r["label"],
                    "単位": r["unit"],
                    "年度": year,
                    "実績値": None,
                    "備考": "",
                    "出典": "",
                }
            )
    frame = pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS))
    frame["実績値"] = frame["実績値"].astype("Float64")
    return frame


def export_frame(indicators: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """The recorded actuals in the import format (re-importing it changes nothing)."""
    first = indicators.drop_duplicates("series_id").set_index("series_id")
    rows = []
    for r in current.sort_values(["series_id", "year"]).to_dict("records"):
        if r["series_id"] not in first.index:
            continue
        ind = first.loc[r["series_id"]]
        rows.append(
            {
                "指標ID": ind["indicator_id"],
                "指標名": ind["label"],
                "単位": ind["unit"],
                # A value recorded for a date (国勢調査 2020-10-01) is exported with that date, so that
                # importing the export gives back the same year and date.
                "年度": r.get("as_of") or int(r["year"]),
                "実績値": int(r["value"]) if float(r["value"]).is_integer() else r["value"],
                "備考": r["note"],
                "出典": r["source"],
            }
        )
    frame = pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS))
    # Whole numbers as 2380, not 2380.0 (what a person would type); the column stays numeric in Excel.
    frame["実績値"] = pd.Series([r["実績値"] for r in rows], dtype=object)
    frame["年度"] = pd.Series([r["年度"] for r in rows], dtype=object)
    return frame


def describer(indicators: pd.DataFrame) -> Describe:
    """``(series_id, year) → 「人口(0-V1)・R7(2025)年度」`` for the store's messages."""
    first = {r["series_id"]: r for r in indicators.drop_duplicates("series_id").to_dict("records")}

    def describe(series_id: str, year: int) -> str:
        row = first.get(series_id)
        if row is None:
            return f"{series_id}・{year}"
        return f"{indicator_ref(row)}・{year_ref(int(year), row['year_basis'])}"

    return describe


def _number(value, unit: str = "") -> str:
    return "" if value is None or pd.isna(value) else f"{format_number(float(value))}{unit}"


@dataclass(frozen=True)
class ImportPlan:
    """What an import would change, computed before anything is written."""

    parsed: ParsedActuals
    preview: pd.DataFrame
    changes: list[Change]
    revision: int
    describe: Describe | None = None

    @property
    def counts(self) -> dict[str, int]:
        return self.preview["状態"].value_counts().to_dict() if not self.preview.empty else {}

    def skipped_frame(self) -> pd.DataFrame:
        """Every line the reader did not use: line, why, what it held (title, blank, note, no value)."""
        rows = [
            {"行": s.line, "理由": SKIP_REASONS[s.kind], "列": s.column, "内容": s.text, "説明": s.detail}
            for s in self.parsed.skipped
        ]
        return pd.DataFrame(rows, columns=["行", "理由", "列", "内容", "説明"])

    def notices_frame(self, which: str = "warnings") -> pd.DataFrame:
        """Warnings (基準値・単位 differing from the plan) or the confirmed unusual values."""
        notices = self.parsed.warnings if which == "warnings" else self.parsed.unusual
        rows = [{"行": n.line, "列": n.column, "指標": n.subject, "内容": n.message} for n in notices]
        return pd.DataFrame(rows, columns=["行", "列", "指標", "内容"])


# What a person checks first comes first (at 1280 px the table shows about eight columns).
PREVIEW_COLUMNS = (
    "行",
    "状態",
    "指標名",
    "年度",
    "現在の値",
    "新しい値",
    "読み取った内容",
    "時点",
    "確認",
    "新しい備考",
    "新しい出典",
    "現在の備考",
    "現在の出典",
    "指標ID",
)


def plan_import(
    data: bytes,
    filename: str,
    indicators: pd.DataFrame,
    store: ActualsStore,
    options: ReadOptions | None = None,
) -> ImportPlan:
    """Parse a file and compare it with the store: the preview (new / changed old → new / unchanged).

    備考 and 出典 replace what is stored only where the file's cell has text: a column absent from the
    file, or a blank cell, keeps the recorded note and source. A value given with a date keeps that date
    (``as_of``); the same value given with a year only keeps the recorded date.
    """
    current = store.cells()
    revision = store.revision()
    recorded = {key: cell.value for key, cell in current.items() if cell.value is not None}
    parsed = parse_actuals(data, indicators, filename, replace(options or ReadOptions(), recorded=recorded))
    has_note = "note" in parsed.roles
    has_source = "source" in parsed.roles
    by_id = indicators.set_index("indicator_id", drop=False).to_dict("index")
    rows, changes = [], []
    for r in parsed.records:
        old = current.get((r.series_id, r.year), EMPTY)
        # A blank 備考/出典 cell keeps what is recorded: the template's empty columns, sent back with values
        # only, must not erase 企画課's 要因分析 (clear a note on the edit page instead).
        same_value = old.value is not None and Cell(r.value).same_as(Cell(old.value))
        new = Cell(
            value=r.value,
            note=unescape_formula(r.note) if has_note and r.note else old.note,
            source=unescape_formula(r.source) if has_source and r.source else old.source,
            as_of=r.as_of or (old.as_of if same_value else ""),
        )
        ind = by_id[r.indicator_id]
        if old.value is None:
            status = STATUS_NEW
        elif old.same_as(new):
            status = STATUS_UNCHANGED
        else:
            status = STATUS_CHANGED
        rows.append(
            {
                "行": r.line,
                "状態": status,
                "指標ID": r.indicator_id,
                "指標名": ind["label"],
                "年度": year_ref(r.year, ind["year_basis"]),
                "時点": as_of_label(r.as_of) if r.as_of else "",
                "現在の値": _number(old.value, ind["unit"]),
                "新しい値": _number(new.value, ind["unit"]),
                "読み取った内容": r.read,
                "確認": r.remark,
                "現在の備考": old.note,
                "新しい備考": new.note,
                "現在の出典": old.source,
                "新しい出典": new.source,
            }
        )
        if status != STATUS_UNCHANGED:
            changes.append(Change(series_id=r.series_id, year=r.year, new=new, expected=old))
    preview = pd.DataFrame(rows, columns=list(PREVIEW_COLUMNS))
    return ImportPlan(
        parsed=parsed, preview=preview, changes=changes, revision=revision, describe=describer(indicators)
    )


def commit_import(plan: ImportPlan, store: ActualsStore, by: str, filename: str) -> SaveResult:
    """Save what the preview showed; refused as stale if the store changed since the preview."""
    return store.save(plan.changes, by=by, how=f"file:{filename}", describe=plan.describe)


LOG_COLUMNS = ("変更番号", "日時", "記録者", "方法", "指標", "年度", "変更前", "変更後", "備考(変更後)", "出典(変更後)")


def how_text(how: str) -> str:
    """How a change came in, for people: 画面で入力 / ファイル 実績.xlsx / 変更番号 3 を元に戻す / やり直し."""
    kind, _, ref = str(how).partition(":")
    if kind == "form":
        return "画面で入力"
    if kind == "file":
        return f"ファイル {ref}"
    if kind == "undo":
        return f"変更番号 {ref} を元に戻す"
    if kind == "redo":
        return f"やり直し(変更番号 {ref} の取り消しを戻す)"
    return str(how)


def log_frame(log: pd.DataFrame, indicators: pd.DataFrame, limit: int = 200) -> pd.DataFrame:
    """The change log for people: newest first, indicator names, years as 「R7(2025)年度」, numbers with units,
    times as 「2026年11月30日 04:16」, an empty value empty."""
    first = {r["series_id"]: r for r in indicators.drop_duplicates("series_id").to_dict("records")}
    rows = []
    ordered = log.sort_values(["revision", "series_id", "year"], ascending=[False, True, True]).head(limit)
    for r in ordered.to_dict("records"):
        ind = first.get(r["series_id"])
        unit = ind["unit"] if ind else ""
        rows.append(
            {
                "変更番号": int(r["revision"]),
                "日時": timestamp_text(r["changed_at"]),
                "記録者": r["changed_by"],
                "方法": how_text(r["how"]),
                "指標": indicator_ref(ind) if ind else r["series_id"],
                "年度": year_ref(int(r["year"]), ind["year_basis"]) if ind else str(int(r["year"])),
                "変更前": _number(r["old_value"], unit) or "(空欄)",
                "変更後": _number(r["new_value"], unit) or "(空欄)",
                "備考(変更後)": r["new_note"] or "",
                "出典(変更後)": r["new_source"] or "",
            }
        )
    return pd.DataFrame(rows, columns=list(LOG_COLUMNS))


def change_summary(log: pd.DataFrame, revision: int, indicators: pd.DataFrame, reverse: bool = False) -> list[str]:
    """What one change did — or, with ``reverse``, what undoing it will do — line by line, for the page.

    The first line says who, when and how (「変更番号 3・2026年11月30日 10:15・企画課 山田・画面で入力」); each
    further line one value (「人口(0-V1)・R8(2026)年: (空欄) → 2,300人」). 元に戻す shows the change it takes
    back with ``reverse`` (what the values become); やり直す shows the change it brings back as it was made.
    """
    rows = log_frame(log[log["revision"] == revision], indicators)
    if rows.empty:
        return []
    head = rows.iloc[0]
    lines = [f"変更番号 {revision}・{head['日時']}・{head['記録者']}・{head['方法']}"]
    for r in rows.itertuples():
        before, after = (r.変更後, r.変更前) if reverse else (r.変更前, r.変更後)
        lines.append(f"{r.指標}・{r.年度}: {before} → {after}")
    return lines
