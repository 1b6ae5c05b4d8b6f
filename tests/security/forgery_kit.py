"""What a forger can do to a declared, signed .osel outside OpenSel: sqlite3, bytes, the event hash
scheme as the source documents it (recomputed here in a few lines, as anyone could), and a key of
their own. Each forgery is a function `(kit, out_dir) -> Forged`; `FORGERIES` lists them all.

The kit never calls OpenSel's store to write: the forged files are made with sqlite3 and byte edits
only. It borrows OpenSel's public key and signing helpers where a forger would sign something with
their own key (they have the source too).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
COLUMNS = ("seq", "kind", "actor", "station", "batch", "at", "payload", "prev", "hash")


def canonical(value: Any) -> str:
    """The canonical JSON of the documented scheme: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(prev: str, seq: int, kind: str, actor: str, station: str, batch: str, at: str, payload: str) -> str:
    text = canonical(["opensel-event-v1", prev, seq, kind, actor, station, batch, at, payload])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Row:
    """One stored event as sqlite3 reads it, payload parsed."""

    kind: str
    actor: str
    station: str
    batch: str
    at: str
    data: dict[str, Any]
    seq: int = 0
    prev: str = ""
    hash: str = ""


def read_rows(path: Path) -> list[Row]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM events ORDER BY seq").fetchall()
    finally:
        conn.close()
    return [Row(kind, actor, station, batch, at, json.loads(payload), seq, prev, h)
            for seq, kind, actor, station, batch, at, payload, prev, h in rows]


def write_rows(path: Path, rows: list[Row]) -> None:
    """Replace the journal with `rows`, renumbered and re-chained by the documented scheme, meta fixed
    (head, events, contest id): a forgery that is consistent in itself."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("DELETE FROM events")
        prev = GENESIS
        for seq, r in enumerate(rows, start=1):
            payload = canonical(r.data)
            h = event_hash(prev, seq, r.kind, r.actor, r.station, r.batch, r.at, payload)
            conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (seq, r.kind, r.actor, r.station, r.batch, r.at, payload, prev, h))
            if seq == 1:
                conn.execute("UPDATE meta SET value = ? WHERE key = 'contest_id'", (h,))
            prev = h
        conn.execute("UPDATE meta SET value = ? WHERE key = 'head'", (prev,))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'events'", (str(len(rows)),))
        conn.execute("COMMIT")
    finally:
        conn.close()


def sql(path: Path, *statements: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for s in statements:
            conn.execute(s, params) if params else conn.execute(s)
    finally:
        conn.close()


@dataclass(frozen=True)
class Kit:
    """What the forger holds: the genuine meeting file and its signed sheet, a genuine backup taken before
    the declaration, another contest of the same officer, a file Mallory made with OpenSel and her own
    key (the same contest, other papers, another winner), Mallory's key file and its passphrase."""

    meeting: Path
    sheet: Path
    before_declaration: Path
    other_contest: Path
    mallory_file: Path
    mallory_key: Path
    passphrase: str


@dataclass(frozen=True)
class Forged:
    name: str
    osel: Path | None = None  # a forged saved contest, checked with audit/verify and against the genuine sheet
    sheet: Path | None = None  # a forged sheet, checked against the published key and the genuine contest
    extra: tuple[Path, ...] = field(default=())  # files planted beside it (a -wal), removed after the check


def copy(kit: Kit, out: Path, name: str, source: Path | None = None) -> Path:
    target = out / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".osel")
    shutil.copyfile(source or kit.meeting, target)
    return target


def index(rows: list[Row], kind: str, nth: int = 0) -> int:
    return [i for i, r in enumerate(rows) if r.kind == kind][nth]


def mallory(kit: Kit):
    from opensel_desktop.app.keys import load_officer_key

    return load_officer_key(kit.mallory_key, kit.passphrase)


FORGERIES: list[tuple[str, Callable[[Kit, Path], Forged]]] = []


