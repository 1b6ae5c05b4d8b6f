"""Counting over an account that does not reconcile: the returning officer gives the reason, or cancels.

The same rule as the command line's --override-reason: the reason is journaled with the result and
printed beside the account on the sheet. OK stays disabled until a reason is typed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class OverrideDialog(QDialog):
    def __init__(self, problem: str, what: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("The account does not reconcile"))
        self.setAccessibleName(self.tr("Reason for going ahead"))
        intro = QLabel(self.tr("{0}\n\nTo {1} anyway, write why (it is saved with the result and printed beside "
                               "the account). Otherwise cancel and correct the account first.").format(problem, what))
        intro.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("e.g. two papers were taken home by voters; agents agreed"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.reason.returnPressed.connect(lambda: self.accept() if self.ok.isEnabled() else None)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def text(self) -> str:
        return self.reason.text().strip()
