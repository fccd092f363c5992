"""Trajectory points: what each chart draws and its table equivalent."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamiplan.model.trajectory import (
    S_ACTUAL,
    S_BASELINE,
    S_HISTORY,
    S_PATH,
    S_PROJECTION,
    S_TARGET,
    build,
    decimals_of,
    plan_decimals,
    round_half_up,
)
from kamiplan.records.actuals_store import Cell


def series(traj, name):
    pts = traj.points
    return pts[pts["series"] == name]


def test_level_indicator(indicators):
    pop = indicators.loc["0-V1"].to_dict()
    cells = {2025: Cell(2380.0, "住基(テスト)", "町民課"), 2026: Cell(2250.0), 2015: Cell(3100.0)}
    traj = build(pop, cells, 2026, 2025)
    assert series(traj, S_PATH)["year"].tolist() == [2024, 2025, 2026, 2027, 2028, 2029]
    assert series(traj, S_PATH)["value"].iloc[0] == 2438.0 and series(traj, S_PATH)["value"].iloc[-1] == 2020.0
    assert series(traj, S_BASELINE)[["year", "value"]].values.tolist() == [[2024, 2438.0]]
    assert series(traj, S_TARGET)[["year", "value"]].values.tolist() == [[2029, 2020.0]]
    actual = series(traj, S_ACTUAL)
    assert actual["year"].tolist() == [2025, 2026]
    assert actual["expected"].tolist() == pytest.approx([2354.4, 2270.8])
    assert actual["note"].iloc[0] == "住基(テスト)" and actual["source"].iloc[0] == "町民課"
    assert series(traj, S_HISTORY)["year"].tolist() == [2015]
    proj = series(traj, S_PROJECTION)
    assert proj["year"].tolist() == [2026, 2029] and proj["value"].iloc[-1] == pytest.approx(1860.0)
    assert traj.grade == "C" and traj.grade_text == "△ やや遅れ"


def test_history_years_are_apart_from_the_plan_years(indicators):
    """テスト用の架空データ: a census 1995–2020 recorded for 人口 (baseline 2024)."""
    traj = build(indicators.loc["0-V1"].to_dict(), {1995: Cell(6000.0), 2020: Cell(2800.0)}, 2025, 2025)
    assert traj.history_years() == [1995, 2020]
    assert traj.ticks() == [2024, 2025, 2026, 2027, 2028, 2029]  # the plan part's axis: no history year
    assert "x" not in traj.points  # every part places a point by its year, at the true scale
    # Every year in the plan's style (hover texts and the table equivalent): H7(1995), not 1995 beside R2(2020).
    assert series(traj, S_HISTORY)["year_label"].tolist() == ["H7(1995)", "R2(2020)"]
    assert traj.table()["年度"].tolist()[:3] == ["H7(1995)", "R2(2020)", "R6(2024)"]
    assert build(indicators.loc["0-V1"].to_dict(), {2025: Cell(2380.0)}, 2025, 2025).history_years() == []


def test_a_five_year_totals_year_before_its_window_stays_in_the_plan_part(indicators):
    traj = build(indicators.loc["2-1-K1"].to_dict(), {2024: 1.0, 2025: 1.0}, 2025, 2025)
    assert series(traj, S_HISTORY)["year"].tolist() == [2024]  # before the window: not counted
    assert traj.history_years() == [] and traj.ticks()[0] == traj.first_year == 2023


def test_cumulative_running_total_and_own_path(indicators):
    shops = indicators.loc["2-1-K1"].to_dict()
    traj = build(shops, {2025: 1.0, 2026: 1.0}, 2026, 2025)
    path = series(traj, S_PATH)
    assert path["year"].tolist() == [2024, 2025, 2026, 2027, 2028, 2029]
    assert path["value"].tolist() == pytest.approx([0, 1.2, 2.4, 3.6, 4.8, 6.0])
    actual = series(traj, S_ACTUAL)
    assert actual["value"].tolist() == [1.0, 2.0] and actual["yearly"].tolist() == [1.0, 1.0]
    table = traj.table()
    assert "実績(累計)" in table.columns
    assert table.set_index("年度").loc["R8(2026)", "実績(累計)"] == 2.0


def test_no_baseline_draws_no_path(indicators):
    traj = build(indicators.loc["4-2-K1"].to_dict(), {2026: 80.0}, 2026, 2025)
    assert series(traj, S_PATH).empty and series(traj, S_BASELINE).empty
    assert series(traj, S_TARGET)["value"].tolist() == [100.0]
    assert traj.grade == "N"


def test_table_equivalent(indicators):
    traj = build(indicators.loc["1-3-K1"].to_dict(), {2025: Cell(0.8, "<b>注</b>", "")}, 2025, 2025)
    table = traj.table()
    assert table.columns.tolist() == [
        "年度",
        "実績",
        "計画線上の値",
        "進捗率(%)",
        "基準値",
        "目標値",
        "見込み",
        "備考",
        "出典",
    ]
    row = table.set_index("年度").loc["R7(2025)"]
    assert row["実績"] == 0.8 and row["備考"] == "<b>注</b>"
    assert table.set_index("年度").loc["R5(2023)", "基準値"] == 0.76
    # A year without an actual is a missing number (an empty cell), not the text "None".
    assert str(table["実績"].dtype) == "Float64"
    assert pd.isna(table.set_index("年度").loc["R5(2023)", "実績"])


def test_decimals_as_the_plan_writes_them(indicators):
    assert decimals_of(1.32) == 2 and decimals_of(9.5) == 1 and decimals_of(2438.0) == 0
    assert decimals_of("13.0%") == 1 and decimals_of("2,438人 (令和6年4月1日)") == 0
    assert plan_decimals(indicators.loc["4-2-T1"]) == 0  # 32件 → 64件
    assert plan_decimals(indicators.loc["0-V2"]) == 1  # 63.9% → 74.0%
    assert plan_decimals(indicators.loc["0-P1"]) == 2  # 1.32 → 1.35


def test_table_equivalent_rounds_computed_values_as_the_indicator_table(indicators):
    """テスト用の架空データ. 32件 → 64件 over six years: the path is 37.33…, 42.66… — shown 37.3, 42.7 (one decimal
    more than the plan writes), 進捗率 one decimal, a recorded actual as recorded (up to three decimals)."""
    traj = build(indicators.loc["4-2-T1"].to_dict(), {2025: Cell(45.8671), 2026: Cell(52.8)}, 2026, 2025)
    table = traj.table().set_index("年度")
    assert table["計画線上の値"].tolist()[:3] == [32.0, 37.3, 42.7]
    assert table.loc["R7(2025)", "進捗率(%)"] == 43.3 and table.loc["R7(2025)", "実績"] == 45.867
    assert table.loc["R11(2029)", "見込み"] == 73.6  # projected 73.599…
    assert traj.decimals == {"recorded": 3, "computed": 1, "rate": 1}


def test_rounding_is_half_up_as_people_and_the_hover_texts_round():
    assert round_half_up(31.25, 1) == 31.3 and round(31.25, 1) == 31.2  # Python: half to even
    assert round_half_up(-31.25, 1) == -31.3 and round_half_up(2.5, 0) == 3.0 and round_half_up(42.666, 1) == 42.7
    assert round_half_up(None, 1) is None and round_half_up(float("nan"), 1) is None


def test_inputs_are_not_mutated(indicators):
    row = indicators.loc["0-V1"].to_dict()
    cells = {2025: Cell(2380.0)}
    before_row, before_cells = dict(row), dict(cells)
    build(row, cells, 2025, 2025)
    assert row == before_row and cells == before_cells
    frame = indicators.copy(deep=True)
    build(indicators.loc["0-V1"], cells, 2025)
    pd.testing.assert_frame_equal(indicators, frame)


def test_the_fingerprint_changes_with_what_is_drawn_and_only_then(indicators):
    """The server's chart caches are keyed by it: the same data, the same key; a changed value, note, year or
    evaluation year, another key."""
    pop = indicators.loc["0-V1"].to_dict()
    cells = {2025: Cell(2380.0, "住基(テスト)", "町民課")}
    first = build(pop, cells, 2026, 2025).fingerprint
    assert len(first) == 32 and build(dict(pop), dict(cells), 2026, 2025).fingerprint == first
    others = [
        build(pop, {2025: Cell(2381.0, "住基(テスト)", "町民課")}, 2026, 2025),
        build(pop, {2025: Cell(2380.0, "住基(テスト)2", "町民課")}, 2026, 2025),
        build(pop, {2026: Cell(2380.0, "住基(テスト)", "町民課")}, 2026, 2025),
        build(pop, cells, 2027, 2025),
        build(pop | {"label": "人口(別名)"}, cells, 2026, 2025),
    ]
    assert len({first, *(t.fingerprint for t in others)}) == 1 + len(others)
    # Equal texts made apart (as read from two files) are the same key: a pickle would have written one text met
    # twice as a reference to the first, and two equal texts twice.
    same, apart = "町民課", "".join(["町民", "課"])
    assert same is not apart
    shared = build(pop, {2025: Cell(2380.0, source=same), 2026: Cell(2300.0, source=same)}, 2026, 2025)
    made_apart = build(pop, {2025: Cell(2380.0, source=same), 2026: Cell(2300.0, source=apart)}, 2026, 2025)
    assert shared.records == made_apart.records and shared.fingerprint == made_apart.fingerprint


def _table_by_pandas_lookup(traj) -> pd.DataFrame:
    """Trajectory.table as it was written before (a pandas lookup per year): the reference of the test below."""
    from kamiplan.model.progress import CUMULATIVE
    from kamiplan.plan.periods import year_label

    pts = traj.points
    rows = []
    for year in sorted(set(pts["year"])):
        at = pts[pts["year"] == year].set_index("series")

        def val(series: str, column: str = "value", at=at):
            return at.loc[series, column] if series in at.index else None

        actual_series = S_ACTUAL if S_ACTUAL in at.index else S_HISTORY
        rows.append(
            {
                "年度": year_label(int(year)),
                "実績": val(actual_series),
                "計画線上の値": val(S_PATH),
                "進捗率(%)": val(actual_series, "progress_pct"),
                "基準値": val(S_BASELINE),
                "目標値": val(S_TARGET),
                "見込み": val(S_PROJECTION),
                "時点": val(actual_series, "as_of") or "",
                "備考": val(actual_series, "note") or "",
                "出典": val(actual_series, "source") or "",
            }
        )
    frame = pd.DataFrame(rows)
    if not frame["時点"].astype(bool).any():
        frame = frame.drop(columns=["時点"])
    places = traj.decimals
    kinds = {"実績": "recorded", "基準値": "recorded", "目標値": "recorded", "計画線上の値": "computed"}
    for col, kind in {**kinds, "見込み": "computed", "進捗率(%)": "rate"}.items():
        numbers = pd.to_numeric(frame[col], errors="coerce")
        frame[col] = pd.Series([round_half_up(v, places[kind]) for v in numbers], index=frame.index, dtype="Float64")
    if traj.indicator["kind"] == CUMULATIVE:
        frame = frame.rename(columns={"実績": "実績(累計)"})
    return frame


def test_the_table_equivalent_is_the_per_year_lookups_table(indicators):
    """Trajectory.table (plain records) gives the table of the per-year pandas lookup it replaced, cell for cell
    and type for type: every indicator of the plan with the invented actuals, history and notes, in every
    evaluation year — R11 too, where the projection has two points in one year and 見込み stays empty."""
    from tests.synthetic import synthetic_changes

    cells: dict[str, dict[int, Cell]] = {}
    for change in synthetic_changes(indicators):
        cells.setdefault(change.series_id, {})[change.year] = change.new
    cells.setdefault(indicators.iloc[0]["series_id"], {})[1995] = Cell(
        6000.0, "国勢調査(テスト)", "総務課", "1995-10-01"
    )
    checked = 0
    for year in range(2025, 2030):
        for row in indicators.to_dict("records"):
            yearly = dict(cells.get(row["series_id"], {}))
            if year == 2029 and yearly:
                yearly |= {2027: Cell(1.0), 2028: Cell(2.0), 2029: Cell(3.0)}
            traj = build(row, yearly, year, 2025)
            pd.testing.assert_frame_equal(traj.table(), _table_by_pandas_lookup(traj))
            checked += 1
    assert checked == 5 * len(indicators)


def _points_as_built_before(traj) -> pd.DataFrame:
    """The points frame as build() made it before the points were kept as tuples (dict rows, then the texts as
    strings and the numbers through pandas.to_numeric): the reference of the tests below."""
    from kamiplan.model.trajectory import COLUMNS
    from kamiplan.plan.periods import year_label

    rows = [{**point, "year_label": year_label(point["year"])} for point in traj.point_dicts()]
    points = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in ("note", "source", "as_of"):
        points[col] = pd.Series([v if isinstance(v, str) else "" for v in points[col]], index=points.index, dtype="str")
    for col in ("value", "yearly", "expected", "progress_pct"):
        points[col] = pd.to_numeric(points[col], errors="coerce").astype("float64")
    return points


def test_points_kept_as_tuples_make_the_frame_they_were(indicators):
    """A trajectory keeps its points as plain tuples (the server keeps every trajectory of the plan: a pandas
    frame each was ~28 KB, the tuples ~5 KB); the frame built from them is the frame it kept before, value for
    value and type for type: every indicator of the plan with the invented actuals, history and notes."""
    from tests.synthetic import synthetic_changes

    cells: dict[str, dict[int, Cell]] = {}
    for change in synthetic_changes(indicators):
        cells.setdefault(change.series_id, {})[change.year] = change.new
    cells.setdefault(indicators.iloc[0]["series_id"], {})[1995] = Cell(
        6000.0, "国勢調査(テスト)", "総務課", "1995-10-01"
    )
    for year in (2025, 2029):
        for row in indicators.to_dict("records"):
            traj = build(row, cells.get(row["series_id"], {}), year, 2025)
            assert all(type(r) is tuple for r in traj.records)
            assert not any(isinstance(v, (pd.DataFrame, pd.Series)) for v in vars(traj).values())
            pd.testing.assert_frame_equal(traj.points, _points_as_built_before(traj))
            assert traj.points is not traj.points  # built when asked, not kept


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(
    values=st.dictionaries(
        st.integers(1990, 2032),
        st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64), st.integers(-(10**6), 10**6)),
        max_size=12,
    ),
    year=st.integers(2025, 2029),
    which=st.sampled_from(["0-V1", "2-1-K1", "4-2-K1"]),
)
def test_points_frame_property(indicators, values, year, which):
    """Any recorded values (NaN, ±inf, integers, years before and after the plan): the frame from the tuples is
    the frame built the old way, and the fingerprint is the same for the same trajectory built twice."""
    row = indicators.loc[which].to_dict()
    traj = build(row, values, year, 2025)
    pd.testing.assert_frame_equal(traj.points, _points_as_built_before(traj))
    assert build(dict(row), dict(values), year, 2025).fingerprint == traj.fingerprint