def forgery(name: str):
    def register(fn: Callable[[Kit, Path, str], Forged]):
        FORGERIES.append((name, lambda kit, out: fn(kit, out, name)))
        return fn
    return register


# ---- 1. edits in place, the chain left as it was ------------------------------------------------------

def _raw(name: str, *statements: str) -> None:
    @forgery(name)
    def _(kit: Kit, out: Path, n: str) -> Forged:
        p = copy(kit, out, n)
        sql(p, *statements)
        return Forged(n, p)


_raw("raw: first paper's marks changed", "UPDATE events SET payload = replace(payload, '\"marks\":[0,1]', "
     "'\"marks\":[1,0]') WHERE seq = 3")
_raw("raw: last paper's marks changed", "UPDATE events SET payload = replace(payload, '\"marks\":[0,3]', "
     "'\"marks\":[3,0]') WHERE seq = 11")
_raw("raw: a paper's kind changed", "UPDATE events SET kind = 'paper_withdrawn' WHERE seq = 4")
_raw("raw: the declaration's actor changed", "UPDATE events SET actor = 'Mallory' WHERE kind = 'declared'")
_raw("raw: a paper's time changed", "UPDATE events SET at = '2026-01-01T00:00:00.000Z' WHERE seq = 5")
_raw("raw: a paper moved to another batch", "UPDATE events SET batch = '2' WHERE seq = 6")
_raw("raw: a paper's station changed", "UPDATE events SET station = 'table-9' WHERE seq = 7")
_raw("raw: the declared winner changed", "UPDATE events SET payload = replace(payload, '\"elected\":[\"Siân Evans\"]',"
     " '\"elected\":[\"Tom Jones\"]') WHERE kind = 'declared'")
_raw("raw: a declared figure changed", "UPDATE events SET payload = replace(payload, '\"quota\":\"5\"', "
     "'\"quota\":\"4\"') WHERE kind = 'declared'")
_raw("raw: a candidate renamed in the contest", "UPDATE events SET payload = replace(payload, 'Tom Jones', "
     "'Tom Jonas') WHERE seq = 1")
_raw("raw: the declaration's signature altered", "UPDATE events SET payload = replace(payload, '\"value\":\"30', "
     "'\"value\":\"31') WHERE kind = 'declared'")
_raw("raw: a checkpoint's signature altered", "UPDATE events SET payload = replace(payload, '\"signature\":\"30', "
     "'\"signature\":\"31') WHERE kind = 'journal_signed'")
_raw("raw: an event's prev link changed", "UPDATE events SET prev = hash WHERE seq = 8")
_raw("raw: two papers' places swapped", "UPDATE events SET seq = 1000 WHERE seq = 4",
     "UPDATE events SET seq = 4 WHERE seq = 5", "UPDATE events SET seq = 5 WHERE seq = 1000")
_raw("raw: meta head changed", "UPDATE meta SET value = '" + "ab" * 32 + "' WHERE key = 'head'")
_raw("raw: meta event count changed", "UPDATE meta SET value = '99' WHERE key = 'events'")
_raw("raw: meta contest id changed", "UPDATE meta SET value = '" + "cd" * 32 + "' WHERE key = 'contest_id'")
_raw("raw: the last event deleted, meta left", "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)")
_raw("raw: a paper deleted, the chain left", "DELETE FROM events WHERE seq = 6")


@forgery("raw: a paper's payload and hash rewritten, later links left")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    r = read_rows(p)[2]
    payload = canonical({**r.data, "marks": [1, 0]})
    h = event_hash(r.prev, r.seq, r.kind, r.actor, r.station, r.batch, r.at, payload)
    sql(p, "UPDATE events SET payload = ?, hash = ? WHERE seq = ?", params=(payload, h, r.seq))
    return Forged(n, p)


# ---- 2. edits with the chain recomputed and meta fixed ------------------------------------------------

def _rechained(name: str, edit: Callable[[list[Row], Kit], list[Row]]) -> None:
    @forgery(name)
    def _(kit: Kit, out: Path, n: str) -> Forged:
        p = copy(kit, out, n)
        write_rows(p, edit(read_rows(p), kit))
        return Forged(n, p)


