#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller and smoke-test it: start it offscreen on the bundled
# example contest, count, write a result sheet PDF, open the window, exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || $PY -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[package]" 2>&1 | { grep -v "is ignored: it is neither" || true; }

.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/opensel-desktop.spec
ln -sf opensel-desktop dist/opensel-desktop/opensel

# the desktop files, stamped from the package (version, icon names), must validate before anything is shipped
.venv/bin/python packaging/metadata.py dist/opensel-desktop >/dev/null
META=dist/opensel-desktop/share
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$META/applications/org.opensel.Desktop.desktop"; fi
if command -v appstreamcli >/dev/null; then appstreamcli validate --no-net --pedantic "$META/metainfo/org.opensel.Desktop.metainfo.xml" >/dev/null || appstreamcli validate --no-net "$META/metainfo/org.opensel.Desktop.metainfo.xml"; fi

export QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES="qt.qpa.*=false"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"; chmod 700 "$XDG_RUNTIME_DIR"
dist/opensel-desktop/opensel --version
dist/opensel-desktop/opensel-desktop --smoke dist/opensel-desktop/_internal/resources/examples/av-parliamentary.yaml
tar -C dist -czf dist/opensel-desktop-linux-x86_64.tar.gz opensel-desktop
echo "bundle: dist/opensel-desktop ($(du -sh dist/opensel-desktop | cut -f1)), archive dist/opensel-desktop-linux-x86_64.tar.gz"
