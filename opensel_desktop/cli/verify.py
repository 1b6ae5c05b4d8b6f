"""opensel verify FILE.osel | SHEET.pdf [--contest MEETING.osel]: dispatched by the file's suffix.

HANDLERS maps a suffix to a function taking the parsed arguments and returning the exit code; the
result-sheet check registers ".pdf" here (STYLE.md habit 12: an explicit registry).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.report import verify_pdf_sheet


def verify_osel(args: argparse.Namespace) -> int:
    from opensel_desktop.app.audit import verify_file

    report = verify_file(args.file)
    if not report.ok:
        raise AppError(report.failure().rstrip(".") + "; the file is not the record OpenSel wrote.")
    sys.stdout.write(f"{args.file}: the journal verifies ({report.chain.events} events); head {report.chain.head}\n"
                     + "".join(f"{c.name}: {c.message}\n" for c in report.checks[1:]))
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {".osel": verify_osel}
HANDLERS[".pdf"] = verify_pdf_sheet  # issue 5: result sheets (cli/report.py)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "verify",
        help="check a saved contest's hash chain and signatures, or a signed result sheet",
        epilog="examples:\n"
               "  opensel verify meeting.osel\n"
               "  opensel verify declaration.pdf --contest meeting.osel",
        description="FILE.osel: check the journal's hash chain from the first event and every journaled "
                    "signature; exit 0 only when all hold, otherwise name the first event that does not verify. "
                    "SHEET.pdf: check the sheet's signature and digest (with --contest: against that saved "
                    "contest).",
    )
    p.add_argument("file", metavar="FILE", help="a saved contest (.osel) or a signed result sheet (.pdf)")
    p.add_argument("--contest", metavar="MEETING.osel", help="for a sheet: the saved contest it must match")
    return p


def run(args: argparse.Namespace) -> int:
    suffix = Path(args.file).suffix.lower()
    handler = HANDLERS.get(suffix)
    if handler is None:
        kinds = ", ".join(sorted(HANDLERS))
        raise AppError(f"{args.file}: cannot verify a {suffix or 'suffix-less'} file; give one of: {kinds}.")
    return handler(args)
