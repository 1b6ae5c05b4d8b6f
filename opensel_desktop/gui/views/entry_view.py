"""Ranked entry screen: session banner, the ballot form on the left, the batch list on the right,
and the double-entry comparison underneath (UX.md "Entry (ranked)" and principle 4)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme
from opensel_desktop.gui.models.diff import DiffModel, DiffRow
from opensel_desktop.gui.models.papers import PaperListModel, PaperRow
from opensel_desktop.gui.views.ballot_form import BallotFormView


class EntryView(QWidget):
    reopen_requested = Signal(int)  # F2 on a paper in the list: its number
    resolve_requested = Signal(int, str)  # 1 / 2 on a mismatch: paper number, "first" / "second" entry is right

    def __init__(self, names: tuple[str, ...], headings: tuple[str, ...], hotkeys: tuple[str, ...] = (),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Ballot entry"))
        self.banner = QLabel()
        self.banner.setAccessibleName(self.tr("Who is entering"))
        bf = QFont()
        bf.setPointSize(12)
        bf.setBold(True)
        self.banner.setFont(bf)
        self.banner.setStyleSheet("QLabel { background: #20466e; color: white; padding: 6px; }")
        self.form = BallotFormView(names, headings, hotkeys)
        self.papers = PaperListModel(len(names))
        self.list = QTableView()
        self.list.setModel(self.papers)
        self.list.setAccessibleName(self.tr("Papers in this batch"))
        self.list.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.verticalHeader().hide()
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Papers keyed"))
        self.diff = DiffModel(len(names))
        self.diff_table = QTableView()
        self.diff_table.setModel(self.diff)
        self.diff_table.setAccessibleName(self.tr("Double entry comparison"))
        self.diff_table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.diff_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.diff_table.horizontalHeader().setStretchLastSection(True)
        self.diff_table.verticalHeader().hide()
        self.diff_label = QLabel()
        self.diff_label.setAccessibleName(self.tr("Double entry status"))
        self.diff_label.setWordWrap(True)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel(self.tr("This batch")))
        rl.addWidget(self.list, 2)
        rl.addWidget(self.count_label)
        rl.addWidget(self.diff_label)
        rl.addWidget(self.diff_table, 1)
        # every batch of the meeting and its state (a single-entry batch names the officer who decided)
        self.batch_list = QListWidget()
        self.batch_list.setAccessibleName(self.tr("Batches"))
        self.batch_list.setMaximumHeight(120)
        self.batch_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # information only: keys stay on the paper
        rl.addWidget(QLabel(self.tr("Batches")))
        rl.addWidget(self.batch_list)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.form)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([640, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        row = QHBoxLayout()
        row.addWidget(split)
        layout.addLayout(row, 1)
        self.list.installEventFilter(self)
        self.diff_table.installEventFilter(self)
        self.diff_label.setToolTip(self.tr("In the comparison: 1 = the first entry is right, 2 = the second is"))
        self.set_diff([])

    def eventFilter(self, watched, event) -> bool:
        from PySide6.QtCore import QEvent

        if event.type() != QEvent.Type.KeyPress:
            return False
        if watched is self.list and event.key() == Qt.Key.Key_F2:
            idx = self.list.currentIndex()
            if idx.isValid():
                self.reopen_requested.emit(self.papers.rows()[idx.row()].number)
            return True
        if watched is self.diff_table and event.text() in ("1", "2"):
            idx = self.diff_table.currentIndex()
            if idx.isValid():
                row = self.diff.rows()[idx.row()]
                if not row.agrees and not row.resolved:
                    self.resolve_requested.emit(row.number, "first" if event.text() == "1" else "second")
            return True
        return False

    def focus_first_mismatch(self) -> bool:
        """Put the cursor on the first unresolved mismatch (so 1 / 2 resolve it); False if none."""
        for i, row in enumerate(self.diff.rows()):
            if not row.agrees and not row.resolved:
                self.diff_table.setCurrentIndex(self.diff.index(i, 0))
                self.diff_table.setFocus()
                return True
        return False

    def set_banner(self, teller: str, role: str, batch: str, mode: str) -> None:
        self.banner.setText(self.tr("At the keyboard: {0} ({1}) · batch {2} · {3}").format(teller, role, batch, mode))

    def set_papers(self, rows: list[PaperRow]) -> None:
        self.papers.set_rows(rows)
        self._count()

    def add_paper(self, row: PaperRow) -> None:
        self.papers.append(row)
        self.list.scrollToBottom()
        self._count()

    def set_batches(self, lines: list[str]) -> None:
        if lines != self.batch_lines():  # unchanged after most papers: leave the widget alone (keystroke speed)
            self.batch_list.clear()
            self.batch_list.addItems(lines)

    def batch_lines(self) -> list[str]:
        return [self.batch_list.item(i).text() for i in range(self.batch_list.count())]

    def _count(self) -> None:
        rows = self.papers.rows()
        rejected = sum(1 for r in rows if r.rejected)
        self.count_label.setText(self.tr("{0} papers keyed in this batch ({1} rejected)").format(len(rows), rejected))

    def set_diff(self, rows: list[DiffRow]) -> None:
        # only the papers that differ (or were resolved) are listed: the rest agree, and the list stays short
        self.diff.set_rows([r for r in rows if not r.agrees])
        bad = self.diff.mismatches()
        if not rows:
            self.diff_label.setText(self.tr("Second entry not started: the batch counts only once two tellers agree."))
            self.diff_label.setStyleSheet("")
        elif bad:
            self.diff_label.setText(self.tr("{0} papers differ between the two entries. Find each paper, then in "
                                            "the list press 1 if the first entry is right or 2 if the second "
                                            "is.").format(len(bad)))
            self.diff_label.setStyleSheet(theme.alarm_style(bold=True))
        else:
            self.diff_label.setText(self.tr("Both entries agree on all {0} papers.").format(len(rows)))
            self.diff_label.setStyleSheet(theme.good_style(bold=True))
