"""`opensel log` words the meeting's own entries (trigger returns) instead of just naming the event kind."""

from pathlib import Path

from opensel_desktop.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_log_shows_who_reported_a_unit_return_and_why_it_changed(tmp_path, capsys):
    osel = tmp_path / "t.osel"
    assert main(["new", str(REPO / "resources/examples/trigger-ballot.yaml"), "-o", str(osel),
                 "--officer", "Jane Smith"]) == 0
    assert main(["unit-return", str(osel), "--unit", "Central ward branch", "--decision", "no",
                 "--reported-by", "Ann Sec", "--reason", "reconvened meeting"]) == 0
    capsys.readouterr()
    assert main(["log", str(osel)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert "return of Central ward branch (Party branches): no, reported by Ann Sec; reason: reconvened meeting" \
        in last
