"""opensel declare MEETING.osel --officer NAME [--key OFFICER.key] [--override-reason TEXT]: declare and lock."""

from __future__ import annotations

import argparse

from opensel_desktop.cli.choices import add_contest, add_key, add_override


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "declare",
        help="declare the result, signed by the returning officer's key, and lock the saved contest",
        epilog="examples:\n"
               "  opensel declare meeting.osel --officer \"Jane Smith\" --key jane.key\n"
               "  opensel declare meeting.osel --officer \"Jane Smith\" --key jane.key --override-reason \"REASON\"",
        description="Count the agreed papers once more and journal the declaration, signed with the returning "
                    "officer's key; afterwards nothing more can be entered (a recount then needs a new, linked "
                    "contest). The key must be the one pinned in the contest (`opensel new --key`); a contest "
                    "with no key pinned is pinned to the key given. Without --key, a contest with no key pinned "
                    "is declared UNSIGNED, and every verify and audit reports it as unsigned. Refused while a "
                    "batch is not agreed, a lot is still needed, or the ballot paper account does not reconcile "
                    "(or none is recorded), unless --override-reason records why the officer declares anyway.",
    )
    p.add_argument("file", metavar="MEETING.osel", help="the saved contest")
    p.add_argument("--officer", required=True, metavar="NAME", help="the returning officer declaring")
    add_key(p, "signs the declaration")
    add_override(p)
    add_contest(p)
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.declaring import declare
    from opensel_desktop.app.keys import load_officer_key, passphrase_from_env_or_prompt
    from opensel_desktop.cli.common import say
    from opensel_desktop.contest.result_io import result_text

    key = None
    if args.key:
        key = load_officer_key(args.key, passphrase_from_env_or_prompt(f"Passphrase of {args.key}: "))
    with Session.open(args.file, args.officer, contest=args.contest_name) as s:
        changes = declare(s, args.officer, args.override_reason, key=key)
        declared = s.model.declared
        assert declared is not None
        signed = (f"Signed by key: {declared.signature['fingerprint']}" if declared.signature else
                  "NOT signed: declared without the returning officer's key")
        say(f"{changes.message}\nResult hash: {declared.digest}\nJournal head: {changes.head}\n{signed}\n\n"
            + result_text(s.results[changes.events[-1]]))
    return 0