def _set(rows: list[Row], i: int, **data: Any) -> list[Row]:
    rows[i] = replace(rows[i], data={**rows[i].data, **data})
    return rows


def _papers(rows: list[Row]) -> list[int]:
    return [i for i, r in enumerate(rows) if r.kind == "paper_entered"]


_rechained("chain: a paper's marks changed", lambda rows, kit: _set(rows, _papers(rows)[0], marks=[1, 0]))
_rechained("chain: every paper for Siân moved to Tom", lambda rows, kit: [
    replace(r, data={**r.data, "marks": [1 if m == 0 else (0 if m == 1 else m) for m in r.data["marks"]]})
    if r.kind == "paper_entered" else r for r in rows])
_rechained("chain: a paper's teller renamed", lambda rows, kit: [
    replace(r, actor="Mallory") if i == _papers(rows)[1] else r for i, r in enumerate(rows)])
_rechained("chain: a paper's time moved", lambda rows, kit: [
    replace(r, at="2026-12-04T23:59:59.000Z") if i == _papers(rows)[2] else r for i, r in enumerate(rows)])
_rechained("chain: the contest's title changed", lambda rows, kit: _set(
    rows, 0, contest={**rows[0].data["contest"], "title": "Another selection"}))
_rechained("chain: the declared winner changed",
           lambda rows, kit: _set(rows, index(rows, "declared"), elected=["Tom Jones"]))
_rechained("chain: the declared account changed", lambda rows, kit: _set(
    rows, index(rows, "declared"), account={**rows[index(rows, "declared")].data["account"], "counted": 90}))
_rechained("chain: the override reason changed", lambda rows, kit: _set(
    rows, index(rows, "declared"), override_reason="the account was checked by both agents"))
_rechained("chain: the declaring officer renamed",
           lambda rows, kit: _set(rows, index(rows, "declared"), officer="Mallory Smith"))
_rechained("chain: the declaration downgraded to the first signature scheme", lambda rows, kit: _set(
    rows, index(rows, "declared"), signature={k: v for k, v in rows[index(rows, "declared")].data["signature"].items()
                                              if k != "covers"}))
_rechained("chain: the declaration's signature removed", lambda rows, kit: [
    replace(r, data={k: v for k, v in r.data.items() if k != "signature"}) if r.kind == "declared" else r
    for r in rows])
_rechained("chain: a checkpoint's event count changed",
           lambda rows, kit: _set(rows, index(rows, "journal_signed"), events=5))
_rechained("chain: the sheet's recorded signed text changed", lambda rows, kit: _set(
    rows, index(rows, "signature_recorded"),
    signed_text=rows[index(rows, "signature_recorded")].data["signed_text"].replace("state=declared",
                                                                                "state=provisional")))


@forgery("chain: the declared result and its digest rewritten together")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    rows = read_rows(p)
    i = index(rows, "declared")
    result = json.loads(json.dumps(rows[i].data["result"]))
    result["elected"] = ["Tom Jones"]
    digest = hashlib.sha256(canonical(result).encode("utf-8")).hexdigest()
    write_rows(p, _set(rows, i, result=result, digest=digest, elected=["Tom Jones"]))
    return Forged(n, p)


@forgery("chain: the pinned certificate replaced by Mallory's")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    rows = read_rows(p)
    theirs = read_rows(kit.mallory_file)[index(read_rows(kit.mallory_file), "officer_key_pinned")]
    rows[index(rows, "officer_key_pinned")] = replace(rows[index(rows, "officer_key_pinned")], data=theirs.data)
    write_rows(p, rows)
    return Forged(n, p)


@forgery("chain: a payload field OpenSel never writes added")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    rows = read_rows(p)
    write_rows(p, _set(rows, _papers(rows)[0], weight=5))
    return Forged(n, p)


