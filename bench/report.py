#!/usr/bin/env python3
"""Time to build and sign the result sheets of a 20-candidate, 15-stage Scottish STV count.

    .venv/bin/python bench/report.py [--runs 5] [--append-readme]

The count is made by the engine from deterministic synthetic papers (the first pattern found that gives
exactly 15 stages). Timed: building the stage sheet (declaration + stage-by-stage sheet), the full set of
documents, and the PAdES signature (with the QR signature), each the median of --runs warm runs after one
cold run. CPU seconds (time.process_time) are given beside wall seconds: on a shared machine the wall clock
measures the other processes too. Target: stage sheet built and signed in under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from opensel_desktop.app.keys import create_officer_key, parse_officer_key  # noqa: E402
from opensel_desktop.contest.model import CandidateSpec, Contest  # noqa: E402
from opensel_desktop.engine import Ballots, chain_ties, count  # noqa: E402
from opensel_desktop.report.inputs import SheetInput  # noqa: E402
from opensel_desktop.report.sheets import build  # noqa: E402
from opensel_desktop.report.sign import sign_pdf  # noqa: E402

NAMES = ("Aled Jones", "Bethan Ŵyn", "Ceri Łukasiewicz", "Dafydd ap Gwŵr", "Eira Hughes", "Ffion Siân",
         "Gareth Price", "Heledd Rhys", "Ioan Evans", "Jac Morgan", "Kayleigh O'Neill", "Llinos Parry",
         "Mared Wiśniewska", "Nia Roberts", "Osian Lloyd", "Pedr Thomas", "Rhian Davies", "Sioned Owen",
         "Tomos Pugh", "Wil Edwards")


def fifteen_stage_count():
    for seats in (5, 6, 7, 4, 8):
        for k in range(1, 400):
            rankings = []
            for i in range(20):
                rankings.append(((i, (i + k) % 20, (i + 2 * k + 1) % 20, (i + 5) % 20), 40 + (i * 37 + k * 11) % 90))
                rankings.append((((i + 3) % 20, i, (i + 7) % 20), 10 + (i * 13 + k) % 30))
            contest = Contest(title="Bench: 20 candidates, 15 stages", rule="scottish", seats=seats,
                              candidates=tuple(CandidateSpec(n) for n in NAMES), returning_officer="Bench Officer",
                              tellers=("Teller One", "Teller Two"), venue="Bench Hall", date="2026-11-25")
            result = count("scottish", contest.to_election(Ballots.from_rankings(rankings)), chain_ties(None, None, "bench"))
            if len(result.stages) == 15:
                return contest, result
    raise SystemExit("no 15-stage pattern found")


def timed(fn, runs: int):
    cold_w, cold_c = time.perf_counter(), time.process_time()
    out = fn()
    cold = (time.perf_counter() - cold_w, time.process_time() - cold_c)
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return out, cold, (statistics.median(walls), statistics.median(cpus))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--append-readme", action="store_true", help="append the figures to bench/README.md")
    args = ap.parse_args()
    contest, result = fifteen_stage_count()
    key = parse_officer_key(create_officer_key("Bench Officer", "bench passphrase"), "bench passphrase")
    sheet = SheetInput(contest, result, "bench-20x15", head="0" * 64, declared=True, declared_at="2026-11-25 22:00")
    key_pem, cert_pem = key.private_pem(), key.certificate_pem()

    def stage_sheet():
        pdf = build(sheet, qr_signer=key.sign, documents=("declaration", "stages"))
        return sign_pdf(pdf, key_pem, cert_pem)

    def everything():
        return sign_pdf(build(sheet, qr_signer=key.sign), key_pem, cert_pem)

    pdf, cold, warm = timed(stage_sheet, args.runs)
    full, fcold, fwarm = timed(everything, args.runs)
    with tempfile.TemporaryDirectory() as t:
        Path(t, "b.pdf").write_bytes(pdf)
    rows = [
        ("stage sheet (declaration + stages), built and signed", cold, warm, len(pdf)),
        ("all documents (8 kinds, charts included), built and signed", fcold, fwarm, len(full)),
    ]
    lines = ["| what | cold wall | warm wall (median) | warm CPU | PDF size |", "|---|--:|--:|--:|--:|"]
    for what, c, w, size in rows:
        lines.append(f"| {what} | {c[0]:.3f} s | {w[0]:.3f} s | {w[1]:.3f} s | {size // 1024} KB |")
    table = "\n".join(lines)
    print(f"{len(result.names)} candidates, {len(result.stages)} stages, {args.runs} warm runs")
    print(table)
    verdict = "met" if warm[0] < 1.0 else "NOT met"
    print(f"target < 1 s for the stage sheet: {verdict}")
    if args.append_readme:
        readme = REPO / "bench" / "README.md"
        text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks (not tests)\n"
        text += (f"\n## bench/report.py: result sheets, built and signed\n\n"
                 f"    .venv/bin/python bench/report.py [--runs 5] [--append-readme]\n\n"
                 f"A 20-candidate, 15-stage Scottish STV count (synthetic papers), declared, signed with an ECDSA "
                 f"P-256 key (PAdES via pyhanko, plus the QR signature). Measured {time.strftime('%Y-%m-%d')} on "
                 f"the shared 2-core VM; \"cold\" includes the first use of reportlab and pyhanko in the process "
                 f"(font registration, imports already done).\n\n{table}\n\n"
                 f"Target: the stage sheet built and signed in under 1 s: {verdict}.\n")
        readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
