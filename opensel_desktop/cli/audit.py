"""opensel audit MEETING.osel [--key FINGERPRINT]: read-only seal, chain, signatures, replay, recount, diff."""

from __future__ import annotations

import argparse

from opensel_desktop.app.errors import AppError

SIGNER_NOT_CHECKED = ("signer not checked: compare it with the fingerprint the returning officer published "
                      "(give it with --key FINGERPRINT)")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "audit",
        help="audit a saved contest read-only: seal, chain, signatures, replay, recount, diff with the declared "
             "result",
        epilog="examples:\n  opensel audit meeting.osel --key 3F:A1:...:9C\n  opensel audit meeting.osel",
        description="Open the saved contest read-only (the file is never written), check that it is exactly as "
                    "OpenSel wrote it (no table, index or trigger added), verify the hash chain and every "
                    "signature against the returning officer's pinned key, replay the journal, recount "
                    "independently and compare with the declared result (or the latest provisional one). With "
                    "--key (the fingerprint the returning officer published, as `opensel keygen` prints it; "
                    "colons optional) the audit fails unless every declaration and signature in the file is by "
                    "that key. Exit 0 when every check holds and the signer was checked; 3 when every check "
                    "holds but no --key was given.",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--key", metavar="FINGERPRINT", help="the SHA-256 fingerprint the returning officer published")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.audit import audit
    from opensel_desktop.cli.common import say

    report = audit(args.file, args.key)
    say(f"Audit of {args.file} (contest {report.contest_id})\n" + "\n".join(report.lines()) + "\n")
    if not report.ok:
        raise AppError(report.failure().rstrip(".") + "; the audit failed")
    return finish(report)


def finish(report) -> int:
    """The verdict line and exit code shared by audit and verify of a saved contest."""
    from opensel_desktop.cli.common import say

    state = {"declared": "DECLARED", "counted": "PROVISIONAL (counted, not declared)",
             "entering": "not counted yet"}.get(report.state, report.state)
    say(f"State: {state}\n")
    if report.pinned:
        say(f"Returning officer's key pinned: {report.pinned}\n")
    if report.unsigned_declaration:
        say("The declaration is UNSIGNED: it was declared without the returning officer's key.\n")
    if report.needs_signer_check:
        say(f"All checks hold, but {SIGNER_NOT_CHECKED}.\n")
        return 3
    say("All checks hold." + (" The signer is the key given." if report.signer_checked else "") + "\n")
    return 0
