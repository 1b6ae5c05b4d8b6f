"""Errors people see: what happened, in one sentence, and what to do next.

A refusal carries `message` (what is wrong, without the file's name) and, where there is an obvious
next step, a symbolic `step` (a `Next`). Each face words the steps for itself and registers its words
here when it starts (`register_words`): the command line names a command or an option
(cli/wording.py), the desktop app a menu item or a shortcut (gui/wording.py), so the window never
tells a teller to type a command. Without a face (a script using the app layer) the step's plain
description is used. The face also names the file, once: the
command line puts "FILE: " in front (it knows which file it was given), the window never shows paths.

Older refusals carry a ready sentence instead (`hint_cli` / `hint_gui`); both forms are read the same.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path


class Next(Enum):
    """The next step a refusal suggests, named for what the person does (each face words it)."""

    FINISH_SECOND_ENTRY = "finish the second entry of the batch and resolve each difference"
    RESOLVE_MISMATCHES = "resolve the differences between the two entries"
    RECORD_ACCOUNT_OR_OVERRIDE = ("record the ballot paper account, or give the reason for going ahead "
                                  "although it does not reconcile")
    DRAW_LOT = "draw the lot the count needs"
    COUNT_FIRST = "count the contest first"
    MERGE_OR_OVERRIDE = ("merge the station's batch file, or give the reason for going ahead without it")
    AUDIT = "inspect the file as an auditor"
    USE_BACKUP = "use the copy of the saved contest you kept"
    RECOUNT_LINKED = "start a linked recount contest"
    GIVE_REASON = "give the reason"
    CORRECT_INSTEAD = "correct the paper instead of entering it again"
    WITHDRAW_REJECTION_FIRST = "withdraw that rejection first"
    OTHER_TELLER = "let another teller key the second entry"
    GIVE_KEY = "give the returning officer's key"
    PIN_KEY = "pin the returning officer's key in the contest"
    OPEN_WRITABLE = "open the file in the app (not as an auditor)"
    RESOLVE_BUNDLE = "record the bundle's true totals"
    ENTER_PAPERS = "enter the papers (and finish each batch's second entry)"


WORDS: dict[str, dict[Next, str]] = {"cli": {}, "gui": {}}


def register_words(face: str, words: dict[Next, str]) -> None:
    """A face ("cli" or "gui") says how it words each next step."""
    WORDS[face].update(words)


class AppError(Exception):
    """A refusal with a message fit for a teller or returning officer.

    `for_cli()` is the command line's sentence and `for_gui()` the app's, neither naming a file;
    `where` names the file when the refusal is about another file than the one the command was given
    (`str(exc)` then begins with it).
    """

    def __init__(self, message: str = "", hint_cli: str = "", hint_gui: str = "", *, step: Next | None = None,
                 where: str | Path | None = None):
        self.message, self.hint_cli, self.hint_gui, self.step = message, hint_cli, hint_gui, step
        self.where = str(where) if where is not None else None
        super().__init__(message)

    def __str__(self) -> str:
        """The command line's sentence, with the file it is about when the refusal names one."""
        text = self.for_cli()
        return f"{self.where}: {text}" if self.where and not text.startswith(f"{self.where}:") else text

    def _step(self, face: str) -> str:
        return WORDS[face].get(self.step, self.step.value + ".") if self.step else ""

    def for_cli(self) -> str:
        return _sentence(self.message, self.hint_cli or self._step("cli"))

    def for_gui(self) -> str:
        # a sentence written for the command line never reaches the window
        return _sentence(self.message, self.hint_gui or self._step("gui"))


def _sentence(message: str, hint: str) -> str:
    """'X is wrong' + 'do Y.' -> 'X is wrong; do Y.' (a message without a hint is already a sentence)."""
    if not hint:
        return message if message.endswith((".", "?", "!")) else message + "."
    return f"{message.rstrip('.;, ')}; {hint}"


def gui_text(exc: BaseException) -> str:
    """The desktop app's wording of any refusal."""
    return exc.for_gui() if isinstance(exc, AppError) else str(exc)
