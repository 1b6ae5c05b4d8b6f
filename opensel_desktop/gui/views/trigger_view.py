"""Unit returns of a trigger ballot: each unit's current return, a form to enter the next one, and
the running tally with whether the threshold is met, refreshed after every save.

The view reads and writes through the app's Session only (`enter_unit_return`, `trigger_status`,
`trigger_section`); the tally wording is the app's `TriggerStatus.lines()`, the same the CLI prints. A
changed return needs a reason and never overwrites the earlier one (the journal keeps both).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.app import returns
from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import Session
from opensel_desktop.app.errors import AppError
from opensel_desktop.gui.errors import error_text, show_error

# what people call each decision; the app's words are yes / no / none
DECISIONS = (("yes", "Yes: hold a selection"), ("no", "No"), ("none", "Did not vote"))
SAID = {"yes": "Yes", "no": "No", "none": "Did not vote"}
Index = QModelIndex | QPersistentModelIndex


class UnitReturnsModel(QAbstractTableModel):
    """One row per unit: class, unit, current decision, number of returns, who reported the latest."""

    HEADERS = ("Class", "Unit", "Current return", "Returns", "Reported by", "Reason")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[tuple[str, str, list[dict[str, Any]]]] = []

    def set_section(self, section: dict[str, Any]) -> None:
        self.beginResetModel()
        self.rows = [(k["name"], u["name"], list(u.get("returns") or ()))
                     for k in section.get("classes") or () for u in k.get("units") or ()]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        klass, unit, returns = self.rows[index.row()]
        latest = returns[-1] if returns else {}
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole history, oldest first
            return "\n".join(f"{SAID.get(r['decision'], r['decision'])}"
                             + (f" (reported by {r['reported_by']})" if r.get("reported_by") else "")
                             + (f": {r['reason']}" if r.get("reason") else "") for r in returns) or None
        col = index.column()
        if col == 0:
            return klass
        if col == 1:
            return unit
        if col == 2:
            return SAID.get(latest.get("decision", ""), self.tr("No return yet"))
        if col == 3:
            return str(len(returns))
        if col == 4:
            return latest.get("reported_by", "")
        return latest.get("reason", "")


class TriggerView(QWidget):
    """The "Unit returns" tab of a trigger ballot."""

    saved = Signal(object)  # the app's Changes, after the return is committed

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model = UnitReturnsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Units and their current returns"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)  # the reason column takes what is left
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.clicked.connect(lambda index: self.unit_box.setCurrentIndex(index.row()))

        self.unit_box = QComboBox()
        self.unit_box.setAccessibleName(self.tr("Unit"))
        self.unit_box.currentIndexChanged.connect(lambda _i: self._hint_reason())
        self.decision_box = QComboBox()
        self.decision_box.setAccessibleName(self.tr("Decision"))
        for key, text in DECISIONS:
            self.decision_box.addItem(self.tr(text), key)
        self.reported_by = QLineEdit()
        self.reported_by.setAccessibleName(self.tr("Reported by"))
        self.reported_by.setPlaceholderText(self.tr("who reported it, e.g. Branch secretary"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.save_button = QPushButton(self.tr("&Save return"))
        self.save_button.clicked.connect(self.save)
        for edit in (self.reported_by, self.reason):
            edit.returnPressed.connect(self.save)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Message"))

        form = QFormLayout()
        form.addRow(self.tr("&Unit"), self.unit_box)
        form.addRow(self.tr("&Decision"), self.decision_box)
        form.addRow(self.tr("Reported &by"), self.reported_by)
        form.addRow(self.tr("&Reason"), self.reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        form.addRow(self.message)
        entry = QGroupBox(self.tr("Enter a return"))
        entry.setLayout(form)

        self.tally = QLabel()
        self.tally.setWordWrap(True)
        self.tally.setAccessibleName(self.tr("Running tally"))
        self.threshold = QLabel()
        self.threshold.setWordWrap(True)
        self.threshold.setAccessibleName(self.tr("Threshold"))
        tally_box = QGroupBox(self.tr("Running tally"))
        tally_layout = QVBoxLayout(tally_box)
        tally_layout.addWidget(self.tally)
        tally_layout.addWidget(self.threshold)

        side = QVBoxLayout()
        side.addWidget(entry)
        side.addWidget(tally_box)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(side, 2)
        self.refresh()

    @property
    def triggered(self) -> bool:
        return returns.trigger_status(self.session).triggered

    def refresh(self) -> None:
        """Re-read the units and the tally from the session (after our save or another window's)."""
        section = returns.trigger_plain(self.session.replay)
        self.model.set_section(section)
        chosen = self.unit_box.currentIndex()
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        for klass, unit, _returns in self.model.rows:
            self.unit_box.addItem(f"{unit} ({klass})", (klass, unit))
        self.unit_box.setCurrentIndex(max(0, min(chosen, self.unit_box.count() - 1)))
        self.unit_box.blockSignals(False)
        self._hint_reason()
        try:
            status = returns.trigger_status(self.session)
        except AppError as exc:
            self.tally.setText(error_text(exc, self.session.path))
            self.threshold.clear()
            return
        *classes, verdict = status.lines()
        self.tally.setText("\n".join(classes))
        self.threshold.setText(verdict)
        colour = "#2e7d32" if status.triggered else "#9a6700"  # words carry the state too, never colour alone
        self.threshold.setStyleSheet(f"font-weight: bold; color: {colour}")
        locked = self.session.state == "declared"
        for widget in (self.unit_box, self.decision_box, self.reported_by, self.reason, self.save_button):
            widget.setEnabled(not locked)
        if locked:
            self.message.setText(self.tr("The result is declared: no more returns can be entered."))

    def save(self) -> None:
        data = self.unit_box.currentData()
        if not data:
            return
        klass, unit = data
        try:
            changes: Changes = returns.enter_unit_return(self.session, 
                unit, str(self.decision_box.currentData()), self.reported_by.text(),
                reason=self.reason.text() or None, unit_class=klass)
        except AppError as exc:
            show_error(self.message, exc, self.session.path)
            return
        self.reason.clear()
        self.message.setText(changes.message)
        self.refresh()
        self.saved.emit(changes)

    def _hint_reason(self) -> None:
        row = self.unit_box.currentIndex()
        has_return = 0 <= row < len(self.model.rows) and bool(self.model.rows[row][2])
        self.reason.setPlaceholderText(self.tr("required: this unit already has a return (late, disputed, "
                                               "corrected)") if has_return else self.tr("optional"))
