"""A whole count night from the keyboard alone, two contests in a row in one window: an AV ballot keyed twice
with three mismatches resolved by keys, the account, a tie drawn by lot, the officer's key and the
declaration; then an FPTP ballot by bundles keyed twice, a differing bundle recounted, and its declaration.

Only keys are pressed (QTest key events into whatever has the focus). The file dialogs of Ctrl+N are answered
by the test, as a person would pick the file. The oracle for each result is a count of the same papers in a
fresh saved contest made through the app, and the signed sheets are verified against the saved contests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_keys import shortcut
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from opensel_desktop.app import declaring
from opensel_desktop.app import entry as entry_uc
from opensel_desktop.app.core import Session
from opensel_desktop.app.sheets import verify_sheet
from opensel_desktop.contest.yaml_io import load_contest
from opensel_desktop.gui.dialogs.lot_dialog import LotDialog
from opensel_desktop.gui.main_window import MainWindow
from opensel_desktop.gui.models.diff import RICH_ROLE

AV = """\
format: opensel-contest/1
title: Selection of the parliamentary candidate
returning_officer: Jane Smith
tellers: [Ann Teller, Bob Teller]
method: {rule: av, seats: 1}
candidates: [Ann Hughes, Bob Jones, Cai Lewis]
channels:
  - {name: in-room, issued: 12, spoilt: 1, unused: 1}
"""
FPTP = """\
format: opensel-contest/1
title: Branch secretary
returning_officer: Jane Smith
tellers: [Ann Teller, Bob Teller]
method: {rule: fptp, seats: 1}
candidates: [Dee Price, Eve Shaw, Fay Wood]
channels:
  - {name: in-room, issued: 50, spoilt: 2, unused: 3}
"""
# Ann and Bob are level at every stage: the AV count cannot separate them and a lot is drawn
PAPERS = [(0, 1)] * 4 + [(1, 0)] * 4 + [(2, 0), (2, 1)]
WRONG = {3: (1, 0), 6: (0, 1), 9: (2, 1)}  # the second teller's slips
BUNDLES = [(20, 9, 6, 5), (25, 10, 8, 7)]
PASS = "correct horse battery"


def keys(text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, QApplication.focusWidget(), Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def key(k, mods=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), k, mods)


def tab_to(widget: QWidget, limit: int = 15) -> None:
    for _ in range(limit):
        if widget.hasFocus():
            return
        key(Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.accessibleName() or widget}")


def active(widget: QWidget) -> None:
    """What a window manager does when a dialog opens (offscreen there is none)."""
    for _ in range(20):
        widget.activateWindow()
        QTest.qWaitForWindowActive(widget)
        QTest.qWait(10)
        if QApplication.activeWindow() is widget:
            return
    raise AssertionError(f"{widget} never became the active window")


def answer_name(qtbot, window: MainWindow, name: str) -> None:
    dialog = window.dialog
    active(dialog)
    assert dialog.name.lineEdit().hasFocus() or dialog.name.hasFocus(), (QApplication.focusWidget(), QApplication.activeWindow())
    dialog.name.lineEdit().selectAll()
    keys(name)
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    active(window)  # the dialog closed: the window manager gives the window back its focus


def key_paper(ranking: tuple[int, ...], ncand: int) -> None:
    """Digits in ballot order, Down over a blank box, Enter: the cursor starts in the first box."""
    prefs = {c: i for i, c in enumerate(ranking, start=1)}
    for c in range(ncand):
        if c in prefs:
            keys(str(prefs[c]))
        elif c < max(prefs):
            key(Qt.Key.Key_Down)
    key(Qt.Key.Key_Return)


def key_bundle(figures: tuple[int, ...]) -> None:
    """In the new bundle's column from its first cell: each figure, then Down; Ctrl+Enter saves."""
    for value in figures:
        keys(str(value))
        key(Qt.Key.Key_Down)
        QApplication.processEvents()
    key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def new_contest(qtbot, window: MainWindow, monkeypatch, yaml: Path, osel: Path) -> None:
    monkeypatch.setattr("opensel_desktop.gui.main_window.QFileDialog.getOpenFileName", lambda *a, **k: (str(yaml), ""))
    monkeypatch.setattr("opensel_desktop.gui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(osel), ""))
    shortcut(window, Qt.Key.Key_N)
    answer_name(qtbot, window, "Jane Smith")
    assert window.meeting is not None and osel.is_file(), window.status_text.text()


def switch(qtbot, window: MainWindow, key_, name: str) -> None:
    shortcut(window, key_)
    answer_name(qtbot, window, name)


def declare(qtbot, window: MainWindow, key_file: Path) -> Path:
    shortcut(window, Qt.Key.Key_D)
    dialog = window.dialog
    active(dialog)
    assert dialog.key.text() == str(key_file)  # the key made tonight is offered
    for box in dialog.checks:
        if not box.isChecked():
            tab_to(box)
            key(Qt.Key.Key_Space)
    assert dialog.next_button.isEnabled()
    key(Qt.Key.Key_Return)
    assert dialog.passphrase.hasFocus()
    keys(PASS)
    key(Qt.Key.Key_Return)  # declared, then the sheets are built and signed in the background
    qtbot.waitUntil(lambda: dialog.step() == 2 or bool(dialog.message.text()), timeout=30000)
    assert dialog.step() == 2, dialog.message.text()
    pdf = dialog.pdf
    key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.dialog is None)
    active(window)
    return pdf


