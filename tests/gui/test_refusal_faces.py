"""One refusal, two faces: the command line names the command or option to use, the desktop app the
menu item or shortcut (and never a command, an option or a path). Three typical refusals of declaring,
made by the real app on a real .osel, read through `opensel` and through the window's wording."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from opensel_desktop.app import declaring, entry
from opensel_desktop.app.core import Session
from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.model import CandidateSpec, Channel, Contest
from opensel_desktop.gui.meeting import short


def contest(channels=()) -> Contest:
    return Contest(title="Selection", rule="av", seats=1, candidates=(CandidateSpec("Ann"), CandidateSpec("Bob")),
                   returning_officer="Jane Smith", channels=channels)


def cli_refusal(path: Path, *args: str) -> str:
    r = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", "declare", str(path), "--officer", "Jane Smith",
                        *args], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    return r.stderr


def gui_refusal(path: Path, override: str | None = None) -> str:
    with Session.open(path, "Jane Smith") as s, pytest.raises(AppError) as caught:
        declaring.declare(s, "Jane Smith", override)
    text = short(caught.value, path)
    assert "opensel" not in text and "--" not in text and str(path) not in text and "`" not in text
    return text


def test_unagreed_batch(tmp_path: Path) -> None:
    path = tmp_path / "m.osel"
    with Session.create(contest(), path, "Jane Smith") as s:
        entry.enter_paper(s, [0], "Ann Teller", batch="1")
    assert "finish its second entry with `opensel enter --second` and resolve each difference with `opensel diff`" \
        in cli_refusal(path)
    assert gui_refusal(path) == ("Batch 1 is not agreed yet; it must be agreed before the declaration; finish its "
                                 "second entry (Entry > Second entry, Ctrl+E) and resolve each difference in the "
                                 "comparison list.")


def test_account_that_does_not_reconcile(tmp_path: Path) -> None:
    path = tmp_path / "m.osel"
    with Session.create(contest((Channel("in-room", 5, 0, 0, 5),)), path, "Jane Smith") as s:
        entry.enter_paper(s, [0], "Ann Teller", batch="1", single=True)
    cli = cli_refusal(path)
    assert "record the figures with `opensel account`, or go ahead with --override-reason REASON." in cli
    text = gui_refusal(path)
    assert text.startswith("The ballot paper account does not reconcile (")
    assert text.endswith("record the figures in the Account tab (Ctrl+2), or give the reason for going ahead "
                         "anyway when asked.")


def test_lot_still_to_draw(tmp_path: Path) -> None:
    path = tmp_path / "m.osel"
    with Session.create(contest(), path, "Jane Smith") as s:
        entry.enter_paper(s, [0], "Ann Teller", batch="1", single=True)
        entry.enter_paper(s, [1], "Ann Teller", batch="1")
    assert "draw it with `opensel lot` first" in cli_refusal(path, "--override-reason", "test")
    text = gui_refusal(path, "test")
    assert text.startswith("A lot is needed at stage") and text.endswith(
        "count now (F5) to draw it in the lot dialog.")
