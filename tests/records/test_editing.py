"""The edit form's table → changes (with the user's view as the expected old values)."""

from __future__ import annotations

import pandas as pd
import pytest

from kamiplan.records.actuals_store import Cell
from kamiplan.records.editing import (
    COL_AS_OF,
    COL_NOTE,
    COL_SOURCE,
    COL_VALUE,
    COL_YEAR,
    changes_from_editor,
    editor_frame,
    form_years,
)


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
    assert frame[COL_YEAR].tolist() == ["R7(2025)", "R8(2026)", "R9(2027)", "R10(2028)", "R11(2029)"]
    assert frame.loc[0, COL_VALUE] == "2,380" and frame.loc[0, COL_NOTE] == "住基"
    assert frame.loc[1, COL_VALUE] == ""  # an empty year is an empty cell, never "None" or "nan"
    result = changes_from_editor(pop, snapshot, frame)
    changes, problems = result.changes, result.problems
    assert changes == [] and problems == []


def test_edit_add_delete(pop):
    snapshot = {2025: Cell(2380.0, "住基", ""), 2026: Cell(2300.0)}
    frame = editor_frame(pop, snapshot)
    frame.loc[0, COL_VALUE] = "2385"
    frame.loc[2, COL_VALUE] = "2200"
    frame.loc[2, COL_SOURCE] = "町民課"
    frame = frame.drop(index=1)  # deleting the 2026 row clears it
    frame = pd.concat(
        [frame, pd.DataFrame([{COL_YEAR: "1995", COL_VALUE: "4000", COL_NOTE: "国勢調査", COL_SOURCE: ""}])]
    )
    result = changes_from_editor(pop, snapshot, frame)
    changes, problems = result.changes, result.problems
    assert problems == []
    got = {(c.year, c.new.value, c.expected.value) for c in changes}
    assert got == {(1995, 4000.0, None), (2025, 2385.0, 2380.0), (2026, None, 2300.0), (2027, 2200.0, None)}
    assert next(c for c in changes if c.year == 2025).new.note == "住基"


def test_bad_rows_are_all_reported(indicators, pop):
    rate = indicators.loc["1-1-T3"].to_dict()
    frame = editor_frame(rate, {})
    frame.loc[0, COL_VALUE] = "150"
    frame.loc[1, COL_YEAR] = "2205"
    frame.loc[2, COL_YEAR] = "2024"  # the first row's year
    frame.loc[3, COL_NOTE] = "値なし"
    result = changes_from_editor(rate, {}, frame)
    changes, problems = result.changes, result.problems
    assert changes == []
    assert [(p.subject, p.line, p.column) for p in problems] == [
        ("乳幼児健診・相談受診率(1-1-T3)・R6(2024)年度", None, COL_VALUE),
        ("", 2, COL_YEAR),
        ("乳幼児健診・相談受診率(1-1-T3)・R6(2024)年度", 3, COL_YEAR),
        ("乳幼児健診・相談受診率(1-1-T3)・R9(2027)年度", None, COL_VALUE),
    ]
    assert "0〜100" in problems[0].message and "範囲外" in problems[1].message
    negative = editor_frame(pop, {})
    negative.loc[0, COL_VALUE] = "-1"
    assert "小さくなりません" in changes_from_editor(pop, {}, negative).problems[0].message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("２３８０", 2380.0),  # IME still on: full-width digits were dropped by the number column
        ("２，３９０", 2390.0),
        ("2,390", 2390.0),
        ("2390人", 2390.0),
        ("　2390　", 2390.0),
        ("2390.0", 2390.0),
    ],
)
def test_what_people_type_is_read(pop, typed, stored):
    frame = editor_frame(pop, {})
    frame.loc[0, COL_VALUE] = typed
    result = changes_from_editor(pop, {}, frame)
    changes, problems = result.changes, result.problems
    assert problems == []
    assert [(c.year, c.new.value) for c in changes] == [(2025, stored)]


