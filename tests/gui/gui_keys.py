"""Keys as a teller presses them (a module of its own: several test folders have a conftest.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def type_text(widget, text: str) -> None:
    """keyClicks aborts on non-ASCII text in PySide6: one key event per character instead."""
    for ch in text:
        target = widget.focusWidget() if widget.focusWidget() is not None else widget
        QTest.sendKeyEvent(QTest.KeyAction.Click, target, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def press(widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    target = widget.focusWidget() if widget.focusWidget() is not None else widget
    QTest.keyClick(target, key, modifier)


def shortcut(window, key, modifier=Qt.KeyboardModifier.ControlModifier) -> None:
    """A window shortcut as the teller presses it. Offscreen there is no window manager to give the
    main window back its activation after a dialog closes, so do what the window manager would."""
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    press(window, key, modifier)


def key_paper(window, ranking: tuple[int, ...]) -> None:
    """A ranked paper in digit mode, as a teller keys it: from the first box, a digit per preference in
    ballot order, Down over a blank box, Enter."""
    form = window.entry.form
    form.focus_box(0)
    prefs = {c: i for i, c in enumerate(ranking, start=1)}
    for c in range(len(form.boxes)):
        if c in prefs:
            type_text(form, str(prefs[c]))
        else:
            press(form, Qt.Key.Key_Down)
    press(form, Qt.Key.Key_Return)
