"""The cache of what vl-convert makes: never a wrong image, and a broken or unwritable cache only costs time."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import vl_convert

from kamiplan.outputs import images, render_cache

PROJECT = Path(__file__).resolve().parents[2]


def spec(title: str = "テスト用の架空データ", values=(1, 3, 2)) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": title,
        "width": 120,
        "height": 60,
        "data": {"values": [{"年度": i, "値": v} for i, v in enumerate(values)]},
        "mark": "line",
        "encoding": {"x": {"field": "年度", "type": "ordinal"}, "y": {"field": "値", "type": "quantitative"}},
    }


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of this test; returns where the entries go."""
    monkeypatch.setenv(render_cache.ENV_CACHE_DIR, str(tmp_path / "cache"))
    return tmp_path / "cache" / render_cache.SUBDIR


@pytest.fixture
def renders(monkeypatch) -> list[dict]:
    """Counts vl-convert's SVG renderings (the specs it was given)."""
    seen: list[dict] = []
    real = render_cache.render_svg

    def counting(spec: dict) -> str:
        seen.append(spec)
        return real(spec)

    monkeypatch.setattr(render_cache, "render_svg", counting)
    return seen


def entries(folder: Path) -> list[Path]:
    """The SVGs and bundles kept (not temp files, not the mark of render_cache.drawn_before)."""
    return sorted(
        p
        for p in folder.iterdir()
        if not p.name.startswith(render_cache.TEMP_PREFIX) and p.suffix != render_cache.DRAWN
    )


def test_a_cached_svg_is_the_rendered_one_and_is_not_rendered_again(cache, renders):
    first = images.spec_to_svg(spec())
    assert len(renders) == 1 and len(entries(cache)) == 1
    assert images.spec_to_svg(spec()) == first == vl_convert.vegalite_to_svg(spec())
    assert len(renders) == 1


def test_a_changed_spec_gives_a_new_svg(cache, renders):
    before = images.spec_to_svg(spec(values=(1, 3, 2)))
    after = images.spec_to_svg(spec(values=(1, 3, 9)))
    retitled = images.spec_to_svg(spec(title="別の題"))
    assert len(renders) == 3 and len(entries(cache)) == 3
    assert len({before, after, retitled}) == 3 and "別の題" in retitled


def test_key_order_and_context_are_part_of_the_key():
    a = spec()
    b = dict(reversed(list(a.items())))
    assert a == b
    assert render_cache.svg_key(a, "ctx") != render_cache.svg_key(b, "ctx")  # a miss, never a wrong image
    assert render_cache.svg_key(a, "ctx") != render_cache.svg_key(a, "ctx2")
    assert render_cache.svg_key(a, "ctx") == render_cache.svg_key(copy.deepcopy(a), "ctx")


def test_the_context_names_the_renderer_and_the_font():
    context = images.render_context()
    assert render_cache.renderer_version() in context and images.FONT in context
    assert images._font_print(images.FONT, "") in context


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.update(data={"url": "data/actuals.csv"}),
        lambda s: s.update(transform=[{"calculate": "now()", "as": "t"}]),
        lambda s: s.update(transform=[{"calculate": "random()", "as": "r"}]),
    ],
    ids=["url", "now", "random"],
)
def test_a_spec_depending_on_more_than_itself_is_not_cached(change):
    s = spec()
    change(s)
    assert render_cache.svg_key(s, "ctx") is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # half written
        lambda data: data.replace(b"<svg", b"<SVG", 1),  # a changed byte
        lambda data: b"",
        lambda data: b"\xff\xfe garbage",
        lambda data: data.split(b"\n", 1)[1],  # no header line
    ],
    ids=["truncated", "changed", "empty", "garbage", "no-header"],
)
def test_a_damaged_entry_is_ignored_and_replaced(cache, renders, damage):
    good = images.spec_to_svg(spec())
    (path,) = entries(cache)
    path.write_bytes(damage(path.read_bytes()))
    assert images.spec_to_svg(spec()) == good
    assert len(renders) == 2
    assert render_cache.load(path.stem, ".svg") == good  # written anew


