"""Pure counting: no Qt, no files, no clock, no randomness except a tie source passed in.

Public surface: `Election` (what to count), `count(rule, election, ties)` -> `Result`.
"""

from opensel_desktop.engine.errors import CountError, NeedsLot
from opensel_desktop.engine.model import Ballots, Election
from opensel_desktop.engine.result import Lot, Result, Stage
from opensel_desktop.engine.rules import RULES, count, rule_info
from opensel_desktop.engine.ties import TieSource, chain_ties

__all__ = [
    "Ballots", "CountError", "Election", "Lot", "NeedsLot", "Result", "RULES", "Stage", "TieSource",
    "chain_ties", "count", "rule_info",
]
