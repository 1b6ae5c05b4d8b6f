"""The batch list: one row per paper keyed (number, its preferences by name in order, state)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from opensel_desktop.gui.wording import ranking_text

Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("PaperListModel", text)


@dataclass(frozen=True, slots=True)
class PaperRow:
    """One keyed paper as the list shows it; `ranking` holds candidate indices in preference order."""

    number: int
    ranking: tuple[int, ...]
    rejected: str | None = None  # rejection heading, if the paper was rejected
    state: str = "saved"  # "saved" | "corrected" | "mismatch" | "agreed" | "withdrawn"
    teller: str = ""


class PaperListModel(QAbstractTableModel):
    COLUMNS = ("Paper", "Preferences", "State")

    def __init__(self, names: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.names = names
        self._rows: list[PaperRow] = []

    def set_rows(self, rows: list[PaperRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append(self, row: PaperRow) -> None:
        """Appending touches one row only, so the list stays quick however long the batch is."""
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(row)
        self.endInsertRows()

    def replace_last(self, row: PaperRow) -> None:
        if not self._rows:
            return
        self._rows[-1] = row
        i = len(self._rows) - 1
        self.dataChanged.emit(self.index(i, 0), self.index(i, 2))

    def rows(self) -> list[PaperRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(row.number)
            if col == 1:
                return tr("rejected: {0}").format(row.rejected) if row.rejected else ranking_text(row.ranking, self.names)
            return state_label(row.state)
        if role == Qt.ItemDataRole.BackgroundRole and row.state == "mismatch":
            return QBrush(QColor(220, 60, 60, 90))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return tr("Paper {0}, {1}").format(row.number, self.data(index.siblingAtColumn(1)))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.COLUMNS[section])
        return None


def state_label(state: str) -> str:
    return {
        "saved": tr("saved"), "corrected": tr("corrected"), "mismatch": tr("MISMATCH"), "agreed": tr("agreed"),
        "compared": tr("rejected (compared only)"),
        "withdrawn": tr("withdrawn by the returning officer"),
    }.get(state, state)
