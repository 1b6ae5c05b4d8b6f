"""Stage-by-stage result sheet for STV and AV (DOMAIN.md 2.7 item 3), printed landscape.

Each stage is a column pair: the transfer (+/−) at that stage and the running total after it; the
first stage has totals only. Rows: every candidate, non-transferable papers (exhausted), rounding
loss, the total (which must equal the valid poll at every stage) and the quota. A wide count is
split into several tables, each repeating the candidate names, so no figure is ever squeezed.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from opensel_desktop.engine.result import Result, Stage
from opensel_desktop.report import facts
from opensel_desktop.report.facts import esc
from opensel_desktop.report.layout import ELECTED_BG, EXCLUDED_BG, HEAD_BG, RULE, Styles

NAME_W = 135.0
TOTAL_W = 54.0
DELTA_W = 48.0


def stage_sheet(result: Result, st: Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("Stage-by-stage result", st.title)]
    out.append(Paragraph(
        f"{esc(facts.rule_title(result.rule))} · rule set {esc(result.rule_version)} · "
        f"{result.seats} place{'s' if result.seats != 1 else ''} · valid poll {result.fmt(result.valid_poll)}"
        + (f" · {_quota_word(result)} {result.fmt(result.quota)}" if result.quota else ""), st.body))
    out.append(Paragraph(
        "Each stage shows the votes transferred (+ gained, − given up) and the total after the transfer. "
        "Green: elected. Grey: excluded. The total row must equal the valid poll at every stage.", st.small))
    name_w = min(NAME_W, width * 0.25)
    # as many stages per table as fit the width (the first stage needs one column, the others two)
    chunks: list[list[Stage]] = [[]]
    used = name_w
    for s in result.stages:
        need = TOTAL_W if s.number == 1 else DELTA_W + TOTAL_W
        if chunks[-1] and used + need > width:
            chunks.append([])
            used = name_w
        chunks[-1].append(s)
        used += need
    for k, chunk in enumerate(chunks):
        if k:
            out.append(CondPageBreak(200))
            out.append(Paragraph(f"Stages {chunk[0].number}–{chunk[-1].number} (continued)", st.h2))
        out.append(_table(result, chunk, st, name_w))
        out.append(Spacer(1, 8))
    out.append(Paragraph("What happened at each stage", st.h2))
    for s in result.stages:
        out.append(KeepTogether(Paragraph(
            f"<b>Stage {s.number}. {esc(facts.action_title(s))}.</b> {esc(s.reason)}", st.body)))
    return out


def _table(result: Result, chunk: list[Stage], st: Styles, name_w: float) -> Table:
    fmt = result.fmt
    by_no = {s.number: s for s in result.stages}
    head1: list[object] = [Paragraph("Stage", st.cell_head)]
    head2: list[object] = [Paragraph("Candidate", st.cell_bold)]
    widths = [name_w]
    spans = []
    col = 1
    for s in chunk:
        value = f"<br/>at value {fmt(s.transfer_value)}" if s.transfer_value is not None else ""
        title = Paragraph(f"{s.number}. {esc(facts.action_title(s))}{value}", st.cell_head)
        if s.number == 1:
            head1.append(title)
            head2.append(Paragraph("Votes", st.cell_head))
            widths.append(TOTAL_W)
            col += 1
        else:
            head1 += [title, ""]
            head2 += [Paragraph("+/−", st.cell_head), Paragraph("Total", st.cell_head)]
            widths += [DELTA_W, TOTAL_W]
            spans.append(("SPAN", (col, 0), (col + 1, 0)))
            col += 2
    rows = [head1, head2]
    style = [
        ("BACKGROUND", (0, 0), (-1, -1), colors.white),  # the watermark never shows through a figure
        ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (-1, 1), HEAD_BG),
        ("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed),
        ("FONTSIZE", (1, 2), (-1, -1), 8),
        ("ALIGN", (1, 2), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        *spans,
    ]
    bold = st.fonts.condensed_bold
    for r_i, name in enumerate(result.names, start=2):
        row: list[object] = [Paragraph(esc(name), st.cell)]
        c = 1
        el_at = facts.elected_stage(result, name)
        ex_at = facts.excluded_stage(result, name)
        for s in chunk:
            now = s.votes.get(name)
            prev = by_no[s.number - 1].votes.get(name) if s.number > 1 else None
            gone = ex_at is not None and s.number > ex_at
            if s.number > 1:
                row.append("" if gone or now is None or prev is None else _signed(now - prev, fmt))
                c += 1
            row.append("–" if gone or now is None else fmt(now))
            if el_at is not None and s.number >= el_at:
                style.append(("BACKGROUND", (c, r_i), (c, r_i), ELECTED_BG))
                if s.number == el_at:
                    style.append(("FONTNAME", (c, r_i), (c, r_i), bold))
            elif ex_at is not None and s.number >= ex_at:
                style.append(("BACKGROUND", (c, r_i), (c, r_i), EXCLUDED_BG))
            c += 1
        rows.append(row)
    extra = [
        ("Non-transferable (exhausted)", lambda s: s.exhausted),
        ("Rounding (lost)", lambda s: s.rounding_loss),
        ("Total (equals the valid poll)", lambda s: sum(s.votes.values()) + s.non_transferable),
        (_quota_word(result).capitalize(), lambda s: s.quota),
    ]
    if any(getattr(s, "threshold", None) is not None for s in result.stages):
        # ERS97 5.1.7(b): the vote that now suffices for election, where it differs from the quota
        extra.append(("Threshold", lambda s: s.threshold if s.threshold is not None else s.quota))
    first_extra = len(rows)
    for label, get in extra:
        row = [Paragraph(label, st.cell_bold if label.startswith("Total") else st.cell)]
        for s in chunk:
            if s.number > 1:
                prev = by_no[s.number - 1]
                row.append("" if label in (_quota_word(result).capitalize(), "Threshold") or label.startswith("Total")
                           else _signed(get(s) - get(prev), fmt))
            row.append(fmt(get(s)))
        rows.append(row)
    style.append(("LINEABOVE", (0, first_extra), (-1, first_extra), 1, colors.black))
    style.append(("FONTNAME", (1, first_extra + 2), (-1, first_extra + 2), bold))
    t = Table(rows, colWidths=widths, repeatRows=2, hAlign="LEFT")
    t.setStyle(TableStyle(style))
    return t


def _signed(delta: int, fmt) -> str:
    if delta == 0:
        return ""
    return ("+" if delta > 0 else "−") + fmt(abs(delta))


def _quota_word(result: Result) -> str:
    """AV needs a majority of the continuing votes, which falls as papers exhaust; STV has a quota."""
    return "majority needed" if result.rule == "av" else "quota"
