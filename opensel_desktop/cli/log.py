"""opensel log MEETING.osel: the journal, human readable (or --json, one event per line)."""

from __future__ import annotations

import argparse
import json
import sys

# the kinds of event, listed here for --kind's choices without importing the store at start-up
KIND_CHOICES = (
    "contest_created", "officer_key_pinned", "paper_entered", "ballots_imported", "paper_corrected",
    "paper_withdrawn", "paper_rejected", "rejection_withdrawn", "bundle_total", "mismatch_resolved",
    "batch_single_entry", "account_figures", "lot_drawn", "count_run", "recount", "declared",
    "signature_recorded", "journal_signed", "teller_switched", "station_registered", "batch_merged",
    "round_entered", "unit_return_entered",
)


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
    p.add_argument("--kind", action="append", choices=KIND_CHOICES, help="only events of this kind (repeatable)")
    p.add_argument("--batch", metavar="LABEL", help="only events of this batch")
    p.add_argument("--json", action="store_true", help="JSON lines, every field as stored")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app import journal
    from opensel_desktop.app.core import Session
    from opensel_desktop.contest.names import printable

    with Session.open(args.file, "auditor", readonly=True) as s:
        out = sys.stdout
        events = [e for e in s.events() if not (args.kind and e.kind not in args.kind)
                  and not (args.batch is not None and e.batch != args.batch)]
        if args.json:
            for e in events:
                out.write(json.dumps(journal.json_record(e), ensure_ascii=True) + "\n")
        else:
            for row in journal.rows(s, events):
                where = f" [{row.station}" + (f", batch {row.batch}" if row.batch else "") + "]"
                out.write(printable(f"{row.seq:>6} {row.at} {row.actor}{where}: {row.text}") + "\n")
        out.flush()
        s.require_verified()  # the events are all shown above; the refusal says where the record breaks
    return 0
