"""The import dialog's table (teller stations' batch files): one row per chosen batch file and what the app says of it.

Rows are the app's own `BatchFileStatus` values (app/stations.py); this model only lays them out, so
the words on screen are the app's sentences (screen and paper say the same), without the file's folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from opensel_desktop.app.stations import MERGED, READY, REFUSED, BatchFileStatus
from opensel_desktop.gui import theme
from opensel_desktop.gui.errors import error_text

Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("BatchFileModel", text)


def reason(status: BatchFileStatus) -> str:
    """The app's sentence without the "<path>: " it starts with (tellers see no paths), worded for the window."""
    return error_text(status.message, status.path)


class BatchFileModel(QAbstractTableModel):
    COLUMNS = ("File", "Station", "Batch", "Papers", "Status", "Why")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[BatchFileStatus] = []

    def set_rows(self, rows: list[BatchFileStatus]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[BatchFileStatus]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (Path(row.path).name, row.station, row.batch, "" if row.papers is None else str(row.papers),
                    tr(row.status), reason(row))[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return reason(row)
        if role == Qt.ItemDataRole.ForegroundRole and col == 4:
            if row.status == REFUSED:
                return QBrush(theme.alarm_colour())
            if row.status in (MERGED, READY):
                return QBrush(QColor(theme.good()))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