# ---- 3. deletions with meta head and count fixed ------------------------------------------------------

def _deleted(name: str, pick: Callable[[list[Row]], list[int]]) -> None:
    _rechained(name, lambda rows, kit: [r for i, r in enumerate(rows) if i not in set(pick(rows))])


_deleted("delete: everything from the declaration on", lambda rows: list(range(index(rows, "declared"), len(rows))))
_deleted("delete: the declaration alone", lambda rows: [index(rows, "declared")])
_deleted("delete: a paper for Tom", lambda rows: [i for i in _papers(rows) if rows[i].data["marks"][0] == 1][:1])
_deleted("delete: the pinned key", lambda rows: [index(rows, "officer_key_pinned")])
_deleted("delete: the signed checkpoint", lambda rows: [index(rows, "journal_signed")])
_deleted("delete: the provisional count", lambda rows: [index(rows, "count_run")])
_deleted("delete: every event but the contest's creation", lambda rows: list(range(1, len(rows))))
_deleted("delete: the last paper and all after it", lambda rows: list(range(_papers(rows)[-1], len(rows))))


@forgery("delete: the meta row of the head")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    sql(p, "DELETE FROM meta WHERE key = 'head'")
    return Forged(n, p)


@forgery("delete: the meta row of the app version")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    sql(p, "DELETE FROM meta WHERE key = 'app_version'")
    return Forged(n, p)


# ---- 4. inserts, the chain recomputed --------------------------------------------------------------------

def _inserted(name: str, where: Callable[[list[Row]], int], make: Callable[[list[Row], Kit], Row]) -> None:
    def edit(rows: list[Row], kit: Kit) -> list[Row]:
        at = where(rows)
        return rows[:at] + [make(rows, kit)] + rows[at:]
    _rechained(name, edit)


def _after_declaration(rows: list[Row]) -> int:
    return index(rows, "declared") + 1


def _paper(rows: list[Row], batch: str = "1", paper: int = 10, marks: list[int] | None = None) -> Row:
    last = rows[_papers(rows)[-1]]
    return replace(last, batch=batch, data={**last.data, "paper": paper, "marks": marks or [1, 0]})


_inserted("insert: a paper for Tom before the declaration", lambda rows: _papers(rows)[-1] + 1,
          lambda rows, kit: _paper(rows))
_inserted("insert: a paper after the declaration", _after_declaration, lambda rows, kit: _paper(rows, "2", 1))
_inserted("insert: a withdrawal of a paper for Siân before the count", lambda rows: _papers(rows)[-1] + 1,
          lambda rows, kit: replace(rows[_papers(rows)[0]], kind="paper_withdrawn",
                                    data={"paper": 1, "reason": "keyed by mistake", "side": "first"}))
_inserted("insert: account figures after the declaration", _after_declaration,
          lambda rows, kit: replace(rows[0], kind="account_figures", batch="",
                                    data={"channel": "in-room", "issued": 9, "spoilt": 0, "unused": 0, "returned": 9}))
_inserted("insert: a lot after the declaration", _after_declaration,
          lambda rows, kit: replace(rows[0], kind="lot_drawn", batch="",
                                    data={"key": "2:exclude:Aisha Rahman|Łukasz Nowak", "stage": 2,
                                          "among": ["Łukasz Nowak", "Aisha Rahman"], "purpose": "exclude",
                                          "chosen": "Aisha Rahman", "how": "recorded", "seed": None,
                                          "witness": "Mallory", "reason": ""}))
_inserted("insert: another provisional count after the declaration", _after_declaration,
          lambda rows, kit: replace(rows[index(rows, "count_run")]))
_inserted("insert: a second declaration after the first", _after_declaration,
          lambda rows, kit: replace(rows[index(rows, "declared")], actor="Mallory"))
_inserted("insert: a paper correction after the declaration", _after_declaration,
          lambda rows, kit: replace(rows[_papers(rows)[0]], kind="paper_corrected",
                                    data={"paper": 1, "marks": [1, 0], "side": "first", "reason": "slip"}))
