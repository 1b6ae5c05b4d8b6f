"""The returning officer's decision that the next batch of papers is keyed once, with no second entry.

Double entry is the default (two tellers key each batch blind); this is the recorded exception: who decided and why
are journaled before the first paper of the batch is keyed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme


class SingleBatchDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, officer: str = "", known: tuple[str, ...] = ()):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Single-entry batch"))
        self.setAccessibleName(self.tr("Single-entry batch"))
        self.officer = QComboBox()
        self.officer.setEditable(True)
        self.officer.addItems([n for n in known if n])
        self.officer.setEditText(officer)
        self.officer.setAccessibleName(self.tr("Returning officer deciding"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Why this batch is keyed only once"))
        self.reason.setPlaceholderText(self.tr("e.g. postal papers already checked by two tellers by hand"))
        self.message = QLabel()
        self.message.setStyleSheet(theme.alarm_style())
        self.message.setAccessibleName(self.tr("Problem with the decision"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Returning &officer:"), self.officer)
        form.addRow(self.tr("&Reason:"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The next batch will be keyed once, with no second teller's entry. "
                                        "This decision, its reason and your name are recorded.")))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def values(self) -> tuple[str, str]:
        return self.officer.currentText().strip(), self.reason.text().strip()

    def _accept(self) -> None:
        officer, reason = self.values()
        if not officer or not reason:
            self.message.setText(self.tr("Give the returning officer's name and the reason: both are recorded."))
            return
        self.accept()
