#!/usr/bin/env bash
# Create .venv (Python 3.11+), upgrade pip (pip 23 cannot resolve trafilatura's dependency tree) and install
# warlog with its development extras from the project files. Idempotent; re-running only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.warlog-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev,ray]'
  touch "$stamp"
fi
