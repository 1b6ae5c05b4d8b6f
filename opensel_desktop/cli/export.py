"""opensel export MEETING.osel --blt | --json [-o FILE]: the agreed ballots, or the result."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.choices import add_contest


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "export",
        help="export a saved contest's agreed ballots (BLT) or its result (JSON)",
        epilog="examples:\n"
               "  opensel export meeting.osel --blt -o papers.blt\n"
               "  opensel export meeting.osel --json -o result.json",
        description="--blt: the papers that count (agreed batches; bundle totals as one-mark papers) as a BLT "
                    "file any STV counter reads. --json: the declared result, else the latest provisional one, "
                    "else a fresh count (not journaled), in the result JSON described in docs/cli.md. Read-only.",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--blt", action="store_true", help="the ballots as BLT")
    kind.add_argument("--json", action="store_true", help="the result as JSON")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output (never "
                                                          "overwrites)")
    add_contest(p)
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.declaring import count_meeting
    from opensel_desktop.contest.blt import BltFile, write_blt
    from opensel_desktop.contest.result_io import result_json_pretty

    with Session.open(args.file, "auditor", readonly=True, contest=args.contest_name) as s:
        s.require_verified()
        c = s.contest
        if args.blt:
            withdrawn = frozenset(i for i, k in enumerate(c.candidates) if k.withdrawn)
            text = write_blt(BltFile(c.names, c.seats, s.ballots(), withdrawn, c.title))
        else:
            holder = s.declared or s.provisional
            if holder is not None:
                text = json.dumps(holder.result, indent=2, ensure_ascii=False) + "\n"
            else:
                text = result_json_pretty(count_meeting(s, journal=False)) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    if out.exists():
        raise AppError(f"{out}: the file exists already; choose another name (nothing was written).")
    fd, tmp = tempfile.mkstemp(prefix=".opensel-", dir=out.parent if str(out.parent) else ".")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    try:
        os.link(tmp, out)
    finally:
        os.unlink(tmp)
    sys.stdout.write(f"Wrote {out}.\n")
    return 0
