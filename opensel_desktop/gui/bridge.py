"""Core events reach Qt through this one bridge.

The app layer calls plain Python listeners, possibly from a worker thread; the bridge turns each
into a Qt signal, which Qt queues onto the GUI thread. Widgets connect to the bridge, never to the
app. `close()` unsubscribes, so a closed window receives nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class Bridge(QObject):
    paper_did_save = Signal(object)  # the app's change record for one committed paper
    tally_did_change = Signal(object)  # anything that changes the ballots (entry, correction, resolution)
    account_did_change = Signal(object)
    journal_did_append = Signal(object)
    contest_did_declare = Signal(object)
    error = Signal(str)  # one sentence for the status bar / message box

    EVENTS = ("paper_did_save", "tally_did_change", "account_did_change", "journal_did_append",
              "contest_did_declare", "error")

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._unsubscribe: list[Callable[[], None]] = []

    def attach(self, source: Any) -> None:
        """Subscribe to an app session that offers `subscribe(event, listener) -> unsubscribe`."""
        subscribe = getattr(source, "subscribe", None)
        if subscribe is None:
            return
        for name in self.EVENTS:
            signal = getattr(self, name)
            unsub = subscribe(name, signal.emit)
            if callable(unsub):
                self._unsubscribe.append(unsub)

    def publish(self, event: str, payload: object = None) -> None:
        """For callers that report what changed themselves (a command returns its Changes record)."""
        if event not in self.EVENTS:
            raise ValueError(f"unknown bridge event {event!r}")
        getattr(self, event).emit(payload)

    def close(self) -> None:
        for unsub in self._unsubscribe:
            unsub()
        self._unsubscribe.clear()
