"""What a write changed reaches the window's views through this one bridge.

Every use case returns a `Changes` record (app/changes.py): the journal events it appended and the areas of
the meeting they touched. The window publishes that record here once; the bridge turns it into a Qt signal,
so a write finished on a worker thread is delivered on the GUI thread, and each view redraws only the areas
it shows (main_window.MainWindow.apply_changes).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from opensel_desktop.app.changes import Changes


class Bridge(QObject):
    changed = Signal(object)  # a Changes record, after its commit
    error = Signal(str)  # one sentence for the status bar

    def publish(self, changes: Changes) -> None:
        self.changed.emit(changes)
