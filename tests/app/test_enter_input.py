"""`opensel enter` input forms, run in-process through the real CLI entry point on a real .osel."""

from __future__ import annotations

from pathlib import Path

import pytest

from opensel_desktop.app.core import Session
from opensel_desktop.cli import main
from opensel_desktop.contest.model import CandidateSpec, Contest

NAMES = ("Siân Evans", "Tom Jones", "Łukasz Nowak")


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    path = tmp_path / "m.osel"
    c = Contest(title="T", rule="av", seats=1, candidates=(CandidateSpec(NAMES[0], hotkey="S"),
                                                            CandidateSpec(NAMES[1], hotkey="T"),
                                                            CandidateSpec(NAMES[2], hotkey="L")))
    Session.create(c, path, "Jane Smith").close()
    return path


def papers(path: Path, batch: str) -> list[tuple[int, ...]]:
    with Session.open(path, "auditor", readonly=True) as s:
        first = s.replay.batches[batch].papers["first"]
        return [first[n] for n in sorted(first)]


def test_numbers_names_hotkeys_and_a_name_with_spaces(meeting: Path, tmp_path: Path) -> None:
    src = tmp_path / "p.txt"
    src.write_text("3 1 2\nTom Jones\nsiân evans > L\nT, S\nL S T\n", encoding="utf-8")
    assert main(["enter", str(meeting), "--teller", "Ann", "--batch", "A", "--from", str(src)]) == 0
    assert papers(meeting, "A") == [(2, 0, 1), (1,), (0, 2), (1, 0), (2, 0, 1)]


def test_a_blt_file_with_the_contests_names(meeting: Path, tmp_path: Path, capsys) -> None:
    good = tmp_path / "good.blt"
    good.write_text('3 1\n2 1 2 0\n1 3 0\n0\n"Siân Evans"\n"Tom Jones"\n"Łukasz Nowak"\n"T"\n', encoding="utf-8")
    assert main(["enter", str(meeting), "--teller", "Ann", "--batch", "B", "--from", str(good)]) == 0
    assert papers(meeting, "B") == [(0, 1), (0, 1), (2,)]
    other = tmp_path / "other.blt"
    other.write_text('3 1\n1 1 0\n0\n"A"\n"B"\n"C"\n"T"\n', encoding="utf-8")
    before = meeting.read_bytes()
    assert main(["enter", str(meeting), "--teller", "Ann", "--batch", "C", "--from", str(other)]) == 1
    assert "not the contest's" in capsys.readouterr().err
    assert meeting.read_bytes() == before


def test_a_csv_file_one_paper_per_row(meeting: Path, tmp_path: Path) -> None:
    src = tmp_path / "p.csv"
    src.write_text("Tom Jones,Siân Evans\n3,,\n", encoding="utf-8")
    assert main(["enter", str(meeting), "--teller", "Ann", "--batch", "D", "--from", str(src)]) == 0
    assert papers(meeting, "D") == [(1, 0), (2,)]


@pytest.mark.parametrize("line, words", [
    ("1 1", "names a candidate twice"), ("4", "'4' is not a candidate"), ("Nobody", "'Nobody' is not"),
    ("1=3", "bundle total among single papers"),
])
def test_the_first_bad_line_stops_the_input(meeting: Path, tmp_path: Path, capsys, line: str, words: str) -> None:
    src = tmp_path / "p.txt"
    src.write_text(f"1\n2\n{line}\n3\n", encoding="utf-8")
    assert main(["enter", str(meeting), "--teller", "Ann", "--batch", "E", "--from", str(src)]) == 1
    err = capsys.readouterr().err
    assert f"{src}:3:" in err and words in err and "2 papers before it were saved" in err
    assert papers(meeting, "E") == [(0,), (1,)]


def test_binary_or_missing_input_is_refused_and_nothing_saved(meeting: Path, tmp_path: Path, capsys) -> None:
    before = meeting.read_bytes()
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\xff\xfe\x00\x01" * 100)
    for source in (str(junk), str(tmp_path / "missing.txt"), str(tmp_path)):
        assert main(["enter", str(meeting), "--teller", "Ann", "--from", source]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert meeting.read_bytes() == before