_inserted("insert: a station registered after the declaration", _after_declaration,
          lambda rows, kit: replace(rows[0], kind="station_registered", batch="",
                                    data={"station": "table-9", "public_key": "00" * 32, "batches": [],
                                          "pack_sha256": "00" * 32}))
_inserted("insert: a second pinned key (Mallory's)", lambda rows: index(rows, "officer_key_pinned") + 1,
          lambda rows, kit: read_rows(kit.mallory_file)[index(read_rows(kit.mallory_file), "officer_key_pinned")])
_inserted("insert: an event of a kind OpenSel never writes", _after_declaration,
          lambda rows, kit: replace(rows[0], kind="result_amended", batch="", data={"elected": ["Tom Jones"]}))


@forgery("insert: a checkpoint signed with Mallory's key")
def _(kit: Kit, out: Path, n: str) -> Forged:
    from opensel_desktop.app.trust import checkpoint_text

    p = copy(kit, out, n)
    rows = read_rows(p)
    key = mallory(kit)
    last = rows[-1]
    text = checkpoint_text(rows[0].hash, last.hash, last.seq)
    rows.append(replace(rows[index(rows, "journal_signed")], data={
        "head": last.hash, "events": last.seq, "fingerprint": key.fingerprint, "signature": key.sign(text).hex(),
        "reason": "after the declaration"}))
    write_rows(p, rows)
    return Forged(n, p)


@forgery("insert: a checkpoint with Jane's fingerprint and Mallory's signature")
def _(kit: Kit, out: Path, n: str) -> Forged:
    from opensel_desktop.app.trust import checkpoint_text

    p = copy(kit, out, n)
    rows = read_rows(p)
    key = mallory(kit)
    jane = rows[index(rows, "journal_signed")].data["fingerprint"]
    last = rows[-1]
    text = checkpoint_text(rows[0].hash, last.hash, last.seq)
    rows.append(replace(rows[index(rows, "journal_signed")], data={
        "head": last.hash, "events": last.seq, "fingerprint": jane, "signature": key.sign(text).hex(),
        "reason": "after the declaration"}))
    write_rows(p, rows)
    return Forged(n, p)


@forgery("insert: a sheet signature recorded by Mallory's key")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    rows = read_rows(p)
    key = mallory(kit)
    sig = rows[index(rows, "signature_recorded")]
    rows.append(replace(sig, data={**sig.data, "fingerprint": key.fingerprint,
                                   "signature": key.sign(sig.data["signed_text"].encode("utf-8")).hex()}))
    write_rows(p, rows)
    return Forged(n, p)


# ---- 5. history rewritten, declared again and signed with another key ---------------------------------------

def _declared_again(kit: Kit, out: Path, n: str, pin_mallory: bool, fingerprint: str | None,
                    sign: bool = True) -> Forged:
    """Jane's file cut at the declaration, papers rewritten so Tom wins, declared again: Mallory's own
    OpenSel file of the same contest supplies a declaration that counts those papers."""
    from opensel_desktop.app.trust import DECLARATION_V2, declaration_record_text
    from opensel_desktop.store.events import Declared

    p = copy(kit, out, n)
    rows = read_rows(p)
    theirs = read_rows(kit.mallory_file)
    cut = index(rows, "count_run")
    head = rows[:_papers(rows)[0]]
    if pin_mallory:
        head[index(head, "officer_key_pinned")] = theirs[index(theirs, "officer_key_pinned")]
    papers = [replace(r, actor=rows[_papers(rows)[0]].actor, at=rows[_papers(rows)[0]].at)
              for r in theirs if r.kind == "paper_entered"]
    declared = theirs[index(theirs, "declared")]
    rows = head + papers + rows[cut:cut][:0]
    write_rows(p, rows)
    rows = read_rows(p)
    body = declared.data
    data = {k: v for k, v in body.items() if k != "signature"}
    if sign:
        key = mallory(kit)
        d = Declared(data["digest"], tuple(data["elected"]), data["result"], data["officer"],
                     data.get("override_reason"), data.get("account"), None)
        text = declaration_record_text(rows[0].hash, rows[-1].hash, d)
        data["signature"] = {"fingerprint": fingerprint or key.fingerprint, "algorithm": "ecdsa-p256-sha256",
                             "head": rows[-1].hash, "value": key.sign(text).hex(), "covers": DECLARATION_V2}
    rows.append(replace(declared, actor="Jane Smith", data=data))
    write_rows(p, rows)
    return Forged(n, p)


