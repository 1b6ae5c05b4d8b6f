"""Meek STV: the Proportional Representation Foundation's reference rule (PRF Meek), with a New Zealand variant.

Source: PR Foundation, "Reference Meek rule" (prfound.org/resources/reference/reference-meek-rule/), as quoted
in Droop's `meek_prf.py`. Version history: meek-prf.1 = first implementation.

* A. every hopeful candidate's keep factor kf = 1 (withdrawn: 0); omega = 0.000001.
* B.1 a round starts unless the places are filled or elected + hopeful <= places.
* B.2.a each ballot starts at weight w = 1; down its ranking each candidate receives w x kf, rounded UP at
  9 dp, and w falls by that much, until the ballot ends or w is 0 (what is left is excess).
* B.2.b quota = (sum of the candidates' votes) / (seats + 1), truncated to 9 dp, + 0.000000001.
* B.2.c every hopeful with vote >= quota is elected: the round (and our stage) ends.
* B.2.d total surplus s = sum of (vote - quota) over the elected, not less than 0.
* B.2.e stop iterating when s < omega, or (after the first iteration) s >= the previous iteration's s.
* B.2.f each elected kf := kf x quota (rounded up at 9 dp) / vote (rounded up at 9 dp); iterate again.
* B.3 defeat the lowest hopeful; a hopeful whose vote is <= the lowest vote + s counts as tied with it
  (T: ties go to the tied candidate earliest in a pre-drawn order); its kf becomes 0.
* C. the remaining hopefuls are elected if places are unfilled (no further iteration), else defeated.

Stages (as in the result JSON): a stage ends at each election or exclusion; iterations are not stages. A stage shows the
figures of the iteration on which its decision was taken, with that iteration's quota, the number of
iterations and every elected candidate's keep factor. An excluded candidate's votes pass on at the next
iteration, so they appear in the following stage. Papers are never moved: every iteration re-reads every
ballot with the current keep factors, exactly, in int64: read as one row per distinct effective ranking
(engine/rules/meek_groups.py), which gives the same votes as every paper read one by one.

Options: `variant: prf` (default) | `nz`: New Zealand Local Electoral Regulations 2001 Sch.1A, best effort:
its quota (v - v_nt)/(n + 1) + 0.000000001 truncated at 9 dp equals the PRF figure; surplus tolerance 0.0001;
ties for exclusion first by "ahead at first difference" (the earliest stage at which the tied differed),
then the pre-drawn order or a lot; the statutory pseudo-random generator is NOT implemented (a recorded or
seeded lot stands in, see docs/engine-differences.md). `variant: a123`: Algorithm 123 (Hill, Wichmann and
Woodall, Computer Journal 30(3), 1987), best effort from its published reference count (tests/data/
reference-cases/ers97-model): quota (votes - excess)/(seats + 1) with nothing added, elected on exceeding it,
and only once the keep factors have converged; the stage then shows the figures converged again with them
elected. Its own tolerance and arithmetic were not available: PRF's 9 dp rounding up and omega are used.
`tie_order: ballot` (default: the BLT's [tie] line, else the ballot-paper order, is the pre-drawn order, as
in Droop) | `lot` (the app's tie source decides).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import PAD, Election, sum_by
from opensel_desktop.engine.papers import check_size
from opensel_desktop.engine.result import Lot, Result
from opensel_desktop.engine.rules.base import ELECTED, HOPEFUL, Count
from opensel_desktop.engine.rules.gregory import order_words, preset_tie_order, tie_order_words
from opensel_desktop.engine.rules.meek_groups import EffectiveRankings
from opensel_desktop.engine.rules.wigm import option
from opensel_desktop.engine.tiebreak import look_back
from opensel_desktop.engine.ties import TieSource, order_choice, tie_line_option

RULE = "meek"
VERSION = "meek-prf.1"
TITLE = "Meek STV (PR Foundation reference rule; New Zealand variant as an option)"

PLACES = 9
UNIT = 10**PLACES
# 0.000001 (PRF A), 0.0001 (NZ Sch.1A cl.13), Algorithm 123: not read, PRF's used; in units of 1e-9
OMEGA = {"prf": 10**3, "nz": 10**5, "a123": 10**3}
MAX_KF = 4 * UNIT  # a keep factor above 1 only arises transiently; far above it int64 products could overflow


def distribute(prefs: np.ndarray, weights: np.ndarray, kf: np.ndarray) -> np.ndarray:
    """PRF B.2.a over every ballot row at once: each candidate's vote (units of 1e-9), exact.

    Only rows still carrying weight are visited at each ranking position; a ballot stops at its first hopeful
    (kf = 1 takes all that is left), so most rows drop out after one or two positions.
    """
    ncand = kf.shape[0]
    kf_ext = np.append(kf, 0)  # the padding index -1 reads keep factor 0
    votes = np.zeros(ncand, dtype=np.int64)
    rows = np.arange(prefs.shape[0])
    w = np.full(rows.shape[0], UNIT, dtype=np.int64)
    for j in range(prefs.shape[1]):
        if not rows.size:
            break
        cand = prefs[rows, j].astype(np.int64)
        k = kf_ext[cand]
        take = -((-w * k) // UNIT)  # w x kf rounded up at 9 dp
        got = take > 0
        if got.any():
            votes += sum_by(cand[got], take[got] * weights[rows[got]], ncand)
        w = w - take
        alive = (w > 0) & (cand != PAD)
        rows, w = rows[alive], w[alive]
    return votes


class MeekCount(Count):
    rule = RULE
    version = VERSION
    places = PLACES

    def __init__(self, election: Election, ties: TieSource | None):
        super().__init__(election, ties)
        self.variant = option(election, "variant", ("prf", "nz", "a123"), "prf")
        self.tie_rule = option(election, "tie_order", ("ballot", "lot"), "ballot")
        self.preset = preset_tie_order(election) if self.tie_rule == "ballot" else None
        self.omega = OMEGA[self.variant]
        self.kf = np.array([0 if s != HOPEFUL else UNIT for s in self.state], dtype=np.int64)
        ballots = election.ballots
        check_size(ballots.total, MAX_KF, PLACES)  # a share is at most MAX_KF x a ballot, in units of 1e-9
        # what an iteration reads: one row per effective ranking (meek_groups.py), exactly the same votes
        self.rankings = EffectiveRankings(ballots, election.ncand, self.state_mask(HOPEFUL))
        self.valid = ballots.total * UNIT
        self.iterations = 0
        self.surplus = 0

    # ---- one iteration ---------------------------------------------------------------------
    def iterate(self) -> None:
        self.iterations += 1
        self.rankings.update(self.state_mask(HOPEFUL), self.state_mask(ELECTED))
        prefs, weights = self.rankings.table()
        got = distribute(prefs, weights, self.kf)
        self.votes = [int(x) if self.state[c] in (HOPEFUL, ELECTED) else 0 for c, x in enumerate(got)]
        total = sum(self.votes)
        # B.2.b (NZ Sch.1A: (v - v_nt)/(n + 1) + 1e-9 truncated; v - v_nt is the same total); Algorithm 123:
        # (votes - excess) / (seats + 1) with no addition, a candidate being elected on exceeding it
        self.quota = total // (self.e.seats + 1) + (0 if self.variant == "a123" else 1)
        self.exhausted = self.valid - total

    def state_mask(self, state: str) -> np.ndarray:
        return np.array([s == state for s in self.state], dtype=bool)

    def keep_factors(self) -> dict[str, int]:
        return {self.names[c]: int(self.kf[c]) for c in self.order}

    def update_keep_factors(self) -> None:
        # B.2.f: kf x quota rounded up, then / vote rounded up, both at 9 dp
        for c in self.order:
            if self.votes[c] <= 0:
                continue  # cannot happen while kf > 0 (a ballot's first share is never 0); kept as a guard
            product = -((-int(self.kf[c]) * self.quota) // UNIT)
            self.kf[c] = -((-product * UNIT) // self.votes[c])
            if self.kf[c] > MAX_KF:
                raise CountError(f"Meek keep factor for {self.names[c]} diverged; the count cannot continue.")

    def reaches_quota(self, vote: int) -> bool:
        # PRF B.2.c "greater than or equal to"; Algorithm 123 elects on exceeding the quota
        return vote > self.quota if self.variant == "a123" else vote >= self.quota

    # ---- the count -------------------------------------------------------------------------
    def run(self) -> Result:
        if self.variant == "a123":
            return self.run_a123()
        first = True
        while len(self.hopefuls()) > self.seats_left > 0:
            if self.stages and self.exclude_doomed():  # constraints: kf 0 at the next exclusion point
                continue
            self.iterations = 0
            last_surplus = None
            status = ""
            while True:
                self.iterate()
                if first:
                    self.first_quota = self.quota
                newly = self.over_quota()
                for c in newly:
                    self.elect(c)
                self.surplus = max(0, sum(self.votes[c] - self.quota for c in self.order))
                if first:
                    self.snapshot("first", [], newly, [], self.first_reason(newly))
                    first = False
                    if newly or self.doomed():  # constraints: a candidate doomed from the start goes first
                        status = "elected"
                        break
                elif newly:
                    self.snapshot("election", newly, newly, [], self.election_reason(newly))
                    status = "elected"
                    break
                if self.surplus < self.omega:
                    status = "omega"
                    break
                if last_surplus is not None and self.surplus >= last_surplus:
                    status = "stable"
                    break
                last_surplus = self.surplus
                self.update_keep_factors()
            if status == "elected":
                continue
            self.defeat_lowest(status)
        self.finish()
        return self.result(self.parameters())

    def converge(self) -> str:
        """Iterate until the total surplus is below omega or stops falling; returns which."""
        self.iterations = 0
        self.iterate()
        last_surplus = None
        while True:
            self.surplus = max(0, sum(self.votes[c] - self.quota for c in self.order))
            if self.surplus < self.omega:
                return "omega"
            if last_surplus is not None and self.surplus >= last_surplus:
                return "stable"
            last_surplus = self.surplus
            self.update_keep_factors()
            self.iterate()

    def run_a123(self) -> Result:
        """Algorithm 123 (best effort, see the module docstring): candidates are elected only once the keep
        values have converged; the stage then shows the figures after converging again with them elected."""
        self.iterate()
        self.first_quota = self.quota
        newly = self.over_quota()
        for c in newly:
            self.elect(c)
        self.snapshot("first", [], newly, [], self.first_reason(newly))
        since: list[int] = []  # elected since the last stage
        while len(self.hopefuls()) > self.seats_left > 0:
            if not since and self.exclude_doomed():  # constraints: kf 0 at the next exclusion point
                continue
            status = self.converge()
            newly = self.over_quota()
            if newly:
                for c in newly:
                    self.elect(c)
                since += newly
                continue
            if since:
                self.snapshot("election", since, since, [], self.election_reason(since))
                since = []
                continue
            self.defeat_lowest(status)
        if since:
            self.snapshot("election", since, since, [], self.election_reason(since))
        self.finish()
        return self.result(self.parameters())

    def over_quota(self) -> list[int]:
        reached = sorted((c for c in self.hopefuls() if self.reaches_quota(self.votes[c])),
                         key=lambda c: (-self.votes[c], c))
        return self.electable(reached)[: self.seats_left]  # constraints: a doomed candidate is passed over

    def defeat_lowest(self, status: str) -> None:
        # B.3: tied = every hopeful within the total surplus of the lowest vote
        hopefuls = self.excludable(self.hopefuls())  # constraints: guarded candidates are never excluded
        low = min(self.votes[c] for c in hopefuls)
        tied = sorted(c for c in hopefuls if self.votes[c] <= low + self.surplus)
        loser, tie_words = (tied[0], "") if len(tied) == 1 else self.choose(tied)
        self.exclude(loser)
        self.kf[loser] = 0
        why = (f"the total surplus {self.v(self.surplus)} is below the tolerance {self.v(self.omega)}"
               if status == "omega" else
               f"the total surplus {self.v(self.surplus)} stopped falling")
        reason = (f"After {self.iterations} iteration{'s' if self.iterations != 1 else ''} no one reached the quota of "
                  f"{self.v(self.quota)} and {why}, so {self.names[loser]}, lowest with {self.v(self.votes[loser])} "
                  f"votes{tie_words}, is excluded [B.3]. Their keep factor becomes 0: at the next iteration their votes pass "
                  f"to the next preferences on their ballots.")
        self.snapshot("exclusion", [loser], [], [loser], reason)

    def choose(self, tied: list[int]) -> tuple[int, str]:
        group = tied
        if self.variant == "nz":
            group = sorted(self.look_back_first_difference(tied))
        if len(group) == 1:
            chosen = group[0]
            how = "ahead at first difference: lowest at the earliest stage at which they differed"
        elif self.preset is not None:
            rank = {c: i for i, c in enumerate(self.preset)}
            chosen = order_choice(group, rank, "exclude", tie_line_option(self.e.options))
            self.lots.append(Lot(self.stage_no, tuple(self.names[c] for c in group), self.names[chosen],
                                 "exclude", "tie-order"))
            how = (f"chosen as {order_words(chosen, group, rank)} in the pre-drawn tie order, "
                   f"{tie_order_words(self.e)} [T]")
        else:
            chosen = self.lot(group, "exclude", "their votes were within the total surplus of each other")
            how = "chosen by lot"
        others = self.name_list([c for c in tied if c != chosen])
        return chosen, f" (tied, within the total surplus, with {others}; {how})"

    def look_back_first_difference(self, tied: list[int]) -> list[int]:
        return look_back(tied, self.history, want_lowest=True, backwards=False)

    def finish(self) -> None:
        """C.1: elect the remaining hopefuls if places are unfilled (on the figures of the last stage)."""
        rest = self.hopefuls()
        if not rest or self.seats_left <= 0 or not self.stages:
            return
        rest.sort(key=lambda c: (-self.votes[c], c))
        rest = self.electable(rest)  # constraints: never elect past a maximum (the doomed are already out)
        if not rest:
            return
        for c in rest:
            self.elect(c)
        last = self.stages[-1]
        sentence = (f" {self.name_list(rest)} {'is' if len(rest) == 1 else 'are'} elected without reaching the "
                    f"quota: the continuing candidates are no more than the places left [C.1].")
        self.stages[-1] = replace(last, elected=last.elected + tuple(self.names[c] for c in rest),
                                  reason=last.reason + sentence)

    # ---- category constraints: guard/doom (rules/base.py hooks, engine/constraints.py) -----
    def exclude_doomed(self) -> bool:
        """Doomed candidates are excluded at the next exclusion point, the start of the next round (before any
        further iteration), in a stage of their own: their keep factor becomes 0, as for B.3."""
        doomed = self.doomed()
        if not doomed:
            return False
        for c in doomed:
            self.exclude(c)
            self.kf[c] = 0
        who = self.name_list(doomed)
        one = len(doomed) == 1
        kf = "Their keep factor becomes" if one else "Their keep factors become"
        reason = (f"{who} cannot be elected without breaking {self.constraint_words()}, so "
                  f"{'is' if one else 'are'} excluded at once. {kf} 0: at the next iteration their votes pass to "
                  f"the next preferences on their ballots.")
        note = f"doomed (electing them would break {self.constraint_words()}): {who}"
        self.snapshot("constraint", doomed, [], doomed, reason, constraints=[note])
        return True

    # ---- words -----------------------------------------------------------------------------
    def first_reason(self, newly: list[int]) -> str:
        text = (f"First preferences counted: {self.v(self.valid)} valid votes; the quota is "
                f"{self.v(self.quota)} (votes for candidates / (places + 1), truncated at 9 decimals, + 0.000000001;"
                f" it is worked out again at every iteration as votes exhaust) [B.2.b].")
        if newly:
            text += (f" {self.name_list(newly)} reached the quota and {'is' if len(newly) == 1 else 'are'} elected"
                     f" [B.2.c].")
        return text

    def election_reason(self, newly: list[int]) -> str:
        kfs = "; ".join(f"{self.names[c]} {self.v(int(self.kf[c]))}" for c in self.order if c not in newly)
        return (f"After {self.iterations} iteration{'s' if self.iterations != 1 else ''} of sharing surpluses "
                f"(each elected candidate keeps only the fraction of each vote given by their keep factor"
                + (f": {kfs}" if kfs else "")
                + f"), {self.name_list(newly)} reached the quota of {self.v(self.quota)} and "
                  f"{'is' if len(newly) == 1 else 'are'} elected [B.2.c].")

    def parameters(self) -> dict[str, object]:
        return {"places": PLACES, "quota": self.v(self.first_quota), "variant": self.variant,
                "omega": self.v(self.omega), "tie_order": self.tie_rule}


def count(election: Election, ties: TieSource | None) -> Result:
    return MeekCount(election, ties).run()
