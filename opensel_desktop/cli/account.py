"""opensel account MEETING.osel [--channel NAME --issued N --spoilt N --unused N --returned N]"""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.choices import add_contest


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "account",
        help="record a channel's ballot paper account figures, and show the account",
        epilog="examples:\n"
               "  opensel account meeting.osel --channel in-room --issued 15 --spoilt 1 --unused 1 --returned 13\n"
               "  opensel account meeting.osel",
        description="Record one channel's ballot paper account (in-room, postal, online): papers issued, spoilt "
                    "and replaced, unused, and returned (found in the box or returned by post). Later figures "
                    "for a channel replace earlier ones; both stay in the journal. Without --channel, show the "
                    "account: per channel, papers counted and rejected, and whether it reconciles (the "
                    "declaration is refused until it does, unless an override reason is given). With teller "
                    "stations registered (`opensel station-pack`), also the papers per station and batch, and "
                    "the batches issued but not returned yet (declaring while one is out needs an override "
                    "reason).",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--channel", metavar="NAME", help="the channel, e.g. in-room or postal")
    p.add_argument("--issued", type=int, metavar="N", help="papers issued")
    p.add_argument("--spoilt", type=int, default=0, metavar="N", help="papers spoilt and replaced (default 0)")
    p.add_argument("--unused", type=int, default=0, metavar="N", help="papers unused (default 0)")
    p.add_argument("--returned", type=int, metavar="N", help="papers found in the box / returned by post")
    p.add_argument("--explanation", default="", metavar="TEXT", help="the explanation of a variance, if any")
    p.add_argument("--officer", metavar="NAME", help="who records the figures (default: the contest's "
                                                     "returning officer)")
    add_contest(p)
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.account import record_account
    from opensel_desktop.app.core import Session

    recording = args.channel is not None
    with Session.open(args.file, args.officer or "returning officer", readonly=not recording, contest=args.contest_name) as s:
        s.require_verified()
        if recording:
            if args.issued is None:
                raise AppError("give the papers issued with --issued N; nothing was saved.")
            actor = args.officer or s.contest.returning_officer or "returning officer"
            changes = record_account(s, args.channel, args.issued, args.spoilt, args.unused, args.returned,
                                       args.explanation, actor=actor)
            sys.stdout.write(changes.message + "\n")
        account = s.account()
        sys.stdout.write("\n".join(account.lines()) + "\n")
        if s.replay.stations:  # papers per station and batch, and batches still out
            from opensel_desktop.app.stations import station_account

            sys.stdout.write("\n".join(station_account(s).lines()) + "\n")
        if account.reconciles:
            sys.stdout.write("The account is acceptable for the declaration.\n")
        else:
            sys.stdout.write("Before declaring: " + " ".join(account.problems) + "\n")
    return 0
