"""Invariants of every count, checked by hypothesis (every promise tried on many generated elections).

* votes + non_transferable == valid poll at every stage, for every registered STV-family rule;
* the order of ballot rows does not change the result;
* the same input and seed give a byte-identical canonical JSON;
* with one place and no equal totals anywhere, `av` elects whom every STV rule elects;
* the BLT reader's fast path reads a file exactly as its line-by-line path does;
* Meek's collapsed effective rankings give exactly the votes every ballot read one by one gives.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opensel_desktop.contest import blt
from opensel_desktop.contest.result_io import result_json
from opensel_desktop.engine import RULES, Ballots, Election, count
from opensel_desktop.engine.rules.meek import UNIT, distribute
from opensel_desktop.engine.rules.meek_groups import EffectiveRankings
from opensel_desktop.engine.ties import SeededLots

STV = sorted(name for name, info in RULES.items() if info.family == "stv")
RANKED = sorted(set(STV) | {"fptp", "block"} & set(RULES))
NAMES = ("Ann", "Bob", "Cy", "Di", "Ed", "Flo", "Gus")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(draw, min_cand: int = 3, max_cand: int = 6) -> Election:
    n = draw(st.integers(min_cand, max_cand))
    ranking = st.permutations(list(range(n))).flatmap(lambda p: st.integers(1, n).map(lambda k: tuple(p[:k])))
    rows = draw(st.lists(st.tuples(ranking, st.integers(1, 40)), min_size=1, max_size=14))
    seats = draw(st.integers(1, n - 1))
    withdrawn = draw(st.sets(st.integers(0, n - 1), max_size=1)) if n > 3 else set()
    if seats >= n - len(withdrawn):
        seats = n - len(withdrawn) - 1
    return Election(NAMES[:n], seats, Ballots.from_rankings(rows), withdrawn=frozenset(withdrawn))


def for_rule(rule: str, e: Election) -> Election:
    # av and fptp fill one place
    if rule in ("av", "fptp") and e.seats != 1:
        return Election(e.names, 1, e.ballots, e.withdrawn)
    return e


@pytest.mark.parametrize("rule", STV)
@SETTINGS
@given(e=elections())
def test_votes_are_conserved_at_every_stage(rule: str, e: Election) -> None:
    result = count(rule, for_rule(rule, e), SeededLots("conservation"))
    for stage in result.stages:
        assert sum(stage.votes.values()) + stage.non_transferable == result.valid_poll, f"stage {stage.number}"
    assert len(result.elected) == result.seats
    assert len(set(result.elected)) == len(result.elected)


@pytest.mark.parametrize("rule", RANKED)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(e=elections(), data=st.data())
def test_ballot_row_order_is_irrelevant_and_a_seed_reproduces_the_count(rule: str, e: Election, data) -> None:
    e = for_rule(rule, e)
    rows = e.ballots.rankings()
    shuffled = data.draw(st.permutations(rows))
    other = Election(e.names, e.seats, Ballots.from_rankings(shuffled), e.withdrawn)
    first = result_json(count(rule, e, SeededLots("order")))
    assert result_json(count(rule, other, SeededLots("order"))) == first
    assert result_json(count(rule, e, SeededLots("order"))) == first


@st.composite
def tie_free_single_seat(draw) -> Election:
    """Distinct powers of two as row weights: no two sets of rows have the same total, so no two candidates
    with papers can be equal; each candidate has a first preference of their own, so none sits at 0."""
    n = draw(st.integers(3, 6))
    ranking = st.permutations(list(range(n))).flatmap(lambda p: st.integers(1, n).map(lambda k: tuple(p[:k])))
    extra = draw(st.lists(ranking, max_size=9))
    rows = [(c,) for c in range(n)] + extra
    powers = draw(st.permutations(list(range(len(rows)))))
    return Election(NAMES[:n], 1, Ballots.from_rankings((r, 2**k) for r, k in zip(rows, powers, strict=True)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(e=tie_free_single_seat())
def test_av_elects_whom_every_stv_rule_elects_with_one_place(e: Election) -> None:
    winner = count("av", e).elected
    for rule in STV:
        assert count(rule, e).elected == winner, rule


@SETTINGS
@given(e=elections(min_cand=2, max_cand=7))
def test_blt_fast_path_reads_the_same_ballots_as_the_line_by_line_path(e: Election) -> None:
    text = blt.write_blt(blt.BltFile(e.names, e.seats, e.ballots, e.withdrawn, "t")).encode()
    fast = blt.parse_blt(text)
    slow = blt.parse_blt(text, fast=False).ballots
    assert fast.ballots.rankings() == slow.rankings() == e.ballots.rankings()
    assert fast.ballots.prefs.dtype == slow.prefs.dtype and fast.ballots.weights.dtype == slow.weights.dtype


@SETTINGS
@given(e=elections(min_cand=3, max_cand=7), data=st.data())
def test_meek_effective_rankings_give_exactly_the_votes_of_every_ballot(e: Election, data) -> None:
    """Candidates leave the hopefuls in a random order, elected (with a random keep factor, up to 1.5) or
    excluded (keep factor 0), several at a time; after each change both readings give the same votes."""
    n = e.ncand
    state = ["withdrawn" if c in e.withdrawn else "hopeful" for c in range(n)]
    kf = np.array([0 if s == "withdrawn" else UNIT for s in state], dtype=np.int64)

    def masks() -> tuple[np.ndarray, np.ndarray]:
        return (np.array([s == "hopeful" for s in state]), np.array([s == "elected" for s in state]))

    groups = EffectiveRankings(e.ballots, n, masks()[0])
    prefs = e.ballots.prefs.astype(np.int64)
    while True:
        groups.update(*masks())
        assert np.array_equal(distribute(*groups.table(), kf), distribute(prefs, e.ballots.weights, kf))
        assert int(groups.table()[1].sum()) == e.ballots.total
        hopeful = [c for c in range(n) if state[c] == "hopeful"]
        if not hopeful:
            break
        for c in data.draw(st.lists(st.sampled_from(hopeful), min_size=1, max_size=2, unique=True)):
            if data.draw(st.booleans()):
                state[c] = "elected"
                kf[c] = data.draw(st.integers(UNIT // 5, UNIT * 3 // 2))
            else:
                state[c] = "excluded"
                kf[c] = 0
        for c in range(n):  # elected candidates' keep factors move at every iteration
            if state[c] == "elected":
                kf[c] = data.draw(st.integers(UNIT // 5, UNIT * 3 // 2))
