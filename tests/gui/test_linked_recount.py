"""After the declaration: Count > Start a linked recount… in the window, and `opensel recount-linked` (subprocess).

The declared file must stay exactly as it was (same journal head and events); the new file cites it
(contest id, head, name) and holds the same agreed papers, so an independent count of it equals the
declared result.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gui_keys import press, type_text
from PySide6.QtCore import Qt

from opensel_desktop.app import declaring, entry
from opensel_desktop.app.core import Session
from opensel_desktop.contest.yaml_io import load_contest
from opensel_desktop.gui.dialogs.linked_recount_dialog import LinkedRecountDialog
from opensel_desktop.gui.main_window import MainWindow

PAPERS = [(0, 1)] * 5 + [(1, 0, 2)] * 4 + [(2, 3)] * 2 + [(3,)]
ENV = {**os.environ, "OPENSEL_ACTOR": "Jane Smith"}


def meeting(path: Path, contest_file: Path, declare: bool = True) -> Path:
    with Session.create(load_contest(contest_file), path, "Jane Smith") as s:
        for marks in PAPERS:
            entry.enter_paper(s, list(marks), "Ann Teller", batch="1", single=True)
        declaring.count_meeting(s, override_reason="test meeting: no account was kept")
        # the officer takes the keyboard (Ctrl+T) before declaring: a declared file then reopens in her name
        # (gui/meeting.open_meeting journals a teller switch on open, which a locked file refuses)
        entry.switch_teller(s, "Jane Smith", "returning officer")
        if declare:
            declaring.declare(s, "Jane Smith", override_reason="test meeting: the box was not recounted")
    return path


def journal(path: Path) -> tuple[str, int]:
    with Session.open(path, "auditor", readonly=True) as s:
        return s.head_hash, len(s.events())


def window_on(qtbot, settings, path: Path) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.open_file(str(path), teller="Jane Smith")
    assert window.meeting is not None
    return window


def test_the_window_starts_a_linked_recount_and_opens_it(qtbot, tmp_path, settings, contest_file):
    declared = meeting(tmp_path / "m.osel", contest_file)
    with Session.open(declared, "auditor", readonly=True) as s:
        declared_id, declared_result = s.contest_id, s.declared.result
    window = window_on(qtbot, settings, declared)
    before = journal(declared)
    action = next(a for a in window.meeting_actions if a.text() == "Start a &linked recount…")
    action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, LinkedRecountDialog)
    assert dialog.officer.text() == "Jane Smith" and dialog.path.text() == str(tmp_path / "m-recount.osel")
    # an existing file is never overwritten: refused inline, the dialog stays open
    (tmp_path / "taken.osel").write_bytes(b"not mine")
    dialog.path.setFocus()
    dialog.path.selectAll()
    type_text(dialog, str(tmp_path / "taken.osel"))
    press(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.message.text(), "an existing file must be refused"
    assert (tmp_path / "taken.osel").read_bytes() == b"not mine"
    dialog.path.setFocus()
    dialog.path.selectAll()
    type_text(dialog, str(tmp_path / "recount.osel"))
    press(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    assert window.meeting is not None and window.meeting.path.name == "recount.osel", window.status_text.text()
    assert window.status_text.text().startswith("Linked recount recount.osel created from the declared m.osel")
    assert window.meeting.state() != "declared" and window.entry is not None  # the recount can be worked on
    session = window.meeting.session
    link = session.replay.linked_to
    assert link["contest_id"] == declared_id and link["head"] == before[0] and link["file"] == "m.osel"
    assert session.ballots().total == len(PAPERS)
    assert declaring.count_meeting(session, journal=False).to_json_dict() == declared_result
    window.close()
    assert journal(declared) == before  # the declared file is not changed


def test_before_the_declaration_there_is_no_linked_recount(qtbot, tmp_path, settings, contest_file):
    path = meeting(tmp_path / "m.osel", contest_file, declare=False)
    window = window_on(qtbot, settings, path)
    window.start_linked_recount()
    assert window.dialog is None
    assert window.status_text.text().startswith("The result is not declared yet")
    window.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".osel") == ["m.osel"]


def opensel(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", *args], capture_output=True, text=True,
                          env=ENV, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    if ok:
        assert proc.returncode == 0, proc.stderr
    else:
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1, (proc.returncode, proc.stderr)
    return proc


def test_cli_recount_linked(tmp_path, contest_file):
    declared = meeting(tmp_path / "m.osel", contest_file)
    before = journal(declared)
    out = opensel("recount-linked", str(declared), "-o", str(tmp_path / "r.osel"), "--officer", "Jane Smith")
    assert "a recount of m.osel (contest id " in out.stdout and f"journal head {before[0]}" in out.stdout
    assert journal(declared) == before
    with Session.open(tmp_path / "r.osel", "auditor", readonly=True) as s:
        assert s.replay.linked_to["head"] == before[0] and s.ballots().total == len(PAPERS)
    counted = opensel("count", str(tmp_path / "r.osel"), "--format", "json", "--override-reason",
                      "the same papers as the declared count, whose box was never recounted")
    with Session.open(declared, "auditor", readonly=True) as s:
        assert counted.stdout.count('"elected"') >= 1 and all(n in counted.stdout for n in s.declared.elected)

    # refusals: one sentence, exit 1, nothing written
    again = opensel("recount-linked", str(declared), "-o", str(tmp_path / "r.osel"), "--officer", "Jane Smith",
                    ok=False)
    assert "r.osel" in again.stderr
    undeclared = meeting(tmp_path / "u.osel", contest_file, declare=False)
    refused = opensel("recount-linked", str(undeclared), "-o", str(tmp_path / "u2.osel"), "--officer", "Jane Smith",
                      ok=False)
    assert "not declared" in refused.stderr and not (tmp_path / "u2.osel").exists()
    junk = tmp_path / "junk.osel"
    junk.write_bytes(b"\x00garbage" * 10)
    opensel("recount-linked", str(junk), "-o", str(tmp_path / "j2.osel"), "--officer", "Jane Smith", ok=False)
    assert not (tmp_path / "j2.osel").exists() and junk.read_bytes() == b"\x00garbage" * 10
    help_text = opensel("recount-linked", "--help").stdout
    assert "NEW.osel" in help_text and "exit codes" in help_text


def test_a_declared_file_reopens_under_another_name_without_journaling(tmp_path: Path, contest_file):
    from opensel_desktop.gui.meeting import open_meeting

    path = tmp_path / "declared.osel"
    with Session.create(load_contest(contest_file), path, "Jane Smith") as s:
        for marks in PAPERS:
            entry.enter_paper(s, list(marks), "Ann Teller", batch="1", single=True)
        declaring.count_meeting(s, override_reason="test meeting: no account was kept")
        declaring.declare(s, "Jane Smith", override_reason="test meeting: the box was not recounted")
    before = journal(path)
    meeting = open_meeting(path, "Bob Teller")  # the last teller was Ann: no switch may be journaled now
    meeting.session.close()
    assert journal(path) == before
