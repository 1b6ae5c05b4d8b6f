"""Motions and trigger ballots on paper: the figures, the rule in plain English, the outcome, and for a
trigger ballot every unit's return.

Nothing here prints an internal option name: "two_thirds", "ge" or "or" become "two thirds or more",
"at least" and "either class". A trigger ballot is a tally of the units' decisions, not of votes for
candidates, so its pages never speak of candidates, quotas or rejected ballot papers.
"""

from __future__ import annotations

from fractions import Fraction

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from opensel_desktop.report.facts import and_list, esc
from opensel_desktop.report.inputs import SheetInput, UnitReturn
from opensel_desktop.report.layout import HEAD_BG, RULE, Styles

MAJORITY_WORDS = {"simple": "more votes for than against", "absolute": "more than half",
                  "two_thirds": "two thirds or more"}
DENOMINATOR_WORDS = {"voting": "of those voting", "present": "of the members present"}
FRACTION_WORDS = {Fraction(1, 3): "one third", Fraction(1, 2): "one half", Fraction(2, 3): "two thirds",
                  Fraction(1, 4): "one quarter", Fraction(3, 4): "three quarters"}
DECISION_WORDS = {"yes": "Yes", "no": "No", "none": "Did not vote"}


def _fraction_words(text: object) -> str:
    try:
        f = Fraction(str(text))
    except (ValueError, ZeroDivisionError):
        return str(text)
    return FRACTION_WORDS.get(f, f"{f.numerator}/{f.denominator}")


def _grid(rows: list[list[object]], widths: list[float], cell: ParagraphStyle, pad: float,
          figures_from: int = 1) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.35, RULE), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                           ("FONTNAME", (0, 0), (-1, -1), cell.fontName), ("FONTSIZE", (0, 0), (-1, -1), cell.fontSize),
                           ("LEADING", (0, 0), (-1, -1), cell.leading), ("ALIGN", (figures_from, 1), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad)]))
    return t


def decision_figures(sheet: SheetInput, st: Styles, width: float, cell: ParagraphStyle, bold: ParagraphStyle,
                     pad: float) -> list[Flowable]:
    """The figures a reader needs to check the outcome: For/Against/Abstain, or yes/no per class."""
    d = sheet.result.decision or {}
    out: list[Flowable] = []
    if sheet.result.rule == "motion":
        text = str(d.get("text") or "")
        if text:
            out.append(Paragraph(f"<b>Motion:</b> “{esc(text)}”", cell))
            out.append(Spacer(1, 3))
        figs = d.get("figures") or {}
        rows: list[list[object]] = [[Paragraph(h, bold) for h in ("", "Votes")]]
        for key, label in (("for", "For"), ("against", "Against"), ("abstain", "Abstentions")):
            rows.append([Paragraph(label, cell), f"{int(figs.get(key, 0)):,}"])
        if figs.get("present") is not None:
            rows.append([Paragraph("Members present", cell), f"{int(figs['present']):,}"])
        out.append(_grid(rows, [width * 0.35, width * 0.15], cell, pad))
        out.append(Spacer(1, 4))
        return out
    figures = d.get("figures") or {}
    thresholds = d.get("threshold") or {}
    rows = [[Paragraph(h, bold) for h in ("Class of unit", "Yes", "No", "Did not vote", "Units counted",
                                           "Yes needed", "Threshold met")]]
    for name, f in figures.items():
        if not isinstance(f, dict):
            continue
        rows.append([Paragraph(esc(name), cell), str(f.get("yes", 0)), str(f.get("no", 0)),
                     str(f.get("did_not_vote", 0)), str(f.get("denominator", 0)), str(f.get("needed", 0)),
                     Paragraph(("yes" if f.get("met") else "no") + f" (threshold {_fraction_words(thresholds.get(name))})"
                               if isinstance(thresholds, dict) else ("yes" if f.get("met") else "no"), cell)])
    out.append(_grid(rows, [width * x for x in (0.27, 0.08, 0.08, 0.11, 0.11, 0.1, 0.25)], cell, pad))
    out.append(Spacer(1, 4))
    return out


