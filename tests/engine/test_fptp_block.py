"""FPTP and block vote worked by hand (no outside reference exists for these)."""

from __future__ import annotations

import pytest

from opensel_desktop.contest.blt import parse_blt
from opensel_desktop.contest.result_io import result_json
from opensel_desktop.engine import Ballots, CountError, Election, NeedsLot, count
from opensel_desktop.engine.ties import SeededLots, TieOrder


def election(rows: list[tuple[str, int]], names: str, seats: int, withdrawn: str = "") -> Election:
    ballots = Ballots.from_rankings(([names.index(ch) for ch in r], w) for r, w in rows)
    return Election(tuple(names), seats, ballots, withdrawn=frozenset(names.index(c) for c in withdrawn))


def test_fptp_reads_the_first_preference_as_the_x_vote() -> None:
    result = count("fptp", election([("ABC", 5), ("BA", 3), ("C", 2), ("CAB", 1)], "ABC", 1))
    (stage,) = result.stages
    assert stage.action == "first" and stage.votes == {"A": 5, "B": 3, "C": 3}
    assert result.elected == ("A",) and result.quota == 0 and result.valid_poll == 11
    assert "B and C" in stage.reason and "no lot needed" in stage.reason  # a tie that decides nothing


def test_fptp_tie_for_the_place_is_decided_by_lot_on_its_own_stage() -> None:
    e = election([("A", 4), ("B", 4), ("C", 1)], "ABC", 1)
    with pytest.raises(NeedsLot) as info:
        count("fptp", e)
    assert set(info.value.request.among) == {"A", "B"} and info.value.request.purpose == "elect"
    result = count("fptp", e, SeededLots("2026"))
    first, lot = result.stages
    assert first.elected == () and lot.action == "lot"
    assert lot.votes == first.votes == {"A": 4, "B": 4, "C": 1}  # the totals stay the votes cast
    assert result.elected == (result.lots[0].chosen,) and "one more vote" in lot.reason
    assert result_json(result) == result_json(count("fptp", e, SeededLots("2026")))
    # a BLT [tie] order decides the same way every time: the earlier name wins a lot to elect
    assert count("fptp", e, TieOrder(["B", "A", "C"])).elected == ("B",)


def test_block_reads_the_first_n_preferences_as_x_votes() -> None:
    rows = [("ABC", 3), ("CA", 2), ("B", 1), ("DCBA", 2)]
    result = count("block", election(rows, "ABCD", 2), SeededLots(1))
    # A 3+2 = 5; B 3+1 = 4; C 2+2 = 4; D 2: the third and fourth preferences are not votes
    assert result.stages[0].votes == {"A": 5, "B": 4, "C": 4, "D": 2}
    assert result.stages[-1].action == "lot" and result.elected[0] == "A"  # B and C tie for place 2


def test_block_passes_over_withdrawn_candidates_and_counts_empty_papers_as_non_transferable() -> None:
    rows = [("ABC", 3), ("B", 2), ("CD", 1)]
    result = count("block", election(rows, "ABCD", 2, withdrawn="B"))
    stage = result.stages[0]
    assert stage.votes == {"A": 3, "C": 4, "D": 1}  # ABC counts A and C: B is not on the paper
    assert stage.non_transferable == 2 and result.valid_poll == 6
    assert result.elected == ("C", "A")


def test_block_tie_within_the_elected_needs_no_lot() -> None:
    result = count("block", election([("AB", 5), ("C", 1)], "ABC", 2))
    assert result.elected == ("A", "B") and not result.lots and len(result.stages) == 1


def test_block_lot_draws_one_place_at_a_time() -> None:
    e = election([("A", 9), ("B", 2), ("C", 2), ("D", 2)], "ABCD", 3)
    result = count("block", e, SeededLots("x"))
    assert result.elected[0] == "A" and len(result.elected) == 3 and len(result.lots) == 2
    assert result.lots[1].chosen not in (result.lots[0].chosen,)
    assert len(result.lots[1].among) == 2


def test_fptp_fills_one_place_and_both_refuse_an_uncontested_count() -> None:
    with pytest.raises(CountError, match="one place"):
        count("fptp", election([("A", 1)], "ABC", 2))
    with pytest.raises(CountError, match="unopposed"):
        count("block", election([("A", 1)], "ABC", 3))


def test_block_on_a_blt_file() -> None:
    blt = parse_blt(b'4 2\n4 1 2 0\n2 3 4 1 0\n1 4 0\n0\n"Ann"\n"Bob"\n"Cy ""the"" Red"\n"Di"\n"t"\n')
    result = count("block", Election(blt.names, blt.seats, blt.ballots))
    assert result.stages[0].votes == {"Ann": 4, "Bob": 4, 'Cy "the" Red': 2, "Di": 3}
    assert result.elected == ("Ann", "Bob") and result.rule_version.startswith("block-")
