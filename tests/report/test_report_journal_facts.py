"""What the journal knows reaches the paper: the tellers who keyed, a lot's witness, an objection noted
against a rejection, each channel's valid papers, a trigger return entered at the meeting; and the data
gaps of the first sheets stay closed (exhaustive rounds, withdrawals, reasons for each candidate)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from report_helpers import REPO, pdf_lines

from opensel_desktop.app import declaring, entry, rejections, returns
from opensel_desktop.app.core import Session
from opensel_desktop.app.sheets import sheet_input
from opensel_desktop.contest.model import CandidateSpec, Contest
from opensel_desktop.contest.yaml_io import load_contest
from opensel_desktop.engine import Ballots, count
from opensel_desktop.report import facts
from opensel_desktop.report.inputs import SheetInput
from opensel_desktop.report.sheets import build

EXAMPLES = REPO / "resources" / "examples"


def _norm(text: str) -> str:
    return " ".join(text.split())


# the sheets here are about other facts than the account: counting goes ahead over it, with this reason
NO_ACCOUNT = "the account is checked in other tests"


def _text(tmp: Path, sheet: SheetInput, page: int | None = None, **kw) -> str:
    """The sheet's words row by row (a table row is one line), lines joined by " | "."""
    pdf = tmp / "s.pdf"
    pdf.write_bytes(build(sheet, **kw))
    return " | ".join(pdf_lines(pdf, page).splitlines())


def test_tellers_who_keyed_sign_when_the_contest_file_names_none(tmp_path):
    contest = replace(load_contest(EXAMPLES / "av-parliamentary.yaml"), tellers=(), ballots=())
    osel = tmp_path / "m.osel"
    with Session.create(contest, osel, "Jane Smith") as s:
        for marks in ((0, 1), (1, 0), (0,), (2, 0)):
            entry.enter_paper(s, marks, teller="Tomos Teller", batch="1")
        for marks in ((0, 1), (1, 0), (0,), (2, 0)):
            entry.enter_paper(s, marks, teller="Rhian Checker", batch="1", second=True)
        declaring.count_meeting(s, override_reason=NO_ACCOUNT)
    sheet = sheet_input(osel)
    assert sheet.keyed_by == ("Tomos Teller", "Rhian Checker")
    text = _text(tmp_path, sheet)
    assert "Counted and checked by" in text
    assert "| Teller Tomos Teller" in text and "| Teller Rhian Checker" in text


def test_a_lots_witness_and_an_objection_are_printed(tmp_path):
    names = ("Ann Hughes", "Bob Jones", "Cai Evans")
    contest = Contest(title="Tied ward", rule="scottish", seats=1, returning_officer="Jane Smith",
                      candidates=tuple(CandidateSpec(n) for n in names))
    osel = tmp_path / "tie.osel"
    with Session.create(contest, osel, "Jane Smith") as s:
        for marks in [(0,)] * 5 + [(1, 0)] * 3 + [(2, 0)] * 3:
            entry.enter_paper(s, marks, teller="Ann Teller", batch="1", single=True)
        rejections.reject(s, "unmarked", 1, note="rejection objected to by Bob Jones's agent")
        declaring.record_lot(s, "Councillor Mair Price", chosen="Cai Evans")
        declaring.count_meeting(s, override_reason=NO_ACCOUNT)
        declaring.declare(s, "Jane Smith", override_reason=NO_ACCOUNT)
    sheet = sheet_input(osel)
    assert sheet.lot_records and sheet.lot_records[0].witness == "Councillor Mair Price"
    assert sheet.rejection_notes[0].note == "rejection objected to by Bob Jones's agent"
    first = _text(tmp_path, sheet, 1).replace(" | ", " ")
    assert "witnessed by Councillor Mair Price" in first
    assert "drawn in the room and the outcome recorded" in first
    assert "rejection objected to by Bob Jones's agent" in first  # on the declaration itself
    whole = _text(tmp_path, sheet)
    assert "Noted against rejections" in whole and "Witness" in whole


def test_each_channels_valid_papers_come_from_a_saved_contest(tmp_path):
    contest = load_contest(EXAMPLES / "stv-delegates.yaml")
    osel = tmp_path / "m.osel"
    with Session.create(contest, osel, contest.returning_officer) as s:
        declaring.count_meeting(s, override_reason=NO_ACCOUNT)
    sheet = sheet_input(osel)
    per = dict(sheet.entered_by_channel)
    by_file: dict[str, int] = {}
    for b in contest.ballots:
        by_file[str(b.channel)] = by_file.get(str(b.channel), 0) + b.count
    assert per == by_file and len(per) == 2
    text = _text(tmp_path, sheet, documents=("account",))
    for name, n in per.items():
        assert f"| {name} " in text and f" {n:,} " in text
    assert "not attributed to channels" not in text


