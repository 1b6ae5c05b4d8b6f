"""PRF WIGM beyond the reference reports: options (quota, batch defeat, tie order), ties, reasons."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opensel_desktop.app.counting import count_file, election_from_blt
from opensel_desktop.engine import Ballots, CountError, Election, NeedsLot, count
from opensel_desktop.engine.ties import SeededLots, chain_ties

DROOP = Path(__file__).resolve().parent.parent / "data" / "reference-cases" / "droop" / "blt"
TIE = '3 1\n{tie}3 1 0\n2 2 0\n2 3 0\n0\n"A"\n"B"\n"C"\n"B and C tie for last"\n'


def tie_file(tmp_path: Path, tie_line: str = "") -> Path:
    path = tmp_path / "tie.blt"
    path.write_text(TIE.format(tie=tie_line), encoding="utf-8")
    return path


def with_options(path: Path, **options) -> Election:
    election, _ = election_from_blt(path, None)
    return replace(election, options=options)


def test_quota_is_truncated_plus_a_ten_thousandth_or_exact_as_an_option():
    # Labour NEC 2020 style: 129,549 votes, 9 places; reported quota 12,954.9 = V / (S + 1) exactly
    rows = [((c, (c + 1) % 10), 12955 if c < 9 else 12954) for c in range(10)]
    election = Election(tuple(f"N{c}" for c in range(10)), 9, Ballots.from_rankings(rows))
    assert election.ballots.total == 129549
    # A.1: 129549 / 10 = 12954.9 (at 4 dp 12954.9000), + 0.0001
    prf = count("wigm", election)
    exact = count("wigm", replace(election, options={"quota": "exact"}))
    assert prf.fmt(prf.quota) == "12954.9001"
    assert exact.fmt(exact.quota) == "12954.9000"
    assert exact.parameters["quota_rule"] == "exact" and prf.parameters["quota_rule"] == "prf"


def test_ties_go_to_the_earliest_in_the_pre_drawn_order(tmp_path: Path):
    # A 3, B 2, C 2, one place, quota 3.5001: B and C tie for defeat (PRF D.1: earliest in the order is chosen)
    by_ballot = count_file(tie_file(tmp_path), rule="wigm")
    assert by_ballot.stages[1].excluded == ("B",)
    assert by_ballot.lots[0].how == "tie-order" and by_ballot.lots[0].chosen == "B"
    assert "order on the ballot paper" in by_ballot.stages[1].reason
    by_tie_line = count_file(tie_file(tmp_path, "[tie 3 2 1]\n"), rule="wigm")
    assert by_tie_line.stages[1].excluded == ("C",)
    assert "[tie] line" in by_tie_line.stages[1].reason
    assert by_ballot.elected == by_tie_line.elected == ("A",)


def test_tie_order_lot_asks_the_app_and_a_seed_decides(tmp_path: Path):
    election = with_options(tie_file(tmp_path), tie_order="lot")
    with pytest.raises(NeedsLot) as info:
        count("wigm", election)
    assert sorted(info.value.request.among) == ["B", "C"]
    seeded = count("wigm", election, chain_ties(seed="7"))
    assert seeded.lots[0].how == "seed" and seeded.lots[0].seed == "7"
    assert seeded.parameters["tie_order"] == "lot"
    again = count("wigm", election, SeededLots("7"))
    assert again.stages == seeded.stages


def test_batch_defeat_of_sure_losers_and_no_transfer_when_the_places_are_then_filled():
    election, _ = election_from_blt(DROOP / "SC.blt", None)
    batch = count("wigm", replace(election, options={"defeat_sure_losers": True}))
    bulk = [st for st in batch.stages if st.action == "bulk_exclusion"]
    assert len(bulk) == 1 and len(bulk[0].excluded) == 7
    assert "[B.2]" in bulk[0].reason
    last = batch.stages[-1]
    assert last.excluded == ("Kristen Olsen",) and last.elected == ("Tom Sevigny",)
    assert "no papers are transferred" in last.reason
    assert last.votes["Kristen Olsen"] == batch.stages[-2].votes["Kristen Olsen"]  # not moved
    single = count("wigm", election)
    assert "bulk_exclusion" not in [st.action for st in single.stages]
    assert single.parameters["defeat_sure_losers"] is False and batch.parameters["defeat_sure_losers"] is True


@pytest.mark.parametrize(("key", "value"), [("quota", "droop"), ("tie_order", "random"), ("defeat_sure_losers", "yes")])
def test_a_bad_option_is_refused_in_one_sentence(key: str, value: object):
    election, _ = election_from_blt(DROOP / "42.blt", None)
    with pytest.raises(CountError, match=f"option '{key}' must be one of"):
        count("wigm", replace(election, options={key: value}))


def test_surplus_reason_shows_the_weight_and_the_rounding_loss():
    result = count_file(DROOP / "42.blt", rule="wigm")
    surplus = result.stages[1]
    assert surplus.action == "surplus" and surplus.transfer_value == 4999  # 1.9999 / 4 truncated at 4 dp
    assert "0.4999 per paper" in surplus.reason and "0.0003 was lost to rounding" in surplus.reason
    assert surplus.rounding_loss == 3


# ---- every option combination keeps the count whole -------------------------------------------------------
@st.composite
def small_elections(draw) -> Election:
    n = draw(st.integers(3, 6))
    ranking = st.permutations(list(range(n))).flatmap(lambda p: st.integers(1, n).map(lambda k: tuple(p[:k])))
    rows = draw(st.lists(st.tuples(ranking, st.integers(1, 30)), min_size=1, max_size=12))
    seats = draw(st.integers(1, n - 1))
    return Election(tuple("ABCDEF"[:n]), seats, Ballots.from_rankings(rows))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(e=small_elections(), batch=st.booleans(), quota=st.sampled_from(["prf", "exact"]),
       meek_variant=st.sampled_from(["prf", "nz", "a123"]))
def test_options_keep_votes_conserved_and_fill_every_place(e: Election, batch: bool, quota: str, meek_variant: str):
    runs = [("wigm", {"defeat_sure_losers": batch, "quota": quota}), ("meek", {"variant": meek_variant})]
    for rule, options in runs:
        result = count(rule, replace(e, options=options))
        for stage in result.stages:
            assert sum(stage.votes.values()) + stage.non_transferable == result.valid_poll
            assert all(v >= 0 for v in stage.votes.values())
        assert len(result.elected) == len(set(result.elected)) == e.seats, (rule, options)
        assert all(stage.reason for stage in result.stages)
