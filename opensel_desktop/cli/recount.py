"""opensel recount MEETING.osel --requested-by NAME [--reason TEXT] [--seed S] [--format text|json|csv]:
a recount asked for before the declaration, counted again and journaled."""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.cli.choices import add_contest, add_override

FORMATS = ("csv", "json", "text")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "recount",
        help="count a saved contest again at a candidate's or agent's request, before the declaration; journaled",
        epilog="examples:\n"
               "  opensel recount meeting.osel --requested-by \"Tom Jones\" --reason \"margin of 3 votes at stage 4\"\n"
               "  opensel recount meeting.osel --requested-by \"Tom Jones's agent\" --format json",
        description="Before the result is declared, a candidate or agent may ask for a recount. The agreed "
                    "papers are counted again with the contest's rule; lots already drawn are replayed (ERS97 "
                    "5.6.3), and a new lot, if the recount needs one, is drawn from --seed (recorded) or refused "
                    "with a message saying to draw it with `opensel lot`. The recount is journaled with who "
                    "asked for it and why, and becomes the provisional result. After the declaration the "
                    "contest is locked: a recount then needs a new linked recount contest (`opensel recount-linked`).",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--requested-by", required=True, metavar="NAME", dest="requested_by",
                   help="who asked for the recount (a candidate or agent; journaled)")
    p.add_argument("--reason", default="", metavar="TEXT", help="why the recount was asked for (journaled)")
    p.add_argument("--seed", metavar="S", help="seed for a lot the recount needs that was not drawn before")
    add_override(p)
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    p.add_argument("--officer", metavar="NAME",
                   help="who ran the recount (default: the contest's returning officer)")
    add_contest(p)
    return p


def run(args: argparse.Namespace) -> int:
    # imported here so `opensel --help` and other commands do not pay for the engine and the store
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.declaring import recount
    from opensel_desktop.app.errors import AppError
    from opensel_desktop.contest import result_io
    from opensel_desktop.engine import NeedsLot

    with Session.open(args.file, args.officer or "returning officer", contest=args.contest_name) as s:
        if args.officer is None and s.contest.returning_officer:
            s.actor = s.contest.returning_officer
        try:
            result = recount(s, args.requested_by, args.reason, args.seed, args.override_reason)
        except NeedsLot as need:
            raise AppError(f"the recount needs a lot at stage {need.request.stage} between "
                           f"{', '.join(need.request.among)}; draw it with `opensel lot`, or rerun with --seed; "
                           "nothing was saved.") from None
    if args.format == "json":
        sys.stdout.write(result_io.result_json_pretty(result) + "\n")
    elif args.format == "csv":
        sys.stdout.write(result_io.result_csv(result))
    else:
        sys.stdout.write(result_io.result_text(result))
        sys.stdout.write(f"Recount requested by {args.requested_by.strip()} saved as the provisional result.\n")
    return 0
