"""Declare: checklist, then the returning officer's key and passphrase, then the signed sheets in print
preview, where printing and saving the PDF are one step each.

The dialog only asks. `sign(key_path, passphrase, override_reason)` (given by the window, calling the app)
starts the work and returns at once; the window answers with `sheets_ready(pdf)` or `sheets_failed(text)`.
Meanwhile the dialog says what is going on and takes no second press of "Declare and sign".
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme
from opensel_desktop.gui.errors import show_error
from opensel_desktop.gui.printing import PreviewError, new_printer, paint_pages, render_pages

Signer = Callable[[Path, str, str | None], None]  # key file, passphrase, override reason; answers come later


class DeclareDialog(QDialog):
    declared = Signal(str)  # path of the signed PDF

    def __init__(self, checks: dict[str, bool], sign: Signer, key_path: str = "", parent: QWidget | None = None,
                 summary: str = "", account_problem: str = ""):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Declare the result"))
        self.setAccessibleName(self.tr("Declare the result"))
        self.sign = sign
        self.pdf: Path | None = None
        self.pages = QStackedWidget()

        # 1. checklist
        check_page = QWidget()
        cl = QVBoxLayout(check_page)
        if summary:
            head = QLabel(summary)
            head.setWordWrap(True)
            head.setStyleSheet("QLabel { font-size: 14pt; font-weight: bold; }")
            head.setAccessibleName(self.tr("Result to be declared"))
            cl.addWidget(head)
        cl.addWidget(QLabel(self.tr("Before declaring, confirm each point (Space ticks the focused box):")))
        self.checks: list[QCheckBox] = []
        labels = {
            "account": self.tr("The ballot paper account reconciles (or the override is recorded)"),
            "mismatches": self.tr("Every double-entry mismatch has been resolved"),
            "agents": self.tr("Candidates and agents have seen the provisional result and any recount is done"),
        }
        if account_problem:
            labels["account"] = self.tr("The account does NOT reconcile ({0}); I record below why the result is "
                                        "declared anyway").format(account_problem.rstrip("."))
        for key, label in labels.items():
            box = QCheckBox(label)
            box.setAccessibleName(label)
            box.setChecked(bool(checks.get(key)) and key != "agents")
            box.toggled.connect(self._checks_changed)
            self.checks.append(box)
            cl.addWidget(box)
        self.override = QLineEdit()
        self.override.setAccessibleName(self.tr("Reason for declaring although the account does not reconcile"))
        self.override.setPlaceholderText(self.tr("what was found, and why the count goes ahead"))
        self.override.textChanged.connect(self._checks_changed)
        self.needs_override = bool(account_problem)
        self.override.setVisible(self.needs_override)
        cl.addWidget(self.override)
        cl.addStretch(1)

        # 2. key and passphrase
        key_page = QWidget()
        outer = QVBoxLayout(key_page)
        warn = QLabel(self.tr("Declaring makes the result final and locks the contest: nothing more can be "
                              "entered. Type the returning officer's passphrase to sign the declaration."))
        warn.setWordWrap(True)
        outer.addWidget(warn)
        kl = QFormLayout()
        outer.addLayout(kl)
        outer.addStretch(1)
        self.key = QLineEdit(key_path)
        self.key.setAccessibleName(self.tr("Returning officer's key file"))
        browse = QPushButton(self.tr("&Choose…"))
        browse.setAccessibleName(self.tr("Choose key file"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.key)
        row.addWidget(browse)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        key_label = QLabel(self.tr("&Key file:"))
        key_label.setBuddy(self.key)
        kl.addRow(key_label, row)
        kl.addRow(self.tr("&Passphrase:"), self.passphrase)

        # 3. preview of the signed PDF's pages
        preview_page = QWidget()
        pl = QVBoxLayout(preview_page)
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.preview_pages = QVBoxLayout()
        holder = QWidget()
        holder.setLayout(self.preview_pages)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName(self.tr("Preview of the signed sheets"))
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setAccessibleName(self.tr("Print"))
        self.save_button = QPushButton(self.tr("&Save signed PDF…"))
        self.save_button.setAccessibleName(self.tr("Save signed PDF"))
        self.preview_button = QPushButton(self.tr("Print pre&view…"))
        self.preview_button.setAccessibleName(self.tr("Print preview"))
        self.preview_button.clicked.connect(self._preview)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        pl.addWidget(self.preview_label)
        pl.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        pl.addLayout(buttons)

        for page in (check_page, key_page, preview_page):
            self.pages.addWidget(page)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(theme.alarm_style(bold=True))
        self.message.setAccessibleName(self.tr("Problem"))
        self.working = False
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName(self.tr("Work in progress"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Signing"))
        self.progress.hide()
        self.next_button = QPushButton(self.tr("&Next"))
        self.next_button.setAccessibleName(self.tr("Next"))
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next_step)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(self.close_button)
        nav.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(nav)
        self.resize(720, 640)
        self._checks_changed()

    def step(self) -> int:
        return self.pages.currentIndex()

    def _checks_changed(self) -> None:
        if self.step() == 0:
            reason_ok = not self.needs_override or bool(self.override.text().strip())
            self.next_button.setEnabled(all(c.isChecked() for c in self.checks) and reason_ok)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Returning officer's key"), "",
                                              self.tr("Key files (*.key);;All files (*)"))
        if path:
            self.key.setText(path)

    def next_step(self) -> None:
        self.message.clear()
        if self.step() == 0:
            self.pages.setCurrentIndex(1)
            self.next_button.setText(self.tr("&Declare and sign"))
            self.next_button.setAccessibleName(self.tr("Declare and sign"))
            self.passphrase.setFocus()
            return
        if self.step() == 1:
            if self.working:
                return
            key = self.key.text().strip()
            if not key:
                self.message.setText(self.tr("Choose the returning officer's key file first."))
                return
            reason = self.override.text().strip() if self.needs_override else None
            self._working(True)
            self.sign(Path(key), self.passphrase.text(), reason or None)

    def _working(self, on: bool) -> None:
        self.working = on
        self.progress.setVisible(on)
        self.progress_label.setText(self.tr("Opening the key, declaring, then building and signing the sheets…")
                                    if on else "")
        self.next_button.setEnabled(not on)
        self.passphrase.setEnabled(not on)
        self.key.setEnabled(not on)

    def sheets_ready(self, pdf: Path) -> None:
        """The declaration is journaled and the signed sheets are written."""
        self._working(False)
        self.pdf = Path(pdf)
        self.passphrase.clear()
        self.declared.emit(str(self.pdf))
        self._show_preview()
        self.pages.setCurrentIndex(2)
        self.next_button.hide()
        self.close_button.setText(self.tr("Done"))
        self.close_button.setFocus()

    def sheets_failed(self, text: str) -> None:
        """One sentence (a wrong passphrase, an unwritable folder): the dialog stays on the passphrase."""
        self._working(False)
        self.message.setText(text)
        self.passphrase.setFocus()
        self.passphrase.selectAll()

    def _show_preview(self) -> None:
        assert self.pdf is not None
        self.preview_label.setText(self.tr("Declared and signed. These are the signed sheets ({0}).").format(
            self.pdf.name))
        try:
            self.images = render_pages(self.pdf)
        except PreviewError as exc:
            self.images = []
            show_error(self.preview_label, exc)
            return
        for img in self.images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(img).scaledToWidth(620))
            self.preview_pages.addWidget(label)

    def _preview(self) -> None:
        """Qt's print preview over the signed PDF's own pages (page set-up, zoom, then Print)."""
        from opensel_desktop.gui.printing import preview_dialog

        assert self.pdf is not None
        try:
            self.preview = preview_dialog(self.pdf, self)
        except PreviewError as exc:
            show_error(self.message, exc)
            return
        self.preview.open()

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        self.printer = new_printer()  # kept on self: Qt's dialogs do not own the printer
        dialog = QPrintDialog(self.printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and self.images:
            paint_pages(self.printer, self.images)

    def save_to(self, target: Path) -> None:
        assert self.pdf is not None
        if target.resolve() != self.pdf.resolve():
            try:
                shutil.copyfile(self.pdf, target)
            except OSError as exc:
                show_error(self.message, exc)
                return
        self.message.setStyleSheet(theme.good_style(bold=True))
        self.message.setText(self.tr("Saved {0}.").format(target.name))

    def _save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save signed PDF"), str(self.pdf or ""),
                                              self.tr("PDF (*.pdf)"))
        if path:
            self.save_to(Path(path))
