"""The stage report for STV and AV, laid out as a returning officer's stage-by-stage statement.

Each stage is a column pair: the votes transferred at that stage (+ gained, − given up) and each
candidate's total after it; the first stage has totals only. The head of each stage says what
happened and, for a surplus, at what transfer value. Below the candidates: non-transferable papers
(those with no further preference and, under rules that truncate, the value lost to rounding, shown
separately and as the total the CLI prints), the total (the valid poll, at every stage) and the quota
or majority needed.

Column widths come from the widest figure actually printed; a wide count continues on further pages
(the candidate names and stage heads repeated), and a long field splits by rows with the heads
repeated, so any count up to a hundred candidates and a hundred stages prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from opensel_desktop.engine.result import Result, Stage
from opensel_desktop.report import facts
from opensel_desktop.report.facts import esc, fig
from opensel_desktop.report.figures import decimal_split
from opensel_desktop.report.layout import ELECTED_BG, EXCLUDED_BG, HEAD_BG, RULE, Styles

FIG_SIZE = 8.0
PAD = 3.0
MIN_PAIR = 66.0  # a stage head needs this much width to be read ("Surplus of …", the transfer value)
MIN_FIRST = 56.0  # "First preferences" in the head of the first stage, unbroken
NAME_MAX = 150.0
NAME_MIN = 70.0


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    cells: dict[int, tuple[str, str]]  # stage number -> (transfer, total)
    kind: str = "candidate"  # "candidate" | "nt" | "total" | "quota"
    name: str = ""


def transfer_value_words(result: Result, s: Stage) -> str:
    """'value 0.15789' for a surplus at one value, or the fraction of each paper's value that moved."""
    if s.action != "surplus":
        return ""
    if s.transfer_value is not None:
        return f"transfer value {fig(result, s.transfer_value)}"
    prev = result.stages[s.number - 2] if s.number > 1 else None
    if prev is None or not s.subjects:
        return ""
    total = sum(prev.votes.get(n, 0) for n in s.subjects)
    surplus = total - sum(s.votes.get(n, 0) for n in s.subjects)
    if total <= 0 or surplus <= 0:
        return ""
    factor = surplus * 10**result.places // total
    return f"each paper at {fig(result, factor)} of its value"


def stage_rows(result: Result) -> list[Row]:
    """Every row of the stage report with its printed figures (so widths can be measured)."""
    by_no = {s.number: s for s in result.stages}
    rows: list[Row] = []
    for name in result.names:
        ex_at = facts.excluded_stage(result, name)
        cells: dict[int, tuple[str, str]] = {}
        for s in result.stages:
            now = s.votes.get(name)
            prev = by_no[s.number - 1].votes.get(name) if s.number > 1 else None
            if ex_at is not None and s.number > ex_at:
                cells[s.number] = ("", "")
                continue
            delta = "" if now is None or prev is None else fig(result, now - prev, signed=True)
            total = "–" if now is None or (ex_at == s.number and now == 0) else fig(result, now)
            cells[s.number] = (delta, total)
        rows.append(Row(name, cells, name=name))

    def running(label: str, get, kind: str = "nt", signed_moves: bool = True) -> Row:
        cells = {}
        for s in result.stages:
            prev = by_no[s.number - 1] if s.number > 1 else None
            move = fig(result, get(s) - get(prev), signed=True) if prev is not None and signed_moves else ""
            cells[s.number] = (move, fig(result, get(s)))
        return Row(label, cells, kind)

    rounding = any(s.rounding_loss for s in result.stages)
    exhausted_label = "Exhausted (no further preference)" if result.rule == "av" else \
        "Non-transferable: no further preference"
    rows.append(running(exhausted_label, lambda s: s.exhausted))
    if rounding:
        rows.append(running("Non-transferable: lost to rounding", lambda s: s.rounding_loss))
        rows.append(running("Non-transferable, total", lambda s: s.non_transferable))
    rows.append(running("Total (the valid poll)", lambda s: sum(s.votes.values()) + s.non_transferable, "total",
                        signed_moves=False))
    quota = facts.quota_word(result).capitalize()
    rows.append(running(quota, lambda s: s.quota, "quota", signed_moves=False))
    if any(s.threshold is not None for s in result.stages):
        rows.append(running("Votes now needed for election", lambda s: s.threshold if s.threshold is not None
                            else s.quota, "quota", signed_moves=False))
    return rows


def _measure(texts: list[str], font: str) -> tuple[float, float]:
    """(width, width right of the decimal point) of a column of figures aligned on the point."""
    heads = [stringWidth(decimal_split(t)[0], font, FIG_SIZE) for t in texts]
    tails = [stringWidth(decimal_split(t)[1], font, FIG_SIZE) for t in texts]
    head, tail = max(heads, default=0.0), max(tails, default=0.0)
    return head + tail + 2 * PAD + 2, tail


