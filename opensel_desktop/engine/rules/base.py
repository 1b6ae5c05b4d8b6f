"""Shared bookkeeping for the transfer-based counts: candidate states, stage snapshots, ties."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from opensel_desktop.engine.arithmetic import fmt
from opensel_desktop.engine.errors import CountError, LotRequest
from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Lot, Result, Stage
from opensel_desktop.engine.tiebreak import look_back
from opensel_desktop.engine.ties import TieSource, resolve

if TYPE_CHECKING:
    from opensel_desktop.engine.constraints import Constraints

HOPEFUL, ELECTED, EXCLUDED, WITHDRAWN = "hopeful", "elected", "excluded", "withdrawn"


def check_seats(election: Election) -> None:
    standing = len(election.standing)
    if election.seats < 1:
        raise CountError(f"The number of places must be at least 1 (got {election.seats}).")
    if election.seats >= standing:
        raise CountError(
            f"{standing} candidates for {election.seats} places: all are elected unopposed; no count is needed."
        )


def guard_doom(election: Election) -> Constraints | None:
    """The constraints a count applies itself (guard/doom), or None; engine/constraints.py is imported only then."""
    if not election.constraints:
        return None
    from opensel_desktop.engine.constraints import Constraints, constraint_method

    return Constraints(election) if constraint_method(election) == "guard_doom" else None


class Count:
    """State of one count in progress. Rules subclass it and call `snapshot` once per stage."""

    rule = ""
    version = ""
    places = 0

    def __init__(self, election: Election, ties: TieSource | None):
        check_seats(election)
        self.e = election
        self.ties = ties
        self.names = election.names
        self.state = [WITHDRAWN if c in election.withdrawn else HOPEFUL for c in range(election.ncand)]
        self.votes = [0] * election.ncand
        self.history: list[list[int]] = []  # votes at the end of each stage
        self.stages: list[Stage] = []
        self.order: list[int] = []  # elected, in order of election
        self.lots: list[Lot] = []
        self.exhausted = 0
        self.rounding_loss = 0
        self.quota = 0
        self.first_quota = 0
        self.valid = 0
        # category constraints handled inside the count (guard/doom); None when there are none or another
        # method (libdem_committee) applies them around the count. See engine/constraints.py.
        self.constraints = guard_doom(election)
        self.constraint_notes: list[str] = []  # attached to the next stage snapshot

    # ---- candidate sets -------------------------------------------------------------
    def hopefuls(self) -> list[int]:
        return [c for c, s in enumerate(self.state) if s == HOPEFUL]

    def elected(self) -> list[int]:
        return list(self.order)

    @property
    def seats_left(self) -> int:
        return self.e.seats - len(self.order)

    def name_list(self, cands: Sequence[int]) -> str:
        names = [self.names[c] for c in cands]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def v(self, value: int) -> str:
        return fmt(value, self.places)

    # ---- stages --------------------------------------------------------------------
    def snapshot(self, action: str, subjects: Sequence[int], elected: Sequence[int], excluded: Sequence[int],
                 reason: str, transfer_value: int | None = None, constraints: Sequence[str] = ()) -> Stage:
        votes = {self.names[c]: self.votes[c] for c in range(len(self.names)) if self.state[c] != WITHDRAWN}
        stage = Stage(
            number=len(self.stages) + 1, action=action, subjects=tuple(self.names[c] for c in subjects),
            votes=votes, exhausted=self.exhausted, rounding_loss=self.rounding_loss, quota=self.quota,
            elected=tuple(self.names[c] for c in elected), excluded=tuple(self.names[c] for c in excluded),
            reason=reason, transfer_value=transfer_value,
            # a note repeated while a stage is worked out (a doomed candidate passed over again) is said once
            constraints_applied=tuple(dict.fromkeys((*constraints, *self.constraint_notes))),
        )
        self.constraint_notes.clear()
        self.stages.append(stage)
        self.history.append(list(self.votes))
        return stage

    @property
    def stage_no(self) -> int:
        """The number the stage being worked out now will get."""
        return len(self.stages) + 1

    # ---- constraints: guard/doom hooks (engine/constraints.py) ----------------
    def doomed(self) -> list[int]:
        """Hopefuls whose election would make a minimum impossible or exceed a maximum."""
        if not self.constraints:
            return []
        return self.constraints.doomed(self.order, self.hopefuls(), self.seats_left)

    def guarded(self) -> set[int]:
        """Hopefuls needed to meet a minimum: never excluded."""
        if not self.constraints:
            return set()
        return self.constraints.guarded(self.order, self.hopefuls(), self.seats_left)

    def excludable(self, cands: Sequence[int]) -> list[int]:
        """`cands` less the guarded; notes on the stage when a guard kept someone in."""
        guarded = self.guarded() & set(cands)
        if not guarded:
            return list(cands)
        rest = [c for c in cands if c not in guarded]
        if not rest:  # cannot happen while the constraints are feasible; never leave a count stuck
            return list(cands)
        low = min(self.votes[c] for c in rest)
        kept = sorted(c for c in guarded if self.votes[c] <= low)
        if kept:  # the guard changed who goes out: say so on the stage
            self.constraint_notes.append(f"guarded (needed to meet {self.constraint_words()}): "
                                         f"{self.name_list(kept)} not excluded")
        return rest

    def unguarded_group(self, group: Sequence[int]) -> list[int]:
        """A group exclusion (sure losers) only goes ahead when the constraints can still be met without the
        whole group (so none of it is guarded, and no two members are needed between them); noted if not."""
        if not self.constraints or not group:
            return list(group)
        rest = [h for h in self.hopefuls() if h not in group]
        if self.constraints.feasible(self.order, rest, self.seats_left):
            return list(group)
        together = " together" if len(group) > 1 else ""
        self.constraint_notes.append(f"guarded (needed to meet {self.constraint_words()}): {self.name_list(group)}"
                                     f" not excluded{together}")
        return []

    def electable(self, ordered: Sequence[int]) -> list[int]:
        """Of `ordered` (best first), those who can be elected one after another within the constraints;
        a doomed candidate is passed over and noted."""
        if not self.constraints:
            return list(ordered)
        chosen: list[int] = []
        hopefuls = self.hopefuls()
        for c in ordered:
            if len(chosen) >= self.seats_left:  # the places are full: the rest are not elected, not doomed
                break
            elected = [*self.order, *chosen, c]
            rest = [h for h in hopefuls if h not in elected]
            if self.constraints.feasible(elected, rest, self.seats_left - len(chosen) - 1):
                chosen.append(c)
            else:
                self.constraint_notes.append(f"doomed (electing them would break {self.constraint_words()}): "
                                             f"{self.names[c]} is not elected")
        return chosen

    def exclude_doomed(self) -> bool:
        """Exclude every doomed hopeful in one stage of its own (action "constraint"), through the rule's
        own `exclude_stage` so their papers move as in any exclusion. Returns False if none is doomed."""
        doomed = self.doomed()
        if not doomed:
            return False
        at = len(self.stages)
        self.exclude_stage(doomed)  # type: ignore[attr-defined]
        stage = self.stages[at]
        who = self.name_list(doomed)
        tail = stage.reason[stage.reason.find("; their papers"):] if "; their papers" in stage.reason else ""
        note = f"doomed (electing them would break {self.constraint_words()}): {who}"
        self.stages[at] = replace(
            stage, action="constraint",
            reason=f"{who} cannot be elected without breaking {self.constraint_words()}, so "
                   f"{'is' if len(doomed) == 1 else 'are'} excluded{tail or '.'}",
            constraints_applied=(*stage.constraints_applied, note),
        )
        return True

    def constraint_words(self) -> str:
        from opensel_desktop.engine.constraints import words

        return "; ".join(words(g.constraint) for g in self.constraints.groups) if self.constraints else ""

    # ---- ties ----------------------------------------------------------------------
    def lot(self, tied: Sequence[int], purpose: str, reason: str) -> int:
        request = LotRequest(self.stage_no, tuple(self.names[c] for c in tied), purpose, reason)
        lot = resolve(self.ties, request)
        self.lots.append(lot)
        return self.names.index(lot.chosen)

    def break_tie(self, tied: Sequence[int], want_lowest: bool, purpose: str, backwards: bool | None) -> int:
        """The rule's look-back (backwards / forwards / none), then a lot among those still tied."""
        group = sorted(tied)
        if len(group) > 1 and backwards is not None:
            group = look_back(group, self.history, want_lowest, backwards)
        if len(group) == 1:
            return group[0]
        how = {True: "equal at every earlier stage", False: "equal at every earlier stage", None: "equal"}
        return self.lot(group, purpose, f"their votes were {how[backwards]}")

    def elect(self, c: int) -> None:
        self.state[c] = ELECTED
        self.order.append(c)

    def exclude(self, c: int) -> None:
        self.state[c] = EXCLUDED

    def result(self, parameters: dict[str, object]) -> Result:
        return Result(
            rule=self.rule, rule_version=self.version, seats=self.e.seats, places=self.places,
            quota=self.first_quota, valid_poll=self.valid,
            names=tuple(self.names[c] for c in range(len(self.names)) if self.state[c] != WITHDRAWN),
            withdrawn=tuple(self.names[c] for c in sorted(self.e.withdrawn)),
            elected=tuple(self.names[c] for c in self.order), stages=tuple(self.stages), lots=tuple(self.lots),
            parameters=parameters, title=self.e.title,
        )

    def check_conservation(self) -> None:
        total = sum(self.votes[c] for c in range(len(self.names)) if self.state[c] != WITHDRAWN)
        if total + self.exhausted + self.rounding_loss != self.valid:
            raise AssertionError(
                f"votes not conserved at stage {self.stage_no}: {total}+{self.exhausted}+{self.rounding_loss}"
                f" != {self.valid}"
            )
