"""opensel unit-return MEETING.osel --unit NAME --decision yes|no|did-not-vote --reported-by NAME [...]

Enters one unit's return to a trigger ballot and prints the running tally per class and whether
the threshold is met. Listed in cli/__init__.py COMMANDS; it calls `Session.enter_unit_return` (one
`unit_return_entered` event) and `Session.trigger_status()` (app/session.py). A unit that already has a
return needs --reason; the earlier return stays in the journal (`opensel log`) and on the sheet.
"""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.choices import add_contest

HELP = "enter one unit's return to a trigger ballot and show the running tally"
DECISIONS = ("yes", "no", "did-not-vote")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "unit-return", help=HELP,
        description="Enter one party or affiliated branch's decision on a trigger ballot into a saved "
                    "contest (rule: trigger), then print the tally of each class and whether the threshold "
                    "is met. The latest return of a unit counts; a unit that already has a return needs "
                    "--reason (a late, disputed or corrected return), and the earlier return stays on record.",
        epilog="examples:\n"
               "  opensel unit-return meeting.osel --unit \"Eastmoor ward branch\" --decision yes "
               "--reported-by Secretary --for 14 --against 9\n"
               "  opensel unit-return meeting.osel --unit \"Eastmoor ward branch\" --decision no "
               "--reported-by \"Regional office\" --reason \"Disputed: cards counted twice\"\n"
               "the rule sets, thresholds and denominators: docs/quotas-and-meetings.md")
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest (rule: trigger)")
    p.add_argument("--unit", required=True, metavar="NAME", help="the unit as the contest names it")
    p.add_argument("--class", dest="unit_class", metavar="CLASS",
                   help="the unit's class, only needed when the same name is in two classes")
    p.add_argument("--decision", required=True, choices=DECISIONS, help="what the unit decided")
    p.add_argument("--reported-by", required=True, metavar="NAME", help="who reported the return")
    p.add_argument("--reason", help="why the return changed (needed when the unit already has a return)")
    p.add_argument("--for", dest="votes_for", type=int, metavar="N",
                   help="the unit's own votes for a selection")
    p.add_argument("--against", type=int, metavar="N", help="the unit's own votes against")
    p.add_argument("--abstain", type=int, metavar="N", help="abstentions at the unit's meeting")
    p.add_argument("--meeting-date", metavar="YYYY-MM-DD", help="the date of the unit's meeting")
    p.add_argument("--officer", default="returning officer",
                   help="who enters the return (default: returning officer)")
    add_contest(p)
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.returns import enter_unit_return, trigger_status

    figures = {"for": args.votes_for, "against": args.against, "abstain": args.abstain}
    if any(n is not None and n < 0 for n in figures.values()):
        raise AppError("vote figures cannot be negative; give the unit's counts as whole "
                       "numbers.")
    if (args.votes_for is None) != (args.against is None):
        raise AppError("give both --for and --against (the unit's own figures), or neither.")
    with Session.open(args.file, args.officer, contest=args.contest_name) as session:
        if session.contest.rule != "trigger":
            raise AppError(f"this contest is counted by {session.contest.rule}, not a trigger "
                           "ballot; unit returns are only entered for rule: trigger.")
        changes = enter_unit_return(session, args.unit, args.decision, args.reported_by, reason=args.reason,
                                            figures={k: v for k, v in figures.items() if v is not None},
                                            meeting_date=args.meeting_date, unit_class=args.unit_class)
        status = trigger_status(session)
    print(changes.message)
    for line in status.lines():
        print("  " + line)
    sys.stdout.flush()
    return 0
