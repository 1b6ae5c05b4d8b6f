"""The explicit registry of counting rules (listed here, never discovered, so every rule is visible)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Result
from opensel_desktop.engine.rules import (
    av,
    block,
    ers97,
    exhaustive,
    fptp,
    meek,
    motion,
    scottish,
    trigger,
    wigm,
)
from opensel_desktop.engine.ties import TieSource, tie_line_option


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
register(wigm, 4, "stv")
register(meek, 9, "stv")
register(ers97, 2, "stv")
register(exhaustive, 0, "fptp")
register(motion, 0, "meeting")
register(trigger, 0, "meeting")
register(av, 0, "stv")
register(fptp, 0, "fptp")
register(block, 0, "fptp")


def rule_info(name: str) -> RuleInfo:
    try:
        return RULES[name]
    except KeyError:
        raise CountError(f"Unknown rule {name!r}; choose one of: {', '.join(sorted(RULES))}.") from None


def count(rule: str, election: Election, ties: TieSource | None = None) -> Result:
    info = rule_info(rule)
    tie_line = tie_line_option(election.options)  # how a [tie] line is read, the same for every rule
    if election.constraints and info.family != "meeting":
        result = count_constrained(info, election, ties)
    else:
        result = info.run(election, ties)
    if election.options.get("ordered_list") and info.family == "stv":
        # Lib Dem / Green ordered lists: repeated counts for n, n-1, ... places
        from opensel_desktop.engine import constraints

        positions = constraints.ordered_positions(lambda e: count(rule, replace(
            e, options={k: v for k, v in e.options.items() if k != "ordered_list"}), ties), election)
        result = replace(result, parameters={**result.parameters, "ordered_list": positions})
    if (election.tie_order or "tie_line" in election.options) and info.family != "meeting":
        result = replace(result, parameters={**result.parameters, "tie_line": tie_line})
    return result


# rules that do not call the guard/doom hooks of rules/base.py (av, ers97 and meek call them too; constraints.single_place remains for any rule added without them)
WITHOUT_GUARD_DOOM: tuple[str, ...] = ()


def count_constrained(info: RuleInfo, election: Election, ties: TieSource | None) -> Result:
    """Category constraints (engine/constraints.py): refused up front when the candidates cannot meet them;
    X-vote counts allocate reserved-then-open places; STV applies guard/doom inside the count (base.py
    hooks) or the Lib Dem larger/smaller committee method around it."""
    from opensel_desktop.engine import allocation, constraints  # here: allocation imports rules.block

    constraints.check(election)
    if info.name in ("fptp", "block"):
        return allocation.count(election, ties, info.name, info.version)
    if constraints.constraint_method(election) == "libdem_committee":
        return constraints.libdem_committee(lambda e: info.run(e, ties), election)
    if election.seats == 1 and info.name in WITHOUT_GUARD_DOOM:
        return constraints.single_place(lambda e: info.run(e, ties), election)
    result = info.run(election, ties)
    index = {n: i for i, n in enumerate(election.names)}
    complete = len(result.elected) == election.seats  # an exhaustive ballot may still need another round
    if complete and not constraints.Constraints(election).satisfied([index[n] for n in result.elected]):
        # a rule without the guard/doom hooks of rules/base.py: never declare a non-compliant result
        if info.name in WITHOUT_GUARD_DOOM:
            raise CountError(f"The {info.title} count does not apply category constraints inside the count; use "
                             "constraint_method: libdem_committee, or a rule that does (scottish, wigm).")
        # a safety net only: the guard/doom hooks keep every count within the constraints when they can be met
        raise CountError(f"The {info.title} count did not meet the category constraints, so no result is declared; "
                         "count with constraint_method: libdem_committee, and report this with the contest file.")
    return result
