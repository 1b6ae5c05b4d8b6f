"""The account table never says more than is known: before the box is counted out ("returned") no variance
is shown (not a reassuring 0), the Returned box says "not counted yet" rather than a 0 that Enter would
record, and with one channel its rejected papers are all the contest's."""

from __future__ import annotations

from gui_keys import key_paper, press, shortcut, type_text
from PySide6.QtCore import Qt

from opensel_desktop.gui.main_window import MainWindow

COLUMNS = ("channel", "issued", "spoilt", "unused", "returned", "counted", "rejected", "variance")


def table(window: MainWindow) -> list[dict[str, str]]:
    t = window.account.table
    return [{name: t.item(r, c).text() for c, name in enumerate(COLUMNS)} for r in range(t.rowCount())]


def test_no_variance_before_the_papers_are_found(qtbot, tmp_path, settings, contest_file):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Ann Teller")
    for ranking in ((0, 1), (1, 0), (2,)):
        key_paper(window, ranking)
    window.second_entry("Bob Teller")
    for ranking in ((0, 1), (1, 0), (2,)):
        key_paper(window, ranking)
    in_room, total = table(window)
    assert (in_room["returned"], in_room["variance"], total["variance"]) == ("", "", "")
    assert in_room["counted"] == "3" and in_room["rejected"] == total["rejected"] == "0"
    assert window.light.state == "red"
    # the Returned box says so too: Enter there records nothing until a number is typed
    shortcut(window, Qt.Key.Key_2)
    returned = window.account.spins["returned"]
    assert returned.hasFocus() and returned.text() == "not counted yet"
    before = len(window.meeting.session.events())
    press(window.account, Qt.Key.Key_Return)
    assert len(window.meeting.session.events()) == before
    assert window.account.editor_message.text().startswith("Type the number of papers found in the box")
    type_text(window.account, "99")
    press(window.account, Qt.Key.Key_Return)
    assert window.status_text.text() == "Account figures for in-room saved."
    window.record_account("in-room", 110, 4, 6, 99, "")  # 100 expected, 99 found
    in_room, total = table(window)
    assert in_room["returned"] == "99" and in_room["variance"] == "-1"
    assert window.account.table.item(0, 7).background().color().red() == 220  # marked
    window.record_account("in-room", 110, 4, 6, 100, "")
    in_room, _total = table(window)
    assert in_room["variance"] == "0" and window.account.table.item(0, 7).background().style() == Qt.BrushStyle.NoBrush
    window.close()
