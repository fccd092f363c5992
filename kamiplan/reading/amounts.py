"""One value cell read for one indicator: a number in the indicator's unit, "no value", a refusal, or a question.

Shared by the import files and the edit page's table (and, later, the project records' amounts):
full-width digits, thousands commas, ▲/△/ー as minus, a unit after the number converted within its
family (98000人 → 9.8万人, questioned until confirmed), the no-value marks of statistics tables
(:data:`kamiplan.plan.values.NA_MEANINGS`), and the plausibility checks that stop a value of the wrong scale
before it is written (more than 10× away from both the baseline and the target; a fraction for a
percentage). Sources: e-Stat and 北海道 statistics tables' marks; the plan's units (計画書 各指標表).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from kamiplan.plan.values import (
    NA_DASH,
    SCALE_FACTOR,
    UNIT_FACTORS,
    convert_unit,
    excel_error,
    format_number,
    not_available,
    parse_number,
    unit_of,
)
from kamiplan.reading.tabular import Value, text_of

_MINUS_LOOKALIKE = re.compile(r"^\s*[ー‐‑–―−－](?=\s*\d)")


@dataclass(frozen=True)
class Amount:
    """A value cell read for one indicator: a number, "no value", or a refusal."""

    value: float | None = None
    na: str | None = None  # kind of no-value mark
    refused: str = ""
    unusual: str = ""  # why the value is questioned (with the hint)
    converted_from: str = ""  # the cell when its unit was converted


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith("。") else text + "。"


def plan_numbers(ind: dict) -> str:
    unit = ind["unit"]
    parts = [f"単位は「{unit}」" if unit else "単位はありません"]
    if ind.get("baseline_value") is not None and not pd.isna(ind.get("baseline_value")):
        parts.append(f"基準値は {ind['baseline_label']}")
    parts.append(f"目標値は {ind['target_label']}")
    return f"この指標の{'、'.join(parts)}です。"


def far_from(value: float, reference: float) -> bool:
    """At least :data:`SCALE_FACTOR` times larger or smaller than ``reference`` (both non-zero)."""
    ratio = abs(value) / abs(reference)
    return ratio >= SCALE_FACTOR or ratio <= 1 / SCALE_FACTOR  # 95 for 9.5 (a 千人/万人 slip) is exactly 10×


def _scale_problem(value: float, ind: dict) -> str:
    """Why a value in the indicator's unit cannot be right in scale ("" when plausible).

    Zero is never questioned: no events in a year is an ordinary count.
    """
    if value == 0:
        return ""
    base, target, unit = ind.get("baseline_value"), ind.get("target_value"), ind["unit"]
    base = None if base is None or pd.isna(base) else float(base)
    target = None if target is None or pd.isna(target) else float(target)
    reference = base if base is not None else target  # 4-2-K1 has no baseline (—): its target says the scale
    if unit == "%" and reference is not None and reference >= 5 and 0 < abs(value) <= 1:
        which = "基準値" if base is not None else "目標値"
        return (
            f"{format_number(value)}% は{which} {format_number(reference)}% に比べて小さすぎます。"
            f"{format_number(value * 100)}% のことなら「{format_number(value * 100)}」と書きます"
        )

    def far(reference: float | None) -> bool:
        return bool(reference) and far_from(value, reference)

    if base and target and far(base) and far(target):
        hint = ""
        family = UNIT_FACTORS.get(unit)
        for written, (kind, factor) in UNIT_FACTORS.items():
            if family is None or kind != family[0] or written == unit:
                continue
            converted = round(value * factor / family[1], 6)
            if not far_from(converted, base):
                hint = f"{written}で数えた値なら、{unit}では「{format_number(converted)}」と書きます。"
                break
        return f"{format_number(value)} は基準値・目標値から{SCALE_FACTOR:g}倍以上離れています。{hint}"
    return ""


def read_amount(cell: Value, ind: dict, unit_column: str = "", dash_as_zero: bool = False) -> Amount:
    """Read one value cell for indicator ``ind`` (a row of ``indicators.parquet``).

    Parameters
    ----------
    cell : str, int, float or None
        The cell as read (Excel numbers stay numbers).
    ind : dict
        The indicator (unit, bounds, baseline and target).
    unit_column : str
        The row's 単位 column, if the file has one (applies when the cell has no unit).
    dash_as_zero : bool
        Read 「－」 as 0 (statistics tables; chosen by the person, never guessed).

    Returns
    -------
    Amount
        ``value`` in the indicator's unit, or ``na``, or ``refused`` with the reason. ``unusual`` is set
        (with ``value`` kept) when the value is questioned; the caller decides.
    """
    unit = ind["unit"]
    if isinstance(cell, bool):
        cell = text_of(cell)
    if isinstance(cell, (int, float)):
        if isinstance(cell, float) and (math.isnan(cell) or math.isinf(cell)):
            return Amount(na="blank")
        value, written = float(cell), ""
    else:
        text = text_of(cell)
        if excel_error(text):
            return Amount(refused="Excel のエラー値です。元の表の数式を確かめ、値を入れてから保存し直してください")
        text = _MINUS_LOOKALIKE.sub("-", text)  # ー12, ‐12 typed for -12 with the IME
        na = not_available(text)
        if na is not None:
            if na == NA_DASH and dash_as_zero:
                return Amount(value=0.0, converted_from=text)
            return Amount(na=na)
        parsed = parse_number(text)
        if parsed is None:
            return Amount(refused="数値として読めません。数字だけを書いてください(単位以外の説明は備考の列へ)")
        value, written = parsed.value, unit_of(parsed.rest)
    if not written and unit_column and unit_of(unit_column) != unit and unit_of(unit_column) in UNIT_FACTORS:
        written = unit_of(unit_column)
    converted_from = ""
    unusual = ""
    if written and written != unit:
        converted = convert_unit(value, written, unit)
        if converted is None:
            if not unit:
                return Amount(refused=f"この指標に単位はありません(「{written}」は書かずに数値だけにします)")
            if written not in UNIT_FACTORS:
                return Amount(
                    refused=f"数値のあとの「{written}」を単位として読めません。この指標の単位は「{unit}」です"
                    "(説明は備考の列へ書きます)"
                )
            return Amount(refused=f"単位「{written}」がこの指標の単位「{unit}」と違い、換算できません")
        converted_from = f"{format_number(value)}{written}"
        unusual = (
            f"単位が違います: {converted_from} は {format_number(converted)}{unit} です。"
            f"{format_number(converted)}{unit}として記録するには「{format_number(converted)}」と書き直すか、換算を確認してください"
        )
        value = converted
    bound = value_problem(value, ind)
    if bound:
        return Amount(refused=bound)
    if not unusual:
        unusual = _scale_problem(value, ind)
    return Amount(value=value, unusual=unusual, converted_from=converted_from)


def value_problem(value: float, indicator: dict) -> str:
    """Why ``value`` is impossible for the indicator's unit ("" when it is fine)."""
    low, high = indicator.get("value_min"), indicator.get("value_max")
    if low is not None and not pd.isna(low) and value < low:
        what = "割合" if indicator["unit"] == "%" else "人数・件数などの値"
        return f"{what}は{low:g}より小さくなりません"
    if high is not None and not pd.isna(high) and value > high:
        return f"割合(%)は{low:g}〜{high:g}の範囲です"
    return ""
