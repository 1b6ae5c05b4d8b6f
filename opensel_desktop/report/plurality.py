"""First past the post, block vote and exhaustive ballot sheet (DOMAIN.md 3.1, 3.2).

One column of votes (FPTP, block) or one column per round (exhaustive ballot: each round is a new
vote, so there are no transfers to show, only who was eliminated after each round).
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from opensel_desktop.engine.result import Result
from opensel_desktop.report import facts
from opensel_desktop.report.facts import esc
from opensel_desktop.report.layout import ELECTED_BG, EXCLUDED_BG, HEAD_BG, RULE, Styles


def plurality_sheet(result: Result, st: Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("Result of the count", st.title)]
    out.append(Paragraph(
        f"{esc(facts.rule_title(result.rule))} · rule set {esc(result.rule_version)} · {result.seats} "
        f"place{'s' if result.seats != 1 else ''} · valid {'papers' if result.rule == 'block' else 'votes'} "
        f"{result.fmt(result.valid_poll)}", st.body))
    stages = list(result.stages)[:8]  # an exhaustive ballot with more rounds continues in the text below
    head = ["Candidate"] + [("Votes" if len(stages) == 1 else f"Round {s.number}") for s in stages] + ["Result"]
    rows = [[Paragraph(h, st.cell_bold) for h in head]]
    style = [("BACKGROUND", (0, 0), (-1, -1), colors.white), ("GRID", (0, 0), (-1, -1), 0.4, RULE),
             ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
             ("ALIGN", (1, 1), (-2, -1), "RIGHT"), ("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed),
             ("FONTSIZE", (1, 1), (-2, -1), 9)]
    for i, name in enumerate(result.names, start=1):
        row: list[object] = [Paragraph(esc(name), st.cell_bold if name in result.elected else st.cell)]
        ex = facts.excluded_stage(result, name)
        for j, s in enumerate(stages, start=1):
            gone = ex is not None and s.number > ex
            row.append("–" if gone or name not in s.votes else result.fmt(s.votes[name]))
            if ex is not None and s.number == ex:
                style.append(("BACKGROUND", (j, i), (j, i), EXCLUDED_BG))
        row.append(Paragraph(esc(facts.outcome(result, name)), st.cell))
        if name in result.elected:
            style.append(("BACKGROUND", (0, i), (0, i), ELECTED_BG))
            style.append(("BACKGROUND", (-1, i), (-1, i), ELECTED_BG))
        rows.append(row)
    n = len(rows)
    rows.append([Paragraph("Total valid votes", st.cell_bold)] +
                [result.fmt(sum(s.votes.values())) for s in stages] + [""])
    style.append(("LINEABOVE", (0, n), (-1, n), 1, RULE))
    name_w = width * 0.32
    res_w = width * 0.2
    fig_w = (width - name_w - res_w) / max(len(stages), 1)
    t = Table(rows, colWidths=[name_w] + [min(fig_w, 80)] * len(stages) + [res_w], hAlign="LEFT")
    t.setStyle(TableStyle(style))
    out += [t, Spacer(1, 8)]
    if len(result.stages) > 1 or any(s.reason for s in result.stages):
        out.append(Paragraph("What happened", st.h2))
        for s in result.stages:
            if s.reason:
                out.append(Paragraph(f"<b>{esc(facts.action_title(s))}.</b> {esc(s.reason)}", st.body))
    return out


def decision_sheet(result: Result, st: Styles, width: float) -> list[Flowable]:
    """Motions and trigger ballots: the figures, the threshold and the outcome."""
    out: list[Flowable] = [Paragraph("Result of the ballot", st.title)]
    d = result.decision or {}
    rows = [[Paragraph(esc(k), st.cell_bold), Paragraph(esc(v), st.cell)] for k, v in _flatten(d)]
    if rows:
        t = Table(rows, colWidths=[width * 0.38, width * 0.62], hAlign="LEFT")
        t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.white), ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                               ("FONTNAME", (0, 0), (-1, -1), st.fonts.condensed)]))
        out += [t, Spacer(1, 8)]
    for s in result.stages:
        if s.reason:
            out.append(Paragraph(esc(s.reason), st.body))
    return out


def _label(key: object) -> str:
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]


def _value(v: object) -> str:
    if v is None:
        return "none"
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return str(v)


def _flatten(d: dict, prefix: str = "") -> list[tuple[str, str]]:
    """Nested decision figures as 'Figures › Party branches › Yes' rows, lists one row per item."""
    out: list[tuple[str, str]] = []
    for k, v in d.items():
        label = f"{prefix} › {_label(k)}" if prefix else _label(k)
        if isinstance(v, dict):
            out += _flatten(v, label)
        elif isinstance(v, list):
            for i, item in enumerate(v, start=1):
                if isinstance(item, dict):
                    out.append((f"{label} {i}", "; ".join(f"{_label(a)}: {_value(b)}" for a, b in item.items())))
                else:
                    out.append((f"{label} {i}", _value(item)))
        else:
            out.append((label, _value(v)))
    return out
