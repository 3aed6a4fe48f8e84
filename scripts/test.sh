#!/usr/bin/env bash
# Set up (first time only), then lint, type-check and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/ruff check src tests tools
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
