#!/usr/bin/env bash
# Set up (first time only) and run warlog on the bundled sample corpus into warlog-demo.duckdb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/warlog demo --db "${1:-warlog-demo.duckdb}"
