"""Does the window fit a small laptop screen? The same walk through the screens is run in the test process
(1280x720) and, as a script, in a process of its own at 200% (QT_SCALE_FACTOR=2 on a 2560x1440 screen),
because the scale factor is fixed when the application starts.

    QT_SCALE_FACTOR=2 QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json python tests/gui/fit_checks.py WORKDIR

prints one JSON object: the problems found (empty when everything fits) and what was measured.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gui_contests import FOURTEEN
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

BLOCK = """\
format: opensel-contest/1
title: Branch officers
returning_officer: Jane Smith
method: {rule: block, seats: 3}
candidates: [Ann Hughes, Bob Jones, Cai Lewis, Dee Price, Eve Shaw, Fay Wood]
"""


def inside(widget: QWidget, window: QWidget) -> bool:
    """Shown, with some height, and wholly within the window."""
    if not widget.isVisible() or widget.height() <= 0 or widget.visibleRegion().isEmpty():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    bottom_right = widget.mapTo(window, QPoint(widget.width() - 1, widget.height() - 1))
    return window.rect().contains(top_left) and window.rect().contains(bottom_right)


def keys(widget: QWidget, text: str) -> None:
    for ch in text:
        target = widget.focusWidget() or widget
        QTest.sendKeyEvent(QTest.KeyAction.Click, target, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def walk(window, folder: Path, size: tuple[int, int]) -> dict:
    """Open a 14-candidate contest, key, reject, double-enter, count, and a block vote by bundles, checking
    at each step that the window kept its size and the lines that must be seen are on screen."""
    problems: list[str] = []
    seen: dict[str, object] = {}

    def check(step: str, *must_see: QWidget) -> None:
        QApplication.processEvents()
        if (window.width(), window.height()) != size:
            problems.append(f"{step}: the window is {window.width()}x{window.height()}, not {size[0]}x{size[1]}")
        hint = window.minimumSizeHint()
        seen[step] = (hint.width(), hint.height())
        if hint.height() > size[1] or hint.width() > size[0]:
            problems.append(f"{step}: the window needs at least {hint.width()}x{hint.height()}")
        for w in (window.status_text, window.light, *must_see):
            if not inside(w, window):
                problems.append(f"{step}: {w.accessibleName() or type(w).__name__} is not on screen")

    check("start")
    many = folder / "many.yaml"
    many.write_text(FOURTEEN, encoding="utf-8")
    window.new_from_contest(str(many), str(folder / "many.osel"), "Jane Smith")
    form = window.entry.form
    check("entry", form.heading, form.message, form.hint, form.boxes[0])
    form.focus_box(13)  # the last candidate: the paper scrolls to it
    QApplication.processEvents()
    if not form.boxes[13].visibleRegion().boundingRect().height() >= form.boxes[13].height() - 1:
        problems.append("entry: the last candidate's box is not scrolled into view")
    form.focus_box(0)
    for letters in ("abc", "dae", "fb", "gha", "cb", "ij"):
        keys(form, letters)
        QTest.keyClick(form.focusWidget(), Qt.Key.Key_Return)
    keys(form, "aa")  # a repeated letter: a message
    QTest.keyClick(form.focusWidget(), Qt.Key.Key_F3)  # digit mode
    form.clear()
    keys(form, "1")
    QTest.keyClick(form.focusWidget(), Qt.Key.Key_Down)
    keys(form, "1")  # a duplicate preference
    check("entry-problem", form.message, form.hint)
    QTest.keyClick(form.focusWidget(), Qt.Key.Key_Return)  # the picker opens in the paper's place
    check("reject-picker", form.picker, form.reject_prompt, form.reject_list, form.message, form.hint)
    QTest.keyClick(form.focusWidget(), Qt.Key.Key_Escape)
    form.clear()
    form.set_hotkey_mode(True)
    window.second_entry("Bob Teller")
    for letters in ("abc", "ade", "fb", "gha", "bc", "ij"):  # two papers keyed differently
        keys(form, letters)
        QTest.keyClick(form.focusWidget(), Qt.Key.Key_Return)
    check("mismatches", window.entry.diff_table, window.entry.diff_label, form.message, form.hint)
    window._tab(window.account)
    check("account", window.account.status, window.account.record)
    window._tab(window.results)
    check("results", window.results.banner, window.results.chart)
    window.show_shortcuts()
    dialog = window.dialog
    QApplication.processEvents()
    if dialog.height() > size[1] or dialog.width() > size[0]:
        problems.append(f"shortcuts: the dialog is {dialog.width()}x{dialog.height()}")
    dialog.reject()
    window.declare()
    dialog = window.dialog
    QApplication.processEvents()
    if dialog.minimumSizeHint().height() > size[1] - 40 or dialog.height() > size[1]:
        problems.append(f"declare: the dialog is {dialog.width()}x{dialog.height()}")
    dialog.reject()
    window.withdraw_paper()  # the officer's withdrawal of a paper keyed by mistake
    dialog = window.dialog
    QApplication.processEvents()
    if dialog.height() > size[1] or dialog.width() > size[0] or not inside(dialog.ok, dialog):
        problems.append(f"withdraw: the dialog is {dialog.width()}x{dialog.height()}")
    dialog.reject()

    block = folder / "block.yaml"
    block.write_text(BLOCK, encoding="utf-8")
    window.new_from_contest(str(block), str(folder / "block.osel"), "Jane Smith")
    grid = window.grid
    for _ in range(8):  # eight bundles: the grid scrolls sideways, the window does not widen
        col = grid.new_column()
        for row, value in enumerate((20, 10, 9, 8, 7, 6, 5)):
            grid.set_value(row, col, value)
        grid.submit(col)
    seen["bundle columns"] = grid.table.columnCount()
    check("bundles", grid.message, grid.hint, grid.side)
    window.close_meeting()
    check("closed")
    return {"problems": problems, "minimum": seen,
            "scale": QApplication.primaryScreen().devicePixelRatio(),
            "screen": [QApplication.primaryScreen().geometry().width(), QApplication.primaryScreen().geometry().height()]}


def main(folder: Path) -> int:
    from opensel_desktop.gui.application import make_app
    from opensel_desktop.gui.main_window import MainWindow

    app = make_app(sys.argv[:1])
    screen = app.primaryScreen().availableGeometry()
    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(screen.width(), screen.height())
    window.show()
    QApplication.processEvents()
    outcome = walk(window, folder, (screen.width(), screen.height()))
    window.close()
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main(Path(sys.argv[1])))
