"""The plan tables read through DuckDB."""

from __future__ import annotations

import pytest

from kamiplan.errors import InputError
from kamiplan.plan import queries
from kamiplan.plan.db import PlanDB
from tests.conftest import DATA


@pytest.fixture(scope="module")
def con():
    db = PlanDB(DATA)
    yield db.cursor()
    db.close()


def test_counts(con):
    assert queries.counts(con) == {
        "pillars": 4,
        "policies": 10,
        "measures": 36,
        "indicator_rows": 46,
        "series": 44,
        "projects": 172,  # 196 rows − 14 continuation rows − 10 再掲 rows
    }


def test_filters_are_bound_parameters(con):
    assert len(queries.indicators(con, pillar=1)) == 15
    assert len(queries.indicators(con, pillar=0)) == 11
    assert len(queries.indicators(con, pillar=3, policy=1)) == 1
    assert list(queries.policies(con, 2)["policy"]) == [1, 2]
    assert len(queries.measures(con, 3, 1)) == 6
    assert len(queries.actions(con, 4, 1)) == 3


def test_plan_info(con):
    info = queries.plan_info(con)
    assert info["vision"] == "小さな町の輝く未来へ挑戦するまち"


def test_missing_tables_are_explained(tmp_path):
    with pytest.raises(InputError, match="build-data"):
        PlanDB(tmp_path)
