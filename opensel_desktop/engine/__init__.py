"""Pure counting: no Qt, no files, no clock, no randomness except a tie source passed in.

Public surface: `Election` (what to count), `count(rule, election, ties)` -> `Result`.

The names are loaded on first use (module __getattr__), so a command that only needs the rules' facts
(engine/rule_facts.py) does not pay for numpy at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "CountError": "errors", "NeedsLot": "errors", "Ballots": "model", "Election": "model", "Lot": "result",
    "Result": "result", "Stage": "result", "RULES": "rules", "count": "rules", "rule_info": "rules",
    "TieSource": "ties", "chain_ties": "ties",
}
__all__ = [
    "Ballots", "CountError", "Election", "Lot", "NeedsLot", "Result", "RULES", "Stage", "TieSource",
    "chain_ties", "count", "rule_info",
]

if TYPE_CHECKING:
    from opensel_desktop.engine.errors import CountError, NeedsLot
    from opensel_desktop.engine.model import Ballots, Election
    from opensel_desktop.engine.result import Lot, Result, Stage
    from opensel_desktop.engine.rules import RULES, count, rule_info
    from opensel_desktop.engine.ties import TieSource, chain_ties


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value  # once: later lookups are plain attribute reads
    return value
