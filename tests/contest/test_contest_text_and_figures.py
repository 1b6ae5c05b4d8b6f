"""Names, texts and figures in a contest file: plain text only, no two names that read the same, every figure
within the bounds of contest/limits.py; each refusal one sentence at its line and column."""

import time

import pytest

from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.limits import MAX_PAPERS, MAX_WEIGHT
from opensel_desktop.contest.yaml_io import parse_contest

HEAD = "format: opensel-contest/1\ntitle: T\nmethod: {rule: scottish, seats: 1}\n"


def problems(text: str) -> list[str]:
    with pytest.raises(ContestError) as err:
        parse_contest(text.encode("utf-8"), "c.yaml")
    shown = str(err.value)
    assert "\x1b" not in shown and "\u202e" not in shown and "\u200b" not in shown  # printed escaped
    return [f"{p.line}:{p.column}: {p.message}" for p in err.value.problems]


@pytest.mark.parametrize("text, expected", [
    (HEAD + "candidates: [Ann, \"Bob\\u202eX\"]\n", "4:19: the candidate 2's name contains an invisible formatting "
                                                   "character (U+202E, right-to-left override) at character 4"),
    (HEAD + "candidates: [Ann, \"B\u200bob\"]\n", "4:19: the candidate 2's name contains an invisible formatting "
                                                 "character (U+200B, zero width space) at character 2"),
    (HEAD + "candidates: [Ann, \"\\e[31mBob\"]\n", "4:19: the candidate 2's name contains a control character "
                                                  "(U+001B) at character 1"),
    (HEAD + "candidates: [Ann, \"Bob\\nSmith\"]\n", "4:19: the candidate 2's name contains a control character "
                                                   "(U+000A)"),
    (HEAD + "tellers: [Ann, \"T\\u2066x\"]\ncandidates: [A, B]\n", "4:16: the teller's name contains an invisible"),
    (HEAD + "returning_officer: \"Jane\\u202e\"\ncandidates: [A, B]\n", "4:20: the returning_officer contains an "
                                                                      "invisible"),
    ("format: opensel-contest/1\ntitle: \"T\\u202e\"\nmethod: {rule: av}\ncandidates: [A, B]\n",
     "2:8: the title contains an invisible"),
    (HEAD + "candidates: [A, B]\nchannels:\n  - {name: \"box\\u200d\", issued: 1}\n",
     "6:12: the channel 1's name contains an invisible"),
    (HEAD + "candidates: [A, B]\nrejection_headings: [\"late\\u202e\"]\n", "5:22: the rejection heading contains"),
    (HEAD + "candidates:\n  - {name: A, categories: {gender: \"wo\\u202eman\"}}\n  - B\n",
     "5:36: the category value contains an invisible"),
    ("format: opensel-contest/1\nkind: trigger\ntitle: T\ntrigger:\n  classes:\n    - name: Branches\n"
     "      units: [\"North\\u202e\"]\n", "7:15: the unit's name contains an invisible"),
    ("format: opensel-contest/1\nkind: motion\ntitle: T\nmotion: {text: \"Ok\\e[2J\", for: 1, against: 0}\n",
     "4:16: the `text` contains a control character (U+001B)"),
])
def test_names_and_texts_with_control_or_invisible_characters_are_refused_at_their_place(text, expected):
    got = problems(text)
    assert len(got) == 1 and got[0].startswith(expected), got


@pytest.mark.parametrize("text, expected", [
    (HEAD + "candidates: [Ann Smith, \u0410nn Smith]\n",  # Cyrillic A
     "4:25: the candidate 'Аnn Smith' reads the same as candidate 1, 'Ann Smith'"),
    (HEAD + "candidates: [Ann Smith, ANN  SMITH]\n", "4:25: the candidate 'ANN  SMITH' reads the same"),
    (HEAD + "candidates: [Ann Smith, \uff21nn Smith]\n", "4:25: the candidate 'Ａnn Smith' reads the same"),  # NFKC
    (HEAD + "tellers: [Bob Jones, B\u03bfb Jones]\ncandidates: [A, B]\n",  # Greek omicron
     "4:22: the teller 'Bοb Jones' reads the same as teller 1"),
    (HEAD + "candidates: [A, B]\nchannels: [{name: postal, issued: 1}, {name: p\u043estal, issued: 1}]\n",
     "5:46: the channel 'pоstal' reads the same as channel 1"),
    (HEAD + "candidates: [A, B]\nrejection_headings: [late, LATE]\n", "5:28: the heading 'LATE' reads the same"),
    ("format: opensel-contest/1\nkind: trigger\ntitle: T\ntrigger:\n  classes:\n    - name: Branches\n"
     "      units: [North, N\u043erth]\n", "7:22: the unit 'Nоrth' is listed twice in Branches (or reads the same"),
])
def test_names_that_read_the_same_are_refused_as_duplicates(text, expected):
    got = problems(text)
    assert len(got) == 1 and got[0].startswith(expected), got


