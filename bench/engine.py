#!/usr/bin/env python3
"""Engine throughput: whole `opensel count` processes, Scottish STV against Meek and against pyrankvote (not a test).

    .venv/bin/python bench/engine.py                        # 10k, 100k and 1M ballots, 5 paired runs (~3 min)
    .venv/bin/python bench/engine.py --sizes 100000 --runs 3
    .venv/bin/python bench/engine.py --no-pyrankvote        # ours only

Files come from bench/gen_ballots.py (-n N -c 20 -s 3, seed 1: 20 candidates, 3 places) and are cached in
--dir. Each size is measured in rounds; a round runs, one after another and pinned to the same CPU core (each
round starting with the next of them in turn):

  A  `opensel count FILE --rule scottish`             (the whole process: start-up, reading, count, printing)
  B  `opensel count FILE --rule meek`
  C  pyrankvote on the same file, also a whole process (`bench/engine.py --child pyrankvote FILE`): reading the
     BLT into one pyrankvote.Ballot per paper (it has no BLT reader and no weights, so a line of weight w is w
     papers), then pyrankvote.single_transferable_vote. Its STV is not Scottish STV (no 5 dp truncation), so
     only the elected sets are compared, as a sanity check.

Ratios are taken round by round (B/A, C/A) and their median printed first: pairing keeps a ratio meaningful
while the speed of a shared machine drifts. Times are each child's own wall clock and CPU (user + system, from
the operating system's accounting of that child); memory is its peak resident set. A last table splits our
time into reading the BLT and counting (one extra child per rule, times from inside the process).

Targets at 1M ballots: Scottish whole process <= 0.8 s; >= 8x faster than pyrankvote; Meek <= 1.5x Scottish;
peak memory < 300 MB. bench/README.md records measured figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GEN = HERE / "gen_ballots.py"
TARGET_SECONDS, TARGET_VS_PYRANKVOTE, TARGET_MEEK, TARGET_MB = 0.8, 8.0, 1.5, 300


# ---- children --------------------------------------------------------------------------------------------

def child_phases(rule: str, path: Path) -> dict:
    """Our reading and counting, timed inside one process (imports not included)."""
    from opensel_desktop.contest.blt import read_blt
    from opensel_desktop.engine import Election, count

    t0, c0 = time.perf_counter(), time.process_time()
    blt = read_blt(path)
    t1, c1 = time.perf_counter(), time.process_time()
    result = count(rule, Election(blt.names, blt.seats, blt.ballots, blt.withdrawn))
    t2, c2 = time.perf_counter(), time.process_time()
    return {"parse": t1 - t0, "count": t2 - t1, "parse_cpu": c1 - c0, "count_cpu": c2 - c1,
            "rows": len(blt.ballots), "papers": blt.ballots.total, "elected": sorted(result.elected)}


def child_pyrankvote(path: Path) -> dict:
    import pyrankvote
    from pyrankvote import Ballot, Candidate

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
    result = pyrankvote.single_transferable_vote(candidates, ballots, number_of_seats=seats)
    return {"elected": sorted(c.name for c in result.get_winners()), "papers": len(ballots)}


# ---- measuring whole processes ---------------------------------------------------------------------------

def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def opensel_command() -> list[str]:
    script = Path(sys.executable).with_name("opensel")
    return [str(script)] if script.exists() else [sys.executable, "-m", "opensel_desktop.cli"]


def timed(argv: list[str]) -> dict:
    """Run one whole process (its output kept for the sanity checks): wall time, CPU time and peak memory."""
    base = Path(os.environ.get("TMPDIR", "/tmp")) / f"opensel-bench-{os.getpid()}"
    out_path, err_path = base.with_suffix(".out"), base.with_suffix(".err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, preexec_fn=pin_one_core)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own accounting, not all children's
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    output, errors = out_path.read_text(encoding="utf-8"), err_path.read_text(encoding="utf-8", errors="replace")
    out_path.unlink()
    err_path.unlink()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{errors}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "mb": usage.ru_maxrss / 1024, "output": output}


def ballot_file(directory: Path, n: int) -> Path:
    path = directory / f"ballots-{n}-c20-s3.blt"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(GEN), "-n", str(n), "-c", "20", "-s", "3", "--seed", "1",
                        "-o", str(path)], check=True)
    return path


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def measure_size(path: Path, runs: int, with_pyrankvote: bool) -> dict:
    ours = opensel_command()
    commands = {"scottish": ours + ["count", str(path), "--rule", "scottish", "--format", "json"],
                "meek": ours + ["count", str(path), "--rule", "meek", "--format", "json"]}
    if with_pyrankvote:
        commands["pyrankvote"] = [sys.executable, str(Path(__file__).resolve()), "--child", "pyrankvote", str(path)]
    timed(commands["scottish"])  # warm the page cache and the .pyc files; not counted
    rounds: list[dict[str, dict]] = []
    names = list(commands)
    for k in range(runs):  # each round starts with the next command: none always runs first (a cold core)
        order = names[k % len(names):] + names[:k % len(names)]
        rounds.append({name: timed(commands[name]) for name in order})
    elected = {name: sorted(json.loads(rounds[0][name]["output"])["elected"]) for name in commands}
    out = {name: [r[name] for r in rounds] for name in commands}
    ratios = {f"{b}/scottish": [r[b]["wall"] / r["scottish"]["wall"] for r in rounds] for b in commands
              if b != "scottish"}
    ratios.update({f"{b}/scottish cpu": [r[b]["cpu"] / r["scottish"]["cpu"] for r in rounds] for b in commands
                   if b != "scottish"})
    return {"runs": out, "ratios": {k: statistics.median(v) for k, v in ratios.items()},
            "spread": {k: (min(v), max(v)) for k, v in ratios.items()}, "elected": elected}


def phases(path: Path, rule: str) -> dict:
    p = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", f"phases-{rule}", str(path)],
                       capture_output=True, text=True, check=True, preexec_fn=pin_one_core)
    return json.loads(p.stdout)


# ---- the report ------------------------------------------------------------------------------------------

def ratio_cell(r: dict, key: str) -> str:
    if key not in r["ratios"]:
        return "-"
    lo, hi = r["spread"][key]
    return f"{r['ratios'][key]:.2f}x ({lo:.2f}-{hi:.2f})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--runs", type=int, default=5, help="paired rounds per size (default 5)")
    ap.add_argument("--dir", default="/tmp/opensel-bench", help="where generated BLT files are cached")
    ap.add_argument("--no-pyrankvote", action="store_true")
    ap.add_argument("--child", nargs=2, metavar=("WHICH", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        which, path = args.child
        if which == "pyrankvote":
            out = child_pyrankvote(Path(path))
        else:
            out = child_phases(which.removeprefix("phases-"), Path(path))
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for n in sizes:
        path = ballot_file(Path(args.dir), n)
        print(f"measuring {n} ballots ({args.runs} paired rounds)...", file=sys.stderr, flush=True)
        results[n] = measure_size(path, args.runs, not args.no_pyrankvote)
        results[n]["phases"] = {rule: phases(path, rule) for rule in ("scottish", "meek")}

    print(f"Whole processes, 20 candidates, 3 places, one core; medians of {args.runs} paired rounds "
          "(min-max of the ratios in brackets).\n")
    print("Ratios (wall clock; CPU in the second column of each):\n")
    print("| ballots | Meek / Scottish | (CPU) | pyrankvote / Scottish | (CPU) | same winners |")
    print("|--:|--:|--:|--:|--:|:--|")
    for n, r in results.items():
        cells = [ratio_cell(r, k) for k in ("meek/scottish", "meek/scottish cpu", "pyrankvote/scottish",
                                            "pyrankvote/scottish cpu")]
        same = len({tuple(e) for e in r["elected"].values()}) == 1
        print(f"| {n:,} | " + " | ".join(cells) + f" | {'yes' if same else 'NO: ' + str(r['elected'])} |")
    print("\nSeconds and peak memory (median):\n")
    print("| ballots | rows | Scottish wall | CPU | MB | Meek wall | CPU | MB | pyrankvote wall | CPU | MB |")
    print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for n, r in results.items():
        cells = [f"{n:,}", f"{r['phases']['scottish']['rows']:,}"]
        for name in ("scottish", "meek", "pyrankvote"):
            runs = r["runs"].get(name)
            cells += ([f"{median(runs, 'wall'):.3f}", f"{median(runs, 'cpu'):.3f}", f"{median(runs, 'mb'):.0f}"]
                      if runs else ["-", "-", "-"])
        print("| " + " | ".join(cells) + " |")
    print("\nInside our process (CPU seconds; imports and printing not included):\n")
    print("| ballots | Scottish read | count | Meek read | count |")
    print("|--:|--:|--:|--:|--:|")
    for n, r in results.items():
        s, m = r["phases"]["scottish"], r["phases"]["meek"]
        print(f"| {n:,} | {s['parse_cpu']:.3f} | {s['count_cpu']:.3f} | {m['parse_cpu']:.3f} | {m['count_cpu']:.3f} |")

    n = max(results)
    r = results[n]
    whole = median(r["runs"]["scottish"], "wall")
    mb = max(median(r["runs"][k], "mb") for k in ("scottish", "meek"))
    print(f"\nTargets at {n:,} ballots:")
    print(f"  Scottish whole process {whole:.3f} s wall, {median(r['runs']['scottish'], 'cpu'):.3f} s CPU "
          f"(target <= {TARGET_SECONDS} s): {'met' if whole <= TARGET_SECONDS else 'MISSED'}")
    meek = r["ratios"]["meek/scottish"]
    print(f"  Meek / Scottish {meek:.2f}x (target <= {TARGET_MEEK}x): {'met' if meek <= TARGET_MEEK else 'MISSED'}")
    if "pyrankvote/scottish" in r["ratios"]:
        vs = r["ratios"]["pyrankvote/scottish"]
        print(f"  {vs:.1f}x faster than pyrankvote (target >= {TARGET_VS_PYRANKVOTE}x): "
              f"{'met' if vs >= TARGET_VS_PYRANKVOTE else 'MISSED'}")
    print(f"  peak memory {mb:.0f} MB (target < {TARGET_MB} MB): {'met' if mb < TARGET_MB else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
