from pathlib import Path

from opensel_desktop.app.counting import count_file

DATA = Path(__file__).resolve().parent.parent / "data" / "reference-cases" / "droop"


def test_linn_scottish_stage_two_matches_official_report():
    result = count_file(DATA / "blt/scotland/Linn-2007.blt", rule="scottish")
    st2 = result.stages[1].votes
    assert result.fmt(st2["Esme H Clark"]) == "905.13482"
    assert result.fmt(st2["Margot Clark"]) == "1302.94200"
    assert set(result.elected) == {"David Ritchie", "Sadie Docherty", "Margot Clark", "John McKenzie"}
