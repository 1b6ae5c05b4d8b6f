"""The window's one way of showing what went wrong: `show_error(where, exc)`, worded by `error_text`.

A refusal from the app (AppError), a contest file's problem, a file that cannot be read or written, or a
dialog's own "fill this in first" reaches a person as one sentence: the app's wording for the desktop
(`AppError.for_gui`), the first line only, file names without their folders, and never a command of the
command line (the window has menus and shortcuts instead). Anything else is a fault in the app, not in
what the person did: `crash.report` saves a report and the sentence says so, without the exception's
words. Call sites never turn an exception into text themselves.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from opensel_desktop.app.errors import AppError, gui_text
from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.files import FileRefused
from opensel_desktop.engine import NeedsLot
from opensel_desktop.gui import theme


def tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


class Refusal(Exception):
    """A dialog's own one-sentence refusal ("Choose where to save the key first.")."""


# where the window offers what a command of the command line does
_COMMANDS: tuple[tuple[str, str], ...] = (
    (r"the file `opensel keygen` made", "the key file made with Count > Create returning officer's key"),
    (r"`opensel audit[^`]*`", "File > Open as auditor"),
    (r"`opensel merge[^`]*`", "File > Import batch files (Ctrl+I)"),
    (r"`opensel keygen[^`]*`", "Count > Create returning officer's key"),
    (r"`opensel diff[^`]*`", "the comparison list (F2)"),
    (r"`opensel account[^`]*`", "the Account tab (Ctrl+2)"),
    (r"`opensel lot[^`]*`", "the lot dialog (Count now, F5)"),
    (r"`opensel count[^`]*`", "Count now (F5)"),
    (r"`opensel recount[^`]*`", "Count now (F5)"),
    (r"`opensel log[^`]*`", "the auditor's journal (File > Open as auditor)"),
    (r"`opensel declare[^`]*`", "Declare (Ctrl+D)"),
    (r"`opensel enter[^`]*`", "the Entry tab (Ctrl+1)"),
    (r"`opensel batch-export[^`]*`", "File > Export batch"),
    (r"`opensel station-pack[^`]*`", "File > Export station pack"),
)
_OPTIONS: tuple[tuple[str, str], ...] = (
    (r"(declare|count) with --override-reason(?: saying why[^;.,]*)?", r"\1 giving the reason for going ahead"),
    (r"--override-reason", "a reason for going ahead"),
    (r"rerun with --seed", "draw it"),
    (r"; give it with --name", ""),
    (r"give it with --name", "give the name"),
    (r"with --resolve", ""),
    (r"--contest takes", "It takes"),
)
_PATH_PREFIX = re.compile(r"^(?:[A-Za-z]:)?[^\s:;]*[/\\][^:;]*?: |^[^\s/\\:;]+\.(?:osel|ya?ml|key|pdf|oselbatch|oselpack|"
                          r"blt|csv|json|txt)(?:-[a-z]+)?: ")
_ABSOLUTE = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?[/\\](?:[^\s/\\:;,'\"()]+[/\\])+([^\s/\\:;,'\"()]+)")


def no_commands(text: str) -> str:
    """The app's sentence with every command-line command and option replaced by where the window
    offers the same; a clause naming a command the window has no place for is dropped."""
    for pattern, words in _COMMANDS + _OPTIONS:
        text = re.sub(pattern, words, text)
    if "`opensel" in text or re.search(r"(?<!\w)--[a-z]", text):
        clauses = re.split(r"(?<=[;:,])\s+|\s+(?=\()", text)
        kept = [c for c in clauses if "`opensel" not in c and not re.search(r"(?<!\w)--[a-z]", c)]
        text = " ".join(kept).rstrip(";:, ") if kept else tr("That cannot be done here.")
        if text and text[-1] not in ".!?":
            text += "."
    return text.replace(" ,", ",").replace(" ;", ";").replace("  ", " ").replace(";.", ".").replace(",.", ".")


def without_paths(text: str, *paths: str | Path) -> str:
    """File names, never folders: the "<file>: " an app sentence starts with goes, other paths become names."""
    for p in paths:
        if p:
            for prefix in (f"{p}: ", f"{Path(p).name}: "):
                if text.startswith(prefix):
                    text = text[len(prefix):]
            text = text.replace(str(p), Path(p).name)
    while _PATH_PREFIX.match(text):
        text = _PATH_PREFIX.sub("", text, count=1)
    return _ABSOLUTE.sub(r"\1", text)


def is_refusal(exc: BaseException) -> bool:
    """What a person caused or can mend (said in one sentence), as opposed to a fault in the app."""
    return isinstance(exc, AppError | ContestError | FileRefused | NeedsLot | OSError | Refusal) or \
        type(exc).__name__ == "PreviewError"


def error_text(exc: BaseException | str, *paths: str | Path) -> str:
    """One sentence for the window."""
    if isinstance(exc, str):
        text = exc
    elif isinstance(exc, OSError) and not isinstance(exc, AppError):
        name = Path(exc.filename).name if exc.filename else ""
        why = (exc.strerror or tr("it could not be done")).rstrip(".").lower()
        return tr("The file {0} could not be read or written ({1}); check the folder and the disk, then try "
                  "again.").format(name, why) if name else \
            tr("A file could not be read or written ({0}); check the folder and the disk.").format(why)
    elif isinstance(exc, NeedsLot):
        r = exc.request
        text = tr("A lot is needed at stage {0} between {1}; press F5 to count and draw it.").format(
            r.stage, ", ".join(r.among))
    elif isinstance(exc, ContestError):
        text = exc.problems[0].message if exc.problems else tr("The contest file has problems.")
    elif is_refusal(exc):
        text = gui_text(exc)
    else:
        from opensel_desktop.gui import crash

        report = crash.report(exc)
        text = tr("Something went wrong inside the app (a report was saved as {0}). Nothing saved is lost; try "
                  "again, or close and reopen the contest.").format(report.name if report else tr("a file"))
        return text
    text = text.strip().splitlines()[0] if text.strip() else tr("That could not be done.")
    text = no_commands(without_paths(text, *paths))
    return text[:1].upper() + text[1:]


class _Says(Protocol):
    def setText(self, text: str) -> None: ...  # noqa: N802 - the Qt name


def show_error(where: _Says | object, exc: BaseException | str, *paths: str | Path) -> str:
    """Show the sentence where the person is looking: a message line of a view or dialog (anything with
    `setText`), or the window (its `say`). Returns the sentence shown."""
    text = error_text(exc, *paths)
    say = getattr(where, "say", None)
    if callable(say):
        say(text)
    else:
        set_text = getattr(where, "setText", None)
        if callable(set_text):
            set_text(text)
        if isinstance(where, QLabel):
            where.setStyleSheet(theme.alarm_style(bold=True))
    return text
