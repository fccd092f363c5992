"""The offline snapshot: its files, no remote resource, escaped text, and a safe, atomic --out."""

from __future__ import annotations

import html
import io
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from kamiplan.cli import main
from kamiplan.errors import InputError
from kamiplan.outputs import slides, snapshot
from tests.conftest import HOSTILE_NOTE, HOSTILE_SOURCE

PAGES = ["index.html", "pillar1.html", "pillar2.html", "pillar3.html", "pillar4.html", "slides.html"]


def read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def specs(page: str) -> dict[str, dict]:
    found = re.findall(r'<script type="application/json" id="(spec-\d+)">(.*?)</script>', page, flags=re.S)
    return {sid: json.loads(text) for sid, text in found}


def test_site_files(snapshot_dir):
    files = sorted(str(p.relative_to(snapshot_dir)) for p in snapshot_dir.rglob("*") if p.is_file())
    assert files == sorted(
        [
            *PAGES,
            "assets/site.css",
            "assets/site.js",
            "assets/vega.js",
            "csv/actuals.csv",
            "csv/indicators.csv",
            "csv/projects.csv",
            "csv/project_records.csv",
            snapshot.MARKER,
        ]
    )
    manifest = json.loads(read(snapshot_dir, snapshot.MARKER))
    assert manifest["year"] == 2026 and manifest["generator"] == "kamiplan snapshot"
    assert "vegaEmbed" in read(snapshot_dir, "assets/vega.js")  # the Vega libraries are in the site


def test_csv_files_for_excel(snapshot_dir, outputs_view):
    def frame(name: str) -> pd.DataFrame:
        data = (snapshot_dir / "csv" / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
        return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")

    indicators = frame("indicators.csv")
    assert len(indicators) == 46 and {"指標ID", "評価", "進捗率(%)"} <= set(indicators.columns)
    assert set(indicators["評価"]) <= {"◎ 達成", "○ 順調", "○ 順調(誤差の範囲)", "△ やや遅れ", "× 遅れ", "− 評価不能"}
    actuals = frame("actuals.csv")
    assert len(actuals) == len(outputs_view.actuals) and list(actuals.columns)[:5] == [
        "指標ID",
        "指標名",
        "単位",
        "年度",
        "実績値",
    ]
    assert HOSTILE_NOTE in set(actuals["備考"])
    assert len(frame("projects.csv")) == 196


def test_pages_use_only_files_of_the_site(snapshot_dir):
    for name in PAGES:
        page = read(snapshot_dir, name)
        assert re.findall(r'<script src="([^"]+)"', page) == ["assets/vega.js", "assets/site.js"], name
        assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) == ["assets/site.css"], name
        assert not re.search(r'(src|href)="(https?:)?//', page), name
        for target in re.findall(r'href="([^"#]+)', page):
            assert (snapshot_dir / target).exists(), (name, target)  # no broken link


def test_every_chart_has_its_spec_and_every_trajectory_its_table(snapshot_dir, outputs_view):
    expected = {"index.html": 11 + 1, "pillar1.html": 15, "pillar2.html": 10, "pillar3.html": 6, "pillar4.html": 4}
    for name, count in expected.items():
        page = read(snapshot_dir, name)
        found = specs(page)
        assert page.count('<div class="chart"') == len(found) == count, name
        assert all(re.search(r"/vega-lite/v6\.\d+\.\d+\.json$", s["$schema"]) for s in found.values())
        cards = page.count('<figure class="card"')
        assert cards == page.count("<summary>表で見る:") == count - (name == "index.html")


def test_slides_one_section_per_slide_with_links(snapshot_dir, outputs_view):
    page = read(snapshot_dir, "slides.html")
    deck = slides.build_deck(
        outputs_view.pillars, list(outputs_view.trajectories), outputs_view.info, outputs_view.projects
    )
    ids = re.findall(r'<section class="slide[^"]*" id="slide-(\d+)"', page)
    assert ids == [str(s.number) for s in deck]
    assert 'href="#slide-2" rel="next"' in page and 'href="#slide-1" rel="prev"' in page
    charts = sum(len(s.indicator_ids) for s in deck if s.kind in snapshot.CHART_SLIDES)
    assert len(specs(page)) == charts
    assert min(s["title"]["fontSize"] for s in specs(page).values()) >= 20  # large type on the screen
    assert "前回から大きく動いた指標" in page


def test_user_text_is_text(snapshot_dir):
    index = read(snapshot_dir, "index.html")
    for name in PAGES:
        page = read(snapshot_dir, name)
        assert "<script>alert" not in page and "<img" not in page, name
    assert html.escape(HOSTILE_NOTE) in index and html.escape(HOSTILE_SOURCE) in index  # the table of 人口
    # Inside the chart's JSON the note is intact once parsed, but cannot close the script element.
    notes = {row.get("note") for spec in specs(index).values() for rows in spec["datasets"].values() for row in rows}
    assert HOSTILE_NOTE in notes