@pytest.mark.parametrize(
    ("indicator_id", "typed", "stored"),
    [("0-P2", "▲12", -12.0), ("0-P2", "△１２人", -12.0), ("1-1-T3", "98.5%", 98.5), ("1-1-T3", "９８．５％", 98.5)],
)
def test_signs_and_units(indicators, indicator_id, typed, stored):
    ind = indicators.loc[indicator_id].to_dict()
    frame = editor_frame(ind, {})
    frame.loc[0, COL_VALUE] = typed
    result = changes_from_editor(ind, {}, frame)
    changes, problems = result.changes, result.problems
    assert problems == [] and changes[0].new.value == stored


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [("約2400", "数値として読めません"), ("－", "空欄"), ("2,38", "数値として読めません"), ("2390円", "単位")],
)
def test_what_cannot_be_read_is_named_and_nothing_saved(pop, typed, fragment):
    frame = editor_frame(pop, {2026: Cell(2300.0)})
    frame.loc[0, COL_VALUE] = typed
    frame.loc[1, COL_VALUE] = "2250"  # a good change in the same save is not saved either
    result = changes_from_editor(pop, {2026: Cell(2300.0)}, frame)
    changes, problems = result.changes, result.problems
    assert changes == []
    assert len(problems) == 1 and fragment in problems[0].message
    assert (problems[0].subject, problems[0].column, problems[0].value) == ("人口(0-V1)・R7(2025)年", COL_VALUE, typed)
    assert "R7(2025)年" in str(problems[0]) and "「" + typed + "」" in str(problems[0])


def test_unusual_values_need_confirmation(indicators):
    tourism = indicators.loc["2-2-K1"].to_dict()  # 万人, baseline 9.5
    frame = editor_frame(tourism, {})
    frame.loc[0, COL_VALUE] = "98000人"
    result = changes_from_editor(tourism, {}, frame)
    assert result.changes == [] and result.problems == [] and "9.8万人" in result.unusual[0].message
    confirmed = changes_from_editor(tourism, {}, frame, accept_unusual=True)
    assert [(c.year, c.new.value) for c in confirmed.changes] == [(2024, 9.8)]  # the first year after R5


def test_a_value_kept_keeps_its_date_and_a_new_value_has_none(pop):
    snapshot = {2020: Cell(2800.0, "国勢調査", "", "2020-10-01"), 2025: Cell(2380.0)}
    frame = editor_frame(pop, snapshot)
    assert frame.loc[0, COL_YEAR] == "R2(2020)" and "10月1日" in frame.loc[0, COL_AS_OF]
    assert changes_from_editor(pop, snapshot, frame).changes == []
    frame.loc[0, COL_NOTE] = "国勢調査(確定)"
    changes = changes_from_editor(pop, snapshot, frame).changes
    assert [(c.year, c.new.as_of) for c in changes] == [(2020, "2020-10-01")]
    frame.loc[0, COL_VALUE] = "2,801"
    changes = changes_from_editor(pop, snapshot, frame).changes
    assert [(c.year, c.new.value, c.new.as_of) for c in changes] == [(2020, 2801.0, "")]


def test_the_editor_shows_every_digit_so_an_untouched_value_is_not_rewritten(indicators):
    rate = indicators.loc["1-2-K1"].to_dict()
    snapshot = {2024: Cell(26 / 38 * 100), 2025: Cell(68.4)}
    frame = editor_frame(rate, snapshot)
    assert frame.loc[0, COL_VALUE] == "68.42105263157895"
    frame.loc[1, COL_NOTE] = "テスト用の備考"
    changes = changes_from_editor(rate, snapshot, frame).changes
    assert [c.year for c in changes] == [2025]  # only the year whose note changed


def test_clearing_a_value_that_has_a_note_deletes_the_year(pop):
    snapshot = {2025: Cell(2380.0, "住基", "町民課")}
    frame = editor_frame(pop, snapshot)
    frame.loc[0, COL_VALUE] = ""
    result = changes_from_editor(pop, snapshot, frame)
    assert result.problems == [] and [(c.year, c.new) for c in result.changes] == [(2025, Cell())]


def test_a_confirmation_covers_only_the_values_it_was_given(indicators):
    tourism = indicators.loc["2-2-K1"].to_dict()
    frame = editor_frame(tourism, {})
    frame.loc[0, COL_VALUE] = "98500人"
    first = changes_from_editor(tourism, {}, frame)
    assert first.unusual_keys == [(2024, "98500人")] and "「9.85万人」として保存します" in first.unusual[0].message
    frame.loc[1, COL_VALUE] = "99000"  # typed after the confirmation was given
    second = changes_from_editor(tourism, {}, frame, accept_unusual=first.unusual_keys)
    assert second.changes == [] and second.unusual_keys == [(2025, "99000")]


def test_a_recorded_unusual_value_is_not_questioned_again(indicators):
    tourism = indicators.loc["2-2-K1"].to_dict()
    snapshot = {2024: Cell(95100.0)}  # confirmed when it was saved
    frame = editor_frame(tourism, snapshot)
    frame.loc[0, COL_NOTE] = "テスト用"
    result = changes_from_editor(tourism, snapshot, frame)
    assert result.unusual == [] and [c.year for c in result.changes] == [2024]