def test_accents_make_different_names():
    c = parse_contest((HEAD + "candidates: [Siân Evans, Sian Evans]\n").encode("utf-8"), "c.yaml")
    assert c.names == ("Siân Evans", "Sian Evans")


@pytest.mark.parametrize("ballots, expected", [
    ("  - {ranking: [A], count: 100000000}\n", f"6:27: count is 100,000,000; it cannot be more than {MAX_WEIGHT:,}."),
    ("  - {ranking: [A], count: " + "9" * 5000 + "}\n", "6:27: the number '9999999999999999999999999999999999999999…' "
                                                       "has more than 20 digits"),
    ("  - {ranking: [A], count: \u0663}\n", "6:27: count '٣' is written with digits other than 0-9; write it with "
                                           "the digits 0 to 9."),
    ("  - {ranking: [A], count: \uff13\uff10}\n", "6:27: count '３０' is written with digits other than 0-9"),
    ("".join(f"  - {{ranking: [A], count: {MAX_WEIGHT}}}\n" for _ in range(2)),
     "6:3: the papers counted and rejected add up to 20,000,000, more than the 10,000,000 a contest can hold"),
])
def test_counts_and_totals_are_bounded_in_one_sentence(ballots, expected):
    start = time.process_time()
    got = problems(HEAD + "candidates: [A, B]\nballots:\n" + ballots)
    assert len(got) == 1 and got[0].startswith(expected), got
    assert time.process_time() - start < 1


def test_the_165_byte_file_with_a_hundred_million_papers_is_refused_at_once():
    text = HEAD + "candidates: [Ann, Bob]\nballots:\n  - {ranking: [Ann, Bob], count: 100000000}\n"
    assert len(text.encode()) < 170
    start = time.process_time()
    assert problems(text) == ["6:34: count is 100,000,000; it cannot be more than 10,000,000."]
    assert time.process_time() - start < 1


def test_the_largest_contest_is_read_without_expanding_it():
    text = HEAD + f"candidates: [A, B]\nballots:\n  - {{ranking: [A, B], count: {MAX_PAPERS}}}\n"
    start = time.process_time()
    c = parse_contest(text.encode(), "c.yaml")
    assert sum(b.count for b in c.ballots) == MAX_PAPERS and time.process_time() - start < 1


@pytest.mark.parametrize("text, expected", [
    (HEAD + "candidates: [A, B]\nchannels: [{name: box, issued: 99999999999}]\n",
     "5:32: issued papers (box) is 99,999,999,999; it cannot be more than 10,000,000."),
    (HEAD + "candidates: [A, B]\nrejected: {unmarked: 10000001}\n",
     "5:22: papers rejected as 'unmarked' is 10,000,001; it cannot be more than 10,000,000."),
    ("format: opensel-contest/1\nkind: motion\ntitle: T\nmotion: {for: 1000000000000000000000, against: 1}\n",
     "4:15: the number '1000000000000000000000' has more than 20 digits"),
    ("format: opensel-contest/1\nkind: motion\ntitle: T\nmotion: {for: 10000000001, against: 1}\n",
     "4:15: `for`: 10,000,000,001 is more than the 10,000,000 papers a contest can hold."),
    ("format: opensel-contest/1\ntitle: T\nmethod: {rule: exhaustive}\ncandidates: [A, B]\n"
     "rounds:\n  - votes: {A: \u0661\u0662, B: 1}\n", "6:16: votes for A: '١٢' is written with digits other than 0-9"),
])
def test_every_other_figure_is_bounded_too(text, expected):
    got = problems(text)
    assert len(got) == 1 and got[0].startswith(expected), got


def test_a_quoted_value_is_cut_and_escaped_for_a_message():
    from opensel_desktop.contest.names import quoted

    assert quoted("Ann Smith") == "'Ann Smith'"
    assert quoted("B" * 1000) == "'" + "B" * 60 + "…'"
    shown = quoted("Bob\u202e\x1b[31m")
    assert "\u202e" not in shown and "\x1b" not in shown and "\\u202e" in shown
    assert quoted(12) == "12"
