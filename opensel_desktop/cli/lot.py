"""opensel lot MEETING.osel --witness NAME [--seed S | --chosen NAME]: draw the lot the count needs."""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.cli.choices import add_contest


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "lot",
        help="draw (or record) the lot the count asks for; journaled and replayed on every recount",
        epilog="examples:\n"
               "  opensel lot meeting.osel --witness \"Tom Jones's agent\" --chosen \"Aisha Rahman\"   "
               "# a physical draw\n"
               "  opensel lot meeting.osel --witness \"Tom Jones's agent\" --seed 2026               "
               "# a seeded draw",
        description="When the rule's own tie procedure cannot separate candidates, the count stops and asks for "
                    "a lot. Either record a physical draw made in the room (--chosen NAME), or make a seeded "
                    "draw (--seed S; a random seed is made and recorded if none is given). The draw is "
                    "reproducible: sort the tied names, SHA-256 of 'opensel-lot-v1|seed|stage|purpose|names...', "
                    "modulo the number tied. The earlier lot stands on any recount (ERS97 5.6.3).",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--witness", required=True, metavar="NAME", help="who witnessed the draw (journaled)")
    p.add_argument("--seed", metavar="S", help="seed for a reproducible draw")
    p.add_argument("--chosen", metavar="NAME", help="the candidate a physical draw chose")
    add_contest(p)
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.declaring import lot_needed, record_lot

    with Session.open(args.file, args.witness, contest=args.contest_name) as s:
        changes = record_lot(s, args.witness, seed=args.seed, chosen=args.chosen)
        sys.stdout.write(changes.message + "\n")
        more = lot_needed(s)
        if more is not None:
            sys.stdout.write(f"Another lot is needed at stage {more.stage} between {', '.join(more.among)}; "
                             "run `opensel lot` again.\n")
    return 0
