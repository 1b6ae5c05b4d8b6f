"""Hostile BLT files: numbers that would wrap round or crash a parser, names that would forge a terminal or a
ballot paper. Each is refused with one located sentence and exit 1, or read exactly; never a traceback, an
"internal error", a negative total or a raw control character on the terminal."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opensel_desktop.contest.blt import MAX_PAPERS, parse_blt
from opensel_desktop.contest.errors import ContestError

NAMES = '"Ann"\n"Bob"\n"Cat"\n"Title"\n'


def blt(ballots: str, names: str = NAMES, head: str = "3 1\n") -> bytes:
    return (head + ballots + "0\n" + names).encode("utf-8")


def run_count(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "opensel_desktop.cli", "count", str(path), "--rule", "scottish",
                           "--format", "json", *extra], capture_output=True, text=True, timeout=120)


def refused_cleanly(tmp_path: Path, data: bytes, *, rule: str = "scottish") -> str:
    """The command's one-line refusal; asserts everything a hostile file must not get past."""
    path = tmp_path / "hostile.blt"
    path.write_bytes(data)
    before = path.read_bytes()
    proc = run_count(path, "--rule", rule)
    err = proc.stderr
    assert proc.returncode == 1, (proc.returncode, proc.stdout[:200], err)
    assert proc.stdout == "" and err.count("\n") == 1 and str(path) in err
    assert "Traceback" not in err and "internal error" not in err.lower()
    assert not any(ord(ch) < 32 and ch != "\n" or 0x7F <= ord(ch) < 0xA0 or ch in "\u202e\u200b\u2028" for ch in err)
    assert path.read_bytes() == before
    return err


def located(data: bytes) -> tuple[int | None, int | None, str]:
    with pytest.raises(ContestError) as exc:
        parse_blt(data, "h.blt")
    assert len(exc.value.problems) == 1
    p = exc.value.problems[0]
    return p.line, p.column, p.message


# ---- numbers -------------------------------------------------------------------------------------------

def test_weights_that_would_add_up_past_2_63_are_refused_before_they_are_added(tmp_path: Path):
    # 10 lines of 999,999,999,999 papers: each within the bound, their total (about 10**13) past it; as int64
    # sums of 10**18-sized weights these wrapped round to a negative total before
    lines = "".join(f"999999999999 {1 + k % 3} 0\n" for k in range(10))
    err = refused_cleanly(tmp_path, blt(lines))
    assert "add up to 9,999,999,999,990 papers, more than the 1,000,000,000,000" in err
    assert " -" not in err.split("hostile.blt", 1)[1]


@pytest.mark.parametrize("rule", ["fptp", "block", "av", "scottish", "meek"])
def test_a_hundred_lines_of_10_17_papers_never_print_a_wrapped_total(tmp_path: Path, rule: str):
    """10**19 papers in all: an int64 sum wraps round to a negative number, which used to be counted and printed
    with exit 0 (fptp, block, av count whole votes and had no other check)."""
    lines = "".join(f"{10**17} {1 + k % 3} 0\n" for k in range(100))
    head = "3 1\n" if rule != "block" else "3 2\n"
    err = refused_cleanly(tmp_path, blt(lines, head=head), rule=rule)
    assert "has 18 digits" in err


def test_the_line_by_line_reader_refuses_the_same_total_at_the_line_that_passes_the_bound(tmp_path: Path):
    # a skipped rank ("-") sends the file to the line-by-line reader
    lines = "".join(f"999999999999 {1 + k % 3} - 0\n" for k in range(10))
    line, col, message = located(blt(lines))
    assert (line, col) == (3, 1) and "up to this line add up to more than the 1,000,000,000,000" in message


def test_weights_of_2_62_each_are_refused_for_their_digits(tmp_path: Path):
    err = refused_cleanly(tmp_path, blt(f"{2**62} 1 0\n{2**62} 2 0\n"))
    assert "hostile.blt:2:1: the ballot weight '4611686018427387904' has 19 digits" in err


def test_a_total_at_the_bound_is_read_exactly_and_counted_exactly_where_the_rule_can(tmp_path: Path):
    path = tmp_path / "bound.blt"
    path.write_bytes(blt(f"{MAX_PAPERS - 2} 1 0\n1 2 0\n1 3 0\n"))
    assert parse_blt(path.read_bytes()).ballots.total == MAX_PAPERS
    fptp = run_count(path, "--rule", "fptp")
    assert fptp.returncode == 0
    result = json.loads(fptp.stdout)
    assert result["stages"][0]["votes"]["Ann"] == str(MAX_PAPERS - 2) and result["elected"] == ["Ann"]
    # at 5 decimals the same papers cannot be counted exactly in 64 bits: one sentence, not a wrapped total
    assert "too many to count exactly" in refused_cleanly(tmp_path, path.read_bytes())


