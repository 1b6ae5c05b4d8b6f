"""Where Droop 0.14 and our counts part company, on the small elections docs/engine-differences.md quotes.

Droop's figures in the comments were produced by running Droop 0.14 on these exact files (rules `scotland`,
`wigm-prf`, `wigm-prf-batch`); the tests assert our side of each difference.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from opensel_desktop.app.counting import election_from_blt
from opensel_desktop.engine import Election, count
from opensel_desktop.engine.ties import RecordedLots, lot_key

# Ann, Bob and Cat tie on 27 at stage 3. At stage 2 Ann and Bob had 25, Cat 26; at stage 1 Ann and Bob 24, Cat 23.
THREE_TIED = ('6 1\n24 1 3 0\n24 2 3 0\n23 3 6 0\n1 4 1 3 0\n1 4 2 3 0\n3 4 3 6 0\n2 5 1 3 0\n2 5 2 3 0\n'
              '1 5 3 6 0\n1 5 0\n30 6 0\n0\n"Ann"\n"Bob"\n"Cat"\n"Pat"\n"Quin"\n"Xan"\n"three tied"\n')
# B reaches the quota (4.0001) with A's surplus and fills the last place, with a surplus of its own.
LAST_PLACE = '4 2\n5 1 2 0\n4 2 3 0\n2 3 0\n1 4 0\n0\n"A"\n"B"\n"C"\n"D"\n"filled"\n'
# Dan is elected on first preferences (14 >= 13.5001), filling the only place.
SURE_LOSERS = ('4 1\n6 1 2 4 3 0\n2 2 3 4 1 0\n5 3 2 4 1 0\n14 4 3 0\n0\n"Ann"\n"Bob"\n"Cat"\n"Dan"\n'
               '"sure losers after the last place"\n')


def election(tmp_path: Path, text: str) -> Election:
    path = tmp_path / "case.blt"
    path.write_text(text, encoding="utf-8")
    return election_from_blt(path, None)[0]


@pytest.mark.parametrize("drawn", ["Ann", "Bob"])
def test_scottish_three_tied_the_lot_is_only_between_the_two_lowest_at_the_last_unequal_stage(tmp_path, drawn):
    """Droop: 'Break tie by prior stage: [Ann, Bob, Cat] -> Cat' (Cat was the single lowest at stage 1), then
    Cat's papers elect Xan. r.51(2)(a): at the most recent stage at which they differed (stage 2) Ann and Bob had
    the fewest, so the lot is between them, whichever way it falls, and their papers elect Cat."""
    e = election(tmp_path, THREE_TIED)
    result = count("scottish", e, RecordedLots({lot_key(4, "exclude", ("Ann", "Bob")): drawn}))
    assert [set(lot.among) for lot in result.lots] == [{"Ann", "Bob"}]
    assert result.stages[3].excluded == (drawn,)
    assert "so the lot was between them" in result.stages[3].reason
    assert result.elected == ("Cat",)


def test_wigm_stops_at_the_stage_that_fills_the_last_place(tmp_path):
    """Droop transfers B's surplus (0.9994) after B fills the last place and shows C at 2.7992; PRF B.1 tests
    "count complete" (D.3) first, so our last stage is the one on which B is elected, C still at 2.0000."""
    result = count("wigm", election(tmp_path, LAST_PLACE))
    assert [s.action for s in result.stages] == ["first", "surplus"]
    assert result.elected == ("A", "B")
    last = result.stages[-1]
    assert result.fmt(last.votes["B"]) == "4.9995" and result.fmt(last.votes["C"]) == "2.0000"


def test_wigm_sure_losers_are_not_defeated_once_the_places_are_filled(tmp_path):
    """Droop's batch variant defeats Bob as a sure loser after Dan fills the place and moves his 2 papers to Cat;
    our count is complete at the first stage."""
    e = election(tmp_path, SURE_LOSERS)
    result = count("wigm", replace(e, options={"defeat_sure_losers": True}))
    assert len(result.stages) == 1 and result.elected == ("Dan",)
    assert result.fmt(result.stages[0].votes["Cat"]) == "5.0000" and not result.stages[0].excluded
