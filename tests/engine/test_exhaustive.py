"""Exhaustive ballot in rounds."""

from __future__ import annotations

import pytest

from opensel_desktop.contest.kinds import validate_section
from opensel_desktop.engine import Ballots, CountError, Election, NeedsLot, chain_ties, count

NAMES = ("Ann", "Bob", "Cat", "Dan")


def election(rounds: list, seats: int = 1, names=NAMES, **options) -> Election:
    problems: list = []
    value = validate_section("rounds", rounds, names, lambda p, m: problems.append((p, m)))
    assert problems == []
    return Election(names=names, seats=seats, ballots=Ballots.from_rankings([]), options=options,
                    extra={"rounds": value})


def test_lowest_eliminated_each_round_until_a_majority():
    r = count("exhaustive", election([
        {"votes": {"Ann": 30, "Bob": 25, "Cat": 20, "Dan": 10}, "rejected": {"unmarked": 2},
         "account": {"issued": 90, "spoilt": 1, "unused": 2}},
        {"votes": {"Ann": 34, "Bob": 30, "Cat": 21}},
        {"votes": {"Ann": 40, "Bob": 44}},
    ]))
    assert r.elected == ("Bob",)
    assert [s.excluded for s in r.stages] == [("Dan",), ("Cat",), ()]
    assert [s.action for s in r.stages] == ["round", "round", "round"]
    assert [s.quota for s in r.stages] == [43, 43, 43]  # more than half of 85, 85 and 84 valid votes
    assert r.stages[0].votes == {"Ann": 30, "Bob": 25, "Cat": 20, "Dan": 10}
    assert r.stages[2].votes["Cat"] == 0
    assert r.parameters["rounds"][0]["account"] == {"issued": 90, "spoilt": 1, "unused": 2}


def test_exactly_half_is_not_a_majority_of_valid_votes_but_is_with_cast_base_ge():
    rounds = [{"votes": {"Ann": 40, "Bob": 30, "Cat": 10}}]
    assert count("exhaustive", election(rounds)).elected == ()
    r = count("exhaustive", election(rounds, majority_test="ge"))
    assert r.elected == ("Ann",)


def test_majority_of_ballots_cast_counts_rejected_papers():
    rounds = [{"votes": {"Ann": 41, "Bob": 30, "Cat": 9}, "rejected": {"unmarked": 3}}]
    assert count("exhaustive", election(rounds)).elected == ("Ann",)  # 41 > 80/2
    r = count("exhaustive", election(rounds, majority_of="cast"))
    assert r.elected == () and r.stages[0].quota == 42  # more than half of 83


def test_incomplete_rounds_say_who_the_next_round_is_among():
    r = count("exhaustive", election([{"votes": {"Ann": 30, "Bob": 25, "Cat": 20, "Dan": 10}}]))
    assert r.elected == ()
    assert r.decision == {"outcome": "another round needed", "round": 2, "among": ["Ann", "Bob", "Cat"],
                          "places_left": 1}


def test_withdrawal_between_rounds():
    r = count("exhaustive", election([
        {"votes": {"Ann": 30, "Bob": 25, "Cat": 20, "Dan": 10}},
        {"withdraw": ["Cat"], "votes": {"Ann": 40, "Bob": 45}},
    ]))
    assert r.elected == ("Bob",)
    assert "Cat withdrew" in r.stages[1].reason


def test_votes_for_an_eliminated_candidate_are_refused():
    with pytest.raises(CountError, match="Dan, who is no longer a candidate"):
        count("exhaustive", election([
            {"votes": {"Ann": 30, "Bob": 25, "Cat": 20, "Dan": 10}},
            {"votes": {"Ann": 30, "Bob": 25, "Cat": 20, "Dan": 10}},
        ]))


def test_elimination_tie_goes_to_previous_round_then_lot():
    r = count("exhaustive", election([
        {"votes": {"Ann": 30, "Bob": 25, "Cat": 12, "Dan": 10}},
        {"votes": {"Ann": 30, "Bob": 17, "Cat": 17}},
    ]))
    assert r.stages[1].excluded == ("Cat",)  # Cat had fewer in round 1
    tied = election([{"votes": {"Ann": 30, "Bob": 25, "Cat": 10, "Dan": 10}}])
    with pytest.raises(NeedsLot):
        count("exhaustive", tied)
    r = count("exhaustive", tied, chain_ties(seed="7"))
    assert r.lots and set(r.lots[0].among) == {"Cat", "Dan"}
    assert r.stages[0].excluded == (r.lots[0].chosen,)


