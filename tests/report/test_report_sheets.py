"""Every document of every example contest, rendered for real: pdftoppm to PNG, pdftotext for the words.

Expected figures come from the count itself (the Result the engine returns), never typed in by hand:
the test checks that the sheet prints what the count says, where a reader would look for it.
"""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pytest
from report_helpers import (
    EXAMPLES,
    REPO,
    assert_reads_back_cleanly,
    declared_osel,
    need,
    pdf_pages,
    pdf_text,
)

from opensel_desktop import __version__
from opensel_desktop.app import declaring, rejections
from opensel_desktop.app.sheets import sheet_input
from opensel_desktop.contest.model import CandidateSpec, Contest
from opensel_desktop.engine import Ballots, count
from opensel_desktop.report import facts
from opensel_desktop.report.facts import fig
from opensel_desktop.report.inputs import SheetInput
from opensel_desktop.report.sheets import DOCUMENTS, build, document_names


def _norm(text: str) -> str:
    return " ".join(text.split())


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module", params=[p.name for p in EXAMPLES])
def example_pdf(request, tmp_path_factory) -> tuple[SheetInput, Path]:
    sheet = sheet_input(REPO / "resources" / "examples" / request.param)
    pdf = tmp_path_factory.mktemp("sheets") / (Path(request.param).stem + ".pdf")
    pdf.write_bytes(build(sheet))
    return sheet, pdf


