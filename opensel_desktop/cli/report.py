"""opensel report FILE.osel|CONTEST.yaml -o OUT.pdf [--sign OFFICER.key]"""

from __future__ import annotations

import argparse
from pathlib import Path

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.choices import DOCUMENT_NAMES, add_contest, add_override


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
    add_override(p)
    add_contest(p)
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.keys import passphrase_from_env_or_prompt
    from opensel_desktop.app.sheets import make_report
    from opensel_desktop.cli.common import say

    if args.sign and not Path(args.sign).is_file():  # before asking for a passphrase
        raise AppError("no such key file; check the name, or make one with `opensel keygen`", where=args.sign)
    passphrase = passphrase_from_env_or_prompt(f"Passphrase of {args.sign}: ") if args.sign else None
    out = make_report(args.file, args.output, key_path=args.sign, passphrase=passphrase,
                      override_account=args.override_reason, documents=tuple(args.only) if args.only else None,
                      contest=args.contest_name)
    state = "DECLARED result" if out.declared else "PROVISIONAL result"
    signed = f"signed by {out.signer} (key fingerprint {out.fingerprint})" if out.signed else "not signed"
    say(f"{out.path}: {state}, {signed}.\nResult hash: {out.result_hash}\nSheet digest: {out.digest}\n")
    return 0


def verify_pdf_sheet(args: argparse.Namespace) -> int:
    """`opensel verify SHEET.pdf [--contest MEETING.osel] [--key FINGERPRINT]` (registered in cli/verify.py
    HANDLERS): PAdES signature intact over the whole file, who signed it, its state, the QR code, and
    whether the signer is the key given or pinned. Exit 0 / 3 (signer not checked) / 1."""
    from opensel_desktop.app.sheets import verify_sheet
    from opensel_desktop.cli.audit import SIGNER_NOT_CHECKED
    from opensel_desktop.cli.common import say

    check = verify_sheet(args.file, getattr(args, "contest", None), getattr(args, "key", None))
    v = check.verdict
    lines = [f"{args.file}:"]
    if v.signed:
        lines.append(f"  signed by:       {v.signer or '(no name)'}")
        lines.append(f"  key fingerprint: {v.fingerprint} (SHA-256)")
        if v.signing_time:
            lines.append(f"  signed at:       {v.signing_time}")
        lines.append(f"  signature:       {'intact' if v.intact else 'BROKEN'}; "
                     f"{'covers the whole file' if v.whole_file else 'does NOT cover the whole file'}")
    else:
        lines.append("  signature:       none")
    if v.state:
        lines.append(f"  state:           {v.state.upper()}")
    if v.payload is not None:
        lines.append(f"  contest id:      {v.payload.contest_id}")
        lines.append(f"  sheet digest:    {v.payload.digest}")
        lines.append(f"  QR signature:    {'valid, made with the same key' if v.qr_signature_ok else 'NOT valid'}")
    if v.matches is not None:
        lines.append(f"  matches {args.contest}: {'yes' if v.matches else 'NO'}")
    if check.expected_signer is not None:
        lines.append(f"  expected signer: {check.expected_signer} -> {'yes' if check.signer_ok else 'NO'}")
    ok = v.ok and check.signer_ok is not False
    if ok and check.signer_ok:
        lines.append("  verdict:         OK")
        say("\n".join(lines) + "\n")
        return 0
    if ok:
        lines.append(f"  verdict:         valid, but {SIGNER_NOT_CHECKED}")
        say("\n".join(lines) + "\n")
        return 3
    say("\n".join(lines) + "\n")
    problems = list(v.problems)
    if check.signer_ok is False:
        problems.insert(0, f"it is not signed by the returning officer's key ({check.expected_signer})")
    raise AppError("; ".join(problems or ["it could not be verified"]) + "; do not rely on this sheet, and ask the "
                   "returning officer for the signed original", where=args.file)
