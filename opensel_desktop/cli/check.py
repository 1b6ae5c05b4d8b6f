"""opensel check CONTEST.yaml|BALLOTS.blt: validate a contest (every problem at once) and print its ballot paper
account, or read a ballot file and say which dialect of the BLT format it is written in."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from opensel_desktop.app.errors import AppError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "check",
        help="validate a contest .yaml and print its ballot paper account, or read a .blt ballot file",
        epilog="examples:\n  opensel check contest.yaml\n  opensel check ward.blt\n"
               "the contest file's keys: docs/contest-format.md",
        description="Validate a contest file and report every problem at once as FILE:LINE:COLUMN with how to "
                    "fix it (exit 1), or print a summary and the ballot paper account (exit 0). An account "
                    "that does not reconcile is shown, not refused: `opensel count` refuses it. A .blt ballot "
                    "file is read as `opensel count` reads it: a summary and the dialect of the format it is "
                    "written in (\"standard\", \"unquoted names\", \"comma-separated\", ...), or the one "
                    "place where it cannot be read.",
    )
    p.add_argument("file", metavar="CONTEST", help="contest file (.yaml/.yml) or ballot file (.blt)")
    p.add_argument("--json", action="store_true", help="print the summary and account as JSON")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.contest.account import account_of
    from opensel_desktop.contest.yaml_io import load_contest

    if Path(args.file).suffix.lower() == ".blt":
        return check_blt(args)
    if Path(args.file).suffix.lower() not in (".yaml", ".yml"):
        raise AppError("`opensel check` reads contest files (.yaml/.yml) and ballot files (.blt); for a .csv of "
                       "ballots, convert it with `opensel convert`.")
    contest = load_contest(args.file)  # ContestError: every problem, one per line, exit 1
    account = account_of(contest)
    papers = sum(b.count for b in contest.ballots)
    if args.json:
        out = {"file": args.file, "title": contest.title, "kind": contest.kind, "rule": contest.rule,
               "seats": contest.seats, "candidates": list(contest.names),
               "withdrawn": [c.name for c in contest.candidates if c.withdrawn], "papers": papers,
               "account": account.to_json_dict()}
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        return 0
    standing = [c.name for c in contest.candidates if not c.withdrawn]
    lines = [f"{args.file}: valid contest file.",
             f"{contest.title}" + (f" ({contest.organisation})" if contest.organisation else ""),
             f"Kind: {contest.kind}; rule: {contest.rule}; places: {contest.seats}; "
             f"candidates: {len(standing)} standing" +
             (f", {len(contest.candidates) - len(standing)} withdrawn" if len(standing) < len(contest.candidates)
              else ""),
             f"Papers in the file: {papers}" + (f" ({len(contest.ballots)} entries)" if contest.ballots else ""),
             "", "Ballot paper account:"]
    lines += ["  " + line for line in account.lines()]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def check_blt(args: argparse.Namespace) -> int:
    """A ballot file: what `opensel count` would read (ContestError: the one place it cannot, exit 1)."""
    from opensel_desktop.contest.blt import read_blt

    blt = read_blt(args.file)
    names = list(blt.names)
    standing = [n for i, n in enumerate(names) if i not in blt.withdrawn]
    withdrawn = [names[i] for i in sorted(blt.withdrawn)]
    papers = blt.ballots.total
    if args.json:
        out = {"file": args.file, "format": "blt", "dialect": blt.dialect, "title": blt.title, "seats": blt.seats,
               "candidates": names, "withdrawn": withdrawn, "papers": papers, "lines": len(blt.ballots),
               "notes": list(blt.notes)}
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        return 0
    lines = [f"{args.file}: valid ballot file (BLT), dialect: {blt.dialect}.",
             blt.title or "(no title)",
             f"Places: {blt.seats}; candidates: {len(standing)} standing"
             + (f", {len(withdrawn)} withdrawn ({', '.join(withdrawn)})" if withdrawn else ""),
             f"Papers: {papers} ({len(blt.ballots)} ballot lines)"]
    lines += [f"Note: {note}." for note in blt.notes]
    lines += ["", "Candidates:"] + [f"  {k}. {n}" + (" (withdrawn)" if n in withdrawn else "")
                                    for k, n in enumerate(names, 1)]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
