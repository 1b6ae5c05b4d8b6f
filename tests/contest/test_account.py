"""The ballot paper account: per channel and in total, its variances, and the refusal to count without it."""

import json
from pathlib import Path

import pytest

from opensel_desktop.app.account import require_reconciled
from opensel_desktop.app.errors import AppError
from opensel_desktop.cli import main
from opensel_desktop.contest.account import account_of
from opensel_desktop.contest.yaml_io import parse_contest

REPO = Path(__file__).resolve().parents[2]

HEAD = """format: opensel-contest/1
title: Branch chair
method: {rule: av, seats: 1}
candidates: [Ann Hughes, Bob Jones]
"""


def contest(channels: str, ballots: str = "", rejected: str = "", path: str = "c.yaml"):
    text = HEAD + "channels:\n" + channels + rejected + ("ballots:\n" + ballots if ballots else "")
    return parse_contest(text.encode("utf-8"), path)


BALANCED = contest(
    "  - {name: in-room, issued: 30, spoilt: 1, unused: 4, returned: 25}\n"
    "  - {name: postal, issued: 10, spoilt: 0, unused: 2, returned: 8}\n",
    "  - {ranking: [Ann Hughes, Bob Jones], count: 14, channel: in-room}\n"
    "  - {ranking: [Bob Jones], count: 10, channel: in-room}\n"
    "  - {ranking: [Bob Jones], count: 7, channel: postal}\n",
    "rejected: {unmarked: 1, received late: 1}\n",
)


def test_a_balanced_account_reconciles_per_channel_and_in_total():
    acc = account_of(BALANCED)
    room, postal = acc.channels
    assert (room.expected, room.found, room.counted, room.variance) == (25, 25, 24, 0)
    assert (postal.expected, postal.found, postal.counted, postal.variance) == (8, 8, 7, 0)
    assert (acc.issued, acc.spoilt, acc.unused, acc.expected, acc.found) == (40, 1, 6, 33, 33)
    assert acc.counted == 31 and acc.rejected_total == 2 and acc.count_variance == 0
    assert acc.rejected == (("unmarked", 1), ("received late", 1))  # statutory headings first
    assert acc.reconciles and acc.problems() == []
    assert require_reconciled(BALANCED).override_reason is None
    assert "The ballot paper account reconciles." in acc.lines()


def test_papers_missing_from_a_box_are_a_variance_with_an_explanation_of_what_to_do():
    c = contest("  - {name: box 2, issued: 50, spoilt: 2, unused: 5, returned: 40}\n",
                "  - {ranking: [Ann Hughes], count: 40}\n")
    acc = account_of(c)
    (box,) = acc.channels
    assert box.variance == -3 and not acc.reconciles
    assert acc.problems() == ["box 2: 43 expected (50 issued - 2 spoilt - 5 unused), 40 found: 3 fewer than "
                              "expected. Recount box 2 until two counts agree, then record the variance's "
                              "explanation."]
    with pytest.raises(AppError, match=r"^the ballot paper account does not reconcile \(box 2: 43 "
                                       r"expected .*--override-reason REASON\.$"):
        require_reconciled(c)
    decision = require_reconciled(c, override="Three papers taken away by voters; agreed by agents.")
    assert decision.overridden and decision.override_reason.startswith("Three papers")
    with pytest.raises(AppError, match="needs a reason"):
        require_reconciled(c, override="   ")


def test_a_recorded_explanation_lets_the_count_go_ahead_and_is_kept():
    c = contest("  - {name: in-room, issued: 20, spoilt: 0, unused: 0, returned: 19, "
                "explanation: one paper taken away by a member who left early}\n",
                "  - {ranking: [Ann Hughes], count: 19}\n")
    acc = account_of(c)
    assert not acc.reconciles and acc.explained
    assert require_reconciled(c).override_reason == "in-room: one paper taken away by a member who left early"


def test_counted_plus_rejected_must_match_papers_found():
    c = contest("  - {name: in-room, issued: 20, spoilt: 0, unused: 0, returned: 20}\n",
                "  - {ranking: [Ann Hughes], count: 18}\n", "rejected: {unmarked: 1}\n")
    acc = account_of(c)
    assert acc.channels[0].reconciles and acc.count_variance == -1 and not acc.reconciles
    assert "18 counted + 1 rejected = 19, 1 fewer than the 20 papers found" in acc.problems()[0]
    assert not acc.explained  # an entry error cannot be explained away: recount or override


def test_papers_found_not_recorded_yet():
    c = contest("  - {name: postal, issued: 20, spoilt: 0, unused: 0}\n")
    acc = account_of(c)
    assert acc.found is None and acc.counted is None and not acc.reconciles
    assert "papers found not yet recorded" in acc.problems()[0]


def test_counts_entered_elsewhere_can_be_given():
    acc = account_of(BALANCED, counted={"in-room": 20, "postal": 7}, rejected={"unmarked": 2})
    assert acc.count_variance == -4 and acc.channels[0].counted == 20


def test_a_contest_without_channels_has_nothing_to_reconcile():
    c = parse_contest((HEAD + "ballots:\n  - {ranking: [Ann Hughes]}\n").encode(), "c.yaml")
    acc = account_of(c)
    assert acc.reconciles and not acc.recorded
    assert acc.lines() == ["No ballot paper account is recorded in this contest (no 'channels:')."]


def test_count_refuses_an_unreconciled_contest_then_counts_with_an_override(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + "channels:\n  - {name: in-room, issued: 10, spoilt: 0, unused: 0, returned: 9}\n"
                    "ballots:\n  - {ranking: [Ann Hughes], count: 5}\n  - {ranking: [Bob Jones], count: 4}\n",
                    encoding="utf-8")
    before = path.read_bytes()
    assert main(["count", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"opensel: {path}: the ballot paper account does not reconcile (in-room: 10 expected")
    assert main(["count", str(path), "--format", "json", "--override-reason", "one paper lost"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["elected"] == ["Ann Hughes"]
    assert path.read_bytes() == before


def test_check_prints_the_account(capsys):
    path = REPO / "resources/examples/stv-delegates.yaml"
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{path}: valid contest file.\n")
    assert "in-room" in out and "online" in out and "The ballot paper account reconciles." in out
    assert main(["check", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["account"]["reconciles"] is True and data["papers"] == 150
    assert data["account"]["expected"] == data["account"]["found"] == 152