def _widths(rows: list[Row], stage: Stage, font: str, bold: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """((transfer width, its decimals), (total width, its decimals)) from the figures printed in them."""
    move_w, move_tail = _measure([r.cells[stage.number][0] for r in rows], font)
    total_w, total_tail = _measure([r.cells[stage.number][1] for r in rows], bold)
    if stage.number == 1:
        move_w = move_tail = 0.0
        total_w = max(total_w, MIN_FIRST)
    elif move_w + total_w < MIN_PAIR:
        extra = (MIN_PAIR - move_w - total_w) / 2
        move_w, total_w = move_w + extra, total_w + extra
    return (move_w, move_tail), (total_w, total_tail)


def stage_sheet(result: Result, st: Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("Stage-by-stage result", st.title)]
    summary = (f"{esc(facts.rule_title(result.rule))} · rule set {esc(result.rule_version)} · "
               f"{result.seats} place{'s' if result.seats != 1 else ''} · valid poll {fig(result, result.valid_poll)}")
    if result.quota:
        summary += f" · {facts.quota_word(result)} at the first stage {fig(result, result.quota)}"
    out.append(Paragraph(summary, st.body))
    out.append(Paragraph(
        "Each stage shows the votes transferred (+ received, − given up) and the total after the transfer. "
        "Green: elected (bold at the stage of election). Grey: excluded at that stage. The total row equals "
        "the valid poll at every stage.", st.small))
    rows = stage_rows(result)
    f = st.fonts
    names_w = max((stringWidth(r.label, f.condensed, FIG_SIZE) for r in rows), default=60) + 2 * PAD + 2
    name_w = max(NAME_MIN, min(NAME_MAX, names_w, width * 0.3))
    widths = {s.number: _widths(rows, s, f.condensed, f.condensed_bold) for s in result.stages}
    chunks: list[list[Stage]] = [[]]
    used = name_w
    for s in result.stages:
        need = widths[s.number][0][0] + widths[s.number][1][0]
        if chunks[-1] and used + need > width:
            chunks.append([])
            used = name_w
        chunks[-1].append(s)
        used += need
    for k, chunk in enumerate(chunks):
        if k:
            out.append(CondPageBreak(160))
            out.append(Paragraph(f"Stages {chunk[0].number} to {chunk[-1].number} (continued)", st.h2))
        out.append(_table(result, rows, chunk, st, name_w, widths))
        out.append(Spacer(1, 8))
    out.append(Paragraph("What happened at each stage", st.h2))
    for s in result.stages:
        tv = transfer_value_words(result, s)
        head = f"Stage {s.number}. {esc(facts.action_title(s))}" + (f" ({esc(tv)})" if tv else "")
        out.append(KeepTogether(Paragraph(f"<b>{head}.</b> {esc(s.reason)}", st.body)))
        for note in s.constraints_applied:
            out.append(Paragraph(f"Constraint: {esc(note)}.", st.small))
    return out


def _table(result: Result, rows: list[Row], chunk: list[Stage], st: Styles, name_w: float,
           widths: dict[int, tuple[tuple[float, float], tuple[float, float]]]) -> Table:
    head1: list[object] = [Paragraph("Stage", st.cell_head)]
    head2: list[object] = [Paragraph("Candidate", st.cell_bold)]
    col_w = [name_w]
    spans: list[tuple] = []
    col = 1
    for s in chunk:
        tv = transfer_value_words(result, s)
        title = f"<b>{s.number}</b> · {esc(facts.action_title(s))}" + (f"<br/>{esc(tv)}" if tv else "")
        (move_w, move_tail), (total_w, total_tail) = widths[s.number]
        if s.number == 1:
            head1.append(Paragraph(title, st.cell_head))
            head2.append(Paragraph("Votes", st.cell_head))
            col_w.append(total_w)
            spans.append(("RIGHTPADDING", (col, 2), (col, -1), PAD + total_tail))
            col += 1
        else:
            head1 += [Paragraph(title, st.cell_head), ""]
            head2 += [Paragraph("+/−", st.cell_head), Paragraph("Total", st.cell_head)]
            col_w += [move_w, total_w]
            spans += [("SPAN", (col, 0), (col + 1, 0)), ("RIGHTPADDING", (col, 2), (col, -1), PAD + move_tail),
                      ("RIGHTPADDING", (col + 1, 2), (col + 1, -1), PAD + total_tail)]
            col += 2
    data: list[list[object]] = [head1, head2]
    style: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (-1, 1), HEAD_BG),
        ("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed),
        ("FONTSIZE", (1, 2), (-1, -1), FIG_SIZE),
        ("LEADING", (0, 0), (-1, -1), FIG_SIZE * 1.2),
        ("ALIGN", (1, 2), (-1, -1), "DECIMAL" if result.places else "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        *(spans if result.places else [x for x in spans if x[0] == "SPAN"]),
    ]
    bold = st.fonts.condensed_bold
    first_extra = None
    for r_i, row in enumerate(rows, start=2):
        if row.kind != "candidate" and first_extra is None:
            first_extra = r_i
        label_style = st.cell_bold if row.kind == "total" else st.cell
        line: list[object] = [Paragraph(esc(row.label), label_style)]
        c = 1
        el_at = facts.elected_stage(result, row.name) if row.name else None
        ex_at = facts.excluded_stage(result, row.name) if row.name else None
        for s in chunk:
            move, total = row.cells[s.number]
            if s.number > 1:
                line.append(move)
                c += 1
            line.append(total)
            if el_at is not None and s.number >= el_at:
                style.append(("BACKGROUND", (c, r_i), (c, r_i), ELECTED_BG))
                if s.number == el_at:
                    style.append(("FONTNAME", (c, r_i), (c, r_i), bold))
            elif ex_at is not None and s.number == ex_at:
                style.append(("BACKGROUND", (c - 1 if s.number > 1 else c, r_i), (c, r_i), EXCLUDED_BG))
            if row.kind == "total":
                style.append(("FONTNAME", (c, r_i), (c, r_i), bold))
            c += 1
        data.append(line)
    if first_extra is not None:
        style.append(("LINEABOVE", (0, first_extra), (-1, first_extra), 1, colors.black))
    t = Table(data, colWidths=col_w, repeatRows=2, hAlign="LEFT")
    t.setStyle(TableStyle(style))
    return t