def oracle(contest: Path, tmp: Path, fill) -> dict:
    with Session.create(load_contest(contest), tmp / f"oracle-{contest.stem}.osel", "Oracle") as s:
        fill(s)
        return {"elected": declaring.count_meeting(s, journal=False, seed="x").elected}


@pytest.mark.slow
def test_a_whole_night_from_the_keyboard(qtbot, tmp_path, settings, monkeypatch):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.activateWindow()
    av, fptp = tmp_path / "candidate.yaml", tmp_path / "secretary.yaml"
    av.write_text(AV, encoding="utf-8")
    fptp.write_text(FPTP, encoding="utf-8")

    # ---- contest 1: AV, double entry, three mismatches, account, a lot, the key, the declaration ----
    first = tmp_path / "candidate.osel"
    new_contest(qtbot, window, monkeypatch, av, first)
    switch(qtbot, window, Qt.Key.Key_T, "Ann Teller")
    for ranking in PAPERS:
        key_paper(ranking, 3)
    assert window.status_text.text() == "Paper 10 saved."
    switch(qtbot, window, Qt.Key.Key_E, "Bob Teller")
    assert window.meeting.side == "second" and window.entry.form.number == 1
    for n, ranking in enumerate(PAPERS, start=1):
        key_paper(WRONG.get(n, ranking), 3)
    entry = window.entry
    assert [r.number for r in entry.diff.mismatches()] == sorted(WRONG)
    # each entry by candidates' names, the differing preferences highlighted (paper 3: Ann 1 Bob 2, keyed 1 Bob 2 Ann)
    ann, bob = (entry.diff.index(0, c) for c in (1, 2))
    assert (ann.data(), bob.data()) == ("1 Ann Hughes · 2 Bob Jones", "1 Bob Jones · 2 Ann Hughes")
    assert "<b>1 Ann Hughes</b>" in ann.data(RICH_ROLE) and "<b>1 Bob Jones</b>" in bob.data(RICH_ROLE)
    shortcut(window, Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier)  # to the first mismatch
    for _ in WRONG:  # each paper looked at: the first entry was right every time
        assert entry.diff_table.hasFocus()
        key(Qt.Key.Key_1)
    assert entry.diff.mismatches() == [] and entry.form.boxes[0].hasFocus()
    assert window.meeting.session.batches()[0].state == "agreed"

    shortcut(window, Qt.Key.Key_2)  # the account: the cursor waits in "Returned"
    keys("10")
    key(Qt.Key.Key_Return)
    assert window.light.state == "green", window.account.status.text()

    shortcut(window, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)  # count: the tie needs a lot
    lot = window.dialog
    assert isinstance(lot, LotDialog) and set(lot.among) == {"Ann Hughes", "Bob Jones"}
    active(lot)
    tab_to(lot.chosen)
    key(Qt.Key.Key_Down)  # the name drawn from the hat
    drawn = lot.chosen.currentText()
    assert drawn in lot.among
    tab_to(lot.witnesses)
    keys("Eve Shaw, Fay Wood")
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    active(window)
    assert window.result is not None and window.result.elected == (drawn,)
    assert "PROVISIONAL" in window.results.banner.text()

    shortcut(window, Qt.Key.Key_K)  # the returning officer's key, made in the background
    dialog = window.dialog
    active(dialog)
    assert dialog.passphrase.hasFocus() and dialog.name.text() == "Jane Smith"
    keys(PASS)
    key(Qt.Key.Key_Tab)
    keys(PASS)
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.done_path is not None or bool(dialog.message.text()), timeout=20000)
    key_file = dialog.done_path
    assert key_file == tmp_path.resolve() / "jane-smith.key" and key_file.is_file(), dialog.message.text()
    key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.dialog is None)
    active(window)

    pdf1 = declare(qtbot, window, key_file)
    assert window.meeting.state() == "declared" and window.results.banner.text() == "DECLARED RESULT"
    assert window.entry.form.locked
    verdict = verify_sheet(pdf1, first)
    assert verdict.ok, verdict.problems
    lots = window.meeting.session.lots()
    assert [d.chosen for d in lots.values()] == [drawn]

    def fill_av(s: Session) -> None:
        for marks in PAPERS:
            entry_uc.enter_paper(s, list(marks), "Ann", batch="1")
            entry_uc.enter_paper(s, list(marks), "Bob", batch="1", second=True)
        declaring.record_lot(s, "Eve Shaw", chosen=drawn)

    assert oracle(av, tmp_path, fill_av)["elected"] == window.result.elected

    # ---- contest 2 in the same window: FPTP by bundles, keyed twice, one bundle recounted ----------
    shortcut(window, Qt.Key.Key_W)
    assert window.meeting is None and window.result is None and window.results.chart.bars == []
    second = tmp_path / "secretary.osel"
    new_contest(qtbot, window, monkeypatch, fptp, second)
    assert window.grid is not None and window.entry is None and window.results.result is None
    switch(qtbot, window, Qt.Key.Key_T, "Ann Teller")
    shortcut(window, Qt.Key.Key_1)  # the bundle grid, the cursor in the new bundle's first cell
    for figures in BUNDLES:
        key_bundle(figures)
    assert [c.state for c in window.grid.columns] == ["saved", "saved", "new"], window.grid.message.text()
    switch(qtbot, window, Qt.Key.Key_E, "Bob Teller")
    shortcut(window, Qt.Key.Key_1)
    key_bundle(BUNDLES[0])
    key_bundle((25, 10, 7, 8))  # Bob swaps two figures of bundle 2
    assert [c.state for c in window.grid.columns] == ["agreed", "differs", "new"]
    shortcut(window, Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier)  # the first differing cell
    grid = window.grid
    assert (grid.table.currentRow(), grid.table.currentColumn()) == (2, 1)
    marked = [(r, c) for r in range(grid.table.rowCount() - 1) for c in range(2)
              if grid.table.item(r, c).toolTip().startswith("The two entries differ here")]
    assert marked == [(2, 1), (3, 1)]  # the two swapped figures of bundle 2, and nothing else
    switch(qtbot, window, Qt.Key.Key_T, "Jane Smith")  # the officer recounts bundle 2 and keys its true totals
    shortcut(window, Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier)
    for _ in range(2):
        key(Qt.Key.Key_Up)
    for value in BUNDLES[1]:
        keys(str(value))
        key(Qt.Key.Key_Down)
    key(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.status_text.text() == "Bundle 2: the recounted totals are recorded (25 papers)."
    assert [b.state for b in window.meeting.session.batches()] == ["agreed", "agreed"]
    shortcut(window, Qt.Key.Key_2)
    keys("45")
    key(Qt.Key.Key_Return)
    assert window.light.state == "green", window.account.status.text()
    shortcut(window, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
    assert window.result is not None and window.result.elected == ("Dee Price",)
    reasons = [window.results.reasons.item(i).text() for i in range(window.results.reasons.count())]
    assert "45 papers" in reasons[0] or "45 valid" in reasons[0], reasons
    pdf2 = declare(qtbot, window, key_file)
    verdict = verify_sheet(pdf2, second)
    assert verdict.ok, verdict.problems
    assert window.grid.locked

    def fill_fptp(s: Session) -> None:
        for n, (papers, *votes) in enumerate(BUNDLES, start=1):
            entry_uc.enter_bundle(s, f"b{n}", dict(enumerate(votes)), "Ann", papers=papers)
            entry_uc.enter_bundle(s, f"b{n}", dict(enumerate(votes)), "Bob", second=True, papers=papers)

    assert oracle(fptp, tmp_path, fill_fptp)["elected"] == window.result.elected
    window.close()
