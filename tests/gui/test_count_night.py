"""What tellers and the returning officer meet on a real count night, driven by keys in the real window:
mismatches resolved from the keyboard, safe fast keying with many candidates, reopening a saved contest,
bundles, a declared contest that looks locked, the account light, and the words on screen."""

from __future__ import annotations

import re

from gui_contests import FOURTEEN
from gui_keys import key_paper, press, shortcut, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from opensel_desktop.app import entry
from opensel_desktop.app.core import Session
from opensel_desktop.contest.yaml_io import load_contest
from opensel_desktop.gui.dialogs.key_dialog import KeyDialog
from opensel_desktop.gui.main_window import MainWindow
from opensel_desktop.gui.models.diff import RICH_ROLE

BLOCK = """\
format: opensel-contest/1
title: Branch officers
returning_officer: Jane Smith
tellers: [Ann Teller, Bob Teller]
method: {rule: block, seats: 2}
candidates: [Ann Hughes, Bob Jones, Cai Lewis]
channels:
  - {name: in-room, issued: 54, spoilt: 0, unused: 2}
"""
PAPERS = [(0, 1), (1, 0, 2), (2,), (3, 4), (0, 2), (4, 1), (1,), (2, 3, 0)]


def window_for(qtbot, settings) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    return window




def wrong(ranking: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(reversed(ranking)) if len(ranking) > 1 else ((ranking[0] + 1) % 5,)


def test_mismatches_are_resolved_from_the_keyboard_one_after_another(qtbot, tmp_path, settings, contest_file):
    window = window_for(qtbot, settings)
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Ann Teller")
    for ranking in PAPERS:
        key_paper(window, ranking)
    window.second_entry("Bob Teller")
    for n, ranking in enumerate(PAPERS, start=1):
        key_paper(window, wrong(ranking) if n in (2, 5, 8) else ranking)
    entry = window.entry
    assert [r.number for r in entry.diff.mismatches()] == [2, 5, 8]
    # each entry by name, the differing preferences marked; no dot patterns
    row = entry.diff.index(0, 2)
    assert entry.diff.index(0, 1).data() == "1 Siân Evans · 2 Łukasz Nowak · 3 Dafydd ap Gwŵr"
    assert row.data() == "1 Dafydd ap Gwŵr · 2 Łukasz Nowak · 3 Siân Evans"
    assert "<b>1 Dafydd ap Gwŵr</b>" in row.data(RICH_ROLE) and "<b>2 Łukasz" not in row.data(RICH_ROLE)
    assert entry.diff.index(0, 3).data() == "preferences 1, 3 differ: 1 or 2"
    assert not any("·  ·" in entry.diff.index(r, c).data() for r in range(3) for c in (1, 2))
    # F2 from the paper goes to the first mismatch
    assert entry.form.focusWidget() is entry.form.boxes[0] or entry.form.boxes[0].hasFocus()
    shortcut(window, Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier)
    assert entry.diff_table.hasFocus() and entry.diff.rows()[entry.diff_table.currentIndex().row()].number == 2
    press(entry.diff_table, Qt.Key.Key_1)  # the first entry is right
    # the cursor moved on to the next unresolved one by itself, not back to the first row
    assert entry.diff_table.hasFocus()
    assert entry.diff.rows()[entry.diff_table.currentIndex().row()].number == 5
    assert window.status_text.text() == "Paper 2 resolved: the first entry is right. 2 papers to go."
    press(entry.diff_table, Qt.Key.Key_2)  # the second entry is right
    assert entry.diff.rows()[entry.diff_table.currentIndex().row()].number == 8
    assert window.status_text.text().endswith("1 paper to go.")
    press(entry.diff_table, Qt.Key.Key_1)
    assert entry.diff.mismatches() == [] and entry.form.boxes[0].hasFocus()  # back on the paper
    assert window.status_text.text() == "Paper 8 resolved. Every mismatch of batch 1 is resolved."
    assert window.meeting.session.batches()[0].state == "agreed"
    resolved = {e.data["paper"]: tuple(e.data["marks"]) for e in window.meeting.session.events()
                if e.kind == "mismatch_resolved"}
    assert resolved == {2: PAPERS[1], 5: wrong(PAPERS[4]), 8: PAPERS[7]}
    # with nothing left to resolve, F2 goes to the batch list, and F2 there reopens the paper under the cursor
    shortcut(window, Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier)
    assert entry.list.hasFocus() and entry.list.currentIndex().row() == len(PAPERS) - 1
    shortcut(window, Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier)
    assert window.correcting == len(PAPERS)
    press(entry.form, Qt.Key.Key_Escape)
    window.close()


def test_fourteen_candidates_key_fast_and_safely(qtbot, tmp_path, settings):
    path = tmp_path / "regional.yaml"
    path.write_text(FOURTEEN, encoding="utf-8")
    window = window_for(qtbot, settings)
    window.new_from_contest(str(path), str(tmp_path / "r.osel"), "Ann Teller")
    form = window.entry.form
    assert form.hotkey_mode  # ten or more candidates: letters by default, nothing waits for a second key
    type_text(form, "bac")
    press(form, Qt.Key.Key_Return)  # 4 keys for a 3-preference paper
    assert window.status_text.text() == "Paper 1 saved."
    session = window.meeting.session
    assert [tuple(e.data["marks"]) for e in session.events() if e.kind == "paper_entered"] == [(1, 0, 2)]
    # a broken paper: Enter, Enter, Enter never rejects it
    form.set_hotkey_mode(False)
    type_text(form, "2")
    for _ in range(4):
        press(form, Qt.Key.Key_Return)
    assert not form.reject_open() and form.marks == {0: 2}
    assert not [e for e in session.events() if e.kind == "paper_rejected"]
    # the waiting "1_" is on screen, and the teller can see it become 12
    form.clear()
    type_text(form, "1")
    assert form.boxes[0].text() == "1_"
    type_text(form, "2")
    assert form.boxes[0].text() == "12"
    window.close()


def test_reopening_goes_on_in_a_new_batch_never_in_an_agreed_one(qtbot, tmp_path, settings, contest_file):
    path = tmp_path / "m.osel"
    with Session.create(load_contest(contest_file), path, "Jane Smith") as s:
        for marks in PAPERS:
            entry.enter_paper(s, list(marks), "Ann Teller", batch="1")
        for marks in PAPERS:
            entry.enter_paper(s, list(marks), "Bob Teller", batch="1", second=True)
        for marks in PAPERS[:3]:  # batch 2: first entry under way
            entry.enter_paper(s, list(marks), "Ann Teller", batch="2")
    window = window_for(qtbot, settings)
    window.open_file(str(path), teller="Ann Teller")
    m = window.meeting
    assert (m.batch, m.side) == ("2", "first") and window.entry.form.number == 4  # where keying stopped
    window.close_meeting()
    with Session.open(path, "Bob Teller") as s:
        entry.enter_paper(s, list(PAPERS[3]), "Ann Teller", batch="2")  # the first entry's last paper
        for marks in PAPERS[:2]:
            entry.enter_paper(s, list(marks), "Bob Teller", batch="2", second=True)
    window.open_file(str(path), teller="Bob Teller")
    m = window.meeting
    assert (m.batch, m.side) == ("2", "second") and window.entry.form.number == 3  # the second entry goes on
    assert "second entry goes on" in window.status_text.text()
    window.close_meeting()
    with Session.open(path, "Bob Teller") as s:
        for marks in PAPERS[2:4]:
            entry.enter_paper(s, list(marks), "Bob Teller", batch="2", second=True)
        assert [b.state for b in s.batches()] == ["agreed", "agreed"]
    window.open_file(str(path), teller="Ann Teller")
    m = window.meeting
    assert (m.batch, m.side) == ("3", "first") and window.entry.form.number == 1
    assert "new batch, 3" in window.status_text.text() and "batches 1, 2 are agreed" in window.status_text.text()
    key_paper(window, (4, 3))  # one more paper goes into batch 3: the agreed batches stay agreed and counted
    assert [b.state for b in m.session.batches()] == ["agreed", "agreed", "awaiting second entry"]
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=10000)
    qtbot.wait(20)
    assert m.session.ballots().total == 2 * len(PAPERS[:4]) + len(PAPERS) - len(PAPERS[:4])
    assert "No agreed papers" not in window.results.banner.text()
    window.close()


