"""When the app itself fails: a report file and a dialog, never a traceback in the window.

Every paper, rejection and figure is committed to the saved contest before the window says so, so a
fault in the window loses nothing; the person at the keyboard is told that, and where the report
went. `install(app)` makes this the answer to any exception nobody caught (in a slot, in a paint,
at start-up, in a thread); `report(exc)` writes the report of an exception that was caught by the
window's one error path (gui/errors.py).
"""

from __future__ import annotations

import platform
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop import APP_NAME, __version__

_folder: Path | None = None
_showing = False
last_dialog: CrashDialog | None = None  # the dialog now open (tests and the window reach it here)


def set_folder(folder: str | Path | None) -> None:
    """Where reports go (tests give a temporary folder); default: the app's data folder."""
    global _folder
    _folder = Path(folder) if folder is not None else None


def folder() -> Path:
    if _folder is not None:
        return _folder
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".opensel") / "crash-reports"


def report_text(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    lines = traceback.format_exception(exc_type, exc, tb)
    extra = exc.__dict__.get("gui_traceback") if hasattr(exc, "__dict__") else None
    if extra and not tb:
        lines = [extra]
    return (f"{APP_NAME} {__version__} crash report\n"
            f"time: {datetime.now().astimezone().isoformat(timespec='seconds')}\n"
            f"python: {sys.version.split()[0]} on {platform.platform()}\n"
            f"thread: {threading.current_thread().name}\n\n" + "".join(lines))


def write(text: str) -> Path | None:
    """Save a report; None when even that is impossible (a full disk): the dialog still opens."""
    try:
        target = folder()
        target.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = target / f"crash-{stamp}.txt"
        path.write_text(text, encoding="utf-8")
        return path.resolve()
    except OSError:
        return None


def report(exc: BaseException) -> Path | None:
    """The report of an exception the window caught (its own traceback, or the worker's)."""
    return write(report_text(type(exc), exc, exc.__traceback__))


class CrashDialog(QDialog):
    def __init__(self, text: str, path: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Something went wrong"))
        self.setAccessibleName(self.tr("Something went wrong"))
        self.path = path
        where = self.tr("A report was saved as {0}.").format(path.name) if path else \
            self.tr("The report could not be saved; copy it below.")
        intro = QLabel(self.tr("{0} met a fault of its own. Nothing is lost: every paper and figure the window "
                               "said was saved is on disk. {1} Give it to whoever looks after the app. You can "
                               "carry on, or close and reopen the contest.").format(APP_NAME, where))
        intro.setWordWrap(True)
        intro.setAccessibleName(self.tr("What happened"))
        self.intro = intro
        self.details = QPlainTextEdit(text if path is None else f"{path}\n\n{text}")
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Crash report"))
        self.details.hide()
        more = QPushButton(self.tr("Show the &report"))
        more.setAccessibleName(self.tr("Show the report"))
        more.setAutoDefault(False)
        more.clicked.connect(lambda: self.details.setVisible(not self.details.isVisible()))
        copy = QPushButton(self.tr("&Copy the report"))
        copy.setAccessibleName(self.tr("Copy the report"))
        copy.setAutoDefault(False)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.details.toPlainText()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(more, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(560, 220)


def handle(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """The excepthook: save the report, then show the dialog (once at a time; never raises)."""
    global _showing, last_dialog
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    text = report_text(exc_type, exc, tb)
    path = write(text)
    print(f"{APP_NAME}: an internal error; report saved as {path}" if path else
          f"{APP_NAME}: an internal error (no report could be saved)", file=sys.stderr)
    app = QApplication.instance()
    if _showing or app is None or threading.current_thread() is not threading.main_thread():
        return
    _showing = True
    try:
        dialog = CrashDialog(text, path, QApplication.activeWindow())
        dialog.finished.connect(lambda _r: _closed(dialog))
        last_dialog = dialog
        dialog.open()
    except Exception:  # noqa: BLE001 - the hook itself must never fail
        _showing = False


def _closed(dialog: CrashDialog) -> None:
    global _showing, last_dialog
    _showing = False
    if last_dialog is dialog:
        last_dialog = None


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        handle(args.exc_type, args.exc_value, args.exc_traceback)


def install() -> None:
    sys.excepthook = handle
    threading.excepthook = _thread_hook
