"""Driven by keys in the real main window: a single-entry batch of ranked papers (the officer's journaled
decision, shown in the batch list), and the second entry of bundle totals with the officer's resolution
of a difference."""

from __future__ import annotations

from gui_keys import key_paper, press, shortcut, type_text
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from opensel_desktop.gui.main_window import MainWindow

FPTP = """\
format: opensel-contest/1
title: Branch secretary
returning_officer: Jane Smith
tellers: [Ann Teller, Bob Teller]
method: {rule: fptp, seats: 1}
candidates: [Ann Hughes, Bob Jones, Cai Lewis]
"""


def answer_name(qtbot, window: MainWindow, name: str) -> None:
    dialog = window.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.name.setFocus()
    dialog.name.lineEdit().selectAll()
    type_text(dialog, name)
    press(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)




def key_column(window: MainWindow, col: int, figures: tuple[int, ...]) -> None:
    """Papers in the bundle, then each candidate's votes, typed cell by cell as a teller would."""
    table = window.grid.table
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    for row, value in enumerate(figures):
        table.setFocus()
        table.setCurrentCell(row, col)
        for ch in str(value):  # the first digit opens the cell's editor, which then has the focus
            QTest.keyClick(QApplication.focusWidget(), Qt.Key(ord(ch)))
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        QApplication.processEvents()  # the editor hands its text to the cell once the loop runs
        assert window.grid.value(row, col) == value
    table.setFocus()
    table.setCurrentCell(1, col)


def test_single_entry_batch_is_the_officers_journaled_choice(qtbot, tmp_path, settings, contest_file):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Jane Smith")
    key_paper(window, (0, 1))  # batch 1: double entry, the default
    shortcut(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.dialog
    assert dialog is not None and dialog.officer.currentText() == "Jane Smith"
    press(dialog, Qt.Key.Key_Return)  # no reason yet: refused in the dialog
    assert window.dialog is dialog and "reason" in dialog.message.text()
    dialog.reason.setFocus()
    type_text(dialog, "postal papers checked by two tellers at the opening")
    press(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    assert window.status_text.text() == "Batch 2 is keyed once (single entry), decided by Jane Smith."
    assert "batch 2" in window.entry.banner.text() and "single entry" in window.entry.banner.text()
    assert window.entry.form.number == 1
    key_paper(window, (2,))
    key_paper(window, (1, 2, 0))
    lines = window.entry.batch_lines()
    assert lines == ["Batch 1: awaiting second entry · 1 paper · Jane Smith",
                     "Batch 2: single entry, decided by Jane Smith · 2 papers · Jane Smith"]
    session = window.meeting.session
    decision = next(e for e in session.events() if e.kind == "batch_single_entry")
    assert (decision.actor, decision.batch, decision.data["reason"]) == (
        "Jane Smith", "2", "postal papers checked by two tellers at the opening")
    assert sorted(session.ballots().rankings()) == [((1, 2, 0), 1), ((2,), 1)]  # batch 1 waits for its 2nd entry
    shortcut(window, Qt.Key.Key_E)  # refused at once, before asking who
    assert window.status_text.text() == "Batch 2 is a single-entry batch: it takes no second entry."
    window.close()


def test_second_entry_of_bundles_and_resolving_a_difference(qtbot, tmp_path, settings):
    path = tmp_path / "fptp.yaml"
    path.write_text(FPTP, encoding="utf-8")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.new_from_contest(str(path), str(tmp_path / "fptp.osel"), "Ann Teller")
    grid = window.grid
    for col, figures in ((0, (25, 11, 9, 5)), (1, (10, 2, 3, 5))):
        assert grid.new_column() == col  # one column per bundle so far, and one for the next
        key_column(window, col, figures)
        press(grid.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    session = window.meeting.session
    assert [b.state for b in session.batches()] == ["awaiting second entry"] * 2, grid.message.text()
    assert grid.table.columnCount() == 4 and [c.state for c in grid.columns] == ["saved", "saved", "new"]

    shortcut(window, Qt.Key.Key_E)
    answer_name(qtbot, window, "Bob Teller")
    assert grid.value(0, 0) is None and "Second entry" in grid.side.text()  # blind: the figures are gone
    assert grid.table.columnCount() == 2
    for col, figures in ((0, (25, 11, 8, 6)), (1, (10, 2, 3, 5))):  # one vote keyed in the wrong row
        key_column(window, col, figures)
        press(grid.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [b.state for b in session.batches()] == ["mismatched", "agreed"]
    assert [c.state for c in grid.columns] == ["differs", "agreed", "new"]
    assert grid.comparison.isVisible()
    assert [grid.comparison.item(i).text() for i in range(grid.comparison.count())] == [
        "Bundle 1: the two entries differ (Bob Jones: 8 and 9; Cai Lewis: 6 and 5). Recount it, key its true "
        "totals in its column, Ctrl+R."]
    # the differing cells, and only those, are marked
    marked = [r for r in range(5) if grid.table.item(r, 0).toolTip()]
    assert marked == [2, 3] and "8 and 9" in grid.table.item(2, 0).toolTip()
    # F2 goes straight to the first differing cell
    shortcut(window, Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier)
    assert (grid.table.currentRow(), grid.table.currentColumn()) == (2, 0)
    # saving bundle 1 again is refused, with advice worded for the window
    press(grid.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Ctrl+R" in grid.message.text() and "opensel" not in grid.message.text()
    # the bundle is recounted: its true totals are keyed in its column and recorded with Ctrl+R
    window.switch_teller()
    answer_name(qtbot, window, "Jane Smith")
    key_column(window, 0, (25, 11, 9, 5))
    press(grid.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.status_text.text() == "Bundle 1: the recounted totals are recorded (25 papers)."
    assert [b.state for b in session.batches()] == ["agreed", "agreed"] and not grid.comparison.isVisible()
    resolved = next(e for e in session.events() if e.kind == "mismatch_resolved")
    assert resolved.actor == "Jane Smith" and resolved.data["counts"] == [11, 9, 5]
    assert dict(session.ballots().rankings()) == {(0,): 13, (1,): 12, (2,): 10}
    window.close()