def test_a_folder_that_cannot_be_written_still_draws(tmp_path, monkeypatch, renders):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(render_cache.ENV_CACHE_DIR, str(blocker / "cache"))  # mkdir fails, as on a read-only disk
    svg = images.spec_to_svg(spec())
    assert svg.startswith("<svg") and images.spec_to_svg(spec()) == svg
    assert len(renders) == 2  # nothing kept, nothing broken


def test_a_read_only_folder_is_read_but_not_written(cache, renders, monkeypatch):
    kept = images.spec_to_svg(spec())

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(render_cache.tempfile, "mkstemp", refuse)
    assert images.spec_to_svg(spec()) == kept  # still read
    other = images.spec_to_svg(spec(values=(5, 5, 5)))
    assert other.startswith("<svg") and len(entries(cache)) == 1 and len(renders) == 2


def test_cache_off(monkeypatch, renders):
    monkeypatch.setenv(render_cache.ENV_CACHE_DIR, "off")
    assert render_cache.cache_dir() is None
    images.spec_to_svg(spec())
    images.spec_to_svg(spec())
    assert len(renders) == 2


def test_the_default_folder_is_the_users_cache_not_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(render_cache.ENV_CACHE_DIR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = render_cache.cache_dir()
    if sys.platform.startswith("linux"):
        assert folder == tmp_path / "xdg" / "kamiplan" / render_cache.SUBDIR
    assert "data" not in folder.parts


def test_writers_at_the_same_time_leave_one_good_entry(cache):
    text = images.spec_to_svg(spec())
    (path,) = entries(cache)
    path.unlink()
    threads = [threading.Thread(target=render_cache.store, args=(path.stem, ".svg", text)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert entries(cache) == [path] and render_cache.load(path.stem, ".svg") == text
    assert not any(name.startswith(render_cache.TEMP_PREFIX) for name in os.listdir(cache))  # no temp file left


def test_two_processes_writing_the_same_entry(cache):
    """Two commands drawing the same chart at once: both succeed, one valid entry stays."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(PROJECT)!r})
        from kamiplan.outputs import images
        from tests.outputs.test_render_cache import spec
        print(len(images.spec_to_svg(spec())))
        """
    )
    env = {**os.environ, render_cache.ENV_CACHE_DIR: str(cache.parent)}
    procs = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0] and outputs[0] == outputs[1]
    (path,) = entries(cache)
    assert render_cache.load(path.stem, ".svg") == images.spec_to_svg(spec())


def test_workers_draw_the_same_svgs_as_this_process(cache):
    specs = [spec(values=(i, i + 1, i * 2)) for i in range(4)]
    with images.svg_batch(workers=2) as batch:
        tickets = [batch.add(s) for s in specs]
        drawn = [batch.result(t) for t in tickets]
    assert batch._drawers._pool is None  # closed
    assert drawn == [render_cache.render_svg(s) for s in specs]
    assert len(entries(cache)) == 4


def test_the_bundle_is_cached(cache, monkeypatch):
    from kamiplan.outputs import snapshot

    snapshot.vega_bundle.cache_clear()
    first = snapshot.vega_bundle()
    snapshot.vega_bundle.cache_clear()
    monkeypatch.setattr(vl_convert, "javascript_bundle", lambda: pytest.fail("bundle made again"))
    assert snapshot.vega_bundle() == first and "vegaEmbed" in first
    snapshot.vega_bundle.cache_clear()


def test_old_entries_are_removed_above_the_limit(cache, monkeypatch):
    monkeypatch.setattr(render_cache, "MAX_ENTRIES", 5)
    monkeypatch.setattr(render_cache, "KEEP_ENTRIES", 3)
    monkeypatch.setattr(render_cache, "_pruned", False)
    cache.mkdir(parents=True)
    for i in range(6):
        (cache / f"{i:064x}.svg").write_text("x")
        os.utime(cache / f"{i:064x}.svg", (1000 + i, 1000 + i))
    stale = cache / f"{render_cache.TEMP_PREFIX}old.part"
    stale.write_text("x")
    os.utime(stale, (1000, 1000))
    render_cache.store("f" * 64, ".svg", "<svg/>")
    names = sorted(p.name for p in cache.iterdir())
    assert names == [f"{i:064x}.svg" for i in (4, 5)] + ["f" * 64 + ".svg"]


def test_slots_are_filled_in_place_and_no_text_can_forge_one(cache):
    forged = "\x00svg0\x00 \x00deadbeefdeadbeef:0\x00"  # a note could hold anything
    with images.svg_batch(workers=2) as batch:
        page = f"<p>{forged}</p>{batch.slot(spec())}<p>間</p>{batch.slot(spec(values=(2, 2, 2)))}"
        filled = batch.fill(page)
    assert filled == f"<p>{forged}</p>{images.spec_to_svg(spec())}<p>間</p>{images.spec_to_svg(spec(values=(2, 2, 2)))}"


def test_the_bundle_made_by_a_worker_is_the_same_and_kept(cache):
    with render_cache.BundleJob(background=True) as job:
        text = job.result()
    assert text == vl_convert.javascript_bundle()
    with render_cache.BundleJob(background=True) as again:
        assert again._future is None and again.result() == text  # from the cache: no worker started


def test_a_spec_met_twice_in_a_batch_is_drawn_once(cache, renders):
    with images.svg_batch() as batch:
        page = batch.fill(f"{batch.slot(spec())}|{batch.slot(spec(values=(9, 9, 9)))}|{batch.slot(spec())}")
    one, other, again = page.split("|")
    assert one == again != other and len(renders) == 2


def test_drawn_before_says_whether_this_vl_convert_drew_into_the_folder(cache, monkeypatch):
    assert not render_cache.drawn_before()  # an empty cache: a command will draw every chart
    images.spec_to_svg(spec())
    assert render_cache.drawn_before()
    monkeypatch.setattr(render_cache, "renderer_version", lambda: "vl-convert-python 99")  # an upgrade
    assert not render_cache.drawn_before()
    monkeypatch.setenv(render_cache.ENV_CACHE_DIR, render_cache.CACHE_OFF)
    assert not render_cache.drawn_before()


def test_drawers_started_early_draw_for_a_batch_and_outlive_it(cache, monkeypatch):
    specs = [spec(values=(i, 2, i)) for i in range(3)]
    expected = [render_cache.render_svg(s) for s in specs]
    with render_cache.Drawers(1, warm_up=True) as drawers:
        assert drawers._pool is not None and drawers._pool._processes  # started before any chart
        # Fewer charts than HELP_FROM: the worker draws them all, this process starts no engine of its own.
        monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a: pytest.fail("drawn in this process"))
        with images.svg_batch(drawers=drawers) as batch:
            page = batch.fill("|".join(batch.slot(s) for s in specs))
        assert page.split("|") == expected
        assert drawers._pool is not None  # the batch leaves them to their owner
    assert drawers._pool is None


def test_this_process_helps_the_workers_when_many_charts_wait(cache, monkeypatch):
    specs = [spec(values=(i, i % 3, 1)) for i in range(2 * render_cache.HELP_FROM)]
    expected = [render_cache.render_svg(s) for s in specs]
    here: list[dict] = []
    real = vl_convert.vegalite_to_svg

    def counting(s, *args, **kwargs):
        here.append(s)
        return real(s, *args, **kwargs)

    with render_cache.Drawers(1) as drawers, images.svg_batch(drawers=drawers) as batch:
        slots = [batch.slot(s) for s in specs]  # the worker starts its engine meanwhile: most charts wait
        monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
        page = batch.fill("|".join(slots))
    assert page.split("|") == expected
    assert 0 < len(here) < len(specs)  # this process drew from the end, the worker from the start
    assert here[0] == specs[-1]
    assert render_cache.drawn_before() and len(entries(cache)) == len(specs)
