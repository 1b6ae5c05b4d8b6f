"""Signature lines for the returning officer and witnesses: printed name, signature, date and time."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

from opensel_desktop.report.facts import esc
from opensel_desktop.report.inputs import SheetInput, Signatory
from opensel_desktop.report.layout import RULE, Styles


def _chosen(sheet: SheetInput, roles: tuple[str, ...] | None) -> tuple[Signatory, ...]:
    """Every role asked for gets at least one line, named or blank to fill in by hand."""
    people: tuple[Signatory, ...] = sheet.people
    if roles is None:
        return people
    chosen: list[Signatory] = []
    for role in roles:
        chosen += [p for p in people if p.role == role] or [Signatory(role)]
    return tuple(chosen)


def _date_time_place(sheet: SheetInput) -> tuple[str, str, str]:
    date, _, time = sheet.declared_at.partition(" ")
    return date or sheet.contest.date, time.replace(" UTC", "") + (" UTC" if time else ""), \
        sheet.place or sheet.contest.venue


def signature_lines(sheet: SheetInput, st: Styles, width: float, roles: tuple[str, ...], size: float = 8.5) -> Table:
    """The declaration's signature lines: compact rows that stay on page 1 with the figures."""
    cell = ParagraphStyle("sigc", parent=st.cell, fontSize=size, leading=size * 1.2)
    bold = ParagraphStyle("sigb", parent=st.cell_bold, fontSize=size, leading=size * 1.2)
    date, time, _ = _date_time_place(sheet)
    rows: list[list[object]] = [[Paragraph(h, bold) for h in ("Signed", "Printed name", "Signature", "Date",
                                                               "Time")]]
    for p in _chosen(sheet, roles):
        rows.append([Paragraph(esc(p.role), cell), Paragraph(esc(p.name), cell), "", Paragraph(esc(date), cell),
                     Paragraph(esc(time), cell)])
    height = max(16.0, size * 2.6)
    t = Table(rows, colWidths=[width * c for c in (0.17, 0.27, 0.32, 0.13, 0.11)],
              rowHeights=[size * 1.9] + [height] * (len(rows) - 1), hAlign="LEFT")
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed), ("FONTSIZE", (0, 0), (-1, -1), size),
                           ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE), ("LINEABOVE", (0, 1), (-1, 1), 0.5, RULE),
                           ("LINEBEFORE", (2, 1), (2, -1), 0.3, RULE), ("LINEAFTER", (2, 1), (2, -1), 0.3, RULE),
                           ("VALIGN", (0, 1), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return t


def signature_block(sheet: SheetInput, st: Styles, width: float, roles: tuple[str, ...] | None = None,
                    heading: str = "Signed") -> KeepTogether:
    people = _chosen(sheet, roles)
    date, time, place = _date_time_place(sheet)
    head = ["Role", "Printed name", "Signature", "Date", "Time", "Place"]
    rows = [[Paragraph(h, st.cell_bold) for h in head]]
    for p in people:
        rows.append([
            Paragraph(esc(p.role), st.cell),
            Paragraph(esc(p.name) if p.name else "", st.cell),
            "",
            Paragraph(esc(date), st.cell),
            Paragraph(esc(time), st.cell),
            Paragraph(esc(place), st.cell),
        ])
    cols = [0.15, 0.22, 0.23, 0.12, 0.11, 0.17]
    t = Table(rows, colWidths=[width * c for c in cols], rowHeights=[13] + [25] * len(people))
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
        ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
    ]))
    return KeepTogether([Paragraph(heading, st.h2), t])  # never split a signature from its block
