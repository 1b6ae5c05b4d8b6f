"""Exhaustive ballot: repeated X-vote rounds at a meeting (Labour's "eliminating ballot").

Version history: exhaustive-1 = first implementation.

* Each round is a fresh ballot among the candidates still in (voters may change their minds; candidates
  may withdraw before any round). Each round has its own papers, rejections and small ballot paper account.
* Single place: a candidate with more than half of the valid votes in the round is elected
  (`majority_of: valid`, the default; `cast` counts rejected papers in the base).
* Several places (Labour eliminating ballot for slates, Dave Levy 2017): each paper may carry up to as
  many X-votes as places left; candidates reaching 50% of the ballots cast (`majority_of: cast`,
  `majority_test: ge`) are elected, the highest first if more reach it than places remain.
* Otherwise the lowest is eliminated; ties go to the previous round (the most recent round in which they
  differed), then to a lot (`ties: previous_round | lot`). With `bulk_exclusion: true` (or `lt` / `le`,
  as rules/av.py spells it; `off` or false: none) the largest
  bottom group whose combined votes are below (`bulk_exclusion_test: lt`, single-place default) or not
  above (`le`, several-places default: "not greater than") the next candidate up goes together.
* When the candidates left are no more than the places left, they are elected without another round.

Input: `Election.extra["rounds"]` (validated by contest/kinds.py): a list of rounds, each
{votes: {name: n}, papers?: valid papers, rejected?: {heading: n}, account?: {issued, spoilt, unused},
withdraw?: [names withdrawing before this round]}. If the rounds given do not finish the count, the
result says which candidates the next round is among (decision outcome "another round needed").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Result
from opensel_desktop.engine.rules.base import EXCLUDED, HOPEFUL, Count
from opensel_desktop.engine.ties import TieSource

RULE = "exhaustive"
VERSION = "exhaustive-1"
TITLE = "Exhaustive ballot (rounds at a meeting)"


class ExhaustiveCount(Count):
    rule = RULE
    version = VERSION
    places = 0

    def __init__(self, election: Election, ties: TieSource | None):
        super().__init__(election, ties)
        opts = election.options
        multi = election.seats > 1
        self.majority_of = str(opts.get("majority_of", "cast" if multi else "valid"))
        self.majority_test = str(opts.get("majority_test", "ge" if multi else "gt"))
        bulk = opts.get("bulk_exclusion", False)
        # also the AV spelling (rules/av.py): bulk_exclusion: lt | le | off
        self.bulk = bulk in ("lt", "le") or bulk is True
        default_test = bulk if bulk in ("lt", "le") else ("le" if multi else "lt")
        self.bulk_test = str(opts.get("bulk_exclusion_test", default_test))
        self.tie_rule = str(opts.get("ties", "previous_round"))
        for key, value, allowed in (("majority_of", self.majority_of, ("valid", "cast")),
                                    ("majority_test", self.majority_test, ("gt", "ge")),
                                    ("bulk_exclusion_test", self.bulk_test, ("lt", "le")),
                                    ("ties", self.tie_rule, ("previous_round", "lot"))):
            if value not in allowed:
                raise CountError(f"The exhaustive ballot option {key} must be {' or '.join(allowed)}, not {value!r}.")
        self.next_among: list[int] = []
        self.accounts: list[dict[str, object]] = []

    # ---- one round ------------------------------------------------------------------
    def threshold(self, base: int) -> int:
        """Fewest votes that elect: more than half (gt) or at least half (ge) of the base."""
        return base // 2 + 1 if self.majority_test == "gt" else -(-base // 2)

    def pick(self, tied: list[int], lowest: bool, purpose: str) -> int:
        if len(tied) == 1:
            return tied[0]
        backwards = True if self.tie_rule == "previous_round" else None
        return self.break_tie(tied, want_lowest=lowest, purpose=purpose, backwards=backwards)

    def ranked(self, cands: Sequence[int], places: int, purpose: str) -> list[int]:
        """Highest first; equal votes are separated (previous rounds, then lot) only where they straddle
        the last of `places`; everyone beyond is left in vote order."""
        rest = sorted(cands, key=lambda c: (-self.votes[c], c))
        out: list[int] = []
        while rest and len(out) < places:
            top = self.votes[rest[0]]
            tied = [c for c in rest if self.votes[c] == top]
            if len(tied) <= places - len(out):
                out += tied
                rest = rest[len(tied):]
                continue
            c = self.pick(tied, lowest=False, purpose=purpose)
            out.append(c)
            rest.remove(c)
        return out + rest

    def losers(self) -> list[int]:
        # constraints ("protect the women"): a guarded candidate is never eliminated
        hopefuls = sorted(self.excludable(self.hopefuls()), key=lambda c: self.votes[c])
        if self.bulk:
            best: list[int] = []
            running = 0
            for i in range(len(hopefuls) - 1):
                running += self.votes[hopefuls[i]]
                if len(hopefuls) - (i + 1) < self.seats_left + 1:  # a group never ends the contest by itself
                    break
                nxt = self.votes[hopefuls[i + 1]]
                safe = running < nxt if self.bulk_test == "lt" else running <= nxt
                if self.votes[hopefuls[i]] != nxt and safe:
                    best = hopefuls[: i + 1]
            if len(best) > 1 and self.unguarded_group(best):
                return best
        low = self.votes[hopefuls[0]]
        return [self.pick([c for c in hopefuls if self.votes[c] == low], lowest=True, purpose="exclude")]

    def round(self, number: int, data: Mapping[str, object]) -> None:
        index = {n: i for i, n in enumerate(self.names)}
        notes: list[str] = []
        unknown = [n for n in data.get("withdraw") or () if n not in index]  # type: ignore[attr-defined]
        if unknown:
            raise CountError(f"Round {number}: {unknown[0]!r} withdraws but is not a candidate; correct the round.")
        withdrawing = [index[n] for n in data.get("withdraw") or ()]  # type: ignore[attr-defined]
        for c in withdrawing:
            if self.state[c] != HOPEFUL:
                raise CountError(f"Round {number}: {self.names[c]} cannot withdraw, having already been "
                                 f"{self.state[c]}; correct round {number} in the contest file.")
            self.exclude(c)
        if withdrawing:
            notes.append(f"{self.name_list(withdrawing)} withdrew before this round.")
        votes: Mapping[str, int] = data.get("votes") or {}  # type: ignore[assignment]
        for name, n in votes.items():
            if name not in index:
                raise CountError(f"Round {number} gives votes to {name!r}, who is not a candidate; correct the round.")
            c = index[name]
            if self.state[c] != HOPEFUL and n:
                raise CountError(f"Round {number} gives {n} votes to {name}, who is no longer a candidate "
                                 f"({self.state[c]}); correct round {number} in the contest file.")
        hopefuls = self.hopefuls()
        if len(hopefuls) <= self.seats_left:
            self.finish_unopposed(hopefuls, notes)
            return
        self.votes = [int(votes.get(self.names[c], 0)) if self.state[c] == HOPEFUL else 0
                      for c in range(len(self.names))]
        total = sum(self.votes)
        papers = data.get("papers")
        if papers is None:
            if self.e.seats > 1:
                raise CountError(f"Round {number} of a {self.e.seats}-place eliminating ballot needs the number "
                                 "of valid papers (`papers`), since a paper may carry several votes.")
            papers = total
        papers = int(papers)  # type: ignore[call-overload]
        if self.e.seats == 1 and papers != total:
            raise CountError(f"Round {number}: {papers} valid papers but the votes add up to {total}; each valid "
                             "paper carries one vote: correct the round.")
        if total > papers * self.seats_left:
            raise CountError(f"Round {number}: {total} votes on {papers} papers is more than {self.seats_left} "
                             "per paper: correct the round.")
        rejected = sum(int(v) for v in (data.get("rejected") or {}).values())  # type: ignore[attr-defined, misc]
        base = papers if self.majority_of == "valid" else papers + rejected
        if number == 1:
            self.valid = total
        self.quota = self.threshold(base)
        if number == 1:
            self.first_quota = self.quota
        self.exhausted = 0
        self.accounts.append({"round": number, "papers": papers, "rejected": dict(data.get("rejected") or {}),  # type: ignore[call-overload]
                              **({"account": dict(data["account"])} if data.get("account") else {})})  # type: ignore[call-overload]
        what = "valid votes" if self.majority_of == "valid" else "ballots cast"
        test = "more than half" if self.majority_test == "gt" else "at least half"
        notes.insert(0, f"Round {number}: {papers} valid papers, {rejected} rejected; {test} of the {base} "
                        f"{what} is {self.quota}.")
        reached = [c for c in hopefuls if self.votes[c] >= self.quota]
        elected = self.electable(self.ranked(reached, self.seats_left, "elect"))[: self.seats_left] if reached else []
        for c in elected:
            self.elect(c)
        if elected:
            notes.append(f"{self.name_list(elected)} reached it and {'is' if len(elected) == 1 else 'are'} elected.")
        excluded: list[int] = []
        doomed: list[int] = []
        if self.seats_left > 0:
            if len(self.hopefuls()) > self.seats_left:
                excluded = self.losers()
                for c in excluded:
                    self.exclude(c)
                low = ", ".join(f"{self.names[c]} ({self.votes[c]})" for c in excluded)
                notes.append("Eliminated together, since their combined votes cannot overtake the next "
                             f"candidate: {low}." if len(excluded) > 1 else f"Lowest, eliminated: {low}.")
            doomed = self.doomed()
            for c in doomed:  # cannot be elected within the constraints: off the next ballot paper
                self.exclude(c)
            if doomed:
                notes.append(f"{self.name_list(doomed)} cannot be elected within the constraints and "
                             f"{'is' if len(doomed) == 1 else 'are'} not on the next ballot.")
            rest = self.hopefuls()
            if len(rest) <= self.seats_left:
                for c in sorted(rest, key=lambda c: (-self.votes[c], c)):
                    self.elect(c)
                notes.append(f"{self.name_list(rest)} {'is' if len(rest) == 1 else 'are'} elected without another "
                             "round: no more candidates remain than places.")
                elected = elected + rest
        self.snapshot("round", [], elected, excluded + doomed, " ".join(notes),
                      constraints=[f"doomed: {self.names[c]}" for c in doomed])

    def finish_unopposed(self, hopefuls: list[int], notes: list[str]) -> None:
        if not hopefuls:
            raise CountError(f"No candidates remain for the {self.seats_left} place{'s' if self.seats_left != 1 else ''}"
                             " left, so there can be no further round; remove it and reopen nominations.")
        for c in hopefuls:
            self.elect(c)
        self.votes = [0] * len(self.names)
        notes.append(f"{self.name_list(hopefuls)} {'is' if len(hopefuls) == 1 else 'are'} elected without a "
                     "ballot: no more candidates remain than places.")
        self.snapshot("election", [], hopefuls, [], " ".join(notes))

    def run(self) -> Result:
        rounds = self.e.extra.get("rounds") or []
        if not isinstance(rounds, Sequence) or not rounds:
            raise CountError("An exhaustive ballot needs at least one round of votes (`rounds` in the contest file, "
                             "or `opensel round`).")
        for number, data in enumerate(rounds, start=1):
            if self.seats_left == 0:
                raise CountError(f"Round {number} is given but every place was filled at round {number - 1}; "
                                 "remove the extra round.")
            self.round(number, data)
        params: dict[str, object] = {
            "majority_of": self.majority_of, "majority_test": self.majority_test, "bulk_exclusion": self.bulk,
            "bulk_exclusion_test": self.bulk_test, "ties": self.tie_rule, "rounds": self.accounts,
        }
        result = self.result(params)
        if self.seats_left > 0 and not self.hopefuls():
            result = replace(result, decision={"outcome": "places unfilled", "places_left": self.seats_left})
        elif self.seats_left > 0:
            among = [self.names[c] for c in self.hopefuls()]
            result = replace(result, decision={"outcome": "another round needed", "round": len(rounds) + 1,
                                               "among": among, "places_left": self.seats_left})
        return result


def count(election: Election, ties: TieSource | None = None) -> Result:
    return ExhaustiveCount(election, ties).run()


__all__ = ["count", "ExhaustiveCount", "EXCLUDED"]
