"""Help > Keyboard shortcuts: every key the app answers to, in one table (the window's actions with their
keys, then the keys of the paper form, the comparison list, the bundle grid and the dialogs)."""

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
    ("0-9", "Ranked paper, digit mode: the preference in the focused box, then the next box"),
    ("1_", "Digit mode with 10 or more candidates: a 1 that waits for a second digit (10-19); Down keeps 1"),
    ("Up / Down", "Ranked paper: move between candidates"),
    ("Backspace", "Ranked paper: clear the box (in hot-key mode: take the last preference back)"),
    ("Letters", "Ranked paper, hot-key mode: give that candidate the next preference"),
    ("F3", "Ranked paper: switch between digit mode and hot-key mode"),
    ("Enter", "Ranked paper: save it; a blank or broken paper asks how to record it, Enter again goes back"),
    ("R", "Ranked paper: reject it under a heading"),
    ("1-9, then Enter", "How to record a paper: the heading with that number"),
    ("0, then Enter", "How to record a paper: count only the preferences before the break"),
    ("Esc", "Back to the paper (from the rejection headings or the lists); closes the projector view"),
    ("F2", "Go to the first mismatch; in the batch list, reopen the paper under the cursor"),
    ("1 / 2", "Comparison list: the first / the second entry is what the paper says"),
    ("Tab, arrows", "Bundle grid: move between cells"),
    ("Ctrl+Enter", "Bundle grid: save the bundle in this column"),
    ("Ctrl+R", "Bundle grid: record this column as the recounted bundle's true totals"),
    ("Enter", "Account: next figure; in Returned or Explanation it records the figures"),
    ("Space", "Declare checklist: tick the focused box"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, actions, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setAccessibleName(self.tr("Keyboard shortcuts"))
        rows = [(a.shortcut().toString(), a.text().replace("&", "")) for a in actions if not a.shortcut().isEmpty()]
        rows += [(k, self.tr(v)) for k, v in FORM_KEYS]
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What it does")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for r, (k, v) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(k))
            self.table.setItem(r, 1, QTableWidgetItem(v))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 600)

    def keys(self) -> list[str]:
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())]
