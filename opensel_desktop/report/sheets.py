"""Build the result sheets of one contest as one A4 PDF (issue 5).

The documents are listed in DOCUMENTS (STYLE.md habit 12: explicit, never discovered). Each one says
whether it applies to a result and lays out its flowables; `build` puts the applicable ones in order,
each on a fresh page, with the QR code and the room for the visible signature on page 1.
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
from opensel_desktop.report.charts import first_preference_chart, transfer_flow_chart
from opensel_desktop.report.declaration import declaration
from opensel_desktop.report.digest import QrPayload, result_digest
from opensel_desktop.report.inputs import SheetInput
from opensel_desktop.report.layout import (
    BOTTOM,
    LANDSCAPE,
    MARGIN,
    MUTED,
    PORTRAIT,
    QR_SIZE,
    RULE,
    SIGNATURE_BOX,
    DocMarker,
    NumberedCanvas,
    PageInfo,
    SheetDoc,
    Styles,
    make_styles,
)
from opensel_desktop.report.plurality import decision_sheet, plurality_sheet
from opensel_desktop.report.qr import draw_qr
from opensel_desktop.report.signatures import signature_block
from opensel_desktop.report.stages import stage_sheet
from opensel_desktop.report.statements import account_statement, lots_statement, rejected_statement

QrSigner = Callable[[bytes], bytes]


@dataclass(frozen=True, slots=True)
class Document:
    name: str
    title: str
    orientation: str  # "portrait" | "landscape"
    applies: Callable[[SheetInput], bool]
    build: Callable[[SheetInput, Styles, float], list[Flowable]]


def _is_stv(s: SheetInput) -> bool:
    return s.result.rule not in facts.PLURALITY_RULES + facts.DECISION_RULES


def _charts(s: SheetInput, st: Styles, width: float) -> list[Flowable]:
    f = st.fonts
    out: list[Flowable] = [Paragraph("First preferences" if _is_stv(s) else "Votes", st.title)]
    out.append(first_preference_chart(s.result, width, f.regular, f.bold))
    if _is_stv(s) and len(s.result.stages) > 1:
        out.append(PageBreak())
        out.append(Paragraph("How the votes moved, stage by stage", st.title))
        out.append(Paragraph("Each column is one stage, stacked by candidate (grey at the top: non-transferable). "
                             "Coloured bands show the votes transferred from the candidate of that colour; "
                             "light grey bands show votes a candidate kept.", st.small))
        out.append(transfer_flow_chart(s.result, width, 400, f.regular, f.bold))
    return out


def _checked_by(s: SheetInput, st: Styles, width: float) -> list[Flowable]:
    return [signature_block(s, st, width, roles=("Teller", "Returning officer"), heading="Counted and checked by")]


DOCUMENTS: dict[str, Document] = {d.name: d for d in (
    Document("declaration", "Declaration of result", "portrait", lambda s: True, declaration),
    Document("stages", "Stage-by-stage result", "landscape", _is_stv,
             lambda s, st, w: stage_sheet(s.result, st, w) + _checked_by(s, st, w)),
    Document("plurality", "Result of the count", "portrait", lambda s: s.result.rule in facts.PLURALITY_RULES,
             lambda s, st, w: plurality_sheet(s.result, st, w) + _checked_by(s, st, w)),
    Document("decision", "Result of the ballot", "portrait", lambda s: s.result.rule in facts.DECISION_RULES,
             lambda s, st, w: decision_sheet(s.result, st, w) + _checked_by(s, st, w)),
    Document("charts", "Charts", "landscape", lambda s: s.result.rule not in facts.DECISION_RULES, _charts),
    Document("account", "Ballot paper account", "portrait", lambda s: True, account_statement),
    Document("rejected", "Rejected papers", "portrait", lambda s: True, rejected_statement),
    Document("lots", "Lots and constraints", "portrait", lambda s: s.result.rule not in facts.DECISION_RULES,
             lots_statement),
)}


def payload_for(sheet: SheetInput, qr_signer: QrSigner | None = None) -> QrPayload:
    p = QrPayload(sheet.contest_id, result_digest(sheet.result, sheet.head))
    if qr_signer is not None:
        p = QrPayload(p.contest_id, p.digest, qr_signer(p.signed_text.encode("utf-8")))
    return p


def build(sheet: SheetInput, qr_signer: QrSigner | None = None, documents: Sequence[str] | None = None) -> bytes:
    """The PDF bytes of every applicable document (or the ones named), page 1 carrying the QR code."""
    names = [n for n in (documents or DOCUMENTS) if n in DOCUMENTS and DOCUMENTS[n].applies(sheet)]
    if not names or names[0] != "declaration":
        names = ["declaration"] + [n for n in names if n != "declaration"]
    payload = payload_for(sheet, qr_signer)
    styles = make_styles()
    r = sheet.result
    info = PageInfo(title=sheet.title, contest_id=sheet.contest_id, rule=r.rule, rule_version=r.rule_version,
                    software_version=sheet.software_version or __version__, digest=payload.digest,
                    provisional=not sheet.declared)
    buf = io.BytesIO()
    doc = SheetDoc(buf, info, styles, subject="OpenSel result sheet", keywords=payload.text())
    doc.first_page_band = lambda canv: _first_page_band(canv, styles, payload, bool(qr_signer))
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


def _first_page_band(canv: Canvas, st: Styles, payload: QrPayload, signed: bool) -> None:
    """QR code and its caption at the foot of page 1; the signature box is left empty for pyhanko."""
    f = st.fonts
    x, y = MARGIN, BOTTOM + 1 * mm
    draw_qr(canv, payload.text(), x, y, QR_SIZE)
    tx = x + QR_SIZE + 4 * mm
    canv.saveState()
    canv.setFillColor(MUTED)
    canv.setFont(f.bold, 8)
    canv.drawString(tx, y + QR_SIZE - 8, "Check this sheet")
    canv.setFont(f.regular, 7.5)
    lines = [
        "The code holds the contest id and",
        "the digest of the result and journal,",
        "signed with the officer's key." if signed else "(this sheet is not signed).",
        "Check: opensel verify SHEET.pdf",
        "        --contest MEETING.osel",
        "Digest " + payload.digest[:24],
        "       " + payload.digest[24:48],
        "       " + payload.digest[48:],
    ]
    for k, line in enumerate(lines):
        canv.drawString(tx, y + QR_SIZE - 20 - 9.5 * k, line)
    x1, y1, x2, y2 = SIGNATURE_BOX
    canv.setStrokeColor(RULE)
    canv.setDash(2, 2)
    canv.rect(x1, y1, x2 - x1, y2 - y1, stroke=1, fill=0)
    canv.setDash()
    if not signed:
        canv.setFont(f.regular, 7.5)
        canv.drawCentredString((x1 + x2) / 2, (y1 + y2) / 2 - 3, "Digital signature (not signed)")
    canv.restoreState()
