"""The `opensel` command line: the headless face of every use-case.

Each subcommand lives in its own module with `add_parser(subparsers)` and `run(args) -> int`,
listed in COMMANDS below. Exit codes: 0 done; 1 refused (one sentence on stderr naming the file and
what to do next); 2 usage error. Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence

from opensel_desktop import __version__
from opensel_desktop.cli import account as account_cmd
from opensel_desktop.cli import audit as audit_cmd
from opensel_desktop.cli import batch_export as batch_export_cmd
from opensel_desktop.cli import check as check_cmd
from opensel_desktop.cli import convert as convert_cmd
from opensel_desktop.cli import count as count_cmd
from opensel_desktop.cli import declare as declare_cmd
from opensel_desktop.cli import diff as diff_cmd
from opensel_desktop.cli import enter as enter_cmd
from opensel_desktop.cli import export as export_cmd
from opensel_desktop.cli import keygen as keygen_cmd
from opensel_desktop.cli import log as log_cmd
from opensel_desktop.cli import lot as lot_cmd
from opensel_desktop.cli import merge as merge_cmd
from opensel_desktop.cli import new as new_cmd
from opensel_desktop.cli import recount as recount_cmd
from opensel_desktop.cli import recount_linked as recount_linked_cmd
from opensel_desktop.cli import reject as reject_cmd
from opensel_desktop.cli import report as report_cmd
from opensel_desktop.cli import round as round_cmd
from opensel_desktop.cli import station_pack as station_pack_cmd
from opensel_desktop.cli import unit_return as unit_return_cmd
from opensel_desktop.cli import verify as verify_cmd
from opensel_desktop.cli import wording  # noqa: F401  (registers how the command line words next steps)
from opensel_desktop.cli.common import refusal_message

COMMANDS = [count_cmd, check_cmd, convert_cmd, keygen_cmd, report_cmd, verify_cmd]
# the meeting, in the order it happens
COMMANDS += [new_cmd, enter_cmd, diff_cmd, account_cmd, reject_cmd, lot_cmd, declare_cmd, log_cmd, export_cmd,
             audit_cmd]
COMMANDS += [round_cmd]  # exhaustive ballot rounds at the meeting
COMMANDS += [station_pack_cmd, batch_export_cmd, merge_cmd]  # several teller laptops, one count
COMMANDS += [recount_cmd]  # a recount asked for before the declaration
COMMANDS += [recount_linked_cmd]  # after the declaration: a recount in a new, linked file
COMMANDS += [unit_return_cmd]  # trigger-ballot unit returns, one by one

EPILOG = """exit codes:
  0  done
  1  refused: one sentence on stderr naming the file and what to do next; nothing was changed
  2  usage error (unknown command or option)
  3  valid, but not checked against a trusted key (verify and audit without --key)
"""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs: plain paragraphs are wrapped to the terminal; indented lines (examples,
    tables) are kept exactly as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out: list[str] = []
        paragraph: list[str] = []

        def flush() -> None:
            if paragraph:
                out.extend(textwrap.wrap(" ".join(paragraph), width, initial_indent=indent,
                                         subsequent_indent=indent))
                paragraph.clear()

        for line in text.splitlines():
            if line.strip() and not line[0].isspace():
                paragraph.append(line.strip())
            else:
                flush()
                out.append(indent + line if line.strip() else "")
        flush()
        return "\n".join(out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opensel",
        description="OpenSel Desktop: count, declare, sign and audit party selection ballots, offline.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"opensel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        p = module.add_parser(sub)
        p.set_defaults(handler=module.run)
        # a command's own epilog (its examples) comes first, then the exit codes every command shares
        p.epilog = f"{p.epilog.rstrip()}\n\n{EPILOG}" if p.epilog else EPILOG
        p.formatter_class = HelpFormatter
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("opensel: interrupted; nothing was changed by the unfinished step.", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:  # every refusal becomes one sentence, never a traceback
        where = getattr(args, "file", None)
        print(f"opensel: {refusal_message(exc, str(where) if where else None)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
