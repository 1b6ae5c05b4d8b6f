"""The `opensel` command line: the headless face of every use-case.

Each subcommand lives in its own module with `add_parser(subparsers)` and `run(args) -> int`,
listed in COMMANDS below. Exit codes: 0 done; 1 refused (one sentence on stderr naming the file and
what to do next); 2 usage error. Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from opensel_desktop import __version__
from opensel_desktop.cli import count as count_cmd
from opensel_desktop.cli.common import refusal_message

COMMANDS = [count_cmd]

EPILOG = """exit codes:
  0  done
  1  refused: one sentence on stderr naming the file and what to do next; nothing was changed
  2  usage error (unknown command or option)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opensel",
        description="OpenSel Desktop: count, declare, sign and audit party selection ballots, offline.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"opensel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        p = module.add_parser(sub)
        p.set_defaults(handler=module.run)
        if p.epilog is None:
            p.epilog = EPILOG
            p.formatter_class = argparse.RawDescriptionHelpFormatter
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
        print(f"opensel: {refusal_message(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