def key_column(window: MainWindow, figures: tuple[int, ...]) -> None:
    from PySide6.QtTest import QTest

    grid = window.grid
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    col = grid.new_column()
    for row, value in enumerate(figures):
        grid.table.setFocus()
        grid.table.setCurrentCell(row, col)
        for ch in str(value):
            QTest.keyClick(QApplication.focusWidget(), Qt.Key(ord(ch)))
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        QApplication.processEvents()
    grid.table.setCurrentCell(1, col)
    press(grid.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_a_block_vote_by_bundles_counts_papers_and_records_rejections(qtbot, tmp_path, settings):
    path = tmp_path / "officers.yaml"
    path.write_text(BLOCK, encoding="utf-8")
    window = window_for(qtbot, settings)
    window.new_from_contest(str(path), str(tmp_path / "o.osel"), "Ann Teller")
    grid = window.grid
    assert grid.table.columnCount() == 2
    key_column(window, (25, 20, 18, 9))
    key_column(window, (23, 15, 17, 12))
    key_column(window, (2, 2, 1, 1))
    assert grid.table.columnCount() == 5  # three bundles, the next one, the totals: columns follow the bundles
    assert window.status_text.text() == "Bundle 3 saved: 2 papers."
    # rejected papers of an X-vote contest, by keyboard: Ctrl+J, the heading's number, the count, Enter
    shortcut(window, Qt.Key.Key_J)
    dialog = window.dialog
    type_text(dialog, "4")  # unmarked
    type_text(dialog, "2")
    press(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    assert window.status_text.text() == "2 papers rejected as 'unmarked'."
    assert "unmarked 2" in grid.rejected.text()
    window.second_entry("Bob Teller")
    for figures in ((25, 20, 18, 9), (23, 15, 17, 12), (2, 2, 1, 1)):
        key_column(window, figures)
    # the live count on the Results tab, before anything is journaled: papers, not the 95 votes on them
    qtbot.waitUntil(lambda: window.result is not None and window.result.valid_poll in (50, 95), timeout=10000)
    assert window.result.valid_poll == 50 and "50 papers counted" in window.result.stages[0].reason
    shortcut(window, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
    result = window.result
    assert result is not None and result.valid_poll // 10 ** result.places == 50
    reasons = [window.results.reasons.item(i).text() for i in range(window.results.reasons.count())]
    assert reasons[0].startswith("Stage 1: 50 papers counted, 95 votes"), reasons
    window.record_account("in-room", 54, 0, 2, 52, "")  # 50 counted + 2 rejected = 52 found
    rows, _ok, message = window.meeting.account_rows()
    assert rows[-1].counted == 50 and "50 valid, 2 rejected" in message and window.light.state == "green"
    assert (rows[0].counted, rows[0].rejected) == (50, 2)  # the only channel: its rejected papers are all of them
    window.close()


def test_declared_contest_looks_locked_and_the_light_waits(qtbot, tmp_path, settings, contest_file):
    from opensel_desktop.app.keys import write_officer_key

    window = window_for(qtbot, settings)
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Ann Teller")
    assert window.light.state == "amber" and window.light.label.text() == "Account: nothing to reconcile yet"
    assert "Nothing to reconcile yet" in window.account.status.text()
    for ranking in PAPERS:
        key_paper(window, ranking)
    assert window.light.state == "red"  # papers keyed, not yet agreed: now the account is judged
    window.second_entry("Bob Teller")
    for ranking in PAPERS:
        key_paper(window, ranking)
    # the account by keys: Enter moves from figure to figure; Enter in Returned records
    shortcut(window, Qt.Key.Key_2)
    panel = window.account
    panel.spins["issued"].setFocus()
    for text in ("18", "4", "6"):
        panel.focusWidget().selectAll()
        type_text(panel, text)
        press(panel, Qt.Key.Key_Return)
    assert panel.spins["returned"].hasFocus()
    panel.spins["returned"].selectAll()
    type_text(panel, "8")
    press(panel, Qt.Key.Key_Return)
    assert window.status_text.text() == "Account figures for in-room saved.", panel.editor_message.text()
    assert window.light.state == "green"
    window.count_now()
    while window.dialog is not None:  # the few papers need lots
        lot = window.dialog
        lot.chosen.setCurrentIndex(0)
        lot.witnesses.setText("Siân Evans")
        lot.accept()
    key = tmp_path / "ro.key"
    write_officer_key(key, "Jane Smith", "correct horse")
    window.declare(str(key))
    dialog = window.dialog
    for box in dialog.checks:
        box.setChecked(True)
    dialog.next_step()
    dialog.passphrase.setText("correct horse")
    dialog.next_step()
    assert window.ops.busy("unlock") and dialog.progress.isVisible() and not dialog.next_button.isEnabled()
    qtbot.waitUntil(lambda: window.ops.busy("sheets") or dialog.step() == 2, timeout=20000)  # the key opened
    qtbot.waitUntil(lambda: dialog.step() == 2, timeout=30000)
    dialog.accept()
    form = window.entry.form
    assert form.locked and not any(b.isEnabled() for b in form.boxes) and "Locked" in form.heading.text()
    assert "locked" in window.entry.banner.text() and not window.account.editor.isVisible()
    type_text(form, "1")
    assert form.marks == {}
    window.close_meeting()
    window.open_file(str(tmp_path / "m.osel"), teller="Jane Smith")  # reopened: still locked
    assert window.entry.form.locked and not window.entry.form.boxes[0].isEnabled()
    window.close()


def test_the_key_is_saved_where_chosen_and_offered_to_the_declaration(qtbot, tmp_path, settings, contest_file):
    window = window_for(qtbot, settings)
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Jane Smith")
    window.create_key()
    dialog = window.dialog
    assert isinstance(dialog, KeyDialog) and dialog.name.text() == "Jane Smith"
    assert dialog.path.text() == str(tmp_path.resolve() / "jane-smith.key")
    dialog.path.setFocus()
    dialog.path.selectAll()
    type_text(dialog, "keys-of-jane.key")  # a bare name: the contest's folder, not the folder the app started in
    for field in (dialog.passphrase, dialog.again):
        field.setFocus()
        type_text(dialog, "correct horse")
    press(dialog, Qt.Key.Key_Return)
    assert window.ops.busy("key") and dialog.progress.isVisible()  # made in the background
    qtbot.waitUntil(lambda: dialog.done_path is not None or bool(dialog.message.text()), timeout=20000)
    made = tmp_path.resolve() / "keys-of-jane.key"
    assert dialog.done_path == made and made.is_file(), dialog.message.text()
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", dialog.fingerprint_text)
    assert str(made) in dialog.outcome.text() and dialog.fingerprint_text in dialog.outcome.text()
    press(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.dialog is None)
    window.declare()
    assert window.dialog.key.text() == str(made)  # the new key is offered
    window.dialog.reject()
    # the same file again is refused, inline, and nothing is overwritten
    before = made.read_bytes()
    window.create_key()
    dialog = window.dialog
    dialog.path.setText(str(made))
    dialog.passphrase.setText("correct horse")
    dialog.again.setText("correct horse")
    dialog._accept()
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=20000)
    assert "already exists" in dialog.message.text() and str(tmp_path) not in dialog.message.text()
    assert made.read_bytes() == before
    window.close()


def test_words_on_screen(qtbot, tmp_path, settings, contest_file):
    window = window_for(qtbot, settings)
    assert window.windowTitle() == "OpenSel Desktop 0.1.0"
    assert QApplication.applicationDisplayName() == QApplication.applicationName()  # nothing added to titles
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Ann Teller")
    assert window.windowTitle() == "OpenSel Desktop 0.1.0 \u2014 Election of two delegates"
    key_paper(window, (0, 1))
    assert window.entry.batch_lines() == ["Batch 1: awaiting second entry · 1 paper · Ann Teller"]
    assert window.entry.count_label.text() == "1 paper keyed in this batch (0 rejected)"
    window.second_entry("Bob Teller")
    key_paper(window, (1, 0))
    assert window.entry.batch_lines() == ["Batch 1: 1 mismatched paper · 1 paper · Ann Teller / Bob Teller"]
    assert window.entry.diff_label.text().startswith("1 paper differs between the two entries.")
    window.count_now()
    texts = [w.text() for w in window.findChildren(type(window.status_text).__mro__[1]) if hasattr(w, "text")]
    assert not any(re.search(r"\d+ ms\b", t) for t in texts)  # no timings
    assert not any(re.search(r"\[r\.\d+", t) for t in texts)
    # Help > Keyboard shortcuts lists every shortcut, the form's keys included
    shortcut(window, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    keys = window.dialog.keys()
    for action in window.shortcut_actions():
        assert action.shortcut().toString() in keys
    for key in ("1 / 2", "Esc", "Ctrl+Enter", "Ctrl+R", "F2", "F3", "R", "Enter", "0-9", "Backspace"):
        assert key in keys, key
    window.dialog.reject()
    window.close_meeting()
    window.open_file(str(tmp_path / "m.osel"), readonly=True)
    assert window.windowTitle() == "OpenSel Desktop 0.1.0 \u2014 Election of two delegates (auditor, read-only)"
    window.close()
