"""The append-only journal: one transaction per write (durable on return: synchronous FULL), a hash
chain over every event, and a verifier that names the first event that does not hold.

A write is planned inside its own lock (`transact`): the events other processes appended since the
writer last looked are read first, under the same `BEGIN IMMEDIATE`, and only then does the writer
decide what to append (the next paper number, say). Two writers on one file can therefore never both
take paper 400 of a batch, and a declaration always counts the papers as they are when it is written.

The meta table keeps the head hash and the number of events, updated in the same transaction as
each append, so that removing events from the end without fixing meta is caught too (the chain alone
cannot see it; what the file proves against a deliberate removal is said in docs/trust.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from opensel_desktop.store import osel
from opensel_desktop.store.events import CONTEST_CREATED, GENESIS, KINDS, Body, Event, seal
from opensel_desktop.store.osel import StoreError

COLUMNS = "seq, kind, actor, station, batch, at, payload, prev, hash"


@dataclass(frozen=True, slots=True)
class Draft:
    """An event before it has a place in the chain."""

    body: Body
    actor: str
    station: str
    at: str


Plan = Callable[[list[Event], dict[str, str]], Sequence[Draft]]


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    events: int  # events that verified, from the first
    head: str  # hash of the last event that verified
    first_bad: int | None = None  # seq of the first event that does not verify
    message: str = ""  # one sentence: what is wrong, or that all holds


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _walk(events: Sequence[Event], done: int, prev: str) -> ChainReport | None:
    """Check events that should follow event `done` (hash `prev`); None when all of them hold."""
    for expected, ev in enumerate(events, start=done + 1):
        fail = None
        if not isinstance(ev.seq, int) or ev.seq != expected:
            fail = f"event {expected} is missing or out of place: the journal was edited outside OpenSel."
        else:
            try:
                good = ev.expected_hash() == ev.hash
            except (TypeError, ValueError):
                good = False
            if not good:
                fail = f"event {expected} ({_label(str(ev.kind))}) was changed after it was written."
            elif ev.prev != prev:
                fail = (f"event {expected} ({_label(ev.kind)}) does not follow event {expected - 1}: "
                        "the journal was edited outside OpenSel.")
            elif ev.kind not in KINDS or (ev.kind == CONTEST_CREATED) != (expected == 1):
                fail = f"event {expected} has a kind ({ev.kind!r}) that does not belong there."
        if fail:
            return ChainReport(False, expected - 1, prev, expected, fail)
        prev = ev.hash
    return None


def _ends(n: int, prev: str, meta: dict[str, str]) -> ChainReport:
    if meta.get("head") != prev or meta.get("events") != str(n):
        return ChainReport(False, n, prev, n + 1,
                           f"event {n + 1} is missing: the file records {meta.get('events')} events but the "
                           f"journal ends at event {n}.")
    return ChainReport(True, n, prev, None, f"all {n} events verify; head {prev}.")


def verify_events(events: Sequence[Event], meta: dict[str, str]) -> ChainReport:
    """Check the chain from the first event: sequence, links, hashes, kinds, and the recorded head."""
    bad = _walk(events, 0, GENESIS)
    if bad is not None:
        return bad
    if not events:
        return ChainReport(False, 0, GENESIS, 1, "the journal is empty: event 1 (contest created) is missing.")
    if meta.get("contest_id") != events[0].hash:
        return ChainReport(False, 0, GENESIS, 1,
                           "event 1 (contest created) does not match the contest id recorded in the file.")
    return _ends(len(events), events[-1].hash, meta)


def verify_tail(before: ChainReport, new: Sequence[Event], meta: dict[str, str]) -> ChainReport:
    """Continue a verified chain with events appended since (by this or another process)."""
    bad = _walk(new, before.events, before.head)
    if bad is not None:
        return bad
    return _ends(before.events + len(new), new[-1].hash if new else before.head, meta)


class Journal:
    """A connection to one .osel and its journal. Read-only journals refuse every write."""

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool):
        self.conn = conn
        self.path = path
        self.readonly = readonly

    @classmethod
    def open(cls, path: str | Path, readonly: bool = False) -> Journal:
        return cls(osel.connect(path, readonly), Path(path), readonly)

    @classmethod
    def create(cls, path: str | Path, drafts: Sequence[Draft]) -> Journal:
        """A new file whose journal starts with `drafts` (the first is contest_created), all in one go."""

        def write_first(conn: sqlite3.Connection) -> str:
            prev, first = GENESIS, ""
            for seq, d in enumerate(drafts, start=1):
                ev = seal(prev, seq, d.body, d.actor, d.station, d.at)
                _insert(conn, ev, Path(path))
                prev, first = ev.hash, first or ev.hash
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [("head", prev), ("events", str(len(drafts)))])
            return first

        osel.create(path, write_first)
        return cls.open(path)

    def close(self) -> None:
        self.conn.close()

    def meta(self) -> dict[str, str]:
        try:
            return osel.meta(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the saved contest is damaged ({exc}); use your backup copy.") from None

    def events(self, after: int = 0) -> list[Event]:
        try:
            rows = self.conn.execute(f"SELECT {COLUMNS} FROM events WHERE seq > ? ORDER BY seq", (after,)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the saved contest is damaged ({exc}); use your backup copy.") from None
        return [Event(*row) for row in rows]

    def snapshot(self, after: int = 0) -> tuple[list[Event], dict[str, str]]:
        """Events after `after` and the meta table, read in one transaction (a consistent pair even
        while another process appends)."""
        conn = self.conn
        try:
            conn.execute("BEGIN")
            try:
                return self.events(after), self.meta()
            finally:
                conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the saved contest is damaged ({exc}); use your backup copy.") from None

    def verify(self) -> ChainReport:
        return verify_events(*self.snapshot())

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file (SQLite's PRAGMA data_version)."""
        try:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: the saved contest is damaged ({exc}); use your backup copy.") from None

    def transact(self, after: int, plan: Plan) -> tuple[list[Event], dict[str, str], list[Event]]:
        """One write under the file's write lock: read the events after `after` (written by others since
        the caller last looked) and the meta table, ask `plan(new, meta)` what to append, append it, commit.

        Returns (new, meta before the write, written). When it returns the events are on disk
        (synchronous FULL). If `plan` raises, nothing is written and the exception propagates."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only (auditor); nothing can be added.")
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(_write_failure(self.path, exc)) from None
        try:
            new = self.events(after)
            meta = self.meta()
            drafts = plan(new, meta)
            row = conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = row if row else (0, GENESIS)
            written = []
            for d in drafts:
                seq += 1
                ev = seal(prev, seq, d.body, d.actor, d.station, d.at)
                _insert(conn, ev, self.path)
                written.append(ev)
                prev = ev.hash
            if written:
                conn.execute("UPDATE meta SET value = CASE key WHEN 'head' THEN ? ELSE ? END "
                             "WHERE key IN ('head', 'events')", (prev, str(seq)))
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            _rollback(conn)
            raise StoreError(_write_failure(self.path, exc)) from None
        except BaseException:
            _rollback(conn)
            raise
        return new, meta, written


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError:
        pass  # SQLite already rolled back (a full disk does that itself)


def _write_failure(path: Path, exc: sqlite3.OperationalError) -> str:
    text = str(exc)
    if "full" in text or "disk I/O" in text:
        return f"{path}: the disk is full or failing, so this entry was NOT saved (everything saved before it is safe); free some space and enter it again."
    if "locked" in text or "busy" in text:
        return f"{path}: another window or program is writing to the saved contest; try again in a moment (this entry was not saved)."
    return f"{path}: the entry could not be saved ({text}); check the disk and try again."


def _insert(conn: sqlite3.Connection, ev: Event, path: Path) -> None:
    cur = conn.execute(f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (ev.seq, ev.kind, ev.actor, ev.station, ev.batch, ev.at, ev.payload, ev.prev, ev.hash))
    if cur.rowcount != 1:  # something inside the file swallowed the row (the seal refuses such files at open)
        raise StoreError(f"{path}: the saved contest refused to store an event; it was changed outside OpenSel "
                         "(use the copy you kept).")
