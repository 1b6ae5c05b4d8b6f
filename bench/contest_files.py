#!/usr/bin/env python3
"""Contest files at scale: check, report and convert from large contest YAML, timed against baselines in one run.

    .venv/bin/python bench/contest_files.py [--runs 5] [--before REV] [--big] [--dir /tmp/opensel-bench]

Each case runs the real `opensel` command (A) and a baseline (B) as whole processes, in turn A B A B ...,
and the ratio A/B is taken pair by pair, so a machine whose speed drifts during the run still gives a fair
ratio. Figures are medians of --runs pairs: wall seconds, CPU seconds (user + system of the finished
process) and peak resident memory of that process.

Files (generated once into --dir, deterministic): the papers of bench/gen_ballots.py (20 candidates,
3 places, seed 1), one line per paper, written as a contest YAML by `opensel convert` (one entry per paper);
with --big also 1,000,000 papers grouped into about 640,000 entries with `count:`.

Cases and baselines:
- check 5 MB: `opensel check` of a 5 MB contest file, against PyYAML's safe loader on libyaml reading the
  same file (`yaml.load(..., Loader=yaml.CSafeLoader)`, the loader contest files were read with before,
  without any of our checks), and, with --before REV, against `opensel check` of that revision.
- report 60,000 papers: `opensel report X.yaml -o X.pdf` against counting the same papers from a BLT
  (`opensel count X.blt --rule scottish`), and the revision given by --before.
- convert to CSV: `opensel convert X.yaml X.csv` (one row per paper) against `opensel convert X.yaml X.blt`.
- a 165-byte contest file with `count: 100000000`: `opensel check` against a valid file of the same size.
- --big: `opensel check` of the grouped 1M-paper YAML against `opensel count` of the same BLT.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO / "bench" / "gen_ballots.py"
OPENSEL = [sys.executable, "-m", "opensel_desktop.cli"]


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float
    code: int


def run_once(argv: list[str]) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
)
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own CPU time and peak memory
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode)


def paired(a: list[str], b: list[str], runs: int) -> tuple[list[Run], list[Run]]:
    run_once(a), run_once(b)  # warm the file cache and the imports
    ra, rb = [], []
    for _ in range(runs):
        ra.append(run_once(a))
        rb.append(run_once(b))
    return ra, rb


def med(values: list[float]) -> float:
    return statistics.median(values)


def row(case: str, a: list[Run], b: list[Run], baseline: str, target: str) -> str:
    ratio_wall = med([x.wall / y.wall for x, y in zip(a, b, strict=True)])
    ratio_cpu = med([x.cpu / y.cpu for x, y in zip(a, b, strict=True)])
    codes = sorted({x.code for x in a})
    return (f"| {case} | {ratio_wall:.2f}x | {ratio_cpu:.2f}x | {med([x.wall for x in a]):.2f} s | "
            f"{med([x.cpu for x in a]):.2f} s | {med([x.peak_mb for x in a]):.0f} MB | {baseline} | "
            f"{med([y.wall for y in b]):.2f} s | {target} | {','.join(map(str, codes))} |")


def generate(directory: Path, big: bool) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def blt(n: int, group: float, name: str) -> Path:
        path = directory / name
        if not path.exists():
            subprocess.run([sys.executable, str(GEN), "-n", str(n), "-c", "20", "-s", "3", "--seed", "1",
                            "--group-frac", str(group), "-o", str(path)], check=True)
        return path

    def yaml_of(src: Path) -> Path:
        out = src.with_suffix(".yaml")
        if not out.exists():
            subprocess.run([*OPENSEL, "convert", str(src), str(out), "--rule", "scottish"], check=True,
                           capture_output=True)
        return out

    files["blt60k"] = blt(60_000, 0.0, "papers-60000.blt")
    files["yaml60k"] = yaml_of(files["blt60k"])
    five = blt(75_000, 0.0, "papers-75000.blt")  # about 5 MB as YAML, one entry per paper
    files["yaml5mb"] = yaml_of(five)
    hostile = directory / "count-100000000.yaml"
    hostile.write_text("format: opensel-contest/1\ntitle: T\nmethod: {rule: scottish, seats: 1}\n"
                       "candidates: [Ann, Bob]\nballots:\n  - {ranking: [Ann, Bob], count: 100000000}\n",
                       encoding="utf-8")
    files["hostile"] = hostile
    tiny = directory / "count-10.yaml"
    tiny.write_text("format: opensel-contest/1\ntitle: T\nmethod: {rule: scottish, seats: 1}\n"
                    "candidates: [Ann, Bob]\nballots:\n  - {ranking: [Ann, Bob], count: 10}\n", encoding="utf-8")
    files["tiny"] = tiny
    if big:
        files["blt1m"] = blt(1_000_000, 1.0, "papers-1000000-grouped.blt")
        files["yaml1m"] = yaml_of(files["blt1m"])
    return files


LAUNCH = ("import sys; sys.path.insert(0, sys.argv.pop(1)); "
          "sys.meta_path[:] = [f for f in sys.meta_path if '__editable__' not in getattr(f, '__module__', '')]; "
          "from opensel_desktop.cli import main; sys.exit(main(sys.argv[1:]))")


def before_tree(rev: str, into: Path) -> list[str]:
    """The command that runs `opensel` from revision `rev` (its opensel_desktop/ only, the same interpreter
    and libraries): the editable install of this checkout is taken off the import path."""
    archive = into / "before.tar"
    with open(archive, "wb") as f:
        subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev, "opensel_desktop"], check=True,
                       stdout=f)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "src", filter="data")
    launcher = [sys.executable, "-c", LAUNCH, str(into / "src")]
    probe = LAUNCH.replace("from opensel_desktop.cli import main; sys.exit(main(sys.argv[1:]))",
                           "import opensel_desktop; print(opensel_desktop.__file__)")
    where = subprocess.run([sys.executable, "-c", probe, str(into / "src")], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert where.startswith(str(into)), f"the baseline revision did not import from {into}: {where}"
    return launcher


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default="/tmp/opensel-bench", help="where generated files are cached")
    ap.add_argument("--before", metavar="REV", help="also time this git revision's opensel on the same files")
    ap.add_argument("--big", action="store_true", help="also the grouped 1,000,000-paper contest file")
    args = ap.parse_args()
    files = generate(Path(args.dir), args.big)
    out = Path(tempfile.mkdtemp(prefix="opensel-bench-"))
    before = before_tree(args.before, out) if args.before else None
    sizes = {k: v.stat().st_size / 1e6 for k, v in files.items()}
    print(f"files: 5 MB case {sizes['yaml5mb']:.1f} MB, 60,000 papers {sizes['yaml60k']:.1f} MB"
          + (f", grouped 1M papers {sizes['yaml1m']:.1f} MB" if args.big else ""))
    print("| case | A/B wall | A/B CPU | A wall | A CPU | A peak | baseline B | B wall | target | A exit |")
    print("|---|--:|--:|--:|--:|--:|---|--:|---|---|")
    load = [sys.executable, "-c", "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8').read(), "
                                  "Loader=yaml.CSafeLoader)", str(files["yaml5mb"])]
    check5 = [*OPENSEL, "check", str(files["yaml5mb"])]
    a, b = paired(check5, load, args.runs)
    print(row("check a 5 MB contest file", a, b, "PyYAML safe load (libyaml), no checks", "<= 2 s"), flush=True)
    if before:
        a, b = paired(check5, [*before, *check5[3:]], args.runs)
        print(row("check a 5 MB contest file", a, b, f"`opensel check` at {args.before}", "<= 2 s"), flush=True)
    pdf = out / "sheet.pdf"
    report = [*OPENSEL, "report", str(files["yaml60k"]), "-o", str(pdf)]
    count_blt = [*OPENSEL, "count", str(files["blt60k"]), "--rule", "scottish"]
    a, b = paired(report, count_blt, args.runs)
    print(row("report from 60,000 papers (YAML)", a, b, "`count` of the same papers as .blt", "<= 2 s"), flush=True)
    if before:
        a, b = paired(report, [*before, *report[3:]], args.runs)
        print(row("report from 60,000 papers (YAML)", a, b, f"`opensel report` at {args.before}", "<= 2 s"),
              flush=True)
    to_csv = [*OPENSEL, "convert", str(files["yaml60k"]), str(out / "p.csv"), "--force"]
    to_blt = [*OPENSEL, "convert", str(files["yaml60k"]), str(out / "p.blt"), "--force"]
    a, b = paired(to_csv, to_blt, args.runs)
    print(row("convert 60,000 papers YAML -> CSV", a, b, "convert the same YAML -> BLT", "-"), flush=True)
    a, b = paired([*OPENSEL, "check", str(files["hostile"])], [*OPENSEL, "check", str(files["tiny"])], args.runs)
    print(row("check 165 bytes with `count: 100000000` (refused)", a, b, "check the same file with count: 10",
              "no hang"), flush=True)
    if args.big:
        a, b = paired([*OPENSEL, "check", str(files["yaml1m"])],
                      [*OPENSEL, "count", str(files["blt1m"]), "--rule", "scottish"], max(1, args.runs // 2))
        print(row("check 1,000,000 papers grouped with count:", a, b, "`count` of the same .blt", "memory"),
              flush=True)
    shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
