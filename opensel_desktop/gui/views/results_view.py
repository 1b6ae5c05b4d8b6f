"""Results: first-preference chart, stage table with each stage's reason, PROVISIONAL until declared."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.contest.result_io import lot_line
from opensel_desktop.engine.result import Result
from opensel_desktop.gui import theme
from opensel_desktop.gui.models.stage_table import StageTableModel
from opensel_desktop.gui.views.chart import BarChartView
from opensel_desktop.gui.wording import teller_text


class ResultsView(QWidget):
    def __init__(self, parent: QWidget | None = None, large: bool = False):
        super().__init__(parent)
        self.declared = False
        self.result: Result | None = None
        self.setAccessibleName(self.tr("Results"))
        self.banner = QLabel()
        self.banner.setAccessibleName(self.tr("Result status"))
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bf = QFont()
        bf.setPointSize(28 if large else 16)
        bf.setBold(True)
        self.banner.setFont(bf)
        self.elected = QLabel()
        self.elected.setAccessibleName(self.tr("Elected"))
        self.elected.setWordWrap(True)
        ef = QFont()
        ef.setPointSize(24 if large else 13)
        self.elected.setFont(ef)
        self.chart = BarChartView()
        self.model = StageTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Stage table"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(80)
        self.reasons = QListWidget()
        self.reasons.setAccessibleName(self.tr("Reasons for each stage"))
        self.reasons.setWordWrap(True)
        if large:
            for w in (self.chart, self.table, self.reasons):
                f = QFont()
                f.setPointSize(20)
                w.setFont(f)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Count progress"))
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel count"))
        self.cancel_button.setAccessibleName(self.tr("Cancel count"))
        self.cancel_button.hide()

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        split.addWidget(self.table)
        split.addWidget(self.reasons)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.elected)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(split, 1)
        self.show_result(None)

    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)

    def reset(self) -> None:
        """No contest: no result, no chart, no quota line, not busy."""
        self.declared = False
        self.set_busy(False)
        self.show_result(None)

    def set_declared(self, declared: bool) -> None:
        self.declared = declared
        self.show_result(self.result)

    def show_first_preferences(self, names: tuple[str, ...], totals: list[int]) -> None:
        """Live tally while papers are keyed, before any count has been run."""
        self.chart.caption = self.tr("First preferences")
        self.chart.set_data(list(zip(names, totals, strict=True)))

    def show_result(self, result: Result | None) -> None:
        self.result = result
        self.model.set_result(result)
        self.reasons.clear()
        if result is None:
            self.banner.setText(self.tr("No count yet"))
            self.banner.setStyleSheet("")
            self.elected.setText("")
            self.chart.watermark = ""
            self.chart.caption = ""
            self.chart.set_data([])  # no bars, no quota line: nothing of an earlier contest stays
            return
        # the bars end where the count ended: an elected candidate's bar reaches the quota line (the stage
        # table gives every stage, first preferences included)
        last = result.stages[-1] if result.stages else None
        bars = [(n, last.votes.get(n, 0) if last else 0) for n in result.names]
        self.chart.caption = "" if len(result.stages) < 2 else self.tr(
            "Votes at the last stage (stage {0})").format(len(result.stages))
        self.chart.set_data(bars, result.places, result.quota or None,
                            self.tr("quota {0}").format(result.fmt(result.quota)) if result.quota else "",
                            set(result.elected))
        self.reasons.addItems(self.model.reasons())
        self.table.resizeRowsToContents()
        for lot in result.lots:  # the same sentence as the printed sheet and the command line
            self.reasons.addItem(teller_text(lot_line(lot)))
        names = ", ".join(result.elected) if result.elected else self.tr("nobody")
        self.elected.setText(self.tr("Elected: {0}").format(names))
        if self.declared:
            self.banner.setText(self.tr("DECLARED RESULT"))
            self.banner.setStyleSheet(theme.good_style())
            self.chart.watermark = ""
        else:
            what_if = self.tr(" · WHAT-IF") if result.what_if else ""
            self.banner.setText(self.tr("PROVISIONAL: not yet declared") + what_if)
            self.banner.setStyleSheet(theme.alarm_style())
            self.chart.watermark = self.tr("PROVISIONAL")
        self.chart.update()
