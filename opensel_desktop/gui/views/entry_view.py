"""Ranked entry screen: session banner, the ballot form on the left, the batch's papers on the right, and the
double-entry comparison underneath, where two tellers' entries of one paper stand side by side.

Mismatches are resolved from the keyboard: F2 (the window's action) puts the cursor on the first one, 1 or 2
says which entry the physical paper agrees with, and the cursor moves on to the next one by itself;
Esc goes back to the paper.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.app.core import BatchStatus
from opensel_desktop.gui import theme
from opensel_desktop.gui.models.diff import RICH_ROLE, DiffModel, DiffRow
from opensel_desktop.gui.models.papers import PaperListModel, PaperRow
from opensel_desktop.gui.views.ballot_form import BallotFormView
from opensel_desktop.gui.views.rich_delegate import RichTextDelegate
from opensel_desktop.gui.wording import batch_line, count_of, papers


def _table(name: str) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    table.setMinimumHeight(60)
    return table


class EntryView(QWidget):
    reopen_requested = Signal(int)  # F2 on a paper in the list: its number
    resolve_requested = Signal(int, str)  # 1 / 2 on a mismatch: paper number, "first" / "second" entry is right

    def __init__(self, names: tuple[str, ...], headings: tuple[str, ...], hotkeys: tuple[str, ...] = (),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Ballot entry"))
        self.banner = QLabel()
        self.banner.setAccessibleName(self.tr("Who is entering"))
        self.banner.setWordWrap(True)
        bf = QFont()
        bf.setPointSize(12)
        bf.setBold(True)
        self.banner.setFont(bf)
        self.banner.setStyleSheet("QLabel { background: #20466e; color: white; padding: 6px; }")
        self.form = BallotFormView(names, headings, hotkeys)
        self.papers = PaperListModel(names)
        self.list = _table(self.tr("Papers in this batch"))
        self.list.setModel(self.papers)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Papers keyed"))
        self.diff = DiffModel(names)
        self.diff_table = _table(self.tr("Double entry comparison"))
        self.diff_table.setModel(self.diff)
        self.diff_table.setWordWrap(True)
        self.diff_table.setItemDelegate(RichTextDelegate(RICH_ROLE, self.diff_table))
        header = self.diff_table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.diff_label = QLabel()
        self.diff_label.setAccessibleName(self.tr("Double entry status"))
        self.diff_label.setWordWrap(True)
        self.diff_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel(self.tr("This batch (F2: the list; Esc: back to the paper)")))
        rl.addWidget(self.list, 2)
        rl.addWidget(self.count_label)
        rl.addWidget(self.diff_label)
        rl.addWidget(self.diff_table, 2)
        # every batch of the meeting and its state (a single-entry batch names the officer who decided)
        self.batch_list = QListWidget()
        self.batch_list.setAccessibleName(self.tr("Batches"))
        self.batch_list.setMaximumHeight(96)
        self.batch_list.setMinimumHeight(40)
        self.batch_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # information only: keys stay on the paper
        rl.addWidget(QLabel(self.tr("Batches")))
        rl.addWidget(self.batch_list)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.form)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([640, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)
        self.list.installEventFilter(self)
        self.diff_table.installEventFilter(self)
        self.set_diff([])

    # --- keys in the lists ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or watched not in (self.list, self.diff_table):
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() == Qt.Key.Key_Escape:
            self.form.focus_box(self.form.current())
            return True
        if watched is self.diff_table and event.text() in ("1", "2"):
            idx = self.diff_table.currentIndex()
            if idx.isValid():
                row = self.diff.rows()[idx.row()]
                if row.open:
                    self.resolve_requested.emit(row.number, "first" if event.text() == "1" else "second")
            return True
        return False

    def reopen_current(self) -> bool:
        """F2 in the batch list: the paper under the cursor is keyed again (as a correction)."""
        idx = self.list.currentIndex()
        if not idx.isValid():
            return False
        self.reopen_requested.emit(self.papers.rows()[idx.row()].number)
        return True

    def focus_first_mismatch(self) -> bool:
        """Put the cursor on the first unresolved mismatch (so 1 / 2 resolve it); False if none."""
        return self.focus_next_mismatch(0)

    def focus_next_mismatch(self, after: int) -> bool:
        """The first unresolved mismatch with a paper number above `after` (else the first of all)."""
        rows = self.diff.rows()
        order = [i for i, r in enumerate(rows) if r.open and r.number > after] + \
                [i for i, r in enumerate(rows) if r.open and r.number <= after]
        if not order:
            return False
        index = self.diff.index(order[0], 1)
        self.diff_table.setCurrentIndex(index)
        self.diff_table.scrollTo(index)
        self.diff_table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def focus_papers(self) -> None:
        """The batch list with its last paper under the cursor (F2 again reopens it)."""
        n = self.papers.rowCount()
        if n:
            self.list.setCurrentIndex(self.papers.index(n - 1, 0))
            self.list.scrollToBottom()
        self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- what is shown --------------------------------------------------------------------------------

    def set_banner(self, teller: str, role: str, batch: str, mode: str) -> None:
        self.banner.setText(self.tr("At the keyboard: {0} ({1}) · batch {2} · {3}").format(teller, role, batch, mode))

    def set_papers(self, rows: list[PaperRow]) -> None:
        self.papers.set_rows(rows)
        self._count()

    def add_paper(self, row: PaperRow) -> None:
        self.papers.append(row)
        self.list.scrollToBottom()
        self._count()

    def set_batches(self, batches: Sequence[BatchStatus]) -> None:
        lines = [batch_line(b) for b in batches if not b.bundle]
        if lines != self.batch_lines():  # unchanged after most papers: leave the widget alone (keystroke speed)
            self.batch_list.clear()
            self.batch_list.addItems(lines)

    def batch_lines(self) -> list[str]:
        return [self.batch_list.item(i).text() for i in range(self.batch_list.count())]

    def set_locked(self, text: str) -> None:
        self.form.set_locked(text)

    def _count(self) -> None:
        rows = self.papers.rows()
        rejected = sum(1 for r in rows if r.rejected)
        withdrawn = sum(1 for r in rows if r.state == "withdrawn")
        if not rejected and not withdrawn:
            self.count_label.setText(self.tr("{0} keyed in this batch (0 rejected)").format(papers(len(rows))))
            return
        # the batch list counts the valid papers only: say the same figure here, so 36 and 37 never puzzle
        parts = [self.tr("{0} valid").format(len(rows) - rejected - withdrawn), self.tr("{0} rejected").format(rejected)]
        if withdrawn:
            parts.append(self.tr("{0} withdrawn").format(withdrawn))
        self.count_label.setText(self.tr("{0} keyed in this batch: {1}").format(papers(len(rows)), ", ".join(parts)))

    def set_diff(self, rows: list[DiffRow]) -> None:
        # only the papers that differ (or were resolved) are listed: the rest agree, and the list stays short
        self.diff.set_rows([r for r in rows if not r.agrees])
        self.diff_table.resizeRowsToContents()
        bad = self.diff.mismatches()
        if not rows:
            self.diff_label.setText(self.tr("Second entry not started: the batch counts only once two tellers agree."))
            self.diff_label.setStyleSheet("")
        elif bad:
            self.diff_label.setText(count_of(len(bad), self.tr(
                "1 paper differs between the two entries. F2 goes to it; look at the paper, then press 1 if the "
                "first entry is right or 2 if the second is."), self.tr(
                "{0} papers differ between the two entries. F2 goes to the first; look at each paper, then press 1 "
                "if the first entry is right or 2 if the second is.")))
            self.diff_label.setStyleSheet(theme.alarm_style(bold=True))
        else:
            self.diff_label.setText(count_of(len(rows), self.tr("Both entries agree on the paper keyed so far."),
                                             self.tr("Both entries agree on all {0} papers keyed so far.")))
            self.diff_label.setStyleSheet(theme.good_style(bold=True))
