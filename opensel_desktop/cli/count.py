"""opensel count FILE [--rule R] [--seats N] [--seed S] [--format text|json|csv|rcvis]"""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.choices import RULE_NAMES, add_key, add_override

FORMATS = ("csv", "json", "rcvis", "text")
TIE_LINE = ("first_drawn", "first_kept")  # engine/ties.py TIE_LINE (not imported: start-up stays light)  # rcvis: Universal Tabulator JSON (rcvis.com)


def formatted(result, fmt: str) -> str:
    """The result in one output format (the writers are imported only when a count is printed)."""
    from opensel_desktop.contest import result_io

    if fmt == "json":
        return result_io.result_json_pretty(result) + "\n"
    return {"text": result_io.result_text, "csv": result_io.result_csv, "rcvis": result_io.result_rcvis}[fmt](result)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "count",
        help="count a .blt, contest .yaml or saved .osel and print the result",
        epilog="examples:\n"
               "  opensel count ballots.blt --rule scottish --seats 3\n"
               "  opensel count stv-delegates.yaml --format json\n"
               "  opensel count meeting.osel                   # the provisional result, journaled\n"
               "  opensel count meeting.osel --rule ers97      # a what-if, never journaled\n"
               "rule sets and their options: docs/rules.md",
        description="Count ballots and print every stage. A .blt needs --rule; a contest file or saved "
                    "contest carries its own rule (--rule/--seats then run a what-if count, never journaled).",
    )
    p.add_argument("file", metavar="FILE", help="ballots (.blt), contest (.yaml/.yml) or saved contest (.osel)")
    p.add_argument("--rule", choices=RULE_NAMES, help="counting rule (required for .blt)")
    p.add_argument("--seats", type=int, help="number of places (overrides the file's)")
    p.add_argument("--seed", help="seed for a reproducible lot, if the rule's tie procedure cannot separate")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    add_override(p)
    add_key(p, "with a saved contest, sign the journal at this count (a signed checkpoint)")
    p.add_argument("--tie-line", choices=TIE_LINE,
                   help="how a .blt's [tie] line is read: first_drawn (default: the candidate listed first is the "
                        "one a lot chooses, so it is excluded first) or first_kept (listed first is kept longest)")
    return p


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.app.counting import count_file
    from opensel_desktop.engine import CountError, NeedsLot

    try:
        result = count_file(args.file, rule=args.rule, seats=args.seats, seed=args.seed,
                            override=args.override_reason, key_path=args.key, tie_line=args.tie_line)
    except (CountError, NeedsLot) as exc:  # the engine knows no files: name the one being counted
        raise AppError(str(exc)) from None
    sys.stdout.write(formatted(result, args.format))
    return 0
