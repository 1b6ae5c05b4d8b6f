"""Build the result sheets of one contest as one A4 PDF.

The documents are listed in DOCUMENTS (an explicit registry, never discovered). Each one says whether
it applies to a result and lays out its flowables; `build` puts the applicable ones in order, each on
a fresh page: the legal pages first (declaration, stage report or vote table, ballot paper account,
rejected papers, lots and constraints), the charts last as an appendix, so no chart can ever stop the
legal pages from printing. Page 1 carries the QR code and the room for the visible signature.

The build is deterministic: the same SheetInput and the same QR signature give the same PDF, which is
how `pagetext.first_difference` can compare a signed sheet with the sheet rebuilt from its contest.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Paragraph

from opensel_desktop import __version__
from opensel_desktop.report import facts
from opensel_desktop.report.charts import first_preference_pages, transfer_pages, transfer_stages
from opensel_desktop.report.decisions import unit_returns_sheet
from opensel_desktop.report.declaration import declaration
from opensel_desktop.report.digest import QrPayload, fingerprint_hex, result_hash, sheet_digest
from opensel_desktop.report.inputs import SheetInput, account_rows
from opensel_desktop.report.layout import (
    BOTTOM,
    LANDSCAPE,
    MARGIN,
    MUTED,
    PORTRAIT,
    QR_SIZE,
    RULE,
    SIGNATURE_BOX,
    TOP,
    DocMarker,
    NumberedCanvas,
    PageInfo,
    SheetDoc,
    Styles,
    make_styles,
)
from opensel_desktop.report.plurality import plurality_sheet
from opensel_desktop.report.qr import draw_qr
from opensel_desktop.report.signatures import signature_block
from opensel_desktop.report.stages import stage_sheet
from opensel_desktop.report.statements import account_statement, lots_statement, rejected_statement
from opensel_desktop.report.verify import SUBJECT

QrSigner = Callable[[bytes], bytes]


@dataclass(frozen=True, slots=True)
class Document:
    name: str
    title: str
    orientation: str  # "portrait" | "landscape"
    applies: Callable[[SheetInput], bool]
    build: Callable[[SheetInput, Styles, float], list[Flowable]]


def _is_stv(s: SheetInput) -> bool:
    return facts.is_ranked(s.result)


def _is_election(s: SheetInput) -> bool:
    return s.result.rule not in facts.DECISION_RULES


CHART_ROOM = LANDSCAPE[1] - TOP - BOTTOM - 62  # a chart's height on a landscape page, below its title


def _charts(s: SheetInput, st: Styles, width: float) -> list[Flowable]:
    f = st.fonts
    r = s.result
    word = "First preferences" if _is_stv(s) else ("Votes in round 1" if r.rule == "exhaustive" else "Votes")
    out: list[Flowable] = []
    pages = first_preference_pages(r, width, CHART_ROOM, f.regular, f.bold)
    for i, d in enumerate(pages):
        if i:
            out.append(PageBreak())
        out.append(Paragraph(word + (f" (continued, {i + 1} of {len(pages)})" if i else ""), st.title))
        out.append(Paragraph("Largest first. The dashed line is the quota or majority needed at the first stage; "
                             "the stage report says who was elected and why.", st.small))
        out.append(d)
    if _is_stv(s) and transfer_stages(r):
        panels = transfer_pages(r, width, CHART_ROOM, f.regular, f.bold)
        for i, d in enumerate(panels):
            out.append(PageBreak())
            out.append(Paragraph("Where the votes went, stage by stage"
                                 + (f" (continued, {i + 1} of {len(panels)})" if i else ""), st.title))
            out.append(Paragraph("One panel per transfer: who gave the votes and, bar by bar, who received them. "
                                 "Hatched bars are papers with no further preference or value lost to rounding.",
                                 st.small))
            out.append(d)
    return out


def _checked_by(s: SheetInput, st: Styles, width: float) -> list[Flowable]:
    return [signature_block(s, st, width, roles=("Teller", "Returning officer"), heading="Counted and checked by")]


def _has_account(s: SheetInput) -> bool:
    return _is_election(s) or bool(account_rows(s))


def _has_rejections(s: SheetInput) -> bool:
    return _is_election(s) or sum(s.rejected_by_heading.values()) > 0


DOCUMENTS: dict[str, Document] = {d.name: d for d in (
    Document("declaration", "Declaration of result", "portrait", lambda s: True, declaration),
    Document("stages", "Stage-by-stage result", "landscape", _is_stv,
             lambda s, st, w: stage_sheet(s.result, st, w) + _checked_by(s, st, w)),
    Document("plurality", "Result of the count", "portrait", lambda s: s.result.rule in facts.PLURALITY_RULES,
             lambda s, st, w: plurality_sheet(s.result, st, w) + _checked_by(s, st, w)),
    Document("decision", "Returns of the units", "landscape", lambda s: s.result.rule == "trigger",
             lambda s, st, w: unit_returns_sheet(s, st, w) + _checked_by(s, st, w)),
    Document("account", "Ballot paper account", "portrait", _has_account, account_statement),
    Document("rejected", "Rejected papers", "portrait", _has_rejections, rejected_statement),
    Document("lots", "Lots and constraints", "portrait", _is_election, lots_statement),
    Document("charts", "Charts (appendix)", "landscape", _is_election, _charts),
)}


def payload_for(sheet: SheetInput, qr_signer: QrSigner | None = None) -> QrPayload:
    p = QrPayload(sheet.contest_id, sheet_digest(sheet.result, sheet.head), state=sheet.state,
                  fingerprint=fingerprint_hex(sheet.fingerprint))
    if qr_signer is not None:
        p = QrPayload(p.contest_id, p.digest, qr_signer(p.signed_text.encode("utf-8")), p.state, p.fingerprint)
    return p


def document_names(sheet: SheetInput, documents: Sequence[str] | None = None) -> list[str]:
    """The documents a build prints, in order: the ones asked for that apply, the declaration first."""
    names = [n for n in DOCUMENTS if (documents is None or n in documents) and DOCUMENTS[n].applies(sheet)]
    return ["declaration"] + [n for n in names if n != "declaration"]


def build(sheet: SheetInput, qr_signer: QrSigner | None = None, documents: Sequence[str] | None = None) -> bytes:
    """The PDF bytes of every applicable document (or the ones named), page 1 carrying the QR code."""
    names = document_names(sheet, documents)
    payload = payload_for(sheet, qr_signer)
    styles = make_styles()
    r = sheet.result
    info = PageInfo(title=sheet.title, contest_id=sheet.contest_id, rule=r.rule, rule_version=r.rule_version,
                    software_version=sheet.software_version or __version__, digest=payload.digest,
                    provisional=not sheet.declared, signer=sheet.signer, fingerprint=sheet.fingerprint)
    buf = io.BytesIO()
    doc = SheetDoc(buf, info, styles, subject=f"{SUBJECT}: {', '.join(names)}", keywords=payload.text())
    doc.first_page_band = lambda canv: _first_page_band(canv, styles, sheet, payload, bool(qr_signer))
    flow: list[Flowable] = []
    for i, name in enumerate(names):
        d = DOCUMENTS[name]
        width = (LANDSCAPE if d.orientation == "landscape" else PORTRAIT)[0] - 2 * MARGIN
        if i:
            flow.append(NextPageTemplate(d.orientation))
            flow.append(PageBreak())
        flow.append(DocMarker(d.title))
        flow += d.build(sheet, styles, width)
    doc.build(flow, canvasmaker=NumberedCanvas)
    return buf.getvalue()


def _first_page_band(canv: Canvas, st: Styles, sheet: SheetInput, payload: QrPayload, signed: bool) -> None:
    """QR code and its caption at the foot of page 1; the signature box is left empty for pyhanko."""
    f = st.fonts
    x, y = MARGIN, BOTTOM + 1 * mm
    draw_qr(canv, payload.text(), x, y, QR_SIZE)
    tx = x + QR_SIZE + 3 * mm
    canv.saveState()
    canv.setFillColor(MUTED)
    canv.setFont(f.bold, 8)
    canv.drawString(tx, y + QR_SIZE - 7, "Check this sheet")
    canv.setFont(f.condensed, 7)
    rh = result_hash(sheet.result)
    lines = [
        "The code holds the contest id, the sheet digest, the",
        f"state ({payload.state}) and the signer's certificate,",
        "signed with the returning officer's key." if signed else "and is not signed.",
        "opensel verify SHEET.pdf --contest MEETING.osel",
        "Result hash (as opensel declare prints it):",
        "  " + rh[:32],
        "  " + rh[32:],
        "Sheet digest (result hash with the journal head):",
        "  " + payload.digest[:32],
        "  " + payload.digest[32:],
    ]
    for k, line in enumerate(lines):
        canv.drawString(tx, y + QR_SIZE - 17 - 8.6 * k, line)
    x1, y1, x2, y2 = SIGNATURE_BOX
    canv.setStrokeColor(RULE)
    canv.setDash(2, 2)
    canv.rect(x1, y1, x2 - x1, y2 - y1, stroke=1, fill=0)
    canv.setDash()
    if not signed:
        canv.setFont(f.regular, 7.5)
        canv.drawCentredString((x1 + x2) / 2, (y1 + y2) / 2 - 3, "Digital signature (not signed)")
    canv.restoreState()
