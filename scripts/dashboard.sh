#!/usr/bin/env bash
# Set up (first time only) and run the dashboard on the embedded data: http://localhost:8501
# Options go to `python -m kamiplan serve` (--port, --address, --data-dir, or Streamlit's --server.* options).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --fonts
exec .venv/bin/python -m kamiplan serve "$@"
