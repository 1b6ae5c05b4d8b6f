"""Ballot paper account per channel, and the traffic light the status bar shows.

Keys: Enter in a figure moves to the next one; Enter in "Returned" or "Explanation" records the channel's
figures (later figures replace earlier ones, and the journal keeps both)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One channel's figures as the app computed them (the panel does no arithmetic of its own)."""

    channel: str
    issued: int
    spoilt: int
    unused: int
    returned: int | None
    counted: int | None  # None on a single channel's line: papers are mixed before counting
    rejected: int | None
    variance: int | None  # None until the papers found are known: no variance can be worked out yet
    explanation: str = ""


GREEN, AMBER, RED = "green", "amber", "red"
NOT_COUNTED = -1  # the Returned figure's value while the box has not been counted out
COLOURS = {GREEN: QColor(46, 160, 67), AMBER: QColor(230, 160, 0), RED: QColor(210, 40, 40)}


class TrafficLight(QWidget):
    """A coloured lamp plus words, so the state never depends on colour alone."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = AMBER
        self.label = QLabel()
        self.lamp = _Lamp(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.lamp)
        layout.addWidget(self.label)
        self.set_state(AMBER, self.tr("Account: not yet entered"))

    def set_state(self, state: str, text: str) -> None:
        self.state = state
        self.label.setText(text)
        self.setAccessibleName(self.tr("Ballot paper account status"))
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.lamp.update()


class _Lamp(QWidget):
    def __init__(self, light: TrafficLight):
        super().__init__(light)
        self.light = light
        self.setFixedSize(QSize(16, 16))

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(COLOURS[self.light.state])
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(1, 1, 14, 14)
        p.end()


class AccountPanel(QWidget):
    record_requested = Signal(str, int, int, int, object, str)  # channel, issued, spoilt, unused, returned, why

    HEADERS = ("Channel", "Issued", "Spoilt and replaced", "Unused", "Returned", "Counted", "Rejected",
               "Variance", "Explanation")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Ballot paper account"))
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.setAccessibleName(self.tr("Ballot paper account by channel"))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Account status"))
        self.editor = QGroupBox(self.tr("Record a channel's figures"))
        form = QFormLayout(self.editor)
        self.channel = QComboBox()
        self.channel.setEditable(True)
        self.channel.setAccessibleName(self.tr("Channel"))
        self.spins: dict[str, QSpinBox] = {}
        form.addRow(self.tr("C&hannel:"), self.channel)
        for key, label in (("issued", self.tr("&Issued:")), ("spoilt", self.tr("&Spoilt and replaced:")),
                           ("unused", self.tr("&Unused:")), ("returned", self.tr("&Returned / found in box:"))):
            spin = QSpinBox()
            spin.setRange(0, 10_000_000)
            if key == "returned":  # not known until the box is counted out: never a 0 that Enter would record
                spin.setRange(NOT_COUNTED, 10_000_000)
                spin.setSpecialValueText(self.tr("not counted yet"))
            spin.setAccessibleName(label.replace("&", "").rstrip(":"))
            spin.installEventFilter(self)
            self.spins[key] = spin
            form.addRow(label, spin)
        self.explanation = QLineEdit()
        self.explanation.setAccessibleName(self.tr("Explanation of any variance"))
        form.addRow(self.tr("E&xplanation:"), self.explanation)
        self.record = QPushButton(self.tr("Record &figures"))
        self.record.setAccessibleName(self.tr("Record figures"))
        self.record.clicked.connect(self._record)
        self.explanation.returnPressed.connect(self._record)
        form.addRow(self.record)
        keys = QLabel(self.tr("Enter in Returned or Explanation records the figures; in the others it moves on."))
        keys.setWordWrap(True)
        keys.setAccessibleName(self.tr("Keys"))
        form.addRow(keys)
        self.editor_message = QLabel()
        self.editor_message.setWordWrap(True)
        self.editor_message.setAccessibleName(self.tr("Problem with the figures"))
        self.editor_message.setStyleSheet(theme.alarm_style())
        form.addRow(self.editor_message)
        self.editor.hide()
        self.editor.setMaximumWidth(560)
        self.channel.currentTextChanged.connect(self._prefill)
        self._rows: list[AccountRow] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        layout.addWidget(self.editor)

    def set_editable(self, on: bool) -> None:
        self.editor.setVisible(on)

    def focus_figures(self) -> None:
        """Ctrl+2: the cursor in the figure a teller records on the night (what was found in the box)."""
        if self.editor.isVisible():
            self.spins["returned"].setFocus()
            self.spins["returned"].selectAll()

    def reset(self) -> None:
        """No contest: nothing recorded, nothing shown (the next contest starts from a clean panel)."""
        self._rows = []
        self.table.setRowCount(0)
        self.status.clear()
        self.status.setStyleSheet("")
        self.editor_message.clear()
        self.channel.blockSignals(True)
        self.channel.clear()
        self.channel.blockSignals(False)
        for spin in self.spins.values():
            spin.setValue(spin.minimum())
        self.explanation.clear()
        self.set_editable(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched in self.spins.values():
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if watched is self.spins["returned"]:
                    self.spins["returned"].interpretText()
                    if self.spins["returned"].value() == NOT_COUNTED:
                        self.editor_message.setText(self.tr("Type the number of papers found in the box, then "
                                                            "Enter (Record figures keeps the others without it)."))
                        return True
                    self._record()
                else:  # on to the next figure, as a paper form would
                    order = list(self.spins.values())
                    nxt = order[order.index(watched) + 1] if watched is not order[-1] else self.explanation
                    nxt.setFocus(Qt.FocusReason.TabFocusReason)
                    if isinstance(nxt, QSpinBox):
                        nxt.selectAll()
                return True
        return False

    def set_channels(self, names: list[str]) -> None:
        current = self.channel.currentText()
        self.channel.blockSignals(True)
        self.channel.clear()
        self.channel.addItems(names)
        if current:
            self.channel.setCurrentText(current)
        self.channel.blockSignals(False)

    def message(self, text: str) -> None:
        self.editor_message.setText(text)

    def _record(self) -> None:
        self.editor_message.clear()
        for spin in self.spins.values():
            spin.interpretText()  # a figure still being typed counts
        self.record_requested.emit(self.channel.currentText().strip(), self.spins["issued"].value(),
                                   self.spins["spoilt"].value(), self.spins["unused"].value(),
                                   self._returned(), self.explanation.text().strip())

    def _returned(self) -> int | None:
        value = self.spins["returned"].value()
        return None if value == NOT_COUNTED else value

    def _prefill(self, channel: str) -> None:
        """Start from the figures already recorded for the channel: the teller changes only what is new."""
        row = next((r for r in self._rows if r.channel == channel), None)
        if row is None:
            return
        for key, value in (("issued", row.issued), ("spoilt", row.spoilt), ("unused", row.unused),
                           ("returned", NOT_COUNTED if row.returned is None else row.returned)):
            self.spins[key].setValue(value)
        self.explanation.setText(row.explanation)

    def set_rows(self, rows: list[AccountRow], reconciles: bool, message: str) -> None:
        self._rows = list(rows)
        self._prefill(self.channel.currentText())  # after each write the form shows what is now recorded
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (row.channel, row.issued, row.spoilt, row.unused,
                      "" if row.returned is None else row.returned, "" if row.counted is None else row.counted,
                      "" if row.rejected is None else row.rejected,
                      "" if row.variance is None else f"{row.variance:+d}" if row.variance else "0", row.explanation)
            for c, v in enumerate(values):
                item = QTableWidgetItem(str(v))
                if c not in (0, 8):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 7 and row.variance:
                    item.setBackground(QColor(220, 60, 60, 90))
                self.table.setItem(r, c, item)
        self.status.setText(message)
        self.status.setStyleSheet(theme.good_style(bold=True) if reconciles else theme.alarm_style(bold=True))

    def set_waiting(self, message: str) -> None:
        """Nothing keyed yet: no verdict on the account, neither good nor bad."""
        self.status.setText(message)
        self.status.setStyleSheet("")
