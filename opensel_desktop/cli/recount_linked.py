"""opensel recount-linked MEETING.osel -o NEW.osel --officer NAME: a recount after the declaration."""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.cli.choices import add_contest

HELP = "after the declaration: start a recount in a new saved contest linked to the declared one"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "recount-linked", help=HELP,
        description="A declared contest is locked. A recount asked for after the declaration is made in a new "
                    "saved contest that records the declared file's contest id, journal head and name, and starts "
                    "from its agreed papers (one single-entry batch); count it with `opensel count`. The declared "
                    "file is not changed, and an existing NEW.osel is never overwritten. Refused before the "
                    "declaration (use `opensel count` again then).",
        epilog="example:\n"
               "  opensel recount-linked meeting.osel -o meeting-recount.osel --officer \"Jane Smith\"",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the declared saved contest")
    p.add_argument("-o", "--output", required=True, metavar="NEW.osel", help="the linked recount to create")
    p.add_argument("--officer", required=True, metavar="NAME", help="the returning officer (journaled)")
    add_contest(p)
    return p


def run(args: argparse.Namespace) -> int:
    # read-only: the declared file is only read (its id and head), never written
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.declaring import create_linked_recount

    with Session.open(args.file, args.officer, readonly=True, contest=args.contest_name) as declared:
        declared.require_verified()  # never start a recount from a journal edited outside the app
        with create_linked_recount(declared, args.output, args.officer) as new:
            papers = sum(b.papers for b in new.batches())
            link = new.replay.linked_to or {}
            sys.stdout.write(f"Created {args.output}: a recount of {link.get('file', args.file)} (contest id "
                             f"{link.get('contest_id')}, journal head {link.get('head')}) with {papers} papers.\n"
                             f"Contest id: {new.contest_id}\n")
    return 0
