"""What each counting rule is, said once: its ballot, its places, its word for the winning line, its sheets.

Every list of rules elsewhere (the contest reader's checks, the CLI's choices, the sheets that apply) is
derived from FACTS here, so a new rule is described in one row. This module imports nothing of the engine, so
a command's start-up can read it without loading the counting code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

RANKED = "ranked"  # papers carry preferences 1, 2, 3 ...
XVOTE = "xvote"  # papers carry up to one X per place
FOR_AGAINST = "for-against"  # a motion's papers: For / Against (/ Abstain)
SECTIONS = "sections"  # figures come in their own sections of the contest file (rounds, unit returns)


@dataclass(frozen=True, slots=True)
class RuleFacts:
    name: str
    places: int  # decimal places the rule's values are shown with (0: whole votes)
    family: str  # "stv" | "fptp" | "meeting"
    ballot: str  # RANKED | XVOTE | FOR_AGAINST | SECTIONS
    one_seat: bool  # fills exactly one place
    needs_seats: bool  # the contest file must say how many places
    winning_line: str  # what the stage sheet calls the figure to reach ("" when there is none)
    sheet: str  # "stages" (a transfer count), "plurality" (one table of votes) or "decision" (no election)
    totals_suffice: bool  # may be counted from entered totals, without individual papers

    @property
    def ranked(self) -> bool:
        return self.ballot == RANKED


def _stv(name: str, places: int) -> RuleFacts:
    return RuleFacts(name, places, "stv", RANKED, False, True, "quota", "stages", False)


# in the order the rules are listed to users: the simplest first
FACTS: dict[str, RuleFacts] = {f.name: f for f in (
    RuleFacts("fptp", 0, "fptp", XVOTE, True, False, "", "plurality", False),
    RuleFacts("block", 0, "fptp", XVOTE, False, True, "", "plurality", False),
    RuleFacts("av", 0, "stv", RANKED, True, False, "majority needed", "stages", False),
    _stv("scottish", 5), _stv("ers97", 2), _stv("wigm", 4), _stv("meek", 9),
    RuleFacts("exhaustive", 0, "fptp", SECTIONS, False, False, "majority needed", "plurality", True),
    RuleFacts("motion", 0, "meeting", FOR_AGAINST, False, False, "", "decision", True),
    RuleFacts("trigger", 0, "meeting", SECTIONS, False, False, "", "decision", True),
)}


def rules_where(test: Callable[[RuleFacts], bool]) -> tuple[str, ...]:
    return tuple(name for name, f in FACTS.items() if test(f))


RULE_NAMES = tuple(FACTS)
RANKED_RULES = rules_where(lambda f: f.ballot == RANKED)
X_RULES = rules_where(lambda f: f.ballot == XVOTE)
MARK_RULES = rules_where(lambda f: f.ballot in (XVOTE, FOR_AGAINST))  # papers written as `marks:`
NO_BALLOT_RULES = rules_where(lambda f: f.ballot == SECTIONS)
SINGLE_SEAT_RULES = rules_where(lambda f: f.one_seat)
PLURALITY_RULES = rules_where(lambda f: f.sheet == "plurality")
DECISION_RULES = rules_where(lambda f: f.sheet == "decision")
TOTALS_RULES = rules_where(lambda f: f.totals_suffice)