@forgery("redeclare: another winner, signed by Mallory under Jane's fingerprint")
def _(kit: Kit, out: Path, n: str) -> Forged:
    jane = read_rows(kit.meeting)[1].data["fingerprint"]
    return _declared_again(kit, out, n, pin_mallory=False, fingerprint=jane)


@forgery("redeclare: another winner, signed by Mallory as herself")
def _(kit: Kit, out: Path, n: str) -> Forged:
    return _declared_again(kit, out, n, pin_mallory=False, fingerprint=None)


@forgery("redeclare: another winner, Mallory's key pinned in Jane's place")
def _(kit: Kit, out: Path, n: str) -> Forged:
    return _declared_again(kit, out, n, pin_mallory=True, fingerprint=None)


@forgery("redeclare: another winner, declared unsigned")
def _(kit: Kit, out: Path, n: str) -> Forged:
    return _declared_again(kit, out, n, pin_mallory=False, fingerprint=None, sign=False)


@forgery("redeclare: Jane's papers, Mallory's whole journal after them")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    rows = read_rows(p)
    theirs = read_rows(kit.mallory_file)
    write_rows(p, rows[:_papers(rows)[-1] + 1] + theirs[_papers(theirs)[-1] + 1:])
    return Forged(n, p)


@forgery("redeclare: Mallory's file with Jane's certificate and fingerprint put in")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n, kit.mallory_file)
    rows = read_rows(p)
    jane = read_rows(kit.meeting)
    rows[index(rows, "officer_key_pinned")] = jane[index(jane, "officer_key_pinned")]
    fp = jane[index(jane, "officer_key_pinned")].data["fingerprint"]
    for i, r in enumerate(rows):
        if r.kind == "declared":
            rows[i] = replace(r, data={**r.data, "signature": {**r.data["signature"], "fingerprint": fp}})
        elif r.kind in ("journal_signed", "signature_recorded"):
            rows[i] = replace(r, data={**r.data, "fingerprint": fp})
    write_rows(p, rows)
    return Forged(n, p)


# ---- 6. schema objects, versions and meta planted with sqlite3 ------------------------------------------

_raw("schema: a trigger that drops new papers",
     "CREATE TRIGGER keep_out BEFORE INSERT ON events WHEN NEW.kind = 'paper_entered' BEGIN SELECT RAISE(IGNORE); END")
_raw("schema: a trigger on the meta table", "CREATE TRIGGER m AFTER UPDATE ON meta BEGIN SELECT 1; END")
_raw("schema: a trigger on deletes", "CREATE TRIGGER d BEFORE DELETE ON events BEGIN SELECT RAISE(IGNORE); END")
_raw("schema: a view", "CREATE VIEW winners AS SELECT payload FROM events WHERE kind = 'declared'")
_raw("schema: a view named like a table", "CREATE VIEW events_v AS SELECT * FROM events")
_raw("schema: an index on events", "CREATE INDEX by_kind ON events(kind)")
_raw("schema: an index on meta", "CREATE INDEX by_value ON meta(value)")
_raw("schema: an extra table", "CREATE TABLE notes (text TEXT)")
_raw("schema: a column added to events", "ALTER TABLE events ADD COLUMN note TEXT")
_raw("schema: user_version set to 1", "PRAGMA user_version = 1")
_raw("schema: user_version set to 3", "PRAGMA user_version = 3")
_raw("schema: user_version set to 0", "PRAGMA user_version = 0")
_raw("schema: application_id changed", "PRAGMA application_id = 1")
_raw("schema: an unknown meta key", "INSERT INTO meta VALUES ('verified_by', 'the returning officer')")
_raw("schema: the meta format changed", "UPDATE meta SET value = 'opensel-osel-2' WHERE key = 'format'")
_raw("schema: switched to WAL mode by hand", "PRAGMA journal_mode = WAL")


