"""Shared pieces of the subcommands: turning exceptions into one clear sentence that names the file."""

from __future__ import annotations

import sys
import traceback


def refusal_message(exc: BaseException, where: str | None = None) -> str:
    """One sentence for stderr. An app refusal names the file it is about: its own `where`, else the file
    the command was given (the app layer never puts file names into its sentences)."""
    # imported on a refusal only: the engine package is slow to import, and most runs never refuse
    from opensel_desktop.app.errors import AppError
    from opensel_desktop.contest.errors import ContestError
    from opensel_desktop.contest.names import printable
    from opensel_desktop.engine.errors import CountError, NeedsLot

    if isinstance(exc, AppError):
        text = exc.for_cli()
        name = exc.where or where
        if name and not text.startswith(f"{name}:"):
            text = f"{name}: {text}"
        return printable(text, keep_newlines=True)
    if isinstance(exc, ContestError | CountError | NeedsLot):
        return printable(str(exc), keep_newlines=True)
    if isinstance(exc, MemoryError):
        return f"{where + ': ' if where else ''}the input is too large to process in this machine's memory."
    if isinstance(exc, RecursionError):
        return f"{where + ': ' if where else ''}the input is nested too deeply to process."
    if isinstance(exc, OSError):
        name = getattr(exc, "filename", None) or where
        return printable(f"{str(name) + ': ' if name else ''}{exc.strerror or exc}; check the file and try again.")
    # a bug of ours: still one sentence for the user; the detail only when asked for
    if "--debug" in sys.argv:
        traceback.print_exc()
    return printable(f"internal error ({type(exc).__name__}: {exc}); please report it with the file that caused it.")


def say(text: str, out=None) -> None:
    """Write a line of output with every name made terminal-safe (no control or bidi characters raw)."""
    from opensel_desktop.contest.names import printable

    (out or sys.stdout).write("\n".join(printable(line) for line in text.split("\n")))