@pytest.fixture
def quick(monkeypatch):
    """Snapshots of two charts only (the layout code is the same; the suite stays fast)."""
    real = snapshot.load

    def few(con, actuals, year, projects=None):
        view = real(con, actuals, year, projects)
        return replace(view, trajectories=view.trajectories[:2])

    monkeypatch.setattr(snapshot, "load", few)


def run(folder: Path, out: Path, *extra: str) -> int:
    return main(["snapshot", "--out", str(out), "--data-dir", str(folder), *extra])


def test_command_shows_progress_and_replaces_only_with_force(outputs_folder, tmp_path, capsys, quick):
    out = tmp_path / "site"
    assert run(outputs_folder, out) == 0
    err = capsys.readouterr().err
    assert "スナップショットを作成" in err and "100%" in err and "書き出しました" in err
    (out / "index.html").write_text("old", encoding="utf-8")
    assert run(outputs_folder, out) == 1
    err = capsys.readouterr().err
    assert "空ではありません" in err and "--force" in err and "何も書き込んでいません" in err
    assert read(out, "index.html") == "old"
    assert run(outputs_folder, out, "--force", "--year", "2025") == 0
    assert "評価年度 R7(2025)年度" in read(out, "index.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temp folder left


def test_force_never_replaces_a_folder_that_is_not_a_snapshot(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "keep.txt").write_text("大事なファイル", encoding="utf-8")
    with pytest.raises(InputError) as err:
        snapshot.write_site({"index.html": b"x"}, out, force=True)
    assert "kamiplan のスナップショットではありません" in str(err.value)
    assert (out / "keep.txt").read_text(encoding="utf-8") == "大事なファイル"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_out_that_is_a_file_is_refused(tmp_path):
    out = tmp_path / "site"
    out.write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as err:
        snapshot.check_out(out, force=True)
    assert "フォルダではありません" in str(err.value)


def test_write_site_into_an_empty_folder_and_replace_a_snapshot(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    snapshot.write_site({"index.html": b"1", "csv/a.csv": b"a", snapshot.MARKER: b"{}"}, out)
    assert read(out, "index.html") == "1" and read(out, "csv/a.csv") == "a"
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask  # not mkdtemp's 0700: a web server can read it
    snapshot.write_site({"index.html": b"2", snapshot.MARKER: b"{}"}, out, force=True)
    assert read(out, "index.html") == "2" and not (out / "csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_write_leaves_nothing(tmp_path):
    out = tmp_path / "site"
    with pytest.raises(OSError):
        snapshot.write_site({"a": b"file", "a/b": b"a file cannot be a folder"}, out)
    assert list(tmp_path.iterdir()) == []


# -- 事業の実施状況 ---------------------------------------------------------------------------------------
def rollup_row(label: str, r) -> str:
    """A row of the compact project roll-up as htmlparts.table writes it."""
    from kamiplan.outputs.htmlparts import amount_cell

    nums = lambda values: "".join(f'<td class="num">{int(v)}</td>' for v in values)  # noqa: E731
    return (
        f"<tr><td>{html.escape(label)}</td>"
        + nums([r["projects"], r["entered"], r["grade_A"], r["grade_B"], r["grade_C"], r["grade_D"], r["grade_none"]])
        + f"<td>{amount_cell(r['budget'], r['budget_count'])}</td><td>{amount_cell(r['spent'], r['spent_count'])}</td>"
        + nums([r["new"], r["new_started"]])
        + "</tr>"
    )


def test_index_has_the_project_rollup_per_pillar_beside_the_indicators(snapshot_dir, outputs_view):
    from kamiplan.model.dashboard import group_label
    from kamiplan.model.project_rollup import counts, rollup

    index = read(snapshot_dir, "index.html")
    table = outputs_view.projects
    part = index[index.index("<h2>評価の集計") : index.index("<h2>全指標の一覧")]  # beside the indicators' roll-up
    assert "<caption>事業の実施状況(大綱ごと・R8(2026)年度)</caption>" in part
    for r in rollup(table, ("pillar",)).to_dict("records"):
        label = group_label(r["pillar"], 0, outputs_view.pillars, outputs_view.policies)
        assert rollup_row(label, r) in part
    assert rollup_row("計", counts(table[~table["is_repeat"]])) in part


def test_each_pillar_page_has_its_project_part_per_policy(snapshot_dir, outputs_view):
    from kamiplan.model.project_rollup import rollup

    by_policy = rollup(outputs_view.projects, ("pillar", "policy"))
    names = outputs_view.policies.set_index(["pillar", "policy"])["name"]
    for pillar in (1, 2, 3, 4):
        page = read(snapshot_dir, f"pillar{pillar}.html")
        start = page.index(f'id="projects-{pillar}"')
        part = page[start : page.index("</section>", start)]
        assert start < page.index(f'id="policy-{pillar}-1"')  # the 大綱's summary, then its 基本計画
        for r in by_policy[by_policy["pillar"] == pillar].to_dict("records"):
            assert rollup_row(f"({r['policy']}) {names.loc[(pillar, r['policy'])]}", r) in part
        # The 施策と事業 tables show each row's 実施状況 and 評価 of the year.
        assert '<th scope="col">実施状況</th><th scope="col">評価</th>' in page
    first = read(snapshot_dir, "pillar1.html")
    assert "<td>子ども家庭センター設置事業</td><td>実施</td><td>A</td>" in first


def test_slides_have_a_project_slide_per_pillar_with_its_counts(snapshot_dir, outputs_view):
    page = read(snapshot_dir, "slides.html")
    deck = slides.build_deck(
        outputs_view.pillars, list(outputs_view.trajectories), outputs_view.info, outputs_view.projects
    )
    projects = [s for s in deck if s.kind == slides.PROJECTS]
    assert len(projects) == 4 and page.count('<div class="pslide">') == 4
    for s in projects:
        start = page.index(f'id="slide-{s.number}"')
        body = page[start : page.index("</section>", start)]
        assert f"大綱{s.pillar} 事業の実施状況" in body
        for grade, n in s.projects.grades:
            assert f'<div class="ptile pgrade-{grade or "none"}">' in body and f'<span class="n">{n}件</span>' in body
        for name, status in s.projects.new:
            assert f'<span class="status">{status}</span><span class="name">{html.escape(name)}</span>' in body


def test_project_records_csv_is_the_import_format_of_the_year(snapshot_dir, outputs_view, outputs_folder):
    from kamiplan.model.project_rollup import rollup
    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.queries import actions
    from kamiplan.records.projects import ProjectStore
    from kamiplan.records.projects_io import EXPORT_COLUMNS, plan_project_import
    from tests.conftest import HOSTILE_PROJECT

    data = (snapshot_dir / "csv" / "project_records.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"事業ID": str})
    assert tuple(frame.columns) == EXPORT_COLUMNS
    assert list(frame.columns[:5]) == ["事業ID", "事業名", "年度", "実施状況", "評価"]
    totals = rollup(outputs_view.projects, ("pillar",))
    assert len(frame) == totals["entered"].sum() == 160 and set(frame["年度"]) == {"R8(2026)"}
    assert frame["予算額(千円)"].sum() == totals["budget"].sum()  # Excel's sum is the report's
    assert HOSTILE_PROJECT in set(frame["取組内容・実績"])
    # Importing it back changes nothing (as csv/actuals.csv for the actuals).
    again = plan_project_import(
        [("project_records.csv", data)], actions(PlanDB(outputs_folder).cursor()), ProjectStore(outputs_folder)
    )
    assert again.changes == () and again.counts["変更なし"] == 160


def test_no_programmer_words_on_any_page(snapshot_dir):
    from tests.conftest import LEFTOVER_WORDS, visible_text

    for name in PAGES:
        assert not LEFTOVER_WORDS.findall(visible_text(read(snapshot_dir, name))), name


def test_snapshot_without_project_records_says_so(outputs_folder, tmp_path, quick):
    from tests.conftest import LEFTOVER_WORDS, visible_text
    from tests.synthetic import plan_folder

    folder = plan_folder(tmp_path / "data", outputs_folder, keep_actuals=True)
    out = tmp_path / "site"
    assert run(folder, out, "--year", "R8") == 0
    none_yet = "R8(2026)年度の事業の評価はまだ入力されていません。"
    assert none_yet in read(out, "index.html")
    assert all(none_yet in read(out, f"pillar{p}.html") for p in (1, 2, 3, 4))
    deck = read(out, "slides.html")
    assert '<div class="pslide">' not in deck
    assert "R8(2026)年度の事業の評価はまだ入力されていないため、事業の実施状況のスライドはありません。" in deck
    for name in PAGES:
        page = read(out, name)
        assert not LEFTOVER_WORDS.findall(visible_text(page)), name
        assert 'class="data rollup projects"' not in page
    frame = pd.read_csv(out / "csv" / "project_records.csv", encoding="utf-8-sig")
    assert frame.empty and list(frame.columns)[:3] == ["事業ID", "事業名", "年度"]  # headings only
