"""Guard/doom inside ERS97, Meek and AV counts.

The expected winners of the worked examples are worked out by hand from the rules as docs/quotas-and-meetings.md states them
(the working is in each test's comment), not copied from our own output.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opensel_desktop.app.counting import count_file
from opensel_desktop.app.errors import AppError
from opensel_desktop.engine import Ballots, CountError, Election, NeedsLot, chain_ties, count
from opensel_desktop.engine.constraints import Constraints
from opensel_desktop.engine.model import Constraint
from opensel_desktop.engine.rules import WITHOUT_GUARD_DOOM


def election(rows: list[tuple[tuple[str, ...], int]], names: tuple[str, ...], seats: int,
             constraints: tuple[Constraint, ...], **options) -> Election:
    """Candidates named "Man X" / "Woman X"; `rows` are (ranking by name, number of papers)."""
    index = {n: i for i, n in enumerate(names)}
    ballots = Ballots.from_rankings((tuple(index[n] for n in ranking), w) for ranking, w in rows)
    return Election(names=names, seats=seats, ballots=ballots, options=options, constraints=constraints,
                    categories=tuple({"gender": n.split()[0].lower()} for n in names))


def notes(result) -> list[str]:
    return [n for s in result.stages for n in s.constraints_applied]


# ---- a man doomed: at most one man among three places -------------------------------------------------
DOOM_NAMES = ("Man A", "Man B", "Woman C", "Woman D", "Woman E")
DOOM_ROWS = [(("Man A",), 40), (("Man B", "Woman E"), 30), (("Woman C",), 15), (("Woman D",), 10),
             (("Woman E",), 5)]
AT_MOST_ONE_MAN = (Constraint("gender", "man", maximum=1),)


@pytest.mark.parametrize("rule", ["ers97", "meek"])
def test_a_man_over_the_quota_is_doomed_and_his_papers_elect_a_woman(rule):
    # 100 papers, 3 places: quota 25 (ERS97 5.1.6; Meek 25.000000001). Man A (40) and Man B (30) both reach it
    # at the first count. Without the constraint both are elected; with at most one man, Man A (higher) is
    # elected and Man B is doomed: excluded at once, his 30 papers go to Woman E (5 + 30 = 35, elected). Man A's
    # and Woman E's surpluses have no further preference, so the last place goes to Woman C (15) over Woman D
    # (10): ERS97 by 5.1.7(b) once the surpluses are gone (active vote 25 / 2), Meek as the quota falls.
    plain = count(rule, election(DOOM_ROWS, DOOM_NAMES, 3, ()))
    assert {"Man A", "Man B"} <= set(plain.elected)
    r = count(rule, election(DOOM_ROWS, DOOM_NAMES, 3, AT_MOST_ONE_MAN))
    assert r.elected == ("Man A", "Woman E", "Woman C")
    assert r.stages[0].elected == ("Man A",)
    assert any("doomed" in n and "Man B is not elected" in n for n in r.stages[0].constraints_applied)
    doom = [s for s in r.stages if s.action == "constraint"]
    assert len(doom) == 1 and doom[0].number == 2 and doom[0].excluded == ("Man B",)
    assert "Man B cannot be elected without breaking at most 1 with gender man" in doom[0].reason
    assert any(n.startswith("doomed") and n.endswith("Man B") for n in doom[0].constraints_applied)
    after = r.stages[2] if rule == "meek" else doom[0]  # Meek: an exclusion's votes pass on at the next stage
    assert after.votes["Woman E"] == 35 * 10 ** r.places and after.votes["Man B"] == 0


# ---- a woman guarded, then a man doomed: at least one woman among three places ------------------------
GUARD_NAMES = ("Man A", "Man B", "Man F", "Man G", "Woman C")
GUARD_ROWS = [(("Man A",), 24), (("Man B",), 23), (("Man F",), 21), (("Man G", "Man F"), 20),
              (("Woman C", "Man A"), 12)]
ONE_WOMAN = (Constraint("gender", "woman", minimum=1),)


@pytest.mark.parametrize("rule", ["ers97", "meek"])
def test_the_only_woman_is_guarded_and_the_last_man_doomed(rule):
    # quota 25; nobody reaches it. Woman C is lowest (12) and would be excluded first (her papers electing
    # Man A), so no woman would be elected. She is the only woman, hence guarded: Man G (20) goes instead, his
    # papers elect Man F (41). Man A (24) is elected next (ERS97 5.1.7(b): active vote 59 / 3; Meek: the quota
    # falls to 21 as Man F's keep factor drops). Electing Man B (23) would leave no place for a woman: doomed,
    # excluded, and Woman C takes the last place.
    plain = count(rule, election(GUARD_ROWS, GUARD_NAMES, 3, ()))
    assert "Woman C" not in plain.elected
    r = count(rule, election(GUARD_ROWS, GUARD_NAMES, 3, ONE_WOMAN))
    assert r.elected == ("Man F", "Man A", "Woman C")
    assert r.stages[1].action == "exclusion" and r.stages[1].excluded == ("Man G",)
    assert any(n.startswith("guarded") and "Woman C not excluded" in n for n in r.stages[1].constraints_applied)
    assert any("Man B is not elected" in n for n in notes(r))
    last = r.stages[-1]
    assert last.action == "constraint" and last.excluded == ("Man B",) and "Woman C" in last.elected


@pytest.mark.parametrize("variant", ["nz", "a123"])
def test_meek_variants_apply_the_same_constraints(variant):
    r = count("meek", election(GUARD_ROWS, GUARD_NAMES, 3, ONE_WOMAN, variant=variant))
    assert set(r.elected) == {"Man F", "Man A", "Woman C"}
    assert any(s.action == "constraint" and s.excluded == ("Man B",) for s in r.stages)


def test_ers97_with_one_place_counts_the_doomed_first_and_shows_their_votes():
    # one place for a woman: Man A's 40 first preferences are shown, then he is doomed; his papers go on to
    # Woman D (30 + 40 = 70 of 100), who is elected in the same stage; the place is filled, so Woman C is
    # formally excluded there too (5.5.2)
    names = ("Man A", "Woman C", "Woman D")
    rows = [(("Man A", "Woman D"), 40), (("Woman C",), 30), (("Woman D",), 30)]
    r = count("ers97", election(rows, names, 1, ONE_WOMAN))
    assert r.elected == ("Woman D",)
    assert r.stages[0].votes["Man A"] == 4000 and r.withdrawn == ()
    assert r.stages[1].action == "constraint" and r.stages[1].subjects == ("Man A",)
    assert r.stages[1].excluded == ("Man A", "Woman C") and r.stages[1].elected == ("Woman D",)


def test_av_doomed_candidate_with_a_majority_is_not_elected_and_his_papers_move():
    # one place, at least one woman: M1 has 60 of 100 first preferences but is doomed; stage 2 excludes him
    # and his papers go to W2 (10 + 60 = 70), a majority
    names = ("Man 1", "Woman 1", "Woman 2")
    rows = [(("Man 1", "Woman 2"), 60), (("Woman 1",), 30), (("Woman 2",), 10)]
    r = count("av", election(rows, names, 1, ONE_WOMAN))
    assert r.elected == ("Woman 2",)
    assert r.stages[0].votes == {"Man 1": 60, "Woman 1": 30, "Woman 2": 10} and not r.stages[0].elected
    assert "cannot be elected" in r.stages[0].reason
    assert r.stages[1].action == "constraint" and r.stages[1].excluded == ("Man 1",)
    assert r.stages[1].votes["Woman 2"] == 70
    assert r.parameters["doomed_before_count"] == ["Man 1"]


def test_every_preferential_rule_now_applies_guard_doom_inside_the_count():
    assert WITHOUT_GUARD_DOOM == ()


# ---- properties -----------------------------------------------------------------------------------------
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
        cons.append(Constraint("r", "x", minimum=draw(st.integers(0, seats)),
                               maximum=draw(st.one_of(st.none(), st.integers(1, seats))),
                               sitting=draw(st.integers(0, 1))))
    rankings = draw(st.lists(st.tuples(st.permutations(range(n)).map(lambda p: tuple(p[: max(1, len(p) // 2)])),
                                       st.integers(1, 9)), min_size=1, max_size=12))
    return Election(names=names, seats=seats, ballots=Ballots.from_rankings(rankings), categories=cats,
                    constraints=tuple(cons))


RULES = ["scottish", "wigm", "ers97", "meek", "av"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(constrained_elections(), st.sampled_from(RULES))
def test_results_satisfy_constraints_whenever_the_candidates_allow_and_votes_are_conserved(e, rule):
    if rule == "av":
        e = replace(e, seats=1)
    feasible = Constraints(e).feasible((), e.standing, e.seats)
    try:
        r = count(rule, e, chain_ties(seed="prop"))
    except CountError as exc:
        assert not feasible, str(exc)
        return
    assert feasible
    index = {n: i for i, n in enumerate(e.names)}
    assert len(r.elected) == e.seats
    assert Constraints(e).satisfied([index[n] for n in r.elected])
    for stage in r.stages:
        assert sum(stage.votes.values()) + stage.non_transferable == r.valid_poll, (rule, stage.number)
        assert all(name in stage.reason for name in stage.subjects if stage.action == "constraint")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(constrained_elections(), st.sampled_from(["ers97", "meek", "av"]))
def test_a_constraint_that_never_binds_changes_nothing(e, rule):
    seats = 1 if rule == "av" else e.seats
    plain = replace(e, seats=seats, constraints=())
    loose = replace(plain, constraints=(Constraint("g", "w", minimum=0),))
    a, b = count(rule, plain, chain_ties(seed="p")), count(rule, loose, chain_ties(seed="p"))
    assert a.elected == b.elected
    assert [(s.action, s.votes, s.reason) for s in a.stages] == [(s.action, s.votes, s.reason) for s in b.stages]
    assert not notes(b)


# ---- refusals name the file on every loader path (one sentence naming the file) -----------
EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def test_an_impossible_constrained_contest_file_is_refused_naming_the_file(tmp_path: Path):
    # at most 3 women and at most 5 men cannot fill 9 places, though each constraint alone can be met
    text = (EXAMPLES / "stv-delegates.yaml").read_text(encoding="utf-8")
    text = text.replace("  options: {}\n", "  options: {}\nconstraints:\n  - {category: gender, value: woman, max: 3}\n"
                        "  - {category: gender, value: man, max: 5}\n", 1)
    path = tmp_path / "delegates.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AppError) as info:
        count_file(path)
    assert str(info.value).startswith(f"{path}: The constraints cannot all be met together")


def test_a_lot_needed_in_a_ballot_file_is_refused_naming_the_file(tmp_path: Path):
    path = tmp_path / "tie.blt"
    path.write_text('3 1\n1 1 0\n1 2 0\n1 3 0\n0\n"A"\n"B"\n"C"\n"Tie"\n', encoding="utf-8")
    with pytest.raises(AppError) as info:
        count_file(path, rule="scottish")
    assert str(info.value).startswith(f"{path}: A lot is needed at stage")
    assert isinstance(info.value.__cause__, NeedsLot)  # the request stays available to whoever draws the lot
    with pytest.raises(AppError, match=r"tie\.blt: The number of places must be at least 1"):
        count_file(path, rule="scottish", seats=0)
