"""One grade story: a survey result is judged once (progress), and every surface says the same.

Issue 12's worked examples (テスト用の架空データ): 「町内に住み続けたい」 (0-V2) 65.2 % in R7 against a path
value of 65.92 → B 順調(誤差の範囲); 高齢者福祉・介護の向上 (0-S3) 31.0 % in R7 → D 遅れ.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from kamiplan.model import dashboard, narrative
from kamiplan.model.progress import Spec, evaluate, expected, grade
from kamiplan.outputs import charts, report
from kamiplan.plan.db import PlanDB
from kamiplan.records.actuals_store import ActualsStore, Cell, Change

EXAMPLES = {("0-V2", 2025): 65.2, ("0-S3", 2025): 31.0}


@pytest.fixture(autouse=True)
def default_band(monkeypatch):
    monkeypatch.delenv("KAMIPLAN_SURVEY_BAND", raising=False)


def test_worked_examples(indicators):
    v2, s3 = (Spec.from_row(indicators.loc[i].to_dict()) for i in ("0-V2", "0-S3"))
    assert expected(v2, 2025) == pytest.approx(65.92)
    ev = evaluate(v2, {2025: 65.2}, 2025)
    assert (ev.grade, ev.within_band) == ("B", True)
    assert expected(s3, 2025) == pytest.approx(34.8)
    ev = evaluate(s3, {2025: 31.0}, 2025)  # below 34.8 − 3 and below the baseline 33.5
    assert (ev.grade, ev.within_band) == ("D", False)


@pytest.mark.parametrize(
    ("value", "grade_", "within"),
    [
        (66.0, "B", False),
        (65.92, "B", False),
        (63.8, "B", True),
        (62.93, "B", True),
        (62.9, "D", False),  # below e − 3 and below the baseline 63.9
    ],
)
def test_band_edges(indicators, value, grade_, within):
    spec = Spec.from_row(indicators.loc["0-V2"].to_dict())
    ev = evaluate(spec, {2025: value}, 2025)
    assert (ev.grade, ev.within_band) == (grade_, within)


def test_the_band_is_one_setting(indicators, monkeypatch):
    monkeypatch.setenv("KAMIPLAN_SURVEY_BAND", "0.5")
    assert evaluate(Spec.from_row(indicators.loc["0-V2"].to_dict()), {2025: 65.2}, 2025).grade == "C"
    assert grade(Spec.from_row(indicators.loc["0-V1"].to_dict()), 2437.0, 2025) == "B"  # counted values: no band


@pytest.fixture
def folder(plan_copy):
    ActualsStore(plan_copy).save(
        [Change(s, y, Cell(v, "テスト用の架空データ"), Cell()) for (s, y), v in EXAMPLES.items()],
        by="テスト",
        how="form",
    )
    return plan_copy


def surfaces(folder, indicator_id: str) -> dict[str, str]:
    """What each surface says about one indicator in R7(2025)."""
    from kamiplan.model.trajectory import build
    from kamiplan.outputs.print_report import build_html
    from kamiplan.plan.queries import indicators as load_indicators

    con = PlanDB(folder).cursor()
    inds = load_indicators(con)
    actuals = ActualsStore(folder).current()
    rep = report.build_report(con, actuals, 2025)
    row = rep[rep["indicator_id"] == indicator_id].iloc[0]
    csv = pd.read_csv(io.StringIO(report.to_csv(rep)))
    csv_row = csv[csv["指標ID"] == indicator_id].iloc[0]
    table = dashboard.indicator_table(dashboard.evaluate(inds, actuals, 2025, 2025))
    ind = inds.set_index("indicator_id", drop=False).loc[indicator_id].to_dict()
    cells = dashboard.series_cells(actuals).get(ind["series_id"], {})
    traj = build(ind, cells, 2025, 2025)
    spec = charts.trajectory_chart(traj).to_dict()
    badge_layer = next(layer for layer in spec["layer"] if layer.get("name") == "grade_badge")
    badge = spec["datasets"][badge_layer["data"]["name"]][0]["badge"]
    html = build_html(con, actuals, 2025)
    start = html.index(ind["label"])
    return {
        "report": f"{row['grade']} {row['grade_label']}",
        "csv": str(csv_row["評価(言葉)"]),
        "table": str(table.loc[table["指標ID"] == indicator_id, "評価"].iloc[0]),
        "headline": narrative.headline(traj),
        "sentence": narrative.sentence(traj),
        "badge": badge,
        "print": html[start : html.index("</article>", start)],
    }


def test_every_surface_tells_one_story(folder):
    v2 = surfaces(folder, "0-V2")
    assert v2["report"] == "B 順調(誤差の範囲)" and v2["csv"] == "順調(誤差の範囲)"
    assert v2["table"] == v2["headline"] == "○ 順調(誤差の範囲)"
    assert "○ 順調(誤差の範囲)" in v2["badge"] and "○ 順調(誤差の範囲)" in v2["print"]
    assert "誤差" in v2["sentence"]
    s3 = surfaces(folder, "0-S3")
    assert s3["report"] == "D 遅れ" and s3["table"] == s3["headline"] == "× 遅れ" and "× 遅れ" in s3["badge"]
    assert "遅れています" in s3["sentence"]
    for said in (*v2.values(), *s3.values()):
        assert "横ばい" not in said and "やや遅れ" not in said


def test_roll_up_counts_the_within_band_result_as_on_track(folder):
    con = PlanDB(folder).cursor()
    from kamiplan.plan.queries import indicators as load_indicators
    from kamiplan.plan.queries import pillars, policies

    rep = dashboard.evaluate(load_indicators(con), ActualsStore(folder).current(), 2025, 2025)
    counts = dashboard.grade_counts(rep[rep["pillar"] == 0], "pillar", pillars(con), policies(con))
    plan_wide = counts.set_index("grade")["count"]
    assert (plan_wide["B"], plan_wide["C"], plan_wide["D"]) == (1, 0, 1)  # 0-V2 順調(誤差の範囲), 0-S3 遅れ
