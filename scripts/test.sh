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
# All tests on two processes (pytest-xdist). The browser tests go first, one after another on one process
# (they wait on what a person would see; tests/conftest.py groups and orders them), while the other process
# runs the tests without a browser; then both share what is left.
exec .venv/bin/python -m pytest -n 2 --dist loadgroup --no-loadscope-reorder
