"""opensel report FILE.osel|CONTEST.yaml -o OUT.pdf [--sign OFFICER.key]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.choices import DOCUMENT_NAMES


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "report",
        help="print the result sheets of a contest to PDF, optionally signed",
        epilog="examples:\n"
               "  opensel report meeting.osel -o declaration.pdf --sign jane.key\n"
               "  opensel report stv-delegates.yaml -o sheets.pdf\n"
               "  opensel verify declaration.pdf --contest meeting.osel   # check a sheet",
        description="Make the result sheets of a saved contest (.osel) or a contest file (.yaml) as one A4 PDF: "
                    "declaration (PROVISIONAL until declared), stage-by-stage sheet or vote table, charts, "
                    "ballot paper account, rejected papers, lots and constraints. Page 1 carries a QR code with "
                    "the contest id, the sheet digest and the state. With --sign, the PDF gets a PAdES signature and the QR "
                    "code the officer's signature; the passphrase comes from OPENSEL_PASSPHRASE or a prompt, and "
                    "signing a saved contest's sheet is recorded in its journal.",
    )
    p.add_argument("file", metavar="FILE", help="saved contest (.osel) or contest file (.yaml/.yml)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="the PDF to write")
    p.add_argument("--sign", metavar="OFFICER.key", help="sign with this key file (made by `opensel keygen`)")
    p.add_argument("--only", metavar="DOC", action="append", choices=DOCUMENT_NAMES,
                   help="print only these documents (repeatable; the declaration is always included)")
    p.add_argument("--override-account", metavar="REASON",
                   help="contest files only: print although the ballot paper account does not reconcile")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.keys import passphrase_from_env_or_prompt
    from opensel_desktop.app.sheets import make_report

    if args.sign and not Path(args.sign).is_file():  # before asking for a passphrase
        raise AppError(f"{args.sign}: no such key file; check the name, or make one with `opensel keygen`.")
    passphrase = passphrase_from_env_or_prompt(f"Passphrase of {args.sign}: ") if args.sign else None
    out = make_report(args.file, args.output, key_path=args.sign, passphrase=passphrase,
                      override_account=args.override_account, documents=tuple(args.only) if args.only else None)
    state = "declared result" if out.declared else "PROVISIONAL result"
    signed = f"signed by {out.signer} (certificate {out.fingerprint})" if out.signed else "not signed"
    sys.stdout.write(f"{out.path}: {state}, {signed}.\nResult hash: {out.result_hash}\nSheet digest: {out.digest}\n")
    return 0


def verify_pdf_sheet(args: argparse.Namespace) -> int:
    """`opensel verify SHEET.pdf [--contest MEETING.osel]` (registered in cli/verify.py HANDLERS):
    PAdES signature intact over the whole file, who signed it, and the QR digest (issue 5)."""
    from opensel_desktop.app.sheets import verify_sheet

    v = verify_sheet(args.file, getattr(args, "contest", None))
    out = sys.stdout
    out.write(f"{args.file}:\n")
    if v.signed:
        out.write(f"  signed by:       {v.signer or '(no name)'}\n")
        out.write(f"  certificate:     {v.fingerprint} (SHA-256 fingerprint)\n")
        if v.signing_time:
            out.write(f"  signed at:       {v.signing_time}\n")
        out.write(f"  signature:       {'intact' if v.intact else 'BROKEN'}; "
                  f"{'covers the whole file' if v.whole_file else 'does NOT cover the whole file'}\n")
    else:
        out.write("  signature:       none\n")
    if v.payload is not None:
        out.write(f"  contest id:      {v.payload.contest_id}\n")
        out.write(f"  sheet digest:    {v.payload.digest}\n")
        if v.state:
            out.write(f"  state:           {v.state.upper()}\n")
        out.write(f"  QR signature:    {'valid, made with the same key' if v.qr_signature_ok else 'NOT valid'}\n")
    if v.matches is not None:
        out.write(f"  matches {args.contest}: {'yes' if v.matches else 'NO'}\n")
    if v.ok:
        out.write("  verdict:         OK\n")
        return 0
    problems = "; ".join(v.problems) or "it could not be verified"
    sys.stderr.write(f"opensel: {args.file}: {problems}; do not rely on this sheet, and ask the returning "
                     "officer for the signed original.\n")
    return 1
