"""Projector view (F11): large type for the room, live first preferences and, after the count, the stages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

from opensel_desktop.gui.views.results_view import ResultsView


class ProjectorView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("OpenSel: projector"))
        self.setAccessibleName(self.tr("Projector view"))
        self.results = ResultsView(large=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.results)
        for key in ("F11", "Esc"):
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(self.close)
        self.resize(1280, 720)
