"""Constrained allocation of places for X-vote counts (FPTP, block): reserved places, then open places.

UK party practice for officer slates. With "at least k with category = value" the default order is
`constraint_order: reserved_first`: each minimum's reserved places go to the highest-placed candidates of
that category; the open places then go to the highest remaining candidates of any category, in vote
order. This is the order the Young Labour correction established (the top woman takes the reserved place
even if she topped the poll; the open place goes to the next highest of any gender). `open_first` fills
the open places first (the order first wrongly applied there); it exists because some standing orders
say so, and the sheet records which order was used.

Every pick keeps the constraints satisfiable (engine/constraints.py), so maximums and overlapping
minimums hold and the result is compliant whenever the candidates standing allow (checked up front).
Ties that decide a place are settled by lot (RPA 1983 Sch.1 r.49), through the tie source.
"""

from __future__ import annotations

from dataclasses import replace

from opensel_desktop.engine.constraints import Constraints, Group, words
from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Election
from opensel_desktop.engine.result import Result
from opensel_desktop.engine.rules.block import XVoteCount, x_vote_totals
from opensel_desktop.engine.ties import TieSource

ORDERS = ("reserved_first", "open_first")  # also accepted: category_first = reserved_first


class AllocatedCount(XVoteCount):
    """An X-vote count whose places are filled reserved-then-open (or open-then-reserved)."""

    def __init__(self, election: Election, ties: TieSource | None, rule: str, version: str):
        super().__init__(election, ties)
        self.rule, self.version = rule, version
        self.order_rule = str(election.options.get("constraint_order", "reserved_first"))
        if self.order_rule == "category_first":  # "women first, then everyone" (local selections): the same order
            self.order_rule = "reserved_first"
        if self.order_rule not in ORDERS:
            raise CountError(f"constraint_order must be one of {', '.join(ORDERS)}, not {self.order_rule!r}.")
        self.rules = Constraints(election)

    def ok(self, c: int, chosen: list[int]) -> bool:
        elected = [*chosen, c]
        rest = [h for h in self.e.standing if h not in elected]
        return self.rules.feasible(elected, rest, self.e.seats - len(elected))

    def pick(self, pool: list[int], chosen: list[int], places: int, why: str) -> list[int]:
        """Up to `places` of `pool`, highest votes first, each keeping the constraints satisfiable;
        equal votes that decide a place go to a lot."""
        got: list[int] = []
        for _ in range(places):
            able = [c for c in pool if c not in got and c not in chosen and self.ok(c, chosen + got)]
            if not able:
                break
            top = max(self.votes[c] for c in able)
            tied = [c for c in able if self.votes[c] == top]
            left = places - len(got)
            if len(tied) > left:
                c = self.lot(tied, "elect", f"equal votes ({top}) for {why}")
            else:
                c = min(tied)
            got.append(c)
        return got

    def reserved(self, chosen: list[int], separate: bool = False) -> list[tuple[Group, list[int]]]:
        """Fill each minimum's reserved places. `separate`: the reserved places are filled from the category
        whoever already took an open place (open_first: a woman in an open place does not fill the reserved
        one)."""
        out = []
        for g in self.rules.groups:
            need = g.low - (0 if separate else sum(1 for c in chosen if c in g.members))
            if need > 0:
                got = self.pick(sorted(g.members & set(self.e.standing)), chosen, need,
                                f"the place{'s' if need != 1 else ''} reserved for {g.label}")
                chosen.extend(got)
                out.append((g, got))
        return out

    def run(self) -> Result:
        n = self.e.seats
        totals, no_vote = x_vote_totals(self.e, n)
        self.votes = [int(x) for x in totals]
        self.exhausted = no_vote
        self.valid = int(self.e.ballots.weights.sum()) if len(self.e.ballots) else 0
        standing = self.e.standing
        chosen: list[int] = []
        notes: list[str] = []
        sentences: list[str] = []

        reserved: list[tuple[str, str]] = []

        def describe_reserved(res: list[tuple[Group, list[int]]]) -> None:
            for g, got in res:
                reserved.extend((self.names[c], g.label) for c in got)
                if got:
                    text = (f"reserved for {g.label} ({words(g.constraint)}): "
                            + ", ".join(f"{self.names[c]} ({self.votes[c]})" for c in got))
                    notes.append(text)
                    sentences.append("Place" + ("s" if len(got) > 1 else "") + " " + text + ".")

        lots_before = len(self.lots)
        reserved_total = sum(g.low for g in self.rules.groups)
        if self.order_rule == "reserved_first":
            describe_reserved(self.reserved(chosen))
            opened = self.pick(standing, chosen, n - len(chosen), "an open place")
            chosen.extend(opened)
        else:
            opened = self.pick(standing, chosen, max(0, n - reserved_total), "an open place")
            chosen.extend(opened)
            describe_reserved(self.reserved(chosen, separate=True))
            more = self.pick(standing, chosen, n - len(chosen), "an open place")
            chosen.extend(more)
            opened += more
        if opened:
            sentences.append(("Open places" if len(opened) > 1 else "Open place") + ", highest remaining of any "
                             "category: " + ", ".join(f"{self.names[c]} ({self.votes[c]})" for c in opened) + ".")
        passed = [c for c in sorted(standing, key=lambda c: (-self.votes[c], c))
                  if c not in chosen and self.votes[c] > min(self.votes[x] for x in chosen)]
        if passed:
            notes.append("passed over to meet the constraints: " + self.name_list(passed))
            sentences.append(f"{self.name_list(passed)} had more votes than someone elected but "
                             f"{'is' if len(passed) == 1 else 'are'} passed over to meet the constraints.")
        if len(chosen) < n:  # cannot happen after the up-front check; refuse rather than declare short
            raise CountError("The constraints could not be met with the candidates standing; check them.")
        for c in chosen:
            self.elect(c)
        order = "reserved places first, then open places" if self.order_rule == "reserved_first" else \
            "open places first, then reserved places"
        reason = (f"{self.valid} papers counted, {sum(self.votes)} votes for the {len(standing)} candidates "
                  f"standing. Places filled under {'; '.join(words(g.constraint) for g in self.rules.groups)}, "
                  f"{order}. " + " ".join(sentences))
        if len(self.lots) > lots_before:
            reason += " Equal votes deciding a place were settled by lot (RPA 1983 Sch.1 r.49)."
        stage = self.snapshot("first", [], chosen, [], reason, constraints=notes)
        self.stages[-1] = replace(stage, reserved=tuple(reserved), passed_over=tuple(self.names[c] for c in passed))
        params = self.parameters()
        params["constraint_order"] = self.order_rule
        return self.result(params)


def count(election: Election, ties: TieSource | None, rule: str, version: str) -> Result:
    return AllocatedCount(election, ties, rule, version).run()
