"""The meeting's use-cases on a real .osel: double entry, corrections, account, lots, declaration, replay."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from opensel_desktop.app import account as account_uc
from opensel_desktop.app import declaring, entry, rejections, rounds
from opensel_desktop.app.audit import audit
from opensel_desktop.app.core import Session
from opensel_desktop.app.counting import count_file
from opensel_desktop.app.declaring import result_hash as result_digest
from opensel_desktop.app.errors import AppError
from opensel_desktop.app.sheets import record_signature
from opensel_desktop.cli import main
from opensel_desktop.contest.model import BallotSpec, CandidateSpec, Channel, Contest
from opensel_desktop.engine import NeedsLot

NAMES = ("Siân Evans", "Tom Jones", "Łukasz Nowak", "Dafydd ap Gwŵr")
# a count journaled over a contest with no ballot paper account needs a reason (tests about the account give none)
NO_ACCOUNT = "no account was kept at this test meeting"


def contest(rule: str = "av", seats: int = 1, channels=(), ballots=(), names=NAMES) -> Contest:
    return Contest(title="Selection", rule=rule, seats=seats, candidates=tuple(CandidateSpec(n) for n in names),
                   returning_officer="Jane Smith", channels=channels, ballots=ballots)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "meeting.osel"


def test_double_entry_counts_only_agreed_batches(path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as s:
        papers = [[0, 1], [1], [2, 0, 1], [3, 2]]
        for p in papers:
            changes = entry.enter_paper(s, p, "Ann", batch="A")
        assert changes.paper == 4 and changes.message == "Paper 4 of batch A saved." and changes.batch == "A"
        assert s.batches()[0].state == "awaiting second entry" and s.ballots().total == 0
        for p in [[0, 1], [1, 0], [2, 0, 1]]:
            entry.enter_paper(s, p, "Bob", batch="A", second=True)
        diff = s.diff("A")
        assert [(m.paper, m.first, m.second) for m in diff] == [(2, (1,), (1, 0)), (4, (3, 2), None)]
        assert s.ballots().total == 0
        entry.correct_paper(s, "A", 2, [1], "misread the second preference", "Bob", second=True)
        entry.resolve_mismatch(s, "A", 4, [3, 2], "paper inspected by the returning officer", "Jane Smith")
        assert s.diff("A") == () and s.batches()[0].state == "agreed"
        assert sorted(s.ballots().rankings()) == sorted((tuple(p), 1) for p in papers)
        # the old entries stay in the journal
        assert [e.kind for e in s.events()].count("paper_entered") == 7


def test_papers_that_cannot_be_valid_are_refused_with_a_heading(path: Path) -> None:
    with Session.create(contest(rule="fptp"), path, "Jane Smith") as s:
        with pytest.raises(AppError, match="'unmarked'"):
            entry.enter_paper(s, [], "Ann")
        with pytest.raises(AppError, match="voting for more candidates than entitled"):
            entry.enter_paper(s, [0, 1], "Ann")
        with pytest.raises(AppError, match="does not exist"):
            entry.enter_paper(s, [7], "Ann")
        with pytest.raises(AppError, match="not a rejection heading"):
            rejections.reject(s, "looked funny")
        assert len(s.events()) == 1  # nothing was journaled
        rejections.reject(s, "Unmarked", 3, "Ann")
        assert s.rejected() == {"unmarked": 3}


def test_replay_gives_the_same_count_as_the_exported_blt(path: Path, tmp_path: Path) -> None:
    rng = random.Random(11)
    names = tuple(f"Candidate {c}" for c in "ABCDEFG")
    with Session.create(contest("scottish", 3, names=names), path, "Jane Smith") as s:
        for i in range(300):
            entry.enter_paper(s, rng.sample(range(7), rng.randint(1, 7)), "Ann", batch=f"box {i % 3}", single=True)
        from_journal = declaring.count_meeting(s, override_reason=NO_ACCOUNT)
    blt = tmp_path / "export.blt"
    assert main(["export", str(path), "--blt", "-o", str(blt)]) == 0
    from_blt = count_file(blt, rule="scottish")
    assert from_blt.elected == from_journal.elected and from_blt.stages == from_journal.stages
    assert from_journal.valid_poll == 300 * 10**5


def test_account_must_reconcile_before_declaration(path: Path) -> None:
    with Session.create(contest(channels=(Channel("in-room", 10, 1, 2),)), path, "Jane Smith") as s:
        for p in ([0], [1, 0], [0, 2], [2, 1], [0]):
            entry.enter_paper(s, p, "Ann", batch="A", single=True)
        rejections.reject(s, "unmarked", 1)
        assert not s.account().reconciles
        with pytest.raises(AppError, match="does not reconcile"):
            declaring.declare(s, "Jane Smith")
        account_uc.record_account(s, "in-room", 10, 1, 2, returned=7)  # 7 expected, 7 found; 5 valid + 1 rejected = 6
        assert any("counted" in p for p in s.account().problems)
        entry.enter_paper(s, [1], "Ann", batch="A")
        account = s.account()
        assert account.reconciles and account.counted == 6 and account.rejected == {"unmarked": 1}
        changes = declaring.declare(s, "Jane Smith")
        assert "locked" in changes.message and s.state == "declared"
        for write in (lambda: entry.enter_paper(s, [0], "Ann", batch="B"), lambda: rejections.reject(s, "unmarked"),
                      lambda: account_uc.record_account(s, "postal", 1, 0, 0, 1), lambda: declaring.declare(s, "Jane Smith"),
                      lambda: declaring.record_lot(s, "Witness")):
            with pytest.raises(AppError, match="locked"):
                write()
        record_signature(s, "declaration", "ab" * 32, "Jane Smith", {})  # signing is part of declaring


def test_override_reason_is_journaled_and_unagreed_batches_still_block(path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as s:
        entry.enter_paper(s, [0], "Ann", batch="A")
        with pytest.raises(AppError, match="batch A is not agreed"):
            declaring.declare(s, "Jane Smith", override_reason="no account was kept")
        entry.enter_paper(s, [0], "Bob", batch="A", second=True)
        declaring.declare(s, "Jane Smith", override_reason="no account was kept at this branch meeting")
        assert s.declared.override_reason == "no account was kept at this branch meeting"
        assert s.declared.digest == result_digest(declaring.count_meeting(s, journal=False))


def test_a_lot_is_drawn_once_and_replayed(path: Path) -> None:
    # A and B tie for last place with nothing else to separate them
    ballots = (BallotSpec((0,), 2), BallotSpec((1,), 2), BallotSpec((2,), 3))
    with Session.create(contest(ballots=ballots, names=NAMES[:3]), path, "Jane Smith") as s:
        with pytest.raises(NeedsLot):
            declaring.count_meeting(s, override_reason=NO_ACCOUNT)
        request = declaring.lot_needed(s)
        assert request is not None and set(request.among) == {"Siân Evans", "Tom Jones"}
        changes = declaring.record_lot(s, "Agent Smith", seed="envelope 7")
        assert changes.areas >= {"lots"}
        first = declaring.count_meeting(s, override_reason=NO_ACCOUNT)
        assert first.lots and first.lots[0].how == "recorded"
        with pytest.raises(AppError, match="no lot is needed"):
            declaring.record_lot(s, "Agent Smith")
        declaring.declare(s, "Jane Smith", override_reason="test meeting")
    report = audit(path)
    assert report.ok, report.lines()
    with Session.open(path, "auditor", readonly=True) as s:
        assert declaring.count_meeting(s, override_reason=NO_ACCOUNT).stages == first.stages


def test_physical_draw_names_a_tied_candidate(path: Path) -> None:
    ballots = (BallotSpec((0,), 2), BallotSpec((1,), 2), BallotSpec((2,), 3))
    with Session.create(contest(ballots=ballots, names=NAMES[:3]), path, "Jane Smith") as s:
        with pytest.raises(AppError, match="not among the tied"):
            declaring.record_lot(s, "Agent", chosen="Łukasz Nowak")
        declaring.record_lot(s, "Agent", chosen="Tom Jones")
        lot = declaring.count_meeting(s, override_reason=NO_ACCOUNT).lots[0]
        assert lot.chosen == "Tom Jones"


def test_block_vote_bundles_double_entered(path: Path) -> None:
    with Session.create(contest("block", 2), path, "Jane Smith") as s:
        entry.enter_bundle(s, "bundle 1", {"Siân Evans": 20, "Tom Jones": 15, "Łukasz Nowak": 9}, "Ann", papers=25)
        entry.enter_bundle(s, "bundle 1", {"Siân Evans": 20, "Tom Jones": 14, "Łukasz Nowak": 9}, "Bob", second=True,
                       papers=25)
        (m,) = s.diff("bundle 1")
        assert m.paper == 0 and m.first == (20, 15, 9, 0) and m.second == (20, 14, 9, 0)
        entry.resolve_bundle(s, "bundle 1", {0: 20, 1: 15, 2: 9}, "bundle recounted twice", "Jane Smith")
        assert s.account().counted == 25
        result = declaring.count_meeting(s, override_reason=NO_ACCOUNT)
        assert result.elected == ("Siân Evans", "Tom Jones")
        assert result.stages[0].votes["Tom Jones"] == 15


def test_contest_file_papers_become_one_single_entry_batch(path: Path) -> None:
    with Session.create(contest(ballots=(BallotSpec((0, 1), 3), BallotSpec((1,), 2))), path, "Jane Smith") as s:
        (b,) = s.batches()
        assert b.state == "single" and b.papers == 5 and b.tellers == ("Jane Smith",)
        assert all(e.actor == "Jane Smith" for e in s.events())


def test_a_second_window_sees_the_first_windows_entries(path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as one, Session.open(path, "Bob") as two:
        entry.enter_paper(one, [0, 1], "Ann", batch="A", single=True)
        assert two.ballots().total == 1
        entry.enter_paper(two, [1], "Bob", batch="A")
        assert one.ballots().total == 2 and one.head_hash == two.head_hash


def test_teller_switch_is_journaled_and_used(path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as s:
        entry.switch_teller(s, "Carol Teller")
        entry.enter_paper(s, [2], batch="C", single=True)
        assert [(e.kind, e.actor) for e in s.events()][-2:] == [("teller_switched", "Carol Teller"),
                                                                ("paper_entered", "Carol Teller")]


def test_linked_recount_contest_after_declaration(path: Path, tmp_path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as s:
        entry.enter_paper(s, [0, 1], "Ann", batch="A", single=True)
        entry.enter_paper(s, [1], "Ann", batch="A")
        with pytest.raises(AppError, match="not declared"):
            declaring.create_linked_recount(s, tmp_path / "recount.osel", "Jane Smith")
        declaring.declare(s, "Jane Smith", override_reason="small test")
        before = path.read_bytes()
        with declaring.create_linked_recount(s, tmp_path / "recount.osel", "Jane Smith") as r:
            assert r.replay.linked_to == {"contest_id": s.contest_id, "head": s.head_hash, "file": "meeting.osel"}
            assert r.ballots().total == 2 and r.state == "entering"
        assert path.read_bytes() == before


def test_exhaustive_rounds_are_journaled_and_counted(path: Path) -> None:
    from dataclasses import replace

    from opensel_desktop.contest.yaml_io import load_contest

    example = load_contest(Path(__file__).resolve().parents[2] / "resources/examples/exhaustive-meeting.yaml")
    every_round = example.extra["rounds"]
    with Session.create(replace(example, extra={**example.extra, "rounds": every_round[:1]}), path,
                        "Jane Smith") as s:
        assert declaring.count_meeting(s, journal=False).decision["outcome"] == "another round needed"
        for r in every_round[1:]:
            rounds.enter_round(s, r, "Jane Smith")
        mine = declaring.count_meeting(s, override_reason=NO_ACCOUNT)
    whole = count_file(Path(__file__).resolve().parents[2] / "resources/examples/exhaustive-meeting.yaml",
                       override="test")
    assert mine.elected == whole.elected and mine.stages == whole.stages


def test_count_file_on_a_saved_contest_journals_only_the_contests_own_count(path: Path) -> None:
    with Session.create(contest(seats=1), path, "Jane Smith") as s:
        for p in ([0, 1], [0], [1, 2], [1], [2, 0], [0], [3, 2, 1]):
            entry.enter_paper(s, p, "Ann", batch="A", single=True)
    what_if = count_file(path, rule="scottish", seats=2, seed="1")
    assert what_if.what_if and what_if.rule == "scottish"
    with Session.open(path, "auditor", readonly=True) as s:
        assert s.provisional is None
    own = count_file(path)  # no account recorded: a provisional count needs no reason (a declaration does)
    with Session.open(path, "auditor", readonly=True) as s:
        assert s.provisional.digest == result_digest(own) and s.state == "counted"
        assert s.provisional.override_reason is None
    with Session.open(path, "Jane Smith") as s:
        with pytest.raises(AppError, match="no ballot paper account is recorded"):
            declaring.declare(s, "Jane Smith")


def test_a_seeded_count_journals_its_lot_for_every_later_count(path: Path) -> None:
    ballots = (BallotSpec((0,), 2), BallotSpec((1,), 2), BallotSpec((2,), 3))
    with Session.create(contest(ballots=ballots, names=NAMES[:3]), path, "Jane Smith") as s:
        seeded = declaring.count_meeting(s, override_reason=NO_ACCOUNT, seed="meeting 2026")
        assert seeded.lots[0].how == "seed"
        kinds = [e.kind for e in s.events()]
        assert kinds[-2:] == ["lot_drawn", "count_run"]
        again = declaring.count_meeting(s, override_reason=NO_ACCOUNT)  # no seed now: the journaled lot is replayed
        assert again.lots[0].how == "recorded" and again.elected == seeded.elected


def test_an_auditor_window_follows_a_live_writer(path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as writer:
        entry.enter_paper(writer, [0], "Ann", batch="A", single=True)
        with Session.open(path, "auditor", readonly=True) as auditor:
            assert auditor.ballots().total == 1
            entry.enter_paper(writer, [1, 0], "Ann", batch="A")
            entry.enter_paper(writer, [2], "Ann", batch="A")
            assert auditor.ballots().total == 3 and auditor.chain.ok and auditor.head_hash == writer.head_hash
