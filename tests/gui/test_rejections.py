"""Rejections in the entry view, driven by keys: the second teller's blind rejection is saved (journaled)
and compared like any keyed paper; Ctrl+Z on a rejection withdraws it and the paper is keyed again."""

from __future__ import annotations

from gui_keys import key_paper, press, shortcut, type_text
from PySide6.QtCore import Qt

from opensel_desktop.gui.main_window import MainWindow

NCAND = 5
UNMARKED, VOID = 4, 5  # heading numbers in the picker (statutory headings first)


def start(qtbot, tmp_path, settings, contest_file) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Ann Teller")
    assert window.meeting is not None and window.entry is not None
    return window




def key_rejection(window: MainWindow, heading_number: int) -> None:
    form = window.entry.form
    form.focus_box(0)
    type_text(form, "r")
    assert form.reject_open()
    type_text(form, str(heading_number))
    press(form, Qt.Key.Key_Return)


def test_second_tellers_rejection_is_saved_and_compared(qtbot, tmp_path, settings, contest_file):
    window = start(qtbot, tmp_path, settings, contest_file)
    key_paper(window, (0, 1))
    key_rejection(window, UNMARKED)  # paper 2
    key_paper(window, (2,))  # paper 3
    window.second_entry("Bob Teller")
    key_paper(window, (0, 1))
    key_rejection(window, UNMARKED)  # paper 2: agrees with the first entry
    assert window.status_text.text() == "Paper 2 of batch 1 saved as rejected (unmarked)."
    assert window.entry.count_label.text().endswith("keyed in this batch: 1 valid, 1 rejected")  # as the batch list
    key_rejection(window, VOID)  # paper 3: Ann keyed it as valid
    rows = window.entry.papers.rows()
    assert [(r.number, r.rejected, r.state) for r in rows] == [
        (1, None, "saved"), (2, "unmarked", "saved"), (3, "void for uncertainty", "saved")]
    session = window.meeting.session
    second = [(e.actor, e.data["paper"], e.data["side"]) for e in session.events() if e.kind == "paper_rejected"]
    assert second == [("Ann Teller", 2, "first"), ("Bob Teller", 2, "second"), ("Bob Teller", 3, "second")]
    assert [r.number for r in window.entry.diff.mismatches()] == [3]
    assert "1 paper differs" in window.entry.diff_label.text()
    # the paper is looked at: Bob was right, it is void; 2 in the comparison records that
    assert window.entry.focus_first_mismatch()
    type_text(window.entry.diff_table, "2")
    assert window.entry.diff.mismatches() == []
    assert session.batches()[0].state == "agreed"
    assert session.rejected() == {"unmarked": 1, "void for uncertainty": 1}
    assert session.ballots().total == 1
    # reopening the file shows Bob's rejections as saved (they are in the journal, not in memory)
    window.close_meeting()
    window.open_file(str(tmp_path / "m.osel"), teller="Bob Teller")
    rows = window.meeting.papers(batch="1", side="second")
    assert [(r.number, r.rejected) for r in rows] == [(1, None), (2, "unmarked"), (3, "void for uncertainty")]
    window.close()


def test_ctrl_z_on_a_rejection_withdraws_it(qtbot, tmp_path, settings, contest_file):
    window = start(qtbot, tmp_path, settings, contest_file)
    key_paper(window, (1, 0))
    key_rejection(window, UNMARKED)  # paper 2, by mistake
    assert window.entry.form.number == 3
    shortcut(window, Qt.Key.Key_Z)
    assert window.status_text.text() == "Rejection of paper 2 withdrawn: key the paper again."
    assert window.entry.form.number == 2 and window.correcting is None
    assert [r.number for r in window.entry.papers.rows()] == [1]
    key_paper(window, (3, 4))  # paper 2 as it really is
    assert window.status_text.text() == "Paper 2 saved."
    session = window.meeting.session
    kinds = [e.kind for e in session.events() if e.batch == "1"]
    assert kinds == ["paper_entered", "paper_rejected", "rejection_withdrawn", "paper_entered"]
    withdrawn = next(e for e in session.events() if e.kind == "rejection_withdrawn")
    assert withdrawn.data["reason"].startswith("withdrawn by the teller") and withdrawn.actor == "Ann Teller"
    assert [(r.number, r.ranking, r.rejected) for r in window.entry.papers.rows()] == [
        (1, (1, 0), None), (2, (3, 4), None)]
    window.close()
