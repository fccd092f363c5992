#!/usr/bin/env bash
# Set up (first time only) and run every test: lint, unit, AppTest and headless-browser tests.
# With arguments, they go to one pytest run as they are (e.g. ./scripts/test.sh tests/test_import.py -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev --browser
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
if [ "$#" -gt 0 ]; then
  exec .venv/bin/python -m pytest "$@"
fi
# Tests without a browser run on two processes (pytest-xdist), with the page benchmark's smoke test (its
# timings are not judged); the other browser tests one at a time, since they wait on what a person would see.
.venv/bin/python -m pytest -m "not browser or benchmark" -n 2
exec .venv/bin/python -m pytest -m "browser and not benchmark"
