"""kamiplan.app.memory: the end-of-run release is safe to call, from any thread, any number of times."""

import threading

from kamiplan.app import memory


def test_release_unused_runs_and_repeats():
    memory.release_unused()
    memory.release_unused()


def test_release_unused_from_threads_at_once():
    errors = []

    def run():
        try:
            for _ in range(20):
                memory.release_unused()
        except Exception as exc:  # pragma: no cover - the failure is reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_the_app_runs_its_page_in_turn_and_gives_memory_back(monkeypatch, tmp_path):
    """app.py runs the page in its turn and calls the release once the page has run (its ``finally``): on the
    first run and on every later one (a rerun, another page)."""
    from contextlib import contextmanager

    from streamlit.testing.v1 import AppTest

    from tests.conftest import DATA, PROJECT
    from tests.synthetic import plan_folder

    calls = []
    turn = memory.page_run_turn

    @contextmanager
    def recorded_turn():
        with turn() as got:
            calls.append("turn")
            yield got
            calls.append("page ran")

    monkeypatch.setattr(memory, "release_unused", lambda: calls.append("released"))
    monkeypatch.setattr(memory, "page_run_turn", recorded_turn)
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(plan_folder(tmp_path / "data", DATA)))
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
    # The page runs in its turn (at most two at once), and the memory goes back after it.
    assert not at.exception and at.title and calls == ["turn", "page ran", "released"]
    at.switch_page("pages/projects.py").run()
    assert not at.exception and at.title and calls == ["turn", "page ran", "released"] * 2


LIFESPAN_CHECK = """
import asyncio, gc, sys
sys.path.insert(0, {root!r})
import altair.utils.schemapi as schemapi
import serve  # the server's start (its lifespan) run here without a server


async def main():
    async with serve._lifespan(None):
        # The pages' modules are frozen, and later garbage is still collected: a cycle made now is found.
        assert gc.get_freeze_count() > 50_000, gc.get_freeze_count()
        assert all(name in sys.modules for name in serve.PAGE_MODULES)
        a = []; a.append(a); del a
        assert gc.collect() >= 1
        # Charts are built without Altair checking each part again (kamiplan.outputs.charts.unchecked_building).
        assert schemapi.DEBUG_MODE is False
        # Arrow allocates from glibc's heaps, which release_unused trims (kamiplan.app.memory.arrow_in_system_heap).
        import pyarrow as pa
        assert pa.default_memory_pool().backend_name == "system", pa.default_memory_pool().backend_name
        # vl-convert stays out of the server (~13 MB): children draw, and find the font (ui.drawing_setup).
        assert "vl_convert" not in sys.modules
        print(gc.get_freeze_count())
    assert schemapi.DEBUG_MODE is True  # as before once the server stops


asyncio.run(main())
"""


def test_the_server_start_freezes_the_pages_modules_moves_arrow_to_glibc_and_builds_charts_unchecked():
    """serve.py's lifespan freezes the pages' modules (the full collection after every run skips them), lets
    Arrow allocate from glibc's heaps and builds charts unchecked while the server runs; in a process of its own: a freeze is for the whole process."""
    import subprocess
    import sys

    from tests.conftest import PROJECT

    done = subprocess.run(
        [sys.executable, "-c", LIFESPAN_CHECK.format(root=str(PROJECT))],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 50_000


def test_page_runs_take_turns_and_never_wait_longer_than_the_limit():
    import time

    slots = threading.BoundedSemaphore(1)
    with memory.page_run_turn(slots, wait_s=5) as first:
        assert first
        start = time.monotonic()
        with memory.page_run_turn(slots, wait_s=0.2) as second:  # the slot is taken: goes ahead after 0.2 s
            assert not second
        assert 0.15 < time.monotonic() - start < 2
    # Released at the end of the run, also when the run raises (st.stop, a rerun, an error).
    try:
        with memory.page_run_turn(slots, wait_s=0.1) as turn:
            assert turn
            raise RuntimeError("page failed")
    except RuntimeError:
        pass
    assert slots.acquire(timeout=0.1)
    slots.release()


def test_a_waiting_run_starts_as_soon_as_the_slot_is_free():
    import time

    slots = threading.BoundedSemaphore(1)
    order = []

    def later():
        with memory.page_run_turn(slots, wait_s=5) as turn:
            order.append(("second", turn, time.monotonic()))

    with memory.page_run_turn(slots, wait_s=5):
        thread = threading.Thread(target=later)
        thread.start()
        time.sleep(0.3)
        order.append(("first done", True, time.monotonic()))
    thread.join(5)
    assert [o[:2] for o in order] == [("first done", True), ("second", True)]
    assert order[1][2] - order[0][2] < 1  # not the whole wait
