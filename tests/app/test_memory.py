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


def test_the_app_gives_memory_back_after_its_page_ran(monkeypatch, tmp_path):
    """app.py calls the release once the page has run (its ``finally``). Only the first AppTest run goes
    through app.py here (pages/ beside it: later runs run the page alone), so one run is checked."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import DATA, PROJECT
    from tests.synthetic import plan_folder

    calls = []
    monkeypatch.setattr(memory, "release_unused", lambda: calls.append("released"))
    monkeypatch.setenv("KAMIPLAN_DATA_DIR", str(plan_folder(tmp_path / "data", DATA)))
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90).run()
    assert not at.exception and at.title and calls == ["released"]


FREEZE_CHECK = """
import gc, sys
sys.path.insert(0, {root!r})
import serve  # noqa: F401 - the server's module list, and nothing started (no lifespan)
from kamiplan.app import memory

frozen = memory.freeze_imports(serve.PAGE_MODULES)
assert frozen > 50_000 and gc.get_freeze_count() >= frozen, (frozen, gc.get_freeze_count())
assert all(name in sys.modules for name in serve.PAGE_MODULES)
# What a page run leaves afterwards is still collected: a cycle made after the freeze is found.
a = []; a.append(a); del a
assert gc.collect() >= 1
print(frozen)
"""


def test_the_modules_of_the_pages_are_frozen_and_later_garbage_still_collected():
    """serve.py freezes the pages' modules at start (the full collection after every run skips them);
    in a process of its own: a freeze is for the whole process."""
    import subprocess
    import sys

    from tests.conftest import PROJECT

    done = subprocess.run(
        [sys.executable, "-c", FREEZE_CHECK.format(root=str(PROJECT))],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 50_000
