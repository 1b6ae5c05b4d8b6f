"""The stage table: candidates down, stages across, read straight from one `Result`, so the screen and the
printed sheet cannot disagree (the screen leaves out the rulebook's paragraph marks)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from opensel_desktop.engine.result import Result
from opensel_desktop.gui.wording import teller_text

Index = QModelIndex | QPersistentModelIndex
ELECTED_ROLE = Qt.ItemDataRole.UserRole + 1


def tr(text: str) -> str:
    return QCoreApplication.translate("StageTableModel", text)


class StageTableModel(QAbstractTableModel):
    """Rows: each candidate, then non-transferable and quota. Columns: one per stage.

    A cell shows the total at the end of the stage; the tooltip shows the change (+/-) in it.
    """

    def __init__(self, result: Result | None = None, parent=None):
        super().__init__(parent)
        self._result = result

    def set_result(self, result: Result | None) -> None:
        self.beginResetModel()
        self._result = result
        self.endResetModel()

    @property
    def result(self) -> Result | None:
        return self._result

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        if parent.isValid() or self._result is None:
            return 0
        return len(self._result.names) + 2

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._result is None:
            return 0
        return len(self._result.stages)

    def _row_value(self, row: int, col: int) -> tuple[int | None, int | None]:
        """(value at the end of stage `col`, value at the end of the stage before) for a row."""
        r = self._result
        assert r is not None
        st = r.stages[col]
        before = r.stages[col - 1] if col > 0 else None
        n = len(r.names)
        if row < n:
            name = r.names[row]
            prev = before.votes.get(name, 0) if before else None
            return st.votes.get(name), prev
        if row == n:
            return st.non_transferable, before.non_transferable if before else None
        return st.quota, None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        r = self._result
        if r is None or not index.isValid():
            return None
        row, col = index.row(), index.column()
        st = r.stages[col]
        n = len(r.names)
        value, prev = self._row_value(row, col)
        name = r.names[row] if row < n else None
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return ""
            mark = ""
            if name in st.elected:
                mark = " " + tr("elected")
            elif name in st.excluded:
                mark = " " + tr("excluded")
            return r.fmt(value) + mark
        if role == Qt.ItemDataRole.ToolTipRole:
            if value is None or prev is None:
                return None
            diff = value - prev
            return tr("Change this stage: {0}").format(("+" if diff >= 0 else "") + r.fmt(diff))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and name is not None and (name in st.elected or name in r.elected
                                                                      and col == len(r.stages) - 1):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and name is not None:
            if name in st.elected:
                return QBrush(QColor(46, 160, 67, 70))
            if name in st.excluded:
                return QBrush(QColor(200, 60, 60, 50))
        if role == ELECTED_ROLE and name is not None:
            return name in r.elected
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        r = self._result
        if r is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            st = r.stages[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return teller_text(st.reason)
            return tr("Stage {0}\n{1}").format(st.number, action_label(st.action, st.subjects))
        n = len(r.names)
        if section < n:
            return r.names[section]
        return tr("Non-transferable") if section == n else tr("Quota")

    def reasons(self) -> list[str]:
        """Each stage's plain-English reason, as the engine worded it (the PDF prints the same)."""
        if self._result is None:
            return []
        return [tr("Stage {0}: {1}").format(s.number, teller_text(s.reason)) for s in self._result.stages]


def action_label(action: str, subjects: tuple[str, ...]) -> str:
    labels = {
        "first": tr("First preferences"),
        "surplus": tr("Surplus of {0}"),
        "exclusion": tr("Exclusion of {0}"),
        "bulk_exclusion": tr("Exclusion of {0}"),
        "deferral": tr("Deferral"),
        "lot": tr("Lot"),
        "constraint": tr("Constraint"),
        "election": tr("Election"),
        "round": tr("Round"),
    }
    return labels.get(action, action).format(", ".join(subjects))