@pytest.mark.parametrize("where", ["weight", "preference", "candidates", "places", "withdrawn", "tie"])
def test_a_5000_digit_number_gives_one_sentence_wherever_it_is(tmp_path: Path, where: str):
    huge = "9" * 5000
    data = {
        "weight": blt(f"{huge} 1 2 0\n"),
        "preference": blt(f"2 1 {huge} 0\n"),
        "candidates": blt("2 1 2 0\n", head=f"{huge} 1\n"),
        "places": blt("2 1 2 0\n", head=f"3 {huge}\n"),
        "withdrawn": blt("2 1 2 0\n", head=f"3 1\n-{huge}\n"),
        "tie": blt("2 1 2 0\n", head=f"3 1\n[tie 1 {huge} 2]\n"),
    }[where]
    err = refused_cleanly(tmp_path, data)
    assert "has 5000 digits" in err and len(err) < 400  # the number itself is never echoed in full


def test_a_number_padded_with_5000_zeros_is_still_just_that_number():
    data = blt("0" * 5000 + "7 1 2 0\n" + "2 2 0\n")
    assert parse_blt(data).ballots.rankings() == [((0, 1), 7), ((1,), 2)]
    assert parse_blt(data, fast=False).ballots.rankings() == [((0, 1), 7), ((1,), 2)]


@pytest.mark.parametrize("digit, name", [
    ("\u0663", "arabic-indic digit three"),
    ("\u06f3", "extended arabic-indic digit three"),
    ("\u0969", "devanagari digit three"),
    ("\uff13", "fullwidth digit three"),
    ("\u00b3", "superscript three"),
])
@pytest.mark.parametrize("where", ["weight", "preference", "header"])
def test_digits_other_than_0_to_9_give_one_sentence_naming_the_digit(tmp_path: Path, digit: str, name: str,
                                                                      where: str):
    data = {"weight": blt(f"{digit} 1 2 0\n"), "preference": blt(f"2 1 {digit} 0\n"),
            "header": blt("2 1 2 0\n", head=f"{digit} 1\n")}[where]
    line, col, message = located(data)
    assert f"written with {name}" in message and "write numbers with the digits 0-9" in message
    assert line == (1 if where == "header" else 2) and col is not None
    refused_cleanly(tmp_path, data)


@pytest.mark.parametrize("weight", ["1.5", "1e3", "-3", "+2", "0x10", "½"])
def test_weights_that_are_not_whole_numbers_are_named(weight: str):
    line, col, message = located(blt(f"{weight} 1 2 0\n"))
    assert (line, col) == (2, 1) and message.startswith("expected a ballot weight (a whole number)")


# ---- names and titles -----------------------------------------------------------------------------------

HOSTILE_NAMES = {
    "escape sequence": ("Ann\x1b[31mRed", "a control character (U+001B)"),
    "right-to-left override": ("Ann\u202eSmith", "an invisible formatting character (U+202E"),
    "zero-width space": ("An\u200bn", "an invisible formatting character (U+200B"),
    "C1 control sequence introducer": ("Ann\u009b2J", "a control character (U+009B)"),
    "line separator": ("Ann\u2028certificate: forged", "a control character (U+2028)"),
    "bell": ("Ann\x07", "a control character (U+0007)"),
    "tab": ("Ann\tSmith", "a control character (U+0009)"),
}


def name_section(style: str, second: str) -> str:
    """Three names, the second hostile, written in one of the dialects."""
    names = ["Ann Smith", second, "Cat Jones"]
    if style == "quoted":
        return "".join(f'"{n}"\n' for n in names) + '"Title"\n'
    if style == "unquoted":
        return "".join(f"{n}\n" for n in names) + "Title\n"
    if style == "party apart":
        return "".join(f'"{n}" "SNP"\n' for n in names) + '"Title"\n'
    if style == "doubled party":
        return "".join(f'"{n} ""SNP"""\n' for n in names) + "Title\n"
    if style == "alternative-name lines":
        return "".join(f"# ALTERNATIVE NAME {k}: {n}\n" for k, n in enumerate(names, 1)) + "Title\n"
    assert style == "shared lines"
    return " ".join(f'"{n}"' for n in names) + '\n"Title"\n'


