"""The explicit registry of counting rules (STYLE.md habit 12: listed here, never discovered)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Result
from opensel_desktop.engine.rules import scottish
from opensel_desktop.engine.ties import TieSource


@dataclass(frozen=True, slots=True)
class RuleInfo:
    name: str
    version: str
    title: str
    places: int
    family: str  # "stv" | "fptp"
    run: Callable[[Election, TieSource | None], Result]


RULES: dict[str, RuleInfo] = {}


def register(module, places: int, family: str) -> None:
    RULES[module.RULE] = RuleInfo(module.RULE, module.VERSION, module.TITLE, places, family, module.count)


register(scottish, 5, "stv")


def rule_info(name: str) -> RuleInfo:
    try:
        return RULES[name]
    except KeyError:
        raise CountError(f"Unknown rule {name!r}; choose one of: {', '.join(sorted(RULES))}.") from None


def count(rule: str, election: Election, ties: TieSource | None = None) -> Result:
    return rule_info(rule).run(election, ties)
