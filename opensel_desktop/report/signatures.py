"""Signature blocks for the returning officer and witnesses: printed name, signature, date, time, place."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

from opensel_desktop.report.facts import esc
from opensel_desktop.report.inputs import SheetInput, Signatory
from opensel_desktop.report.layout import RULE, Styles


def signature_block(sheet: SheetInput, st: Styles, width: float, roles: tuple[str, ...] | None = None,
                    heading: str = "Signed") -> KeepTogether:
    people: tuple[Signatory, ...] = sheet.people
    if roles is not None:
        # every role asked for gets at least one line, named or blank to fill in by hand
        chosen: list[Signatory] = []
        for role in roles:
            chosen += [p for p in people if p.role == role] or [Signatory(role)]
        people = tuple(chosen)
    date, _, time = sheet.declared_at.partition(" ")
    date = date or sheet.contest.date
    place = sheet.place or sheet.contest.venue
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
    cols = [0.15, 0.22, 0.25, 0.12, 0.08, 0.18]
    t = Table(rows, colWidths=[width * c for c in cols], rowHeights=[13] + [25] * len(people))
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), colors.white),
        ("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
        ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
    ]))
    return KeepTogether([Paragraph(heading, st.h2), t])  # never split a signature from its block
