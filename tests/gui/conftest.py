"""GUI test fixtures: settings kept in tmp_path and a small contest file (key helpers: gui_keys.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

CONTEST = """\
format: opensel-contest/1
kind: election
organisation: Anytown CLP
title: Election of two delegates
venue: Trades Hall
returning_officer: Jane Smith
tellers: [Ann Teller, Bob Teller]
method: {rule: scottish, seats: 2}
candidates:
  - Łukasz Nowak
  - Siân Evans
  - Dafydd ap Gwŵr
  - Ann Hughes
  - Bob Jones
channels:
  - {name: in-room, issued: 110, spoilt: 4, unused: 6}
"""


@pytest.fixture(autouse=True, scope="session")
def _qt_test_paths():
    QStandardPaths.setTestModeEnabled(True)  # never write into the real ~/.config


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def contest_file(tmp_path):
    path = tmp_path / "delegates.yaml"
    path.write_text(CONTEST, encoding="utf-8")
    return path
