"""Create the returning officer's key pair: the app's one function makes it (the same as `opensel keygen`).

The dialog asks for the name, the file and the passphrase (twice); the window makes the key in a background
op and answers with `made(name, fingerprint, path)` or `failed(text)`. The file is saved where the officer
chose, as a full path (a bare name goes into the contest's folder, not wherever the app was started), and
the dialog ends by showing the key's fingerprint, to be written down and compared on the printed sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme


@dataclass(frozen=True, slots=True)
class KeyRequest:
    name: str
    passphrase: str
    path: Path  # absolute


Creator = Callable[[KeyRequest], None]


def key_file_name(name: str) -> str:
    slug = re.sub(r"[^\w]+", "-", name.strip().lower()).strip("-")
    return f"{slug or 'returning-officer'}.key"


class KeyDialog(QDialog):
    def __init__(self, create: Creator, folder: Path, name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.create = create
        self.folder = Path(folder).resolve()
        self.done_path: Path | None = None
        self.fingerprint_text = ""
        self.setWindowTitle(self.tr("Create the returning officer's key"))
        self.setAccessibleName(self.tr("Create key"))
        self.name = QLineEdit(name)
        self.name.setAccessibleName(self.tr("Returning officer's name"))
        self.path = QLineEdit(str(self.folder / key_file_name(name)))
        self.path.setAccessibleName(self.tr("Where to save the key"))
        self.name.textEdited.connect(self._suggest)
        browse = QPushButton(self.tr("C&hoose…"))
        browse.setAccessibleName(self.tr("Choose where to save the key"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName(self.tr("Passphrase again"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(theme.alarm_style())
        self.message.setAccessibleName(self.tr("Problem"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Making the key"))
        self.progress.hide()
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName(self.tr("The new key"))
        self.outcome.hide()
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Save as:"), where)
        form.addRow(self.tr("&Passphrase:"), self.passphrase)
        form.addRow(self.tr("&Again:"), self.again)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.intro = QLabel(self.tr("The key signs the declaration. Keep the file and its passphrase safe: "
                                    "at least 8 characters, and nobody else should know it."))
        self.intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.form)
        layout.addWidget(self.outcome)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 0)
        (self.passphrase if name else self.name).setFocus()

    def _suggest(self, name: str) -> None:
        current = Path(self.path.text().strip())
        if current.parent == self.folder:  # the officer has not chosen a place of their own yet
            self.path.setText(str(self.folder / key_file_name(name)))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the key as"), self.path.text(),
                                              self.tr("Key files (*.key)"))
        if path:
            self.path.setText(path)

    def target(self) -> Path:
        """Where the key goes, as a full path: a name alone goes into the contest's folder."""
        typed = Path(self.path.text().strip()).expanduser()
        return (typed if typed.is_absolute() else self.folder / typed).resolve()

    def _accept(self) -> None:
        if self.done_path is not None:  # "Close" after the key was made
            self.accept()
            return
        self.message.clear()
        name = self.name.text().strip()
        if not name or not self.path.text().strip():
            self.message.setText(self.tr("Give the returning officer's name and where to save the key."))
            return
        if self.passphrase.text() != self.again.text():
            self.message.setText(self.tr("The two passphrases differ; type them again."))
            return
        self._working(True)
        self.create(KeyRequest(name, self.passphrase.text(), self.target()))

    def _working(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.form.setEnabled(not on)
        self.buttons.setEnabled(not on)

    def made(self, name: str, fingerprint: str, path: Path) -> None:
        self._working(False)
        self.done_path, self.fingerprint_text = Path(path), fingerprint
        self.passphrase.clear()
        self.again.clear()
        self.form.hide()
        self.intro.setText(self.tr("The key of {0} is made.").format(name))
        self.outcome.setText(self.tr("Saved as {0}\n\nFingerprint (write it down: checking a signed sheet shows the same one):\n"
                                    "{1}\n\nDeclare (Ctrl+D) offers this key.").format(path, fingerprint))
        self.outcome.show()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()

    def failed(self, text: str) -> None:
        self._working(False)
        self.message.setText(text)
        self.passphrase.setFocus()
