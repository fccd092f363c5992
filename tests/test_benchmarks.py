"""The benchmark and stress scripts run (on tiny cases); their timings are not judged here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=PROJECT, capture_output=True, text=True, timeout=300)


def test_stress_actuals_tiny():
    result = run("benchmarks/stress_actuals.py", "--saves", "5", "--races", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "10 values, log complete" in result.stdout and "chain intact" in result.stdout


def test_bench_report_tiny():
    result = run("benchmarks/bench_report.py", "--repeat", "1")
    assert result.returncode == 0, result.stderr
    assert "python -m kamiplan report" in result.stdout


def test_bench_commands_tiny(tmp_path):
    out = tmp_path / "commands.json"
    result = run(
        "benchmarks/bench_commands.py", "--repeat", "1", "--warmup", "0", "--only", "report", "--json", str(out)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "report --format csv (whole plan)" in result.stdout
    commands = json.loads(out.read_text(encoding="utf-8"))["commands"]
    assert commands["report"]["median_s"] > 0 and commands["report"]["ratio"] > 0


def test_bench_outputs_tiny():
    result = run("benchmarks/bench_outputs.py", "--repeat", "1", "--charts", "2", "--skip-site")
    assert result.returncode == 0, result.stderr
    assert "PNG (scale 2) from the spec" in result.stdout and "callables" in result.stdout


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory):
    """A tiny synthetic plan (テスト用の架空データ: 20 indicators, 3 years)."""
    data = tmp_path_factory.mktemp("bench") / "synth"
    made = run("-m", "kamiplan", "synth", "--indicators", "20", "--years", "3", "--out", str(data))
    assert made.returncode == 0, made.stderr
    return data


@pytest.mark.browser
@pytest.mark.benchmark
def test_bench_pages_tiny(tiny_plan, tmp_path):
    """The page benchmark's browser phases and commands run end to end on a tiny synthetic plan (one
    repetition). Its memory phase has no browser: the next test, outside the browser tests' serial chain."""
    out = tmp_path / "bench.json"
    # --timeout: a page that never gets idle fails with the benchmark's own message, inside run()'s limit.
    args = ["--repeat", "1", "--pages", "pillar4", "--filter-page", "pillar4", "--no-memory", "--timeout", "90"]
    args += ["--slides", "2:1", "--smoke"]  # one slide change; short waits
    result = run("benchmarks/bench_pages.py", *args, "--data-dir", str(tiny_plan), "--json", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "open pillar4" in result.stdout and "server RSS MB" not in result.stdout
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results["pages"]) == {"pillar4"} and results["filter"]["ratio"] > 0 and results["export"]["ratio"] > 0
    assert set(results["warm_browser"]) == {"pillar4"} and len(results["slides"]["samples"]) == 1
    assert "memory" not in results
    assert results["whole_plan_csv_s"] > 0 and results["report_command"]["median_s"] > 0


@pytest.mark.benchmark
def test_bench_pages_memory_tiny(tiny_plan, tmp_path):
    """The memory phase: two protocol-level sessions (no browser) each run the timed page on both servers."""
    out = tmp_path / "memory.json"
    args = ["--pages", "pillar4", "--sessions", "2", "--only-memory", "--smoke", "--timeout", "90"]
    result = run("benchmarks/bench_pages.py", *args, "--data-dir", str(tiny_plan), "--json", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "server RSS MB, 2 sessions" in result.stdout and "open pillar4" not in result.stdout
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["memory"]["kamiplan"]["rss_mb"] > 0 and results["memory"]["floor"]["rss_mb"] > 0
    # --smoke: the memory sessions run the timed pages (here one), each session every page
    assert results["memory"]["kamiplan"]["runs_finished"] == 2 and results["memory"]["floor"]["runs_finished"] == 2
    assert results["pages"] == {} and "whole_plan_csv_s" not in results
