"""`opensel` starts fast: building the parser imports no counting code (only the rules' facts), store, report or crypto modules (each
command imports what it needs inside run()), and the light name lists the parsers offer are the real ones."""

from __future__ import annotations

import subprocess
import sys

from opensel_desktop.cli.choices import DOCUMENT_NAMES, RULE_NAMES
from opensel_desktop.engine import RULES
from opensel_desktop.report.sheets import DOCUMENTS

HEAVY = ("numpy", "reportlab", "pyhanko", "cryptography", "sqlite3", "yaml", "opensel_desktop.engine.model",
         "opensel_desktop.engine.rules", "opensel_desktop.engine.result",
         "opensel_desktop.app.core", "opensel_desktop.report", "opensel_desktop.contest.model")


def test_the_parser_lists_are_the_registries() -> None:
    assert RULE_NAMES == tuple(sorted(RULES))
    assert DOCUMENT_NAMES == tuple(sorted(DOCUMENTS))


def test_building_the_parser_imports_nothing_heavy() -> None:
    code = ("import sys; from opensel_desktop.cli import build_parser; build_parser(); "
            f"print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]", out.stdout
    version = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", "--version"], capture_output=True,
                             text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("opensel ")
