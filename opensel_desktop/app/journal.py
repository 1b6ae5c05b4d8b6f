"""The journal as people read it: one row per event with its words, the same in `opensel log` and in the
auditor's table (the screen and the printed words agree), and as JSON lines for tools.

The words come from each event's typed body (store/events.py `describe`); an event that cannot be read
(a row edited by hand) is shown as such, never skipped. Secrets never leave the file through here: a
field named like a private key is shown as withheld.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from opensel_desktop.app.core import Session
from opensel_desktop.contest.model import Contest
from opensel_desktop.store import events as ev
from opensel_desktop.store.events import Event, EventFormatError

KINDS = ev.KINDS
WITHHELD = "(withheld: a private key never leaves the file through the log)"


@dataclass(frozen=True, slots=True)
class JournalRow:
    seq: int
    at: str  # "2026-11-25 22:41:07"
    actor: str
    kind: str
    text: str  # what the event recorded, in one line
    batch: str
    station: str
    corrects: int | None  # the event this one corrects (a paper's earlier entry by the same side)
    verified: bool  # the chain holds up to and including this event
    readable: bool = True


def describe(e: Event, contest: Contest) -> str:
    """What the event recorded, in one line (its kind, who and when are shown beside it)."""
    return e.body.describe(contest.names, contest.ranked)


def rows(s: Session, events: Iterable[Event] | None = None) -> list[JournalRow]:
    chain = s.chain
    bad_from = chain.first_bad if not chain.ok and chain.first_bad else None
    out = []
    corrected: dict[tuple[str, int, str], int] = {}
    contest = s.contest
    for e in (s.events() if events is None else events):
        corrects, readable = None, True
        try:
            body = e.body
            text = body.describe(contest.names, contest.ranked)
        except (EventFormatError, ValueError, TypeError, KeyError, IndexError, RecursionError):  # edited by hand
            body, text, readable = None, e.kind.replace("_", " ") + " (unreadable payload)", False
        if isinstance(body, ev.PaperEntered | ev.PaperCorrected):
            key = (e.batch, body.paper, body.side)
            if isinstance(body, ev.PaperCorrected):
                corrects = corrected.get(key)
            corrected[key] = e.seq
        out.append(JournalRow(e.seq, e.at.replace("T", " ").rstrip("Z")[:19], e.actor, e.kind, text, e.batch,
                              e.station, corrects, bad_from is None or e.seq < bad_from, readable))
    return out


def json_record(e: Event) -> dict[str, Any]:
    """The event as stored, for `opensel log --json` (a private key inside a payload is withheld)."""
    try:
        data: Any = _withhold(e.data)
    except (ValueError, RecursionError):  # a row edited by hand: shown as stored
        data = e.payload
    return {"seq": e.seq, "kind": e.kind, "actor": e.actor, "station": e.station, "batch": e.batch, "at": e.at,
            "data": data, "prev": e.prev, "hash": e.hash}


def _withhold(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (WITHHELD if "private" in k.lower() else _withhold(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_withhold(v) for v in value]
    return value
