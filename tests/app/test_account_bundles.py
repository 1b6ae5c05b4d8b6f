"""The ballot paper account with X-vote bundles and teller stations, on real .osel files.

A bundle's totals are votes, its paper count is papers: the account (and every face that shows it: the
session, the sheets' account section, the GUI's account panel) compares papers with the papers found,
while the count adds up votes. Votes that cannot fit the papers are refused before anything is journaled.
Batches issued to a teller station and not merged back hold up the declaration.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opensel_desktop.app import declaring, entry
from opensel_desktop.app.core import Session
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.app.keys import make_officer_key
from opensel_desktop.app.sheets import sheet_input
from opensel_desktop.app.stations import (
    IssuedBatch,
    create_station_file,
    create_station_pack,
    export_batch,
    merge_batches,
    station_account,
)
from opensel_desktop.contest.model import CandidateSpec, Channel, Contest
from opensel_desktop.report.inputs import account_rows, papers_entered

NAMES = ("Ann Hughes", "Bob Jones", "Cai Lewis")
PASSPHRASE = "table passphrase"


def contest(rule: str = "block", seats: int = 2, channels: tuple[Channel, ...] = ()) -> Contest:
    return Contest(title="Branch officers", rule=rule, seats=seats,
                   candidates=tuple(CandidateSpec(n) for n in NAMES), returning_officer="Jane Smith",
                   channels=channels)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "officers.osel"


def test_a_block_bundle_is_accounted_as_papers_and_counted_as_votes(path: Path, qapp) -> None:
    # 25 papers, 20 of them with two X's and 5 with one: 45 votes
    box = (Channel("in-room", issued=27, spoilt=1, unused=1, returned=25),)
    with Session.create(contest(channels=box), path, "Jane Smith") as s:
        entry.enter_bundle(s, "A", {"Ann Hughes": 20, "Bob Jones": 15, "Cai Lewis": 10}, "Ann", papers=25)
        entry.enter_bundle(s, "A", {"Ann Hughes": 20, "Bob Jones": 15, "Cai Lewis": 10}, "Bob", papers=25, second=True)
        account = s.account()
        assert account.counted == 25 and account.statement.count_variance == 0 and account.reconciles
        assert (account.bundle_papers, account.bundle_votes) == (25, 45)
        assert "Bundle totals: 25 papers carrying 45 votes" in "\n".join(account.lines())
        result = declaring.count_meeting(s)
        # a block count's valid poll is papers, as when papers are keyed one by one; its totals add votes
        assert result.valid_poll == 25 and sum(result.stages[0].votes.values()) == 45
        assert result.elected == ("Ann Hughes", "Bob Jones")

        # the GUI's account panel reads the same figures (papers), never the votes
        from opensel_desktop.gui.meeting import Meeting

        rows, reconciles, message = Meeting(s, "Jane Smith").account_rows()
        assert reconciles and [r.counted for r in rows] == [25, 25] and "25 valid" in message
        declaring.declare(s, "Jane Smith")  # no override needed: 25 papers found, 25 counted
        assert s.declared.account["counted"] == 25 and s.declared.override_reason is None
    # the sheets' account section: valid papers entered, per channel and in total
    sheet = sheet_input(path)
    assert papers_entered(sheet) == 25
    assert [(r.channel, r.found, r.entered) for r in account_rows(sheet)] == [("in-room", 25, 25)]


def test_bundle_votes_that_cannot_fit_the_papers_are_refused_and_nothing_is_journaled(path: Path) -> None:
    with Session.create(contest(), path, "Jane Smith") as s:
        before = len(s.events())
        with pytest.raises(AppError, match=r"bundle A: 21 votes cannot come from 10 papers with at most 2 votes "
                                           r"each \(20 at most\)"):
            entry.enter_bundle(s, "A", {"Ann Hughes": 10, "Bob Jones": 9, "Cai Lewis": 2}, "Ann", papers=10)
        with pytest.raises(AppError, match="Ann Hughes has 11 votes but the bundle has only 10 papers"):
            entry.enter_bundle(s, "A", {"Ann Hughes": 11, "Bob Jones": 9}, "Ann", papers=10)
        with pytest.raises(AppError, match="9 votes for 10 papers, but every valid paper has at least one vote"):
            entry.enter_bundle(s, "A", {"Ann Hughes": 5, "Bob Jones": 4}, "Ann", papers=10)
        assert len(s.events()) == before and s.batches() == ()
        entry.enter_bundle(s, "A", {"Ann Hughes": 10, "Bob Jones": 9, "Cai Lewis": 1}, "Ann", papers=10)  # 20 fits
        entry.enter_bundle(s, "A", {"Ann Hughes": 10, "Bob Jones": 8, "Cai Lewis": 1}, "Bob", papers=10, second=True)
        after = len(s.events())
        with pytest.raises(AppError, match="22 votes cannot come from 10 papers"):
            entry.resolve_bundle(s, "A", {0: 10, 1: 10, 2: 2}, "bundle recounted", "Jane Smith")
        assert len(s.events()) == after
        entry.resolve_bundle(s, "A", {0: 10, 1: 9, 2: 1}, "bundle recounted", "Jane Smith")
        assert s.account().counted == 10


def test_first_past_the_post_bundles_have_one_vote_per_paper(path: Path) -> None:
    with Session.create(contest("fptp", 1), path, "Jane Smith") as s:
        with pytest.raises(AppError, match="12 votes cannot come from 10 papers with at most 1 vote each"):
            entry.enter_bundle(s, "A", {"Ann Hughes": 7, "Bob Jones": 5}, "Ann", papers=10)
        entry.enter_bundle(s, "A", {"Ann Hughes": 7, "Bob Jones": 5}, "Ann", single=True)  # papers = votes
        assert s.account().counted == 12 and s.account().bundle_votes == 12


def test_declaring_with_a_station_batch_still_out_needs_an_override(tmp_path: Path) -> None:
    main_path, pack, station_path = tmp_path / "meeting.osel", tmp_path / "t1.oselpack", tmp_path / "t1.osel"
    batch_file = tmp_path / "t1-A.oselbatch"
    with Session.create(contest("av", 1), main_path, "Jane Smith") as main:
        create_station_pack(main, "table-1", pack, PASSPHRASE, [IssuedBatch("A", 1, 50), IssuedBatch("B", 51, 100)],
                            officer_key=make_officer_key("Jane Smith"))
        assert main.account().outstanding == ("table-1/A", "table-1/B")
    with create_station_file(pack, station_path, "Lead of table 1", PASSPHRASE) as station:
        for marks in ([0, 1], [1], [0, 2, 1]):
            entry.enter_paper(station, marks, "Ann", batch="A", single=True)
        export_batch(station, "A", batch_file, PASSPHRASE)
    with Session.open(main_path, "Jane Smith") as main:
        (merged,) = merge_batches(main, [batch_file])
        assert merged.status == "merged"
        account = main.account()
        assert account.outstanding == ("table-1/B",) and account.counted == 3 and not account.reconciles
        assert any("batch table-1/B was issued to station table-1" in p for p in account.problems)
        assert [(r.batch, r.state) for r in station_account(main).rows] == [("A", "merged"),
                                                                             ("B", "issued, not returned")]
        events = len(main.events())
        with pytest.raises(AppError, match="batch table-1/B was issued to station table-1 and its batch file is "
                                           "not merged yet") as refused:
            declaring.declare(main, "Jane Smith")
        assert refused.value.step is Next.MERGE_OR_OVERRIDE  # each face words it: a merge, or a reason
        assert len(main.events()) == events and main.state != "declared"
        declaring.declare(main, "Jane Smith", override_reason="batch B was never used: its papers are all unused")
        declared = main.declared
        assert declared.override_reason.startswith("batch B was never used")
        assert declared.account["outstanding_batches"] == ["table-1/B"]
