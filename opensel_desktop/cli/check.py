"""opensel check CONTEST.yaml: validate a contest (every problem at once) and print its ballot paper account."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from opensel_desktop.app.errors import AppError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "check",
        help="validate a contest .yaml and print its ballot paper account",
        epilog="example:\n  opensel check contest.yaml\nthe contest file's keys: docs/contest-format.md",
        description="Validate a contest file and report every problem at once as FILE:LINE:COLUMN with how to "
                    "fix it (exit 1), or print a summary and the ballot paper account (exit 0). An account "
                    "that does not reconcile is shown, not refused: `opensel count` refuses it.",
    )
    p.add_argument("file", metavar="CONTEST", help="contest file (.yaml/.yml)")
    p.add_argument("--json", action="store_true", help="print the summary and account as JSON")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.contest.account import account_of
    from opensel_desktop.contest.yaml_io import load_contest

    if Path(args.file).suffix.lower() not in (".yaml", ".yml"):
        raise AppError("`opensel check` reads contest files (.yaml/.yml); to read a ballot file, "
                       "count it with `opensel count FILE --rule R` or convert it with `opensel convert`.")
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
