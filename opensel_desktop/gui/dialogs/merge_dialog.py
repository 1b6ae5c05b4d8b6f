"""Import batch files (officer's laptop): a table of the chosen teller stations' .oselbatch files and their
status.

The dialog only shows and asks. `inspect(paths)` and `merge(paths)` are given by the window and call the
app (`app.stations.inspect_batch_file` / `merge_batches`, the same as `opensel merge`), so every check and
every sentence is the app's; a refused file is refused by the app and nothing of it is merged. Merging runs
in the background: `merge(paths)` starts it and the window answers with `merge_done(outcomes)` or
`merge_failed(text)`. Keyboard: the table has focus, Enter merges (the default button), Alt+A adds files,
Escape closes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.app.stations import ALREADY, MERGED, READY, REFUSED, BatchFileStatus
from opensel_desktop.gui import theme
from opensel_desktop.gui.models.batch_files import BatchFileModel

Inspect = Callable[[Sequence[str]], Sequence[BatchFileStatus]]
Merge = Callable[[Sequence[str]], None]  # starts the merge; the answer comes to merge_done / merge_failed
Lines = Callable[[], Sequence[str]]  # the account by station (app.stations.station_account(...).lines())


class MergeDialog(QDialog):
    merged = Signal(int)  # how many files were merged by one press of Merge

    def __init__(self, inspect: Inspect, merge: Merge, paths: Sequence[str] = (), parent: QWidget | None = None,
                 account: Lines | None = None):
        super().__init__(parent)
        self.inspect = inspect
        self.merge_files = merge
        self.account_lines = account
        self.working = False
        self.setWindowTitle(self.tr("Import batch files"))
        self.setAccessibleName(self.tr("Import batch files"))
        intro = QLabel(self.tr("Each teller station's signed batch file is checked before it is merged: a known "
                               "station's signature, the chain of entries, this contest, paper numbers not "
                               "claimed twice. A refused file changes nothing; files may come in any order."))
        intro.setWordWrap(True)
        self.model = BatchFileModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Batch files and their status"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Summary"))
        # what is merged per station and batch, and what is still out (the account by station)
        self.account = QPlainTextEdit()
        self.account.setReadOnly(True)
        self.account.setTabChangesFocus(True)
        self.account.setAccessibleName(self.tr("Papers by station and batch"))
        self.account.setMaximumHeight(110)
        self.account.setVisible(account is not None)
        self.add_button = QPushButton(self.tr("&Add files…"))
        self.add_button.setAccessibleName(self.tr("Add batch files"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._browse)
        self.merge_button = QPushButton(self.tr("&Merge"))
        self.merge_button.setAccessibleName(self.tr("Merge the verified files"))
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self.merge)
        self.close_button = QPushButton(self.tr("&Close"))
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.account)
        layout.addLayout(buttons)
        self.resize(920, 540)
        self.add_files(paths)
        self.table.setFocus()

    # --- what the table holds ----------------------------------------------------------------------------

    def paths(self) -> list[str]:
        return [r.path for r in self.model.rows()]

    def statuses(self) -> dict[str, str]:
        """File name -> status, for the eye and for tests."""
        return {Path(r.path).name: r.status for r in self.model.rows()}

    def add_files(self, paths: Sequence[str]) -> None:
        """Inspect the new files (read only) and list them; a file already listed is not listed twice."""
        known = {str(Path(p).resolve()) for p in self.paths()}
        new = [str(p) for p in paths if str(Path(p).resolve()) not in known]
        if not new:
            return
        self.model.set_rows(self.model.rows() + list(self.inspect(new)))
        self._update()
        if self.model.rowCount():
            self.table.selectRow(0)

    def _browse(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose batch files"), "",
                                                self.tr("Batch files (*.oselbatch);;All files (*)"))
        if paths:
            self.add_files(paths)

    # --- merging -----------------------------------------------------------------------------------------

    def merge(self) -> None:
        """Merge every listed file that is ready; the others keep their status and nothing of them is merged."""
        if self.working:
            return
        ready = [r.path for r in self.model.rows() if r.status == READY]
        if not ready:
            self._update()
            return
        self.working = True
        self.merge_button.setEnabled(False)
        self.add_button.setEnabled(False)
        self.summary.setText(self.tr("Checking and merging…"))
        self.summary.setStyleSheet("")
        self.merge_files(ready)

    def merge_done(self, outcomes: Sequence[BatchFileStatus]) -> None:
        self.working = False
        self.add_button.setEnabled(True)
        by_path = {o.path: o for o in outcomes}
        self.model.set_rows([by_path.get(r.path, r) for r in self.model.rows()])
        done = sum(1 for o in by_path.values() if o.status == MERGED)
        self._update()
        self.merged.emit(done)

    def merge_failed(self, text: str) -> None:
        """The whole merge was refused (the saved contest could not be written): nothing was merged."""
        self.working = False
        self.add_button.setEnabled(True)
        self._update()
        self.summary.setText(text)
        self.summary.setStyleSheet(theme.alarm_style(bold=True))

    def _update(self) -> None:
        if self.account_lines is not None:
            self.account.setPlainText("\n".join(self.account_lines()))
        rows = self.model.rows()
        count = {s: sum(1 for r in rows if r.status == s) for s in (READY, MERGED, ALREADY, REFUSED)}
        parts = []
        if count[MERGED]:
            parts.append(self.tr("{0} merged").format(count[MERGED]))
        if count[READY]:
            parts.append(self.tr("{0} ready to merge").format(count[READY]))
        if count[ALREADY]:
            parts.append(self.tr("{0} already merged (nothing to do)").format(count[ALREADY]))
        if count[REFUSED]:
            parts.append(self.tr("{0} refused (nothing merged from them; see Why)").format(count[REFUSED]))
        text = "; ".join(parts) if parts else self.tr("Add the batch files from the stations' USB sticks.")
        self.summary.setText(text[:1].upper() + text[1:] + ("." if parts else ""))
        self.summary.setStyleSheet(theme.alarm_style(bold=True) if count[REFUSED] else theme.good_style(bold=True)
                                   if count[MERGED] else "")
        self.merge_button.setEnabled(count[READY] > 0)
        # Enter merges while something is ready, and closes once nothing is left to merge
        (self.merge_button if count[READY] else self.close_button).setDefault(True)
