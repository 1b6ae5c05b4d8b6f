"""CSV ballots: one row per paper, ranks (or X) in candidate columns, errors with line and column."""

import pytest

from opensel_desktop.cli import main
from opensel_desktop.contest.csv_io import parse_csv_ballots
from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.yaml_io import load_contest


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
