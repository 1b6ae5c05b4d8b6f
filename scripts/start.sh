#!/usr/bin/env bash
# Install the project into .venv and start the app on the bundled example contest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh run
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || $PY -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e . 2>&1 | { grep -v "is ignored: it is neither" || true; }
exec .venv/bin/opensel-desktop "${1:-resources/examples/av-parliamentary.yaml}"
