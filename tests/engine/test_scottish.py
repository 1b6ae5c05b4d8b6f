"""Scottish STV beyond the reference reports: ties, lots, zero surpluses, reasons, the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from opensel_desktop.app.counting import count_file, election_from_blt
from opensel_desktop.engine import NeedsLot, count
from opensel_desktop.engine.ties import SeededLots

DROOP = Path(__file__).resolve().parent.parent / "data" / "reference-cases" / "droop" / "blt"


def opensel(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "opensel_desktop.cli", *args], capture_output=True, text=True,
                          timeout=120)


def test_candidates_with_no_votes_are_excluded_in_ballot_order_without_a_lot():
    # SC.blt: four candidates sit at 0 at every stage; all four must go, so no order can change a figure
    result = count_file(DROOP / "SC.blt", rule="scottish")
    assert result.lots == ()
    excluded = [st.excluded[0] for st in result.stages if st.action == "exclusion"]
    assert excluded[:4] == ["Write-In 2", "Write-In 1", "Steve Greenfield", "Jimmy Leas"]
    assert "no lot is drawn" in result.stages[3].reason


def test_equal_at_every_stage_needs_a_lot_and_the_app_is_asked():
    # weak-surplus.blt: E and F have 3 votes at every stage (r.51(2)(b): by lot)
    election, _ = election_from_blt(DROOP / "scotland" / "weak-surplus.blt", None)
    with pytest.raises(NeedsLot) as info:
        count("scottish", election)
    assert sorted(info.value.request.among) == ["E", "F"]
    assert info.value.request.purpose == "exclude"


def test_command_line_refuses_without_a_seed_and_a_seed_reproduces_the_lot():
    path = str(DROOP / "scotland" / "weak-surplus.blt")
    refused = opensel("count", path, "--rule", "scottish", "--format", "json")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert "--seed" in refused.stderr and "E, F" in refused.stderr and "Traceback" not in refused.stderr
    first = opensel("count", path, "--rule", "scottish", "--seed", "42", "--format", "json")
    again = opensel("count", path, "--rule", "scottish", "--seed", "42", "--format", "json")
    assert first.returncode == 0 and first.stdout == again.stdout
    lots = json.loads(first.stdout)["lots"]
    assert len(lots) == 1 and lots[0]["how"] == "seed" and lots[0]["seed"] == "42"
    assert sorted(lots[0]["among"]) == ["E", "F"]


def test_a_zero_surplus_is_not_a_stage_and_the_look_back_separates_the_defeat():
    # weak-surplus: B and C reach exactly the quota (8): r.48 has no surplus to transfer for them
    election, _ = election_from_blt(DROOP / "scotland" / "weak-surplus.blt", None)
    result = count("scottish", election, SeededLots("x"))
    assert [st.action for st in result.stages] == ["first", "surplus", "exclusion"]
    assert result.stages[1].elected == ("C",)
    # weak-defeat: B and C have 3 each after A's exclusion; at the stage before, B had fewer (r.51(2)(a))
    result = count_file(DROOP / "scotland" / "weak-defeat.blt", rule="scottish")
    assert result.stages[2].excluded == ("B",)
    assert "most recent stage at which their votes differed" in result.stages[2].reason
    assert result.lots == ()


def test_reasons_cite_the_rules_and_show_the_transfer_value():
    result = count_file(DROOP / "scotland" / "Linn-2007.blt", rule="scottish")
    first, second = result.stages[0].reason, result.stages[1].reason
    assert "1914.00000" in first and "[r.46]" in first and "David Ritchie" in first
    assert "[r.48, r.49]" in second and "surplus of" in second
    assert result.stages[1].transfer_value is not None
    assert result.fmt(result.stages[1].transfer_value) in second
    assert "[r.47]" in result.stages[-1].reason  # both last places filled by reaching the quota
    remaining = count_file(DROOP / "scotland" / "weak-defeat.blt", rule="scottish").stages[-1]
    assert set(remaining.elected) == {"D", "E"} and "[r.52]" in remaining.reason


@pytest.mark.parametrize("rule", ["scottish", "wigm", "meek"])
def test_weights_too_large_for_exact_arithmetic_are_refused_in_one_sentence(tmp_path: Path, rule: str):
    path = tmp_path / "huge.blt"
    # within what a ballot file may hold (10**12 papers), beyond what these rules count exactly in int64
    path.write_text('3 1\n900000000000 1 2 0\n2 2 0\n0\n"A"\n"B"\n"C"\n"t"\n', encoding="utf-8")
    proc = opensel("count", str(path), "--rule", rule, "--format", "json")
    assert proc.returncode == 1 and proc.stdout == ""
    assert "huge.blt" in proc.stderr and "too many to count exactly" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
