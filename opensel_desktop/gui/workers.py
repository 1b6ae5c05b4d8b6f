"""Counts and other long work off the GUI thread (ARCHITECTURE.md "How the GUI stays honest and quick").

A job gets an immutable snapshot (STYLE.md habit 11) and a plain function to run on it; it never
touches widgets or the store. Each submission gets a generation number: a result that comes back
after a newer job was started is dropped ("latest wins"). Cancel marks the generation dead; the
engine cannot be interrupted mid-count, so its answer is simply thrown away when it arrives.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _JobSignals(QObject):
    finished = Signal(int, object, float)  # generation, result, seconds
    failed = Signal(int, object)  # generation, exception


class _Job(QRunnable):
    def __init__(self, generation: int, fn: Callable[[Any], Any], snapshot: Any):
        super().__init__()
        self.generation = generation
        self.fn = fn
        self.snapshot = snapshot
        self.signals = _JobSignals()
        self.setAutoDelete(True)

    def run(self) -> None:
        start = time.perf_counter()
        try:
            result = self.fn(self.snapshot)
        except Exception as exc:  # noqa: BLE001 - handed back to the GUI thread as a value
            exc.__dict__.setdefault("gui_traceback", traceback.format_exc())
            self.signals.failed.emit(self.generation, exc)
            return
        self.signals.finished.emit(self.generation, result, time.perf_counter() - start)


class CountWorker(QObject):
    """Runs one kind of job at a time in the global pool; only the newest answer is delivered."""

    started = Signal(int)
    progress = Signal(int, int)  # done, total (0, 0 = busy with no measure)
    result_ready = Signal(object, float)  # result, seconds
    failed = Signal(object)  # exception: the window turns it into one sentence
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.generation = 0
        self.running: int | None = None
        self._jobs: dict[int, _Job] = {}

    def submit(self, fn: Callable[[Any], Any], snapshot: Any) -> int:
        self.generation += 1
        gen = self.generation
        job = _Job(gen, fn, snapshot)
        job.signals.finished.connect(self._finished)
        job.signals.failed.connect(self._failed)
        self._jobs[gen] = job
        self.running = gen
        self.started.emit(gen)
        self.progress.emit(0, 0)
        self.pool.start(job)
        return gen

    def cancel(self) -> None:
        if self.running is not None:
            self.generation += 1  # whatever is in flight is now stale
            self.running = None
            self.cancelled.emit()

    def busy(self) -> bool:
        return self.running is not None

    def _finished(self, gen: int, result: object, seconds: float) -> None:
        self._jobs.pop(gen, None)
        if gen != self.generation:
            return  # stale: a newer job was started or this one was cancelled
        self.running = None
        self.progress.emit(1, 1)
        self.result_ready.emit(result, seconds)

    def _failed(self, gen: int, exc: object) -> None:
        self._jobs.pop(gen, None)
        if gen != self.generation:
            return
        self.running = None
        self.progress.emit(1, 1)
        self.failed.emit(exc)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
