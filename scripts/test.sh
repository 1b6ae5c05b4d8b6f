#!/usr/bin/env bash
# Install the project and its test tools into .venv, then run the whole test suite headless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh test
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || $PY -m venv .venv
# pip's exit status is kept under pipefail; the filter only hides this machine's harmless index warnings
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]" 2>&1 | { grep -v "is ignored: it is neither" || true; }
.venv/bin/opensel --version >/dev/null

export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
export QT_LOGGING_RULES="qt.qpa.*=false"
# exit 5 (no tests collected) fails the run on purpose; one worker per core (PYTEST_WORKERS=0: one process)
.venv/bin/python -m pytest -q -p no:cacheprovider -n "${PYTEST_WORKERS:-auto}" "$@"
