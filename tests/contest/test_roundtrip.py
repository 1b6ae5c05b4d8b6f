"""Interchange round-trips: YAML -> BLT -> YAML keeps candidates and ballots; BLT -> BLT is exact;
every reference BLT loads."""

from pathlib import Path

import pytest

from opensel_desktop.cli import main
from opensel_desktop.contest.blt import parse_blt, read_blt, write_blt
from opensel_desktop.contest.yaml_io import load_contest

REPO = Path(__file__).resolve().parents[2]
REFERENCE = sorted((REPO / "tests" / "data" / "reference-cases").rglob("*.blt"))
RANKED_EXAMPLES = ["av-parliamentary.yaml", "stv-delegates.yaml"]
ALL_BALLOT_EXAMPLES = RANKED_EXAMPLES + ["block-officers.yaml"]


def test_there_are_reference_blts():
    assert len(REFERENCE) >= 30


@pytest.mark.parametrize("path", REFERENCE, ids=lambda p: str(p.relative_to(REPO / "tests/data/reference-cases")))
def test_every_reference_blt_loads_and_round_trips_exactly(path):
    blt = read_blt(path)
    assert blt.ballots.total > 0 and len(blt.names) >= 1
    text = write_blt(blt)
    again = parse_blt(text.encode("utf-8"), "again.blt")
    assert again.names == blt.names and again.seats == blt.seats and again.title == blt.title
    assert again.withdrawn == blt.withdrawn and again.tie_order == blt.tie_order
    assert again.ballots.rankings() == blt.ballots.rankings()
    assert write_blt(again) == text  # BLT -> BLT is a fixed point


@pytest.mark.parametrize("name", ALL_BALLOT_EXAMPLES)
def test_yaml_to_blt_to_yaml_keeps_candidates_and_ballots(name, tmp_path):
    src = REPO / "resources" / "examples" / name
    original = load_contest(src)
    blt, back = tmp_path / "x.blt", tmp_path / "back.yaml"
    assert main(["convert", str(src), str(blt)]) == 0
    assert main(["convert", str(blt), str(back), "--rule", original.rule]) == 0
    result = load_contest(back)
    assert result.names == original.names
    assert [c.withdrawn for c in result.candidates] == [c.withdrawn for c in original.candidates]
    assert result.seats == original.seats and result.rule == original.rule and result.title == original.title
    # channels are not part of BLT: papers and their multiplicities are
    assert [(b.marks, b.count) for b in result.ballots] == [(b.marks, b.count) for b in original.ballots]


def test_blt_to_yaml_to_blt_is_exact(tmp_path):
    src = REPO / "tests/data/reference-cases/droop/blt/SCw.blt"
    y, b = tmp_path / "scw.yaml", tmp_path / "scw.blt"
    assert main(["convert", str(src), str(y)]) == 0
    assert load_contest(y).rule == "scottish"  # several places and no --rule: STV
    assert main(["convert", str(y), str(b)]) == 0
    assert b.read_text(encoding="utf-8") == write_blt(read_blt(src))


def test_blt_with_withdrawn_candidate_survives_yaml(tmp_path):
    src = tmp_path / "w.blt"
    src.write_text('4 2\n-2\n3 1 2 3 0\n2 4 0\n1 2 4 0\n0\n"Ann"\n"Bob ""the Builder"""\n"Cat"\n"Dai"\n"T"\n',
                   encoding="utf-8")
    y, out = tmp_path / "w.yaml", tmp_path / "w2.blt"
    assert main(["convert", str(src), str(y)]) == 0
    c = load_contest(y)
    assert c.names[1] == 'Bob "the Builder"' and c.candidates[1].withdrawn
    assert main(["convert", str(y), str(out)]) == 0
    assert out.read_text(encoding="utf-8") == write_blt(read_blt(src))
