"""Category constraints on who may be elected (gender and diversity minimums of UK party rules).

A constraint (engine.model.Constraint) says at least `minimum` and at most `maximum` of the body must
be in `category` = `value`; `sitting` members of that category not up for election count towards both
(whole-body quotas, the NCC case of 1.1.6). Constraints may overlap (gender x BAME x region).

One exact oracle serves every method: `Constraints.feasible(elected, available, places)` says whether
some choice of `places` more candidates from `available` can satisfy every constraint. Candidates are
grouped by which constraint groups they belong to ("types"; candidates of one type are interchangeable
for feasibility), and the count per type is searched with bounds pruning and memoisation, so
overlapping constraints are handled exactly, in the spirit of Otten's grid method (Voting Matters 13).

* `check(election)`: refused before counting when the candidates standing cannot meet the constraints.
* Guard/doom (Grey-Fitzgerald, used by OpenTally and pyRCV2): after each stage a hopeful
  is *guarded* when every compliant completion includes them (never excluded), and *doomed* when none
  does (excluded at the next opportunity, never elected).
* `libdem_committee`: the Liberal Democrat larger/smaller committee method (1.3).
* `ordered_list`: repeated counts for n, n-1, ... places (1.3, 1.7).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.model import Constraint, Election
from opensel_desktop.engine.result import Result, Stage

INF = 10**9
METHODS = ("guard_doom", "libdem_committee")


@dataclass(frozen=True, slots=True)
class Group:
    constraint: Constraint
    members: frozenset[int]  # candidate indices in the category
    low: int  # elected members still needed (minimum less sitting, never below 0)
    high: int  # elected members still allowed (maximum less sitting; INF when no maximum)

    @property
    def label(self) -> str:
        return f"{self.constraint.category}: {self.constraint.value}"


def words(constraint: Constraint) -> str:
    parts = []
    if constraint.minimum:
        parts.append(f"at least {constraint.minimum}")
    if constraint.maximum is not None:
        parts.append(f"at most {constraint.maximum}")
    body = " (counting the whole body)" if constraint.sitting else ""
    return f"{' and '.join(parts)} with {constraint.category} {constraint.value}{body}"


def constraint_method(election: Election) -> str:
    method = str(election.options.get("constraint_method", "guard_doom"))
    if method not in METHODS:
        raise CountError(f"constraint_method must be one of {', '.join(METHODS)}, not {method!r}.")
    return method


class Constraints:
    """The constraints of one election over its candidates, with the exact feasibility oracle."""

    def __init__(self, election: Election):
        self.e = election
        self.names = election.names
        groups = []
        for con in election.constraints:
            members = frozenset(
                c for c in range(election.ncand)
                if c < len(election.categories) and election.categories[c].get(con.category) == con.value
            )
            high = INF if con.maximum is None else con.maximum - con.sitting
            groups.append(Group(con, members, max(0, con.minimum - con.sitting), high))
        self.groups = tuple(groups)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def type_of(self, c: int) -> tuple[bool, ...]:
        return tuple(c in g.members for g in self.groups)

    # ---- the oracle ----------------------------------------------------------------------
    def feasible(self, elected: Collection[int], available: Collection[int], places: int) -> bool:
        """Can `places` more candidates from `available` join `elected` and satisfy every constraint?"""
        if places < 0 or places > len(available):
            return False
        have = tuple(sum(1 for c in elected if c in g.members) for g in self.groups)
        if any(h > g.high for h, g in zip(have, self.groups, strict=True)):
            return False
        counts: dict[tuple[bool, ...], int] = {}
        for c in available:
            t = self.type_of(c)
            counts[t] = counts.get(t, 0) + 1
        types = tuple(sorted(counts))
        avail = tuple(counts[t] for t in types)
        lows = tuple(g.low for g in self.groups)
        highs = tuple(g.high for g in self.groups)
        return _search(types, avail, places, have, lows, highs)

    def satisfied(self, elected: Collection[int]) -> bool:
        return self.feasible(elected, (), 0)

    def doomed(self, elected: Sequence[int], hopefuls: Sequence[int], places: int) -> list[int]:
        """Hopefuls whose election would leave the constraints impossible to meet."""
        out = []
        verdict: dict[tuple[bool, ...], bool] = {}
        for c in hopefuls:
            t = self.type_of(c)
            if t not in verdict:
                rest = [h for h in hopefuls if h != c]
                verdict[t] = not self.feasible([*elected, c], rest, places - 1)
            if verdict[t]:
                out.append(c)
        return out

    def guarded(self, elected: Sequence[int], hopefuls: Sequence[int], places: int) -> set[int]:
        """Hopefuls without whom the constraints cannot be met: never to be excluded."""
        out = set()
        verdict: dict[tuple[bool, ...], bool] = {}
        for c in hopefuls:
            t = self.type_of(c)
            if t not in verdict:
                rest = [h for h in hopefuls if h != c]
                verdict[t] = not self.feasible(elected, rest, places)
            if verdict[t]:
                out.add(c)
        return out

    # ---- before the count ------------------------------------------------------------------
    def check(self, standing: Sequence[int], places: int) -> None:
        """Refuse a count whose constraints the candidates standing cannot meet (one clear sentence)."""
        if self.feasible((), standing, places):
            return
        for g in self.groups:
            con = g.constraint
            inside = sum(1 for c in standing if c in g.members)
            outside = len(standing) - inside
            label = f"{con.category} {con.value}"
            sitting = f" ({con.sitting} already sitting)" if con.sitting else ""
            if g.low > inside:
                raise CountError(
                    f"The contest needs at least {con.minimum} with {label}{sitting} but only {inside} "
                    f"{'is' if inside == 1 else 'are'} standing; add candidates, or change the constraint.")
            if g.low > places:
                raise CountError(
                    f"The contest needs at least {con.minimum} with {label}{sitting} but has only {places} "
                    f"place{'s' if places != 1 else ''}; change the constraint or the number of places.")
            if g.high < 0:
                raise CountError(
                    f"At most {con.maximum} with {label} may sit, but {con.sitting} already do; "
                    "change the constraint.")
            if outside + g.high < places:
                raise CountError(
                    f"At most {con.maximum} with {label}{sitting} may be elected, but only {outside} other "
                    f"candidates stand for {places} places; add candidates, or change the constraint.")
        raise CountError("The constraints cannot all be met together by the candidates standing ("
                         + "; ".join(words(g.constraint) for g in self.groups)
                         + "); add candidates, or change the constraints.")


@lru_cache(maxsize=65536)
def _search(types: tuple[tuple[bool, ...], ...], avail: tuple[int, ...], places: int, have: tuple[int, ...],
            lows: tuple[int, ...], highs: tuple[int, ...]) -> bool:
    """Choose n_t <= avail_t per type, summing to `places`, keeping every group within [low, high]."""
    if not types:
        return places == 0 and all(lo <= h <= hi for h, lo, hi in zip(have, lows, highs, strict=True))
    # bounds: what the remaining types can still add to each group
    for gi, (h, lo, hi) in enumerate(zip(have, lows, highs, strict=True)):
        can_add = sum(min(a, places) for t, a in zip(types, avail, strict=True) if t[gi])
        others = sum(a for t, a in zip(types, avail, strict=True) if not t[gi])
        must_add = max(0, places - others)
        if h + can_add < lo or h + must_add > hi:
            return False
    if sum(avail) < places:
        return False
    t, a = types[0], avail[0]
    for n in range(min(a, places), -1, -1):
        new_have = tuple(h + (n if inside else 0) for h, inside in zip(have, t, strict=True))
        if _search(types[1:], avail[1:], places - n, new_have, lows, highs):
            return True
    return False


def check(election: Election) -> None:
    """The up-front feasibility check every method runs when the election has constraints."""
    if election.constraints:
        Constraints(election).check(election.standing, election.seats)


# ---- Lib Dem larger/smaller committee method (party rules since 1988) ---------------------------------
Counter = Callable[[Election], Result]


def libdem_committee(run: Counter, election: Election) -> Result:
    """Ordinary count; if it breaks a constraint, declare elected the under-represented candidates who
    would have been elected to a larger committee, and not elected the over-represented who would not
    have been elected to a smaller one (Liberal Democrat committee election regulations, since 1988).

    Applies to one minimum constraint at a time (the usual gender-balance case); `run` counts the
    election (without constraints) for a given number of places.
    """
    plain = replace(election, constraints=())
    base = run(plain)

    def sized(e: Election) -> Result:  # the same count for another size of committee, with a clear refusal
        try:
            return run(e)
        except CountError as exc:
            raise CountError(f"The larger/smaller committee method needs counts for {e.seats} places, which this "
                             f"rule refuses ({exc}); use constraint_method: guard_doom.") from None
    rules = Constraints(election)
    index = {n: i for i, n in enumerate(election.names)}
    elected = [index[n] for n in base.elected]
    notes: list[str] = []
    standing = election.standing
    for g in rules.groups:
        have = sum(1 for c in elected if c in g.members)
        deficit = g.low - have
        if deficit <= 0:
            continue
        added: list[int] = []
        places = election.seats
        while len(added) < deficit and places < len(standing) - 1:
            places += 1
            larger = [index[n] for n in sized(replace(plain, seats=places)).elected]
            for c in larger:
                if c in g.members and c not in elected and c not in added and len(added) < deficit:
                    added.append(c)
        removed: list[int] = []
        places = election.seats
        while len(removed) < len(added) and places > 1:
            places -= 1
            smaller = {index[n] for n in sized(replace(plain, seats=places)).elected}
            for c in reversed(elected):
                if c not in g.members and c not in smaller and c not in removed and len(removed) < len(added):
                    removed.append(c)
        if len(added) < deficit or len(removed) < len(added):
            raise CountError(f"The larger/smaller committee counts could not meet {words(g.constraint)}; "
                             "count with constraint_method: guard_doom instead.")
        elected = [c for c in elected if c not in removed] + added
        notes.append(f"{words(g.constraint)}: {', '.join(election.names[c] for c in added)} "
                     f"would be elected to a larger committee and {'is' if len(added) == 1 else 'are'} declared "
                     f"elected; {', '.join(election.names[c] for c in removed)} would not be elected to a "
                     f"smaller committee and {'is' if len(removed) == 1 else 'are'} not elected.")
    if not rules.satisfied(elected):  # a maximum, or minimums that the added candidates undo: never declared
        raise CountError("The larger/smaller committee method does not meet "
                         + "; ".join(words(g.constraint) for g in rules.groups)
                         + " here; count with constraint_method: guard_doom instead.")
    if not notes:
        return replace(base, parameters={**base.parameters, "constraint_method": "libdem_committee"})
    last = base.stages[-1]
    names = tuple(election.names[c] for c in elected)
    stage = Stage(
        number=last.number + 1, action="constraint", subjects=(), votes=dict(last.votes), exhausted=last.exhausted,
        rounding_loss=last.rounding_loss, quota=last.quota,
        elected=tuple(n for n in names if n not in base.elected),
        excluded=tuple(n for n in base.elected if n not in names),
        reason="The count above does not meet the constraints. " + " ".join(notes),
        constraints_applied=tuple(notes),
    )
    return replace(base, elected=names, stages=(*base.stages, stage),
                   parameters={**base.parameters, "constraint_method": "libdem_committee"})


# ---- ordered lists (Lib Dem and Green lists) ---------------------------------------------------------
def ordered_list(run: Counter, election: Election) -> list[tuple[int, str, str]]:
    """Positions 1..n from repeated counts for n, n-1, ..., 1 places: the candidate who drops out at each
    step takes the next place down. Returns (position, name, note) in order, position 1 first."""
    counts = {n: run(replace(election, seats=n)).elected for n in range(1, election.seats + 1)}
    places: list[tuple[int, str, str]] = []
    for n in range(election.seats, 0, -1):
        here = counts[n]
        below = set(counts[n - 1]) if n > 1 else set()
        taken = {name for _, name, _ in places}
        dropped = [name for name in here if name not in below and name not in taken]
        note = ""
        if len(dropped) != 1:
            # the smaller count is not nested in the larger one: the lowest-placed of those not yet listed
            rest = [name for name in here if name not in taken]
            dropped = rest[-1:]
            note = f"the counts for {n} and {n - 1} places are not nested; placed by order of election"
        places.append((n, dropped[0], note))
    return sorted(places)


# ---- one place, for rules without the guard/doom hooks (AV) ---------------------------------------
def single_place(run: Counter, election: Election) -> Result:
    """With one place, guard/doom reduces to this: every candidate whose election would break a constraint
    is doomed from the start and excluded before any other exclusion; as papers then move at full value,
    the count is the rule's own count with them off the paper. They are listed as withdrawn, and the
    first stage and the parameters say why."""
    rules = Constraints(election)
    doomed = rules.doomed((), election.standing, election.seats)
    if not doomed:
        return run(replace(election, constraints=()))
    who = ", ".join(election.names[c] for c in doomed)
    rule_words = "; ".join(words(g.constraint) for g in rules.groups)
    base = run(replace(election, withdrawn=election.withdrawn | frozenset(doomed), constraints=()))
    note = f"doomed before the count (electing them would break {rule_words}): {who}"
    first = base.stages[0]
    first = replace(first, constraints_applied=(note, *first.constraints_applied),
                    reason=f"{who} cannot be elected within {rule_words}: their papers count for their next "
                           f"preference, as if they were not standing. " + first.reason)
    return replace(base, stages=(first, *base.stages[1:]),
                   parameters={**base.parameters, "doomed_before_count": [election.names[c] for c in doomed]})


def ordered_positions(run: Counter, election: Election) -> list[dict[str, object]]:
    """`ordered_list` as plain data for Result.parameters (option `ordered_list: true`)."""
    return [{"position": p, "name": n, **({"note": note} if note else {})} for p, n, note in ordered_list(run, election)]
