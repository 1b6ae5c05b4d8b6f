"""How to record a paper that cannot be saved as keyed: back to the paper, count the preferences before the
break, or reject it under a heading picked by number.

Enter alone never rejects: when the teller pressed Enter on a broken or blank paper, the choice offered
first is to go back to the paper (a second Enter does that), and a heading is chosen only by pressing its
number. R on the paper opens the picker on the heading the paper suggests, because pressing R already is
the decision to reject.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

BACK, KEEP, HEADING = "back", "keep", "heading"
KIND_ROLE = Qt.ItemDataRole.UserRole
HEADING_ROLE = Qt.ItemDataRole.UserRole + 1


class RejectPicker(QWidget):
    back = Signal()
    keep = Signal()  # count the preferences before the break
    reject = Signal(str)  # the heading

    def __init__(self, headings: tuple[str, ...], font: QFont, parent: QWidget | None = None):
        super().__init__(parent)
        self.headings = headings
        self.setAccessibleName(self.tr("How to record this paper"))
        self.prompt = QLabel()
        self.prompt.setFont(font)
        self.prompt.setWordWrap(True)
        self.prompt.setAccessibleName(self.tr("Question about this paper"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Rejection headings"))
        self.list.setFont(font)
        self.list.installEventFilter(self)
        self.list.currentRowChanged.connect(lambda _r: self._say())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.prompt)
        layout.addWidget(self.list, 1)

    def open(self, keep_words: str = "", suggest: str = "", from_enter: bool = True) -> None:
        """`keep_words`: the preferences that would count (empty: nothing can count); `suggest`: the heading
        to start on when the teller asked to reject (R)."""
        self.list.clear()
        self._add(self.tr("Esc   Back to the paper (nothing is saved)"), BACK)
        if keep_words:
            self._add(self.tr("0   Count it as {0} (the rest cannot count)").format(keep_words), KEEP)
        for n, heading in enumerate(self.headings, start=1):
            self._add(self.tr("{0}   Reject as \u201c{1}\u201d").format(n, heading), HEADING, heading)
        row = 0
        if not from_enter and suggest in self.headings:
            row = self.headings.index(suggest) + (2 if keep_words else 1)
        self.list.setCurrentRow(row)
        self._say()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _add(self, text: str, kind: str, heading: str = "") -> None:
        item = QListWidgetItem(text)
        item.setData(KIND_ROLE, kind)
        item.setData(HEADING_ROLE, heading)
        self.list.addItem(item)

    def current(self) -> tuple[str, str]:
        item = self.list.currentItem()
        return (item.data(KIND_ROLE), item.data(HEADING_ROLE)) if item is not None else (BACK, "")

    def _say(self) -> None:
        kind, heading = self.current()
        if kind == BACK:
            self.prompt.setText(self.tr("This paper cannot be saved as it stands. Enter or Esc: back to the paper "
                                        "to fix it · or press the number of how to record it, then Enter"))
        elif kind == KEEP:
            self.prompt.setText(self.tr("Count only the preferences before the break? Enter = yes · Esc = back to "
                                        "the paper"))
        else:
            self.prompt.setText(self.tr("Reject as \u201c{0}\u201d? Enter = yes · another number picks another · "
                                        "Esc = back to the paper").format(heading))

    def _row_for_digit(self, digit: int) -> int | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            kind = item.data(KIND_ROLE)
            if (digit == 0 and kind == KEEP) or (kind == HEADING and self.headings.index(
                    item.data(HEADING_ROLE)) + 1 == digit):
                return row
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.list or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key, text = event.key(), event.text()
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        if key == Qt.Key.Key_Escape:
            self.back.emit()
        elif text.isdigit():
            row = self._row_for_digit(int(text))
            if row is not None:
                self.list.setCurrentRow(row)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            kind, heading = self.current()
            {BACK: self.back.emit, KEEP: self.keep.emit}.get(kind, lambda: self.reject.emit(heading))()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp,
                     Qt.Key.Key_PageDown):
            return False  # the list moves its own cursor
        return True  # nothing else reaches the list
