"""Sheets of real-sized counts print with every document, and read back cleanly.

A Minneapolis-sized alternative vote (35 candidates, 80,000 papers), a 60,000-paper Scottish STV ward and a
100-candidate field of about a hundred stages are counted by the engine, laid out with every document,
signed, and read back with pdfplumber: no two words overlap, no two figures are glued together, every
page names the signer's certificate fingerprint, and page 1 holds the operative words and the signature
lines. poppler's pdffonts and pdfinfo must find every font embedded and no damage in the signed file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from report_helpers import (
    PASSPHRASE,
    assert_reads_back_cleanly,
    field_names,
    glued_figures,
    need,
    overlapping_chars,
    pdf_chars,
    pdf_words,
    synthetic_ballots,
)

from opensel_desktop.app.keys import load_officer_key
from opensel_desktop.contest.model import CandidateSpec, Channel, Contest
from opensel_desktop.engine import chain_ties, count
from opensel_desktop.report import facts
from opensel_desktop.report.inputs import SheetInput
from opensel_desktop.report.sheets import build, document_names
from opensel_desktop.report.sign import sign_pdf

pytestmark = pytest.mark.slow

FIELDS = {
    # name: (rule, candidates, places, papers, seed)
    "av-35": ("av", 35, 1, 80_000, 35),
    "scottish-60000": ("scottish", 12, 4, 60_000, 7),
    "scottish-100": ("scottish", 100, 3, 20_000, 100),
}


def _sheet(name: str, key) -> SheetInput:
    rule, n, seats, papers, seed = FIELDS[name]
    names = field_names(n)
    ballots = synthetic_ballots(n, papers, seed)
    contest = Contest(title=f"Synthetic field {name}", rule=rule, seats=seats,
                      candidates=tuple(CandidateSpec(x) for x in names), organisation="Anytown City Party",
                      position="Councillors, Riverside ward", date="2026-05-07", venue="Anytown Leisure Centre",
                      returning_officer="Siân Dafydd", tellers=("Ann Teller", "Bob Teller"),
                      channels=(Channel("polling stations", issued=papers + 40, spoilt=12, unused=28,
                                        returned=papers),))
    result = count(rule, contest.to_election(ballots), chain_ties(None, None, f"lots-{name}"))
    return SheetInput(contest, result, f"synthetic-{name}", declared=True, declared_at="2026-05-08 02:14",
                      place="Anytown Leisure Centre", signer=key.name, fingerprint=key.fingerprint)


@pytest.fixture(scope="module", params=sorted(FIELDS))
def big_sheet(request, officer_key, tmp_path_factory) -> tuple[SheetInput, Path]:
    key = load_officer_key(officer_key, PASSPHRASE)
    sheet = _sheet(request.param, key)
    pdf = build(sheet, qr_signer=key.sign)
    signed = sign_pdf(pdf, key.private_pem(), key.certificate_pem(), signer_name=key.name,
                      fingerprint=key.fingerprint)
    path = tmp_path_factory.mktemp("big") / f"{request.param}.pdf"
    path.write_bytes(signed)
    return sheet, path


def test_the_fields_are_as_large_as_promised(big_sheet):
    sheet, _ = big_sheet
    r = sheet.result
    rule, n, *_ = FIELDS[sheet.contest_id.removeprefix("synthetic-")]
    assert len(r.names) == n
    if n == 100:
        assert len(r.stages) >= 90  # about a hundred stages
    if rule == "scottish" and n == 12:
        assert r.valid_poll // 10**r.places == 60_000


def test_every_document_prints(big_sheet):
    sheet, pdf = big_sheet
    words = pdf_words(pdf)
    text = " ".join(w["text"] for page in words for w in page)
    assert document_names(sheet) == ["declaration", "stages", "account", "rejected", "lots", "charts"]
    for title in ("Stage-by-stage result", "Ballot paper account", "Statement of rejected papers",
                  "Lots drawn and constraints applied", "First preferences", "Where the votes went"):
        assert all(word in text for word in title.split()), title
    assert "Stage-by-stage" in text and "Where" in text


def test_no_two_words_overlap_and_no_figures_are_glued(big_sheet):
    _, pdf = big_sheet
    assert_reads_back_cleanly(pdf)


def test_every_page_names_the_signers_fingerprint(big_sheet):
    sheet, pdf = big_sheet
    pages = pdf_words(pdf)
    assert len(pages) > 3
    for number, words in enumerate(pages, start=1):
        assert sheet.fingerprint in {w["text"] for w in words}, f"page {number}"


def test_page_one_holds_the_whole_declaration(big_sheet):
    sheet, pdf = big_sheet
    r = sheet.result
    first = " ".join(w["text"] for w in pdf_words(pdf)[0])
    assert "And I do hereby declare that" in first and "duly elected." in first
    for role in ("Returning officer", "Scrutineer", "Printed name", "Signature"):
        assert role in first
    for name in r.names:  # every candidate, with the first figure
        assert name.split()[-1] in first
    for name in r.elected:
        assert name in first
    assert "The number of ballot papers rejected was as follows:" in first
    line = facts.last_stage_line(r)
    assert line.split(":")[0] in first


def test_poppler_finds_every_font_embedded_and_no_damage(big_sheet):
    _, pdf = big_sheet
    fonts = subprocess.run([need("pdffonts"), str(pdf)], capture_output=True, text=True)
    assert fonts.returncode == 0 and "Error" not in fonts.stderr, fonts.stderr
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(" yes yes " in row for row in rows), fonts.stdout
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True)
    assert info.returncode == 0 and info.stderr == "", info.stderr
    one = subprocess.run([need("pdffonts"), "-f", "1", "-l", "1", str(pdf)], capture_output=True, text=True)
    assert one.stderr == "", one.stderr  # page 1 carries the signature: no xref error there either


def test_the_checks_catch_overlapping_text_and_glued_figures(tmp_path):
    """The read-back checks are not vacuous: text run into a neighbour and figures set too close are found."""
    from reportlab.pdfgen.canvas import Canvas

    from opensel_desktop.report.fonts import register_fonts

    f = register_fonts()
    pdf = tmp_path / "bad.pdf"
    c = Canvas(str(pdf), initialFontName=f.regular)
    c.setFont(f.condensed, 9)
    c.drawRightString(200, 700, "0")  # a variance...
    c.drawRightString(203, 700, "not attributed")  # ...overflowed by the next cell: "n0ot attributed"
    c.drawString(100, 600, "5517.00000")
    c.drawString(100 + c.stringWidth("5517.00000", f.condensed, 9) + 0.5, 600, "\u22125517.00000")
    c.drawString(100, 500, "16.96489")
    c.drawString(100 + c.stringWidth("16.96489", f.condensed, 9) + 0.3, 500, "Elected")
    c.save()
    (words,), (chars,) = pdf_words(pdf), pdf_chars(pdf)
    assert overlapping_chars(chars)
    glued = glued_figures(words)
    assert any("5517.00000" in g and "\u2212" in g for g in glued), words
    assert any("16.96489Elected" in g for g in glued), words
