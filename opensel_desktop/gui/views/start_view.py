"""Start screen: new from a contest file, open, recent files with their state,
open as auditor, and a contest file's validation problems as a list where Enter shows the line."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.contest.errors import Problem
from opensel_desktop.contest.yaml_io import MAX_BYTES
from opensel_desktop.gui import theme


class StartView(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    audit_requested = Signal()
    recent_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Start"))
        title = QLabel(self.tr("OpenSel Desktop"))
        tf = QFont()
        tf.setPointSize(22)
        tf.setBold(True)
        title.setFont(tf)
        sub = QLabel(self.tr("Count a selection ballot: key the papers, check them twice, count, declare."))
        sub.setWordWrap(True)
        big = QFont()
        big.setPointSize(13)
        self.new_button = QPushButton(self.tr("&New from contest file…  (Ctrl+N)"))
        self.open_button = QPushButton(self.tr("&Open saved contest…  (Ctrl+O)"))
        self.audit_button = QPushButton(self.tr("Open as &auditor (read-only)…"))
        for b, name in ((self.new_button, self.tr("New from contest file")),
                        (self.open_button, self.tr("Open saved contest")),
                        (self.audit_button, self.tr("Open as auditor"))):
            b.setFont(big)
            b.setMinimumHeight(44)
            b.setAccessibleName(name)
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.audit_button.clicked.connect(self.audit_requested)

        self.recent = QListWidget()
        self.recent.setAccessibleName(self.tr("Recent contests"))
        self.recent.setFont(big)
        self.recent.itemActivated.connect(lambda item: self.recent_chosen.emit(item.data(Qt.ItemDataRole.UserRole)))

        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(theme.alarm_style(bold=True))
        self.problems = QListWidget()
        self.problems.setAccessibleName(self.tr("Problems in the contest file"))
        self.problems.setWordWrap(True)
        self.problems.installEventFilter(self)
        self.problems.itemActivated.connect(self._show_line)
        self.source = QPlainTextEdit()
        self.source.setReadOnly(True)
        self.source.setAccessibleName(self.tr("Contest file text"))
        self.source.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        for w in (self.problems_label, self.problems, self.source):
            w.hide()

        grid = QGridLayout(self)
        grid.addWidget(title, 0, 0, 1, 2)
        grid.addWidget(sub, 1, 0, 1, 2)
        buttons = QVBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.audit_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 0)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Recent contests (Enter opens)")))
        right.addWidget(self.recent, 1)
        right.addWidget(self.problems_label)
        right.addWidget(self.problems, 1)
        right.addWidget(self.source, 1)
        grid.addLayout(right, 2, 1)
        grid.setColumnStretch(1, 1)

    def set_recent(self, entries: list[tuple[str, str]]) -> None:
        """(path, state) pairs, newest first; state is "entering", "counted" or "declared"."""
        self.recent.clear()
        for path, state in entries:
            item = QListWidgetItem(self.tr("{0}   ·   {1}").format(Path(path).stem, state))
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)  # the folder only on demand: tellers see the contest, not the path
            self.recent.addItem(item)
        if entries:
            self.recent.setCurrentRow(0)

    def show_problems(self, path: str, problems: list[Problem]) -> None:
        self.problems.clear()
        self._path = path
        self.problems_label.setText(self.tr("{0} has {1} problem(s). Fix them in the file, then choose New "
                                            "again. Enter on a problem shows its line.").format(
            Path(path).name, len(problems)))
        for p in problems:
            where = self.tr("line {0}").format(p.line) if p.line else self.tr("file")
            item = QListWidgetItem(f"{where}: {p.message}")
            item.setData(Qt.ItemDataRole.UserRole, p.line or 0)
            item.setData(Qt.ItemDataRole.UserRole + 1, p.column or 1)
            self.problems.addItem(item)
        try:
            # only a regular file of a contest file's size: a pipe, a device or 50 MB would freeze the window
            p = Path(path)
            small = p.is_file() and p.stat().st_size <= MAX_BYTES
            self.source.setPlainText(p.read_text(encoding="utf-8", errors="replace") if small else "")
        except OSError:
            self.source.setPlainText("")
        for w in (self.problems_label, self.problems, self.source):
            w.show()
        self.problems.setCurrentRow(0)
        self.problems.setFocus()

    def clear_problems(self) -> None:
        self.problems.clear()
        for w in (self.problems_label, self.problems, self.source):
            w.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.problems and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.problems.currentItem():
                self._show_line(self.problems.currentItem())
                return True
        return False

    def _show_line(self, item: QListWidgetItem) -> None:
        line = int(item.data(Qt.ItemDataRole.UserRole) or 0)
        column = int(item.data(Qt.ItemDataRole.UserRole + 1) or 1)
        block = self.source.document().findBlockByLineNumber(max(0, line - 1))
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.MoveAnchor,
                            max(0, min(column - 1, block.length() - 1)))
        cursor.select(QTextCursor.SelectionType.LineUnderCursor)
        self.source.setTextCursor(cursor)
        self.source.centerCursor()
        self.source.setFocus()

    def current_line(self) -> int:
        return self.source.textCursor().blockNumber() + 1
