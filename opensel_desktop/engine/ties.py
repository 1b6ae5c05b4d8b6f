"""Tie sources: the engine never draws a lot itself; it asks a source passed in by the app.

Order of consultation (CONTRACT.md "Rule, seats and lots"): a lot already recorded (replayed on
recount), the BLT's `[tie ...]` order, a seeded draw; otherwise `NeedsLot` goes back to the app.

The seeded draw is documented so anyone can reproduce it by hand: sort the tied names by Unicode
code point, compute SHA-256 of "opensel-lot-v1|<seed>|<stage>|<purpose>|<name1>|<name2>|...",
read the digest as a big-endian integer and take it modulo the number of tied candidates; the
name at that index is chosen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Protocol

from opensel_desktop.engine.errors import LotRequest, NeedsLot
from opensel_desktop.engine.result import Lot


class TieSource(Protocol):
    def draw(self, request: LotRequest) -> Lot | None:
        """Return the lot's outcome, or None if this source cannot decide."""


def lot_key(stage: int, purpose: str, among: Sequence[str]) -> str:
    return f"{stage}|{purpose}|" + "|".join(sorted(among))


class RecordedLots:
    """Outcomes already drawn (from the journal or a previous run), replayed exactly."""

    def __init__(self, outcomes: Mapping[str, str]):
        self.outcomes = dict(outcomes)

    def draw(self, request: LotRequest) -> Lot | None:
        chosen = self.outcomes.get(lot_key(request.stage, request.purpose, request.among))
        if chosen is None or chosen not in request.among:
            return None
        return Lot(request.stage, tuple(request.among), chosen, request.purpose, "recorded")


class TieOrder:
    """A fixed order from a BLT `[tie ...]` line: the candidate earlier in it is preferred
    (kept, elected, or has its surplus taken first); the later one loses an exclusion lot."""

    def __init__(self, order: Sequence[str]):
        self.rank = {n: i for i, n in enumerate(order)}

    def draw(self, request: LotRequest) -> Lot | None:
        if not all(n in self.rank for n in request.among):
            return None
        ranked = sorted(request.among, key=self.rank.__getitem__)
        chosen = ranked[-1] if request.purpose == "exclude" else ranked[0]
        return Lot(request.stage, tuple(request.among), chosen, request.purpose, "tie-order")


class SeededLots:
    """A reproducible draw from a seed (see the module docstring for the exact procedure)."""

    def __init__(self, seed: str | int):
        self.seed = str(seed)

    def draw(self, request: LotRequest) -> Lot | None:
        names = sorted(request.among)
        text = "|".join(["opensel-lot-v1", self.seed, str(request.stage), request.purpose, *names])
        index = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big") % len(names)
        return Lot(request.stage, tuple(request.among), names[index], request.purpose, "seed", self.seed)


class Chain:
    def __init__(self, *sources: TieSource | None):
        self.sources = [s for s in sources if s is not None]

    def draw(self, request: LotRequest) -> Lot | None:
        for s in self.sources:
            lot = s.draw(request)
            if lot is not None:
                return lot
        return None


def chain_ties(
    recorded: Mapping[str, str] | None = None,
    tie_order: Sequence[str] | None = None,
    seed: str | int | None = None,
) -> Chain:
    return Chain(
        RecordedLots(recorded) if recorded else None,
        TieOrder(tie_order) if tie_order else None,
        SeededLots(seed) if seed is not None else None,
    )


def resolve(source: TieSource | None, request: LotRequest) -> Lot:
    """Ask the source; if nobody can decide, hand the request back to the app as NeedsLot."""
    lot = source.draw(request) if source is not None else None
    if lot is None:
        raise NeedsLot(request)
    return lot
