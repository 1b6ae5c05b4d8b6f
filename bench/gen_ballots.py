#!/usr/bin/env python3
# Project-owned generator of seeded synthetic BLT files so bench/engine.py
# runs from a fresh checkout.
"""Deterministic synthetic ranked-ballot generator writing BLT files.

Model
-----
* Candidates belong to parties (round-robin over ``--parties``).
* Base popularity is Zipf-like (w_i ~ 1/(rank_i)^zipf) over a seeded
  permutation of the candidates, so some candidates are much stronger.
* Voters come from ``--parties`` factions (faction sizes ~ Dirichlet); a voter
  of faction f multiplies the weight of own-party candidates by
  ``--party-boost``.  This gives correlated transfers like real STV data.
* Each voter's full order is a Plackett-Luce draw from the faction weights,
  sampled with the Gumbel-max trick (argsort(log w + Gumbel)) in numpy.
* The order is truncated to a length drawn from a distribution where most
  voters rank only 1-4 candidates (30/20/15/10 %), a geometric tail covers
  5..C-1 and ~5 % rank everyone.
* ``--group-frac`` of the ballots are collapsed into weighted lines
  ("w a b c 0" with w>1 for identical rankings); the rest are written one
  line per ballot with weight 1.  Line order is shuffled (seeded).

BLT output
----------
    C S
    [-x -y]                 (only with --withdrawn k > 0)
    w p1 p2 ... 0           (ballot lines)
    0
    "Candidate 1"
    ...
    "title"

Usage:  gen_ballots.py -n 100000 -c 20 -s 3 --seed 1 -o out.blt
"""
import argparse
import sys

import numpy as np


def length_probs(c):
    """Probability of a ballot ranking exactly k candidates, k = 1..c."""
    w = np.zeros(c)
    head = [30.0, 20.0, 15.0, 10.0]
    for k in range(1, c + 1):
        if k == c:
            w[k - 1] = 5.0
        elif k <= 4:
            w[k - 1] = head[k - 1]
    tail = [k for k in range(5, c)]
    if tail:
        g = np.array([0.6 ** (k - 5) for k in tail])
        w[np.array(tail) - 1] = 20.0 * g / g.sum()
    else:  # c <= 5: give the tail mass to the longest partial ranking
        w[c - 2 if c >= 2 else 0] += 20.0
    return w / w.sum()


def generate(n, c, seed, parties=3, zipf=1.0, boost=3.0, group_frac=0.5,
             chunk=100_000):
    """Yield (weight, ranking tuple) pairs; deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(c)
    base = 1.0 / (np.arange(1, c + 1) ** zipf)
    base = base[np.argsort(perm)]  # candidate i gets popularity rank perm[i]
    party = np.arange(c) % parties
    fac_share = rng.dirichlet(np.full(parties, 4.0))
    logw = np.empty((parties, c))
    for f in range(parties):
        w = base * np.where(party == f, boost, 1.0)
        w *= rng.lognormal(0.0, 0.3, size=c)  # faction-specific noise
        logw[f] = np.log(w / w.sum())
    lp = length_probs(c)

    grouped = {}
    singles = []
    n_group = int(round(n * group_frac))
    done = 0
    while done < n:
        m = min(chunk, n - done)
        fac = rng.choice(parties, size=m, p=fac_share)
        g = rng.gumbel(size=(m, c))
        order = np.argsort(-(logw[fac] + g), axis=1) + 1  # 1-based cand ids
        lens = rng.choice(np.arange(1, c + 1), size=m, p=lp)
        for i in range(m):
            r = tuple(order[i, : lens[i]].tolist())
            if done + i < n_group:
                grouped[r] = grouped.get(r, 0) + 1
            else:
                singles.append(r)
        done += m
    lines = [(w, r) for r, w in grouped.items()] + [(1, r) for r in singles]
    idx = rng.permutation(len(lines))
    return [lines[i] for i in idx]


def write_blt(path, lines, c, seats, withdrawn=(), title="synthetic"):
    out = sys.stdout if path == "-" else open(path, "w")
    try:
        w = out.write
        w(f"{c} {seats}\n")
        if withdrawn:
            w(" ".join(f"-{x}" for x in withdrawn) + "\n")
        buf = []
        for wt, r in lines:
            buf.append(f"{wt} {' '.join(map(str, r))} 0\n")
            if len(buf) >= 50_000:
                w("".join(buf))
                buf.clear()
        w("".join(buf))
        w("0\n")
        for i in range(1, c + 1):
            w(f'"Candidate {i}"\n')
        w(f'"{title}"\n')
    finally:
        if out is not sys.stdout:
            out.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--ballots", type=int, default=10_000)
    ap.add_argument("-c", "--candidates", type=int, default=8)
    ap.add_argument("-s", "--seats", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--parties", type=int, default=3)
    ap.add_argument("--zipf", type=float, default=1.0,
                    help="popularity skew exponent (0 = all equal)")
    ap.add_argument("--party-boost", type=float, default=3.0)
    ap.add_argument("--group-frac", type=float, default=0.5,
                    help="fraction of ballots collapsed into weighted lines")
    ap.add_argument("--withdrawn", type=int, default=0,
                    help="number of (seeded) withdrawn candidates to list")
    ap.add_argument("-o", "--out", default="-")
    a = ap.parse_args(argv)
    if not (1 <= a.seats < a.candidates):
        ap.error("need 1 <= seats < candidates")
    lines = generate(a.ballots, a.candidates, a.seed, a.parties, a.zipf,
                     a.party_boost, a.group_frac)
    wd = ()
    if a.withdrawn:
        r = np.random.default_rng(a.seed + 7919)
        wd = sorted((r.choice(a.candidates, a.withdrawn, replace=False) + 1).tolist())
    title = (f"synthetic n={a.ballots} c={a.candidates} s={a.seats} "
             f"seed={a.seed}")
    write_blt(a.out, lines, a.candidates, a.seats, wd, title)


if __name__ == "__main__":
    main()
