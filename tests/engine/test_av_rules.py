"""`av` options worked by hand on small ballots: majority, bulk exclusion, tie rules."""

from __future__ import annotations

import pytest

from opensel_desktop.contest.result_io import result_json
from opensel_desktop.engine import Ballots, CountError, Election, NeedsLot, count
from opensel_desktop.engine.ties import SeededLots


def election(rows: list[tuple[str, int]], names: str, **options: str) -> Election:
    """rows: ("AB", 3) = three papers ranking A then B; names: one letter per candidate."""
    ballots = Ballots.from_rankings(([names.index(ch) for ch in r], w) for r, w in rows)
    return Election(tuple(names), 1, ballots, options=dict(options))


# Stage 1: A 10, B 5, C 4, D 3, E 2 (24 valid, majority 13). E goes; both papers to C: B 5, C 6, D 3.
# D goes; one paper to B, two exhaust: A 10, B 6, C 6 (22 continuing, majority 12): B and C tie for last.
# Earlier stages: at stage 1 B > C (earliest difference excludes C); at stage 2 C > B (most recent excludes B).
HISTORY = [("A", 10), ("B", 5), ("C", 4), ("DB", 1), ("D", 2), ("EC", 2)]


@pytest.mark.parametrize(("ties", "out"), [("earliest", "C"), ("statutory", "C"), ("recent", "B"), ("labour", "C")])
def test_tie_rules_choose_who_is_excluded(ties: str, out: str) -> None:
    result = count("av", election(HISTORY, "ABCDE", ties=ties, bulk_exclusion="off"))
    third = result.stages[2].votes
    assert (third["A"], third["B"], third["C"]) == (10, 6, 6)
    assert result.stages[3].excluded == (out,)
    assert result.elected == ("A",)
    assert result.parameters["ties"] == ties
    assert not result.lots


def test_lot_rule_asks_for_a_lot_and_a_seed_reproduces_it() -> None:
    e = election(HISTORY, "ABCDE", ties="lot", bulk_exclusion="off")
    with pytest.raises(NeedsLot) as info:
        count("av", e)
    assert set(info.value.request.among) == {"B", "C"} and info.value.request.stage == 4
    one, two = count("av", e, SeededLots("7")), count("av", e, SeededLots("7"))
    assert result_json(one) == result_json(two)
    assert one.lots[0].seed == "7" and one.lots[0].chosen in ("B", "C")
    assert one.stages[3].excluded == (one.lots[0].chosen,)


def test_labour_higher_preferences_separate_equal_first_preferences() -> None:
    # A 6, B 3, C 3: B and C equal on first preferences; B has six second preferences, C none: C goes
    rows = [("AB", 6), ("B", 3), ("C", 3)]
    result = count("av", election(rows, "ABC", ties="labour"))
    assert result.stages[1].excluded == ("C",)
    assert result.elected == ("A",)
    # the statutory rule looks only at stage totals, equal here: a lot is needed
    with pytest.raises(NeedsLot):
        count("av", election(rows, "ABC", ties="statutory"))


def test_majority_of_continuing_votes_falls_as_papers_exhaust() -> None:
    result = count("av", election(HISTORY, "ABCDE", bulk_exclusion="off"))
    assert [s.quota for s in result.stages] == [13, 13, 12, 9]
    assert result.stages[-1].elected == ("A",)
    assert result.quota == 13


def test_majority_of_all_valid_votes_leaves_the_last_two_to_the_higher() -> None:
    result = count("av", election(HISTORY, "ABCDE", bulk_exclusion="off", majority="all_valid"))
    assert all(s.quota == 13 for s in result.stages)
    last = result.stages[-1]
    assert last.votes["A"] == 10 and last.elected == ("A",)  # 10 < 13, but only two remain
    assert "Two candidates remain" in last.reason


@pytest.mark.parametrize(("test", "first_out"), [("lt", ("C",)), ("le", ("C", "D")), ("off", ("C",))])
def test_bulk_exclusion_tests(test: str, first_out: tuple[str, ...]) -> None:
    # A 10, B 6, C 3, D 3: C + D = 6 is not below B (lt: no group) but not above it (le: both go)
    rows = [("A", 10), ("B", 6), ("C", 3), ("D", 2), ("DA", 1)]
    result = count("av", election(rows, "ABCD", bulk_exclusion=test), SeededLots(3))
    second = result.stages[1]
    if test == "le":
        assert second.action == "bulk_exclusion" and set(second.excluded) == set(first_out)
    else:
        assert second.action == "exclusion" and len(second.excluded) == 1
    assert result.elected == ("A",)


def test_bulk_exclusion_takes_the_largest_safe_group() -> None:
    # A 16, B 9, C 4, D 3, E 1 (33 valid, majority 17): E + D + C = 8 < 9, so all three go at once under lt
    rows = [("A", 16), ("B", 9), ("CB", 4), ("DB", 3), ("EB", 1)]
    result = count("av", election(rows, "ABCDE"))
    assert result.stages[1].action == "bulk_exclusion"
    assert set(result.stages[1].excluded) == {"C", "D", "E"}
    assert result.stages[1].votes["B"] == 17
    assert result.stages[1].elected == ("B",)  # 17 of 33 continuing votes


def test_av_fills_one_place_only() -> None:
    e = Election(("A", "B", "C"), 2, Ballots.from_rankings([([0], 1), ([1], 1)]))
    with pytest.raises(CountError, match="one place"):
        count("av", e)
    with pytest.raises(CountError, match="must be one of"):
        count("av", election([("A", 1), ("B", 2)], "ABC", ties="coin"))


def test_withdrawn_candidates_are_passed_over_and_papers_for_them_alone_exhaust() -> None:
    ballots = Ballots.from_rankings([([0], 4), ([1, 2], 3), ([1], 2), ([2], 2)])
    e = Election(("A", "B", "C"), 1, ballots, withdrawn=frozenset({1}))
    result = count("av", e)
    first = result.stages[0]
    assert "B" not in first.votes and first.votes == {"A": 4, "C": 5}
    assert first.non_transferable == 2 and result.valid_poll == 11
    assert result.elected == ("C",)
