"""X-vote / bundle entry (UX.md "Entry (X-votes / bundles)"): candidates down, bundles across,
totals per row and column kept live; a bundle whose votes do not fit its paper count is flagged."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme


class GridEntryView(QWidget):
    """Row 0 holds each bundle's paper count; then one row per candidate; the last row and column are totals.

    `votes_per_paper` is 1 for FPTP, the number of places for block voting.
    """

    bundle_checked = Signal(int, bool)  # bundle column, adds up
    bundle_entered = Signal(int, object, int)  # bundle column, votes per candidate, papers in the bundle
    resolve_requested = Signal(int, object, int)  # Ctrl+R: the bundle's true totals after a recount of it

    def __init__(self, names: tuple[str, ...], bundles: int = 4, votes_per_paper: int = 1,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.names = names
        self.votes_per_paper = votes_per_paper
        self.setAccessibleName(self.tr("Bundle entry grid"))
        self.table = QTableWidget(len(names) + 2, bundles + 1)
        self.table.setAccessibleName(self.tr("Votes per candidate per bundle"))
        self.table.setVerticalHeaderLabels([self.tr("Papers in bundle"), *names, self.tr("Total")])
        self.table.setHorizontalHeaderLabels([self.tr("Bundle {0}").format(b + 1) for b in range(bundles)]
                                             + [self.tr("Total")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(True)
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = QTableWidgetItem("")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if r == self.table.rowCount() - 1 or c == self.table.columnCount() - 1:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Bundle check"))
        self.side = QLabel(self.tr("First entry"))
        self.side.setAccessibleName(self.tr("Which entry is being keyed"))
        self.comparison = QListWidget()
        self.comparison.setAccessibleName(self.tr("Bundles whose two entries differ"))
        self.comparison.setMaximumHeight(110)
        self.comparison.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.side)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addWidget(self.comparison)
        self.table.itemChanged.connect(self._changed)
        self.table.installEventFilter(self)
        self._updating = False
        self._ok: dict[int, bool] = {}
        hint = QLabel(self.tr("Tab / arrows: move · type the figure · Ctrl+Enter: save the bundle in this column · "
                              "Ctrl+R: record this column as the recounted bundle's true totals"))
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submit(self.table.currentColumn())
            return True
        if watched is self.table and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_R and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submit(self.table.currentColumn(), resolve=True)
            return True
        return False

    def submit(self, col: int, resolve: bool = False) -> bool:
        """Hand one bundle to the window, only when it adds up (flagged before it is accepted);
        `resolve`: as the true totals of a bundle whose two entries differ."""
        rows = self.table.rowCount()
        if not 0 <= col < self.table.columnCount() - 1:
            return False
        papers = self.value(0, col)
        if papers is None or not self._ok.get(col, False):
            self.message.setText(self.tr("Bundle {0} is not ready: give its number of papers and make the votes "
                                         "add up before saving it.").format(col + 1))
            self.message.setStyleSheet(theme.alarm_style(bold=True))
            return False
        votes = tuple(self.value(r, col) or 0 for r in range(1, rows - 1))
        (self.resolve_requested if resolve else self.bundle_entered).emit(col, votes, papers)
        return True

    def start_entry(self, text: str) -> None:
        """A new entry begins (the second teller's, blind): every bundle column is cleared."""
        self.side.setText(text)
        for c in range(self.table.columnCount() - 1):
            self.clear_column(c)
        self._ok.clear()

    def set_comparison(self, lines: list[str]) -> None:
        """The bundles whose two entries differ, one line each (hidden when there are none)."""
        self.comparison.clear()
        self.comparison.addItems(lines)
        self.comparison.setVisible(bool(lines))

    def clear_column(self, col: int) -> None:
        for r in range(self.table.rowCount() - 1):
            self.table.item(r, col).setText("")

    def value(self, row: int, col: int) -> int | None:
        text = self.table.item(row, col).text().strip()
        return int(text) if text.isdigit() else None

    def set_value(self, row: int, col: int, value: int) -> None:
        self.table.item(row, col).setText(str(value))

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self._recompute()
        finally:
            self._updating = False

    def _recompute(self) -> None:
        rows, cols = self.table.rowCount(), self.table.columnCount()
        bundles = cols - 1
        problems = []
        bad_text = False
        for r in range(rows - 1):
            for c in range(bundles):
                text = self.table.item(r, c).text().strip()
                if text and not text.isdigit():
                    self.table.item(r, c).setBackground(QColor(220, 60, 60, 110))
                    bad_text = True
                else:
                    self.table.item(r, c).setBackground(QColor(0, 0, 0, 0))
        for r in range(1, rows - 1):
            total = sum(self.value(r, c) or 0 for c in range(bundles))
            self.table.item(r, cols - 1).setText(str(total))
        for c in range(cols):
            total = sum(self.value(r, c) or 0 for r in range(1, rows - 1)) if c < bundles else \
                sum(self.value(r, cols - 1) or 0 for r in range(1, rows - 1))
            self.table.item(rows - 1, c).setText(str(total))
        papers_total = sum(self.value(0, c) or 0 for c in range(bundles))
        self.table.item(0, cols - 1).setText(str(papers_total))
        for c in range(bundles):
            papers = self.value(0, c)
            votes = sum(self.value(r, c) or 0 for r in range(1, rows - 1))
            if papers is None:
                continue
            ok = votes <= papers * self.votes_per_paper and (self.votes_per_paper > 1 or votes == papers)
            self._ok[c] = ok
            header = self.table.item(rows - 1, c)
            header.setBackground(QColor(0, 0, 0, 0) if ok else QColor(220, 60, 60, 110))
            if not ok:
                problems.append(self.tr("Bundle {0}: {1} votes for {2} papers; recount the bundle.").format(
                    c + 1, votes, papers))
            self.bundle_checked.emit(c, ok)
        if bad_text:
            problems.insert(0, self.tr("Only whole numbers can be entered; the red cell is not one."))
        self.message.setText(" ".join(problems) if problems else self.tr("Every bundle adds up."))
        self.message.setStyleSheet(theme.alarm_style(bold=True) if problems else "")
