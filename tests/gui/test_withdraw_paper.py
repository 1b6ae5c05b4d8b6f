"""The returning officer withdraws a paper keyed by mistake from the window, by keys: Ctrl+Shift+Del, the
paper under the cursor offered, both tellers' entries of it shown by name, her reason typed, Enter. The
withdrawal is journaled with her name and reason, the paper stops counting in both entries, the batch list
says so; a second withdrawal of the same paper is refused inside the dialog and journals nothing."""

from __future__ import annotations

from gui_keys import key_paper, press, shortcut, type_text
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from opensel_desktop.app.core import Session
from opensel_desktop.gui.dialogs.withdraw_paper_dialog import WithdrawPaperDialog
from opensel_desktop.gui.main_window import MainWindow

PAPERS = [(0, 1), (1, 0, 2), (2,), (3, 4)]
REASON = "paper 3 belongs to the postal box: keyed here by mistake"


def active(widget) -> None:
    """What a window manager does when a dialog opens (offscreen there is none)."""
    for _ in range(20):
        widget.activateWindow()
        QTest.qWaitForWindowActive(widget)
        QTest.qWait(10)
        if QApplication.activeWindow() is widget:
            return
    raise AssertionError(f"{widget} never became the active window")


def withdrawals(window: MainWindow) -> list[dict]:
    return [e.data for e in window.meeting.session.events() if e.kind == "paper_withdrawn"]


def test_the_officer_withdraws_a_paper_keyed_by_mistake(qtbot, tmp_path, settings, contest_file):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    path = tmp_path / "m.osel"
    window.new_from_contest(str(contest_file), str(path), "Ann Teller")
    window._switch("Ann Teller", "teller")
    for ranking in PAPERS:
        key_paper(window, ranking)
    window.second_entry("Bob Teller")
    for ranking in PAPERS:
        key_paper(window, ranking)
    session = window.meeting.session
    assert [b.state for b in session.batches()] == ["agreed"] and session.ballots().total == 4

    # a teller at the keyboard: the dialog names the contest's returning officer, not the teller
    entry = window.entry
    entry.list.setFocus()
    entry.list.setCurrentIndex(entry.papers.index(2, 0))  # paper 3 under the cursor
    shortcut(window, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.dialog
    assert isinstance(dialog, WithdrawPaperDialog)
    active(dialog)
    assert dialog.values()[:2] == ("1", 3) and dialog.officer.currentText() == "Jane Smith"
    text = dialog.entries.text()
    assert "First entry (Ann Teller): 1 Dafydd ap Gwŵr" in text and "Second entry (Bob Teller): 1 Dafydd ap Gwŵr" in text
    assert dialog.reason.hasFocus() and not dialog.ok.isEnabled()  # no reason yet
    type_text(dialog, "   ")
    press(dialog, Qt.Key.Key_Return)
    assert window.dialog is dialog and withdrawals(window) == []  # blanks are not a reason
    dialog.reason.selectAll()
    type_text(dialog, REASON)
    press(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)

    assert withdrawals(window) == [{"paper": 3, "officer": "Jane Smith", "reason": REASON}]
    assert window.status_text.text() == "Paper 3 of batch 1 withdrawn by Jane Smith."
    assert session.ballots().total == 3  # neither entry of paper 3 counts
    states = {r.number: entry.papers.index(i, 2).data() for i, r in enumerate(entry.papers.rows())}
    assert states[3] == "withdrawn by the returning officer" and states[2] == "saved"
    assert entry.count_label.text() == "4 papers keyed in this batch: 3 valid, 0 rejected, 1 withdrawn"
    assert entry.batch_lines() == ["Batch 1: agreed · 3 papers · Ann Teller / Bob Teller"]
    assert window.meeting.snapshot().election.ballots.total == 3  # what the live count and F5 count

    # the same paper again: refused in the dialog, in one sentence, and nothing more is journaled
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    window.withdraw_paper()
    dialog = window.dialog
    dialog.paper.setValue(3)
    assert "already withdrawn" in dialog.entries.text()
    dialog.reason.setFocus()
    type_text(dialog, "again")
    press(dialog, Qt.Key.Key_Return)
    assert window.dialog is dialog and "already withdrawn" in dialog.message.text()
    assert str(tmp_path) not in dialog.message.text() and len(withdrawals(window)) == 1
    dialog.paper.setValue(9)
    assert dialog.entries.text() == "Batch 1 has no paper 9."
    dialog.reject()
    window.close()

    with Session.open(path, "auditor", readonly=True) as s:  # the replay of the saved file agrees
        assert s.replay.batches["1"].withdrawn == {3} and s.ballots().total == 3


def test_nothing_to_withdraw_before_a_paper_is_keyed(qtbot, tmp_path, settings, contest_file):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Jane Smith")
    window.withdraw_paper()
    assert window.dialog is None and window.status_text.text() == (
        "No paper has been keyed yet: there is nothing to withdraw.")
    window.close()
