"""Page 1: the declaration of result, in the form of a UK returning officer's declaration, on one page.

What it holds, in the order the public form has it: who declares what, the contest, date, time and
place of the declaration; electorate and turnout where known; ballot papers issued, found, rejected
(by heading, with objections noted) and valid; each candidate's votes and why they were or were not
elected; the figures at the last stage; any lot, how it was drawn and who witnessed it; then the
operative words ("I declare that ... duly elected") and the signature lines. The QR code and the
digital signature box sit in the band below.

It is always one page: a long field is set smaller, then in two or three columns with the reasons as
footnote marks, and as a last resort scaled to fit; the legal content never moves to page 2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Spacer, Table, TableStyle

from opensel_desktop.engine.result import Result
from opensel_desktop.report import facts
from opensel_desktop.report.facts import esc, fig
from opensel_desktop.report.fonts import clip_to_width
from opensel_desktop.report.inputs import SheetInput, account_rows, papers_entered
from opensel_desktop.report.layout import (
    BOTTOM,
    DECLARATION_BAND,
    ELECTED_BG,
    HEAD_BG,
    PORTRAIT,
    RULE,
    TOP,
    Styles,
)
from opensel_desktop.report.signatures import signature_lines

FRAME_HEIGHT = PORTRAIT[1] - TOP - BOTTOM - DECLARATION_BAND


def declaration(sheet: SheetInput, st: Styles, width: float) -> list[Flowable]:
    """The declaration, fitted to page 1 whatever the number of candidates."""
    build: Callable[[int], list[Flowable]]
    if sheet.result.rule in facts.DECISION_RULES:
        build = lambda level: _decision_page(sheet, st, width, level)  # noqa: E731
    else:
        build = lambda level: _election_page(sheet, st, width, level)  # noqa: E731
    flow: list[Flowable] = []
    for level in range(len(LEVELS)):
        flow = build(level)
        if _height(flow, width) <= FRAME_HEIGHT - 2:
            break
    # the last resort: scaled down to the page (never split: the signature lines stay with the figures)
    return [KeepInFrame(width, FRAME_HEIGHT - 1, flow, mode="shrink", hAlign="LEFT")]


# how tightly page 1 is set: font size, cell padding, candidate table columns
LEVELS = ((8.0, 1.8, 1), (7.2, 1.0, 1), (7.0, 0.8, 2), (6.5, 0.5, 3), (5.8, 0.3, 3))


def _height(flow: Sequence[Flowable], width: float) -> float:
    total = 0.0
    for f in flow:
        _, h = f.wrap(width, 10**6)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def _styles(st: Styles, level: int) -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    size = LEVELS[level][0]
    body = ParagraphStyle(f"decl{level}", parent=st.body, fontSize=size + 1, leading=(size + 1) * 1.28,
                          spaceAfter=2.5 if level else 4)
    cell = ParagraphStyle(f"declc{level}", parent=st.cell, fontSize=size, leading=size * 1.18)
    bold = ParagraphStyle(f"declb{level}", parent=st.cell_bold, fontSize=size, leading=size * 1.18)
    return body, cell, bold


def _heading(sheet: SheetInput, st: Styles, what: str) -> list[Flowable]:
    c = sheet.contest
    title = f"Declaration of {what}" if sheet.declared else "Provisional result (not declared)"
    out: list[Flowable] = [Paragraph(title, st.title)]
    out.append(Paragraph(esc(sheet.title), st.big))
    where = " · ".join(x for x in (c.organisation, c.position) if x)
    if where:
        out.append(Paragraph(esc(where), st.body))
    return out


def _facts_table(rows: list[tuple[str, str]], cell: ParagraphStyle, bold: ParagraphStyle, width: float,
                 pad: float, per_row: int = 3) -> Table:
    """Label/value pairs, `per_row` to a row, so the facts of the declaration take few lines."""
    cells: list[list[object]] = []
    for j in range(0, len(rows), per_row):
        line: list[object] = []
        for k in range(per_row):
            label, value = rows[j + k] if j + k < len(rows) else ("", "")
            line += [Paragraph(esc(label), bold), Paragraph(esc(value), cell)]
        cells.append(line)
    unit = width / per_row
    t = Table(cells, colWidths=[unit * 0.4, unit * 0.6] * per_row, hAlign="LEFT")
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("TOPPADDING", (0, 0), (-1, -1), pad * 0.7), ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.7),
                           ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5)]))
    return t


def _identity(sheet: SheetInput, what: str, cell: ParagraphStyle) -> Paragraph:
    """The contest id and the rule, in one small line under the heading."""
    return Paragraph(f"<b>Contest</b> {esc(sheet.contest_id)} · <b>{esc(what)}</b>", cell)


def _when_where(sheet: SheetInput) -> list[tuple[str, str]]:
    c = sheet.contest
    declared = sheet.declared_at + (" UTC" if sheet.declared_at and "UTC" not in sheet.declared_at else "")
    return [
        ("Date", c.date or "not recorded"),
        ("Place", sheet.place or c.venue or "not recorded"),
        ("Declared at" if sheet.declared else "Counted at", declared or "not recorded"),
    ]


def _paper_figures(sheet: SheetInput) -> list[tuple[str, str]]:
    """Electorate, turnout and the papers: issued, found, rejected, valid (the public form's order)."""
    r = sheet.result
    rows = account_rows(sheet)
    rejected = sum(sheet.rejected_by_heading.values())
    out: list[tuple[str, str]] = []
    electorate = sheet.electorate
    found = [a.found for a in rows if a.found is not None]
    papers_found = sum(found) if rows and len(found) == len(rows) else None
    out.append(("Electorate", f"{electorate:,}" if electorate else "not recorded"))
    if electorate and papers_found is not None:
        out.append(("Turnout", f"{papers_found:,} ({100 * papers_found / electorate:.1f}%)"))
    else:
        out.append(("Turnout", "not known"))
    if rows:
        out.append(("Papers issued", f"{sum(a.issued for a in rows):,}"))
        out.append(("Papers found", f"{papers_found:,}" if papers_found is not None else "not yet recorded"))
    else:
        out.append(("Papers issued", "no account"))
        out.append(("Papers found", "no account"))
    if r.rule == "exhaustive":
        rounds = r.parameters.get("rounds") or []
        last = rounds[-1] if isinstance(rounds, list) and rounds and isinstance(rounds[-1], dict) else {}
        out.append(("Rejected", f"{rejected:,} in all rounds"))
        out.append(("Valid papers", f"{int(last.get('papers', 0)):,} in the last round" if last else "—"))
        return out
    valid = papers_entered(sheet)
    if valid is None:
        valid = r.valid_poll // 10**r.places
    out.append(("Rejected", f"{rejected:,}"))
    out.append(("Valid papers", f"{valid:,}"))
    if r.rule == "block":
        out.append(("Votes cast", fig(r, sum(r.stages[0].votes.values())) if r.stages else "0"))
    return out


def _rejected_rows(sheet: SheetInput, cell: ParagraphStyle, bold: ParagraphStyle, width: float,
                   pad: float) -> list[Flowable]:
    """Rejected papers under each heading, two headings a row, and the objections noted."""
    got = sheet.rejected_by_heading
    headings = list(sheet.contest.rejection_headings) + [h for h in got if h not in sheet.contest.rejection_headings]
    pairs = [(f"({chr(97 + i)}) {h[:1].upper() + h[1:]}", f"{got.get(h, 0):,}") for i, h in enumerate(headings)]
    pairs.append(("Total rejected", f"{sum(got.values()):,}"))
    per_row = 3
    cells: list[list[object]] = []
    for j in range(0, len(pairs), per_row):
        line: list[object] = []
        for k in range(per_row):
            a = pairs[j + k] if j + k < len(pairs) else ("", "")
            style = bold if a[0] == "Total rejected" else cell
            line += [Paragraph(esc(a[0]), style), a[1]]
        cells.append(line)
    unit = width / per_row
    t = Table(cells, colWidths=[unit * 0.82, unit * 0.18] * per_row, hAlign="LEFT")
    t.setStyle(TableStyle([*[("ALIGN", (k, 0), (k, -1), "RIGHT") for k in range(1, 2 * per_row, 2)],
                           *[("RIGHTPADDING", (k, 0), (k, -1), 8) for k in range(1, 2 * per_row, 2)],
                           ("FONTNAME", (0, 0), (-1, -1), cell.fontName), ("FONTSIZE", (0, 0), (-1, -1), cell.fontSize),
                           ("LEADING", (0, 0), (-1, -1), cell.leading), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                           ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6), ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6),
                           ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    out: list[Flowable] = [Paragraph("The number of ballot papers rejected was as follows:", bold), t]
    notes = [n for n in sheet.rejection_notes if n.note]
    if notes:
        text = "; ".join(f"{n.papers} under “{n.heading}”"
                         + (f" (batch {n.batch}, paper {n.paper})" if n.batch and n.paper is not None else "")
                         + f": {n.note}" for n in notes)
        out.append(Paragraph(f"<b>Noted against rejections:</b> {esc(text)}.", cell))
    return out


def _election_page(sheet: SheetInput, st: Styles, width: float, level: int) -> list[Flowable]:
    c, r = sheet.contest, sheet.result
    size, pad, columns = LEVELS[level]
    body, cell, bold = _styles(st, level)
    out = _heading(sheet, st, "result of poll")
    out.append(_identity(sheet, f"{facts.rule_title(r.rule)}; rule set {r.rule_version}", cell))
    rows = [*_when_where(sheet), ("Places", str(r.seats)), *_paper_figures(sheet)]
    if r.quota and facts.is_ranked(r) and r.rule != "av":
        rows.append(("Quota", fig(r, r.quota)))
    out.append(_facts_table(rows, cell, bold, width, pad))
    out.append(Spacer(1, 3))
    out += _rejected_rows(sheet, cell, bold, width, pad)
    out.append(Spacer(1, 4))
    ro = c.returning_officer or "the returning officer"
    ranked = facts.is_ranked(r)
    compact = LEVELS[level][2] >= 3
    what = ("the final figure of each candidate at the count, and the result, were" if ranked and compact else
            "the number of first preference votes for each candidate, and the result of the count, were"
            if ranked else "the number of votes recorded for each candidate was")
    if sheet.declared:
        out.append(Paragraph(f"I, {esc(ro)}, being the returning officer at the above election, give notice "
                             f"that {what} as follows:", body))
    else:
        out.append(Paragraph(f"<b>This is the provisional result.</b> It has not been declared and may change after "
                             f"a recount; candidates and agents may ask for one before the declaration. So far, "
                             f"{what} as follows:", body))
    out += _candidate_tables(sheet, st, width, level, cell, bold)
    line = facts.last_stage_line(r)
    if line:
        out.append(Paragraph(esc(line), body))
    for lot in r.lots:
        out.append(Paragraph(esc(facts.lot_sentence(lot, sheet.witness_of(lot.stage, lot.among, lot.purpose))),
                             body))
    for note in sheet.notes:
        out.append(Paragraph(esc(note), body))
    out.append(_operative(sheet, body))
    out.append(signature_lines(sheet, st, width, ("Returning officer", "Scrutineer"), size=size))
    return out


def _operative(sheet: SheetInput, body: ParagraphStyle) -> Paragraph:
    r = sheet.result
    elected = list(r.elected)
    names = esc(facts.and_list(elected))
    verb = "is" if len(elected) == 1 else "are"
    if not elected:
        text = ("No candidate is elected." if sheet.declared else "As the count stands, no candidate is elected.")
        if r.decision and r.decision.get("outcome"):
            text += f" Outcome: {esc(r.decision['outcome'])}."
        return Paragraph(f"<b>{text}</b>", body)
    if len(elected) < r.seats:
        left = r.seats - len(elected)
        names += f"; {left} place{'s' if left != 1 else ''} remain{'s' if left == 1 else ''} unfilled"
    if sheet.declared:
        return Paragraph(f"<b>And I do hereby declare that {names} {verb} duly elected.</b>", body)
    return Paragraph(f"<b>If this result is declared unchanged, {names} will be elected.</b>", body)


def _reason(o: facts.Outcome) -> str:
    return o.short + (f" ({o.mark})" if o.mark else "")


def _rows_of(r: Result) -> list[tuple[str, str, str, facts.Outcome]]:
    """(name, first figure, final figure, outcome) for every candidate, ballot order, withdrawn last."""
    out = []
    first = r.stages[0] if r.stages else None
    for name in (*r.names, *r.withdrawn):
        o = facts.outcome(r, name)
        if o.kind == "withdrawn" or first is None:
            out.append((name, "—", "—", o))
            continue
        out.append((name, fig(r, first.votes.get(name, 0)), "—" if o.figure is None else fig(r, o.figure), o))
    return out


def _candidate_tables(sheet: SheetInput, st: Styles, width: float, level: int, cell: ParagraphStyle,
                      bold: ParagraphStyle) -> list[Flowable]:
    r = sheet.result
    size, pad, columns = LEVELS[level]
    ranked = facts.is_ranked(r)
    multi = len(r.stages) > 1
    rounds = r.rule == "exhaustive"
    if ranked:
        heads = ["Candidate", "First preferences", "Final figure"]
    elif rounds and multi:
        heads = ["Candidate", "Round 1", "Last round"]
    else:
        heads = ["Candidate", "Votes"]
    # in three columns there is room for one figure: the final one (the stage report has every other)
    drop_first = columns >= 3 and len(heads) == 3
    if drop_first:
        heads = [heads[0], heads[2]]
    heads.append("Result")
    rows = _rows_of(r)
    figure_cols = len(heads) - 2
    long_form = columns == 1
    if not long_form:  # narrow columns: heads that fit them without breaking a word
        heads = [{"First preferences": "1st pref.", "Final figure": "Final", "Last round": "Last"}.get(h, h)
                 for h in heads]
    tail = stringWidth("." + "0" * r.places, cell.fontName, size) if r.places else 0.0

    def table(part: list[tuple[str, str, str, facts.Outcome]], w: float) -> Table:
        data: list[list[object]] = [[Paragraph(h, bold) for h in heads]]
        style = [("GRID", (0, 0), (-1, -1), 0.35, RULE), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), cell.fontName),
                 ("FONTSIZE", (0, 0), (-1, -1), size), ("LEADING", (0, 0), (-1, -1), size * 1.18),
                 ("ALIGN", (1, 1), (figure_cols, -1), "DECIMAL" if r.places else "RIGHT"),
                 ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                 ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                 # after the padding above, which it overrides: the decimal point sits this far from the edge
                 ("RIGHTPADDING", (1, 1), (figure_cols, -1), 4 + tail)]
        # the figure and reason columns as wide as what they hold (a reason is never cut), the names the rest
        shown = (2,) if drop_first else (1, 2)[:figure_cols]
        figure_w = max((stringWidth(row[k], bold.fontName, size) for row in rows for k in shown), default=20)
        reason_w = max((stringWidth(o.why if long_form else _reason(o), bold.fontName, size) for *_, o in rows),
                       default=30)
        head_w = max((stringWidth(h, bold.fontName, size) for h in heads[1:1 + figure_cols]), default=0)
        widths = [0.0] + [max(figure_w + 8, head_w + 6, w * (0.13 if long_form else 0.0))] * figure_cols
        widths[0] = max(w * 0.25, w - sum(widths) - reason_w - 7)
        widths.append(w - sum(widths))
        for i, (name, first, final, o) in enumerate(part, start=1):
            figures = [first, final] if figure_cols == 2 else [final if drop_first else first]
            reason = o.why if long_form else _reason(o)
            font = bold.fontName if o.kind == "elected" else cell.fontName
            # a plain string, not a paragraph: it sits on the figures' baseline, so the row reads as one line
            data.append([Paragraph(esc(name), bold if o.kind == "elected" else cell), *figures,
                         clip_to_width(reason, font, size, widths[-1] - 5)])
            if o.kind == "elected":
                style.append(("BACKGROUND", (0, i), (-1, i), ELECTED_BG))
                style.append(("FONTNAME", (len(heads) - 1, i), (len(heads) - 1, i), bold.fontName))
        t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        t.setStyle(TableStyle(style))
        return t

    gap = 6.0
    if columns == 1:
        out: list[Flowable] = [table(rows, width)]
    else:
        per = -(-len(rows) // columns)
        parts = [rows[i * per:(i + 1) * per] for i in range(columns)]
        w = (width - gap * (columns - 1)) / columns
        grid = Table([[table(p, w) if p else "" for p in parts]], colWidths=[w + (gap if i < columns - 1 else 0)
                                                                            for i in range(columns)], hAlign="LEFT")
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), gap), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        out = [grid]
        marks = sorted({o.mark for *_, o in rows if o.mark}, key=list(facts.REASON_NOTES).index)
        where = "round" if rounds else "stage"
        legend = [f"“Elected {'rd ' if rounds else ''}N”, “{'Elim. rd' if rounds else 'Excl.'} N”: elected, or "
                  f"{'eliminated' if rounds else 'excluded'} for fewest votes, at {where} N"]
        legend += [f"({m}) {facts.REASON_NOTES[m]}" for m in marks]
        out.append(Paragraph(f"<b>Key:</b> {esc('; '.join(legend))}. The stage report gives every {where} in full.",
                             cell))
    total = sum(r.stages[0].votes.values()) if r.stages else 0
    label = "Total votes" if r.rule == "block" else "Total valid votes"
    if len(r.stages) > 1:
        label += " in the first round" if rounds else " at the first stage"
    out.append(Paragraph(f"<b>{label}:</b> {fig(r, total)}", cell))
    out.append(Spacer(1, 3))
    return out


