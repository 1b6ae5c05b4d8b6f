"""Meek's ballots, collapsed to what its distribution actually reads: one row per distinct *effective* ranking.

PRF B.2.a walks each ballot down its ranking giving each candidate its keep factor's share of what is left.
Excluded and withdrawn candidates have keep factor 0: they take nothing and pass the whole weight on. A
hopeful has keep factor 1: it takes all that is left, and nothing reaches the candidates after it. So what a
ballot gives depends only on its *effective ranking*: the elected candidates it ranks before its first hopeful,
in order, then that hopeful (or nothing, if none is left). Ballots with the same effective ranking give every
candidate exactly the same share each, rounding included, so one row carrying their total weight gives exactly
the same votes as all of them.

There are few effective rankings (a handful of elected prefixes times the hopefuls), so an iteration reads
tens or hundreds of rows instead of every distinct paper. A ballot's effective ranking changes only when its
first hopeful is elected or excluded; only those ballots are walked on, once per change, as papers move in a
Gregory count (engine/papers.py). The elected prefixes are kept as a tree: node 0 is "no elected candidate",
and each node has one child per elected candidate that follows it.
"""

from __future__ import annotations

import numpy as np

from opensel_desktop.engine.model import PAD, Ballots, sum_by


class EffectiveRankings:
    def __init__(self, ballots: Ballots, ncand: int, hopeful: np.ndarray):
        self.ncand = ncand
        self.width = ballots.prefs.shape[1]
        self.flat = np.ascontiguousarray(ballots.prefs).ravel()
        self.weights = ballots.weights
        rows = ballots.weights.shape[0]
        self.node = np.zeros(rows, dtype=np.int64)  # elected prefix of each ballot (a tree node)
        self.pos = np.full(rows, -1, dtype=np.int64)  # position of its first hopeful (width if none)
        self.first = np.full(rows, ncand, dtype=np.int64)  # its first hopeful (ncand: none)
        self.children: dict[tuple[int, int], int] = {}
        self.sequence: list[tuple[int, ...]] = [()]  # each node's elected candidates, in order
        self.hopeful = hopeful.astype(bool).copy()
        self.walk(np.arange(rows), np.zeros(ncand, dtype=bool))
        self.group_weight: dict[int, int] = {}
        self.add(np.arange(rows), 1)
        self._table: tuple[np.ndarray, np.ndarray] | None = None

    def key(self, rows: np.ndarray) -> np.ndarray:
        key: np.ndarray = self.node[rows] * (self.ncand + 1) + self.first[rows]
        return key

    def add(self, rows: np.ndarray, sign: int) -> None:
        """Add (sign 1) or take away (-1) the weight of `rows` to or from their effective rankings' totals."""
        if not rows.size:
            return
        keys = self.key(rows)
        top = int(keys.max()) + 1
        if top <= max(4 * rows.shape[0], 1 << 16):  # few distinct keys (the first walk): one dense sum
            dense = sum_by(keys, self.weights[rows], top)
            unique = np.flatnonzero(dense)
            totals = dense[unique]
        else:
            unique, inverse = np.unique(keys, return_inverse=True)
            totals = sum_by(inverse.ravel(), self.weights[rows], unique.shape[0])
        for k, w in zip(unique.tolist(), totals.tolist(), strict=True):
            left = self.group_weight.get(k, 0) + sign * w
            if left:
                self.group_weight[k] = left
            else:
                self.group_weight.pop(k, None)

    def child(self, nodes: np.ndarray, cands: np.ndarray) -> np.ndarray:
        """The tree node after each of `nodes` once the elected candidate `cands` is added to its prefix."""
        pairs = nodes * (self.ncand + 1) + cands
        unique, inverse = np.unique(pairs, return_inverse=True)
        out = np.empty(unique.shape[0], dtype=np.int64)
        for i, pair in enumerate(unique.tolist()):
            parent, cand = divmod(pair, self.ncand + 1)
            got = self.children.get((parent, cand))
            if got is None:
                got = self.children[(parent, cand)] = len(self.sequence)
                self.sequence.append((*self.sequence[parent], cand))
            out[i] = got
        return out[inverse.ravel()]

    def walk(self, rows: np.ndarray, elected: np.ndarray) -> None:
        """Move `rows` on from their current position to their next hopeful, adding the elected candidates met
        on the way to their prefix and passing over the rest (keep factor 0)."""
        ok = np.append(self.hopeful, False)  # index -1 (padding) reads as "stop, nobody"
        taken = np.append(elected, False)
        at = self.pos[rows] + 1
        pending = np.arange(rows.shape[0])
        end = self.width
        while pending.size:
            inside = at[pending] < end
            if not inside.all():
                done = pending[~inside]
                self.first[rows[done]] = self.ncand
                pending = pending[inside]
                if not pending.size:
                    break
            r = rows[pending]
            cand = self.flat[r * self.width + at[pending]].astype(np.int64)
            found = ok[cand]
            self.first[r[found]] = cand[found]
            joins = taken[cand]
            if joins.any():
                self.node[r[joins]] = self.child(self.node[r[joins]], cand[joins])
            padded = cand == PAD
            self.first[r[padded]] = self.ncand
            pending = pending[~found & ~padded]
            at[pending] += 1
        self.pos[rows] = at

    def update(self, hopeful: np.ndarray, elected: np.ndarray) -> None:
        """After candidates stop being hopeful (elected or excluded): walk on the ballots that stopped at them."""
        changed = np.flatnonzero(self.hopeful & ~hopeful)
        if not changed.size:
            return
        self.hopeful = hopeful.astype(bool).copy()
        for c in changed.tolist():
            rows = np.flatnonzero(self.first == c)
            if not rows.size:
                continue
            self.add(rows, -1)
            if elected[c]:
                self.node[rows] = self.child(self.node[rows], np.full(rows.shape[0], c, dtype=np.int64))
            self.walk(rows, elected)
            self.add(rows, 1)
        self._table = None

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """(prefs, weights): one padded row per effective ranking, with the total weight of its ballots."""
        if self._table is None:
            keys = sorted(self.group_weight)
            seqs = []
            for k in keys:
                node, first = divmod(k, self.ncand + 1)
                seqs.append(self.sequence[node] + ((first,) if first < self.ncand else ()))
            width = max((len(s) for s in seqs), default=1) or 1
            prefs = np.full((len(seqs), width), PAD, dtype=np.int64)
            for i, s in enumerate(seqs):
                prefs[i, : len(s)] = s
            weights = np.array([self.group_weight[k] for k in keys], dtype=np.int64)
            self._table = (prefs, weights)
        return self._table
