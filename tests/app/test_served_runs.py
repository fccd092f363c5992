"""Every AppTest run goes through app.py and its sidebar, as on the server (the ``served`` fixture of
tests/app/conftest.py): without it, every run after the first ran the page file alone."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT


def sidebar_year(at: AppTest) -> int | None:
    """The sidebar's 評価年度 (None: app.py did not run)."""
    assert not at.exception, [e.message for e in at.exception]
    found = [s for s in at.sidebar.selectbox if s.key == "eval_year"]
    return int(found[0].value) if found else None


def test_a_page_switch_a_rerun_and_a_filter_each_run_app_py_first(plan_copy, monkeypatch):
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(plan_copy))
    monkeypatch.delenv("KAMIPLAN_READONLY", raising=False)
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
    assert sidebar_year(at) == 2025  # no actuals: the plan's first year
    at.switch_page("pages/projects.py").run()
    assert sidebar_year(at) == 2025
    at.selectbox(key="eval_year").set_value(2027).run()
    assert sidebar_year(at) == 2027 and "R9(2027)年度の記録" in at.caption[0].value  # the page follows it
    at.run()
    assert sidebar_year(at) == 2027
    at.text_input(key="projects_keyword").input("除雪").run()  # a filter of the page: a rerun
    assert sidebar_year(at) == 2027 and at.title[0].value == "実施計画(事業一覧)"