def test_safe_bulk_elimination_lt_and_le():
    assert count("exhaustive", election([{"votes": {"Ann": 40, "Bob": 21, "Cat": 12, "Dan": 8}}],
                                        bulk_exclusion=True)).stages[0].excluded == ("Dan", "Cat")
    rounds = [{"votes": {"Ann": 40, "Bob": 20, "Cat": 12, "Dan": 8}}]
    # 12 + 8 = 20 equals Bob: only `le` lets them go together
    assert count("exhaustive", election(rounds, bulk_exclusion=True, bulk_exclusion_test="lt")).stages[0].excluded \
        == ("Dan",)
    assert count("exhaustive", election(rounds, bulk_exclusion=True, bulk_exclusion_test="le")).stages[0].excluded \
        == ("Dan", "Cat")
    # the group never takes the contest down to the last candidate
    two = [{"votes": {"Ann": 60, "Bob": 20, "Cat": 12, "Dan": 8}}]
    r = count("exhaustive", election(two, bulk_exclusion=True, bulk_exclusion_test="le", majority_test="ge",
                                     majority_of="cast"))
    assert r.elected == ("Ann",)


def test_multi_seat_eliminating_ballot_half_of_ballots_cast():
    names = ("Ann", "Bob", "Cat", "Dan", "Eve")
    r = count("exhaustive", election([
        {"papers": 58, "votes": {"Ann": 40, "Bob": 28, "Cat": 25, "Dan": 15, "Eve": 8}, "rejected": {"unmarked": 2}},
        {"papers": 58, "votes": {"Bob": 30, "Cat": 20, "Dan": 8}},
    ], seats=2, names=names))
    # round 1: half of 60 ballots cast is 30: Ann is elected, Eve (lowest) eliminated;
    # round 2 (one vote per paper now): Bob has 30 of 58 and is elected
    assert [s.quota for s in r.stages] == [30, 29]  # half of 60, then of 58 ballots cast
    assert [(s.elected, s.excluded) for s in r.stages] == [(("Ann",), ("Eve",)), (("Bob",), ())]
    assert r.elected == ("Ann", "Bob")


def test_multi_seat_needs_paper_numbers():
    with pytest.raises(CountError, match="papers"):
        count("exhaustive", election([{"votes": {"Ann": 40, "Bob": 30, "Cat": 25}}], seats=2))


def test_round_section_problems_are_located():
    problems: list = []
    validate_section("rounds", [
        {"votes": {"Zed": 3, "Ann": -1}, "account": {"issued": 10, "spoilt": 0, "unused": 0}},
        {"votes": {"Ann": 3}, "withdraw": ["Ann"], "colour": "red"},
    ], NAMES, lambda p, m: problems.append((p, m)))
    where = [p for p, _ in problems]
    assert (0, "votes", "Zed") in where and (0, "votes", "Ann") in where and (0, "account") in where
    assert (1, "withdraw", 0) in where and (1, "colour") in where


def test_eliminating_ballot_with_a_minimum_protects_the_women():
    from opensel_desktop.engine.model import Constraint

    names = ("M1", "M2", "M3", "W1", "W2")
    e = election([{"papers": 50, "votes": {"M1": 30, "M2": 20, "M3": 15, "W1": 10, "W2": 5}}], seats=2, names=names)
    e = Election(names=e.names, seats=2, ballots=e.ballots, extra=e.extra,
                 categories=tuple({"gender": "woman" if n[0] == "W" else "man"} for n in names),
                 constraints=(Constraint("gender", "woman", minimum=1),))
    r = count("exhaustive", e)
    # M1 has half the ballots cast; W2 (lowest) goes; the last place must go to a woman, so the men are doomed
    # and W1, the only woman left, is elected without another round
    assert r.elected == ("M1", "W1")
    assert set(r.stages[0].excluded) == {"W2", "M2", "M3"}
    assert any("doomed" in n for n in r.stages[0].constraints_applied)


def test_bulk_exclusion_also_takes_the_av_spelling():
    rounds = [{"votes": {"Ann": 40, "Bob": 20, "Cat": 12, "Dan": 8}}]
    assert count("exhaustive", election(rounds, bulk_exclusion="le")).stages[0].excluded == ("Dan", "Cat")
    assert count("exhaustive", election(rounds, bulk_exclusion="off")).stages[0].excluded == ("Dan",)


def test_round_command_reads_counts_by_name_or_unique_prefix():
    from opensel_desktop.app.errors import AppError
    from opensel_desktop.cli.round import parse_counts

    names = ("Ann Lee", "Bob Jones", "Bobby Tan")
    assert parse_counts("ann lee=40, Bob Jones=30 ,bobby=2", names, "m.osel") == \
        {"Ann Lee": 40, "Bob Jones": 30, "Bobby Tan": 2}
    for bad, words in [("Ann Lee=4x", "NAME=VOTES"), ("Bo=3", "several"), ("Zed=1", "not a candidate"),
                       ("Ann=1,ann lee=2", "twice"), ("", "empty")]:
        with pytest.raises(AppError, match=words):
            parse_counts(bad, names, "m.osel")
