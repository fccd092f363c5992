"""The edit form's table → changes (with the user's view as the expected old values)."""

from __future__ import annotations

import pandas as pd
import pytest

from kamiplan.actuals_store import Cell
from kamiplan.editing import COL_NOTE, COL_SOURCE, COL_VALUE, COL_YEAR, changes_from_editor, editor_frame, form_years


@pytest.fixture
def pop(indicators):
    return indicators.loc["0-V1"].to_dict()


def test_form_years(indicators, pop):
    assert form_years(pop, []) == [2025, 2026, 2027, 2028, 2029]  # baseline R6.4.1
    assert form_years(indicators.loc["1-3-K1"].to_dict(), [1995]) == [1995, 2024, 2025, 2026, 2027, 2028, 2029]
    assert form_years(indicators.loc["2-1-K1"].to_dict(), []) == [2025, 2026, 2027, 2028, 2029]


def test_editor_frame_and_no_change(pop):
    snapshot = {2025: Cell(2380.0, "住基", "")}
    frame = editor_frame(pop, snapshot)
    assert frame[COL_YEAR].tolist() == [2025, 2026, 2027, 2028, 2029]
    assert frame.loc[0, COL_VALUE] == 2380.0 and frame.loc[0, COL_NOTE] == "住基"
    changes, problems = changes_from_editor(pop, snapshot, frame)
    assert changes == [] and problems == []


def test_edit_add_delete(pop):
    snapshot = {2025: Cell(2380.0, "住基", ""), 2026: Cell(2300.0)}
    frame = editor_frame(pop, snapshot)
    frame.loc[0, COL_VALUE] = 2385.0
    frame.loc[2, COL_VALUE] = 2200.0
    frame.loc[2, COL_SOURCE] = "町民課"
    frame = frame.drop(index=1)  # deleting the 2026 row clears it
    frame = pd.concat(
        [frame, pd.DataFrame([{COL_YEAR: 1995, COL_VALUE: 4000.0, COL_NOTE: "国勢調査", COL_SOURCE: ""}])]
    )
    changes, problems = changes_from_editor(pop, snapshot, frame)
    assert problems == []
    got = {(c.year, c.new.value, c.expected.value) for c in changes}
    assert got == {(1995, 4000.0, None), (2025, 2385.0, 2380.0), (2026, None, 2300.0), (2027, 2200.0, None)}
    assert next(c for c in changes if c.year == 2025).new.note == "住基"


def test_bad_rows_are_all_reported(indicators, pop):
    rate = indicators.loc["1-1-T3"].to_dict()
    frame = editor_frame(rate, {})
    frame.loc[0, COL_VALUE] = 150.0
    frame.loc[1, COL_YEAR] = 2205
    frame.loc[2, COL_YEAR] = 2024  # the first row's year
    frame.loc[3, COL_NOTE] = "値なし"
    changes, problems = changes_from_editor(rate, {}, frame)
    assert changes == []
    assert [(p.line, p.column) for p in problems] == [(1, COL_VALUE), (2, COL_YEAR), (3, COL_YEAR), (4, COL_VALUE)]
    assert "0〜100" in problems[0].message and "範囲外" in problems[1].message
    negative = editor_frame(pop, {})
    negative.loc[0, COL_VALUE] = -1.0
    assert "小さくなりません" in changes_from_editor(pop, {}, negative)[1][0].message
