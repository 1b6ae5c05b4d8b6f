"""opensel verify FILE.osel | SHEET.pdf [--contest MEETING.osel] [--key FINGERPRINT]: by the file's suffix.

HANDLERS maps a suffix to a function taking the parsed arguments and returning the exit code; the
result-sheet check registers ".pdf" here (an explicit registry).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.report import verify_pdf_sheet


def verify_osel(args: argparse.Namespace) -> int:
    from opensel_desktop.app.audit import verify_file
    from opensel_desktop.cli.audit import finish
    from opensel_desktop.cli.common import say

    if args.contest is not None:
        raise AppError("--contest is for a result sheet; to check a saved contest against the returning officer's "
                       "key, give --key FINGERPRINT")
    report = verify_file(args.file, args.key)
    if not report.ok:
        raise AppError(report.failure().rstrip(".") + "; the file is not the record OpenSel wrote")
    say(f"{args.file}: the file is sealed and its journal verifies ({report.chain.events} events); head "
        f"{report.chain.head}\n" + "".join(f"{c.name}: {c.message}\n" for c in report.checks[1:]))
    return finish(report)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {".osel": verify_osel}
HANDLERS[".pdf"] = verify_pdf_sheet  # result sheets (cli/report.py)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "verify",
        help="check a saved contest's hash chain and signatures, or a signed result sheet",
        epilog="examples:\n"
               "  opensel verify declaration.pdf --key 3F:A1:...:9C\n"
               "  opensel verify declaration.pdf --contest meeting.osel\n"
               "  opensel verify meeting.osel --key 3F:A1:...:9C",
        description="SHEET.pdf: check the sheet's signature (intact, covering the whole file), who signed it, its "
                    "QR code, and whether it is DECLARED or PROVISIONAL; with --contest, that its figures are "
                    "those of the saved contest and its signer the key pinned there; with --key, that its signer "
                    "is the key with that fingerprint (the one the returning officer published; colons "
                    "optional). FILE.osel: check the file's seal, its hash chain from the first event and every "
                    "signature in it. Exit 0 only when all hold AND the signer was checked (--key, or for a "
                    "sheet --contest); exit 3 when all hold but the signer was not checked (the fingerprint is "
                    "printed: compare it with the one the returning officer published); exit 1 otherwise.",
    )
    p.add_argument("file", metavar="FILE", help="a saved contest (.osel) or a signed result sheet (.pdf)")
    p.add_argument("--contest", metavar="MEETING.osel", help="for a sheet: the saved contest it must match")
    p.add_argument("--key", metavar="FINGERPRINT",
                   help="the SHA-256 fingerprint of the returning officer's key, as she published it")
    return p


def run(args: argparse.Namespace) -> int:
    suffix = Path(args.file).suffix.lower()
    handler = HANDLERS.get(suffix)
    if handler is None:
        kinds = ", ".join(sorted(HANDLERS))
        raise AppError(f"cannot verify a {suffix or 'suffix-less'} file; give one of: {kinds}.")
    return handler(args)
