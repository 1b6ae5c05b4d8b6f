"""Running the real `opensel` command in a subprocess, as the meeting tests do (imported by them; tests/
is on sys.path because the top-level conftest.py lives there)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def run_opensel(*args: str, env: Mapping[str, str], stdin: str | None = None, ok: bool = True,
                cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """ok=True: it must succeed; ok=False: it must refuse with exit 1 and one line. Never a traceback.
    A run longer than `timeout` seconds raises subprocess.TimeoutExpired (a hang fails, it does not wait)."""
    proc = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", *args], input=stdin, capture_output=True,
                          text=True, env=dict(env), timeout=timeout, cwd=cwd)
    assert "Traceback" not in proc.stderr, proc.stderr
    if ok:
        assert proc.returncode == 0, f"opensel {' '.join(args)} failed: {proc.stderr}"
    else:
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1, (args, proc.returncode, proc.stderr)
    return proc
