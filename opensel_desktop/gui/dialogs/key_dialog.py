"""Create the returning officer's key pair: one function in app/keys.py does it (CONTRACT.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme

Creator = Callable[[str, str, Path], object]


class KeyDialog(QDialog):
    def __init__(self, create: Creator, default_path: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.create = create
        self.setWindowTitle(self.tr("Create the returning officer's key"))
        self.setAccessibleName(self.tr("Create key"))
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Returning officer's name"))
        self.path = QLineEdit(default_path)
        self.path.setAccessibleName(self.tr("Where to save the key"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName(self.tr("Passphrase again"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(theme.alarm_style())
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Save as:"), self.path)
        form.addRow(self.tr("&Passphrase:"), self.passphrase)
        form.addRow(self.tr("&Again:"), self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The key signs the declaration. Keep the file and passphrase safe.")))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        name, path = self.name.text().strip(), self.path.text().strip()
        if not name or not path:
            self.message.setText(self.tr("Give the returning officer's name and where to save the key."))
            return
        if self.passphrase.text() != self.again.text():
            self.message.setText(self.tr("The two passphrases differ; type them again."))
            return
        try:
            self.create(name, self.passphrase.text(), Path(path))
        except Exception as exc:  # noqa: BLE001 - the app's one sentence, shown inline
            self.message.setText(str(exc).splitlines()[0] if str(exc) else self.tr("The key was not created."))
            return
        self.accept()
