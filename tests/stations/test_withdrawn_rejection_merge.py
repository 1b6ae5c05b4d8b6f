"""A rejection withdrawn at a station travels in its batch file and stays withdrawn after the merge."""

from __future__ import annotations

from station_helpers import PAPERS, PASSPHRASE, Meeting, first_paper

from opensel_desktop.app import entry, rejections
from opensel_desktop.app.core import Session
from opensel_desktop.app.stations import MERGED, create_station_file, export_batch, merge_batches


def test_a_withdrawn_rejection_is_not_counted_after_the_merge(meeting: Meeting) -> None:
    station_file = meeting.folder / "table-1-again.osel"
    papers = [[0, 1], [1, 2], [2, 0]] * (PAPERS // 3) + [[0]] * (PAPERS % 3)
    with create_station_file(meeting.packs["table-1"], station_file, "Lead of table-1", PASSPHRASE) as station:
        # teller A first rejects paper 3 as unmarked, then finds the mark and takes the rejection back
        for seq, marks in enumerate(papers, start=1):
            if seq == 3:
                rejections.reject(station, "unmarked", teller="Ann", batch="A", paper=3)
                rejections.correct_rejection(station, "the mark was faint but clear", batch="A", paper=3)
            entry.enter_paper(station, marks, "Ann", batch="A", seq=seq)
        for seq, marks in enumerate(papers, start=1):
            entry.enter_paper(station, marks, "Bob", batch="A", seq=seq, second=True)
        assert station.rejected() == {}
        batch_file = meeting.folder / "table-1-again-A.oselbatch"
        export_batch(station, "A", batch_file, PASSPHRASE, first_paper=first_paper(0, 0))

    main_path = meeting.fresh("withdrawn.osel")
    with Session.open(main_path, "Jane Smith") as main:
        outcome = merge_batches(main, [batch_file])
        assert [o.status for o in outcome] == [MERGED], outcome
        assert main.rejected() == {}
        assert main.ballots().total == PAPERS
