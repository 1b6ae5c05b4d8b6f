"""opensel log MEETING.osel: the journal, human readable (or --json, one event per line)."""

from __future__ import annotations

import argparse
import json
import sys

from opensel_desktop.store import events as ev


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "log",
        help="print the journal of a saved contest, one event per line",
        epilog="examples:\n"
               "  opensel log meeting.osel\n"
               "  opensel log meeting.osel --kind paper_corrected --kind lot_drawn --kind declared\n"
               "  opensel log meeting.osel --batch 1 --json",
        description="Print every journal event: number, time, kind, who, station, batch and what it recorded. "
                    "The file is opened read-only. --json prints each event as stored (with its hashes).",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--kind", action="append", choices=ev.KINDS, help="only events of this kind (repeatable)")
    p.add_argument("--batch", metavar="LABEL", help="only events of this batch")
    p.add_argument("--json", action="store_true", help="JSON lines, every field as stored")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.journal_words import describe
    from opensel_desktop.app.session import Session

    with Session.open(args.file, "auditor", readonly=True) as s:
        contest = s.contest
        out = sys.stdout
        for e in s.events():
            if (args.kind and e.kind not in args.kind) or (args.batch is not None and e.batch != args.batch):
                continue
            if args.json:
                try:
                    data = e.data
                except (ValueError, RecursionError):  # a row edited by hand: shown as stored
                    data = e.payload
                out.write(json.dumps({"seq": e.seq, "kind": e.kind, "actor": e.actor, "station": e.station,
                                      "batch": e.batch, "at": e.at, "data": data, "prev": e.prev,
                                      "hash": e.hash}, ensure_ascii=False) + "\n")
                continue
            where = f" [{e.station}" + (f", batch {e.batch}" if e.batch else "") + "]"
            try:
                text = describe(e, contest)
            except (KeyError, TypeError, ValueError, IndexError, RecursionError):
                text = e.kind.replace("_", " ") + " (unreadable payload)"
            out.write(f"{e.seq:>6} {e.at} {e.actor}{where}: {text}\n")
        out.flush()
        s.require_verified()  # the events are all shown above; the refusal says where the record breaks
    return 0
