"""Double entry that cannot be faked: the second entry of a batch is keyed by another teller (a rule of
the app layer, so the command line obeys it as the window does), and a paper keyed by mistake is taken
back by the returning officer with a reason, never deleted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_run import run_opensel

from opensel_desktop.app import declaring, entry, rejections
from opensel_desktop.app.core import Session
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.contest.model import CandidateSpec, Contest

CONTEST = Contest(title="Selection", rule="av", seats=1, candidates=tuple(CandidateSpec(n) for n in ("Ann", "Bob")),
                  returning_officer="Jane Smith")
ENV = dict(os.environ)


def test_the_same_teller_cannot_key_both_entries(tmp_path: Path) -> None:
    with Session.create(CONTEST, tmp_path / "m.osel", "Jane Smith") as s:
        entry.enter_paper(s, [0, 1], "Ann Teller", batch="1")
        before = len(s.events())
        for same in ("Ann Teller", "ann teller"):  # not fooled by case
            with pytest.raises(AppError, match="keyed the first entry of batch 1") as refused:
                entry.enter_paper(s, [0, 1], same, batch="1", second=True)
            assert refused.value.step is Next.OTHER_TELLER
        with pytest.raises(AppError, match="keyed the first entry"):  # a rejection is an entry too
            rejections.reject(s, "unmarked", teller="Ann Teller", batch="1", paper=1, second=True)
        assert len(s.events()) == before  # nothing was journaled
        entry.enter_paper(s, [0, 1], "Bob Teller", batch="1", second=True)
        # and the first entry cannot be continued by the second teller either
        with pytest.raises(AppError, match="keyed the second entry of batch 1"):
            entry.enter_paper(s, [1], "Bob Teller", batch="1")
        assert s.batches()[0].state == "agreed" and s.batches()[0].tellers == ("Ann Teller", "Bob Teller")


def test_the_command_line_obeys_the_same_rule(tmp_path: Path) -> None:
    meeting = tmp_path / "m.osel"
    Session.create(CONTEST, meeting, "Jane Smith").close()
    run_opensel("enter", str(meeting), "--teller", "Ann Teller", "--batch", "1", stdin="1 2\n2\n", env=ENV)
    before = meeting.read_bytes()
    refused = run_opensel("enter", str(meeting), "--teller", "Ann Teller", "--batch", "1", "--second",
                          stdin="1 2\n2\n", env=ENV, ok=False)
    assert "Ann Teller keyed the first entry of batch 1" in refused.stderr
    assert "the other teller keys it with `opensel enter --second --teller NAME`" in refused.stderr
    assert meeting.read_bytes() == before
    run_opensel("enter", str(meeting), "--teller", "Bob Teller", "--batch", "1", "--second", stdin="1 2\n2\n",
                env=ENV)


def test_the_officer_withdraws_a_paper_keyed_by_mistake(tmp_path: Path) -> None:
    meeting = tmp_path / "m.osel"
    with Session.create(CONTEST, meeting, "Jane Smith") as s:
        for marks in ([0], [1], [0, 1]):
            entry.enter_paper(s, marks, "Ann Teller", batch="1", single=True)
    refused = run_opensel("diff", str(meeting), "--batch", "1", "--withdraw", "3", "--officer", "Jane Smith",
                          env=ENV, ok=False)
    assert "needs --reason and --officer" in refused.stderr
    out = run_opensel("diff", str(meeting), "--batch", "1", "--withdraw", "3", "--officer", "Jane Smith", "--reason",
                      "keyed twice: the paper was already paper 1", env=ENV).stdout
    assert "Paper 3 of batch 1 withdrawn by Jane Smith." in out
    with Session.open(meeting, "auditor", readonly=True) as s:
        assert s.batches()[0].papers == 2 and sorted(s.ballots().rankings()) == [((0,), 1), ((1,), 1)]
        kinds = [e.kind for e in s.events()]
        assert kinds.count("paper_entered") == 3 and kinds[-1] == "paper_withdrawn"  # the entry stays on record
    log = run_opensel("log", str(meeting), env=ENV).stdout
    assert "paper 3 withdrawn by Jane Smith; reason: keyed twice" in log
    with Session.open(meeting, "Jane Smith") as s:
        with pytest.raises(AppError, match="already withdrawn"):
            entry.withdraw_paper(s, "1", 3, "again", "Jane Smith")
        declaring.record_lot(s, "Bob's agent", chosen="Bob")  # Ann and Bob have one paper each
        declaring.declare(s, "Jane Smith", override_reason="no account at this test")
        with pytest.raises(AppError, match="locked"):
            entry.withdraw_paper(s, "1", 2, "too late", "Jane Smith")
