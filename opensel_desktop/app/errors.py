"""Errors people see: one sentence naming the file and what to do next (STYLE.md habit 6)."""

from __future__ import annotations


class AppError(Exception):
    """A refusal with a message fit for a teller or returning officer.

    What to do next depends on the face: the command line names a command or option, the desktop app a
    menu item or shortcut. A refusal with such advice gives the plain `message` (what is wrong) and the
    two hints; `str(exc)` is the command line's sentence, `for_gui()` the app's. A refusal without
    hints reads the same on both faces, so its wording must not name a command or a menu.
    """

    def __init__(self, message: str = "", hint_cli: str = "", hint_gui: str = ""):
        self.message, self.hint_cli, self.hint_gui = message, hint_cli, hint_gui
        super().__init__(_sentence(message, hint_cli))

    def for_cli(self) -> str:
        return str(self)

    def for_gui(self) -> str:
        return _sentence(self.message, self.hint_gui) if self.hint_cli or self.hint_gui else str(self)


def _sentence(message: str, hint: str) -> str:
    """'X is wrong' + 'do Y.' -> 'X is wrong; do Y.' (a message without a hint is already a sentence)."""
    if not hint:
        return message
    return f"{message.rstrip('.;, ')}; {hint}"


def gui_text(exc: BaseException) -> str:
    """The desktop app's wording of any refusal."""
    return exc.for_gui() if isinstance(exc, AppError) else str(exc)
