"""A paper too long for a laptop screen scrolls, so a preference keyed on a candidate out of sight would be
invisible: the line under the heading then says the whole paper as keyed so far, by name, in preference
order. A paper that fits shows the entry mode there instead."""

from __future__ import annotations

from gui_contests import FOURTEEN
from gui_keys import press, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from opensel_desktop.gui.main_window import MainWindow


def test_a_scrolled_paper_says_every_preference_keyed(qtbot, tmp_path, settings):
    path = tmp_path / "regional.yaml"
    path.write_text(FOURTEEN, encoding="utf-8")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.new_from_contest(str(path), str(tmp_path / "r.osel"), "Ann Teller")
    form = window.entry.form
    QApplication.processEvents()
    assert form.scroll.verticalScrollBar().maximum() > 0  # fourteen names do not fit at 1280x720
    assert form.mode_label.text().startswith("Hot-key mode")
    type_text(form, "k")  # Ruth Okafor, far down the paper
    type_text(form, "be")
    QApplication.processEvents()
    ruth = form.boxes[10]
    assert ruth.text() == "1" and ruth.visibleRegion().boundingRect().height() < ruth.height() // 2  # out of sight
    assert form.mode_label.text() == "This paper so far: 1 Ruth Okafor · 2 Siân Evans · 3 Bob Jones"
    press(form, Qt.Key.Key_Backspace)
    assert form.mode_label.text() == "This paper so far: 1 Ruth Okafor · 2 Siân Evans"
    press(form, Qt.Key.Key_Return)
    assert window.status_text.text() == "Paper 1 saved."
    assert form.mode_label.text().startswith("Hot-key mode")  # the next paper starts blank
    window.close()


def test_a_paper_that_fits_shows_its_mode(qtbot, tmp_path, settings, contest_file):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Ann Teller")
    form = window.entry.form
    QApplication.processEvents()
    assert form.scroll.verticalScrollBar().maximum() == 0
    type_text(form, "2")
    assert form.mode_label.text() == "Digit mode: type each candidate's preference number"
    window.close()


def test_only_digit_mode_marks_a_box_as_the_cursor(qtbot, tmp_path, settings):
    """In hot-key mode letters choose the box, so no box wears the focus border a digit would go into."""
    path = tmp_path / "regional.yaml"
    path.write_text(FOURTEEN, encoding="utf-8")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.new_from_contest(str(path), str(tmp_path / "r.osel"), "Ann Teller")
    form = window.entry.form
    assert form.hotkey_mode and "focus" not in form.paper.styleSheet()
    assert all(box.isReadOnly() for box in form.boxes)  # no text cursor blinking in a box either
    press(form, Qt.Key.Key_F3)  # digit mode: the box the next digit goes into is outlined
    assert not form.hotkey_mode and "QLineEdit:focus" in form.paper.styleSheet()
    assert not any(box.isReadOnly() for box in form.boxes)
    window.close()
