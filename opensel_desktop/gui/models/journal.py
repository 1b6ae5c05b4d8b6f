"""The auditor's journal table with filters by teller and event type (read-only)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("JournalModel", text)


@dataclass(frozen=True, slots=True)
class JournalRow:
    """One journal event as the auditor reads it; built by the app from the store's events."""

    seq: int
    when: str
    who: str
    kind: str
    summary: str
    batch: str = ""
    corrects: int | None = None  # the event this one corrects
    verified: bool = True  # hash chain (and signature, where there is one) holds at this event


class JournalModel(QAbstractTableModel):
    COLUMNS = ("#", "When", "Who", "Event", "Batch", "What", "Chain")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[JournalRow] = []

    def set_rows(self, rows: list[JournalRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def tellers(self) -> list[str]:
        return sorted({r.who for r in self._rows})

    def kinds(self) -> list[str]:
        return sorted({r.kind for r in self._rows})

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            what = r.summary
            if r.corrects is not None:
                what = tr("{0} (corrects #{1})").format(what, r.corrects)
            values = (str(r.seq), r.when, r.who, r.kind.replace("_", " "), r.batch, what, tr("ok") if r.verified else tr("BROKEN"))
            return values[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and not r.verified:
            return QBrush(QColor(220, 60, 60, 110))
        if role == Qt.ItemDataRole.UserRole:
            return r
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.COLUMNS[section])
        return None


class JournalFilter(QSortFilterProxyModel):
    """Filter by teller and by event type; empty = all."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.teller = ""
        self.kind = ""

    def set_filters(self, teller: str = "", kind: str = "") -> None:
        self.beginFilterChange()
        self.teller, self.kind = teller, kind
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        row = self.sourceModel().index(source_row, 0, source_parent).data(Qt.ItemDataRole.UserRole)
        if row is None:
            return False
        return (not self.teller or row.who == self.teller) and (not self.kind or row.kind == self.kind)
