"""Long work off the GUI thread, in one shape: the background op.

An op is a plain function run on a worker thread over an immutable input (a frozen dataclass, a path,
a snapshot of the papers): it never touches a widget, and it opens its own connection to a saved
contest when it needs one, so the window's session is only ever used on the GUI thread. Its answer
comes back to the GUI thread, to `success(value)` or `failure(exc)`. Ops have a key ("count",
"sheets", "key", ...): starting an op drops any answer still to come from an older op of the same key
("latest wins"), and `cancel(key)` drops it too. While an op runs, `busy_changed` tells the window what
to say ("Signing the sheets…"), so the person at the keyboard sees that work is going on; the window
itself never waits.

    window.ops.run("sheets", build_sheets, SheetRequest(...), success=show_pdf, failure=show_error,
                   label="Building and signing the sheets…")
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


@dataclass(frozen=True, slots=True)
class _Pending:
    generation: int
    label: str
    success: Callable[[Any], None]
    failure: Callable[[BaseException], None] | None
    started: float


class _Signals(QObject):
    finished = Signal(str, int, object)  # key, generation, value
    failed = Signal(str, int, object)  # key, generation, exception


class _Job(QRunnable):
    """One run of an op. Its signals are its own (not the helper's), so a window closed while the op still
    works simply has nobody listening when the answer comes."""

    def __init__(self, key: str, generation: int, fn: Callable[[Any], Any], data: Any):
        super().__init__()
        self.key, self.generation, self.fn, self.data = key, generation, fn, data
        self.signals = _Signals()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            value = self.fn(self.data)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread as a value
            exc.__dict__.setdefault("gui_traceback", traceback.format_exc())
            self._emit(self.signals.failed, exc)
            return
        self._emit(self.signals.finished, value)

    def _emit(self, signal, value: object) -> None:
        try:
            signal.emit(self.key, self.generation, value)
        except RuntimeError:  # the window (and the helper) are gone: nobody is waiting for the answer
            pass


class BackgroundOps(QObject):
    """The window's one helper for long work. `failed_unhandled` carries failures of ops started without a
    `failure` callback (the window shows them with its one error path)."""

    busy_changed = Signal(str)  # what is going on now ("" when nothing runs)
    started = Signal(str)  # key
    done = Signal(str)  # key: its answer was delivered (or it failed)
    failed_unhandled = Signal(object)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._generation = 0
        self._pending: dict[str, _Pending] = {}

    def run(self, key: str, fn: Callable[[Any], Any], data: Any, *, success: Callable[[Any], None],
            failure: Callable[[BaseException], None] | None = None, label: str = "") -> int:
        """Start `fn(data)` on a worker; returns the op's generation number."""
        self._generation += 1
        gen = self._generation
        self._pending[key] = _Pending(gen, label, success, failure, time.perf_counter())
        self.started.emit(key)
        self._say()
        job = _Job(key, gen, fn, data)
        job.signals.finished.connect(self._finished)
        job.signals.failed.connect(self._failed)
        self.pool.start(job)
        return gen

    def cancel(self, key: str | None = None) -> None:
        """Drop what is still to come from the op `key` (all ops when None). Work already running ends
        on its own; its answer is thrown away."""
        for k in [key] if key is not None else list(self._pending):
            if self._pending.pop(k, None) is not None:
                self.done.emit(k)
        self._say()

    def busy(self, key: str | None = None) -> bool:
        return bool(self._pending) if key is None else key in self._pending

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for the worker threads (closing the window, tests and benchmarks); answers arrive on the
        next turn of the event loop."""
        return self.pool.waitForDone(msecs)

    def label(self) -> str:
        labels = [p.label for p in self._pending.values() if p.label]
        return labels[-1] if labels else ""

    def _take(self, key: str, generation: int) -> _Pending | None:
        pending = self._pending.get(key)
        if pending is None or pending.generation != generation:
            return None  # stale: a newer op of this key started, or it was cancelled
        del self._pending[key]
        self._say()
        return pending

    def _finished(self, key: str, generation: int, value: object) -> None:
        pending = self._take(key, generation)
        if pending is not None:
            try:
                pending.success(value)
            finally:
                self.done.emit(key)

    def _failed(self, key: str, generation: int, exc: object) -> None:
        pending = self._take(key, generation)
        if pending is None:
            return
        try:
            if pending.failure is not None:
                pending.failure(exc)  # type: ignore[arg-type]
            else:
                self.failed_unhandled.emit(exc)
        finally:
            self.done.emit(key)

    def _say(self) -> None:
        self.busy_changed.emit(self.label())
