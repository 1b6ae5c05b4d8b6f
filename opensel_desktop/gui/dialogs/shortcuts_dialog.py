"""Help > Keyboard shortcuts: every key the app answers to, in one table."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

FORM_KEYS = (
    ("0-9", "Type the preference in the focused box and move down"),
    ("Up / Down", "Move between candidates"),
    ("Backspace", "Clear the box (in hot-key mode: take the last preference back)"),
    ("Enter", "Save this paper (a broken paper asks how to reject it)"),
    ("R", "Reject this paper under a heading"),
    ("F3", "Switch between digit mode and hot-key mode"),
    ("Letters (hot-key mode)", "Give that candidate the next preference"),
    ("F2 (in the batch list)", "Reopen a paper: its edit is a new journal entry"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, actions, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = [(a.shortcut().toString(), a.text().replace("&", "")) for a in actions if not a.shortcut().isEmpty()]
        rows += [(k, self.tr(v)) for k, v in FORM_KEYS]
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What it does")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (k, v) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(k))
            self.table.setItem(r, 1, QTableWidgetItem(v))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)
