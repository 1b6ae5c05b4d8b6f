"""opensel declare MEETING.osel --officer NAME [--override-reason TEXT]: declare and lock."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "declare",
        help="declare the result and lock the saved contest",
        epilog="examples:\n"
               "  opensel declare meeting.osel --officer \"Jane Smith\"\n"
               "  opensel declare meeting.osel --officer \"Jane Smith\" --override-reason \"REASON\"",
        description="Count the agreed papers once more and journal the declaration; afterwards nothing more can "
                    "be entered (a recount then needs a new, linked contest). Refused while a batch is not "
                    "agreed, a lot is still needed, or the ballot paper account does not reconcile, unless "
                    "--override-reason records why the returning officer declares anyway.",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--officer", required=True, metavar="NAME", help="the returning officer declaring")
    p.add_argument("--override-reason", metavar="TEXT",
                   help="declare although the account does not reconcile, for this reason (journaled and printed)")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.session import Session
    from opensel_desktop.contest.result_io import result_text
    from opensel_desktop.engine import Result

    with Session.open(args.file, args.officer) as s:
        changes = s.declare(args.officer, args.override_reason)
        declared = s.declared or {}
        sys.stdout.write(f"{changes.message}\nResult digest: {declared.get('digest')}\nJournal head: "
                         f"{changes.head}\n")
        result = s.count(journal=False)
        if isinstance(result, Result):
            sys.stdout.write("\n" + result_text(result))
    return 0
