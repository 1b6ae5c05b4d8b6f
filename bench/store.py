#!/usr/bin/env python3
"""The .osel store: entries per second with durability on, and open + verify + replay of 100k ballots.

    .venv/bin/python bench/store.py [--entries 2000] [--ballots 100000] [--dir DIR]

1. Entries: `Session.enter_paper` one paper at a time, each its own transaction with WAL and
   synchronous=FULL (what a teller's Enter does). Target: at least 500 entries/s.
2. Open + verify + replay: a saved contest whose journal holds 100,000 single-entry papers (written in
   batches of 1,000 events per transaction to build it quickly; the events and their chain are the same as
   one-by-one entry), then `Session.open(readonly=True)` (header check, read every event, verify the
   whole hash chain, replay) and `ballots()`; then a count too, reported separately. Target: under 2 s.
The file lives in --dir (default: a temporary folder in the current directory, so the disk is a real one,
not /tmp's tmpfs). CPU seconds (time.process_time) beside wall seconds: the machine is shared.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from opensel_desktop.app import declaring, entry  # noqa: E402
from opensel_desktop.app.core import Session  # noqa: E402
from opensel_desktop.contest.model import CandidateSpec, Contest  # noqa: E402
from opensel_desktop.store import events as ev  # noqa: E402
from opensel_desktop.store.journal import Draft  # noqa: E402

NAMES = tuple(f"Candidate {i + 1}" for i in range(8))


def contest() -> Contest:
    return Contest(title="Store benchmark", rule="av", seats=1, candidates=tuple(CandidateSpec(n) for n in NAMES))


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def bench_entries(folder: Path, n: int) -> tuple[float, float]:
    rng = random.Random(1)
    papers = [rng.sample(range(len(NAMES)), rng.randint(1, len(NAMES))) for _ in range(n)]
    with Session.create(contest(), folder / "entries.osel", "Bench Officer") as s:
        def enter() -> None:
            for p in papers:
                entry.enter_paper(s, p, "Bench Teller", batch="A")
        _, wall, cpu = timed(enter)
        assert s.verify().ok
    return n / wall, cpu


def disk_baseline(folder: Path, n: int = 300) -> tuple[float, float]:
    """The disk's own ceiling: bare SQLite commits (WAL, synchronous FULL, one row each) and fdatasync of
    4 KiB appends per second. No durable store can enter papers faster than the first figure."""
    import os
    import sqlite3

    conn = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (x TEXT)")
    w = time.perf_counter()
    for _ in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (?)", ("x" * 200,))
        conn.execute("COMMIT")
    commits = n / (time.perf_counter() - w)
    conn.close()
    fd = os.open(folder / "baseline.bin", os.O_WRONLY | os.O_CREAT)
    w = time.perf_counter()
    for _ in range(n):
        os.write(fd, b"x" * 4096)
        os.fdatasync(fd)
    syncs = n / (time.perf_counter() - w)
    os.close(fd)
    return commits, syncs


def build_large(folder: Path, n: int) -> Path:
    rng = random.Random(2)
    path = folder / "large.osel"
    with Session.create(contest(), path, "Bench Officer") as s:
        at = s.clock()
        for start in range(0, n, 1000):
            drafts = [Draft(ev.PAPER_ENTERED, "Bench Teller", "main", f"box {start // 5000}", at,
                            {"paper": i + 1, "marks": rng.sample(range(len(NAMES)), rng.randint(1, 5)),
                             "side": "first", "single": True})
                      for i in range(start, min(n, start + 1000))]
            s.journal.append(drafts)
    return path


def bench_open(path: Path, n: int) -> dict[str, float]:
    def open_verify_replay():
        s = Session.open(path, "auditor", readonly=True)
        assert s.chain.ok and s.ballots().total == n
        return s

    s, wall, cpu = timed(open_verify_replay)
    result, cwall, ccpu = timed(lambda: declaring.count_meeting(s, journal=False))
    s.close()
    return {"wall": wall, "cpu": cpu, "count_wall": cwall, "count_cpu": ccpu, "elected": result.elected}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", type=int, default=2000)
    ap.add_argument("--ballots", type=int, default=100_000)
    ap.add_argument("--dir", type=Path, default=Path("."))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="opensel-store-bench-", dir=args.dir) as tmp:
        folder = Path(tmp)
        commits, syncs = disk_baseline(folder)
        rate, cpu = bench_entries(folder, args.entries)
        print(f"disk ceiling: {commits:.0f} bare SQLite commits/s (WAL, FULL), {syncs:.0f} fdatasync/s")
        print(f"entries: {args.entries} papers, {rate:.0f} entries/s (wall; {rate / commits:.0%} of the bare-commit "
              f"ceiling), {args.entries / cpu:.0f} entries per CPU second; target >= 500/s: "
              f"{'met' if rate >= 500 else 'NOT met'}")
        path, wall, _ = timed(lambda: build_large(folder, args.ballots))
        size = path.stat().st_size / 1e6
        print(f"built {args.ballots} ballots in {wall:.1f} s ({size:.1f} MB)")
        r = bench_open(path, args.ballots)
        print(f"open + verify + replay of {args.ballots} ballots: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU; "
              f"target < 2 s: {'met' if r['wall'] < 2 else 'NOT met'}; then count: {r['count_wall']:.2f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
