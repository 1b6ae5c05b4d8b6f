"""opensel round MEETING.osel --counts "A=40,B=30" [--papers N] [--rejected N] [--withdraw NAME]

Enters one round of an exhaustive ballot into a saved contest and prints where the count stands (who is
elected, or whom the next round is among). Listed in cli/__init__.py COMMANDS; it calls
`Session.enter_round(round: dict, actor=None) -> Changes` (app/session.py), which journals one
`round_entered` event whose data is the validated round (contest/kinds.py `validate_rounds` shape:
{votes, papers?, rejected, withdraw?}); replay adds it after the contest file's `rounds:`, so that
`Session.count()` counts every round entered. A round the count cannot take (after every place is
filled) is refused in one sentence and nothing is journaled. docs/cli.md has a walk-through.
"""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.choices import add_contest

HELP = "enter one round of an exhaustive ballot into a saved contest"


def parse_counts(text: str, names: tuple[str, ...], path: str) -> dict[str, int]:
    """'Ann Lee=40, Bob=30' -> {name: votes}; names may be given by a unique prefix (case-insensitive)."""
    out: dict[str, int] = {}
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        name, sep, number = part.rpartition("=")
        name = name.strip()
        if not sep or not name or not number.strip().isdigit():
            raise AppError(f"{path}: cannot read {part!r} in --counts; write NAME=VOTES, separated by commas "
                           "(for example --counts \"Ann Lee=40,Bob Jones=30\").")
        matches = [n for n in names if n.lower() == name.lower()] or \
                  [n for n in names if n.lower().startswith(name.lower())]
        if len(matches) != 1:
            which = "matches several candidates" if matches else "is not a candidate"
            raise AppError(f"{path}: {name!r} in --counts {which}; use the name as on the ballot paper "
                           f"({', '.join(names)}).")
        if matches[0] in out:
            raise AppError(f"{path}: {matches[0]} is given twice in --counts; give each candidate once.")
        out[matches[0]] = int(number)
    if not out:
        raise AppError(f"{path}: --counts is empty; give each candidate's votes as NAME=VOTES.")
    return out


def build_round(args: argparse.Namespace, names: tuple[str, ...]) -> dict:
    from opensel_desktop.contest.kinds import validate_rounds

    votes = parse_counts(args.counts, names, args.file)
    node: dict = {"votes": votes, "rejected": {args.heading: args.rejected} if args.rejected else {}}
    if args.papers is not None:
        node["papers"] = args.papers
    if args.withdraw:
        node["withdraw"] = list(args.withdraw)
    problems: list[str] = []
    checked = validate_rounds([node], names, lambda path, msg: problems.append(msg))
    if problems:
        raise AppError(f"{problems[0]}")
    return checked[0]


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("round", help=HELP, description=HELP[:1].upper() + HELP[1:] + "; prints the state of the "
                       "count after it.",
                       epilog="examples:\n"
                              "  opensel round meeting.osel --counts \"Gwen Parry=18,Rhys Beynon=15,Zofia Nowak=11,"
                              "Tomos Pugh=6\" --rejected 1\n"
                              "  opensel round meeting.osel --counts \"Gwen Parry=26,Rhys Beynon=24\" "
                              "--withdraw \"Zofia Nowak\"\n"
                              "the rounds and the majority options: docs/quotas-and-meetings.md")
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest (rule: exhaustive)")
    p.add_argument("--counts", required=True, help='votes per candidate, e.g. "Ann Lee=40,Bob Jones=30"')
    p.add_argument("--papers", type=int, help="valid papers in this round (needed with several places)")
    p.add_argument("--rejected", type=int, default=0, help="papers rejected in this round")
    p.add_argument("--heading", default="unmarked", help="rejection heading for --rejected (default: unmarked)")
    p.add_argument("--withdraw", action="append", metavar="NAME", help="a candidate withdrawing before this round")
    p.add_argument("--teller", help="who entered the round (default: the officer named when opening)")
    add_contest(p)
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.declaring import count_meeting
    from opensel_desktop.app.rounds import enter_round

    actor = args.teller or "returning officer"
    with Session.open(args.file, actor, contest=args.contest_name) as session:
        contest = session.contest
        if contest.rule != "exhaustive":
            raise AppError(f"this contest is counted by {contest.rule}, not an exhaustive ballot; "
                           "rounds are only entered for rule: exhaustive.")
        changes = enter_round(session, build_round(args, contest.names))
        result = count_meeting(session, journal=False)
    print(changes.message)
    if result.decision and result.decision.get("outcome") == "another round needed":
        print(f"Round {result.decision['round']} is needed among: {', '.join(result.decision['among'])}.")
    else:
        print("Elected: " + ", ".join(result.elected))
    sys.stdout.flush()
    return 0
