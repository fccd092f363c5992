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
