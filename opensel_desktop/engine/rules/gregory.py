"""Inclusive Gregory STV with fixed-point truncation: the machinery Scottish STV and PRF WIGM share.

Each rule module supplies its quota, how a transfer value is worked out, its tie look-back and
whether sure losers may be defeated together; the order of operations is common:
first count and elections; then, until the places are filled, either every remaining continuing
candidate is elected (as many as places left), or the largest surplus is transferred, or the
lowest candidate (or a safe group) is excluded and their papers move at their current value.
"""

from __future__ import annotations

import numpy as np

from opensel_desktop.engine.model import Election
from opensel_desktop.engine.papers import Papers
from opensel_desktop.engine.result import Result
from opensel_desktop.engine.rules.base import ELECTED, HOPEFUL, Count
from opensel_desktop.engine.ties import TieSource


class GregoryCount(Count):
    backwards: bool | None = True  # tie look-back direction (None: straight to the preset order / lot)
    batch_defeat = False

    def __init__(self, election: Election, ties: TieSource | None):
        super().__init__(election, ties)
        self.unit = 10**self.places
        self.papers = Papers(election.ballots, election.ncand, self.unit)
        self.pending: set[int] = set()  # elected with a surplus not yet transferred

    # rule hooks ---------------------------------------------------------------------
    def compute_quota(self) -> int:
        raise NotImplementedError

    def transfer_values(self, values: np.ndarray, surplus: int, total: int) -> np.ndarray:
        raise NotImplementedError

    def quota_words(self) -> str:
        return f"the quota of {self.v(self.quota)}"

    # the count ------------------------------------------------------------------------
    def hopeful_mask(self) -> np.ndarray:
        return np.array([s == HOPEFUL for s in self.state], dtype=bool)

    def run(self) -> Result:
        self.papers.deal_first(self.hopeful_mask())
        self.votes = [int(x) for x in self.papers.totals()]
        self.valid = sum(self.votes)
        unheld = int((self.papers.weights[self.papers.holder < 0]).sum()) * self.unit
        # papers whose every preference is for a withdrawn candidate count in no one's total
        self.exhausted = unheld
        self.valid += unheld
        self.quota = self.first_quota = self.compute_quota()
        newly = self.elect_reaching_quota()
        self.snapshot("first", [], newly, [], self.first_reason(newly))
        while self.seats_left > 0:
            hopefuls = self.hopefuls()
            if len(hopefuls) <= self.seats_left:
                self.elect_remaining(hopefuls)
                break
            surplus_of = {c: self.votes[c] - self.quota for c in self.pending if self.votes[c] > self.quota}
            losers = self.sure_losers(surplus_of) if self.batch_defeat else []
            if len(losers) > 1 or (losers and not surplus_of):
                self.exclude_stage(losers)
            elif surplus_of:
                self.surplus_stage(surplus_of)
            else:
                self.exclude_stage([self.lowest()])
            self.check_conservation()
        return self.result(self.parameters())

    def parameters(self) -> dict[str, object]:
        return {"places": self.places, "quota": self.v(self.first_quota), "batch_defeat": self.batch_defeat}

    def first_reason(self, newly: list[int]) -> str:
        base = f"First preferences counted: {self.v(self.valid)} valid votes; {self.quota_words()}."
        if newly:
            base += f" {self.name_list(newly)} reached the quota and {'is' if len(newly) == 1 else 'are'} elected."
        return base

    def elect_reaching_quota(self) -> list[int]:
        reached = [c for c in self.hopefuls() if self.votes[c] >= self.quota]
        reached.sort(key=lambda c: (-self.votes[c], c))
        reached = reached[: self.seats_left]
        for c in reached:
            self.elect(c)
            self.pending.add(c)
        return reached

    def elect_remaining(self, hopefuls: list[int]) -> None:
        hopefuls = sorted(hopefuls, key=lambda c: (-self.votes[c], c))
        for c in hopefuls:
            self.elect(c)
        self.snapshot(
            "election", [], hopefuls, [],
            f"{self.name_list(hopefuls)} {'is' if len(hopefuls) == 1 else 'are'} elected without reaching the quota: "
            f"the continuing candidates are no more than the {len(hopefuls)} place"
            f"{'s' if len(hopefuls) != 1 else ''} left.",
        )

    def surplus_stage(self, surplus_of: dict[int, int]) -> None:
        top = max(surplus_of.values())
        tied = [c for c, s in surplus_of.items() if s == top]
        c = tied[0] if len(tied) == 1 else self.break_tie(tied, want_lowest=False, purpose="surplus",
                                                          backwards=self.backwards)
        surplus, total = surplus_of[c], self.votes[c]
        rows = self.papers.held_by(c)
        values = self.papers.value[rows]
        new_values = self.transfer_values(values, surplus, total)
        received, exhausted = self.papers.move(rows, self.hopeful_mask(), new_values, self.stage_no)
        moved = int((self.papers.weights[rows] * new_values).sum())
        self.pending.discard(c)
        for h in self.hopefuls():
            self.votes[h] += int(received[h])
        self.votes[c] = self.quota
        self.exhausted += exhausted
        self.rounding_loss += surplus - moved
        tv = int(new_values[0]) if len(set(values.tolist())) == 1 and rows.size else None
        newly = self.elect_reaching_quota()
        reason = (
            f"{self.names[c]} had {self.v(total)} votes, a surplus of {self.v(surplus)} over {self.quota_words()}; "
            f"all of their papers were transferred to the next continuing preference at a reduced value"
            + (f" ({self.v(tv)} per paper)" if tv is not None else "")
            + f"; {self.v(exhausted)} had no further preference and {self.v(surplus - moved)} was lost to rounding."
        )
        if newly:
            reason += f" {self.name_list(newly)} reached the quota and {'is' if len(newly) == 1 else 'are'} elected."
        self.snapshot("surplus", [c], newly, [], reason, transfer_value=tv)

    def lowest(self) -> int:
        hopefuls = self.hopefuls()
        low = min(self.votes[c] for c in hopefuls)
        tied = [c for c in hopefuls if self.votes[c] == low]
        if len(tied) == 1:
            return tied[0]
        return self.break_tie(tied, want_lowest=True, purpose="exclude", backwards=self.backwards)

    def sure_losers(self, surplus_of: dict[int, int]) -> list[int]:
        """Largest group of lowest hopefuls whose votes plus all surpluses are below the next one up,
        leaving enough hopefuls to fill the places; ties are never split."""
        hopefuls = sorted(self.hopefuls(), key=lambda c: self.votes[c])
        surpluses = sum(surplus_of.values())
        best: list[int] = []
        running = 0
        for i in range(len(hopefuls) - 1):
            running += self.votes[hopefuls[i]]
            if len(hopefuls) - (i + 1) < self.seats_left:
                break
            nxt = self.votes[hopefuls[i + 1]]
            if self.votes[hopefuls[i]] != nxt and running + surpluses < nxt:
                best = hopefuls[: i + 1]
        return best

    def exclude_stage(self, losers: list[int]) -> None:
        for c in losers:
            self.exclude(c)
        rows = np.nonzero(np.isin(self.papers.holder, losers))[0]
        before = sum(self.votes[c] for c in losers)
        received, exhausted = self.papers.move(rows, self.hopeful_mask(), self.papers.value[rows], self.stage_no)
        for c in losers:
            self.votes[c] = 0
        for h in self.hopefuls():
            self.votes[h] += int(received[h])
        self.exhausted += exhausted
        newly = self.elect_reaching_quota()
        action = "exclusion" if len(losers) == 1 else "bulk_exclusion"
        who = self.name_list(losers)
        if len(losers) == 1:
            reason = (f"No surplus remained to transfer, so {who}, lowest with {self.v(before)} votes, is excluded; "
                      f"their papers move at their current value; {self.v(exhausted)} had no further preference.")
        else:
            reason = (f"{who} together have {self.v(before)} votes, fewer than the next candidate even with every "
                      f"surplus added, so they are excluded together; {self.v(exhausted)} had no further preference.")
        if newly:
            reason += f" {self.name_list(newly)} reached the quota and {'is' if len(newly) == 1 else 'are'} elected."
        self.snapshot(action, losers, newly, losers, reason)

    def state_of(self, c: int) -> str:
        return self.state[c]


__all__ = ["GregoryCount", "ELECTED"]
