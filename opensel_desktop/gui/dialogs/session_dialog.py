"""Who is at the keyboard: every entry is attributed to the name given here; the banner above the paper shows it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme

ROLES = ("teller", "returning officer")


class SessionDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, known: tuple[str, ...] = (), name: str = "",
                 role: str = "teller"):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Who is at the keyboard?"))
        self.setAccessibleName(self.tr("Teller name"))
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(list(known))
        self.name.setEditText(name)
        self.name.setAccessibleName(self.tr("Your name"))
        self.role = QComboBox()
        self.role.addItems([self.tr(r) for r in ROLES])
        self.role.setCurrentIndex(ROLES.index(role) if role in ROLES else 0)
        self.role.setAccessibleName(self.tr("Your role"))
        self.message = QLabel()
        self.message.setStyleSheet(theme.alarm_style())
        self.message.setAccessibleName(self.tr("Problem with the name"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Role:"), self.role)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Everything you key is recorded under this name.")))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def values(self) -> tuple[str, str]:
        return self.name.currentText().strip(), ROLES[self.role.currentIndex()]

    def _accept(self) -> None:
        name, _ = self.values()
        if not name:
            self.message.setText(self.tr("Type your name first: every paper you key is recorded under it."))
            return
        self.accept()
