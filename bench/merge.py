#!/usr/bin/env python3
"""Teller stations: verify and merge 20 signed batch files of 500 ranked papers each (target: under 2 s).

    .venv/bin/python bench/merge.py [--files 20] [--papers 500] [--runs 3] [--dir DIR] [--append-readme]

Set-up (not timed): one meeting, 4 registered stations with 5 batches each; each station's batches are
keyed by two tellers (paper_entered first and second side, exactly the events `Session.enter_paper` writes,
appended 1,000 to a transaction to build them quickly) and exported with `app.stations.export_batch`.
Timed: `merge_batches(session, files)` on a fresh copy of the meeting: read, parse, check the form and the
hash chain, verify the Ed25519 signature against the registered station key, check the entries and the
paper numbers, and journal each file as one `batch_merged` event (one durable transaction per file). Then,
separately, the count of the merged papers and `opensel audit`'s re-verification of every merged batch.
CPU seconds (time.process_time) beside wall seconds: the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from opensel_desktop.app import declaring  # noqa: E402
from opensel_desktop.app.audit import audit  # noqa: E402
from opensel_desktop.app.core import Session  # noqa: E402
from opensel_desktop.app.keys import make_officer_key  # noqa: E402
from opensel_desktop.app.stations import (  # noqa: E402
    MERGED,
    IssuedBatch,
    create_station_file,
    create_station_pack,
    export_batch,
    merge_batches,
)
from opensel_desktop.contest.model import CandidateSpec, Contest  # noqa: E402
from opensel_desktop.store import events as ev  # noqa: E402
from opensel_desktop.store.journal import Draft, Journal  # noqa: E402

NAMES = tuple(f"Candidate {i + 1}" for i in range(8))
PASSPHRASE = "bench passphrase"
STATIONS = 4


def papers(rng: random.Random, n: int) -> list[list[int]]:
    return [rng.sample(range(len(NAMES)), rng.randint(1, len(NAMES))) for _ in range(n)]


def build(folder: Path, files: int, per_file: int) -> tuple[Path, list[Path]]:
    rng = random.Random(1)
    contest = Contest(title="Merge benchmark", rule="av", seats=1, candidates=tuple(CandidateSpec(n) for n in NAMES))
    meeting = folder / "meeting.osel"
    per_station = -(-files // STATIONS)
    labels = {s: [f"B{b + 1}" for b in range(per_station) if s * per_station + b < files] for s in range(STATIONS)}
    officer = make_officer_key("Officer")
    with Session.create(contest, meeting, "Officer") as main:
        for s in range(STATIONS):
            issued = [IssuedBatch(label, 1 + (s * per_station + b) * per_file, (s * per_station + b + 1) * per_file)
                      for b, label in enumerate(labels[s])]
            create_station_pack(main, f"table-{s + 1}", folder / f"table-{s + 1}.oselpack", PASSPHRASE, issued,
                                officer_key=officer)
    out = []
    for s in range(STATIONS):
        station_file = folder / f"table-{s + 1}.osel"
        with create_station_file(folder / f"table-{s + 1}.oselpack", station_file, "Lead", PASSPHRASE) as st:
            station = st.station
        at = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        journal = Journal.open(station_file)
        for label in labels[s]:
            batch = papers(rng, per_file)
            for side, teller in (("first", "Ann"), ("second", "Bob")):
                drafts = [Draft(ev.PAPER_ENTERED, teller, station, label, at,
                                {"paper": i, "marks": m, "side": side, "single": False})
                          for i, m in enumerate(batch, start=1)]
                for k in range(0, len(drafts), 1000):
                    journal.append(drafts[k:k + 1000])
        journal.close()
        with Session.open(station_file, "Lead", readonly=True) as st:
            for label in labels[s]:
                path = folder / f"table-{s + 1}-{label}.oselbatch"
                export_batch(st, label, path, PASSPHRASE)
                out.append(path)
    return meeting, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--papers", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=None, help="where to build (default: a temporary folder here)")
    ap.add_argument("--append-readme", action="store_true", help="append the figures to bench/README.md")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir or Path.cwd(), prefix="opensel-bench-merge-") as tmp:
        folder = Path(tmp)
        meeting, files = build(folder, args.files, args.papers)
        size = sum(f.stat().st_size for f in files)
        walls, cpus = [], []
        for run in range(args.runs):
            copy = folder / f"run-{run}.osel"
            shutil.copyfile(meeting, copy)
            w0, c0 = time.perf_counter(), time.process_time()
            with Session.open(copy, "Officer") as s:
                outcomes = merge_batches(s, files)
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
            assert [o.status for o in outcomes] == [MERGED] * len(files), [o.message for o in outcomes]
        w0, c0 = time.perf_counter(), time.process_time()
        with Session.open(copy, "Officer", readonly=True) as s:
            result = declaring.count_meeting(s, journal=False, seed="bench")
            counted = sum(b.papers for b in s.batches())
        count_wall, count_cpu = time.perf_counter() - w0, time.process_time() - c0
        w0, c0 = time.perf_counter(), time.process_time()
        report = audit(copy)
        audit_wall, audit_cpu = time.perf_counter() - w0, time.process_time() - c0
        assert report.ok, report.lines()
    lines = [
        f"| verify + merge {args.files} files x {args.papers} papers ({size / 1e6:.1f} MB), median of {args.runs} | "
        f"{statistics.median(walls):.3f} s | {statistics.median(cpus):.3f} s |",
        f"| open + count the {counted} merged papers ({', '.join(result.elected)} elected) | {count_wall:.3f} s | "
        f"{count_cpu:.3f} s |",
        f"| `opensel audit` of the merged file (re-verifies every batch) | {audit_wall:.3f} s | {audit_cpu:.3f} s |",
    ]
    print("| what | wall | CPU |\n|---|--:|--:|")
    print("\n".join(lines))
    target = "met" if statistics.median(walls) < 2 else "NOT met"
    print(f"Target (verify + merge under 2 s): {target}.")
    if args.append_readme:
        with open(REPO / "bench" / "README.md", "a", encoding="utf-8") as f:
            f.write(f"\n## bench/merge.py: verify and merge signed batch files\n\n"
                    f"    .venv/bin/python bench/merge.py [--files 20] [--papers 500] [--runs 3] [--append-readme]\n\n"
                    f"{__doc__.split(chr(10) + chr(10), 2)[2].strip()}\n\n"
                    f"Measured {dt.date.today().isoformat()} on the shared 2-core VM:\n\n"
                    "| what | wall | CPU |\n|---|--:|--:|\n" + "\n".join(lines) + f"\n\nTarget (verify + merge "
                    f"under 2 s): {target}.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