# ---- 7. whole-file swaps -------------------------------------------------------------------------------------

@forgery("swap: Mallory's own OpenSel file of the same contest")
def _(kit: Kit, out: Path, n: str) -> Forged:
    return Forged(n, copy(kit, out, n, kit.mallory_file))


@forgery("swap: Jane's genuine backup from before the declaration")
def _(kit: Kit, out: Path, n: str) -> Forged:
    return Forged(n, copy(kit, out, n, kit.before_declaration))


@forgery("swap: another genuine contest of Jane's")
def _(kit: Kit, out: Path, n: str) -> Forged:
    return Forged(n, copy(kit, out, n, kit.other_contest))


def _bytes(name: str, make: Callable[[Kit], bytes]) -> None:
    @forgery(name)
    def _(kit: Kit, out: Path, n: str) -> Forged:
        p = out / "swapped.osel"
        p.write_bytes(make(kit))
        return Forged(n, p)


_bytes("swap: an empty file", lambda kit: b"")
_bytes("swap: the result sheet renamed .osel", lambda kit: kit.sheet.read_bytes())
_bytes("swap: the file cut to half its length", lambda kit: kit.meeting.read_bytes()[: len(kit.meeting.read_bytes()) // 2])
_bytes("swap: an SQLite header over random bytes",
       lambda kit: kit.meeting.read_bytes()[:100] + os.urandom(len(kit.meeting.read_bytes()) - 100))
_bytes("bytes: one digit of a paper's marks changed in the file's bytes",
       lambda kit: kit.meeting.read_bytes().replace(b'"marks":[0,3]', b'"marks":[1,3]', 1))
_bytes("bytes: a candidate's name changed in the file's bytes",
       lambda kit: kit.meeting.read_bytes().replace("Łukasz".encode(), b"Lukasz" + b"\x00", 1))


@forgery("swap: a file built from scratch with Jane's certificate, declared unsigned")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n, kit.mallory_file)
    rows = read_rows(p)
    jane = read_rows(kit.meeting)
    rows[index(rows, "officer_key_pinned")] = jane[index(jane, "officer_key_pinned")]
    rows = [replace(r, data={k: v for k, v in r.data.items() if k != "signature"}) if r.kind == "declared" else r
            for r in rows if r.kind not in ("journal_signed", "signature_recorded")]
    write_rows(p, rows)
    return Forged(n, p)


# ---- 8. a write-ahead log planted beside the file ------------------------------------------------------------

def _wal_of_edit(kit: Kit, out: Path, n: str) -> Path:
    """A -wal holding an edit (Tom's first paper given to Siân, chain recomputed), made on a copy in WAL
    mode whose writer was stopped before it checkpointed."""
    work = out / "work"
    work.mkdir()
    w = work / "w.osel"
    shutil.copyfile(kit.meeting, w)
    rows = read_rows(w)
    sql(w, "PRAGMA journal_mode = WAL")
    rows = _set(rows, [i for i in _papers(rows) if rows[i].data["marks"][0] == 1][0], marks=[0, 1])
    conn = sqlite3.connect(w, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("BEGIN")
    conn.execute("DELETE FROM events")
    prev = GENESIS
    for seq, r in enumerate(rows, start=1):
        payload = canonical(r.data)
        h = event_hash(prev, seq, r.kind, r.actor, r.station, r.batch, r.at, payload)
        conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (seq, r.kind, r.actor, r.station, r.batch, r.at, payload, prev, h))
        prev = h
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head'", (prev,))
    conn.execute("COMMIT")
    wal = Path(str(w) + "-wal").read_bytes()  # copied while the writer still holds it
    conn.close()
    return_path = work / "wal"
    return_path.write_bytes(wal)
    return return_path


@forgery("wal: an edited -wal planted beside the untouched file")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    wal = Path(str(p) + "-wal")
    wal.write_bytes(_wal_of_edit(kit, out, n).read_bytes())
    return Forged(n, p, extra=(wal,))


@forgery("wal: an edited -wal planted, the header switched to WAL")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    data = bytearray(p.read_bytes())
    data[18:20] = b"\x02\x02"
    p.write_bytes(bytes(data))
    wal = Path(str(p) + "-wal")
    wal.write_bytes(_wal_of_edit(kit, out, n).read_bytes())
    return Forged(n, p, extra=(wal,))


@forgery("wal: a -wal of random bytes beside the file")
def _(kit: Kit, out: Path, n: str) -> Forged:
    p = copy(kit, out, n)
    wal = Path(str(p) + "-wal")
    wal.write_bytes(os.urandom(4096))
    return Forged(n, p, extra=(wal,))


# ---- 9. result sheets -------------------------------------------------------------------------------------

@forgery("sheet: the contest's own sheet, signed with Mallory's key")
def _(kit: Kit, out: Path, n: str) -> Forged:
    pdf = out / "forged.pdf"
    pdf.write_bytes(_forged_pages(kit, lambda b: b))
    return Forged(n, sheet=pdf)


def _forged_pages(kit: Kit, edit: Callable[[bytes], bytes]) -> bytes:
    """The contest's own sheet (its QR carries the genuine digest and state), pages edited, signed with
    Mallory's key."""
    from opensel_desktop.app.sheets import sheet_input
    from opensel_desktop.report.sheets import build
    from opensel_desktop.report.sign import sign_pdf

    key = mallory(kit)
    sheet = sheet_input(kit.meeting, signer=key.name, fingerprint=key.fingerprint)
    pdf = edit(build(sheet, qr_signer=key.sign))
    return sign_pdf(pdf, key.private_pem(), key.certificate_pem(), signer_name=key.name, fingerprint=key.fingerprint)


def _page_edit(pdf: bytes, old: bytes, new: bytes) -> bytes:
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = w.root["/Pages"]["/Kids"][0]
    raw = page["/Contents"].data
    assert old in raw, old
    page["/Contents"] = w.add_object(generic.StreamObject(stream_data=raw.replace(old, new, 1)))
    w.update_container(page)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@forgery("sheet: the genuine digest in the QR code, other figures on the page")
def _(kit: Kit, out: Path, n: str) -> Forged:
    pdf = out / "forged.pdf"
    pdf.write_bytes(_forged_pages(kit, lambda b: _page_edit(b, b"(Si", b"(Xi")))
    return Forged(n, sheet=pdf)


@forgery("sheet: the genuine signed sheet with a page edited after signing")
def _(kit: Kit, out: Path, n: str) -> Forged:
    pdf = out / "forged.pdf"
    pdf.write_bytes(_page_edit(kit.sheet.read_bytes(), b"(Si", b"(Xi"))
    return Forged(n, sheet=pdf)


@forgery("sheet: the genuine signed sheet with one byte changed")
def _(kit: Kit, out: Path, n: str) -> Forged:
    data = bytearray(kit.sheet.read_bytes())
    at = data.find(b"/Producer")
    data[at + 12] ^= 0x01
    pdf = out / "forged.pdf"
    pdf.write_bytes(bytes(data))
    return Forged(n, sheet=pdf)


@forgery("sheet: Mallory's own file's sheet, signed by her")
def _(kit: Kit, out: Path, n: str) -> Forged:
    from opensel_desktop.app.sheets import make_report

    pdf = out / "forged.pdf"
    make_report(copy(kit, out, n, kit.mallory_file), pdf, key_path=kit.mallory_key, passphrase=kit.passphrase)
    return Forged(n, sheet=pdf)