def test_papers_keyed_at_the_meeting_are_not_given_a_channel(tmp_path):
    papers = load_contest(EXAMPLES / "stv-delegates.yaml").ballots
    contest = replace(load_contest(EXAMPLES / "stv-delegates.yaml"), ballots=())
    osel = tmp_path / "k.osel"
    with Session.create(contest, osel, contest.returning_officer) as s:
        for spec in papers:  # the same papers, keyed at the meeting: they carry no channel
            for _ in range(spec.count):
                entry.enter_paper(s, spec.marks, teller="Ann Teller", batch="1", single=True)
        declaring.count_meeting(s, override_reason=NO_ACCOUNT)
    sheet = sheet_input(osel)
    assert sheet.entered_by_channel == ()
    assert "not attributed to channels" in _text(tmp_path, sheet, documents=("account",)).replace(" | ", " ")


def test_exhaustive_rounds_have_their_own_rejections_and_accounts(tmp_path):
    sheet = sheet_input(EXAMPLES / "exhaustive-meeting.yaml")
    rounds = sheet.result.parameters["rounds"]
    assert sum(rounds[0]["rejected"].values()) == 1
    assert sum(sheet.rejected_by_heading.values()) == 1  # not "0": round 1 rejected a paper
    text = _text(tmp_path, sheet)
    assert "Each round's papers" in text
    assert "Rejected 1 in all rounds" in text
    assert "| Rejected papers 1 0 0 |" in text  # the per-round row of the result table
    for st in sheet.result.stages:
        assert f"Round {st.number}" in text


def test_a_trigger_return_entered_at_the_meeting_is_listed(tmp_path):
    contest = load_contest(EXAMPLES / "trigger-ballot.yaml")
    osel = tmp_path / "t.osel"
    with Session.create(contest, osel, "Jane Smith") as s:
        returns.enter_unit_return(s, "Unite Anytown Community", "yes", "Branch secretary", meeting_date="2026-10-30")
        declaring.count_meeting(s, override_reason=NO_ACCOUNT)
    sheet = sheet_input(osel)
    unite = next(u for u in sheet.unit_returns if u.unit == "Unite Anytown Community")
    assert unite.decision == "yes" and unite.meeting == "2026-10-30"
    assert len(sheet.unit_returns) == sum(len(k["units"]) for k in contest.extra["trigger"]["classes"])
    text = _text(tmp_path, sheet)
    assert "Returns of the units, one by one" in text
    assert "| Unite Anytown Community Yes " in text
    flat = text.replace(" | ", " ")
    assert "Disputed count" in flat  # why Hillside's second return replaced its first
    assert "TRIGGERED" in flat and "votes given for each candidate" not in flat


def test_a_withdrawn_candidate_is_shown_as_withdrawn(tmp_path):
    names = ("Ann Hughes", "Bob Jones", "Cai Evans", "Dai Price")
    contest = Contest(title="With a withdrawal", rule="av", seats=1,
                      candidates=tuple(CandidateSpec(n, withdrawn=(n == "Cai Evans")) for n in names))
    ballots = Ballots.from_rankings([((0, 1), 6), ((1, 0), 5), ((2, 1), 3), ((3, 0), 2)])
    result = count("av", contest.to_election(ballots))
    assert facts.outcome(result, "Cai Evans").kind == "withdrawn"
    text = _text(tmp_path, SheetInput(contest, result, "w-1"), 1)
    assert "| Cai Evans — — Withdrawn before the count |" in text
    assert "Cai Evans 0" not in text


def test_every_candidate_has_a_reason_and_av_states_the_last_stage(tmp_path):
    sheet = sheet_input(EXAMPLES / "av-parliamentary.yaml")
    r = sheet.result
    text = _text(tmp_path, sheet, 1)
    for name in r.names:
        assert facts.outcome(r, name).why in text
    last = r.stages[-1]
    assert f"more than half of the continuing votes, {facts.fig(r, last.quota)}, was needed" in text
    assert f"{facts.fig(r, last.exhausted)} papers exhausted" in text
    assert "Majority at first stage" not in text


def test_reserved_places_and_passed_over_candidates_say_so(tmp_path):
    sheet = sheet_input(EXAMPLES / "block-officers.yaml")
    r = sheet.result
    reserved = dict(r.stages[0].reserved)
    assert reserved and r.stages[0].passed_over
    text = _text(tmp_path, sheet, 1)
    for name, label in reserved.items():
        assert f"{name} {facts.fig(r, r.stages[0].votes[name])} Elected: reserved place ({label})" in text
    for name in r.stages[0].passed_over:
        assert f"{name} {facts.fig(r, r.stages[0].votes[name])} Not elected: passed over for a constraint" in text


def test_figures_and_the_last_stage_use_the_sheet_formatting(tmp_path):
    sheet = sheet_input(EXAMPLES / "stv-delegates.yaml")
    text = _text(tmp_path, sheet)
    assert "150.00000" not in text.split("What happened at each stage")[0]  # whole values whole in the tables
    assert "Quota 16" in text and "valid poll 150" in text
    assert "transfer value 0.15789" in text  # the engine's single value
    assert "each paper at 0.05687 of its value" in text  # a later surplus: the fraction of each paper's value
    assert "Non-transferable, total" in text and "lost to rounding" in text
