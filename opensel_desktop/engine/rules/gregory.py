"""Inclusive Gregory STV with fixed-point truncation: the machinery Scottish STV and PRF WIGM share.

Each rule module supplies its quota, how a transfer value is worked out and how ties are settled
(a look-back then a lot, or a pre-drawn order); the order of operations is common:

1. first count, and everyone at or above the quota is elected (their surplus is pending);
2. while places are unfilled and more candidates continue than places remain:
   - optionally (PRF B.2) defeat the largest group of sure losers together;
   - else transfer the largest pending surplus (every paper the candidate holds, at a reduced value);
   - else exclude the lowest continuing candidate; their papers move at their current value;
   after each transfer, everyone now at or above the quota is elected;
3. the continuing candidates are elected when no more of them remain than places (Scottish r.52, PRF C).

A stage is one column of a stage report. Candidates elected because the continuing candidates fill the
remaining places are recorded on the stage that made it so (no extra column with unchanged figures).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from opensel_desktop.engine.model import Election
from opensel_desktop.engine.papers import Papers
from opensel_desktop.engine.result import Lot, Result
from opensel_desktop.engine.rules.base import ELECTED, HOPEFUL, Count
from opensel_desktop.engine.tiebreak import look_back
from opensel_desktop.engine.ties import TieSource, order_choice, tie_line_option


class GregoryCount(Count):
    backwards: bool | None = True  # tie look-back direction (None: no look-back)
    batch_defeat = False
    zero_surplus_is_transferred = False  # PRF B.3 "the largest surplus (possibly zero)"; Scottish r.48: excess only
    preset_order: tuple[int, ...] | None = None  # a pre-drawn tie order (PRF D.1); None: look-back, then a lot
    # the rule's paragraph for each step, quoted in the stage reasons so they can be checked against the text
    paragraphs: dict[str, str] = {}

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

    def quota_explained(self) -> str:
        """How the quota was worked out, for the first stage's reason."""
        return self.quota_words()

    def para(self, step: str) -> str:
        ref = self.paragraphs.get(step)
        return f" [{ref}]" if ref else ""

    # the count ------------------------------------------------------------------------
    def hopeful_mask(self) -> np.ndarray:
        return np.array([s == HOPEFUL for s in self.state], dtype=bool)

    def complete(self) -> bool:
        return self.seats_left <= 0 or len(self.hopefuls()) <= self.seats_left

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
        while not self.complete():
            if self.exclude_doomed():  # category constraints (base.py hooks, engine/constraints.py)
                continue
            surplus_of = {c: self.votes[c] - self.quota for c in self.pending}
            if not self.zero_surplus_is_transferred:
                surplus_of = {c: s for c, s in surplus_of.items() if s > 0}
            losers = self.unguarded_group(self.sure_losers(surplus_of)) if self.batch_defeat else []
            if losers:
                self.exclude_stage(losers, sure_losers=True)
            elif surplus_of:
                self.surplus_stage(surplus_of)
            else:
                low, tie_words = self.lowest()
                self.exclude_stage([low], tie_words=tie_words)
            self.check_conservation()
        self.elect_remaining(self.hopefuls())
        return self.result(self.parameters())

    def parameters(self) -> dict[str, object]:
        return {"places": self.places, "quota": self.v(self.first_quota), "batch_defeat": self.batch_defeat}

    def first_reason(self, newly: list[int]) -> str:
        base = f"First preferences counted: {self.v(self.valid)} valid votes; {self.quota_explained()}."
        if newly:
            base += (f" {self.name_list(newly)} reached the quota and {'is' if len(newly) == 1 else 'are'} elected"
                     f"{self.para('elect')}.")
        return base

    def elect_reaching_quota(self) -> list[int]:
        reached = [c for c in self.hopefuls() if self.votes[c] >= self.quota]
        reached.sort(key=lambda c: (-self.votes[c], c))
        reached = self.electable(reached)[: self.seats_left]  # constraints: a doomed candidate is passed over
        for c in reached:
            self.elect(c)
            self.pending.add(c)
        return reached

    def elect_remaining(self, hopefuls: list[int]) -> None:
        """Scottish r.52 / PRF C: when the continuing candidates are no more than the places left they are
        elected; added to the stage that brought the count to this point."""
        if not hopefuls or self.seats_left <= 0:
            return
        hopefuls = sorted(hopefuls, key=lambda c: (-self.votes[c], c))
        for c in hopefuls:
            self.elect(c)
        last = self.stages[-1]
        sentence = (
            f" {self.name_list(hopefuls)} {'is' if len(hopefuls) == 1 else 'are'} elected without reaching the quota:"
            f" the continuing candidates are no more than the {len(hopefuls)} place"
            f"{'s' if len(hopefuls) != 1 else ''} left{self.para('remaining')}."
        )
        self.stages[-1] = replace(last, elected=last.elected + tuple(self.names[c] for c in hopefuls),
                                  reason=last.reason + sentence)

    # ---- ties ------------------------------------------------------------------------
    def choose(self, tied: list[int], want_lowest: bool, purpose: str) -> tuple[int, str]:
        """Settle a tie by the rule's own procedure; returns the candidate and a phrase for the reason."""
        if self.preset_order is not None:
            # PRF D.1: the tied candidate earliest in the pre-drawn order, whatever the purpose (option
            # tie_line: first_kept reads the order the other way round for an exclusion; engine/ties.py)
            rank = {c: i for i, c in enumerate(self.preset_order)}
            chosen = order_choice(tied, rank, purpose, tie_line_option(self.e.options))
            self.lots.append(Lot(self.stage_no, tuple(self.names[c] for c in sorted(tied)), self.names[chosen],
                                 purpose, "tie-order"))
            return chosen, (f" (tied with {self.name_list([c for c in sorted(tied) if c != chosen])}; "
                            f"chosen as {order_words(chosen, tied, rank)} in the pre-drawn tie order, "
                            f"{tie_order_words(self.e)})")
        group = sorted(tied)
        if self.backwards is not None:
            # r.49(2) / r.51(2): the most recent stage at which they differed; with three or more tied, those
            # fewest (or most) there stay tied and earlier stages separate them (engine-differences.md)
            group = look_back(group, self.history, want_lowest, self.backwards)
        if len(group) == 1:
            others = self.name_list([c for c in sorted(tied) if c != group[0]])
            return group[0], f" (tied with {others}; separated by the most recent stage at which their votes differed)"
        if len(group) == len(tied):
            how = "equal" if self.backwards is None else "equal at every earlier stage"
        else:
            how = "the fewest" if want_lowest else "the most"
        chosen = self.lot(group, purpose, f"their votes were {how}" if len(group) == len(tied) else
                          f"they had {how} votes at the most recent stage at which the tied differed, and were equal "
                          "at every stage before it")
        others = self.name_list([c for c in sorted(tied) if c != chosen])
        if len(group) == len(tied):
            return chosen, f" (tied with {others} at every stage; chosen by lot)"
        return chosen, (f" (tied with {others}; at the most recent stage at which their votes differed "
                        f"{self.name_list(group)} had {how} votes, and they were equal at every stage before it, "
                        f"so the lot was between them)")

    def surplus_stage(self, surplus_of: dict[int, int]) -> None:
        top = max(surplus_of.values())
        tied = sorted(c for c, s in surplus_of.items() if s == top)
        c, tie_words = (tied[0], "") if len(tied) == 1 else self.choose(tied, False, "surplus")
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
            f"{self.names[c]} had {self.v(total)} votes, a surplus of {self.v(surplus)} over {self.quota_words()}"
            f"{tie_words}; all of their papers were transferred to the next continuing preference at a reduced value"
            + (f" ({self.v(tv)} per paper)" if tv is not None else "")
            + f"; {self.v(exhausted)} had no further preference and {self.v(surplus - moved)} was lost to rounding"
            + f"{self.para('surplus')}."
        )
        if newly:
            reason += (f" {self.name_list(newly)} reached the quota and {'is' if len(newly) == 1 else 'are'} elected"
                       f"{self.para('elect')}.")
        self.snapshot("surplus", [c], newly, [], reason, transfer_value=tv)

    def lowest(self) -> tuple[int, str]:
        """The continuing candidate to exclude, and a phrase saying how a tie for lowest was settled."""
        hopefuls = self.excludable(self.hopefuls())  # constraints: guarded candidates are never excluded
        low = min(self.votes[c] for c in hopefuls)
        tied = [c for c in hopefuls if self.votes[c] == low]
        if len(tied) == 1:
            return tied[0], ""
        if (low == 0 and self.preset_order is None and not self.constraints
                and len(hopefuls) - len(tied) >= self.seats_left):
            # Candidates with no votes hold no papers, and every one of them will be excluded in the next
            # stages whatever the order, so no figure can depend on it: no lot is drawn (engine-differences.md).
            # Not with category constraints: a guard may then keep whichever of them is left last.
            first = min(tied)
            return first, (f" (tied at no votes with {self.name_list([c for c in tied if c != first])}, all of whom"
                           f" must also be excluded; the order cannot change any figure, so no lot is drawn and they"
                           f" go in ballot-paper order)")
        return self.choose(tied, True, "exclude")

    def sure_losers(self, surplus_of: dict[int, int]) -> list[int]:
        """PRF B.2: the largest group of lowest hopefuls whose votes plus all pending surpluses are below the
        lowest vote outside it, leaving enough hopefuls to fill the places; tied candidates are never split."""
        hopefuls = sorted(self.hopefuls(), key=lambda c: (self.votes[c], c))
        surpluses = sum(s for s in surplus_of.values() if s > 0)
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

    def exclude_stage(self, losers: list[int], sure_losers: bool = False, tie_words: str = "") -> None:
        losers = sorted(losers, key=lambda c: (self.votes[c], c))
        for c in losers:
            self.exclude(c)
        before = sum(self.votes[c] for c in losers)
        who = self.name_list(losers)
        action = "exclusion" if len(losers) == 1 else "bulk_exclusion"
        if sure_losers:
            one = len(losers) == 1
            reason = (f"{who} {'has' if one else 'together have'} {self.v(before)} votes, fewer than the lowest "
                      f"other continuing candidate even with every pending surplus added, so "
                      f"{'this candidate cannot' if one else 'none of them can'} be elected and "
                      f"{'is' if one else 'all are'} excluded as {'a sure loser' if one else 'sure losers'}"
                      f"{self.para('sure_losers')}")
            if self.complete():
                # PRF B.2: the count is complete once they are defeated; their papers are not transferred
                reason += "; the continuing candidates now fill the places left, so no papers are transferred."
                self.snapshot(action, losers, [], losers, reason)
                return
        else:
            reason = (f"No surplus remained to transfer, so {who}, lowest with {self.v(before)} votes{tie_words}, "
                      f"is excluded{self.para('exclusion')}")
        rows = (np.flatnonzero(self.papers.holder == losers[0]) if len(losers) == 1
                else np.flatnonzero(np.isin(self.papers.holder, losers)))
        received, exhausted = self.papers.move(rows, self.hopeful_mask(), self.papers.value[rows], self.stage_no)
        for c in losers:
            self.votes[c] = 0
        for h in self.hopefuls():
            self.votes[h] += int(received[h])
        self.exhausted += exhausted
        newly = self.elect_reaching_quota()
        reason += f"; their papers move at their current value; {self.v(exhausted)} had no further preference."
        if newly:
            reason += (f" {self.name_list(newly)} reached the quota and {'is' if len(newly) == 1 else 'are'} elected"
                       f"{self.para('elect')}.")
        self.snapshot(action, losers, newly, losers, reason)

    def state_of(self, c: int) -> str:
        return self.state[c]


def order_words(chosen: int, tied: list[int], rank: dict[int, int]) -> str:
    """'earliest' or 'latest': where the chosen candidate stands among the tied in the pre-drawn order."""
    return "earliest" if rank.get(chosen, len(rank)) == min(rank.get(c, len(rank)) for c in tied) else "latest"


def tie_order_words(election: Election) -> str:
    return "the [tie] line of the ballot file" if election.tie_order else "taken as the order on the ballot paper"


def preset_tie_order(election: Election) -> tuple[int, ...]:
    """The pre-drawn tie order for `tie_order: ballot`: the BLT's [tie] line, else the ballot-paper order."""
    if election.tie_order:
        listed = [c for c in election.tie_order if 0 <= c < election.ncand]
        return tuple(listed + [c for c in range(election.ncand) if c not in listed])
    return tuple(range(election.ncand))


__all__ = ["GregoryCount", "ELECTED", "order_words", "preset_tie_order", "tie_order_words"]
