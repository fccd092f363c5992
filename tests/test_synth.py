"""The synthetic scale plan (kamiplan.synth): complete, labelled, deterministic, never in data/."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from kamiplan import cli
from kamiplan.errors import InputError
from kamiplan.model import dashboard
from kamiplan.paths import DEFAULT_DATA_DIR
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from kamiplan.plan.schema import TABLES
from kamiplan.records.actuals_store import ActualsStore
from kamiplan.synth import LABEL, synthesize


def test_tiny_plan_is_complete_and_labelled(tmp_path):
    out = tmp_path / "synth"
    counts = synthesize(out, indicators=20, years=3)
    assert counts["indicators"] == 20 and counts["actuals"] > 0
    for name, schema in TABLES.items():
        assert pq.read_schema(out / f"{name}.parquet").remove_metadata().equals(schema), name
    con = PlanDB(out).cursor()
    info = queries.plan_info(con)
    assert all(LABEL in info[k] for k in ("title", "strategy_title", "vision", "vision_statement"))
    assert (info["start_year"], info["end_year"]) == (2027, 2029)
    inds = queries.indicators(con)
    assert len(inds) == 20 and inds["indicator_id"].is_unique
    assert {"vision", "population", "satisfaction", "kpi"} <= set(inds["section"])
    current = ActualsStore(out).current()
    assert set(current["note"]) == {f"{LABEL}。上砂川町の計画・実績ではありません"}
    report = dashboard.evaluate(inds, current, 2029, 2027)
    assert len(report) == 20 and report["grade"].isin(list("ABCDN")).all()


def test_same_seed_same_data(tmp_path):
    a, b, c = (synthesize(tmp_path / n, indicators=30, years=4, seed=s) for n, s in (("a", 1), ("b", 1), ("c", 2)))
    assert a == b
    for name in TABLES:
        assert (tmp_path / "a" / f"{name}.parquet").read_bytes() == (tmp_path / "b" / f"{name}.parquet").read_bytes()
    values = [ActualsStore(tmp_path / n).current()[["series_id", "year", "value"]] for n in "abc"]
    assert values[0].equals(values[1]) and not values[0].equals(values[2])


def test_refuses_data_and_non_empty_folders(tmp_path, capsys):
    with pytest.raises(InputError, match="data/"):
        synthesize(DEFAULT_DATA_DIR, indicators=20, years=3)
    with pytest.raises(InputError, match="data/"):
        synthesize(DEFAULT_DATA_DIR / "synth", indicators=20, years=3)
    assert not (DEFAULT_DATA_DIR / "synth").exists()
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("x")
    assert cli.main(["synth", "--indicators", "20", "--years", "3", "--out", str(tmp_path / "used")]) == 1
    assert "空のフォルダではありません" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "used").iterdir()) == ["keep.txt"]


def test_command(tmp_path, capsys):
    assert cli.main(["synth", "--indicators", "20", "--years", "3", "--out", str(tmp_path / "s")]) == 0
    assert LABEL in capsys.readouterr().out
    assert len(queries.indicators(PlanDB(tmp_path / "s").cursor())) == 20
