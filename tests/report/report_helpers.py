"""Helpers for the result-sheet tests: real key files, real saved contests, real PDFs and poppler tools."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opensel_desktop.app import declaring
from opensel_desktop.app.core import Session
from opensel_desktop.contest.yaml_io import load_contest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "resources" / "examples").glob("*.yaml"))
PASSPHRASE = "correct horse battery"
OPENSEL = [sys.executable, "-m", "opensel_desktop.cli"]


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt: poppler-utils / zbar-tools, see .ci/run)")
    return path


def run_cli(*args: str, passphrase: str | None = PASSPHRASE, in_process: bool = True) -> subprocess.CompletedProcess:
    """Run `opensel ARGS`: in this process through the CLI's own main() (fast), or as a real subprocess."""
    env = dict(os.environ)
    env.pop("OPENSEL_PASSPHRASE", None)
    if passphrase is not None:
        env["OPENSEL_PASSPHRASE"] = passphrase
    if not in_process:
        return subprocess.run([*OPENSEL, *args], capture_output=True, text=True, env=env, timeout=120,
                              stdin=subprocess.DEVNULL)
    from opensel_desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(["opensel", *args], code, out.getvalue(), err.getvalue())


def pdf_text(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    args = [need("pdftotext"), "-enc", "UTF-8"] + (["-layout"] if layout else [])
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def declared_osel(tmp: Path, example: str = "stv-delegates.yaml", declare: bool = True,
                  key: Path | None = None) -> Path:
    """A saved contest made from an example through the app's own session: counted and declared (signed by
    `key`, a key file under PASSPHRASE, when given)."""
    from opensel_desktop.app.keys import load_officer_key

    contest = load_contest(REPO / "resources" / "examples" / example)
    path = tmp / (Path(example).stem + ".osel")
    officer_key = load_officer_key(key, PASSPHRASE) if key is not None else None
    with Session.create(contest, path, contest.returning_officer or "Returning Officer") as s:
        declaring.count_meeting(s)
        if declare:
            declaring.declare(s, contest.returning_officer or "Returning Officer", key=officer_key)
    return path
