"""Ballot paper account / verification statement, rejected papers by heading, lots and constraints.

The account compares, for each channel (a ballot box, the postal ballot, online), the papers issued
less those spoilt and unused with the papers found, and explains any variance; an exhaustive ballot
has one account per round. Rejected papers are stated under each statutory and party heading, with
any objection the returning officer noted. A lot is stated as a UK result sheet states it, with how it
was drawn and who witnessed it.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from opensel_desktop.report import facts
from opensel_desktop.report.facts import esc
from opensel_desktop.report.inputs import SheetInput, account_rows, override_reason, papers_entered
from opensel_desktop.report.layout import HEAD_BG, RULE, Styles
from opensel_desktop.report.plurality import round_accounts
from opensel_desktop.report.signatures import signature_block


def _grid(rows, widths, st: Styles, total_row: bool = True, figures: bool = True) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed),
             ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
             ("ALIGN", (1, 1), (-1, -1), "RIGHT" if figures else "LEFT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("FONTNAME", (1, 1), (-1, -1), st.fonts.condensed), ("FONTSIZE", (1, 1), (-1, -1), 9), ("LEADING", (0, 0), (-1, -1), 10.8),
             ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if total_row:
        style += [("LINEABOVE", (0, -1), (-1, -1), 1, RULE), ("FONTNAME", (1, -1), (-1, -1), st.fonts.condensed_bold)]
    t.setStyle(TableStyle(style))
    return t


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _v(value: int | None) -> str:
    return "" if value is None else (f"{value:+,d}".replace("-", "\u2212") if value else "0")


def round_account_table(sheet: SheetInput, st: Styles, width: float) -> list[Flowable]:
    """An exhaustive ballot: each round's own papers, rejections and account."""
    rounds = round_accounts(sheet.result)
    if not rounds:
        return []
    head = ["Round", "Issued", "Spoilt and replaced", "Unused", "Expected", "Valid", "Rejected", "Found",
            "Variance", "Rejected by heading"]
    table: list[list[object]] = [[Paragraph(h, st.cell_head) for h in head]]
    for i, r in enumerate(rounds, start=1):
        acct = r.get("account") or {}
        rejected = {str(k): int(v) for k, v in (r.get("rejected") or {}).items()}
        valid, rej = int(r.get("papers", 0)), sum(rejected.values())
        has = isinstance(acct, dict) and acct.get("issued") is not None
        issued, spoilt, unused = (int(acct.get(k, 0) or 0) for k in ("issued", "spoilt", "unused")) if has else (0, 0, 0)
        expected = issued - spoilt - unused if has else None
        found = valid + rej
        by_heading = "; ".join(f"{h}: {n}" for h, n in rejected.items() if n) or "none"
        table.append([Paragraph(str(r.get("round", i)), st.cell), _n(issued) if has else "", _n(spoilt) if has else "",
                      _n(unused) if has else "", _n(expected), _n(valid), _n(rej), _n(found),
                      _v(found - expected) if expected is not None else "not recorded",
                      Paragraph(esc(by_heading), st.cell)])
    w = [0.07, 0.08, 0.1, 0.08, 0.09, 0.07, 0.09, 0.08, 0.09, 0.25]
    return [Paragraph("Each round's papers", st.h2),
            Paragraph("Each round is a fresh ballot: papers found = valid + rejected, compared with the papers "
                      "issued less spoilt and unused for that round.", st.small),
            _grid(table, [width * x for x in w], st, total_row=False), Spacer(1, 6)]


def account_statement(sheet: SheetInput, st: Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("Ballot paper account and verification statement", st.title)]
    rows = account_rows(sheet)
    out += round_account_table(sheet, st, width)
    if not rows and not round_accounts(sheet.result):
        out.append(Paragraph("No ballot paper account was recorded for this contest.", st.body))
    if rows:
        out.append(Paragraph(
            "For each channel: papers issued, less those spoilt (and replaced) and those unused, are the papers "
            "expected back; the variance is the papers found less the papers expected.", st.small))
        head = ["Channel", "Issued", "Spoilt and replaced", "Unused", "Expected", "Found", "Variance",
                "Valid papers entered", "Explanation"]
        table = [[Paragraph(h, st.cell_head) for h in head]]
        for a in rows:
            table.append([Paragraph(esc(a.channel), st.cell), _n(a.issued), _n(a.spoilt), _n(a.unused),
                          _n(a.expected), "not yet" if a.found is None else _n(a.found), _v(a.variance),
                          "–" if a.entered is None else _n(a.entered),
                          Paragraph(esc(a.explanation), st.cell)])
        known = [a.found for a in rows if a.found is not None]
        total_var = sum(a.variance or 0 for a in rows)
        entered = [a.entered for a in rows if a.entered is not None]
        counted = papers_entered(sheet)
        table.append([Paragraph("Total", st.cell_bold), _n(sum(a.issued for a in rows)),
                      _n(sum(a.spoilt for a in rows)), _n(sum(a.unused for a in rows)),
                      _n(sum(a.expected for a in rows)), _n(sum(known)) if known else "", _v(total_var),
                      _n(counted if counted is not None else (sum(entered) if entered else None)), ""])
        w = [0.13, 0.08, 0.1, 0.08, 0.09, 0.08, 0.09, 0.1, 0.25]
        out.append(_grid(table, [width * x for x in w], st))
        out.append(Spacer(1, 6))
        if any(a.entered is None for a in rows) and len(rows) > 1:
            out.append(Paragraph("Valid papers are not attributed to channels (–): papers keyed at the meeting do not "
                                 "record their channel, so only the total can be compared.", st.small))
        r = sheet.result
        rejected = sum(sheet.rejected_by_heading.values())
        if r.rule not in facts.DECISION_RULES and r.rule != "exhaustive":  # each round has its own papers
            # the saved contest knows the valid papers it counted; a contest file's count gives its valid poll
            counted = papers_entered(sheet)
            valid = counted if counted is not None else r.valid_poll // 10**r.places
            line = f"Papers in the count: {valid:,} valid + {rejected:,} rejected = {valid + rejected:,}."
            if known and len(known) == len(rows):
                diff = valid + rejected - sum(known)
                line += (" This agrees with the papers found." if diff == 0 else
                         f" This differs from the {sum(known):,} papers found by {diff:+,d}.")
            out.append(Paragraph(line, st.body))
    reason = override_reason(sheet)
    if reason:
        out.append(Paragraph(f"<b>Recorded override:</b> {esc(reason)}", st.body))
    out.append(signature_block(sheet, st, width, roles=("Returning officer", "Scrutineer")))
    return out


