"""The benchmark and stress scripts run (on tiny cases); their timings are not judged here."""

from __future__ import annotations

import subprocess
import sys

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


def test_bench_outputs_tiny():
    result = run("benchmarks/bench_outputs.py", "--repeat", "1", "--charts", "2", "--skip-site")
    assert result.returncode == 0, result.stderr
    assert "PNG (scale 2) from the spec" in result.stdout and "callables" in result.stdout
