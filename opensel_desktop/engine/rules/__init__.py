"""The explicit registry of counting rules (listed here, never discovered, so every rule is visible).

A rule's module is imported when the rule is first asked for, not when the engine is: a count reads one rule,
and a command's start-up is part of every count's time. `_module` names each import explicitly, so readers and
packagers (PyInstaller) still see every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import ModuleType

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Result
from opensel_desktop.engine.rule_facts import FACTS, XVOTE, RuleFacts
from opensel_desktop.engine.ties import TieSource, tie_line_option


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule as the engine runs it: its module's name, version, title and count, with its facts."""

    name: str
    version: str
    title: str
    facts: RuleFacts
    run: Callable[[Election, TieSource | None], Result]

    @property
    def places(self) -> int:
        return self.facts.places

    @property
    def family(self) -> str:
        return self.facts.family


def _module(name: str) -> ModuleType:  # noqa: C901 - one explicit import per rule, on purpose
    if name == "scottish":
        from opensel_desktop.engine.rules import scottish

        return scottish
    if name == "wigm":
        from opensel_desktop.engine.rules import wigm

        return wigm
    if name == "meek":
        from opensel_desktop.engine.rules import meek

        return meek
    if name == "ers97":
        from opensel_desktop.engine.rules import ers97

        return ers97
    if name == "exhaustive":
        from opensel_desktop.engine.rules import exhaustive

        return exhaustive
    if name == "motion":
        from opensel_desktop.engine.rules import motion

        return motion
    if name == "trigger":
        from opensel_desktop.engine.rules import trigger

        return trigger
    if name == "av":
        from opensel_desktop.engine.rules import av

        return av
    if name == "fptp":
        from opensel_desktop.engine.rules import fptp

        return fptp
    if name == "block":
        from opensel_desktop.engine.rules import block

        return block
    raise KeyError(name)


class _Registry(Mapping[str, RuleInfo]):
    """RULES: name -> RuleInfo; asking for a rule imports its module once."""

    def __init__(self) -> None:
        self._loaded: dict[str, RuleInfo] = {}

    def __getitem__(self, name: str) -> RuleInfo:
        if name not in self._loaded:
            facts = FACTS[name]
            m = _module(name)
            if m.RULE != name:
                raise AssertionError(f"rule module {name} calls itself {m.RULE}")
            self._loaded[name] = RuleInfo(m.RULE, m.VERSION, m.TITLE, facts, m.count)
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in FACTS

    def __iter__(self) -> Iterator[str]:
        return iter(FACTS)

    def __len__(self) -> int:
        return len(FACTS)


RULES: Mapping[str, RuleInfo] = _Registry()


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
    if info.facts.ballot == XVOTE:
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