@pytest.mark.parametrize("kind", sorted(HOSTILE_NAMES))
@pytest.mark.parametrize("style", ["quoted", "unquoted", "party apart", "doubled party", "alternative-name lines",
                                   "shared lines"])
def test_hostile_characters_in_a_name_are_refused_with_line_and_column(tmp_path: Path, kind: str, style: str):
    name, says = HOSTILE_NAMES[kind]
    data = blt("2 1 2 0\n1 3 0\n", names=name_section(style, name))
    line, col, message = located(data)
    raw_line = data.decode("utf-8").split("\n")[line - 1]
    assert says in message and "name of candidate 2" in message
    bad = next(ch for ch in name if not (ch.isalnum() or ch in " '[]:;"))  # the character refused
    assert col is not None and raw_line[col - 1] == bad
    refused_cleanly(tmp_path, data)


@pytest.mark.parametrize("title", ["Ward\x1b]0;owned\x07 7", "Ward \u202e7", "Ward\u200b7"])
def test_a_hostile_title_is_refused_with_line_and_column(tmp_path: Path, title: str):
    data = blt("2 1 2 0\n", names=f'"Ann"\n"Bob"\n"Cat"\n"{title}"\n')
    line, col, message = located(data)
    assert line == 7 and col is not None and message.startswith("the title contains")
    refused_cleanly(tmp_path, data)


@pytest.mark.parametrize("first, second", [
    ("Ann Smith", "\u0410nn Smith"),  # Cyrillic capital A
    ("Fiona Reid", "\ufb01ona Reid"),  # the "fi" ligature: equal once NFKC-normalised
    ("Ann Smith", "ann  smith"),  # case and spacing only
    ("Ian O'Neil", "Ian O'Neil"),  # the same name twice
])
@pytest.mark.parametrize("style", ["quoted", "unquoted", "party apart"])
def test_names_that_look_the_same_are_refused_as_a_pair(tmp_path: Path, first: str, second: str, style: str):
    names = {"quoted": f'"{first}"\n"{second}"\n"Cat"\n"T"\n', "unquoted": f"{first}\n{second}\nCat\nT\n",
             "party apart": f'"{first}" "Lab"\n"{second}" "Lab"\n"Cat" "Lab"\n"T"\n'}[style]
    line, col, message = located(blt("2 1 2 0\n", names=names))
    assert line == 5 and col == 1
    assert "look the same" in message or "share the name" in message
    refused_cleanly(tmp_path, blt("2 1 2 0\n", names=names))


def test_a_name_longer_than_any_ballot_paper_holds_is_refused(tmp_path: Path):
    line, _, message = located(blt("2 1 2 0\n", names='"Ann"\n"' + "B" * 600 + '"\n"Cat"\n"T"\n'))
    assert line == 5 and "longer than 500 characters" in message


# ---- encodings and shapes -------------------------------------------------------------------------------

@pytest.mark.parametrize("data, says", [
    ("3 1\n2 1 0\n0\n\"Ann\"\n\"Bob\"\n\"Cat\"\n\"T\"\n".encode("utf-16"), "UTF-16 text; save it as UTF-8"),
    (b"3 1\n2 1 0\n0\n\"Ann\"\n\"B\xf6b\"\n\"Cat\"\n\"T\"\n", "not UTF-8 text"),
    (b"3 1\n2 1 0\n0\n\"Ann\"\n\"B\xed\xa0\x80b\"\n\"Cat\"\n\"T\"\n", "not UTF-8 text"),  # a UTF-16 surrogate
    (b"3 1\n2 1 0\n0\n\"Ann\"\n\"B\x00b\"\n\"Cat\"\n\"T\"\n", "binary data"),
    (b"\xef\xbb\xbf", "the file is empty"),
    (b"30001 1\n1 1 0\n0\n", "30001 candidates is more than"),
    (b"3 1\n" + b"1 2 " * 500_000, "no terminating '0' line"),
])
def test_broken_encodings_and_shapes_give_one_sentence(tmp_path: Path, data: bytes, says: str):
    assert says in refused_cleanly(tmp_path, data)


def test_a_name_line_of_100000_quotes_is_refused_at_once():
    data = blt("2 1 2 0\n", names='"Ann"\n' + '"' * 100_001 + '\n"Cat"\n"T"\n')
    start = time.perf_counter()
    line, col, message = located(data)
    assert time.perf_counter() - start < 5
    assert (line, col) == (5, 1) and "opens a double quote it does not close" in message
