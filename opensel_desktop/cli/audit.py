"""opensel audit MEETING.osel: read-only chain, signatures, replay, recount, diff with the declared result."""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.app.errors import AppError


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "audit",
        help="audit a saved contest read-only: chain, signatures, replay, recount, diff with the declared result",
        epilog="example:\n  opensel audit meeting.osel",
        description="Open the saved contest read-only (the file is never written), verify the hash chain and "
                    "the journaled signatures, replay the journal, recount independently and compare with the "
                    "declared result (or the latest provisional one). Exit 0 only when every check holds.",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.audit import audit

    report = audit(args.file)
    sys.stdout.write(f"Audit of {args.file} (contest {report.contest_id})\n" + "\n".join(report.lines()) + "\n")
    if not report.ok:
        raise AppError(report.failure().rstrip(".") + "; the audit failed.")
    sys.stdout.write("All checks hold.\n")
    return 0
