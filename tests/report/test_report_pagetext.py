"""The visible pages are bound to the contest: a forger who signs, with a key of their own, a sheet whose
QR code carries the genuine sheet digest but whose pages show other figures is caught by rebuilding the
sheet from the contest and comparing every page (text, drawing, annotations)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from report_helpers import PASSPHRASE, declared_osel

from opensel_desktop.app.keys import load_officer_key, write_officer_key
from opensel_desktop.app.sheets import make_report, sheet_input, verify_sheet
from opensel_desktop.report.facts import fig
from opensel_desktop.report.pagetext import first_difference, page_texts
from opensel_desktop.report.sheets import build
from opensel_desktop.report.sign import sign_pdf


@pytest.fixture(scope="module")
def meeting(tmp_path_factory, officer_key) -> tuple[Path, Path, Path]:
    """A declared contest, its genuine signed sheet, and a key that is not the officer's."""
    tmp = tmp_path_factory.mktemp("bind")
    osel = declared_osel(tmp)
    pdf = tmp / "genuine.pdf"
    make_report(osel, pdf, key_path=officer_key, passphrase=PASSPHRASE)
    mallory = tmp / "mallory.key"
    write_officer_key(mallory, "Siân Dafydd", PASSPHRASE)  # the same name, another key
    return osel, pdf, mallory


def _edited(pdf: bytes, page_no: int, old: bytes, new: bytes) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = w.root["/Pages"]["/Kids"][page_no]
    raw = page["/Contents"].data
    assert old in raw
    page["/Contents"] = w.add_object(generic.StreamObject(stream_data=raw.replace(old, new, 1)))
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _forge(osel: Path, key_path: Path, edit=None) -> bytes:
    """What a forger can make: the contest's own sheet (so the QR carries the genuine digest and state),
    pages edited, signed with their own key."""
    key = load_officer_key(key_path, PASSPHRASE)
    sheet = sheet_input(osel, signer=key.name, fingerprint=key.fingerprint)
    pdf = build(sheet, qr_signer=key.sign)
    if edit is not None:
        pdf = edit(pdf, sheet)
    return sign_pdf(pdf, key.private_pem(), key.certificate_pem(), signer_name=key.name, fingerprint=key.fingerprint)


def test_the_build_is_deterministic(meeting):
    osel, _, _ = meeting
    sheet = sheet_input(osel)
    assert build(sheet) == build(sheet)


def test_the_genuine_sheet_matches_page_for_page(meeting):
    osel, pdf, _ = meeting
    v = verify_sheet(pdf, osel).verdict
    assert v.ok and v.matches is True and v.difference is None, v.problems
    assert v.state == "declared"
    assert v.documents[0] == "declaration" and "stages" in v.documents
    assert v.software.startswith("OpenSel Desktop ")


def test_other_figures_above_the_genuine_digest_are_caught(meeting, tmp_path):
    osel, _, mallory = meeting
    sheet = sheet_input(osel)
    r = sheet.result
    real = fig(r, r.stages[0].votes[r.names[0]])

    def edit(pdf: bytes, _sheet) -> bytes:
        return _edited(pdf, 0, f"({real})".encode(), b"(99)")

    forged = tmp_path / "forged.pdf"
    forged.write_bytes(_forge(osel, mallory, edit))
    v = verify_sheet(forged, osel).verdict
    assert v.signed and v.intact and v.whole_file and v.qr_signature_ok  # every signature is genuine...
    assert v.payload is not None and v.payload.digest == verify_sheet(meeting[1], osel).verdict.payload.digest
    assert not v.ok and v.matches is False  # ...but the pages are not the contest's
    d = v.difference
    assert d is not None and d.what == "text" and d.page == 1
    assert "99" in d.found and real in d.expected
    assert "page 1, line" in d.sentence() and "99" in d.sentence()


def test_a_drawing_changed_under_unchanged_text_is_caught(meeting, tmp_path):
    osel, _, mallory = meeting

    def edit(pdf: bytes, _sheet) -> bytes:  # a white box over part of the table: the text is untouched
        return _edited(pdf, 0, b"BT", b"q 1 1 1 rg 100 400 120 40 re f Q BT")

    forged = tmp_path / "covered.pdf"
    forged.write_bytes(_forge(osel, mallory, edit))
    v = verify_sheet(forged, osel).verdict
    assert not v.ok and v.difference is not None and v.difference.what == "drawing"


def test_an_annotation_drawn_over_a_page_is_caught(meeting, tmp_path):
    osel, _, mallory = meeting

    def edit(pdf: bytes, _sheet) -> bytes:
        w = IncrementalPdfFileWriter(io.BytesIO(pdf))
        page = w.root["/Pages"]["/Kids"][1]
        annot = generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (100, 100, 300, 130)]),
            generic.NameObject("/Contents"): generic.TextStringObject("Elected: someone else"),
        })
        page["/Annots"] = generic.ArrayObject([w.add_object(annot)])
        w.update_container(page)
        out = io.BytesIO()
        w.write(out)
        return out.getvalue()

    forged = tmp_path / "annotated.pdf"
    forged.write_bytes(_forge(osel, mallory, edit))
    v = verify_sheet(forged, osel).verdict
    assert not v.ok and v.difference is not None
    assert (v.difference.what, v.difference.page) == ("annotation", 2)


def test_a_sheet_of_other_pages_or_another_length_is_caught(meeting):
    osel, pdf, _ = meeting
    data = pdf.read_bytes()
    fewer = build(sheet_input(osel), documents=("declaration",))
    d = first_difference(data, fewer)
    assert d is not None and d.what == "pages"
    assert first_difference(b"not a pdf", fewer).what == "unreadable"


def test_page_texts_read_every_page(meeting):
    osel, pdf, _ = meeting
    texts = page_texts(pdf.read_bytes())
    assert len(texts) > 3
    sheet = sheet_input(osel)
    assert all(sheet.contest_id[:20] in t for t in texts)  # the footer of every page
