"""Contest after contest in one window: every listed shortcut keeps firing (no action is made twice) and
nothing of one contest is left in the views of the next (results, chart, quota line, projector, account,
batch list, light)."""

from __future__ import annotations

from collections import Counter

import pytest
from gui_keys import key_paper, shortcut
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
channels:
  - {name: postal, issued: 30, spoilt: 0, unused: 5}
"""




@pytest.fixture
def quiet_file_dialogs(monkeypatch):
    """Ctrl+N, Ctrl+O, Ctrl+I open file dialogs: answered "cancel" here, and each opening is counted."""
    asked = []
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(f"PySide6.QtWidgets.QFileDialog.{name}", lambda *a, _n=name, **k: asked.append(_n) or ("", ""))
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileNames", lambda *a, **k: asked.append("many") or ([], ""))
    return asked


def settle(window: MainWindow) -> None:
    """Whatever a shortcut opened (a dialog, the projector) is closed again, and the window is active."""
    for _ in range(3):
        QApplication.processEvents()
        if window.dialog is not None:
            window.dialog.reject()
        if window.projector is not None and window.projector.isVisible():
            window.projector.close()
    window.ops.wait()
    QApplication.processEvents()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)


def fire_every_shortcut(window: MainWindow) -> list[str]:
    """Press each listed shortcut as a teller would; return those that did not fire."""
    fired: list[str] = []
    missing = []
    keep = [a for a in window.shortcut_actions() if a.shortcut().toString() not in ("Ctrl+Q", "Ctrl+W")]
    for action in keep:
        if not action.isEnabled():
            missing.append(f"{action.shortcut().toString()} (disabled)")
            continue
        key = action.shortcut().toString()
        action.triggered.connect(lambda _c=False, k=key: fired.append(k))
        settle(window)
        combo = action.shortcut()[0]
        target = QApplication.focusWidget() or window
        QTest.keyClick(target, combo.key(), combo.keyboardModifiers())
        if key not in fired:
            missing.append(key)
    settle(window)
    return missing


def test_three_contests_in_a_row_keep_every_shortcut(qtbot, qtlog, tmp_path, settings, contest_file,
                                                     quiet_file_dialogs):
    fptp = tmp_path / "secretary.yaml"
    fptp.write_text(FPTP, encoding="utf-8")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    seen_keys = set()
    for n, (contest, officer) in enumerate(((contest_file, "Jane Smith"), (fptp, "Jane Smith"),
                                            (contest_file, "Ann Teller"))):
        window.new_from_contest(str(contest), str(tmp_path / f"c{n}.osel"), officer)
        assert window.meeting is not None, window.status_text.text()
        if window.entry is not None:
            key_paper(window, (0, 1))  # something to undo: Ctrl+Z is enabled
        keys = Counter(a.shortcut().toString() for a in window.shortcut_actions())
        assert [k for k, c in keys.items() if c > 1] == [], "a shortcut defined twice"
        seen_keys |= set(keys)
        assert fire_every_shortcut(window) == [], f"contest {n + 1}"
        shortcut(window, Qt.Key.Key_W)  # Ctrl+W closes the contest
        assert window.meeting is None and window.pages.currentWidget() is window.start
        # the window's own shortcuts fire with no contest open too
        assert fire_every_shortcut(window) == [], f"after closing contest {n + 1}"
    assert {"Ctrl+N", "Ctrl+O", "Ctrl+Shift+O", "Ctrl+W", "F1", "Ctrl+1", "Ctrl+2", "Ctrl+3", "F11", "F2", "F5",
            "Ctrl+D", "Ctrl+E", "Ctrl+T", "Ctrl+Z", "Ctrl+J", "Ctrl+B"} <= seen_keys
    assert "many" in quiet_file_dialogs and "getOpenFileName" in quiet_file_dialogs  # Ctrl+I, Ctrl+N/O asked
    assert not [r for r in qtlog.records if "mbiguous" in r.message]
    window.close()


def test_closing_a_contest_leaves_nothing_in_the_views(qtbot, tmp_path, settings, contest_file):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.new_from_contest(str(contest_file), str(tmp_path / "delegates.osel"), "Jane Smith")
    papers = [(0, 1), (1, 0), (0, 2), (2, 0, 1), (3,), (0, 1, 4), (1, 3), (4, 0)]
    for ranking in papers:
        key_paper(window, ranking)
    window.second_entry("Bob Teller")
    for ranking in papers:
        key_paper(window, ranking)
    window.record_account("in-room", 110, 4, 6, 100, "")
    window.toggle_projector()
    window.count_now("the postal box is not counted in this test")  # the account does not reconcile
    while window.dialog is not None:  # lots, if the few papers need them
        window.dialog.witnesses.setText("Siân Evans")
        window.dialog.chosen.setCurrentIndex(0)
        window.dialog.accept()
    qtbot.waitUntil(lambda: not window.ops.busy(), timeout=10000)
    assert window.result is not None and window.results.chart.bars and window.results.chart.line
    assert window.projector.results.chart.bars and window.results.model.rowCount() > 0
    assert window.account.table.rowCount() == 2 and window.light.state in ("green", "red")

    fptp = tmp_path / "secretary.yaml"
    fptp.write_text(FPTP, encoding="utf-8")
    window.new_from_contest(str(fptp), str(tmp_path / "secretary.osel"), "Jane Smith")  # closes the first
    qtbot.wait(20)  # the live count's turn of the event loop
    results = window.results
    assert window.result is None and results.result is None and results.model.rowCount() == 0
    assert results.chart.bars == [] and results.chart.line is None and results.chart.watermark == ""
    assert results.reasons.count() == 0 and not results.progress.isVisible()
    assert results.banner.text() == "No agreed papers yet" and not results.declared
    assert window.projector.results.chart.bars == [] and window.projector.results.result is None
    assert [window.account.table.item(r, 0).text() for r in range(window.account.table.rowCount())] == [
        "postal", "all channels"]
    assert window.account.channel.currentText() == "postal"
    assert window.light.state == "amber" and "nothing to reconcile" in window.light.label.text()
    assert window.entry is None and window.grid is not None
    assert window.grid.names == ("Ann Hughes", "Bob Jones", "Cai Lewis")
    assert window.windowTitle() == "OpenSel Desktop 0.1.0 \u2014 Branch secretary"
    window.projector.close()
    window.close_meeting()
    assert window.windowTitle() == "OpenSel Desktop 0.1.0" and window.light.state == "amber"
    assert window.account.table.rowCount() == 0 and window.account.status.text() == ""
    window.close()