def test_every_page_renders_to_an_a4_png(example_pdf, tmp_path):
    _, pdf = example_pdf
    subprocess.run([need("pdftoppm"), "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == pdf_pages(pdf) >= 1
    for png in pngs:
        w, h = _png_size(png)
        ratio = max(w, h) / min(w, h)
        assert abs(ratio - 297 / 210) < 0.02, png  # A4, portrait or landscape
        assert png.stat().st_size > 3000  # not a blank page


def test_no_two_words_overlap_and_no_figures_are_glued(example_pdf):
    _, pdf = example_pdf
    assert_reads_back_cleanly(pdf)


def test_every_page_names_software_rule_contest_and_page(example_pdf):
    sheet, pdf = example_pdf
    n = pdf_pages(pdf)
    for page in range(1, n + 1):
        text = _norm(pdf_text(pdf, page))
        assert f"OpenSel Desktop {__version__}" in text
        assert f"rule {sheet.result.rule} ({sheet.result.rule_version})" in text
        assert f"contest {sheet.contest_id}" in text
        assert f"Page {page} of {n}" in text
        assert "PROVISIONAL" in text  # a contest file's count is never a declared result


def test_declaration_prints_every_candidate_with_their_votes_and_outcome(example_pdf):
    sheet, pdf = example_pdf
    r = sheet.result
    text = _norm(pdf_text(pdf, 1))
    assert "Provisional result (not declared)" in text
    assert sheet.contest.title in text
    if r.rule not in facts.DECISION_RULES:
        layout = pdf_text(pdf, 1, layout=True).splitlines()
        for name in r.names:
            row = re.compile(rf"^\s*{re.escape(name)}\s{{2,}}")  # the table row, not a sentence naming them
            line = next((ln for ln in layout if row.match(ln)), None)
            assert line is not None, name
            assert fig(r, r.stages[0].votes[name]) in line
            assert facts.outcome(r, name).why in _norm(line)  # and why, on the same line
        for name in r.elected:
            assert name in text
    for role in ("Returning officer", "Scrutineer"):
        assert role in text
    if sheet.contest.returning_officer:
        assert sheet.contest.returning_officer in text
    whole = _norm(pdf_text(pdf))
    if r.rule not in facts.DECISION_RULES:
        assert "Counted and checked by" in whole  # the tellers sign the count sheet they checked
    for teller in sheet.contest.tellers:
        assert teller in whole


def test_each_document_appears_with_its_content(example_pdf):
    sheet, pdf = example_pdf
    r = sheet.result
    text = _norm(pdf_text(pdf))
    for name in document_names(sheet):
        assert DOCUMENTS[name].title in text, name
    if DOCUMENTS["stages"].applies(sheet):
        assert "Stage-by-stage result" in text
        for st in r.stages:
            # the reason a returning officer reads out, word for word
            assert _norm(st.reason)[:60] in text, st.number
        assert text.count(fig(r, r.valid_poll)) >= len(r.stages)  # the total row at every stage
        assert "Where the votes went, stage by stage" in text
    elif r.rule in facts.DECISION_RULES:
        assert str(r.decision["outcome"]).upper() in text
        for key in ("two_thirds", "Comparison", "Combine or", "did_not_vote", "denominator_value"):
            assert key not in text  # no internal option names on paper
        assert "Candidate" not in text and "Quota" not in text
    else:
        assert "Result of the count" in text
    if r.rule not in facts.DECISION_RULES:
        for heading in sheet.contest.rejection_headings:
            assert heading[:1].upper() + heading[1:] in text
        assert str(sum(sheet.rejected_by_heading.values())) in text
    elif not sum(sheet.rejected_by_heading.values()):
        assert "Want of official mark" not in text  # statutory headings belong to ballots of candidates
    for ch in sheet.contest.channels:
        assert ch.name in text


def test_unicode_names_are_embedded_not_dropped(tmp_path):
    sheet = sheet_input(REPO / "resources" / "examples" / "stv-delegates.yaml")
    pdf = tmp_path / "u.pdf"
    pdf.write_bytes(build(sheet))
    text = pdf_text(pdf)
    for name in ("Łucja Kowalska", "Marek Wiśniewski"):
        assert name in text
    fonts = subprocess.run([need("pdffonts"), str(pdf)], capture_output=True, text=True).stdout
    # the sheet's fonts are embedded subsets (reportlab lists an unused Helvetica resource; nothing is set in it)
    embedded = [ln for ln in fonts.splitlines() if "DejaVu" in ln or "Vera" in ln]
    assert embedded and all(" yes yes " in ln for ln in embedded)


def test_declared_contest_has_no_provisional_mark(tmp_path):
    osel = declared_osel(tmp_path)
    sheet = sheet_input(osel)
    assert sheet.declared
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(build(sheet))
    text = _norm(pdf_text(pdf))
    assert "PROVISIONAL" not in text
    assert "DECLARED RESULT" in text
    assert "And I do hereby declare that" in _norm(pdf_text(pdf, 1)) and "duly elected" in text
    assert f"I, {sheet.contest.returning_officer}, being the returning officer" in text


def _wide_contest() -> tuple[Contest, object]:
    """20 candidates, a count long enough to need its stage table split across pages."""
    names = tuple(f"Candidate {chr(65 + i)} Ŵ" for i in range(20))
    rankings = []
    for i in range(20):
        rankings.append(((i, (i + 1) % 20, (i + 3) % 20), 10 + 3 * i))
        rankings.append(((i, (i + 7) % 20), 5 + i))
    ballots = Ballots.from_rankings(rankings)
    contest = Contest(title="Wide count", rule="scottish", seats=4,
                      candidates=tuple(CandidateSpec(n) for n in names))
    return contest, count("scottish", contest.to_election(ballots))


def test_wide_count_splits_the_stage_table_and_keeps_every_figure(tmp_path):
    contest, result = _wide_contest()
    assert len(result.stages) > 8
    sheet = SheetInput(contest, result, "wide-1")
    pdf = tmp_path / "w.pdf"
    pdf.write_bytes(build(sheet, documents=("stages",)))
    text = _norm(pdf_text(pdf))
    assert "(continued)" in text
    for st in result.stages:
        assert f"Stage {st.number}. {facts.action_title(st)}" in text
    last = result.stages[-1]
    for name, v in last.votes.items():
        if facts.excluded_stage(result, name) is None:
            assert fig(result, v) in text


def test_hostile_names_print_as_text(tmp_path):
    names = ("<b>Bold</b> & Co", "Ann <Smith>", "Dafydd ap Gwŵr")
    ballots = Ballots.from_rankings([((0, 1), 5), ((1, 2), 4), ((2, 0), 3)])
    contest = Contest(title="T <&> 1", rule="scottish", seats=1, candidates=tuple(CandidateSpec(n) for n in names))
    result = count("scottish", contest.to_election(ballots))
    pdf = tmp_path / "h.pdf"
    pdf.write_bytes(build(SheetInput(contest, result, "id;with=odd&chars")))
    text = pdf_text(pdf)
    for n in names:
        assert n in text


def test_screenshots_of_the_examples_are_committed():
    shots = REPO / "docs" / "screenshots"
    for example in EXAMPLES:
        assert (shots / f"sheet-{example.stem}-1.png").is_file(), (
            f"run scripts/make_sheet_screenshots.py to add the sheets of {example.name}")


def test_saved_contest_account_rejections_and_override_are_printed(tmp_path):
    from opensel_desktop.app.core import Session
    from opensel_desktop.contest.yaml_io import load_contest

    contest = load_contest(REPO / "resources" / "examples" / "stv-delegates.yaml")
    osel = tmp_path / "m.osel"
    reason = "Two papers were found in the online box after the account was closed"
    with Session.create(contest, osel, contest.returning_officer) as s:
        rejections.reject(s, "unmarked", 2, teller="Ann Teller")
        declaring.count_meeting(s, override_reason=reason)
        declaring.declare(s, contest.returning_officer, override_reason=reason)
        account = s.account()
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(build(sheet_input(osel)))
    text = _norm(pdf_text(pdf))
    assert f"Recorded override: {reason}" in text
    found = account.statement.found
    rejected = account.statement.rejected_total
    total = account.counted + rejected
    assert f"Papers in the count: {account.counted} valid + {rejected} rejected = {total}." in text
    assert f"differs from the {found} papers found by {total - found:+d}" in text
    assert f"Declared although the ballot paper account did not reconcile: {reason}" in text


def test_lots_are_stated_as_the_result_sheet_requires(tmp_path):
    from opensel_desktop.engine import chain_ties

    names = ("Ann", "Bob", "Cai")
    contest = Contest(title="Tie", rule="scottish", seats=1, candidates=tuple(CandidateSpec(n) for n in names))
    ballots = Ballots.from_rankings([((0,), 5), ((1, 0), 3), ((2, 0), 3)])
    result = count("scottish", contest.to_election(ballots), chain_ties(None, None, "s1"))
    assert result.lots
    pdf = tmp_path / "lot.pdf"
    pdf.write_bytes(build(SheetInput(contest, result, "tie-1")))
    text = _norm(pdf_text(pdf))
    for lot in result.lots:
        assert _norm(facts.lot_sentence(lot)) in text
        assert "seed s1" in text
    assert "Following an equality of votes" in _norm(pdf_text(pdf, 1))  # on the declaration itself


def test_constraints_and_their_effect_are_printed():
    sheet = sheet_input(REPO / "resources" / "examples" / "block-officers.yaml")
    applied = [s for s in sheet.result.stages if s.constraints_applied]
    assert sheet.contest.constraints and applied
    pdf_bytes = build(sheet, documents=("lots",))
    import tempfile

    with tempfile.TemporaryDirectory() as t:
        pdf = Path(t) / "c.pdf"
        pdf.write_bytes(pdf_bytes)
        text = _norm(pdf_text(pdf))
    for c in sheet.contest.constraints:
        assert f"at least {c.minimum} must have {c.category}: {c.value}" in text
    for s in applied:
        assert _norm("; ".join(s.constraints_applied))[:80] in text
