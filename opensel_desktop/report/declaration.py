"""Declaration of result (DOMAIN.md 2.6, 2.7 item 5): the statement the returning officer reads and signs."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from opensel_desktop.report import facts
from opensel_desktop.report.facts import esc
from opensel_desktop.report.inputs import SheetInput, account_rows, papers_entered
from opensel_desktop.report.layout import ELECTED_BG, HEAD_BG, RULE, Styles
from opensel_desktop.report.signatures import signature_block


def declaration(sheet: SheetInput, st: Styles, width: float) -> list[Flowable]:
    c, r = sheet.contest, sheet.result
    out: list[Flowable] = []
    heading = "Declaration of result" if sheet.declared else "Provisional result (not declared)"
    out.append(Paragraph(heading, st.title))
    out.append(Paragraph(esc(sheet.title), st.big))
    where = ", ".join(x for x in (c.organisation, c.position) if x)
    if where:
        out.append(Paragraph(esc(where), st.body))
    facts_rows = [
        ("Contest", sheet.contest_id),
        ("Method", f"{facts.rule_title(r.rule)}; rule set {r.rule_version}"),
        *([] if r.rule in facts.DECISION_RULES else [("Places to fill", str(r.seats))]),
        ("Date and place", " · ".join(x for x in (c.date, c.venue or sheet.place) if x) or "not recorded"),
        *_poll_rows(sheet),
    ]
    if r.quota and r.rule not in facts.PLURALITY_RULES:
        facts_rows.append(("Majority at first stage" if r.rule == "av" else "Quota", r.fmt(r.quota)))
    rejected = sheet.rejected_by_heading
    facts_rows.append(("Rejected papers", str(sum(rejected.values()))))
    rows = account_rows(sheet)
    if rows:
        facts_rows.append(("Papers issued", str(sum(a.issued for a in rows))))
        returned = [a.found for a in rows if a.found is not None]
        if returned:
            facts_rows.append(("Papers returned", str(sum(returned))))
    electorate = c.extra.get("electorate") if isinstance(c.extra, dict) else None
    if electorate:
        facts_rows.insert(3, ("Electorate", str(electorate)))
    # two facts a row: the declaration, its votes and the signatures should fit on one page
    long_rows = facts_rows[:2]
    pairs = facts_rows[2:]
    cells = [[Paragraph(k, st.cell_bold), Paragraph(esc(v), st.cell), "", ""] for k, v in long_rows]
    for j in range(0, len(pairs), 2):
        a = pairs[j]
        b = pairs[j + 1] if j + 1 < len(pairs) else ("", "")
        cells.append([Paragraph(a[0], st.cell_bold), Paragraph(esc(a[1]), st.cell),
                      Paragraph(b[0], st.cell_bold), Paragraph(esc(b[1]), st.cell)])
    spans = [("SPAN", (1, i), (3, i)) for i in range(len(long_rows))]
    t = Table(cells, colWidths=[width * 0.17, width * 0.33, width * 0.17, width * 0.33])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.white), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                           *spans]))
    out += [t, Spacer(1, 6)]

    if sheet.declared:
        ro = c.returning_officer or "the returning officer"
        out.append(Paragraph(
            f"I, {esc(ro)}, returning officer, declare that the votes given for each candidate were as follows:",
            st.body))
    else:
        out.append(Paragraph(
            "<b>This is the provisional result.</b> It has not been declared, and it may change after a "
            "recount. Candidates and agents may ask for a recount before the declaration.", st.body))
    out.append(_votes_table(sheet, st, width))
    out.append(Spacer(1, 6))
    elected = list(r.elected)
    if elected:
        verb = "is" if len(elected) == 1 else "are"
        lead = "I declare that" if sheet.declared else "Provisionally,"
        out.append(Paragraph(f"{lead} the following {verb} elected: <b>{esc(', '.join(elected))}</b>.", st.body))
    elif r.decision:
        text = r.decision.get("text")
        if text:
            out.append(Paragraph(f"Motion: “{esc(text)}”", st.body))
        lead = "I declare that the outcome is" if sheet.declared else "Provisional outcome:"
        out.append(Paragraph(f"{lead} <b>{esc(str(r.decision.get('outcome', '')).upper())}</b>.", st.body))
        if r.stages and r.stages[-1].reason:
            out.append(Paragraph(esc(r.stages[-1].reason), st.body))
    for lot in r.lots:
        out.append(Paragraph(esc(facts.lot_sentence(lot)), st.body))
    for note in sheet.notes:
        out.append(Paragraph(esc(note), st.body))
    # the declaration is signed by the returning officer and witnessed (DOMAIN.md 2.7 item 5); tellers sign
    # the count sheets they checked
    out.append(signature_block(sheet, st, width, roles=("Returning officer", "Scrutineer")))
    return out


def _votes_table(sheet: SheetInput, st: Styles, width: float) -> Table:
    r = sheet.result
    decision = r.rule in facts.DECISION_RULES  # motions and trigger ballots: options, not candidates
    ranked = r.rule not in facts.PLURALITY_RULES and not decision
    multi = len(r.stages) > 1
    head = ["Option" if decision else "Candidate", "First preferences" if ranked else "Votes"]
    if multi:
        head.append("At the last stage" if ranked else "Last round")
    head.append("" if decision else "Result")
    rows = [[Paragraph(h, st.cell_bold) for h in head]]
    style = [("BACKGROUND", (0, 0), (-1, -1), colors.white), ("GRID", (0, 0), (-1, -1), 0.4, RULE),
             ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
             ("ALIGN", (1, 1), (-2, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    first, last = r.stages[0], r.stages[-1]
    for i, name in enumerate(r.names, start=1):
        row = [Paragraph(esc(name), st.cell_bold if name in r.elected else st.cell), r.fmt(first.votes.get(name, 0))]
        if multi:
            gone = name in r.withdrawn or facts.excluded_stage(r, name) is not None
            row.append("–" if gone or name not in last.votes else r.fmt(last.votes[name]))
        result = "" if decision else facts.outcome(r, name)
        row.append(Paragraph(("<b>ELECTED</b>" + result[7:]) if result.startswith("Elected") else esc(result),
                             st.cell))
        rows.append(row)
        if name in r.elected:
            style.append(("BACKGROUND", (0, i), (-1, i), ELECTED_BG))
    n = len(rows)
    rows.append([Paragraph("Total", st.cell_bold) if decision else Paragraph("Total valid votes", st.cell_bold),
                 r.fmt(sum(first.votes.values()))]
                + ([""] if multi else []) + [""])
    style.append(("LINEABOVE", (0, n), (-1, n), 1, colors.black))
    cols = [0.40, 0.18, 0.18, 0.24] if multi else [0.45, 0.2, 0.35]
    t = Table(rows, colWidths=[width * x for x in cols], repeatRows=1)
    t.setStyle(TableStyle(style + [("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed),
                                   ("FONTSIZE", (0, 0), (-1, -1), 9), ("TOPPADDING", (0, 0), (-1, -1), 2),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return t


def _poll_rows(sheet: SheetInput) -> list[tuple[str, str]]:
    """A block-vote paper carries several votes: show papers (from the account, which counts bundles'
    papers rather than their votes) and the votes they carry; every other method shows its valid votes."""
    r = sheet.result
    if r.rule != "block":
        return [("Valid votes", r.fmt(r.valid_poll))]
    papers = papers_entered(sheet)
    votes = sum(r.stages[0].votes.values()) if r.stages else 0
    return [("Valid papers", str(papers) if papers is not None else r.fmt(r.valid_poll)),
            ("Votes cast", r.fmt(votes))]