def rejected_statement(sheet: SheetInput, st: Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("Statement of rejected papers", st.title)]
    got = sheet.rejected_by_heading
    rounds = round_accounts(sheet.result)
    headings = list(sheet.contest.rejection_headings) + [h for h in got if h not in sheet.contest.rejection_headings]
    table = [[Paragraph("Heading", st.cell_bold), Paragraph("Papers", st.cell_bold)]]
    for i, h in enumerate(headings):
        table.append([Paragraph(f"({chr(97 + i)}) " + esc(h[:1].upper() + h[1:]), st.cell), f"{got.get(h, 0):,}"])
    table.append([Paragraph("Total rejected" + (" (all rounds)" if rounds else ""), st.cell_bold),
                  f"{sum(got.values()):,}"])
    out.append(_grid(table, [width * 0.7, width * 0.15], st))
    out.append(Spacer(1, 6))
    notes = [n for n in sheet.rejection_notes if n.note]
    if notes:
        out.append(Paragraph("Noted against rejections (objections and remarks)", st.h2))
        rows = [[Paragraph(h, st.cell_bold) for h in ("Heading", "Papers", "Batch and paper", "Noted")]]
        for n in notes:
            where = f"batch {n.batch}, paper {n.paper}" if n.batch and n.paper is not None else \
                (f"batch {n.batch}" if n.batch else "the officer's adjudication")
            rows.append([Paragraph(esc(n.heading), st.cell), f"{n.papers:,}", Paragraph(esc(where), st.cell),
                         Paragraph(esc(n.note), st.cell)])
        out.append(_grid(rows, [width * x for x in (0.28, 0.08, 0.2, 0.44)], st, total_row=False))
        out.append(Spacer(1, 6))
    out.append(Paragraph("Each rejected paper is endorsed “rejected”, with “rejection objected to” where an agent "
                         "objected, and kept with this statement; the returning officer’s decision on a doubtful "
                         "paper is final at the count.", st.small))
    return out


def lots_statement(sheet: SheetInput, st: Styles, width: float) -> list[Flowable]:
    r = sheet.result
    out: list[Flowable] = [Paragraph("Lots drawn and constraints applied", st.title)]
    if r.lots:
        table = [[Paragraph(h, st.cell_bold) for h in ("Stage", "Tied", "Chosen", "For", "How", "Witness")]]
        purposes = {"exclude": "exclusion", "surplus": "surplus order", "elect": "election", "keep": "staying in"}
        hows = {"recorded": "drawn in the room", "tie-order": "order drawn before the count", "seed": "seeded draw"}
        for lot in r.lots:
            witness = sheet.witness_of(lot.stage, lot.among, lot.purpose)
            table.append([Paragraph(str(lot.stage), st.cell), Paragraph(esc(", ".join(lot.among)), st.cell),
                          Paragraph(esc(lot.chosen), st.cell_bold),
                          Paragraph(esc(purposes.get(lot.purpose, lot.purpose)), st.cell),
                          Paragraph(esc(hows.get(lot.how, lot.how) + (f" (seed {lot.seed})" if lot.seed else "")),
                                    st.cell),
                          Paragraph(esc(witness or "not recorded"), st.cell)])
        out.append(_grid(table, [width * x for x in (0.07, 0.28, 0.17, 0.12, 0.2, 0.16)], st, total_row=False,
                         figures=False))
        out.append(Spacer(1, 6))
        for lot in r.lots:
            out.append(Paragraph(esc(facts.lot_sentence(lot, sheet.witness_of(lot.stage, lot.among, lot.purpose))),
                                 st.body))
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
