"""opensel reject MEETING.osel --heading H [--count N] [--batch B --paper N [--second]], and
--withdraw [EVENT] --reason TEXT: papers rejected under a heading, journaled, and withdrawn."""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.cli.choices import add_contest


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "reject",
        help="record papers rejected under a heading (unmarked, void for uncertainty, ...)",
        epilog="examples:\n"
               "  opensel reject meeting.osel --heading unmarked\n"
               "  opensel reject meeting.osel --heading 5 --note \"rejection objected to by Tom Jones's agent\"\n"
               "  opensel reject meeting.osel --heading unmarked --batch 3 --paper 17 --second --officer \"Bob\"\n"
               "  opensel reject meeting.osel --withdraw 42 --reason \"the mark was there after all\"\n"
               "  opensel reject meeting.osel --withdraw --batch 3 --paper 17 --second --reason \"keyed in error\"",
        description="Record papers the returning officer rejected, under one of the contest's rejection "
                    "headings (the statutory ones and the party's: want of official mark; voting for more "
                    "candidates than entitled; writing or mark by which the voter can be identified; unmarked; "
                    "void for uncertainty; eligibility or declaration failed; received late; unless the contest "
                    "file lists its own). The heading may be given by its number in that list. With --batch and "
                    "--paper the rejection is a teller's entry of that paper (--second: the second teller's blind "
                    "entry): it is compared with the other teller's entry like a keyed paper (`opensel diff`) and "
                    "counts once the batch agrees. --withdraw takes back a rejection recorded in error, named by "
                    "its event number in `opensel log` or by --batch/--paper/--second; the reason is journaled "
                    "and the old rejection stays in the log.",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--heading", metavar="H", help="the heading, or its number (1 = the first); required unless "
                   "--withdraw")
    p.add_argument("--count", type=int, default=1, metavar="N", help="how many papers (default 1)")
    p.add_argument("--batch", default="", metavar="LABEL", help="the batch the papers came from, if known")
    p.add_argument("--paper", type=int, metavar="N", help="the paper's number in its batch, if known")
    p.add_argument("--note", default="", metavar="TEXT", help="a note, e.g. 'rejection objected to by agent'")
    p.add_argument("--second", action="store_true", help="with --batch and --paper: the second teller's entry")
    p.add_argument("--withdraw", nargs="?", const=0, type=int, metavar="EVENT",
                   help="withdraw a rejection: its event number from `opensel log`, or none with --batch/--paper")
    p.add_argument("--reason", metavar="TEXT", help="with --withdraw: why the rejection was wrong (journaled)")
    p.add_argument("--officer", metavar="NAME", help="who adjudicated (default: the contest's returning officer)")
    add_contest(p)
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app import rejections
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.errors import AppError

    if args.withdraw is not None:
        return _withdraw(args)
    if not args.heading:
        raise AppError("give the heading with --heading H (or --withdraw to take a rejection back); "
                       "nothing was saved.")
    with Session.open(args.file, args.officer or "returning officer", contest=args.contest_name) as s:
        heading = args.heading.strip()
        headings = s.contest.rejection_headings
        if heading.isdigit() and 1 <= int(heading) <= len(headings):
            heading = headings[int(heading) - 1]
        actor = args.officer or s.contest.returning_officer or "returning officer"
        changes = rejections.reject(s, heading, args.count, actor, args.batch, args.paper, args.note, second=args.second)
        sys.stdout.write(changes.message + "\n")
    return 0


def _withdraw(args: argparse.Namespace) -> int:
    from opensel_desktop.app import rejections
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.errors import AppError

    if not (args.reason or "").strip():
        raise AppError("say why the rejection was wrong with --reason TEXT; nothing was saved.")
    with Session.open(args.file, args.officer or "returning officer", contest=args.contest_name) as s:
        actor = args.officer or s.contest.returning_officer or "returning officer"
        event = args.withdraw or None
        changes = rejections.correct_rejection(s, args.reason, event=event, batch=args.batch if event is None else "",
                                      paper=args.paper, second=args.second, teller=actor)
        sys.stdout.write(changes.message + "\n")
    return 0
