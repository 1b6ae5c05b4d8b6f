"""Fixtures for the result-sheet tests (helpers live in report_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import PASSPHRASE

from opensel_desktop.app.keys import write_officer_key


@pytest.fixture(scope="session")
def officer_key(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "officer.key"
    write_officer_key(path, "Siân Dafydd", PASSPHRASE)
    return path
