"""Every dialect of the BLT format found in published files reads as its standard twin and counts the same.

tests/data/blt-dialects/ holds one ward election (6 candidates, 3 places, 190 distinct rankings made with the
project's ballot generator, listed once each with their count as the Scottish council files list them) written
in each dialect, and its standard twins; MANIFEST.json names each file's dialect and twin.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_run import run_opensel

from opensel_desktop.app.counting import count_file
from opensel_desktop.contest.blt import parse_blt, read_blt
from opensel_desktop.contest.errors import ContestError

DIALECTS = Path(__file__).resolve().parents[1] / "data" / "blt-dialects"
MANIFEST = json.loads((DIALECTS / "MANIFEST.json").read_text(encoding="utf-8"))
RANKED = ("scottish", "ers97", "wigm", "meek")


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_each_dialect_is_named_and_reads_as_its_standard_twin(name: str):
    blt = read_blt(DIALECTS / name)
    twin = read_blt(DIALECTS / MANIFEST[name]["twin"])
    assert blt.dialect == MANIFEST[name]["dialect"]
    assert blt.names == twin.names and blt.title == twin.title == "Ward 7 - Riverside and Harbour"
    assert blt.seats == twin.seats and blt.withdrawn == twin.withdrawn
    assert blt.ballots.rankings() == twin.ballots.rankings()


@pytest.mark.parametrize("name", sorted(MANIFEST))
@pytest.mark.parametrize("rule", RANKED)
def test_each_dialect_counts_as_its_standard_twin_stage_by_stage(name: str, rule: str):
    ours = count_file(DIALECTS / name, rule=rule).to_json_dict()
    twin = count_file(DIALECTS / MANIFEST[name]["twin"], rule=rule).to_json_dict()
    assert ours == twin


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_the_fast_reader_and_the_line_by_line_reader_agree_on_each_dialect(name: str):
    data = (DIALECTS / name).read_bytes()
    assert parse_blt(data).ballots.rankings() == parse_blt(data, fast=False).ballots.rankings()


def test_every_twin_counts_alike_whatever_its_names():
    """The twins differ only in how the names are written, so every figure agrees position by position."""
    results = [count_file(DIALECTS / f"{t}.blt", rule="scottish") for t in
               ("standard", "standard-parens", "standard-party", "standard-party-first")]
    def positions(r) -> list[int]:
        return [r.names.index(n) for n in r.elected]

    def figures(r) -> list[list[int]]:
        return [[st.votes[n] for n in r.names] for st in r.stages]

    for r in results:
        assert positions(r) == positions(results[0]) == [5, 2, 0]
        assert figures(r) == figures(results[0])


@pytest.mark.parametrize("name", ["unquoted-names.blt", "comma-separated.blt", "doubly-quoted.blt"])
def test_check_and_convert_say_which_dialect_they_read(tmp_path: Path, name: str):
    env = os.environ
    check = run_opensel("check", str(DIALECTS / name), env=env)
    assert f"dialect: {MANIFEST[name]['dialect']}." in check.stdout.splitlines()[0]
    as_json = json.loads(run_opensel("check", str(DIALECTS / name), "--json", env=env).stdout)
    assert as_json["dialect"] == MANIFEST[name]["dialect"] and as_json["papers"] == 400
    out = tmp_path / "ward.yaml"
    convert = run_opensel("convert", str(DIALECTS / name), str(out), "--rule", "scottish", env=env)
    assert f"(read as BLT, dialect: {MANIFEST[name]['dialect']})" in convert.stderr
    again = run_opensel("check", str(out), env=env)
    assert "valid contest file" in again.stdout


# ---- a file that is truly broken gets one located sentence, whatever its dialect ------------------------

BROKEN = {
    # a doubly quoted name whose quotes do not close
    '"""Ann"" ""SNP""\n': "opens a double quote it does not close",
    # an unquoted name among quoted ones (and the reverse)
    '"Ann"\nBob\n"Cat"\n"T"\n': "expected candidate name 2 of 3 in double quotes, as the names before it are",
    'Ann\n"Bob"\nCat\nT\n': "candidate name 2 of 3 is in double quotes but the names before it are not",
    # fewer name lines than candidates
    '"Ann"\nBob\n': "the file lists 2 candidate names but the first line says 3",
    # names sharing lines run out before the count the first line gives
    '"Ann" "Bob"\n': "the file lists 2 candidate names but the first line says 3",
    # a stream of names with an unquoted name in it
    '"Ann" "Bob"\nCat\n"T"\n': "expected candidate name 3 of 3 in double quotes (the names before it share lines",
    # alternative-name lines that leave a candidate out
    "# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 3: Cat\nTitle\n": "the file lists",
    # an empty name
    '"Ann"\n""\n"Cat"\n': "candidate name 2 is empty",
    # a title cut short (the end of the file lost)
    '"Ann"\n"Bob"\n"Cat"\n"Ward 7 - Riv': "the title opens a double quote it does not close",
}


@pytest.mark.parametrize("tail", sorted(BROKEN))
def test_a_broken_name_section_gives_one_located_sentence(tail: str):
    data = ("3 1\n2 1 2 0\n1 3 0\n0\n" + tail).encode("utf-8")
    with pytest.raises(ContestError) as err:
        parse_blt(data, "ward.blt")
    assert len(err.value.problems) == 1
    problem = err.value.problems[0]
    assert BROKEN[tail] in problem.message and problem.line is not None and problem.line >= 5


def test_a_comma_separated_file_with_a_bad_number_names_its_line_and_column():
    data = b"3 1,\n2 1 2 0,\n1 3 x 0,\n0,\nAnn,\nBob,\nCat,\nT,\n"
    with pytest.raises(ContestError) as err:
        parse_blt(data, "ward.blt")
    assert str(err.value) == "ward.blt:3:5: 'x' is not a candidate number."
