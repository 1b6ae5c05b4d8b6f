"""A contest with several channels (in-room and postal): each batch keyed in the window is tagged with its
channel, asked by keys when a new batch starts (Ctrl+B, Down, Enter) and shown in the banner, so the
account counts the papers per channel and each channel reconciles on its own."""

from __future__ import annotations

from gui_keys import key_paper, press, shortcut
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from opensel_desktop.gui.dialogs.channel_dialog import ChannelDialog
from opensel_desktop.gui.main_window import MainWindow

TWO_CHANNELS = """\
format: opensel-contest/1
title: Branch chair
returning_officer: Jane Smith
tellers: [Ann Teller, Bob Teller]
method: {rule: av, seats: 1}
candidates: [Ann Hughes, Bob Jones, Cai Lewis]
channels:
  - {name: in-room, issued: 10, spoilt: 0, unused: 6}
  - {name: postal, issued: 8, spoilt: 0, unused: 5}
"""
IN_ROOM = [(0, 1), (1, 0), (0, 2), (2, 1)]
POSTAL = [(1,), (0, 1), (1, 2, 0)]


def active(widget) -> None:
    for _ in range(20):
        widget.activateWindow()
        QTest.qWaitForWindowActive(widget)
        QTest.qWait(10)
        if QApplication.activeWindow() is widget:
            return
    raise AssertionError(f"{widget} never became the active window")


def key_batch(window: MainWindow, papers) -> None:
    window._switch("Ann Teller", "teller")
    for ranking in papers:
        key_paper(window, ranking)
    window.second_entry("Bob Teller")
    for ranking in papers:
        key_paper(window, ranking)


def counted(window: MainWindow) -> dict[str, str]:
    t = window.account.table
    return {t.item(r, 0).text(): t.item(r, 5).text() for r in range(t.rowCount())}


def test_each_batch_counts_in_its_channel(qtbot, tmp_path, settings):
    path = tmp_path / "chair.yaml"
    path.write_text(TWO_CHANNELS, encoding="utf-8")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.new_from_contest(str(path), str(tmp_path / "chair.osel"), "Jane Smith")
    assert window.entry.banner.text().endswith("batch 1 · first entry · in-room")  # the first channel to start
    key_batch(window, IN_ROOM)
    assert counted(window) == {"in-room": "4", "postal": "0", "all channels": "4"}

    shortcut(window, Qt.Key.Key_B)  # a new batch: which channel are its papers from?
    dialog = window.dialog
    assert isinstance(dialog, ChannelDialog)
    active(dialog)
    assert dialog.list.hasFocus() and dialog.channel() == "in-room"
    press(dialog, Qt.Key.Key_Down)
    press(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    assert window.status_text.text() == "Batch 2: first entry, postal papers."
    assert window.entry.banner.text().endswith("batch 2 · first entry · postal")
    key_batch(window, POSTAL)
    assert counted(window) == {"in-room": "4", "postal": "3", "all channels": "7"}
    assert [e.data.get("channel") for e in window.meeting.session.events() if e.kind == "paper_entered"] == \
        ["in-room"] * 8 + ["postal"] * 6

    window.record_account("in-room", 10, 0, 6, 4, "")
    assert window.light.state == "red"  # postal not yet counted out
    window.record_account("postal", 8, 0, 5, 3, "")
    assert window.light.state == "green", window.account.status.text()

    # reopened, keying goes on in a new batch, shown in the first channel until Ctrl+B says otherwise
    window.close_meeting()
    window.open_file(str(tmp_path / "chair.osel"), teller="Ann Teller")
    assert window.meeting.batch == "3" and window.entry.banner.text().endswith("batch 3 · first entry · in-room")
    window.close()


def test_one_channel_asks_nothing(qtbot, tmp_path, settings, contest_file):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Ann Teller")
    key_paper(window, (0, 1))
    window.new_batch()
    assert window.dialog is None and window.status_text.text() == "Batch 2: first entry."
    assert not window.entry.banner.text().endswith("in-room")
    window.close()
