"""First past the post, block vote and exhaustive ballot: the result of the count.

One column of votes (FPTP, block), or one column per round (exhaustive ballot: each round is a new
vote on new papers, so there are no transfers, only who was eliminated after each round, and each
round has its own valid and rejected papers). A long ballot continues on further pages with the
candidate names repeated.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from opensel_desktop.engine.result import Result, Stage
from opensel_desktop.report import facts
from opensel_desktop.report.facts import esc, fig
from opensel_desktop.report.layout import ELECTED_BG, EXCLUDED_BG, HEAD_BG, RULE, Styles

FIG_SIZE = 8.5


def round_accounts(result: Result) -> list[dict]:
    """Each exhaustive-ballot round's papers, rejections and account, as the count recorded them."""
    rounds = result.parameters.get("rounds") if result.rule == "exhaustive" else None
    return [r for r in rounds if isinstance(r, dict)] if isinstance(rounds, list) else []


def plurality_sheet(result: Result, st: Styles, width: float) -> list[Flowable]:
    rounds = result.rule == "exhaustive"
    out: list[Flowable] = [Paragraph("Result of the count", st.title)]
    what = "papers" if result.rule == "block" else "votes"
    line = (f"{esc(facts.rule_title(result.rule))} · rule set {esc(result.rule_version)} · {result.seats} "
            f"place{'s' if result.seats != 1 else ''}")
    if not rounds:
        line += f" · valid {what} {fig(result, result.valid_poll)}"
    out.append(Paragraph(line, st.body))
    if rounds:
        out.append(Paragraph("Each round is a fresh vote on new ballot papers. After each round without a winner, the "
                             "candidate with fewest votes is eliminated (grey).", st.small))
    f = st.fonts
    accounts = {int(a.get("round", i + 1)): a for i, a in enumerate(round_accounts(result))}
    names_w = max((stringWidth(n, f.condensed, FIG_SIZE) for n in result.names), default=60) + 10
    name_w = min(max(names_w, 90.0), width * 0.3)
    whys = [facts.outcome(result, n).why for n in result.names]
    res_w = min(max((stringWidth(w, f.condensed_bold, FIG_SIZE) for w in whys), default=60) + 10, width * 0.5)
    col_w = max(44.0, max((stringWidth(fig(result, v), f.condensed_bold, FIG_SIZE) for s in result.stages
                           for v in s.votes.values()), default=20) + 12)
    per = max(1, int((width - name_w - res_w) // col_w))
    chunks = [list(result.stages[i:i + per]) for i in range(0, len(result.stages), per)] or [[]]
    for k, chunk in enumerate(chunks):
        if k:
            out.append(CondPageBreak(150))
            out.append(Paragraph(f"Rounds {chunk[0].number} to {chunk[-1].number} (continued)", st.h2))
        out.append(_table(result, chunk, accounts, st, name_w, col_w, res_w, last=k == len(chunks) - 1))
        out.append(Spacer(1, 8))
    if len(result.stages) > 1 or any(s.reason for s in result.stages):
        out.append(Paragraph("What happened", st.h2))
        for s in result.stages:
            if s.reason:
                title = "The count" if s.action == "first" else facts.action_title(s)  # X-votes have no preferences
                out.append(Paragraph(f"<b>{esc(title)}.</b> {esc(s.reason)}", st.body))
            for note in s.constraints_applied:
                out.append(Paragraph(f"Constraint: {esc(note)}.", st.small))
    return out


def _table(result: Result, chunk: list[Stage], accounts: dict[int, dict], st: Styles, name_w: float,
           col_w: float, res_w: float, last: bool) -> Table:
    rounds = result.rule == "exhaustive"
    head = ["Candidate"] + [("Votes" if len(result.stages) == 1 else f"Round {s.number}") for s in chunk] + \
        (["Result"] if last else [])
    rows: list[list[object]] = [[Paragraph(h, st.cell_bold) for h in head]]
    style: list[tuple] = [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                          ("ALIGN", (1, 1), (len(chunk), -1), "RIGHT"),
                          ("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed),
                          ("FONTSIZE", (1, 1), (-1, -1), FIG_SIZE), ("LEADING", (0, 0), (-1, -1), FIG_SIZE * 1.2),
                          ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for i, name in enumerate(result.names, start=1):
        o = facts.outcome(result, name)
        row: list[object] = [Paragraph(esc(name), st.cell_bold if o.kind == "elected" else st.cell)]
        ex = facts.excluded_stage(result, name)
        for j, s in enumerate(chunk, start=1):
            gone = ex is not None and s.number > ex
            row.append("" if gone else "–" if name not in s.votes else fig(result, s.votes[name]))
            if ex is not None and s.number == ex:
                style.append(("BACKGROUND", (j, i), (j, i), EXCLUDED_BG))
            if s.number == o.stage and o.kind == "elected":
                style.append(("BACKGROUND", (j, i), (j, i), ELECTED_BG))
                style.append(("FONTNAME", (j, i), (j, i), st.fonts.condensed_bold))
        if last:  # a plain string on the figures' baseline, so the row reads as one line
            row.append(o.why)
            if o.kind == "elected":
                style.append(("BACKGROUND", (-1, i), (-1, i), ELECTED_BG))
                style.append(("FONTNAME", (-1, i), (-1, i), st.fonts.condensed_bold))
        rows.append(row)
    n = len(rows)
    extra: list[tuple[str, list[str]]] = []
    if rounds:
        extra.append(("Valid papers", [f"{int(accounts.get(s.number, {}).get('papers', 0)):,}" for s in chunk]))
        extra.append(("Rejected papers", [f"{sum(int(v) for v in (accounts.get(s.number, {}).get('rejected') or {}).values()):,}"
                                          for s in chunk]))
        extra.append(("Majority needed", [fig(result, s.quota) for s in chunk]))
    else:
        label = "Total votes" if result.rule == "block" else "Total valid votes"
        extra.append((label, [fig(result, sum(s.votes.values())) for s in chunk]))
        if any(s.exhausted for s in chunk):
            extra.append(("Papers with no vote for a candidate standing", [fig(result, s.exhausted) for s in chunk]))
    for label, cells in extra:
        rows.append([Paragraph(label, st.cell_bold)] + cells + ([""] if last else []))
    style.append(("LINEABOVE", (0, n), (-1, n), 1, colors.black))
    widths = [name_w] + [col_w] * len(chunk) + ([res_w] if last else [])
    t = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle(style))
    return t
