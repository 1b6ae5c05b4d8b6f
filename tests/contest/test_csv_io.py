"""CSV ballots: one row per paper, ranks (or X) in candidate columns, errors with line and column."""

import csv
import io
from pathlib import Path

import pytest

from opensel_desktop.cli import main
from opensel_desktop.contest.csv_io import (
    from_spreadsheet,
    parse_csv_ballots,
    spreadsheet_safe,
    write_csv_ballots,
)
from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.yaml_io import load_contest
from opensel_desktop.engine.model import Ballots

REPO = Path(__file__).resolve().parents[2]


def parse(text: str):
    return parse_csv_ballots(text.encode("utf-8"), "b.csv")


def test_ranked_papers_with_an_id_column():
    c = parse("id,Siân Evans,Tom Jones,\"Nowak, Łukasz\"\n1,1,2,\n2,,1,2\n3,2,1,3\n4,1,2,\n")
    assert c.names == ("Siân Evans", "Tom Jones", "Nowak, Łukasz") and not c.xvotes
    assert sorted(c.ballots.rankings()) == [((0, 1), 2), ((1, 0, 2), 1), ((1, 2), 1)]
    assert c.rejected == {}


def test_uncertain_preferences_stop_and_unusable_papers_are_rejected_by_heading():
    c = parse("A,B,C\n1,2,2\n1,,3\n,2,3\n,,\n1,1,2\n")
    assert sorted(c.ballots.rankings()) == [((0,), 2)]  # equal 2nds / a gap: preferences stop
    assert c.rejected == {"first preference not indicated": 1, "unmarked": 1, "void for uncertainty": 1}
    assert any("stop there" in n for n in c.notes)


def test_x_votes():
    c = parse("A,B,C\nX,,x\n,X,\n")
    assert c.xvotes and sorted(c.ballots.rankings()) == [((0, 2), 1), ((1,), 1)]


@pytest.mark.parametrize("text, where, message", [
    ("", "1:1", "the file is empty"),
    ("A,B,A\n1,2,3\n", "1:5", "the candidate 'A' is named twice in the header"),
    ("A,,C\n", "1:3", "column 2 of the header has no candidate name"),
    ("1,2,3\n", "1:1", "looks like a mark, not a name"),
    ("A,B,C\n1,2\n", "2:-", "this row has 2 cells but the header has 3"),
    ("A,B,C\n1,two,\n", "2:3", "'two' for B is not a rank"),
    ("A,B,C\n1,X,\n", "2:3", "this file mixes ranks and X-votes"),
    ("A,B,C\n1,0,\n", "2:3", "'0' for B is not a rank"),
])
def test_errors_name_line_and_column(text, where, message):
    with pytest.raises(ContestError) as err:
        parse(text)
    p = err.value.problems[0]
    assert f"{p.line or '-'}:{p.column or '-'}" == where
    assert message in p.message and p.path == "b.csv"


def test_every_bad_row_is_reported_at_once():
    with pytest.raises(ContestError) as err:
        parse("A,B\n1,z\n1,2\nq,1\n")
    assert [(p.line, p.column) for p in err.value.problems] == [(2, 3), (4, 1)]


def test_not_utf8_and_binary():
    with pytest.raises(ContestError, match="not UTF-8"):
        parse_csv_ballots(b"A,B\n1,\xff\n", "b.csv")
    with pytest.raises(ContestError, match="binary"):
        parse_csv_ballots(b"A,B\x00\n", "b.csv")


def test_convert_csv_to_contest_and_count(tmp_path, capsys):
    src = tmp_path / "papers.csv"
    src.write_text("Ann,Bob,Cat\n1,2,\n1,,2\n,1,2\n2,1,\n,,1\n1,2,3\n", encoding="utf-8")
    out = tmp_path / "papers.yaml"
    assert main(["convert", str(src), str(out), "--rule", "scottish", "--seats", "2"]) == 0
    c = load_contest(out)
    assert c.names == ("Ann", "Bob", "Cat") and c.seats == 2 and sum(b.count for b in c.ballots) == 6
    assert main(["convert", str(src), str(tmp_path / "r.json"), "--rule", "scottish", "--seats", "2"]) == 0
    assert main(["convert", str(src), str(tmp_path / "r2.json")]) == 1
    assert "carry no rule" in capsys.readouterr().err


def test_count_csv_directly(tmp_path, capsys):
    src = tmp_path / "x.csv"
    src.write_text("Ann,Bob,Cat\nX,,\nX,X,\n,X,X\n,X,\n", encoding="utf-8")
    assert main(["count", str(src), "--rule", "av"]) == 1
    assert "X-votes" in capsys.readouterr().err
    assert main(["count", str(src), "--rule", "block", "--seats", "2", "--format", "json"]) == 0
    assert '"seats": 2' in capsys.readouterr().out


# ---- writing CSV: the shape the reader reads back, and no cell a spreadsheet runs --------------------------

def runs_as_formula(cell: str) -> bool:
    return cell != "" and cell[0] in "=+-@\t\r" and cell not in ("-1", "-0.5")


