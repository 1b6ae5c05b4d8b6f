"""Block vote: n places, each paper has up to n X-votes; the n highest totals are elected.

Sources: UK party practice for officer and committee slates; for the equality of votes, the Representation of the People Act 1983 Sch.1
r.49 (parliamentary) and r.49 of the Local Elections (Principal Areas) (England and Wales) Rules 2006
(multi-member wards): "where ... an equality of votes is found to exist between any candidates and the
addition of a vote would entitle any of those candidates to be declared elected, the returning officer
shall forthwith decide between those candidates by lot, and proceed as if the candidate on whom the
lot falls had received an additional vote".

* A ranked BLT paper is read as X-votes for its first n preferences among the candidates standing
  (as the command line documents for a .blt); a preference for a withdrawn candidate is passed over, as that
  name would not be on the paper. A paper with no vote for a standing candidate counts for no one and is
  shown as non-transferable.
* Elected: the n highest totals. A tie that affects who is elected (at place n) is settled by lot, one
  draw per place, each winner "treated as having one more vote"; the totals shown stay the votes cast
  (so that the table adds up) and the lot is recorded on its own stage and in the result's lots.
  Ties elsewhere are reported in the reason and need no lot.
* Stage 1 ("first") holds the totals and everyone elected on votes alone; a "lot" stage follows only
  when a lot was drawn. The quota is "0": this method has none.

Version history: block-2026.1 = first implementation.
"""

from __future__ import annotations

import numpy as np

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Election, sum_by
from opensel_desktop.engine.result import Result
from opensel_desktop.engine.rules.base import Count
from opensel_desktop.engine.ties import TieSource

RULE = "block"
VERSION = "block-2026.1"
TITLE = "Block vote (n places, up to n X-votes per paper)"


def x_vote_totals(election: Election, votes_per_paper: int) -> tuple[np.ndarray, int]:
    """(total X-votes per candidate, papers with no vote for a standing candidate), vectorised."""
    prefs = election.ballots.prefs
    weights = election.ballots.weights
    standing = np.ones(election.ncand + 1, dtype=bool)  # last slot: padding (-1) is never standing
    standing[-1] = False
    for c in election.withdrawn:
        standing[c] = False
    cols = prefs.astype(np.int64)
    ok = standing[cols]  # -1 indexes the padding slot
    # a vote is counted for the first `votes_per_paper` standing preferences of each paper
    counted = ok & (np.cumsum(ok, axis=1) <= votes_per_paper)
    rows = np.nonzero(counted)
    totals = sum_by(cols[rows], weights[rows[0]], election.ncand)
    no_vote = int(weights[~counted.any(axis=1)].sum())
    return totals, no_vote


class XVoteCount(Count):
    """FPTP and block share everything but the number of X-votes per paper and the rule's name."""

    places = 0

    def run(self) -> Result:
        n = self.e.seats
        totals, no_vote = x_vote_totals(self.e, n)
        self.votes = [int(x) for x in totals]
        self.exhausted = no_vote
        papers = int(self.e.ballots.weights.sum()) if len(self.e.ballots) else 0
        given = self.e.options.get("papers")  # papers counted in bundles carry several votes each
        if isinstance(given, int) and not isinstance(given, bool) and 0 <= given <= papers:
            papers = given
        self.valid = papers  # every paper in the file; those without a standing vote are non-transferable
        hopefuls = self.hopefuls()
        ranked = sorted(hopefuls, key=lambda c: (-self.votes[c], c))
        cut = self.votes[ranked[n - 1]]
        above = [c for c in ranked if self.votes[c] > cut]
        at_cut = [c for c in ranked if self.votes[c] == cut]
        places_at_cut = n - len(above)
        needs_lot = len(at_cut) > places_at_cut
        sure = above if needs_lot else above + at_cut[:places_at_cut]
        for c in sure:
            self.elect(c)
        reason = (f"{papers} papers counted, {sum(self.votes)} votes for the {len(hopefuls)} candidates standing"
                  + (f"; {no_vote} papers have no vote for a standing candidate" if no_vote else "")
                  + ". " + self.elected_words(sure, needs_lot, at_cut) + self.other_ties(ranked, cut if needs_lot else None))
        self.snapshot("first", [], sure, [], reason)
        if needs_lot:
            self.lot_stage(at_cut, places_at_cut)
        return self.result(self.parameters())

    def parameters(self) -> dict[str, object]:
        return {"places": self.places, "quota": "0", "votes_per_paper": self.e.seats}

    def elected_words(self, sure: list[int], needs_lot: bool, at_cut: list[int]) -> str:
        text = ""
        if sure:
            text = (f"{self.name_list(sure)} {'has' if len(sure) == 1 else 'have'} the highest "
                    f"vote{'s' if len(sure) != 1 else ''} and {'is' if len(sure) == 1 else 'are'} elected.")
        if needs_lot:
            text += (f" {self.name_list(at_cut)} have {self.votes[at_cut[0]]} votes each for the remaining "
                     f"place{'s' if self.e.seats - len(sure) != 1 else ''}: a lot is needed.")
        return text.strip()

    def other_ties(self, ranked: list[int], lot_at: int | None) -> str:
        """Equal totals that do not affect who is elected (all but the tie a lot settles) are reported."""
        by_votes: dict[int, list[int]] = {}
        for c in ranked:
            by_votes.setdefault(self.votes[c], []).append(c)
        notes = [self.name_list(group) for v, group in by_votes.items() if len(group) > 1 and v != lot_at]
        if not notes:
            return ""
        return " Equal votes that do not affect the result (no lot needed): " + "; ".join(notes) + "."

    def lot_stage(self, at_cut: list[int], places: int) -> None:
        # RPA 1983 Sch.1 r.49: decide by lot and proceed as if the winner had one more vote
        pool = list(at_cut)
        won: list[int] = []
        for _ in range(places):
            c = self.lot(pool, "elect", f"equal votes ({self.votes[pool[0]]}) at the last place")
            pool.remove(c)
            won.append(c)
            self.elect(c)
        reason = (f"Equality of votes at the last place between {self.name_list(at_cut)}: decided by lot; "
                  f"{self.name_list(won)} {'is' if len(won) == 1 else 'are'} treated as having one more vote "
                  f"and {'is' if len(won) == 1 else 'are'} elected. The totals shown are the votes cast.")
        self.snapshot("lot", [], won, [], reason)


class BlockCount(XVoteCount):
    rule = RULE
    version = VERSION


def count(election: Election, ties: TieSource | None) -> Result:
    return BlockCount(election, ties).run()


def check_single_place(election: Election, method: str) -> None:
    if election.seats > 1:  # (fewer than 1: the common check in Count says so)
        raise CountError(
            f"{method} fills one place, but {election.seats} were asked for; "
            "count with --seats 1, or use the block vote for several places."
        )


