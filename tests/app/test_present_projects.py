"""発表モード's 「事業の実施状況」 slides under AppTest: one per 大綱 when records exist, none (said on the
title slide) when nothing was entered for the year."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from kamiplan.outputs import slides
from tests.conftest import DATA, LEFTOVER_WORDS, PROJECT, visible_text
from tests.synthetic import populated_folder


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    plain = populated_folder(tmp_path_factory.mktemp("present") / "data", DATA)
    with_projects = populated_folder(tmp_path_factory.mktemp("present_projects") / "data", DATA, (2025, 2026))
    return {"plain": plain, "projects": with_projects}


def present(folder, monkeypatch, slide: int | None = None) -> AppTest:
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(folder))
    monkeypatch.delenv("KAMIPLAN_READONLY", raising=False)
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
    at.switch_page("pages/present.py")
    if slide is not None:
        at.query_params["slide"] = str(slide)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_project_slide_per_pillar_with_tiles_and_new_projects(folders, monkeypatch):
    from tests.browser.conftest import browser_deck  # the deck of the same テスト用の架空データ

    deck = browser_deck(with_projects=True)
    project_slides = [s for s in deck if s.kind == slides.PROJECTS]
    assert [s.pillar for s in project_slides] == [1, 2, 3, 4]
    first = project_slides[0]
    at = present(folders["projects"], monkeypatch, first.number)
    shown = "\n".join(m.value for m in at.markdown)
    assert 'class="kp-title">大綱1 事業の実施状況<' in shown
    assert f"{first.number} / {len(deck)}" in shown
    body = next(m.value for m in at.markdown if "kp-project" in m.value)
    for grade, n in first.projects.grades:
        assert f'<div class="ptile pgrade-{grade or "none"}">' in body and f'<span class="n">{n}件</span>' in body
    for name, status in first.projects.new:
        assert f'<span class="status">{status}</span><span class="name">{html.escape(name)}</span>' in body
    assert not LEFTOVER_WORDS.findall(visible_text(shown))


def test_without_records_for_the_year_no_project_slide_and_the_title_says_so(folders, monkeypatch):
    at = present(folders["plain"], monkeypatch)
    shown = "\n".join(m.value for m in at.markdown)
    assert "R8(2026)年度の事業の評価はまだ入力されていないため、事業の実施状況のスライドはありません。" in shown
    total = int(shown.split('class="kp-count">1 / ')[1].split("<")[0])
    for n in range(1, total + 1):
        at.query_params["slide"] = str(n)
        at.run()
        assert not any("kp-project" in m.value for m in at.markdown), n
