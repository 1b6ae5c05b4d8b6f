"""X-vote entry by bundles: candidates down, one column per bundle keyed so far plus one for the next, totals
per row and column kept live.

A cell is checked as soon as it is typed (a candidate cannot have more votes than the bundle has papers),
and a bundle is checked as a whole before it is saved (an FPTP bundle's votes are its papers; a block
vote bundle's votes are at most its papers times the places). A saved bundle's column is locked and a
new column opens; when the two tellers' entries of a bundle differ, its differing cells are marked and
the column opens again for the recounted true totals (Ctrl+R).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme
from opensel_desktop.gui.models.diff import MARK
from opensel_desktop.gui.wording import papers as papers_words
from opensel_desktop.gui.wording import votes as votes_words

Totals = tuple[tuple[int, ...], int | None]  # votes per candidate, papers in the bundle
BAD = QColor(220, 60, 60, 110)
CLEAR = QColor(0, 0, 0, 0)
SAVED = QColor(128, 128, 128, 40)


@dataclass(frozen=True, slots=True)
class BundleEntry:
    """One bundle as journaled: each teller's totals and the officer's recounted ones."""

    label: str
    first: Totals | None
    second: Totals | None
    resolved: Totals | None = None

    @property
    def differs(self) -> bool:
        return self.resolved is None and self.first is not None and self.second is not None and \
            self.first != self.second


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    title: str
    shown: Totals | None  # what this teller saved (None: a new bundle)
    other: Totals | None  # the other entry, when the two differ
    state: str  # "new" | "saved" | "differs" | "agreed"


def bundle_label(number: int) -> str:
    return f"bundle {number}"


def bundle_number(label: str) -> int | None:
    m = re.fullmatch(r"bundle (\d+)", label)
    return int(m.group(1)) if m else None


def columns_for(entries: list[BundleEntry], side: str) -> list[Column]:
    """This teller's saved bundles, in order, then one new column (the other teller's figures stay hidden
    until both entries of a bundle are saved: the second entry is blind)."""
    mine = [(e, e.first if side == "first" else e.second) for e in entries]
    mine = [(e, t) for e, t in mine if t is not None]
    mine.sort(key=lambda p: (bundle_number(p[0].label) is None, bundle_number(p[0].label) or 0, p[0].label))
    out = []
    for e, totals in mine:
        n = bundle_number(e.label)
        title = QApplication.translate("GridEntryView", "Bundle {0}").format(n) if n else e.label
        other = (e.second if side == "first" else e.first) if e.differs else None
        if e.differs:
            state = "differs"
        elif e.resolved is not None or (e.first is not None and e.second is not None):
            state = "agreed"
        else:
            state = "saved"
        out.append(Column(e.label, title, e.resolved or totals, other, state))
    numbers = [bundle_number(e.label) or 0 for e in entries if (e.first if side == "first" else e.second)]
    nxt = max(numbers, default=0) + 1
    out.append(Column(bundle_label(nxt), QApplication.translate("GridEntryView", "Bundle {0}").format(nxt),
                      None, None, "new"))
    return out


class GridEntryView(QWidget):
    """Row 0 holds each bundle's paper count; then one row per candidate; the last row and column are totals.

    `votes_per_paper` is 1 for FPTP, the number of places for block voting.
    """

    bundle_checked = Signal(int, bool)  # bundle column, adds up
    bundle_entered = Signal(str, object, int)  # bundle label, votes per candidate, papers in the bundle
    resolve_requested = Signal(str, object, int)  # Ctrl+R: the bundle's true totals after a recount of it

    STATE_WORDS = {"new": "new", "saved": "saved", "differs": "entries differ", "agreed": "agreed"}

    def __init__(self, names: tuple[str, ...], votes_per_paper: int = 1, parent: QWidget | None = None):
        super().__init__(parent)
        self.names = names
        self.votes_per_paper = votes_per_paper
        self.columns: list[Column] = []
        self.locked = False
        self.setAccessibleName(self.tr("Bundle entry grid"))
        self.table = QTableWidget(len(names) + 2, 1)
        self.table.setAccessibleName(self.tr("Votes per candidate per bundle"))
        self.table.setVerticalHeaderLabels([self.tr("Papers in bundle"), *names, self.tr("Total")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultSectionSize(120)
        self.table.setTabKeyNavigation(True)
        self.table.setMinimumHeight(120)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Bundle check"))
        self.side = QLabel(self.tr("First entry"))
        self.side.setAccessibleName(self.tr("Which entry is being keyed"))
        self.rejected = QLabel()
        self.rejected.setAccessibleName(self.tr("Rejected papers recorded"))
        self.rejected.setWordWrap(True)
        self.comparison = QListWidget()
        self.comparison.setAccessibleName(self.tr("Bundles whose two entries differ"))
        self.comparison.setMaximumHeight(80)
        self.comparison.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.comparison.hide()
        self.hint = QLabel(self.tr("Type a figure, then Down or Tab · Ctrl+Enter: save the bundle in this column · "
                                   "F2: the first difference between the two entries · Ctrl+R: record this column "
                                   "as the recounted bundle's true totals · Ctrl+J: record rejected papers"))
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(self.tr("Keys"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.side)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.comparison)
        layout.addWidget(self.rejected)
        layout.addWidget(self.hint)
        self.table.itemChanged.connect(self._changed)
        self.table.installEventFilter(self)
        self._updating = False
        self._ok: dict[int, bool] = {}
        for keys, resolve in (("Ctrl+Return", False), ("Ctrl+Enter", False), ("Ctrl+R", True)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda resolve=resolve: self.submit(self.table.currentColumn(), resolve=resolve))
        self.set_columns(columns_for([], "first"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The same keys when the window's shortcut machinery does not see them (no active window)."""
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if ctrl and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_R):
                self.submit(self.table.currentColumn(), resolve=event.key() == Qt.Key.Key_R)
                return True
        return False

    # --- the columns ------------------------------------------------------------------------------------

    def set_columns(self, columns: list[Column]) -> None:
        """One column per bundle (saved ones locked, differing ones open for the true totals), then Total."""
        self._updating = True
        try:
            self.columns = list(columns)
            rows, n = self.table.rowCount(), len(columns)
            self.table.setColumnCount(n + 1)
            titles = [f"{c.title}\n{self.tr(self.STATE_WORDS[c.state])}" for c in columns] + [self.tr("Total")]
            self.table.setHorizontalHeaderLabels(titles)
            for c, col in enumerate(columns):
                editable = not self.locked and col.state in ("new", "differs")
                for r in range(rows):
                    item = QTableWidgetItem("")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    if r == rows - 1 or not editable:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    if col.shown is not None and r < rows - 1:
                        votes, papers = col.shown
                        value = papers if r == 0 else (votes[r - 1] if r - 1 < len(votes) else 0)
                        item.setText("" if value is None else str(value))
                        other = self._other_value(col, r)
                        if other is not None and other != value:
                            item.setBackground(QBrush(QColor(MARK)))
                            item.setForeground(QBrush(QColor("#000")))
                            item.setToolTip(self.tr("The two entries differ here: {0} and {1}").format(value, other))
                        elif not editable:
                            item.setBackground(QBrush(SAVED))
                    self.table.setItem(r, c, item)
            for r in range(rows):
                item = QTableWidgetItem("")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, n, item)
            self._ok = {}
        finally:
            self._updating = False
        self._recompute()
        lines = []
        for col in columns:
            if col.state == "differs" and col.shown is not None and col.other is not None:
                lines.append(self._difference_line(col))
        self.comparison.clear()
        self.comparison.addItems(lines)
        self.comparison.setVisible(bool(lines))

    def _other_value(self, col: Column, row: int) -> int | None:
        if col.other is None:
            return None
        votes, papers = col.other
        return papers if row == 0 else (votes[row - 1] if row - 1 < len(votes) else 0)

    def _difference_line(self, col: Column) -> str:
        parts = []
        for r in range(self.table.rowCount() - 1):
            assert col.shown is not None
            mine = col.shown[1] if r == 0 else col.shown[0][r - 1]
            other = self._other_value(col, r)
            if other != mine:
                what = self.tr("papers") if r == 0 else self.names[r - 1]
                parts.append(self.tr("{0}: {1} and {2}").format(what, mine, other))
        return self.tr("{0}: the two entries differ ({1}). Recount it, key its true totals in its column, "
                       "Ctrl+R.").format(col.title, "; ".join(parts))

    def column_of(self, label: str) -> int | None:
        return next((i for i, c in enumerate(self.columns) if c.label == label), None)

    def new_column(self) -> int:
        return len(self.columns) - 1

    def focus_new(self) -> None:
        self.table.setCurrentCell(0, self.new_column())
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_first_mismatch(self) -> bool:
        """The first cell where the two entries of a bundle differ; False when none do."""
        for c, col in enumerate(self.columns):
            if col.state != "differs":
                continue
            for r in range(self.table.rowCount() - 1):
                other = self._other_value(col, r)
                assert col.shown is not None
                mine = col.shown[1] if r == 0 else col.shown[0][r - 1]
                if other != mine:
                    self.table.setCurrentCell(r, c)
                    self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
                    return True
        return False

    def set_locked(self, text: str) -> None:
        self.locked = bool(text)
        self.set_columns(self.columns)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if self.locked else
                                   QAbstractItemView.EditTrigger.AllEditTriggers)
        self.side.setText(text or self.side.text())
        if text:
            self.message.setText(text)
            self.message.setStyleSheet(theme.alarm_style(bold=True))

    def set_rejected(self, text: str) -> None:
        self.rejected.setText(text)

    def start_entry(self, text: str) -> None:
        self.side.setText(text)

    # --- saving -----------------------------------------------------------------------------------------

    def submit(self, col: int, resolve: bool = False) -> bool:
        """Hand one bundle to the window, only when it adds up (flagged before it is accepted);
        `resolve`: as the true totals of a bundle whose two entries differ."""
        editor = QApplication.focusWidget()
        if editor is not None and editor.parent() is self.table.viewport():
            self.table.commitData(editor)  # the figure still being typed counts
            self.table.closeEditor(editor, QAbstractItemView.EndEditHint.NoHint)
        if self.locked or not 0 <= col < len(self.columns):
            return False
        column = self.columns[col]
        if resolve and column.state != "differs":
            self.say(self.tr("{0}: its two entries do not differ; Ctrl+R records the true totals of a bundle "
                             "whose entries differ.").format(column.title))
            return False
        if not resolve and column.state != "new":
            self.say(self.tr("{0} is already saved. Key the next bundle in the last column.").format(column.title)
                     if column.state != "differs" else
                     self.tr("{0}: the two entries differ; key its recounted true totals and press Ctrl+R.").format(
                         column.title))
            return False
        papers = self.value(0, col)
        if papers is None or not self._ok.get(col, False):
            self.say(self.tr("{0} is not ready: give its number of papers and make the votes add up before saving "
                             "it.").format(column.title))
            return False
        rows = self.table.rowCount()
        votes = tuple(self.value(r, col) or 0 for r in range(1, rows - 1))
        (self.resolve_requested if resolve else self.bundle_entered).emit(column.label, votes, papers)
        return True

    def say(self, text: str, alarm: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(theme.alarm_style(bold=True) if alarm else "")

    def clear_column(self, col: int) -> None:
        for r in range(self.table.rowCount() - 1):
            self.table.item(r, col).setText("")

    def value(self, row: int, col: int) -> int | None:
        text = self.table.item(row, col).text().strip()
        return int(text) if text.isdigit() else None

    def set_value(self, row: int, col: int, value: int) -> None:
        self.table.item(row, col).setText(str(value))

    # --- live checks --------------------------------------------------------------------------------------

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
        problems: list[str] = []
        bad: set[tuple[int, int]] = set()
        for r in range(rows - 1):
            for c in range(bundles):
                text = self.table.item(r, c).text().strip()
                if text and not text.isdigit():
                    bad.add((r, c))
                    problems.append(self.tr("Only whole numbers can be entered; the red cell is not one."))
        for c in range(bundles):
            papers = self.value(0, c)
            title = self.columns[c].title if c < len(self.columns) else str(c + 1)
            if papers is None:
                continue
            for r in range(1, rows - 1):
                v = self.value(r, c)
                if v is not None and v > papers:  # caught as typed, not only when the bundle is saved
                    bad.add((r, c))
                    problems.append(self.tr("{0}: {1} has {2} but the bundle has only {3}.").format(
                        title, self.names[r - 1], votes_words(v), papers_words(papers)))
        for r in range(rows - 1):
            for c in range(bundles):
                item = self.table.item(r, c)
                if (r, c) in bad:
                    item.setBackground(QBrush(BAD))
                elif item.background().color() == BAD:
                    item.setBackground(QBrush(CLEAR))
        for r in range(1, rows - 1):
            total = sum(self.value(r, c) or 0 for c in range(bundles))
            self.table.item(r, cols - 1).setText(str(total))
        for c in range(cols):
            total = sum(self.value(r, c) or 0 for r in range(1, rows - 1)) if c < bundles else \
                sum(self.value(r, cols - 1) or 0 for r in range(1, rows - 1))
            self.table.item(rows - 1, c).setText(str(total))
        self.table.item(0, cols - 1).setText(str(sum(self.value(0, c) or 0 for c in range(bundles))))
        for c in range(bundles):
            papers = self.value(0, c)
            if papers is None:
                continue
            votes = sum(self.value(r, c) or 0 for r in range(1, rows - 1))
            ok = votes <= papers * self.votes_per_paper and (self.votes_per_paper > 1 or votes == papers) and \
                not any((r, c) in bad for r in range(rows - 1))
            self._ok[c] = ok
            total = self.table.item(rows - 1, c)
            total.setBackground(QBrush(CLEAR if ok else BAD))
            if not ok and not any(cc == c for _, cc in bad):
                title = self.columns[c].title if c < len(self.columns) else str(c + 1)
                if self.votes_per_paper > 1:
                    problems.append(self.tr("{0}: {1} for {2}: at most {3}; recount the bundle.").format(
                        title, votes_words(votes), papers_words(papers), votes_words(papers * self.votes_per_paper)))
                else:
                    problems.append(self.tr("{0}: {1} for {2}; recount the bundle.").format(
                        title, votes_words(votes), papers_words(papers)))
            self.bundle_checked.emit(c, ok)
        problems = list(dict.fromkeys(problems))
        if problems:
            self.say(" ".join(problems))
        elif not self.locked:
            self.say(self.tr("Every bundle adds up."), alarm=False)
