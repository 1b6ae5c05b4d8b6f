"""Rejected papers of an X-vote contest: the papers set aside at the count, not in any bundle, recorded under
one heading at a time. Keys: a digit picks the heading, the number of papers, Enter records."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme


class RejectCountDialog(QDialog):
    def __init__(self, headings: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.headings = headings
        self.setWindowTitle(self.tr("Record rejected papers"))
        self.setAccessibleName(self.tr("Record rejected papers"))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Rejection heading"))
        self.list.addItems([f"{n}   {h}" for n, h in enumerate(headings, start=1)])
        self.list.setCurrentRow(0)
        self.list.installEventFilter(self)
        self.count = QSpinBox()
        self.count.setRange(1, 1_000_000)
        self.count.setAccessibleName(self.tr("Number of papers"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(theme.alarm_style())
        self.message.setAccessibleName(self.tr("Problem"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Record"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Heading (its number picks it):"), self.list)
        form.addRow(self.tr("&Papers:"), self.count)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Papers rejected at the count and not in any bundle. They are recorded under the "
                               "heading, in the journal, and count as rejected at once."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.list.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.text().isdigit() and 1 <= int(event.text()) <= len(self.headings):
                self.list.setCurrentRow(int(event.text()) - 1)
                self.count.setFocus()
                self.count.selectAll()
                return True
        return False

    def values(self) -> tuple[str, int]:
        self.count.interpretText()
        return self.headings[max(0, self.list.currentRow())], self.count.value()