# ---- motions and trigger ballots ------------------------------------------------------------------

def _decision_page(sheet: SheetInput, st: Styles, width: float, level: int) -> list[Flowable]:
    from opensel_desktop.report.decisions import decision_figures, outcome_sentence

    c, r = sheet.contest, sheet.result
    size, pad, _ = LEVELS[level]
    body, cell, bold = _styles(st, level)
    what = "the result of the trigger ballot" if r.rule == "trigger" else "the result of the vote on the motion"
    out = _heading(sheet, st, what)
    out.append(_identity(sheet, f"{facts.rule_title(r.rule)}; rule set {r.rule_version}", cell))
    out.append(_facts_table(_when_where(sheet), cell, bold, width, pad))
    out.append(Spacer(1, 4))
    ro = c.returning_officer or "the returning officer"
    if sheet.declared:
        out.append(Paragraph(f"I, {esc(ro)}, being the returning officer, give notice that the result was as "
                             "follows:", body))
    else:
        out.append(Paragraph("<b>This is the provisional result.</b> It has not been declared and may change; so far "
                             "the result is as follows:", body))
    out += decision_figures(sheet, st, width, cell, bold, pad)
    outcome, because = outcome_sentence(sheet)
    out.append(Paragraph(esc(because), body))
    lead = "And I do hereby declare that" if sheet.declared else "If this result is declared unchanged,"
    out.append(Paragraph(f"<b>{lead} {esc(outcome)}.</b>", body))
    for note in sheet.notes:
        out.append(Paragraph(esc(note), body))
    out.append(signature_lines(sheet, st, width, ("Returning officer", "Scrutineer", "Teller"), size=size))
    return out

