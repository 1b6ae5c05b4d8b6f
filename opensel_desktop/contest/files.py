"""Reading a file a person named: the checks every reader makes before it reads a byte, in one place.

A pipe or a device would block a reader for ever, a folder or a missing name needs its own sentence, and
a file far larger than its kind can be is refused before it is read into memory. Each reader says what
kind of file it wanted (`what`, e.g. "a BLT file") and turns the refusal into its own error type.
"""

from __future__ import annotations

import stat
from pathlib import Path


class FileRefused(Exception):
    """One sentence, without the file name, saying why the named file cannot be read."""


def read_named_file(path: str | Path, limit: int, what: str, *, too_large: str | None = None,
                    missing: str = "no such file; check the name and folder.", hint: str = "") -> bytes:
    """The file's bytes, or FileRefused. `hint` follows the folder and pipe sentences ("; give the ...")."""
    p = Path(path)
    try:
        mode = p.stat().st_mode
        if stat.S_ISDIR(mode):
            raise FileRefused(f"this is a folder, not {what}{hint}.")
        if not stat.S_ISREG(mode):  # opening a pipe or device would wait for ever
            raise FileRefused(f"this is a pipe or device, not {what}{hint}.")
        if p.stat().st_size > limit:
            raise FileRefused(too_large or f"the file is too large to be {what}.")
        with open(p, "rb") as f:
            data = f.read(limit + 1)
        if len(data) > limit:  # it grew while we looked
            raise FileRefused(too_large or f"the file is too large to be {what}.")
        return data
    except FileNotFoundError:
        raise FileRefused(missing) from None
    except IsADirectoryError:
        raise FileRefused(f"this is a folder, not {what}{hint}.") from None
    except PermissionError:
        raise FileRefused("the file cannot be read (permission denied).") from None
    except OSError as exc:
        raise FileRefused(f"the file cannot be read ({exc.strerror or exc}).") from None
