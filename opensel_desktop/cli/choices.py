"""Names the command line offers before anything heavy is imported (argparse choices and --help).

`opensel --version` and every command's parser must start fast, so the parsers do not import the
engine's counting code or the report module just to list rule or sheet names (the rules' facts are a
module of their own, importing nothing); tests/cli/test_cli_startup.py checks the documents against the
report's list.
"""

from __future__ import annotations

from opensel_desktop.engine.rule_facts import RULE_NAMES as _LISTED

RULE_NAMES = tuple(sorted(_LISTED))
DOCUMENT_NAMES = ("account", "charts", "decision", "declaration", "lots", "plurality", "rejected", "stages")


def add_override(p) -> None:  # argparse.ArgumentParser; not imported for its type to keep start-up fast
    """The one override flag of every step that may go ahead although the ballot paper account does not
    reconcile (count of a saved contest, recount, declare, report); the reason is journaled and printed."""
    p.add_argument("--override-reason", "--override-account", dest="override_reason", metavar="TEXT",
                   help="go ahead although the ballot paper account does not reconcile (or none is recorded), "
                        "for this reason: journaled and printed beside the account")


def add_key(p, what: str) -> None:
    p.add_argument("--key", metavar="OFFICER.key",
                   help=f"the returning officer's key file: {what} (passphrase from OPENSEL_PASSPHRASE or a "
                        "prompt)")


def add_contest(p) -> None:
    """--contest NAME on every command that works on one contest of a saved meeting."""
    p.add_argument("--contest", dest="contest_name", metavar="NAME",
                   help="the contest (post) of a meeting of several to work on (default: the first; `opensel "
                        "log` lists them)")
