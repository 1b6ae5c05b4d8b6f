"""opensel count FILE [--rule R] [--seats N] [--seed S] [--format text|json|csv|rcvis]"""

from __future__ import annotations

import argparse
import sys

from opensel_desktop.app.counting import count_file
from opensel_desktop.contest import result_io
from opensel_desktop.engine import RULES

FORMATS = {
    "text": result_io.result_text,
    "json": lambda r: result_io.result_json_pretty(r) + "\n",
    "csv": result_io.result_csv,
}


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "count",
        help="count a .blt, contest .yaml or saved .osel and print the result",
        description="Count ballots and print every stage. A .blt needs --rule; a contest file or saved "
                    "contest carries its own rule (--rule/--seats then run a what-if count, never journaled).",
    )
    p.add_argument("file", metavar="FILE", help="ballots (.blt), contest (.yaml/.yml) or saved contest (.osel)")
    p.add_argument("--rule", choices=sorted(RULES), help="counting rule (required for .blt)")
    p.add_argument("--seats", type=int, help="number of places (overrides the file's)")
    p.add_argument("--seed", help="seed for a reproducible lot, if the rule's tie procedure cannot separate")
    p.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    return p


def run(args: argparse.Namespace) -> int:
    result = count_file(args.file, rule=args.rule, seats=args.seats, seed=args.seed)
    sys.stdout.write(FORMATS[args.format](result))
    return 0
