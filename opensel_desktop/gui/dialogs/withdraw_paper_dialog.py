"""The returning officer takes back a paper keyed by mistake (a paper that is not there, or keyed into the
wrong batch): neither teller's entry of it counts any more.

Nothing is deleted: the withdrawal is journaled with the officer's name and her reason, beside the tellers'
entries. The dialog shows both entries of the chosen paper so the officer sees what she takes back; OK
stays disabled until a reason is typed, and a refusal stays in the dialog, in one sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme

# (batch, paper) -> what the two entries of that paper say, for the officer to read before she withdraws it
Describe = Callable[[str, int], str]
# (batch, paper, reason, officer) -> None when journaled, else the sentence saying why not
Submit = Callable[[str, int, str, str], str | None]


class WithdrawPaperDialog(QDialog):
    def __init__(self, batches: list[str], batch: str, paper: int, describe: Describe, submit: Submit,
                 officer: str = "", known: tuple[str, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Withdraw a paper keyed by mistake"))
        self.setAccessibleName(self.tr("Withdraw a paper"))
        self._describe, self._submit = describe, submit
        self.setMinimumWidth(560)  # room for a reason of one line and both entries of a long paper
        self.batch = QComboBox()
        self.batch.addItems(batches)
        self.batch.setCurrentIndex(max(0, batches.index(batch)) if batch in batches else 0)
        self.batch.setAccessibleName(self.tr("Batch"))
        self.paper = QSpinBox()
        self.paper.setRange(1, 1_000_000)
        self.paper.setValue(max(1, paper))
        self.paper.setAccessibleName(self.tr("Paper number"))
        self.entries = QLabel()
        self.entries.setWordWrap(True)
        self.entries.setAccessibleName(self.tr("What the two entries of this paper say"))
        self.officer = QComboBox()
        self.officer.setEditable(True)
        self.officer.addItems([n for n in known if n])
        self.officer.setEditText(officer)
        self.officer.setAccessibleName(self.tr("Returning officer withdrawing the paper"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Why the paper is withdrawn"))
        self.reason.setPlaceholderText(self.tr("e.g. keyed twice: the same paper was entered as 14 and 15"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(theme.alarm_style())
        self.message.setAccessibleName(self.tr("Problem with the withdrawal"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Withdraw the paper"))
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._enable)
        self.officer.editTextChanged.connect(self._enable)
        self.reason.returnPressed.connect(self._accept)
        self.batch.currentTextChanged.connect(self._show_entries)
        self.paper.valueChanged.connect(self._show_entries)
        form = QFormLayout()
        form.addRow(self.tr("&Batch:"), self.batch)
        form.addRow(self.tr("&Paper:"), self.paper)
        form.addRow("", self.entries)
        form.addRow(self.tr("Returning &officer:"), self.officer)
        form.addRow(self.tr("&Reason:"), self.reason)
        intro = QLabel(self.tr("The paper no longer counts, in either teller's entry. Nothing is deleted: your "
                               "name and the reason are recorded with the tellers' entries."))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._show_entries()

    def showEvent(self, event) -> None:  # noqa: N802 - the Qt name
        super().showEvent(event)
        self.reason.setFocus()  # the paper is usually the one offered: the officer writes her reason first

    def values(self) -> tuple[str, int, str, str]:
        return self.batch.currentText(), self.paper.value(), self.reason.text().strip(), \
            self.officer.currentText().strip()

    def _enable(self) -> None:
        _batch, _paper, reason, officer = self.values()
        self.ok.setEnabled(bool(reason and officer))

    def _show_entries(self) -> None:
        batch, paper, _reason, _officer = self.values()
        self.entries.setText(self._describe(batch, paper) if batch else "")
        self.message.setText("")

    def _accept(self) -> None:
        if not self.ok.isEnabled():
            self.message.setText(self.tr("Give the returning officer's name and the reason: both are recorded."))
            return
        problem = self._submit(*self.values())
        if problem:
            self.message.setText(problem)
            return
        self.accept()
