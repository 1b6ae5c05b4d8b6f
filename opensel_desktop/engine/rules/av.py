"""The alternative vote (AV / instant-runoff): one place, ranked papers, whole votes.

Sources (checked 2026-11-25):
* Labour practice (Broadland Labour, Jan 2020): elected with more than half of the votes in the round,
  i.e. of the continuing (live) papers; the lowest is excluded and each paper moves at value 1 to its
  next continuing preference; a paper with none left is exhausted. Elimination ties: the candidate with
  more higher preferences stays in (first preferences, then second preferences, ...), then lot.
* Parliamentary Voting System and Constituencies Act 2011, Sch.10 para 7 (the statutory AV text, never
  brought into force): an elimination tie goes against the candidate with fewest first preferences, if
  equal fewest at the next stage, and so on, then lot; a final tie to the one with most first
  preferences, then the next stage, then lot.
* ERS-style "earliest difference" (ERS97 5.6.2) and Scottish "most recent difference" (SSI 2007/42
  r.50) are offered for bodies whose standing orders borrow them.

Options (Election.options; all recorded in the result's parameters):
* `majority`: `continuing` (default; more than half of the continuing votes in the round) or
  `all_valid` (more than half of the valid first-round poll).
* `bulk_exclusion`: `lt` (default), `le` or `off`. The lowest group of candidates whose combined votes are
  below (`lt`) or not above (`le`) the next candidate up is excluded together, since that cannot change
  the order of exclusion (Broadland "do not equal the candidate above them" = lt; the slate variant's
  "not greater than" = le). A group never splits candidates with equal votes and always leaves two
  candidates, so that the last round is decided on votes.
* `ties`: `labour` (default), `statutory`, `earliest`, `recent` or `lot`. `statutory` and `earliest`
  walk the same path (earliest stage at which the tied candidates differed); both are offered so that the
  record names the text the returning officer applied.

When only two candidates remain and neither has the majority (possible under `all_valid`), the one with
more votes is elected; a final tie goes through the tie rule (purpose "elect"), then lot.

One stage per round: stage 1 is the first count; each later stage is one exclusion (or bulk exclusion)
with every candidate's total at the end of that round. The stage's quota is the round's majority.

Version history: av-2026.1 = first implementation; av-2026.2 = a BLT [tie] line is read as for every rule
(engine/ties.py): of candidates still tied for exclusion, the one listed first is excluded (2026.1: the last).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import PAD, Election
from opensel_desktop.engine.papers import Papers
from opensel_desktop.engine.result import Result, Stage
from opensel_desktop.engine.rules.base import HOPEFUL, Count
from opensel_desktop.engine.ties import TieSource

RULE = "av"
VERSION = "av-2026.2"
TITLE = "Alternative vote (instant-runoff, one place)"

OPTIONS: dict[str, tuple[str, ...]] = {
    "majority": ("continuing", "all_valid"),
    "bulk_exclusion": ("lt", "le", "off"),
    "ties": ("labour", "statutory", "earliest", "recent", "lot"),
}
TIE_WORDS = {
    "labour": "more higher preferences (Labour practice)",
    "statutory": "the earliest stage at which they differed (PVSC Act 2011 Sch.10 para 7)",
    "earliest": "the earliest stage at which they differed (ERS97 5.6.2)",
    "recent": "the most recent stage at which they differed (SSI 2007/42 r.50)",
    "lot": "lot",
}


def read_options(election: Election) -> dict[str, str]:
    chosen = {name: values[0] for name, values in OPTIONS.items()}
    for name, values in OPTIONS.items():
        if name in election.options:
            value = str(election.options[name])
            if value not in values:
                raise CountError(f"The AV option {name} must be one of {', '.join(values)} (got {value!r}).")
            chosen[name] = value
    return chosen


class AVCount(Count):
    rule = RULE
    version = VERSION
    places = 0

    def __init__(self, election: Election, ties: TieSource | None):
        if election.seats > 1:  # (fewer than 1: the common check below says so)
            raise CountError(
                f"The alternative vote fills one place, but {election.seats} were asked for; "
                "count with --seats 1, or use an STV rule for several places."
            )
        super().__init__(election, ties)
        self.opts = read_options(election)
        self.papers = Papers(election.ballots, election.ncand, 1)
        self._rank_counts: np.ndarray | None = None
        self.doomed_at_start: list[str] = []  # constraints: who cannot take the place, known at the first count
        self.tie_notes: list[str] = []  # how equal votes were separated, for the stage's reason

    # ---- the count ------------------------------------------------------------------
    def hopeful_mask(self) -> np.ndarray:
        return np.array([s == HOPEFUL for s in self.state], dtype=bool)

    def run(self) -> Result:
        self.papers.deal_first(self.hopeful_mask())
        self.votes = [int(x) for x in self.papers.totals()]
        # papers whose every preference is for a withdrawn candidate count for no one from the start
        self.exhausted = int(self.papers.weights[self.papers.holder < 0].sum())
        self.valid = sum(self.votes) + self.exhausted
        self.quota = self.first_quota = self.majority()
        doomed = self.doomed()
        if doomed:  # with one place nobody is elected before the end, so this never changes during the count
            self.doomed_at_start = [self.names[c] for c in doomed]
            self.constraint_notes.append(f"doomed (electing them would break {self.constraint_words()}): "
                                         f"{self.name_list(doomed)}")
        winner = self.decide()
        reason = (f"First preferences counted: {self.valid} valid papers; {self.majority_words()}."
                  + self.winner_words(winner))
        self.snapshot("first", [], [winner] if winner is not None else [], [], reason)
        while winner is None:
            doomed = self.doomed()  # constraints: the doomed go out first, in a round of their own
            winner = self.exclusion_round(doomed, doomed=True) if doomed else self.exclusion_round(self.losers())
            self.check_conservation()
        return self.result(self.parameters())

    def parameters(self) -> dict[str, object]:
        extra: dict[str, object] = {"doomed_before_count": self.doomed_at_start} if self.doomed_at_start else {}
        return {"places": self.places, "quota": str(self.first_quota), **self.opts, **extra}

    def continuing(self) -> int:
        return sum(self.votes[c] for c in self.hopefuls())

    def majority(self) -> int:
        """Votes needed this round: more than half, in whole votes (floor(base / 2) + 1)."""
        base = self.continuing() if self.opts["majority"] == "continuing" else self.valid
        return base // 2 + 1

    def majority_words(self) -> str:
        base = "continuing votes" if self.opts["majority"] == "continuing" else "valid first-round votes"
        return f"more than half of the {base} is needed: {self.quota}"

    def decide(self) -> int | None:
        """The winner of this round, if there is one: the majority, else the higher of the last two."""
        hopefuls = self.hopefuls()
        top = [c for c in hopefuls if self.votes[c] >= self.quota]
        doomed = self.doomed()  # constraints: a doomed candidate with the majority is passed over
        top = [c for c in top if c not in doomed]
        if top:
            self.elect(top[0])  # at most one candidate can hold more than half
            return top[0]
        if len(hopefuls) > 2 or doomed:  # constraints: the doomed are excluded before a final decision
            return None
        high = max(self.votes[c] for c in hopefuls)
        tied = [c for c in hopefuls if self.votes[c] == high]
        c = tied[0] if len(tied) == 1 else self.break_av_tie(tied, want_lowest=False, purpose="elect")
        self.elect(c)
        return c

    def winner_words(self, winner: int | None) -> str:
        if winner is None:
            held = [c for c in self.hopefuls() if self.votes[c] >= self.quota]  # only a doomed candidate
            if held:
                return (f" {self.names[held[0]]} has {self.votes[held[0]]} votes, a majority, but cannot be elected "
                        f"within {self.constraint_words()}.")
            return " No candidate has the majority."
        if self.votes[winner] >= self.quota:
            return f" {self.names[winner]} has {self.votes[winner]} votes, a majority, and is elected."
        return (f" Two candidates remain and neither has the majority; {self.names[winner]} has the higher "
                f"vote ({self.votes[winner]}) or won the tie, and is elected.")

    def losers(self) -> list[int]:
        """The lowest candidate, or the safe bulk group (see the module docstring)."""
        hopefuls = sorted(self.hopefuls(), key=lambda c: (self.votes[c], c))
        mode = self.opts["bulk_exclusion"]
        group: list[int] = []
        if mode != "off":
            running = 0
            # leave at least two candidates, never split equal votes
            for i in range(len(hopefuls) - 2):
                running += self.votes[hopefuls[i]]
                nxt = self.votes[hopefuls[i + 1]]
                below = running < nxt if mode == "lt" else running <= nxt
                if self.votes[hopefuls[i]] != nxt and below:
                    group = hopefuls[: i + 1]
        group = self.unguarded_group(group) if len(group) >= 2 else group  # constraints: never one a minimum needs
        if len(group) >= 2:
            return group
        pool = self.excludable(hopefuls)  # constraints: guarded candidates are never excluded
        low = self.votes[pool[0]]
        tied = [c for c in pool if self.votes[c] == low]
        return [tied[0] if len(tied) == 1 else self.break_av_tie(tied, want_lowest=True, purpose="exclude")]

    def exclusion_round(self, losers: list[int], doomed: bool = False) -> int | None:
        """One round: `losers` out, their papers on at value 1; `doomed`: taken out because a constraint
        dooms them (guard/doom, engine/constraints.py), action "constraint"."""
        before = sum(self.votes[c] for c in losers)
        for c in losers:
            self.exclude(c)
        rows = np.nonzero(np.isin(self.papers.holder, losers))[0]
        received, exhausted = self.papers.move(rows, self.hopeful_mask(), np.ones(rows.size, dtype=np.int64),
                                               self.stage_no)
        for c in losers:
            self.votes[c] = 0
        for h in self.hopefuls():
            self.votes[h] += int(received[h])
        self.exhausted += exhausted
        self.quota = self.majority()
        winner = self.decide()
        who = self.name_list(losers)
        if doomed:
            one = len(losers) == 1
            reason = (f"{who} cannot be elected without breaking {self.constraint_words()}, so "
                      f"{'is' if one else 'are'} excluded first, with {before} votes")
            self.constraint_notes.append(f"doomed (electing them would break {self.constraint_words()}): {who}")
        elif len(losers) == 1:
            reason = f"No candidate had the majority, so {who}, lowest with {before} votes, is excluded"
        else:
            reason = (f"No candidate had the majority; {who} together have {before} votes, "
                      f"{'fewer than' if self.opts['bulk_exclusion'] == 'lt' else 'no more than'} the next "
                      "candidate, so they are excluded together")
        reason += (f"; each of their papers goes at value 1 to its next continuing preference, {exhausted} "
                   f"had none and are exhausted; {self.majority_words()}." + self.winner_words(winner))
        action = "constraint" if doomed else "exclusion" if len(losers) == 1 else "bulk_exclusion"
        self.snapshot(action, losers,
                      [winner] if winner is not None else [], losers, reason)
        return winner

    def snapshot(self, action: str, subjects: Sequence[int], elected: Sequence[int], excluded: Sequence[int],
                 reason: str, transfer_value: int | None = None, constraints: Sequence[str] = ()) -> Stage:
        """The base snapshot, with how any equal votes were separated added to the stage's reason."""
        if self.tie_notes:
            reason = f"{reason} {' '.join(self.tie_notes)}"
            self.tie_notes = []
        return super().snapshot(action, subjects, elected, excluded, reason, transfer_value, constraints)

    # ---- ties -----------------------------------------------------------------------
    def break_av_tie(self, tied: Sequence[int], want_lowest: bool, purpose: str) -> int:
        rule = self.opts["ties"]
        lots = len(self.lots)
        if rule == "labour":
            group = self.higher_preferences(sorted(tied), want_lowest)
            if len(group) == 1:
                chosen = group[0]
            else:
                chosen = self.lot(group, purpose, "their votes and higher preferences were equal")
        else:
            backwards = {"statutory": False, "earliest": False, "recent": True, "lot": None}[rule]
            chosen = self.break_tie(tied, want_lowest, purpose, backwards)
        how = "by lot" if len(self.lots) > lots else f"by {TIE_WORDS[rule]}"
        self.tie_notes.append(f"{self.name_list(sorted(tied))} had equal votes; {self.names[chosen]} was "
                              f"{'excluded' if purpose == 'exclude' else 'elected'} {how}.")
        return chosen

    def rank_counts(self) -> np.ndarray:
        """counts[c, k]: papers that give candidate c their (k+1)-th preference (as marked)."""
        if self._rank_counts is None:
            prefs = self.papers.prefs
            counts = np.zeros((self.e.ncand, max(prefs.shape[1], 1)), dtype=np.int64)
            for k in range(prefs.shape[1]):
                col = prefs[:, k].astype(np.int64)
                ok = col != PAD
                np.add.at(counts[:, k], col[ok], self.papers.weights[ok])
            self._rank_counts = counts
        return self._rank_counts

    def higher_preferences(self, tied: list[int], want_lowest: bool) -> list[int]:
        """Labour: compare first preferences, then second preferences, ...; narrow at each level to the
        candidates with the fewest (for exclusion) or most (for election)."""
        counts = self.rank_counts()
        group = list(tied)
        for k in range(counts.shape[1]):
            if len(group) <= 1:
                break
            values = {c: int(counts[c, k]) for c in group}
            target = min(values.values()) if want_lowest else max(values.values())
            group = [c for c in group if values[c] == target]
        return group


def count(election: Election, ties: TieSource | None) -> Result:
    return AVCount(election, ties).run()
