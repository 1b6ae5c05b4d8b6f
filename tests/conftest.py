"""Test-wide set-up. QT_QPA_PLATFORM must be set before pytest-qt builds the QApplication."""

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_dir() -> Path:
    return DATA