HOSTILE_NAMES = ("=HYPERLINK(\"http://x\",\"y\")", "+SUM(A1)", "-2+3", "@cmd", "'=already", "''", "Ann, Smith",
                 "Siân \"Quote\" Evans", "'t Hooft", "Ordinary")


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-A1", "@SUM(A1)", "\tx", "\rx", "'=x", "''", "'", "'t Hooft",
                                  "plain", "", "-1", "-0.5", "12", "=", "''="])
def test_spreadsheet_guard_reads_back_exactly(cell):
    written = spreadsheet_safe(cell)
    assert from_spreadsheet(written) == cell
    if runs_as_formula(cell):
        assert written.startswith("'")  # never a live formula
    assert not runs_as_formula(written)


@pytest.mark.parametrize("xvotes", [False, True])
def test_written_ballots_read_back_to_the_same_names_and_papers(xvotes):
    rows = [((0, 1, 2), 3), ((3, 4), 2), ((9,), 1), ((5, 6, 7, 8), 1), ((2, 0), 4)]
    ballots = Ballots.from_rankings(rows)
    text = write_csv_ballots(HOSTILE_NAMES, ballots, xvotes)
    for line in text.splitlines():
        for cell in next(csv.reader([line])):
            assert not runs_as_formula(cell), cell  # nothing a spreadsheet would run
    back = parse_csv_ballots(text.encode("utf-8"), "b.csv")
    assert back.names == HOSTILE_NAMES and back.xvotes == xvotes and back.rejected == {}
    expected = sorted((tuple(sorted(r)) if xvotes else r, w) for r, w in rows)
    assert sorted(back.ballots.grouped().rankings()) == expected


@pytest.mark.parametrize("names, message", [
    (("Ann", "X"), "would read as a mark"),
    (("id", "Ann"), "column of paper numbers"),
    (("Ann", "Bob\u202e"), "invisible formatting character"),
    (("Ann", "\u0410nn"), "read the same"),
    (("Ann", " Bob"), "starts or ends with spaces"),
])
def test_names_that_would_not_read_back_are_not_written(names, message):
    with pytest.raises(ValueError, match=message):
        write_csv_ballots(names, Ballots.from_rankings([((0, 1), 1)]))


@pytest.mark.parametrize("header, where, message", [
    ("Ann,Bob\u202eX\n", "1:5", "invisible formatting character (U+202E"),
    ("Ann,B\u200bob\n", "1:5", "invisible formatting character (U+200B"),
    ("Ann,\x1b[31mBob\n", "1:5", "control character (U+001B)"),
    ("Ann,\u0410nn\n", "1:5", "reads the same as 'Ann'"),
    ("Ann,ANN\n", "1:5", "reads the same as 'Ann'"),
])
def test_header_names_are_plain_and_distinct(header, where, message):
    with pytest.raises(ContestError) as err:
        parse(header + "1,2\n")
    p = err.value.problems[0]
    assert f"{p.line}:{p.column}" == where and message in p.message
    assert "\x1b" not in str(err.value) and "\u202e" not in str(err.value)


@pytest.mark.parametrize("cell, message", [
    ("\u0661", "digits other than 0-9"),  # Arabic-Indic one: int() would read it as 1
    ("\uff11", "digits other than 0-9"),  # full-width one
    ("9" * 5000, "more than 20 digits"),
])
def test_ranks_in_other_digits_or_far_too_long_get_one_sentence(cell, message):
    with pytest.raises(ContestError) as err:
        parse(f"Ann,Bob\n{cell},\n")
    assert len(err.value.problems) == 1 and message in err.value.problems[0].message


def test_convert_writes_csv_ballots_that_read_back(tmp_path, capsys):
    src = REPO / "resources" / "examples" / "stv-delegates.yaml"
    out = tmp_path / "papers.csv"
    assert main(["convert", str(src), str(out)]) == 0
    assert "not in it" in capsys.readouterr().err  # channels and rejected papers are not part of a CSV
    contest = load_contest(src)
    back = parse_csv_ballots(out.read_bytes(), str(out))
    assert back.names == contest.names
    assert sorted(back.ballots.grouped().rankings()) == \
        sorted(Ballots.from_rankings((b.marks, b.count) for b in contest.ballots).grouped().rankings())
    blt = tmp_path / "papers.blt"
    assert main(["convert", str(src), str(blt)]) == 0
    again = tmp_path / "again.csv"
    assert main(["convert", str(blt), str(again)]) == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_stage_table_cells_never_run_as_formulas(tmp_path, capsys):
    src = tmp_path / "c.yaml"
    src.write_text("format: opensel-contest/1\ntitle: T\nmethod: {rule: scottish, seats: 1}\n"
                   "candidates: ['=cmd|calc', '+Bob', '@Cat']\n"
                   "ballots:\n  - {ranking: ['=cmd|calc', '+Bob'], count: 3}\n  - {ranking: ['@Cat'], count: 2}\n",
                   encoding="utf-8")
    assert main(["count", str(src), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    cells = [c for row in rows for c in row]
    assert "'=cmd|calc" in cells and "'+Bob" in cells and "'@Cat" in cells
    assert not any(runs_as_formula(c) for c in cells)
    assert main(["convert", str(src), str(tmp_path / "r.stages.csv")]) == 0
    assert (tmp_path / "r.stages.csv").read_text(encoding="utf-8") == "\n".join(",".join(
        f'"{c}"' if "," in c or '"' in c else c for c in row) for row in rows) + "\n"
