"""The .osel file: one SQLite database (WAL, synchronous FULL) with a meta table and the journal.

Opening never modifies a file we refuse: the header is checked by reading bytes before SQLite
sees the file, read-only opens use SQLite's URI `mode=ro` (or `immutable=1` when no write-ahead
log is present, so that not even a -shm file appears), and a file is created under a temporary
name and linked into place, so an existing file is never overwritten and a half-created one
never appears under the user's name.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opensel_desktop import __version__

APPLICATION_ID = 0x4F53454C  # "OSEL" in the SQLite header (offset 68): a quick "is this ours?"
SCHEMA_VERSION = 1  # PRAGMA user_version; raise it with a step in MIGRATIONS (STYLE.md habit 8)
FORMAT = "opensel-osel"

SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, actor TEXT NOT NULL,"
    " station TEXT NOT NULL, batch TEXT NOT NULL, at TEXT NOT NULL, payload TEXT NOT NULL,"
    " prev TEXT NOT NULL, hash TEXT NOT NULL)",
)

# Forward migrations: MIGRATIONS[n] upgrades a version-n file to n+1 inside one transaction.
# Events are never rewritten by a migration (their hashes are the record); only tables around them.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}


class StoreError(Exception):
    """A file we will not open or write, with one sentence saying why and what to do."""


@dataclass(frozen=True, slots=True)
class Header:
    page_size: int
    pages: int
    user_version: int
    application_id: int


def read_header(path: Path) -> Header:
    """Check the SQLite header by reading bytes only: not SQLite, not ours, or truncated is refused."""
    name = str(path)
    if path.exists() and not (path.is_file() or path.is_dir()):  # a pipe or device: opening or reading it would never end
        raise StoreError(f"{name}: this is a pipe or device, not a saved contest (.osel); open the .osel file.")
    try:
        with open(path, "rb") as f:
            head = f.read(100)
        size = path.stat().st_size
    except FileNotFoundError:
        raise StoreError(f"{name}: no such file; check the name and folder.") from None
    except IsADirectoryError:
        raise StoreError(f"{name}: this is a folder, not a saved contest (.osel).") from None
    except PermissionError:
        raise StoreError(f"{name}: the file cannot be read (permission denied).") from None
    except OSError as exc:
        raise StoreError(f"{name}: the file cannot be read ({exc.strerror}).") from None
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        if size == 0 or (len(head) < 100 and head and b"SQLite format 3\x00".startswith(head[:16])):
            raise StoreError(f"{name}: the file is empty or truncated; use your backup copy of the saved contest.")
        raise StoreError(f"{name}: this is not an OpenSel saved contest (.osel); open the .osel file the app saved.")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    header = Header(page_size, int.from_bytes(head[28:32], "big"), int.from_bytes(head[60:64], "big"),
                    int.from_bytes(head[68:72], "big"))
    if header.application_id != APPLICATION_ID:
        raise StoreError(f"{name}: this is an SQLite database but not an OpenSel saved contest (.osel); "
                         "open the .osel file the app saved.")
    if page_size < 512 or size % page_size or size < header.pages * page_size:
        raise StoreError(f"{name}: the file is truncated or damaged; use your backup copy of the saved contest.")
    if header.user_version > SCHEMA_VERSION:
        raise StoreError(f"{name}: the file was saved by a newer OpenSel (format {header.user_version}; this "
                         f"version reads up to {SCHEMA_VERSION}); install the newer version to open it.")
    return header


def _uri(path: Path, **params: str) -> str:
    return "file:" + urllib.parse.quote(str(path.resolve())) + "?" + urllib.parse.urlencode(params)


def connect(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """Open an existing .osel; refuses files that are not ours, newer, truncated or damaged, unmodified."""
    p = Path(path)
    header = read_header(p)
    wal = Path(str(p) + "-wal")
    try:
        if readonly:
            # immutable=1 writes nothing at all, not even a -shm file, but is only safe when no writer has
            # the file open (a -wal file exists whenever one does, or after a crash): then mode=ro
            has_wal = wal.exists()
            conn = sqlite3.connect(_uri(p, mode="ro") if has_wal else _uri(p, mode="ro", immutable="1"),
                                   uri=True, isolation_level=None, check_same_thread=False)
        else:
            if not os.access(p, os.W_OK):
                raise StoreError(f"{p}: the file is read-only; open it as an auditor or copy it somewhere writable.")
            conn = sqlite3.connect(_uri(p, mode="rw"), uri=True, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        _check_tables(conn, p)
        if not readonly and header.user_version < SCHEMA_VERSION:
            migrate(conn, header.user_version)
        return conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{p}: the saved contest is damaged ({exc}); use your backup copy.") from None


def _check_tables(conn: sqlite3.Connection, p: Path) -> None:
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"meta", "events"} <= tables:
            raise StoreError(f"{p}: the saved contest is missing its journal; use your backup copy.")
        fmt = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{p}: the saved contest is damaged ({exc}); use your backup copy.") from None
    if fmt is None or fmt[0] != FORMAT:
        conn.close()
        raise StoreError(f"{p}: this is not an OpenSel saved contest (.osel); open the .osel file the app saved.")


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Apply each forward step in turn, each in its own transaction, recording the new version."""
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('app_version', ?)", (__version__,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def create(path: str | Path, first: Callable[[sqlite3.Connection], str]) -> None:
    """Create a new .osel at `path`; `first(conn)` writes the first event and returns the contest id.

    Built under a temporary name in the same folder, then hard-linked into place: link() fails if
    the name exists, so nothing is ever overwritten, even by a race.
    """
    p = Path(path)
    if p.exists():
        raise StoreError(f"{p}: a file with this name already exists; choose another name (nothing was changed).")
    if not p.parent.exists():
        raise StoreError(f"{p}: the folder {p.parent} does not exist; create it or choose another place.")
    tmp = p.with_name(f".{p.name}.{os.getpid()}.creating")
    try:
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            for statement in SCHEMA:
                conn.execute(statement)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("app_version", __version__)])
            contest_id = first(conn)
            conn.execute("INSERT INTO meta VALUES ('contest_id', ?)", (contest_id,))
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        try:
            os.link(tmp, p)
        except FileExistsError:
            raise StoreError(f"{p}: a file with this name already exists; choose another name.") from None
        except OSError:
            # file systems without hard links (FAT on a USB stick): exclusive create, then copy
            with open(p, "xb") as out, open(tmp, "rb") as src:
                out.write(src.read())
                out.flush()
                os.fsync(out.fileno())
    finally:
        for leftover in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
            leftover.unlink(missing_ok=True)


def meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())
