"""Auditor: the journal with filters, chain and signature status, recount and diff.

Read-only by construction: this view has no edit actions at all (absent, not disabled)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme
from opensel_desktop.gui.models.journal import JournalFilter, JournalModel, JournalRow


class AuditorView(QWidget):
    recount_requested = Signal()
    pdf_check_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Auditor"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Chain and signature status"))
        sf = QFont()
        sf.setPointSize(13)
        sf.setBold(True)
        self.status.setFont(sf)
        self.model = JournalModel()
        self.proxy = JournalFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Journal"))
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.teller = QComboBox()
        self.teller.setAccessibleName(self.tr("Filter by teller"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Filter by event"))
        for combo in (self.teller, self.kind):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.teller.currentIndexChanged.connect(self._filter)
        self.kind.currentIndexChanged.connect(self._filter)
        self.recount = QPushButton(self.tr("&Recount now and compare with the declared result"))
        self.recount.setAccessibleName(self.tr("Recount now"))
        self.recount.clicked.connect(self.recount_requested)
        self.check_pdf = QPushButton(self.tr("Check a signed &PDF…"))
        self.check_pdf.setAccessibleName(self.tr("Check a signed result sheet"))
        self.check_pdf.clicked.connect(self.pdf_check_requested)
        self.diff = QListWidget()
        self.diff.setAccessibleName(self.tr("Recount compared with the declared result"))
        self.diff.setMaximumHeight(140)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Teller:")))
        filters.addWidget(self.teller)
        filters.addWidget(QLabel(self.tr("Event:")))
        filters.addWidget(self.kind)
        filters.addStretch(1)
        filters.addWidget(self.check_pdf)
        filters.addWidget(self.recount)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("AUDITOR · read-only: nothing here can change the contest")))
        layout.addWidget(self.status)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.diff)

    def set_journal(self, rows: list[JournalRow]) -> None:
        self.model.set_rows(rows)
        for combo, values, all_text in ((self.teller, self.model.tellers(), self.tr("all tellers")),
                                        (self.kind, self.model.kinds(), self.tr("all events"))):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_text, "")
            for v in values:
                combo.addItem(v.replace("_", " "), v)
            combo.blockSignals(False)
        self._filter()

    def set_status(self, ok: bool, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(theme.good_style() if ok else theme.alarm_style())

    def set_working(self, text: str) -> None:
        """A check is under way in the background: say so where its answer will appear."""
        self.diff.clear()
        self.diff.addItem(text)

    def set_diff(self, same: bool, lines: list[str]) -> None:
        self.diff.clear()
        if same:
            self.diff.addItem(self.tr("The recount gives exactly the declared result, stage by stage."))
        self.diff.addItems(lines)

    def _filter(self) -> None:
        self.proxy.set_filters(self.teller.currentData() or "", self.kind.currentData() or "")