def outcome_sentence(sheet: SheetInput) -> tuple[str, str]:
    """(the operative outcome, the plain-English rule that decided it)."""
    r = sheet.result
    d = r.decision or {}
    if r.rule == "motion":
        figs = d.get("figures") or {}
        majority = str(d.get("majority") or "simple")
        need = MAJORITY_WORDS.get(majority, str(d.get("threshold") or majority))
        of = "" if majority == "simple" else " " + DENOMINATOR_WORDS.get(str(d.get("denominator")), "")
        base = (f" ({int(d['denominator_value']):,} {'voting' if d.get('denominator') == 'voting' else 'present'})"
                if majority != "simple" and d.get("denominator_value") is not None else "")
        abst = ("Abstentions are not counted as votes." if d.get("abstentions") != "counted"
                else "Abstentions count towards the number voting.")
        because = (f"{int(figs.get('for', 0)):,} voted for, {int(figs.get('against', 0)):,} against and "
                   f"{int(figs.get('abstain', 0)):,} abstained. The motion needed {need}{of}{base}, that is at least "
                   f"{int(d.get('needed', 0)):,} votes for. {abst}")
        if d.get("casting_vote"):
            who = ("the chair's casting vote" if d.get("casting_vote_rule") == "chair"
                   else "a casting vote for leaving things as they are")
            because += f" The votes were equal, and {who} was given {d['casting_vote']} the motion."
        outcome = "the motion is CARRIED" if d.get("outcome") == "carried" else "the motion is LOST"
        return outcome, because
    figures = d.get("figures") or {}
    classes = [n for n, f in figures.items() if isinstance(f, dict)]
    combine = str(d.get("combine") or "or")
    denominator = str(d.get("denominator") or "voting")
    thresholds = d.get("threshold") or {}
    parts = []
    for name in classes:
        f = figures[name]
        t = _fraction_words(thresholds.get(name)) if isinstance(thresholds, dict) else str(thresholds)
        counted = "units that voted" if denominator == "voting" else "units listed"
        parts.append(f"{name}: {f.get('yes', 0)} of {f.get('denominator', 0)} {counted} said yes; at least {t} "
                     f"({f.get('needed', 0)}) {'was' if f.get('met') else 'was needed and was not'} "
                     f"{'reached' if f.get('met') else 'reached'}")
    rule = {"or": "a full selection is held if either class reaches its threshold",
            "and": "a full selection is held only if every class reaches its threshold",
            "pooled": "a full selection is held if the units together reach the threshold"}.get(combine, combine)
    member = str(d.get("member") or "the sitting member")
    because = (f"Under the rule set {d.get('rule_set') or r.rule_version}, {rule}. " + "; ".join(parts) + ".")
    if d.get("outcome") == "triggered":
        outcome = f"a full selection is TRIGGERED, and {member} goes on the shortlist for it"
    else:
        outcome = f"no selection is triggered: {member} is RESELECTED, subject to endorsement"
    return outcome, because


def unit_returns_sheet(sheet: SheetInput, st: Styles, width: float) -> list[Flowable]:
    """Every unit's return, class by class, with how it decided and any earlier return it replaced."""
    out: list[Flowable] = [Paragraph("Returns of the units, one by one", st.title)]
    out.append(Paragraph("Each unit's latest return counts; an earlier return stays on the record with the reason "
                         "it was replaced. A unit that sent no return, or reported that it did not vote, is "
                         "counted as not voting.", st.small))
    units = sheet.unit_returns
    if not units:
        out.append(Paragraph("No unit returns are recorded.", st.body))
        return out
    classes: list[str] = []
    for u in units:
        if u.unit_class not in classes:
            classes.append(u.unit_class)
    head = ("Unit", "Decision (yes: wants a selection)", "For", "Against", "Abstain", "Meeting", "How it decided", "Reported by",
            "Notes: earlier returns, reasons")
    widths = [width * x for x in (0.17, 0.1, 0.05, 0.06, 0.06, 0.08, 0.16, 0.1, 0.22)]
    for name in classes:
        mine = [u for u in units if u.unit_class == name]
        out.append(Paragraph(esc(name), st.h2))
        rows: list[list[object]] = [[Paragraph(h, st.cell_head) for h in head]]
        for u in mine:
            rows.append([Paragraph(esc(u.unit), st.cell), Paragraph(esc(DECISION_WORDS.get(u.decision, u.decision)),
                                                                    st.cell_bold),
                         _n(u.votes_for), _n(u.votes_against), _n(u.abstain), Paragraph(esc(u.meeting), st.cell),
                         Paragraph(esc(u.how), st.cell), Paragraph(esc(u.reported_by), st.cell),
                         Paragraph(esc(_history(u)), st.cell)])
        out.append(_grid(rows, widths, st.cell, 2, figures_from=2))
        yes = sum(1 for u in mine if u.decision == "yes")
        no = sum(1 for u in mine if u.decision == "no")
        none = sum(1 for u in mine if u.decision not in ("yes", "no"))
        out.append(Paragraph(f"{esc(name)}: {yes} yes, {no} no, {none} did not vote "
                             f"({len(mine)} unit{'s' if len(mine) != 1 else ''}).", st.body))
    _, because = outcome_sentence(sheet)
    out.append(Spacer(1, 4))
    out.append(Paragraph(esc(because), st.body))
    return out


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _history(u: UnitReturn) -> str:
    if not u.earlier:
        return u.reason
    words = and_list([DECISION_WORDS.get(e, e).lower() for e in u.earlier])
    text = f"earlier: {words}"
    if u.received:
        text += f"; this return received {u.received}"
    if u.reason:
        text += f"; {u.reason}"
    return text
