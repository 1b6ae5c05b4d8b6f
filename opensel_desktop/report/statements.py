"""Ballot paper account / verification statement, rejected papers by heading, lots and constraints.

DOMAIN.md 2.2 (the account and its variance, explained), 2.4 (rejected papers by statutory and
party heading), 2.5 (equality of votes: the lot statement on the result sheet).
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from opensel_desktop.report import facts
from opensel_desktop.report.facts import esc
from opensel_desktop.report.inputs import SheetInput, account_rows, override_reason, papers_entered
from opensel_desktop.report.layout import HEAD_BG, RULE, Styles
from opensel_desktop.report.signatures import signature_block


def _grid(rows, widths, st: Styles, total_row: bool = True, figures: bool = True) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [("BACKGROUND", (0, 0), (-1, -1), colors.white), ("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed),
             ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
             ("ALIGN", (1, 1), (-1, -1), "RIGHT" if figures else "LEFT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("FONTNAME", (1, 1), (-1, -1), st.fonts.condensed), ("FONTSIZE", (1, 1), (-1, -1), 9),
             ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if total_row:
        style += [("LINEABOVE", (0, -1), (-1, -1), 1, RULE), ("FONTNAME", (1, -1), (-1, -1), st.fonts.condensed_bold)]
    t.setStyle(TableStyle(style))
    return t


def account_statement(sheet: SheetInput, st: Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("Ballot paper account and verification statement", st.title)]
    rows = account_rows(sheet)
    if not rows:
        out.append(Paragraph("No ballot paper account was recorded for this contest.", st.body))
    else:
        out.append(Paragraph(
            "For each channel: papers issued, less those spoilt (and replaced) and those unused, are the papers "
            "expected back; the variance is the papers found less the papers expected.", st.small))
        head = ["Channel", "Issued", "Spoilt and replaced", "Unused", "Expected", "Found", "Variance",
                "Valid papers entered", "Explanation"]
        table = [[Paragraph(h, st.cell_head) for h in head]]
        for a in rows:
            v = a.variance
            table.append([Paragraph(esc(a.channel), st.cell), str(a.issued), str(a.spoilt), str(a.unused),
                          str(a.expected), "not yet" if a.found is None else str(a.found),
                          "" if v is None else (f"{v:+d}" if v else "0"),
                          "" if a.entered is None else str(a.entered), Paragraph(esc(a.explanation), st.cell)])
        known = [a.found for a in rows if a.found is not None]
        total_var = sum(a.variance or 0 for a in rows)
        entered = [a.entered for a in rows if a.entered is not None]
        table.append([Paragraph("Total", st.cell_bold), str(sum(a.issued for a in rows)),
                      str(sum(a.spoilt for a in rows)), str(sum(a.unused for a in rows)),
                      str(sum(a.expected for a in rows)), str(sum(known)) if known else "",
                      f"{total_var:+d}" if total_var else "0", str(sum(entered)) if entered else "", ""])
        w = [0.13, 0.08, 0.1, 0.08, 0.09, 0.08, 0.09, 0.1, 0.25]
        out.append(_grid(table, [width * x for x in w], st))
        out.append(Spacer(1, 6))
        r = sheet.result
        rejected = sum(sheet.rejected_by_heading.values())
        if r.rule not in facts.DECISION_RULES and r.rule != "exhaustive":  # each round has its own papers
            # the saved contest knows the valid papers it counted; a contest file's count gives its valid poll
            counted = papers_entered(sheet)
            valid = counted if counted is not None else r.valid_poll // 10**r.places
            line = f"Papers in the count: {valid} valid + {rejected} rejected = {valid + rejected}."
            if known and len(known) == len(rows):
                diff = valid + rejected - sum(known)
                line += (" This agrees with the papers found." if diff == 0 else
                         f" This differs from the {sum(known)} papers found by {diff:+d}.")
            out.append(Paragraph(line, st.body))
        reason = override_reason(sheet)
        if reason:
            out.append(Paragraph(f"<b>Recorded override:</b> {esc(reason)}", st.body))
    out.append(signature_block(sheet, st, width, roles=("Returning officer", "Scrutineer")))
    return out


def rejected_statement(sheet: SheetInput, st: Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("Statement of rejected papers", st.title)]
    got = sheet.rejected_by_heading
    headings = list(sheet.contest.rejection_headings) + [h for h in got if h not in sheet.contest.rejection_headings]
    table = [[Paragraph("Heading", st.cell_bold), Paragraph("Papers", st.cell_bold)]]
    for h in headings:
        table.append([Paragraph(esc(h[:1].upper() + h[1:]), st.cell), str(got.get(h, 0))])
    table.append([Paragraph("Total rejected", st.cell_bold), str(sum(got.values()))])
    out.append(_grid(table, [width * 0.7, width * 0.15], st))
    out.append(Spacer(1, 6))
    out.append(Paragraph("Each rejected paper is endorsed “rejected” and kept with this statement; the returning "
                         "officer’s decision on a doubtful paper is final at the count.", st.small))
    return out


def lots_statement(sheet: SheetInput, st: Styles, width: float) -> list[Flowable]:
    r = sheet.result
    out: list[Flowable] = [Paragraph("Lots drawn and constraints applied", st.title)]
    if r.lots:
        table = [[Paragraph(h, st.cell_bold) for h in ("Stage", "Tied", "Chosen", "For", "How")]]
        for lot in r.lots:
            table.append([Paragraph(str(lot.stage), st.cell), Paragraph(esc(", ".join(lot.among)), st.cell),
                          Paragraph(esc(lot.chosen), st.cell_bold), Paragraph(esc(lot.purpose), st.cell),
                          Paragraph(esc(lot.how + (f" (seed {lot.seed})" if lot.seed else "")), st.cell)])
        out.append(_grid(table, [width * x for x in (0.08, 0.34, 0.2, 0.12, 0.26)], st, total_row=False,
                         figures=False))
        out.append(Spacer(1, 6))
        for lot in r.lots:
            out.append(Paragraph(esc(facts.lot_sentence(lot)), st.body))
    else:
        out.append(Paragraph("No lots were drawn in this count.", st.body))
    out.append(Spacer(1, 8))
    out.append(Paragraph("Constraints", st.h2))
    cons = sheet.contest.constraints
    if cons:
        for c in cons:
            out.append(Paragraph(esc(_constraint_text(c)), st.body))
    applied = [s for s in r.stages if s.constraints_applied]
    for s in applied:
        out.append(Paragraph(f"<b>Stage {s.number}:</b> {esc('; '.join(s.constraints_applied))}", st.body))
    if not cons and not applied:
        out.append(Paragraph("This contest has no quota or constraint on who may be elected.", st.body))
    elif cons and not applied:
        out.append(Paragraph("No constraint changed the order of election or exclusion.", st.body))
    return out


def _constraint_text(c) -> str:
    cat = getattr(c, "category", "")
    val = getattr(c, "value", "")
    lo = getattr(c, "minimum", None)
    hi = getattr(c, "maximum", None)
    parts = []
    if lo:
        parts.append(f"at least {lo}")
    if hi is not None:
        parts.append(f"at most {hi}")
    return f"Of those elected, {' and '.join(parts) or 'any number'} must have {cat}: {val}."
