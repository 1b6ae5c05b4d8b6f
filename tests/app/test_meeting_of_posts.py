"""One saved file for a meeting of several posts: each post its own batches, account and result, one
journal, `--contest NAME` on the meeting's commands, later posts counted with the earlier results."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from cli_run import run_opensel

from opensel_desktop.app import account, declaring, entry
from opensel_desktop.app.core import Session
from opensel_desktop.app.errors import AppError
from opensel_desktop.app.keys import write_officer_key
from opensel_desktop.app.trust import pin_body
from opensel_desktop.contest.model import CandidateSpec, Channel, Contest

NAMES = ("Siân Evans", "Tom Jones", "Łukasz Nowak")
PASSPHRASE = "correct horse battery"
ENV = {**os.environ, "OPENSEL_PASSPHRASE": PASSPHRASE}


def post(key: str, title: str) -> Contest:
    return Contest(title=title, rule="av", seats=1, candidates=tuple(CandidateSpec(n) for n in NAMES), key=key,
                   returning_officer="Jane Smith", channels=(Channel("in-room", 5, 0, 0, 5),))


def key_papers(s: Session, papers) -> None:
    for marks in papers:
        entry.enter_paper(s, marks, "Ann Teller", batch="1")
    for marks in papers:
        entry.enter_paper(s, marks, "Bob Teller", batch="1", second=True)


@pytest.fixture
def officer_key(tmp_path: Path):
    path = tmp_path / "jane.key"
    return path, write_officer_key(path, "Jane Smith", PASSPHRASE)


def test_each_post_keeps_its_own_papers_and_the_later_post_passes_over_the_earlier_winner(tmp_path, officer_key):
    path, key = officer_key
    osel = tmp_path / "agm.osel"
    posts = [post("chair", "Chair"), post("secretary", "Secretary")]
    with Session.create_meeting(posts, osel, "Jane Smith", settings={"withdraw_elected": True},
                                pin=pin_body(key.certificate, "Jane Smith")) as s:
        assert s.contest_keys == ["chair", "secretary"] and s.current == "chair"
        key_papers(s, [[0, 1], [0], [1, 0], [0, 2], [2, 1]])
        account.record_account(s, "in-room", 5, 0, 0, 5)
        chair = declaring.count_meeting(s)
        assert chair.elected == ("Siân Evans",)
        declaring.declare(s, "Jane Smith", key=key)
        s.select("secretary")
        assert s.batches() == () and s.state == "entering"  # nothing of the chair's count is here
        key_papers(s, [[0, 1], [0, 1], [1], [2, 0], [0, 2]])
        account.record_account(s, "in-room", 5, 0, 0, 5)
        secretary = declaring.count_meeting(s)
        # Siân Evans holds the chair: her papers pass to their next preference
        assert "Siân Evans" in secretary.withdrawn and secretary.elected == ("Tom Jones",)
        declaring.declare(s, "Jane Smith", key=key)
        with pytest.raises(AppError, match="there is no contest 'treasurer'"):
            s.select("treasurer")
    with Session.open(osel, "auditor", readonly=True, contest="chair") as s:
        assert s.state == "declared" and s.declared.elected == ("Siân Evans",)
        events = [e.data.get("contest") for e in s.events() if e.kind in ("paper_entered", "declared")]
        assert set(events) == {"chair", "secretary"}  # every post's event names its post

    fp = key.fingerprint
    audit = run_opensel("audit", str(osel), "--key", fp, env=ENV).stdout
    for name in ("recount (chair)", "recount (secretary)", "declared result (chair)", "declared result (secretary)"):
        assert name in audit
    assert "All checks hold." in audit and "State: DECLARED" in audit

    # each post prints its own sheet, and the sheet says which post it is
    for name in ("chair", "secretary"):
        pdf = tmp_path / f"{name}.pdf"
        run_opensel("report", str(osel), "--contest", name, "-o", str(pdf), "--sign", str(path), env=ENV)
        verdict = run_opensel("verify", str(pdf), "--contest", str(osel), env=ENV).stdout
        assert f"/{name}" in verdict and "verdict:         OK" in verdict
    exported = json.loads(run_opensel("export", str(osel), "--json", "--contest", "secretary", env=ENV).stdout)
    assert exported["elected"] == ["Tom Jones"]


def test_the_contest_flag_names_a_post_and_refuses_an_unknown_one(tmp_path):
    osel = tmp_path / "agm.osel"
    Session.create_meeting([post("chair", "Chair"), post("treasurer", "Treasurer")], osel, "Jane Smith").close()
    run_opensel("enter", str(osel), "--teller", "Ann", "--batch", "1", "--single", "--contest", "treasurer",
                stdin="1\n2\n", env=ENV)
    refused = run_opensel("enter", str(osel), "--teller", "Ann", "--contest", "vice chair", stdin="1\n", env=ENV,
                          ok=False)
    assert "there is no contest 'vice chair' in this meeting; contests: chair, treasurer" in refused.stderr
    diff = run_opensel("diff", str(osel), "--contest", "treasurer", env=ENV).stdout
    assert "batch 1: single, 2 papers" in diff
    assert run_opensel("diff", str(osel), env=ENV).stdout == ""  # the chair's batches: none yet
    log = run_opensel("log", str(osel), env=ENV).stdout
    assert "meeting created with 2 contests: Chair, Treasurer" in log and "[treasurer]" in log


def test_an_event_naming_a_post_the_meeting_does_not_hold_is_refused(tmp_path):
    from opensel_desktop.store import events as ev
    from opensel_desktop.store.journal import Draft

    osel = tmp_path / "agm.osel"
    with Session.create_meeting([post("chair", "Chair"), post("secretary", "Secretary")], osel, "Jane") as s:
        forged = replace(ev.PaperEntered("1", 1, (0,), single=True), contest="president")
        s.journal.transact(s.meeting.events, lambda _n, _m: [Draft(forged, "Mallory", "main", "2026-12-01T20:00Z")])
    with pytest.raises(AppError, match="names a contest this meeting does not hold"):
        Session.open(osel, "auditor", readonly=True)


def test_a_file_of_one_contest_reads_as_before(tmp_path):
    one = replace(post("", "Chair"), key="")
    with Session.create(one, tmp_path / "one.osel", "Jane Smith") as s:
        assert s.contest_keys == [""]
        entry.enter_paper(s, [0], "Ann", batch="1", single=True)
        assert "contest" not in s.events()[-1].data  # no post named in a file of one contest
        with pytest.raises(AppError, match="holds one contest"):
            s.select("chair")
