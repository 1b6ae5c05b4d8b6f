"""Tie sources: the engine never draws a lot itself; it asks a source passed in by the app.

Order of consultation: a lot already recorded (replayed on recount), the BLT's `[tie ...]` order, a
seeded draw; otherwise `NeedsLot` goes back to the app.

A `[tie ...]` line (or any pre-drawn order) has one meaning for every rule, that of the PR Foundation
rules (D.1) and of Droop, which wrote the line first: it is the order in which a lot would draw the
names, so of the tied candidates the one listed first is the one chosen, whatever the lot decides:
excluded (an exclusion), its surplus transferred first (a surplus), elected (an election). The option
`tie_line: first_kept` reads it the other way (the one listed first is preferred: elected or its surplus
first, but the one listed last is excluded), which is how this engine read the line for Scottish STV,
ERS97 and AV before their versions scottish-2007.2, ers97-1997.2 and av-2026.2.

The seeded draw is documented so anyone can reproduce it by hand: sort the tied names by Unicode
code point, compute SHA-256 of "opensel-lot-v1|<seed>|<stage>|<purpose>|<name1>|<name2>|...",
read the digest as a big-endian integer and take it modulo the number of tied candidates; the
name at that index is chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

from opensel_desktop.engine.errors import CountError, LotRequest, NeedsLot
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


TIE_LINE = ("first_drawn", "first_kept")  # how a pre-drawn order is read (default first); see the docstring


def tie_line_option(options: Mapping[str, object]) -> str:
    """The `tie_line` option, checked; its default is first_drawn."""
    value = options.get("tie_line", TIE_LINE[0])
    if value not in TIE_LINE:
        raise CountError(f"The option tie_line must be one of {', '.join(TIE_LINE)} (got {value!r}).")
    return str(value)


T = TypeVar("T")


def order_choice(tied: Sequence[T], rank: Mapping[T, int], purpose: str, tie_line: str) -> T:
    """The tied candidate a pre-drawn order picks (`rank`: place in the order, lower = listed earlier)."""
    ranked = sorted(tied, key=lambda c: (rank.get(c, len(rank)), c))
    if tie_line == "first_kept" and purpose == "exclude":
        return ranked[-1]
    return ranked[0]


class TieOrder:
    """A fixed order from a BLT `[tie ...]` line, read as `tie_line` says (module docstring)."""

    def __init__(self, order: Sequence[str], tie_line: str = TIE_LINE[0]):
        self.rank = {n: i for i, n in enumerate(order)}
        self.tie_line = tie_line

    def draw(self, request: LotRequest) -> Lot | None:
        if not all(n in self.rank for n in request.among):
            return None
        chosen = order_choice(request.among, self.rank, request.purpose, self.tie_line)
        return Lot(request.stage, tuple(request.among), chosen, request.purpose, "tie-order")


class SeededLots:
    """A reproducible draw from a seed (see the module docstring for the exact procedure)."""

    def __init__(self, seed: str | int):
        self.seed = str(seed)

    def draw(self, request: LotRequest) -> Lot | None:
        import hashlib  # here, not at start-up: most counts never draw a lot

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
    tie_line: str = TIE_LINE[0],
) -> Chain:
    return Chain(
        RecordedLots(recorded) if recorded else None,
        TieOrder(tie_order, tie_line) if tie_order else None,
        SeededLots(seed) if seed is not None else None,
    )


def resolve(source: TieSource | None, request: LotRequest) -> Lot:
    """Ask the source; if nobody can decide, hand the request back to the app as NeedsLot."""
    lot = source.draw(request) if source is not None else None
    if lot is None:
        raise NeedsLot(request)
    return lot
