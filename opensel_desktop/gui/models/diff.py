"""Double entry side by side: teller A's paper next to teller B's, each as its preferences by name, with the
preferences where they differ marked, so the teller with the physical paper looks at those only."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from opensel_desktop.gui.models.papers import PaperRow
from opensel_desktop.gui.wording import ranking_text

Index = QModelIndex | QPersistentModelIndex
RICH_ROLE = Qt.ItemDataRole.UserRole + 10  # the cell as rich text, differing preferences marked
DIFFERS_ROLE = Qt.ItemDataRole.UserRole + 11  # the preference positions (0-based) where the entries differ
MARK = "#ffd24d"  # a highlighter's yellow: readable on light and dark rows


def tr(text: str) -> str:
    return QCoreApplication.translate("DiffModel", text)


@dataclass(frozen=True, slots=True)
class DiffRow:
    number: int
    first: PaperRow | None
    second: PaperRow | None
    resolved: bool = False  # the physical paper was checked and one reading recorded

    @property
    def agrees(self) -> bool:
        a, b = self.first, self.second
        return a is not None and b is not None and (a.ranking, a.rejected) == (b.ranking, b.rejected)

    @property
    def open(self) -> bool:
        """Still to be resolved against the physical paper."""
        return not self.agrees and not self.resolved

    def differing(self) -> frozenset[int]:
        """Preference positions where the two entries name different candidates (or one has none)."""
        a = self.first.ranking if self.first is not None and not self.first.rejected else ()
        b = self.second.ranking if self.second is not None and not self.second.rejected else ()
        return frozenset(k for k in range(max(len(a), len(b)))
                         if (a[k] if k < len(a) else None) != (b[k] if k < len(b) else None))


def pair_up(first: list[PaperRow], second: list[PaperRow]) -> list[DiffRow]:
    """Line the two entries of one batch up by paper number (the papers are keyed in the same order)."""
    a = {p.number: p for p in first}
    b = {p.number: p for p in second}
    return [DiffRow(n, a.get(n), b.get(n)) for n in sorted(set(a) | set(b))]


def what_differs(row: DiffRow) -> str:
    if row.resolved:
        return tr("resolved")
    if row.agrees:
        return tr("agree")
    if row.first is None or row.second is None:
        return tr("only one entry has this paper: 1 or 2")
    if bool(row.first.rejected) != bool(row.second.rejected):
        return tr("one entry rejects it: 1 or 2")
    if row.first.rejected:
        return tr("rejected under different headings: 1 or 2")
    prefs = sorted(k + 1 for k in row.differing())
    if len(prefs) == 1:
        return tr("preference {0} differs: 1 or 2").format(prefs[0])
    return tr("preferences {0} differ: 1 or 2").format(", ".join(str(p) for p in prefs))


class DiffModel(QAbstractTableModel):
    COLUMNS = ("Paper", "First entry", "Second entry", "What differs")

    def __init__(self, names: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.names = names
        self._rows: list[DiffRow] = []

    def set_rows(self, rows: list[DiffRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[DiffRow]:
        return list(self._rows)

    def mismatches(self) -> list[DiffRow]:
        return [r for r in self._rows if r.open]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def _cell(self, paper: PaperRow | None) -> str:
        if paper is None:
            return tr("(not keyed)")
        if paper.rejected:
            return tr("rejected: {0}").format(paper.rejected)
        return ranking_text(paper.ranking, self.names)

    def _rich(self, paper: PaperRow | None, differing: frozenset[int], whole: bool) -> str:
        if paper is None or paper.rejected or not paper.ranking:
            text = html.escape(self._cell(paper))
            return f'<span style="background:{MARK}; color:#000"><b>{text}</b></span>' if whole else text
        parts = []
        for k, cand in enumerate(paper.ranking):
            name = self.names[cand] if 0 <= cand < len(self.names) else "?"
            item = html.escape(f"{k + 1} {name}")
            parts.append(f'<span style="background:{MARK}; color:#000"><b>{item}</b></span>' if k in differing
                         else item)
        missing = [k for k in differing if k >= len(paper.ranking)]
        if missing:
            parts.append(f'<span style="background:{MARK}; color:#000"><b>{html.escape(tr("(no more)"))}</b></span>')
        return " · ".join(parts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return str(row.number)
            if col == 1:
                return self._cell(row.first)
            if col == 2:
                return self._cell(row.second)
            return what_differs(row)
        if role == RICH_ROLE and col in (1, 2):
            paper = row.first if col == 1 else row.second
            whole = row.open and (row.first is None or row.second is None or
                                  bool(row.first.rejected) != bool(row.second.rejected) or
                                  (bool(row.first.rejected) and row.first.rejected != row.second.rejected))
            return self._rich(paper, row.differing() if row.open else frozenset(), whole)
        if role == DIFFERS_ROLE:
            return row.differing()
        if role == Qt.ItemDataRole.BackgroundRole and row.open and col in (0, 3):
            return QBrush(QColor(220, 60, 60, 90))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.COLUMNS[section])
        return None
