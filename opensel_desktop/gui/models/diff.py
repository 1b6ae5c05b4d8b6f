"""Double entry side by side: teller A's paper next to teller B's, mismatches first to the eye."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from opensel_desktop.gui.models.papers import PaperRow, summary

Index = QModelIndex | QPersistentModelIndex


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


def pair_up(first: list[PaperRow], second: list[PaperRow]) -> list[DiffRow]:
    """Line the two entries of one batch up by paper number (the papers are keyed in the same order)."""
    a = {p.number: p for p in first}
    b = {p.number: p for p in second}
    return [DiffRow(n, a.get(n), b.get(n)) for n in sorted(set(a) | set(b))]


class DiffModel(QAbstractTableModel):
    COLUMNS = ("Paper", "First entry", "Second entry", "")

    def __init__(self, ncand: int, parent=None):
        super().__init__(parent)
        self.ncand = ncand
        self._rows: list[DiffRow] = []

    def set_rows(self, rows: list[DiffRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[DiffRow]:
        return list(self._rows)

    def mismatches(self) -> list[DiffRow]:
        return [r for r in self._rows if not r.agrees and not r.resolved]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def _cell(self, paper: PaperRow | None) -> str:
        if paper is None:
            return tr("(not keyed)")
        if paper.rejected:
            return tr("rejected: {0}").format(paper.rejected)
        return summary(paper.ranking, self.ncand)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(row.number)
            if col == 1:
                return self._cell(row.first)
            if col == 2:
                return self._cell(row.second)
            if row.resolved:
                return tr("resolved")
            return tr("agree") if row.agrees else tr("DIFFERENT: check the paper")
        if role == Qt.ItemDataRole.BackgroundRole and not row.agrees and not row.resolved:
            return QBrush(QColor(220, 60, 60, 90))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.COLUMNS[section])
        return None
