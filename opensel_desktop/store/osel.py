"""The .osel file: one SQLite database with a meta table and the journal, sealed against outside edits.

Durability and the file alone. The file uses SQLite's rollback journal (journal_mode DELETE,
synchronous FULL): when a commit returns, every acknowledged event is in the .osel file itself, so a
copy of it taken at any moment the app is idle (to a USB stick, say) is complete. A write that fails
half-way (a full disk, a pulled plug) leaves a "hot" `-journal` file beside it; the next writable open
rolls the unfinished transaction back, and a read-only open reads a private recovered copy, so the
file is never unopenable and nothing acknowledged is lost. Files written by earlier versions in WAL
mode are read as they are and converted on their first writable open.

The seal. Opening compares the file's schema (tables, indexes, triggers, views), its `user_version`
and `application_id` and the names in its meta table with exactly what OpenSel creates, and refuses
anything else with one sentence: a trigger that silently drops papers, an extra table or index, or a
version changed by hand is never read as a saved contest.

Opening never modifies a file we refuse: the header is checked by reading bytes before SQLite sees
the file, read-only opens use SQLite's URI `mode=ro`, and a file is created under a temporary name
and linked into place, so an existing file is never overwritten and a half-created one never
appears under the user's name.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opensel_desktop import __version__

APPLICATION_ID = 0x4F53454C  # "OSEL" in the SQLite header (offset 68): a quick "is this ours?"
# PRAGMA user_version; raise it with a step in MIGRATIONS and keep a file of the older version in tests
SCHEMA_VERSION = 2
FORMAT = "opensel-osel"

SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, actor TEXT NOT NULL,"
    " station TEXT NOT NULL, batch TEXT NOT NULL, at TEXT NOT NULL, payload TEXT NOT NULL,"
    " prev TEXT NOT NULL, hash TEXT NOT NULL)",
)
META_KEYS = frozenset({"format", "app_version", "contest_id", "head", "events"})
JOURNAL_MODE = "delete"
WAL_MODE_BYTES = b"\x02\x02"  # header bytes 18-19 of a file in WAL mode (written by version 1)

# Forward migrations: MIGRATIONS[n] upgrades a version-n file to n+1 inside one transaction.
# Events are never rewritten by a migration (their hashes are the record); only tables around them.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: lambda conn: None,  # version 2 changes only the journal mode (set on every writable open)
}


class StoreError(Exception):
    """A file we will not open or write, with one sentence saying why and what to do."""


@dataclass(frozen=True, slots=True)
class Header:
    page_size: int
    pages: int
    user_version: int
    application_id: int
    wal: bool  # written in WAL mode (an older version's file)


def hot_journal(path: Path) -> bool:
    """A rollback journal left by a write that did not finish (a crash or a full disk)."""
    j = Path(str(path) + "-journal")
    try:
        return j.is_file() and j.stat().st_size > 0
    except OSError:
        return False


def _nonempty(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


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
                    int.from_bytes(head[68:72], "big"), head[18:20] == WAL_MODE_BYTES)
    if header.application_id != APPLICATION_ID:
        raise StoreError(f"{name}: this is an SQLite database but not an OpenSel saved contest (.osel); "
                         "open the .osel file the app saved.")
    # an unfinished write may have left the file longer or shorter than its header says: the rollback
    # journal beside it restores it, so the size is only judged when there is none
    if page_size < 512 or (not hot_journal(path) and not header.wal and
                           (size % page_size or size < header.pages * page_size)):
        raise StoreError(f"{name}: the file is truncated or damaged; use your backup copy of the saved contest.")
    # a version 2 file is never in WAL mode, and a version 1 file always was: a header that says otherwise,
    # or a write-ahead log beside a file in rollback mode, was made outside OpenSel (SQLite would read the
    # log's pages over the file's, so a planted -wal could show anything)
    if header.wal and header.user_version >= 2 or not header.wal and header.user_version == 1:
        raise StoreError(f"{name}: its journal mode is not the one OpenSel writes for its format version: the file "
                         "was changed outside OpenSel; it is not read as a saved contest (use the copy you kept, and "
                         "compare the two).")
    if not header.wal and _nonempty(Path(name + "-wal")):
        raise StoreError(f"{name}: a write-ahead log ({Path(name).name}-wal) lies beside it, which OpenSel never "
                         "writes for this file: it was put there outside OpenSel; it is not read as a saved contest "
                         "(move the -wal file away, keep it as evidence, and open the file again).")
    if header.user_version > SCHEMA_VERSION:
        raise StoreError(f"{name}: the file was saved by a newer OpenSel (format {header.user_version}; this "
                         f"version reads up to {SCHEMA_VERSION}); install the newer version to open it.")
    return header


def _uri(path: Path, **params: str) -> str:
    return "file:" + urllib.parse.quote(str(path.resolve())) + "?" + urllib.parse.urlencode(params)


def connect(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """Open an existing .osel; refuses files that are not ours, newer, damaged or unsealed, unmodified."""
    p = Path(path)
    header = read_header(p)
    try:
        if readonly:
            conn = _connect_readonly(p, header)
        else:
            if not os.access(p, os.W_OK):
                raise StoreError(f"{p}: the file is read-only; open it as an auditor or copy it somewhere writable.")
            conn = sqlite3.connect(_uri(p, mode="rw"), uri=True, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 10000")
            _check_seal(conn, p, header.user_version)  # before anything is written, even a journal-mode change
            conn.execute(f"PRAGMA journal_mode = {JOURNAL_MODE}")
            conn.execute("PRAGMA synchronous = FULL")
            if header.user_version < SCHEMA_VERSION:
                migrate(conn, header.user_version)
            return conn
        _check_seal(conn, p, header.user_version)
        return conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{p}: the saved contest is damaged ({exc}); use your backup copy.") from None


def _connect_readonly(p: Path, header: Header) -> sqlite3.Connection:
    """A read-only connection that never writes beside the file (no -shm, no recovery in place)."""
    if header.wal:
        # an older version's WAL file: immutable=1 writes nothing at all, not even a -shm file, but is only
        # safe when no writer has the file open (a -wal file exists whenever one does, or after a crash)
        has_wal = Path(str(p) + "-wal").exists()
        uri = _uri(p, mode="ro") if has_wal else _uri(p, mode="ro", immutable="1")
    else:
        uri = _uri(p, mode="ro")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        # SQLite found a hot journal (an unfinished write) and may not roll it back read-only
        if "readonly" in str(exc).replace(" ", "").lower() and hot_journal(p):
            return _recovered_copy(p)
        raise
    return conn


def _recovered_copy(p: Path) -> sqlite3.Connection:
    """The file as SQLite recovers it from its hot journal, in a private temporary copy: the auditor
    reads every committed event while the file itself stays exactly as found."""
    tmp = Path(tempfile.mkdtemp(prefix="opensel-recover-"))
    try:
        copy = tmp / "recovered.osel"
        shutil.copyfile(p, copy)
        shutil.copyfile(str(p) + "-journal", str(copy) + "-journal")
        conn = sqlite3.connect(str(copy), isolation_level=None)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls the unfinished write back
        conn.close()
        ro = sqlite3.connect(_uri(copy, mode="ro", immutable="1"), uri=True, isolation_level=None,
                             check_same_thread=False)
        ro.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return ro
    finally:
        # the open connection keeps the copy's data readable on POSIX; nothing is left behind
        shutil.rmtree(tmp, ignore_errors=True)


_EXPECTED: frozenset[tuple[str, str, str, str | None]] | None = None


def expected_schema() -> frozenset[tuple[str, str, str, str | None]]:
    """(type, name, table, sql) of every schema object OpenSel creates, read off a fresh database."""
    global _EXPECTED
    if _EXPECTED is None:
        conn = sqlite3.connect(":memory:")
        for statement in SCHEMA:
            conn.execute(statement)
        _EXPECTED = frozenset(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        conn.close()
    return _EXPECTED


def seal_problem(conn: sqlite3.Connection, user_version: int | None = None) -> str | None:
    """One sentence saying how the file differs from what OpenSel writes, or None when it is sealed."""
    rows = frozenset(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    tables = {r[1] for r in rows if r[0] == "table"}
    if not {"meta", "events"} <= tables:
        return "the saved contest is missing its journal"
    fmt = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    if fmt is None or fmt[0] != FORMAT:
        return "this is not an OpenSel saved contest (.osel)"
    for kind, name, _table, _sql in sorted(rows - expected_schema(), key=lambda r: (r[0], r[1])):
        what = {"table": "a table", "index": "an index", "trigger": "a trigger", "view": "a view"}.get(kind, kind)
        same = [r for r in expected_schema() if r[1] == name]
        if same:
            return f"its {name} table was redefined outside OpenSel"
        return f"it holds {what} ({name!r}) that OpenSel never makes: the file was changed outside OpenSel"
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if user_version is not None and version != user_version:  # pragma: no cover - read off the same header
        return "its format version changed while it was being opened"
    if version not in range(1, SCHEMA_VERSION + 1):
        return f"its format version ({version}) is not one OpenSel writes: the file was changed outside OpenSel"
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return "it is not marked as an OpenSel saved contest"
    keys = {k for (k,) in conn.execute("SELECT key FROM meta")}
    unknown = sorted(k for k in keys if k not in META_KEYS)
    missing = sorted(META_KEYS - keys)
    if missing:
        return f"its meta table lacks an entry OpenSel always writes ({missing[0]!r}): the file was changed outside OpenSel"
    if unknown:
        return f"its meta table holds an entry OpenSel never writes ({unknown[0]!r}): the file was changed outside OpenSel"
    return None


def _check_seal(conn: sqlite3.Connection, p: Path, user_version: int) -> None:
    try:
        problem = seal_problem(conn, user_version)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{p}: the saved contest is damaged ({exc}); use your backup copy.") from None
    if problem is not None:
        conn.close()
        if problem.startswith("this is not"):
            raise StoreError(f"{p}: {problem}; open the .osel file the app saved.")
        if problem.endswith("journal"):
            raise StoreError(f"{p}: {problem}; use your backup copy.")
        raise StoreError(f"{p}: {problem}; it is not read as a saved contest (use the copy you kept, and "
                         "compare the two).")


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Apply each forward step in turn, each in its own transaction, recording the new version."""
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("UPDATE meta SET value = ? WHERE key = 'app_version'", (__version__,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def create(path: str | Path, first: Callable[[sqlite3.Connection], str]) -> None:
    """Create a new .osel at `path`; `first(conn)` writes the first events and returns the contest id.

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
            conn.execute(f"PRAGMA journal_mode = {JOURNAL_MODE}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            for statement in SCHEMA:
                conn.execute(statement)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("app_version", __version__)])
            contest_id = first(conn)
            conn.execute("INSERT INTO meta VALUES ('contest_id', ?)", (contest_id,))
            conn.execute("COMMIT")
        finally:
            conn.close()
        try:
            os.link(tmp, p)
        except FileExistsError:
            raise StoreError(f"{p}: a file with this name already exists; choose another name.") from None
        except OSError as exc:
            if exc.errno in (28, 122):  # ENOSPC, EDQUOT
                raise StoreError(f"{p}: the disk is full; free some space and try again (nothing was "
                                 "created).") from None
            # file systems without hard links (FAT on a USB stick): exclusive create, then copy
            try:
                with open(p, "xb") as out, open(tmp, "rb") as src:
                    out.write(src.read())
                    out.flush()
                    os.fsync(out.fileno())
            except FileExistsError:
                raise StoreError(f"{p}: a file with this name already exists; choose another name.") from None
            except OSError:
                p.unlink(missing_ok=True)  # never leave half a copy under the user's name
                raise StoreError(f"{p}: the saved contest could not be written (is the disk full?); nothing "
                                 "was created.") from None
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{p}: the saved contest could not be created ({exc}); check the disk and try "
                         "again (nothing was created).") from None
    finally:
        for leftover in (tmp, Path(str(tmp) + "-journal"), Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
            leftover.unlink(missing_ok=True)


def meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())
