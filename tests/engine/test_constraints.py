"""Category constraints (guards, reserved places, regional minimums, committee methods; docs/quotas-and-meetings.md).

The expected winners below are worked out by hand from the rules as docs/quotas-and-meetings.md states them (every ballot
here is a single preference, so no transfer can change the order), not copied from our own output.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opensel_desktop.engine import Ballots, CountError, Election, count
from opensel_desktop.engine.constraints import Constraints, ordered_list
from opensel_desktop.engine.model import Constraint
from opensel_desktop.engine.rules import RULES

WOMAN = {"gender": "woman"}
MAN = {"gender": "man"}


def election(first_prefs: dict[str, int], cats: dict[str, dict[str, str]], seats: int,
             constraints: tuple[Constraint, ...], **options) -> Election:
    names = tuple(first_prefs)
    ballots = Ballots.from_rankings(((i,), n) for i, n in enumerate(first_prefs.values()))
    return Election(names=names, seats=seats, ballots=ballots, categories=tuple(cats[n] for n in names),
                    constraints=constraints, options=options)


# ---- Young Labour: reserved place for a woman, then an open place ------------------
YOUNG_LABOUR = {"Woman A": 120, "Man B": 100, "Woman C": 90, "Man D": 40}
YL_CATS = {"Woman A": WOMAN, "Man B": MAN, "Woman C": WOMAN, "Man D": MAN}
ONE_WOMAN = (Constraint("gender", "woman", minimum=1),)


@pytest.mark.parametrize("rule", ["block", "scottish", "wigm"])
def test_young_labour_reserved_place_goes_to_the_top_woman_then_the_open_place_to_anyone(rule):
    r = count(rule, election(YOUNG_LABOUR, YL_CATS, 2, ONE_WOMAN))
    assert set(r.elected) == {"Woman A", "Man B"}


def test_young_labour_working_is_recorded_and_open_first_reproduces_the_wrong_declaration():
    r = count("block", election(YOUNG_LABOUR, YL_CATS, 2, ONE_WOMAN))
    assert r.elected == ("Woman A", "Man B")
    assert r.parameters["constraint_order"] == "reserved_first"
    assert any("reserved for gender: woman" in note and "Woman A" in note for note in r.stages[0].constraints_applied)
    wrong = count("block", election(YOUNG_LABOUR, YL_CATS, 2, ONE_WOMAN, constraint_order="open_first"))
    assert set(wrong.elected) == {"Woman A", "Woman C"}  # what the officials first declared


# ---- NCC: per-election quota vs the whole body ---------------------------------------
NCC = {"Man 1": 300, "Man 2": 280, "Man 3": 260, "Woman 1": 100, "Woman 2": 90}
NCC_CATS = {n: (WOMAN if n.startswith("Woman") else MAN) for n in NCC}


@pytest.mark.parametrize("rule", ["block", "scottish"])
def test_ncc_two_of_three_women_per_election(rule):
    r = count(rule, election(NCC, NCC_CATS, 3, (Constraint("gender", "woman", minimum=2),)))
    assert set(r.elected) == {"Man 1", "Woman 1", "Woman 2"}


@pytest.mark.parametrize("rule", ["block", "scottish"])
def test_ncc_quota_on_the_whole_body_counts_sitting_members_so_three_men_are_elected(rule):
    # a body of 11 that needs at least 5 women, 5 of whom already sit and are not up for election
    whole = (Constraint("gender", "woman", minimum=5, sitting=5),)
    r = count(rule, election(NCC, NCC_CATS, 3, whole))
    assert set(r.elected) == {"Man 1", "Man 2", "Man 3"}


# ---- Momentum-style regional minimums --------------------------------------------------
LONDON = {"M1": 200, "M2": 190, "M3": 180, "M4": 170, "M5": 160, "W1": 150, "W2": 140, "W3": 60, "W4": 50,
          "M6": 40}
LONDON_CATS = {n: {"gender": "woman" if n[0] == "W" else "man",
                   "bame": "yes" if n in ("M5", "W1", "M6") else "no"} for n in LONDON}
LONDON_RULES = (Constraint("gender", "woman", minimum=3), Constraint("bame", "yes", minimum=2))


@pytest.mark.parametrize("rule", ["scottish", "wigm", "block"])
def test_london_and_eastern_six_places_three_women_two_bame(rule):
    r = count(rule, election(LONDON, LONDON_CATS, 6, LONDON_RULES))
    # the three highest women (W1 also BAME), the next BAME (M5), then the two highest remaining (M1, M2)
    assert set(r.elected) == {"M1", "M2", "M5", "W1", "W2", "W3"}


def test_stv_stage_log_says_when_a_guard_acted_and_on_whom():
    r = count("scottish", election(LONDON, LONDON_CATS, 6, LONDON_RULES))
    notes = [n for s in r.stages for n in s.constraints_applied]
    assert any("guarded" in n and "W3" in n for n in notes)
    assert r.stages[0].action == "first"


def test_stv_doomed_candidate_is_excluded_in_a_constraint_stage():
    # at most 1 man: once Man 1 is elected on the first count, every other man is doomed
    votes = {"Man 1": 300, "Man 2": 250, "Woman 1": 100, "Woman 2": 90, "Woman 3": 80}
    cats = {n: (WOMAN if n.startswith("Woman") else MAN) for n in votes}
    r = count("scottish", election(votes, cats, 3, (Constraint("gender", "man", maximum=1),)))
    assert set(r.elected) == {"Man 1", "Woman 1", "Woman 2"}
    doom = [s for s in r.stages if s.action == "constraint"]
    assert doom and doom[0].excluded == ("Man 2",)
    assert "doomed" in doom[0].constraints_applied[0]


def test_south_west_three_places_two_women():
    votes = {"M1": 90, "M2": 80, "M3": 70, "W1": 60, "W2": 20, "W3": 10}
    cats = {n: (WOMAN if n[0] == "W" else MAN) for n in votes}
    r = count("scottish", election(votes, cats, 3, (Constraint("gender", "woman", minimum=2),)))
    assert set(r.elected) == {"M1", "W1", "W2"}


def test_wales_one_place_must_be_a_woman():
    votes = {"M1": 90, "W1": 40, "W2": 30}
    cats = {n: (WOMAN if n[0] == "W" else MAN) for n in votes}
    r = count("fptp", election(votes, cats, 1, (Constraint("gender", "woman", minimum=1),)))
    assert r.elected == ("W1",)


# ---- refused before counting ------------------------------------------------------------------------
def test_impossible_minimum_is_refused_with_one_sentence():
    votes = {"M1": 9, "M2": 8, "W1": 7, "W2": 6}
    cats = {n: (WOMAN if n[0] == "W" else MAN) for n in votes}
    with pytest.raises(CountError, match="needs at least 3 with gender woman but only 2 are standing"):
        count("scottish", election(votes, cats, 3, (Constraint("gender", "woman", minimum=3),)))
    with pytest.raises(CountError, match="only 1 other"):
        count("block", election({"M1": 9, "M2": 8, "W1": 7}, {"M1": MAN, "M2": MAN, "W1": WOMAN}, 2,
                                (Constraint("gender", "man", maximum=0),)))


def test_rules_without_guard_doom_never_declare_a_non_compliant_result():
    votes = {"M1": 90, "M2": 80, "M3": 70, "W1": 10, "W2": 5}
    cats = {n: (WOMAN if n[0] == "W" else MAN) for n in votes}
    e = election(votes, cats, 3, (Constraint("gender", "woman", minimum=1),))
    for rule in RULES:
        if RULES[rule].family == "meeting" or rule == "exhaustive":
            continue
        try:
            r = count(rule, e if rule != "av" and rule != "fptp" else election(votes, cats, 1, e.constraints))
        except CountError:
            continue
        index = {n: i for i, n in enumerate(votes)}
        assert Constraints(e).satisfied([index[n] for n in r.elected]) or rule in ("av", "fptp") and \
            any(n.startswith("W") for n in r.elected), rule


# ---- Lib Dem larger/smaller committee method -----------------------------------------
def test_libdem_larger_smaller_committee():
    votes = {"M1": 90, "M2": 80, "M3": 70, "W1": 60, "W2": 50, "M4": 40}
    cats = {n: (WOMAN if n[0] == "W" else MAN) for n in votes}
    r = count("scottish", election(votes, cats, 3, (Constraint("gender", "woman", minimum=1),),
                                   constraint_method="libdem_committee"))
    # ordinary count: M1, M2, M3; a 4-place count adds W1; a 2-place count drops M3
    assert set(r.elected) == {"M1", "M2", "W1"}
    assert r.stages[-1].action == "constraint"
    assert r.stages[-1].elected == ("W1",) and r.stages[-1].excluded == ("M3",)


def test_ordered_list_from_repeated_counts():
    e = election({"A": 50, "B": 40, "C": 30, "D": 20, "E": 10}, {n: {} for n in "ABCDE"}, 3, ())
    places = ordered_list(lambda x: count("scottish", x), e)
    assert [(p, n) for p, n, _ in places] == [(1, "A"), (2, "B"), (3, "C")]


# ---- property: every declared result satisfies its constraints whenever the candidates allow ----------
@st.composite
def constrained_elections(draw):
    n = draw(st.integers(4, 7))
    names = tuple(f"C{i}" for i in range(n))
    cats = tuple({"g": draw(st.sampled_from("wm")), "r": draw(st.sampled_from("xy"))} for _ in names)
    seats = draw(st.integers(1, n - 1))
    cons = []
    if draw(st.booleans()):
        cons.append(Constraint("g", "w", minimum=draw(st.integers(0, seats)),
                               maximum=draw(st.one_of(st.none(), st.integers(0, seats)))))
    if draw(st.booleans()) or not cons:
        cons.append(Constraint("r", "x", minimum=draw(st.integers(0, seats)), sitting=draw(st.integers(0, 1))))
    rankings = draw(st.lists(st.tuples(st.permutations(range(n)).map(lambda p: tuple(p[: max(1, len(p) // 2)])),
                                       st.integers(1, 9)), min_size=1, max_size=12))
    return Election(names=names, seats=seats, ballots=Ballots.from_rankings(rankings), categories=cats,
                    constraints=tuple(cons))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(constrained_elections(), st.sampled_from(["scottish", "wigm", "block"]))
def test_declared_results_satisfy_constraints_whenever_possible(e, rule):
    from opensel_desktop.engine import chain_ties

    feasible = Constraints(e).feasible((), e.standing, e.seats)
    try:
        r = count(rule, e, chain_ties(seed="prop"))
    except CountError as exc:
        assert not feasible or "unopposed" in str(exc), str(exc)
        return
    assert feasible
    index = {n: i for i, n in enumerate(e.names)}
    assert len(r.elected) == e.seats
    assert Constraints(e).satisfied([index[n] for n in r.elected])
    for stage in r.stages if rule != "block" else ():  # STV constraint stages move papers like any other
        assert sum(stage.votes.values()) + stage.non_transferable == r.valid_poll


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(constrained_elections())
def test_libdem_committee_results_satisfy_constraints_or_are_refused(e):
    from dataclasses import replace

    from opensel_desktop.engine import chain_ties

    e = replace(e, options={"constraint_method": "libdem_committee"})
    try:
        r = count("scottish", e, chain_ties(seed="prop"))
    except CountError:
        return
    index = {n: i for i, n in enumerate(e.names)}
    assert len(r.elected) == e.seats
    assert Constraints(e).satisfied([index[n] for n in r.elected])


def test_av_one_place_must_be_a_woman_takes_the_men_off_first():
    # men doomed from the start; their papers go on to their next preference at full value
    names = ("M1", "W1", "W2", "M2")
    ballots = Ballots.from_rankings([((0, 2), 50), ((1,), 30), ((2,), 25), ((3, 1), 10)])
    cats = tuple(WOMAN if n[0] == "W" else MAN for n in names)
    e = Election(names=names, seats=1, ballots=ballots, categories=cats,
                 constraints=(Constraint("gender", "woman", minimum=1),))
    r = count("av", e)
    assert r.elected == ("W2",)  # W2 75 (25 + 50 from M1) against W1 40 (30 + 10 from M2)
    assert r.parameters["doomed_before_count"] == ["M1", "M2"]
    assert "doomed" in r.stages[0].constraints_applied[0]


def test_ordered_list_option_records_positions():
    e = election({"A": 50, "B": 40, "C": 30, "D": 20, "E": 10}, {n: {} for n in "ABCDE"}, 3, (),
                 ordered_list=True)
    r = count("scottish", e)
    assert [p["name"] for p in r.parameters["ordered_list"]] == ["A", "B", "C"]


def test_category_first_is_reserved_first():
    r = count("block", election(YOUNG_LABOUR, YL_CATS, 2, ONE_WOMAN, constraint_order="category_first"))
    assert r.elected == ("Woman A", "Man B")
