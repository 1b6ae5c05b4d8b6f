"""ERS97 STV: Electoral Reform Society, "How to conduct an election by the Single Transferable Vote",
3rd edition (1997), sections 5 (the count) and 6 (glossary).

Version history: ers97-1997.1 = first implementation of the 1997 rules; ers97-1997.2 = papers naming only
withdrawn candidates are left out of the valid vote as 6.9 says (they were counted as valid and
non-transferable, so the valid poll disagreed with the first stage), and a BLT [tie] line is read as for
every rule (engine/ties.py: the candidate listed first is the one a lot chooses, so it is excluded first).

Values are ints scaled by 100 (two decimal places, 5.1.6 and 5.3.7); nothing is rounded except where
the rules say so.

* 5.1.6 quota: total valid vote / (places + 1) to 2 dp; if not exact, drop the remainder and add 0.01.
* 5.4.8 before anyone is deemed elected, the quota is worked out again after every batch, leaving out
  the non-transferable vote.
* 5.1.7, 5.3.13, 5.4.9 deemed elected, in descending order of votes and up to the places left: a vote
  that equals or exceeds the quota, or the total active vote (6.20: continuing candidates' votes plus
  votes awaiting transfer) / (places not yet filled + 1). Ties for the last places: 5.6.2.
* 5.2.2 surpluses are deferred while their total does not exceed the gap that would let the lowest
  candidate(s) be excluded; 5.2.3 otherwise the largest surplus is transferred.
* 5.3 a surplus arising at the first stage is transferred from all the candidate's papers; a later one
  from the last received batch only. Transfer value = surplus / transferable papers, truncated to
  2 dp, or the present value if the transferable papers are worth no more than the surplus. The
  truncation loss is the "non-transferable difference" (6.11), kept as rounding loss.
* 5.2.5 exclusion of as many of the lowest as possible: enough candidates stay to fill the places and
  their votes plus the deferred surpluses do not exceed the vote of the candidate next above.
* 5.4 an exclusion moves the papers in batches by value, highest first; after each batch candidates
  may be deemed elected and get no more papers (5.4.10). The batches are one stage (6.16).
* 5.5 completion: an exclusion that would leave as many continuing candidates as places elects them;
  once the places are filled no more papers move and the rest are formally excluded.
* 5.2.3, 5.2.5, 5.6.2 ties: the first stage, or the earliest point after a batch where the votes
  differed (batches inside an exclusion count as points); then lot (5.6.2: nobody is elected).

Option (see `OPTIONS`, recorded in the result's parameters): `election_tie` = 5.6.2 as written
("none" is deemed elected at that stage) or OpenSTV 1.7's reading ("lot" at once).
docs/engine-differences.md ("ERS97") lists every difference from OpenSTV and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Election, sum_by
from opensel_desktop.engine.papers import Papers
from opensel_desktop.engine.result import Result, Stage
from opensel_desktop.engine.rules.base import HOPEFUL, Count
from opensel_desktop.engine.tiebreak import look_back
from opensel_desktop.engine.ties import TieSource

RULE = "ers97"
VERSION = "ers97-1997.2"
TITLE = "ERS97 STV (Electoral Reform Society rules, 1997)"

# option -> (allowed values, default). The defaults follow the booklet's words; the others are the
# readings other programs (OpenSTV 1.7) take, so a count can be reproduced either way.
OPTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    # 5.6.2: candidates equal at the threshold for the last place(s) and equal at every earlier point:
    # "none" = none of them is deemed elected at that stage (the text); "lot" = a lot decides at once.
    "election_tie": (("none", "lot"), "none"),
}


def options_of(election: Election) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for key, (allowed, default) in OPTIONS.items():
        value = election.options.get(key, default)
        if value not in allowed:
            raise CountError(f"ERS97 option {key} must be one of {', '.join(allowed)} (got {value!r}).")
        chosen[key] = str(value)
    return chosen


def plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


class Ers97Count(Count):
    rule = RULE
    version = VERSION
    places = 2

    def __init__(self, election: Election, ties: TieSource | None):
        super().__init__(election, ties)
        self.options = options_of(election)
        self.unit = 10**self.places
        self.papers = Papers(election.ballots, election.ncand, self.unit)
        self.pending: set[int] = set()  # deemed elected with a surplus not yet transferred
        self.elected_at: dict[int, int] = {}  # candidate -> stage at which deemed elected
        self.batch = 1  # number of the last transfer of papers (Papers.arrived): "last received batch"
        self.awaiting: dict[int, int] = {}  # excluded candidates' papers not yet moved (votes awaiting transfer)
        self.threshold = 0
        self.reached = 0  # the threshold the stage's first newly elected candidate reached
        self.held_back: list[int] = []  # equal at the threshold for the last place(s): 5.6.2

    # ---- figures ----------------------------------------------------------------------
    def work_out_quota(self) -> int:
        # 5.1.6 / 5.4.8: (valid vote - non-transferable vote) / (places + 1), rounded up at 0.01
        active = self.valid - self.exhausted - self.rounding_loss
        return -((-active) // (self.e.seats + 1))

    def surpluses(self) -> dict[int, int]:
        return {c: self.votes[c] - self.quota for c in self.pending if self.votes[c] > self.quota}

    def active_vote(self) -> int:
        # 6.20: continuing candidates' votes plus votes awaiting transfer (surpluses, excluded papers)
        return (sum(self.votes[c] for c in self.hopefuls()) + sum(self.surpluses().values())
                + sum(self.awaiting.values()))

    def work_out_threshold(self) -> int:
        """The lowest vote that is deemed elected now: the quota, or 5.1.7(b) if that is lower."""
        if self.seats_left <= 0:
            return self.threshold
        active = self.active_vote()
        by_active = -((-active) // (self.seats_left + 1))  # vote >= active/(n+1) exactly
        return max(min(self.quota, by_active), 1)  # a candidate needs some vote to be deemed elected

    def hopeful_mask(self) -> np.ndarray:
        return np.array([s == HOPEFUL for s in self.state], dtype=bool)

    # ---- the count ----------------------------------------------------------------------
    def run(self) -> Result:
        self.papers.deal_first(self.hopeful_mask(), stage=self.batch)
        self.votes = [int(x) for x in self.papers.totals()]
        # 6.9: a paper whose every preference is for a withdrawn candidate is not a valid paper; it is left
        # out of the count altogether (not non-transferable), as OpenSTV 1.7 leaves it out
        invalid = int(self.papers.weights[self.papers.holder < 0].sum())
        self.valid = sum(self.votes)
        self.quota = self.first_quota = self.work_out_quota()
        newly = self.deem_elected()
        reason = f"First preferences counted: {self.v(self.valid)} valid votes; quota {self.v(self.quota)}."
        if invalid:
            reason += (f" {invalid} paper{plural(invalid, '', 's')} naming only withdrawn candidates "
                       f"{plural(invalid, 'is', 'are')} not valid (6.9) and left out of the count.")
        self.finish_stage("first", [], newly, [], reason)
        while self.seats_left > 0:
            hopefuls = self.hopefuls()
            if len(hopefuls) <= self.seats_left:
                self.elect_remaining(hopefuls, [])
                break
            if self.exclude_doomed():  # category constraints (rules/base.py hooks, engine/constraints.py)
                self.check_conservation()
                continue
            surplus_of = self.surpluses()
            # constraints: a group that would leave a minimum unreachable is not excluded together
            losers = self.unguarded_group(self.sure_losers(sum(surplus_of.values())))
            if surplus_of and not losers:
                self.surplus_stage(surplus_of)
            else:
                self.exclusion_stage(losers or [self.lowest()], deferred=surplus_of)
            self.check_conservation()
        return self.result(self.parameters())

    def parameters(self) -> dict[str, object]:
        return {"places": self.places, "quota": self.v(self.first_quota), **self.options}

    def finish_stage(self, action: str, subjects: Sequence[int], elected: Sequence[int], excluded: Sequence[int],
                     reason: str, transfer_value: int | None = None) -> None:
        if elected:
            reason += (f" {self.name_list(elected)} {plural(len(elected), 'has', 'have')} reached the threshold "
                       f"of {self.v(self.reached)} and {plural(len(elected), 'is', 'are')} deemed elected.")
        if self.held_back and self.seats_left > 0:
            reason += (f" {self.name_list(self.held_back)} are equal at the threshold and were equal at every "
                       f"earlier point, so none of them is deemed elected at this stage (5.6.2).")
        self.held_back = []
        if self.seats_left > 0:
            self.threshold = self.work_out_threshold()
        self.snapshot(action, subjects, elected, excluded, reason, transfer_value)
        self.stages[-1] = _with_threshold(self.stages[-1], self.threshold)

    # ---- election (5.1.7, 5.3.13, 5.4.9, 5.6.2) ------------------------------------------
    def deem_elected(self) -> list[int]:
        """Elect everyone at or over the threshold, highest first, until nobody more reaches it.

        Electing someone lowers the threshold (their vote above the quota is all that stays active,
        and one place fewer is left), so the check repeats; taking candidates one at a time in
        descending order gives the same set.
        """
        newly: list[int] = []
        while self.seats_left > 0:
            self.threshold = self.work_out_threshold()
            reached = sorted((c for c in self.hopefuls() if self.votes[c] >= self.threshold),
                             key=lambda c: (-self.votes[c], c))
            reached = self.not_doomed(reached)  # constraints: a doomed candidate is never deemed elected
            if not reached:
                break
            chosen = self.electable(self.within_places(reached))  # electing one may doom another of them
            if not chosen:
                break
            if not newly:
                self.reached = self.threshold
            for c in chosen:
                self.elect(c)
                self.elected_at[c] = self.stage_no
                if self.votes[c] > self.quota:
                    self.pending.add(c)
            newly.extend(chosen)
        return newly

    def within_places(self, reached: list[int]) -> list[int]:
        """5.6.2: more reached the threshold than places left only when some are equal at the boundary."""
        n = self.seats_left
        if len(reached) <= n:
            return reached
        edge = self.votes[reached[n - 1]]
        chosen = [c for c in reached if self.votes[c] > edge]
        tied = [c for c in reached if self.votes[c] == edge]
        while len(chosen) < n:
            best = look_back(tied, self.history, want_lowest=False, backwards=False)
            if len(best) > n - len(chosen):
                if self.options["election_tie"] == "none":
                    self.held_back = sorted(best)
                    break  # equal at every point: none of them is deemed elected at this stage
                best = [self.lot(best, "elect", "their votes were equal at every earlier point")]
            chosen.extend(best)
            tied = [c for c in tied if c not in best]
        return chosen

    def elect_remaining(self, hopefuls: list[int], excluded: list[int], lead: str = "") -> None:
        """5.5.1; `lead` (constraints): the doomed candidates in `excluded` are excluded in this stage."""
        hopefuls = sorted(hopefuls, key=lambda c: (-self.votes[c], c))
        for c in hopefuls:
            self.elect(c)
            self.elected_at[c] = self.stage_no
        for c in excluded:
            self.exclude(c)
        words = (f"{self.name_list(hopefuls)} {plural(len(hopefuls), 'is', 'are')} deemed elected: "
                 f"the continuing candidates are no more than the places left (5.5.1)")
        if lead:
            words = f"{lead}; {words}"
        elif excluded:
            words += f"; {self.name_list(excluded)} {plural(len(excluded), 'is', 'are')} formally excluded"
        self.snapshot("constraint" if lead else "election", excluded if lead else [], hopefuls, excluded,
                      words + ".")
        self.stages[-1] = _with_threshold(self.stages[-1], self.threshold)

    def close_count(self) -> list[int]:
        """5.5.2: the places are filled; the continuing candidates are formally excluded."""
        rest = self.hopefuls()
        for c in rest:
            self.exclude(c)
        return rest

    # ---- surplus (5.2.3, 5.3) ---------------------------------------------------------------
    def surplus_stage(self, surplus_of: dict[int, int]) -> None:
        top = max(surplus_of.values())
        tied = sorted(c for c, s in surplus_of.items() if s == top)
        c = tied[0] if len(tied) == 1 else self.break_tie(tied, want_lowest=False, purpose="surplus",
                                                          backwards=False)
        surplus = surplus_of[c]
        held = self.papers.held_by(c)
        if self.elected_at[c] == 1:
            rows = held  # 5.3.1: a first-stage surplus: all the candidate's papers
        else:
            last = int(self.papers.arrived[held].max())
            rows = held[self.papers.arrived[held] == last]  # 5.3.2: the last received batch only
        hopeful = self.hopeful_mask()
        going, _ = self.papers.advance(rows, hopeful)
        rows = rows[going >= 0]  # 5.3.3: papers with no next preference stay where they are
        count = int(self.papers.weights[rows].sum())
        worth = int((self.papers.weights[rows] * self.papers.value[rows]).sum())
        self.batch += 1
        if worth > surplus:
            tv = surplus // count  # 5.3.7: surplus / transferable papers, remainder ignored
            new_values = np.full(rows.shape[0], tv, dtype=np.int64)
        else:
            tv = None  # 5.3.7: the papers move at their present value
            new_values = self.papers.value[rows]
        received, _ = self.papers.move(rows, hopeful, new_values, self.batch)
        moved = int(received.sum())
        for h in self.hopefuls():
            self.votes[h] += int(received[h])
        self.votes[c] = self.quota
        self.pending.discard(c)
        if tv is not None:
            self.rounding_loss += surplus - moved  # 6.11 the non-transferable difference
            how = f"at a transfer value of {self.v(tv)} ({self.v(surplus)} / {count} transferable papers)"
            tv = tv if rows.size else None
        else:
            self.exhausted += surplus - moved
            how = "at their present value, as they are worth no more than the surplus"
        source = "all their papers" if self.elected_at[c] == 1 else "the last batch of papers they received"
        reason = (f"{self.names[c]} had a surplus of {self.v(surplus)} over the quota of {self.v(self.quota)}; "
                  f"{source} with a next preference moved {how}; {self.v(surplus - moved)} is non-transferable.")
        newly = self.deem_elected()
        excluded = self.close_count() if self.seats_left == 0 else []
        self.finish_stage("surplus", [c], newly, excluded, reason, transfer_value=tv)

    # ---- exclusion (5.2.2, 5.2.5, 5.4, 5.5) ----------------------------------------------------
    def sure_losers(self, deferred: int) -> list[int]:
        """5.2.2 / 5.2.5: the largest group of lowest candidates whose votes plus `deferred` do not exceed
        the vote of the candidate next above, leaving enough to fill the places. Equal candidates are
        never split (the text gives no way to choose among them inside a group)."""
        hopefuls = sorted(self.hopefuls(), key=lambda c: self.votes[c])
        best: list[int] = []
        running = deferred
        for i in range(len(hopefuls) - 1):
            running += self.votes[hopefuls[i]]
            if len(hopefuls) - (i + 1) < self.seats_left:
                break
            nxt = self.votes[hopefuls[i + 1]]
            if self.votes[hopefuls[i]] != nxt and running <= nxt:
                best = hopefuls[: i + 1]
        return best

    def lowest(self) -> int:
        hopefuls = self.excludable(self.hopefuls())  # constraints: guarded candidates are never excluded
        low = min(self.votes[c] for c in hopefuls)
        tied = [c for c in hopefuls if self.votes[c] == low]
        if len(tied) == 1:
            return tied[0]
        return self.break_tie(tied, want_lowest=True, purpose="exclude", backwards=False)

    def exclusion_stage(self, losers: list[int], deferred: dict[int, int], doomed: bool = False) -> None:
        """5.4 (and 5.5.1); `doomed`: the losers are excluded because a constraint dooms them (guard/doom),
        action "constraint"; their papers move exactly as in any exclusion."""
        losers = sorted(losers, key=lambda c: (self.votes[c], c))
        who = self.name_list(losers)
        before = sum(self.votes[c] for c in losers)
        reason = (f"{who} {plural(len(losers), 'has', 'have')} the fewest votes ({self.v(before)}) and "
                  f"{plural(len(losers), 'is', 'are')} excluded")
        if doomed:
            self.constraint_notes.append(f"doomed (electing them would break {self.constraint_words()}): {who}")
            reason = (f"{who} cannot be elected without breaking {self.constraint_words()}, so "
                      f"{plural(len(losers), 'is', 'are')} excluded at once, before any surplus is transferred "
                      f"(with {self.v(before)} votes)")
        if deferred:
            reason += (f"; the surplus{'es' if len(deferred) > 1 else ''} of {self.name_list(sorted(deferred))} "
                       f"({self.v(sum(deferred.values()))}) cannot change who is lowest and "
                       f"{plural(len(deferred), 'is', 'are')} deferred (5.2.2)")
        action = "constraint" if doomed else "exclusion" if len(losers) == 1 else "bulk_exclusion"
        remain = [c for c in self.hopefuls() if c not in losers]
        if len(remain) <= self.seats_left:
            self.elect_remaining(remain, losers, reason if doomed else "")  # 5.5.1: nobody's papers move
            return
        for c in losers:
            self.exclude(c)
            self.awaiting[c] = self.votes[c]
        rows = np.nonzero(np.isin(self.papers.holder, losers))[0]
        values = sorted(set(self.papers.value[rows].tolist()), reverse=True)
        newly: list[int] = []
        moved_batches = 0
        exhausted = 0
        for k, value in enumerate(values):  # 5.4.1, 5.4.11: one batch per value, highest first
            batch = rows[self.papers.value[rows] == value]
            self.batch += 1
            taken = sum_by(self.papers.holder[batch], self.papers.weights[batch] * value, len(self.names))
            received, lost = self.papers.move(batch, self.hopeful_mask(), self.papers.value[batch], self.batch)
            for c in losers:
                self.votes[c] -= int(taken[c])
                self.awaiting[c] -= int(taken[c])
            for h in self.hopefuls():
                self.votes[h] += int(received[h])
            self.exhausted += lost
            exhausted += lost
            moved_batches += 1
            if not self.order:
                self.quota = self.work_out_quota()  # 5.4.8
            newly += self.deem_elected()  # 5.4.9, 5.4.10: the newly elected are no longer continuing
            if self.seats_left == 0:
                break  # 5.5.2: no further transfers
            if k + 1 < len(values):
                self.history.append(list(self.votes))  # a point "after the transfer of a batch" (5.6.2)
        self.awaiting.clear()
        if not values:
            reason += "; there were no papers to transfer."
        else:
            reason += (f"; their papers moved in {moved_batches} of {len(values)} "
                       f"batch{'es' if len(values) != 1 else ''} by value, highest first"
                       f"; {self.v(exhausted)} had no further preference.")
        if values and moved_batches < len(values) and self.seats_left == 0:
            reason += " Once the places were filled no more papers were moved (5.5.2)."
        excluded = losers + (self.close_count() if self.seats_left == 0 else [])
        self.finish_stage(action, losers, newly, excluded, reason)


    # ---- category constraints: guard/doom (rules/base.py hooks, engine/constraints.py) ----------
    def exclude_doomed(self) -> bool:
        """Doomed candidates are excluded at the next opportunity: before any surplus is transferred or any
        other exclusion, in one stage of their own, their papers moving in batches as in 5.4."""
        doomed = self.doomed()
        if not doomed:
            return False
        self.exclusion_stage(doomed, deferred={}, doomed=True)
        return True

    def not_doomed(self, reached: list[int]) -> list[int]:
        """`reached` less any doomed candidate (noted on the stage): they stay continuing until excluded."""
        doomed = set(self.doomed()) & set(reached)
        for c in sorted(doomed, key=reached.index):
            self.constraint_notes.append(f"doomed (electing them would break {self.constraint_words()}): "
                                         f"{self.names[c]} is not elected")
        return [c for c in reached if c not in doomed]


def _with_threshold(stage: Stage, threshold: int) -> Stage:
    return replace(stage, threshold=threshold)


def count(election: Election, ties: TieSource | None) -> Result:
    return Ers97Count(election, ties).run()
