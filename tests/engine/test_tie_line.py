"""A BLT [tie] line means the same for every rule; papers naming only withdrawn candidates agree with the stage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from cli_run import run_opensel

from opensel_desktop.app.counting import count_file, election_from_blt
from opensel_desktop.cli import count as cli_count
from opensel_desktop.engine import CountError, count
from opensel_desktop.engine.ties import TIE_LINE, chain_ties


def opensel(*args: str) -> subprocess.CompletedProcess[str]:
    return run_opensel(*args, env=os.environ)

# Bob and Cat tie for the first exclusion at every stage; whoever goes first decides the winner: Cat's papers
# go to Dan, Bob's to Ann, and the later tie between Ann and Dan is settled by the stage before it.
TIE_BLT = '4 1\n[tie 3 2 1 4]\n3 1 0\n3 4 0\n2 2 1 0\n2 3 4 0\n0\n"Ann"\n"Bob"\n"Cat"\n"Dan"\n"tie line"\n'
RANKED = ("scottish", "ers97", "av", "wigm", "meek")


@pytest.fixture
def tie_file(tmp_path: Path) -> Path:
    path = tmp_path / "tie.blt"
    path.write_text(TIE_BLT, encoding="utf-8")
    return path


@pytest.mark.parametrize("rule", RANKED)
def test_the_candidate_listed_first_is_the_one_a_lot_excludes_under_every_rule(tie_file: Path, rule: str):
    result = count_file(tie_file, rule=rule)
    first_exclusion = next(s for s in result.stages if s.excluded)
    assert first_exclusion.excluded[0] == "Cat"  # [tie 3 2 1 4]: Cat (3) is listed before Bob (2)
    lot = result.lots[0]
    assert set(lot.among) == {"Bob", "Cat"} and lot.chosen == "Cat" and lot.how == "tie-order"
    assert result.parameters["tie_line"] == "first_drawn"


@pytest.mark.parametrize("rule", RANKED)
def test_first_kept_reads_the_line_the_other_way_for_an_exclusion(tie_file: Path, rule: str):
    result = count_file(tie_file, rule=rule, tie_line="first_kept")
    first_exclusion = next(s for s in result.stages if s.excluded)
    assert first_exclusion.excluded[0] == "Bob"
    assert result.parameters["tie_line"] == "first_kept"


@pytest.mark.parametrize("rule", ["scottish", "ers97", "wigm", "meek"])
def test_the_reading_changes_who_is_elected(tie_file: Path, rule: str):
    assert count_file(tie_file, rule=rule).elected == ("Dan",)
    assert count_file(tie_file, rule=rule, tie_line="first_kept").elected == ("Ann",)


def test_an_election_lot_goes_to_the_candidate_listed_first_in_both_readings(tie_file: Path):
    # fptp: Ann and Dan tie on 3 first preferences; [tie 3 2 1 4] lists Ann (1) before Dan (4)
    for tie_line in TIE_LINE:
        result = count_file(tie_file, rule="fptp", tie_line=tie_line)
        assert result.elected == ("Ann",) and result.lots[0].purpose == "elect"


def test_the_reading_is_the_same_through_the_tie_source_and_the_rules_own_pre_drawn_order(tie_file: Path):
    """Scottish asks the app's tie source; WIGM reads the order itself (PRF D.1): both pick alike."""
    election, order = election_from_blt(tie_file, None)
    via_source = count("scottish", election, chain_ties(None, order, None)).lots[0].chosen
    via_rule = count("wigm", election).lots[0].chosen
    assert via_source == via_rule == "Cat"


def test_an_unknown_reading_is_refused_in_one_sentence(tie_file: Path):
    election, _ = election_from_blt(tie_file, None, tie_line="last_drawn")
    with pytest.raises(CountError, match="tie_line must be one of first_drawn, first_kept"):
        count("scottish", election)


def test_the_command_line_offers_exactly_the_engines_readings(tie_file: Path):
    assert cli_count.TIE_LINE == TIE_LINE
    proc = opensel("count", str(tie_file), "--rule", "scottish", "--tie-line", "first_kept", "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["elected"] == ["Ann"]
    bad = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", "count", str(tie_file), "--rule", "scottish",
                          "--tie-line", "first"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


# ---- papers naming only withdrawn candidates ------------------------------------------------------------

# Dai (4) is withdrawn; one paper names only Dai
WITHDRAWN_BLT = '4 2\n-4\n2 1 0\n1 2 0\n2 3 1 0\n1 4 0\n0\n"A"\n"B"\n"C"\n"Dai"\n"t"\n'


def first_stage_valid_votes(reason: str) -> Decimal:
    return Decimal(reason.split("First preferences counted: ")[1].split(" valid votes")[0])


@pytest.mark.parametrize("rule", ["scottish", "ers97", "wigm", "meek"])
def test_the_valid_poll_is_the_figure_the_first_stage_gives(tmp_path: Path, rule: str):
    path = tmp_path / "withdrawn.blt"
    path.write_text(WITHDRAWN_BLT, encoding="utf-8")
    j = json.loads(opensel("count", str(path), "--rule", rule, "--format", "json").stdout)
    first = j["stages"][0]
    assert Decimal(j["valid_poll"]) == first_stage_valid_votes(first["reason"])
    if rule != "meek":  # Meek's non-transferable is the excess, see engine-differences.md
        for st in j["stages"]:
            assert sum(Decimal(v) for v in st["votes"].values()) + Decimal(st["non_transferable"]) \
                == Decimal(j["valid_poll"])


def test_ers97_leaves_such_papers_out_as_invalid_as_openstv_does(tmp_path: Path):
    """OpenSTV 1.7 (ERS97 STV) on this file: "Valid votes",5 / "Invalid votes",1, quota 1.67, and an empty
    non-transferable figure at the first stage."""
    path = tmp_path / "withdrawn.blt"
    path.write_text(WITHDRAWN_BLT, encoding="utf-8")
    result = count_file(path, rule="ers97")
    assert result.fmt(result.valid_poll) == "5.00" and result.fmt(result.quota) == "1.67"
    assert result.stages[0].non_transferable == 0
    assert "1 paper naming only withdrawn candidates is not valid (6.9)" in result.stages[0].reason
    assert result.rule_version == "ers97-1997.2"


@pytest.mark.parametrize("rule", ["scottish", "wigm"])
def test_scottish_and_wigm_count_such_papers_as_valid_and_non_transferable(tmp_path: Path, rule: str):
    path = tmp_path / "withdrawn.blt"
    path.write_text(WITHDRAWN_BLT, encoding="utf-8")
    result = count_file(path, rule=rule)
    unit = 10**result.places
    assert result.valid_poll == 6 * unit and result.stages[0].non_transferable == 1 * unit
