"""Names the command line offers before anything heavy is imported (argparse choices and --help).

`opensel --version` and every command's parser must start fast, so the parsers do not import the
engine or the report module just to list rule or sheet names; tests/cli/test_cli_startup.py checks
these lists against the engine's rule registry and the report's documents.
"""

from __future__ import annotations

RULE_NAMES = ("av", "block", "ers97", "exhaustive", "fptp", "meek", "motion", "scottish", "trigger", "wigm")
DOCUMENT_NAMES = ("account", "charts", "decision", "declaration", "lots", "plurality", "rejected", "stages")
