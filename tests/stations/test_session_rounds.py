"""Session.enter_round: rounds journaled, replayed and counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from opensel_desktop.app import declaring, rounds
from opensel_desktop.app.core import Session
from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.model import CandidateSpec, Contest

NAMES = ("Gwen Parry", "Rhys Beynon", "Zofia Nowak")


def test_rounds_are_journaled_replayed_and_counted(tmp_path: Path) -> None:
    contest = Contest(title="Exhaustive", rule="exhaustive", seats=1, candidates=tuple(CandidateSpec(n) for n in NAMES))
    path = tmp_path / "meeting.osel"
    with Session.create(contest, path, "Jane Smith") as s:
        with pytest.raises(AppError, match="at least one round"):
            declaring.count_meeting(s, journal=False)
        changes = rounds.enter_round(s, {"votes": {"Gwen Parry": 20, "Rhys Beynon": 15, "Zofia Nowak": 10},
                                 "rejected": {"unmarked": 1}})
        assert changes.message == "Round 1 saved."
        result = declaring.count_meeting(s, journal=False)
        assert result.decision["outcome"] == "another round needed"
        assert result.decision["among"] == ["Gwen Parry", "Rhys Beynon"]
        rounds.enter_round(s, {"votes": {"Gwen Parry": 19, "Rhys Beynon": 26}})
        events = len(s.events())
        with pytest.raises(AppError, match="the round was not saved: Round 3 is given but every place was filled"):
            rounds.enter_round(s, {"votes": {"Gwen Parry": 19, "Rhys Beynon": 26}})
        with pytest.raises(AppError, match="'Bob' is not a candidate"):
            rounds.enter_round(s, {"votes": {"Bob": 3}})
        assert len(s.events()) == events
    with Session.open(path, "auditor", readonly=True) as again:  # replayed from the journal alone
        assert list(declaring.count_meeting(again, journal=False).elected) == ["Rhys Beynon"]
