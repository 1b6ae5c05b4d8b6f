#!/usr/bin/env bash
# Install the Debian/Ubuntu packages OpenSel needs that this machine lacks (nothing if all are there).
# Usage: scripts/system-deps.sh [run|test]   (run: what the app needs; test: also the test tools)
set -euo pipefail
RUN_PKGS=(
  # libraries the PySide6 wheels link against; a font with Ł, ŵ, â
  libgl1 libegl1 libxkbcommon0 libglib2.0-0 libdbus-1-3 libfontconfig1 fonts-dejavu-core
  # a real window on X11 (xcb platform)
  libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  # pdftoppm draws the print preview of result sheets
  poppler-utils
)
TEST_PKGS=(
  # Xvfb for screenshots, pdftotext/pdfsig for sheet checks, zbarimg for the QR code, packaging validators
  xvfb xauth zbar-tools desktop-file-utils appstream
)
pkgs=("${RUN_PKGS[@]}")
[ "${1:-test}" = "test" ] && pkgs+=("${TEST_PKGS[@]}")
command -v dpkg-query >/dev/null || { echo "not a Debian-like system: install the equivalents of: ${pkgs[*]}"; exit 0; }
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "apt: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's own python3 needs python3-venv for `python3 -m venv`
if ! ${PYTHON:-python3} -c "import venv, ensurepip" 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
fi
