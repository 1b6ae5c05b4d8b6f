"""Rejections in double entry and their withdrawal, on a real .osel.

A paper one teller rejects and the other keys is a mismatch the officer resolves like any other; a
rejection recorded in error is withdrawn by an appended event, and replay (in this process, in a
fresh open, and in the independent audit) no longer counts it while the old event stays in the log.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from opensel_desktop.app import entry, rejections
from opensel_desktop.app.audit import audit
from opensel_desktop.app.core import Session
from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.model import CandidateSpec, Channel, Contest

NAMES = ("Siân Evans", "Tom Jones", "Łukasz Nowak")
PAPERS = {1: [0, 1], 2: [1], 3: [2, 0], 4: [0], 5: [1, 2]}


def contest() -> Contest:
    return Contest(title="Selection", rule="av", seats=1, candidates=tuple(CandidateSpec(n) for n in NAMES),
                   returning_officer="Jane Smith", channels=(Channel("in-room", 7, 1, 1, 5),))


def opensel(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "opensel_desktop.cli", *args], capture_output=True, text=True,
                          timeout=60)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "meeting.osel"


def key_batch(s: Session, teller: str, rejected: dict[int, str], second: bool = False) -> None:
    for n in sorted(PAPERS):
        if n in rejected:
            rejections.reject(s, rejected[n], teller=teller, batch="A", paper=n, second=second)
        else:
            entry.enter_paper(s, PAPERS[n], teller, batch="A", seq=n, second=second)


def test_a_second_tellers_rejection_is_journaled_and_compared(path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as s:
        key_batch(s, "Ann", {3: "unmarked"})
        assert s.rejected() == {}  # the batch is not agreed yet: nothing of it counts
        key_batch(s, "Bob", {3: "unmarked", 5: "void for uncertainty"}, second=True)
        second = [e for e in s.events() if e.kind == "paper_rejected" and e.data["side"] == "second"]
        assert [(e.actor, e.data["paper"], e.data["heading"]) for e in second] == [
            ("Bob", 3, "unmarked"), ("Bob", 5, "void for uncertainty")]
        # paper 5: keyed by Ann, rejected by Bob -> one mismatch; paper 3 agrees (both rejected alike)
        assert [(m.paper, m.first, m.second, m.first_rejected, m.second_rejected) for m in s.diff("A")] == [
            (5, (1, 2), None, None, "void for uncertainty")]
        assert s.batches()[0].state == "mismatched" and s.ballots().total == 0
        # the officer looks at paper 5: it is void after all
        entry.resolve_mismatch(s, "A", 5, None, "paper inspected", "Jane Smith", rejected="void for uncertainty")
        assert s.diff("A") == () and s.batches()[0].state == "agreed"
        assert s.rejected() == {"unmarked": 1, "void for uncertainty": 1}
        assert s.ballots().total == 3
        account = s.account()
        assert account.counted == 3 and account.rejected == {"unmarked": 1, "void for uncertainty": 1}
        assert account.reconciles  # 7 issued - 1 spoilt - 1 unused = 5 = 3 valid + 2 rejected
    with Session.open(path, "auditor", readonly=True) as again:  # a fresh replay says the same
        assert again.rejected() == {"unmarked": 1, "void for uncertainty": 1} and again.ballots().total == 3


def test_a_paper_rejected_by_one_and_counted_by_the_officer(path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as s:
        key_batch(s, "Ann", {2: "unmarked"})
        key_batch(s, "Bob", {}, second=True)
        assert [(m.paper, m.first_rejected, m.second) for m in s.diff("A")] == [(2, "unmarked", (1,))]
        entry.resolve_mismatch(s, "A", 2, [1], "paper inspected: a clear 1 for Tom Jones", "Jane Smith")
        assert s.rejected() == {} and s.ballots().total == 5
        with pytest.raises(AppError, match="either rejected or counted"):
            entry.resolve_mismatch(s, "A", 2, [1], "x", "Jane Smith", rejected="unmarked")


def test_withdrawing_a_rejection_keyed_in_error(path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as s:
        rejections.reject(s, "unmarked", teller="Ann", batch="A", paper=1)
        with pytest.raises(AppError, match="recorded as rejected"):
            entry.enter_paper(s, [0, 1], "Ann", batch="A", seq=1)
        with pytest.raises(AppError, match="reason"):
            rejections.correct_rejection(s, "", batch="A", paper=1)
        changes = rejections.correct_rejection(s, "keyed R by mistake", batch="A", paper=1, teller="Ann")
        assert changes.message == "Rejection of paper 1 of batch A as 'unmarked' withdrawn."
        with pytest.raises(AppError, match="no rejection"):
            rejections.correct_rejection(s, "again", batch="A", paper=1)
        entry.enter_paper(s, [0, 1], "Ann", batch="A", seq=1)  # the paper is keyed as it is
        entry.enter_paper(s, [0, 1], "Bob", batch="A", seq=1, second=True)
        assert s.diff("A") == () and s.rejected() == {} and s.ballots().total == 1
        # the officer's own rejections (no batch) are withdrawn by their event number
        rejections.reject(s, "want of official mark", 2, "Jane Smith")
        seq = s.events()[-1].seq
        assert s.rejected() == {"want of official mark": 2}
        rejections.correct_rejection(s, "the mark was there after all", event=seq, teller="Jane Smith")
        assert s.rejected() == {}
        with pytest.raises(AppError, match="still stands"):
            rejections.correct_rejection(s, "twice", event=seq)
        kinds = [e.kind for e in s.events()]
        assert kinds.count("paper_rejected") == 2 and kinds.count("rejection_withdrawn") == 2
    report = audit(path)
    assert report.ok, report.lines()
    log = opensel("log", str(path))
    assert log.returncode == 0, log.stderr
    assert "rejected as 'unmarked'" in log.stdout  # the withdrawn rejection stays visible
    assert "withdrawn" in log.stdout and "keyed R by mistake" in log.stdout


def test_cli_reject_second_and_withdraw(path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as s:
        entry.enter_paper(s, [0], "Ann", batch="A", seq=1)
        entry.enter_paper(s, [1], "Ann", batch="A", seq=2)
    r = opensel("reject", str(path), "--heading", "unmarked", "--batch", "A", "--paper", "2", "--second",
                "--officer", "Bob")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "Paper 2 of batch A saved as rejected (unmarked)."
    diff = opensel("diff", str(path), "--batch", "A")
    assert "paper 2:" in diff.stdout and "rejected as unmarked" in diff.stdout, diff.stdout
    bad = opensel("reject", str(path), "--withdraw", "--batch", "A", "--paper", "2", "--second")
    assert bad.returncode == 1 and "--reason" in bad.stderr and "Traceback" not in bad.stderr
    ok = opensel("reject", str(path), "--withdraw", "--batch", "A", "--paper", "2", "--second",
                 "--reason", "Bob pressed R on a valid paper", "--officer", "Bob")
    assert ok.returncode == 0, ok.stderr
    with Session.open(path, "auditor", readonly=True) as s:
        assert s.diff("A") == () and s.batches()[0].state == "awaiting second entry"  # B's entry is empty again
        seq = next(e.seq for e in s.events() if e.kind == "paper_rejected")
    again = opensel("reject", str(path), "--withdraw", str(seq), "--reason", "twice")
    assert again.returncode == 1 and "still stands" in again.stderr
