"""One ballot model for every method.

A ballot is a ranking (candidate indices in preference order) or a set of X-votes, with a
multiplicity. Ballots live in two numpy arrays so that a million papers count in about a second:
`prefs` (one row per distinct line, -1 padded) and `weights` (how many papers share that row).
Identical papers are grouped by whoever built the pool (the BLT reader keeps file lines; the
store groups entries). Rows never split during a count: papers with the same ranking always
move together, so each row needs just one holder, position and value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

PAD = -1


@dataclass(frozen=True, slots=True, eq=False)
class Ballots:
    """Grouped ballots: `prefs[i]` is a ranking padded with -1, `weights[i]` its multiplicity."""

    prefs: np.ndarray  # int16, shape (rows, max_len)
    weights: np.ndarray  # int64, shape (rows,)

    @staticmethod
    def from_rankings(rankings: Iterable[tuple[Sequence[int], int]], ncand: int | None = None) -> Ballots:
        """Build from (ranking, multiplicity) pairs; rankings are 0-based candidate indices."""
        rows = [(tuple(r), int(w)) for r, w in rankings if w > 0 and len(r) > 0]
        width = max((len(r) for r, _ in rows), default=1)
        prefs = np.full((len(rows), width), PAD, dtype=np.int16)
        weights = np.zeros(len(rows), dtype=np.int64)
        for i, (r, w) in enumerate(rows):
            prefs[i, : len(r)] = r
            weights[i] = w
        return Ballots(prefs, weights)

    @property
    def total(self) -> int:
        """The number of papers, exact however large the weights (an int64 sum could wrap round)."""
        return exact_sum(self.weights)

    def __len__(self) -> int:
        return int(self.weights.shape[0])

    def rankings(self) -> list[tuple[tuple[int, ...], int]]:
        """The ballots as plain (ranking, multiplicity) pairs, in row order."""
        out = []
        for row, w in zip(self.prefs.tolist(), self.weights.tolist(), strict=True):
            out.append((tuple(c for c in row if c != PAD), int(w)))
        return out

    def grouped(self) -> Ballots:
        """Merge identical rankings (order of first appearance kept)."""
        merged: dict[tuple[int, ...], int] = {}
        for r, w in self.rankings():
            merged[r] = merged.get(r, 0) + w
        return Ballots.from_rankings(merged.items())

    def first_preferences(self, ncand: int) -> np.ndarray:
        firsts = self.prefs[:, 0].astype(np.int64) if self.prefs.shape[1] else np.zeros(0, dtype=np.int64)
        ok = firsts >= 0
        return sum_by(firsts[ok], self.weights[ok], ncand)


def exact_sum(values: np.ndarray) -> int:
    """The exact sum of non-negative int64 values as a Python int: the high and low 32 bits are added
    separately, so neither partial sum can wrap round for fewer than 2**31 values."""
    if values.size == 0:
        return 0
    v = values.astype(np.int64, copy=False)
    return (int((v >> 32).sum()) << 32) + int((v & 0xFFFFFFFF).sum())


def sum_by(index: np.ndarray, amounts: np.ndarray, size: int) -> np.ndarray:
    """Exact integer totals of `amounts` grouped by `index` (np.bincount would go through floats)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, index, amounts)
    return out


@dataclass(frozen=True, slots=True)
class Constraint:
    """At least `minimum` and at most `maximum` of the elected must be in `category` = `value`.

    `sitting` counts members already in the body (whole-body quotas): they reduce the minimum and
    use up the maximum.
    """

    category: str
    value: str
    minimum: int = 0
    maximum: int | None = None
    sitting: int = 0


@dataclass(frozen=True, slots=True)
class Election:
    """Everything a count needs, and nothing about files or people."""

    names: tuple[str, ...]
    seats: int
    ballots: Ballots
    withdrawn: frozenset[int] = frozenset()
    title: str = ""
    tie_order: tuple[int, ...] | None = None  # a BLT `[tie ...]` line: earlier = wins a lot
    options: dict[str, object] = field(default_factory=dict)
    categories: tuple[dict[str, str], ...] = ()  # per candidate, e.g. {"gender": "woman"}
    constraints: tuple[Constraint, ...] = ()
    # kind-specific input from the contest file (exhaustive `rounds`, `trigger`, `motion`), already validated
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def ncand(self) -> int:
        return len(self.names)

    @property
    def standing(self) -> list[int]:
        return [c for c in range(self.ncand) if c not in self.withdrawn]
