#!/usr/bin/env python3
"""Engine throughput: Scottish STV on generated BLT files, side by side with pyrankvote (not a test).

    .venv/bin/python bench/engine.py                       # 10k, 100k and 1M ballots, 20 candidates, 3 seats
    .venv/bin/python bench/engine.py --sizes 10000,100000  # smaller run
    .venv/bin/python bench/engine.py --no-pyrankvote       # ours only

Files come from bench/gen_ballots.py (-n N -c 20 -s 3, seed 1) and are cached in --dir. Every measurement
runs in a child process of its own pinned to one CPU core, so that peak memory (the child's maximum
resident set, interpreter and numpy included) and time are not shared between runs.

Ours: parse = contest.blt.read_blt; count = engine.count("scottish", ...).
pyrankvote (2.x, pure Python, benchmark-only dependency): parse = reading the same BLT into one
pyrankvote Ballot per paper (it has no BLT reader and no weights, so a line of weight w is w papers);
count = pyrankvote.single_transferable_vote. pyrankvote's STV is not Scottish STV (no 5 dp
truncation), so only the elected sets are compared, as a sanity check.

Targets (issue 2): 1M ballots parse + count < 1 s on one core; >= 3x faster than pyrankvote's total;
peak memory < 500 MB. bench/README.md records measured figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GEN = HERE / "gen_ballots.py"
TARGET_SECONDS, TARGET_RATIO, TARGET_MB = 1.0, 3.0, 500


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


class Clock:
    """Wall time and this process's CPU time: on a shared machine the CPU figure is the fair one."""

    def __init__(self) -> None:
        self.marks = [(time.perf_counter(), time.process_time())]

    def mark(self) -> None:
        self.marks.append((time.perf_counter(), time.process_time()))

    def spans(self) -> dict:
        (w0, c0), (w1, c1), (w2, c2) = self.marks
        return {"parse": w1 - w0, "count": w2 - w1, "parse_cpu": c1 - c0, "count_cpu": c2 - c1}


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def child_opensel(path: Path) -> dict:
    from opensel_desktop.contest.blt import read_blt
    from opensel_desktop.engine import Election, count

    base = peak_mb()
    clock = Clock()
    blt = read_blt(path)
    clock.mark()
    result = count("scottish", Election(blt.names, blt.seats, blt.ballots, blt.withdrawn))
    clock.mark()
    return {**clock.spans(), "peak_mb": peak_mb(), "base_mb": base,
            "elected": sorted(result.elected), "rows": len(blt.ballots), "papers": blt.ballots.total}


def child_pyrankvote(path: Path) -> dict:
    import pyrankvote
    from pyrankvote import Ballot, Candidate

    base = peak_mb()
    clock = Clock()
    lines = path.read_text(encoding="utf-8").split("\n")
    ncand, seats = (int(x) for x in lines[0].split()[:2])
    i, rows = 1, []
    while lines[i].strip() != "0":
        tokens = lines[i].split()
        rows.append((int(tokens[0]), [int(x) - 1 for x in tokens[1:-1]]))
        i += 1
    candidates = [Candidate(line.strip()[1:-1]) for line in lines[i + 1:i + 1 + ncand]]
    ballots = []
    for weight, ranking in rows:
        ranked = [candidates[c] for c in ranking]
        ballots.extend(Ballot(ranked_candidates=ranked) for _ in range(weight))
    clock.mark()
    result = pyrankvote.single_transferable_vote(candidates, ballots, number_of_seats=seats)
    clock.mark()
    return {**clock.spans(), "peak_mb": peak_mb(), "base_mb": base,
            "elected": sorted(c.name for c in result.get_winners()), "papers": len(ballots)}


def total_cpu(run: dict) -> float:
    return run["parse_cpu"] + run["count_cpu"]


def cells(run: dict) -> str:
    wall = run["parse"] + run["count"]
    return (f"{run['parse_cpu']:>6.3f} {run['count_cpu']:>6.3f} {total_cpu(run):>6.3f} {wall:>6.3f} "
            f"{run['peak_mb']:>5.0f}")


def measure(which: str, path: Path) -> dict:
    p = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", which, str(path)],
                       capture_output=True, text=True, check=False)
    if p.returncode != 0:
        raise SystemExit(f"{which} on {path} failed:\n{p.stderr}")
    return json.loads(p.stdout)


def ballot_file(directory: Path, n: int) -> Path:
    path = directory / f"ballots-{n}-c20-s3.blt"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(GEN), "-n", str(n), "-c", "20", "-s", "3", "--seed", "1",
                        "-o", str(path)], check=True)
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--dir", default="/tmp/opensel-bench", help="where generated BLT files are cached")
    ap.add_argument("--no-pyrankvote", action="store_true")
    ap.add_argument("--child", nargs=2, metavar=("WHICH", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        pin_one_core()
        which, path = args.child
        fn = child_opensel if which == "opensel" else child_pyrankvote
        print(json.dumps(fn(Path(path))))
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    head = (f"{'ballots':>9} {'rows':>7} | {'parse':>6} {'count':>6} {'total':>6} {'wall':>6} {'MB':>5} |"
            f" {'parse':>6} {'count':>6} {'total':>6} {'wall':>6} {'MB':>5} | {'ratio':>6}  same winners")
    print("Scottish STV, 20 candidates, 3 seats, one core per run. Seconds of CPU time (wall clock in 'wall');")
    print("MB = peak resident memory of the run. Left: opensel; right: pyrankvote.", flush=True)
    print(head)
    print("-" * len(head))
    last = None
    for n in sizes:
        path = ballot_file(Path(args.dir), n)
        ours = measure("opensel", path)
        theirs = None if args.no_pyrankvote else measure("pyrankvote", path)
        line = f"{n:>9} {ours['rows']:>7} | " + cells(ours)
        if theirs:
            ratio = total_cpu(theirs) / total_cpu(ours)
            line += (" | " + cells(theirs)
                     + f" | {ratio:>5.1f}x  {'yes' if theirs['elected'] == ours['elected'] else 'NO'}")
        print(line, flush=True)
        last = (n, ours, theirs)
    if last:
        n, ours, theirs = last
        total = total_cpu(ours)
        print(f"\nTargets at {n} ballots:")
        print(f"  parse + count {total:.3f} s CPU ({ours['parse'] + ours['count']:.3f} s wall) on one core "
              f"(target < {TARGET_SECONDS} s): {'met' if total < TARGET_SECONDS else 'MISSED'}")
        if theirs:
            ratio = total_cpu(theirs) / total
            print(f"  {ratio:.1f}x faster than pyrankvote (target >= {TARGET_RATIO}x): "
                  f"{'met' if ratio >= TARGET_RATIO else 'MISSED'}")
        print(f"  peak memory {ours['peak_mb']:.0f} MB, of which {ours['base_mb']:.0f} MB interpreter and imports "
              f"(target < {TARGET_MB} MB): {'met' if ours['peak_mb'] < TARGET_MB else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
