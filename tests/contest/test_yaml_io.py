"""Contest files: the documented examples load, every problem is reported at once, dump round-trips."""

import dataclasses
import time
from pathlib import Path

import pytest

from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.model import DEFAULT_HEADINGS
from opensel_desktop.contest.yaml_io import MAX_BYTES, dump_contest, load_contest, parse_contest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "resources" / "examples").glob("*.yaml"))


def test_the_four_required_examples_exist():
    names = {p.name for p in EXAMPLES}
    assert {"av-parliamentary.yaml", "block-officers.yaml", "stv-delegates.yaml",
            "exhaustive-meeting.yaml"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_loads_and_round_trips_through_dump(path, tmp_path):
    contest = load_contest(path)
    assert contest.source == str(path)
    text = dump_contest(contest)
    again = parse_contest(text.encode("utf-8"), "again.yaml")
    assert dataclasses.replace(again, source=contest.source) == contest
    assert dump_contest(again) == text  # dumping is stable


def test_av_example_reads_every_field():
    c = load_contest(REPO / "resources/examples/av-parliamentary.yaml")
    assert (c.kind, c.rule, c.seats) == ("election", "av", 1)
    assert c.names[:3] == ("Siân Evans", "Łukasz Nowak", "Dafydd ap Gwŵr")
    assert c.candidates[0].categories == {"gender": "woman"} and c.candidates[0].hotkey == "S"
    assert c.date == "2026-11-25"  # YAML reads a bare date as a date: kept as written
    assert [ch.name for ch in c.channels] == ["in-room", "postal"]
    assert c.rejection_headings == DEFAULT_HEADINGS
    assert 55 <= sum(b.count for b in c.ballots) <= 70
    assert {b.channel for b in c.ballots} == {"in-room", "postal"}


def test_block_example_has_the_women_minimum():
    c = load_contest(REPO / "resources/examples/block-officers.yaml")
    assert c.rule == "block" and c.seats == 6
    (k,) = c.constraints
    assert (k.category, k.value, k.minimum, k.maximum) == ("gender", "woman", 3, None)
    assert all(len(b.marks) <= 6 for b in c.ballots)


def test_stv_example_is_nine_seats_with_150_papers():
    c = load_contest(REPO / "resources/examples/stv-delegates.yaml")
    assert c.seats == 9 and c.rule in ("scottish", "ers97")
    assert sum(b.count for b in c.ballots) == 150


def test_exhaustive_example_rounds_reach_the_engine():
    c = load_contest(REPO / "resources/examples/exhaustive-meeting.yaml")
    assert c.rule == "exhaustive" and len(c.extra["rounds"]) == 3
    assert c.to_election().extra["rounds"] == c.extra["rounds"]


BASE = """format: opensel-contest/1
title: Chair
method: {rule: av, seats: 1}
candidates: [Ann Hughes, Bob Jones, Cai Lewis]
"""


def load_text(text: str):
    return parse_contest(text.encode("utf-8"), "c.yaml")


def test_every_problem_is_reported_at_once_in_file_order():
    text = BASE.replace("seats: 1", "seats: 1, ties: lot") + """ballots:
  - {ranking: [Ann Hughes, Dai], count: 0}
  - {ranking: [Bob Jones, Bob Jones], channel: postal}
"""
    with pytest.raises(ContestError) as err:
        load_text(text)
    where = [(p.line, p.column) for p in err.value.problems]
    assert where == sorted(where)
    assert len(err.value.problems) == 5
    text_all = str(err.value)
    assert "c.yaml:3:30: unknown key 'ties' in method" in text_all
    assert "c.yaml:6:28: 'Dai' is not a candidate" in text_all
    assert "c.yaml:6:41: count is 0" in text_all
    assert "c.yaml:7:27: 'Bob Jones' appears twice" in text_all
    assert "c.yaml:7:48: there is no channel 'postal'" in text_all


def test_candidate_numbers_and_names_both_work():
    c = load_text(BASE + "ballots:\n  - {ranking: [3, Ann Hughes], count: 2}\n")
    assert c.ballots[0].marks == (2, 0) and c.ballots[0].count == 2


def test_a_newer_minor_version_loads_and_a_newer_major_is_refused():
    load_text(BASE.replace("contest/1", "contest/1.3"))
    with pytest.raises(ContestError, match="newer than this OpenSel reads"):
        load_text(BASE.replace("contest/1", "contest/3"))


def test_alias_bomb_is_refused_quickly():
    lines = ["format: opensel-contest/1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    start = time.monotonic()
    with pytest.raises(ContestError, match="aliases|too many values"):
        load_text("\n".join(lines) + "\n")
    assert time.monotonic() - start < 5


def test_recursive_alias_is_refused():
    with pytest.raises(ContestError):
        load_text("format: opensel-contest/1\ntitle: &t [*t]\n")


def test_deep_nesting_is_refused_not_a_crash():
    with pytest.raises(ContestError, match="nested too deeply|not valid YAML"):
        load_text("format: opensel-contest/1\ntitle: " + "[" * 5000 + "]" * 5000 + "\n")


def test_python_tags_never_run(tmp_path):
    marker = tmp_path / "owned"
    text = BASE + f"organisation: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ContestError, match="tag !!python/object/apply:os.system is not allowed"):
        load_text(text)
    assert not marker.exists()


def test_oversize_file_is_refused_without_reading(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(ContestError, match="too large"):
        load_contest(big)


@pytest.mark.parametrize("name, message", [("missing.yaml", "no such file"), (".", "folder")])
def test_missing_file_and_folder(tmp_path, name, message):
    with pytest.raises(ContestError, match=message):
        load_contest(tmp_path / name)


def test_withdrawn_and_unicode_names_round_trip():
    text = """format: opensel-contest/1
title: "Selection: \\"quoted\\" title"
method: {rule: scottish, seats: 2}
candidates:
  - {name: "Dafydd ap Gwŵr", withdrawn: true}
  - "Łukasz Nowak"
  - {name: "O'Brien, Jack"}
  - {name: "yes"}
ballots:
  - {ranking: ["yes", "O'Brien, Jack"], count: 3}
"""
    c = load_text(text)
    assert c.candidates[0].withdrawn and c.names[3] == "yes"
    again = load_text(dump_contest(c))
    assert dataclasses.replace(again, source="") == dataclasses.replace(c, source="")


def test_to_election_carries_papers_and_withdrawals():
    c = load_text(BASE + "ballots:\n  - {ranking: [Cai Lewis, Bob Jones], count: 4}\n")
    e = c.to_election()
    assert e.ballots.rankings() == [((2, 1), 4)]
    assert e.names == c.names and e.seats == 1
