"""opensel merge MEETING.osel BATCH.oselbatch...: verify signed batch files and merge them."""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.app.errors import AppError

HELP = "verify teller stations' signed batch files and merge them into the meeting (any order)"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "merge", help=HELP,
        description="Verify each batch file (a registered station's signature, chain intact, this contest, not "
                    "already merged, no paper number claimed by two batches, the batch agreed) and append it to "
                    "the journal as one event citing the file's SHA-256. A refused file changes nothing; the "
                    "same file again is a no-op. Then print the account of papers per station and batch, and "
                    "the batches issued but not returned. Without batch files, only the account is printed.",
        epilog="examples:\n"
               "  opensel merge meeting.osel table-2-batch-1.oselbatch table-3-batch-2.oselbatch\n"
               "  opensel merge meeting.osel",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the returning officer's saved contest")
    p.add_argument("batches", nargs="*", metavar="BATCH.oselbatch", help="batch files, in any order")
    p.add_argument("--officer", metavar="NAME", help="who merges (default: the contest's returning officer)")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.stations import REFUSED, merge_batches, station_account

    with Session.open(args.file, args.officer or "returning officer", readonly=not args.batches) as session:
        session.require_verified()  # the account alone opens read-only: never show one from an edited file
        officer = args.officer or session.contest.returning_officer or "returning officer"
        outcomes = merge_batches(session, args.batches, officer=officer) if args.batches else ()
        for o in outcomes:
            if o.status != REFUSED:
                sys.stdout.write(o.message + "\n")
        sys.stdout.write("\n".join(station_account(session).lines()) + "\n")
    refused = [o for o in outcomes if o.status == REFUSED]
    if refused:
        for o in refused[:-1]:
            sys.stderr.write(f"opensel: {o.message}\n")
        raise AppError(refused[-1].message, where=refused[-1].path)
    return 0
