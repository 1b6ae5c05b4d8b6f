"""Station pack and batch export for teller stations: the window's `opensel station-pack` and `opensel batch-export`.

Each dialog only asks. The window gives it `act(values) -> str`, which calls the same app function the
command does (`app.stations.create_station_pack` / `export_batch`) and returns the app's sentence, or
raises with one sentence that the dialog shows inline (the dialog stays open to correct it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme
from opensel_desktop.gui.errors import Refusal, show_error


@dataclass(frozen=True, slots=True)
class PackRequest:
    station: str
    batches: tuple[str, ...]  # "LABEL=FIRST-LAST", as `--batch` takes them
    key_path: str  # the officer's key file: it signs the pack
    passphrase: str  # the station's
    path: str
    officer_passphrase: str = ""  # the officer key's


@dataclass(frozen=True, slots=True)
class BatchRequest:
    batch: str
    first_paper: int | None  # None: as issued in the station pack
    passphrase: str
    path: str


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class FormDialog(QDialog):
    """A form, an inline message and OK/Cancel; OK calls `act` and closes only when it succeeded."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.done_message = ""
        text = QLabel(intro)
        text.setWordWrap(True)
        self.form = QFormLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(theme.alarm_style(bold=True))
        self.message.setAccessibleName(self.tr("Problem"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def path_row(self, label: str, name: str, suggested: str, pattern: str, save: bool = True) -> QLineEdit:
        field = QLineEdit(suggested)
        field.setAccessibleName(name)
        browse = QPushButton(self.tr("Choose…"))
        browse.setAccessibleName(self.tr("Choose: {0}").format(name))
        browse.setAutoDefault(False)

        def choose() -> None:
            ask = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
            path, _ = ask(self, name, field.text(), pattern)
            if path:
                field.setText(path)

        browse.clicked.connect(choose)
        row = QHBoxLayout()
        row.addWidget(field, 1)
        row.addWidget(browse)
        caption = QLabel(label)
        caption.setBuddy(field)
        self.form.addRow(caption, row)
        return field

    def request(self) -> object:
        raise NotImplementedError

    def act(self, request: object) -> str:
        raise NotImplementedError

    def _accept(self) -> None:
        self.message.clear()
        try:
            request = self.request()
            self.done_message = self.act(request)
        except Exception as exc:  # noqa: BLE001 - shown inline by the window's one error path
            show_error(self.message, exc)
            return
        self.accept()


class StationPackDialog(FormDialog):
    """File > Export station pack…: register a teller station and write its pack (officer's laptop)."""

    def __init__(self, act: Callable[[PackRequest], str], suggested: str = "", key_path: str = "",
                 parent: QWidget | None = None):
        super().__init__(self.tr("Export station pack"), self.tr(
            "Registers a teller station in this contest's journal and writes its pack for the station's laptop "
            "(a USB stick). Give the batches of papers issued to the station with the numbers printed on their "
            "first and last papers, e.g. A=1-50, B=51-100. Tell the station's tellers the passphrase by word "
            "of mouth, not on the stick."), parent)
        self._act = act
        self.station = QLineEdit()
        self.station.setAccessibleName(self.tr("Station name"))
        self.station.setPlaceholderText(self.tr("e.g. table-2"))
        self.batches = QLineEdit()
        self.batches.setAccessibleName(self.tr("Batches issued to the station"))
        self.batches.setPlaceholderText(self.tr("A=1-50, B=51-100"))
        self.form.addRow(self.tr("&Station:"), self.station)
        self.form.addRow(self.tr("&Batches issued:"), self.batches)
        self.key = self.path_row(self.tr("Officer's &key:"), self.tr("Returning officer's key file"),
                                 key_path, self.tr("Key files (*.key);;All files (*)"), save=False)
        self.officer_passphrase = password_field(self.tr("Passphrase of the officer's key"))
        self.form.addRow(self.tr("Key's pass&phrase:"), self.officer_passphrase)
        self.passphrase = password_field(self.tr("Station passphrase"))
        self.again = password_field(self.tr("Station passphrase again"))
        self.form.addRow(self.tr("S&tation passphrase:"), self.passphrase)
        self.form.addRow(self.tr("A&gain:"), self.again)
        self.path = self.path_row(self.tr("Save pack &as:"), self.tr("Where to save the station pack"), suggested,
                                  self.tr("Station packs (*.oselpack)"))
        self.station.setFocus()

    def request(self) -> PackRequest:
        if self.passphrase.text() != self.again.text():
            raise Refusal(self.tr("The two passphrases differ; type them again."))
        if not self.path.text().strip():
            raise Refusal(self.tr("Choose where to save the station pack."))
        specs = tuple(s.strip() for s in self.batches.text().replace(";", ",").split(",") if s.strip())
        if not self.key.text().strip():
            raise Refusal(self.tr("Choose the returning officer's key file: it signs the pack."))
        return PackRequest(self.station.text().strip(), specs, self.key.text().strip(), self.passphrase.text(),
                           self.path.text().strip(), self.officer_passphrase.text())

    def act(self, request: object) -> str:
        assert isinstance(request, PackRequest)
        return self._act(request)


class BatchExportDialog(FormDialog):
    """File > Export batch… (on a station's file): one agreed batch as a signed batch file."""

    def __init__(self, act: Callable[[BatchRequest], str], batches: Sequence[str], folder: str = "",
                 station: str = "", parent: QWidget | None = None):
        super().__init__(self.tr("Export batch"), self.tr(
            "Writes one agreed batch as a batch file signed with this station's key, for the returning officer "
            "to merge. Only a batch whose two entries agree can be exported."), parent)
        self._act = act
        self.folder = folder
        self.station = station
        self.batch = QComboBox()
        self.batch.setAccessibleName(self.tr("Batch to export"))
        self.batch.addItems(list(batches))
        self.first_paper = QSpinBox()
        self.first_paper.setRange(0, 10_000_000)
        self.first_paper.setSpecialValueText(self.tr("as issued in the station pack"))
        self.first_paper.setAccessibleName(self.tr("Number printed on the batch's first paper"))
        self.passphrase = password_field(self.tr("Station passphrase"))
        self.form.addRow(self.tr("&Batch:"), self.batch)
        self.form.addRow(self.tr("&First paper number:"), self.first_paper)
        self.form.addRow(self.tr("S&tation passphrase:"), self.passphrase)
        self.path = self.path_row(self.tr("Save &as:"), self.tr("Where to save the batch file"), "",
                                  self.tr("Batch files (*.oselbatch)"))
        self.batch.currentTextChanged.connect(self._suggest)
        self._suggest(self.batch.currentText())
        self.batch.setFocus()

    def _suggest(self, label: str) -> None:
        if label and self.folder:
            safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in f"{self.station}-{label}")
            self.path.setText(f"{self.folder}/{safe}.oselbatch")

    def request(self) -> BatchRequest:
        if not self.batch.currentText():
            raise Refusal(self.tr("There is no batch to export yet; key a batch and its second entry first."))
        if not self.path.text().strip():
            raise Refusal(self.tr("Choose where to save the batch file."))
        first = self.first_paper.value() or None
        return BatchRequest(self.batch.currentText(), first, self.passphrase.text(), self.path.text().strip())

    def act(self, request: object) -> str:
        assert isinstance(request, BatchRequest)
        return self._act(request)
