"""Shared pieces of the subcommands: turning exceptions into one clear sentence."""

from __future__ import annotations

import sys
import traceback


def refusal_message(exc: BaseException) -> str:
    # imported on a refusal only: the engine package is slow to import, and most runs never refuse
    from opensel_desktop.app.errors import AppError
    from opensel_desktop.contest.errors import ContestError
    from opensel_desktop.contest.names import printable
    from opensel_desktop.engine.errors import CountError, NeedsLot

    if isinstance(exc, ContestError | AppError | CountError | NeedsLot):  # a name from a file: shown escaped
        return "\n".join(printable(line) for line in str(exc).split("\n"))
    if isinstance(exc, MemoryError):
        return "the input is too large to process in this machine's memory."
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to process."
    if isinstance(exc, OSError):
        name = getattr(exc, "filename", None)
        return f"{name + ': ' if name else ''}{exc.strerror or exc}; check the file and try again."
    # a bug of ours: still one sentence for the user; the detail only when asked for
    if "--debug" in sys.argv:
        traceback.print_exc()
    return f"internal error ({type(exc).__name__}: {exc}); please report it with the file that caused it."
