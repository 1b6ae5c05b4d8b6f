"""One journal event and its hash (the chain every sheet and signature cites).

hash = SHA-256 over the canonical JSON array
    ["opensel-event-v1", prev, seq, kind, actor, station, batch, at, payload]
where `payload` is the canonical JSON text (sorted keys, no spaces, UTF-8, no NaN), `prev` the hex
hash of the previous event (64 zeros for the first), and every other field as stored. Anyone can
recompute it with a few lines of any language; nothing in it depends on SQLite.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

# Every kind of event the journal knows (issue 4). New kinds are added here, never renamed.
CONTEST_CREATED = "contest_created"
PAPER_ENTERED = "paper_entered"
PAPER_CORRECTED = "paper_corrected"
PAPER_REJECTED = "paper_rejected"
BUNDLE_TOTAL = "bundle_total"
MISMATCH_RESOLVED = "mismatch_resolved"
ACCOUNT_FIGURES = "account_figures"
LOT_DRAWN = "lot_drawn"
COUNT_RUN = "count_run"
RECOUNT = "recount"
DECLARED = "declared"
SIGNATURE_RECORDED = "signature_recorded"
TELLER_SWITCHED = "teller_switched"
BATCH_MERGED = "batch_merged"  # issue 12: a signed batch file merged from a station
ROUND_ENTERED = "round_entered"  # issue 7: one round of an exhaustive ballot
STATION_REGISTERED = "station_registered"  # issue 12: a teller laptop whose batch files may be merged
REJECTION_WITHDRAWN = "rejection_withdrawn"  # a rejection recorded in error, taken back with a reason
BATCH_SINGLE_ENTRY = "batch_single_entry"  # the officer's decision that a batch needs no second entry
UNIT_RETURN_ENTERED = "unit_return_entered"  # issue 9: one unit's return to a trigger ballot

KINDS = (
    CONTEST_CREATED, PAPER_ENTERED, PAPER_CORRECTED, PAPER_REJECTED, BUNDLE_TOTAL, MISMATCH_RESOLVED,
    ACCOUNT_FIGURES, LOT_DRAWN, COUNT_RUN, RECOUNT, DECLARED, SIGNATURE_RECORDED, TELLER_SWITCHED,
    BATCH_MERGED, ROUND_ENTERED, STATION_REGISTERED, REJECTION_WITHDRAWN, BATCH_SINGLE_ENTRY,
    UNIT_RETURN_ENTERED,
)


# one encoder, made once: json.dumps with options builds a new one on every call (measurable at 100k events)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept as is; NaN/Infinity refused (they have no canonical form)."""
    return _CANONICAL.encode(value)


def event_hash(prev: str, seq: int, kind: str, actor: str, station: str, batch: str, at: str, payload: str) -> str:
    text = canonical_json(["opensel-event-v1", prev, seq, kind, actor, station, batch, at, payload])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Event:
    """One journal entry as stored. `payload` is canonical JSON text; `data` parses it."""

    seq: int
    kind: str
    actor: str  # the teller or officer name given at session start
    station: str  # the laptop/station that wrote it ("main" on the officer's laptop)
    batch: str  # the batch of papers it belongs to ("" when none)
    at: str  # ISO 8601 UTC time given by the app
    payload: str
    prev: str
    hash: str

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.payload)

    def expected_hash(self) -> str:
        return event_hash(self.prev, self.seq, self.kind, self.actor, self.station, self.batch, self.at,
                          self.payload)


def make_event(prev: str, seq: int, kind: str, actor: str, station: str, batch: str, at: str,
               data: dict[str, Any]) -> Event:
    payload = canonical_json(data)
    return Event(seq, kind, actor, station, batch, at, payload, prev,
                 event_hash(prev, seq, kind, actor, station, batch, at, payload))
