"""Pictures for people who would rather look than read, printed as an appendix after the legal pages.

* First preferences (or votes): one bar per candidate, largest first, the quota or majority as a
  dashed line, the figure in a column of its own at the right so no label ever crosses the line or
  another label. No "elected" marks: a first-preference chart does not say who was elected.
* Where the votes went: one small panel per transfer, naming who gave and, bar by bar, who received
  how much (the "no further preference" bar is hatched). Every bar is labelled directly, in one
  shade of grey, so the picture reads the same printed in black and white.

Both paginate: a long field or a long count gives more pages, never a drawing too big for a page.
Every printed figure comes from the count's own values (`facts.fig`).
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from opensel_desktop.engine.result import Result, Stage
from opensel_desktop.engine.rule_facts import X_RULES
from opensel_desktop.report import facts
from opensel_desktop.report.facts import fig, quota_word
from opensel_desktop.report.fonts import clip_to_width

BAR = colors.HexColor("#4a5a6a")  # prints as a mid-dark grey
BAR_LIGHT = colors.HexColor("#b8c2cc")
LINE = colors.HexColor("#9b1c1c")
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
ROW = 15.0
BAR_H = 10.5


def first_preference_pages(result: Result, width: float, height: float, font: str, bold: str) -> list[Drawing]:
    """Bars of the first stage, as many drawings as the field needs (each at most `height` tall)."""
    first = result.stages[0]
    rows = sorted(((first.votes.get(n, 0), n) for n in result.names),
                  key=lambda t: (-t[0], result.names.index(t[1])))
    line_value = first.quota if result.rule not in X_RULES and first.quota > 0 else 0
    top = max([v for v, _ in rows] + [line_value, 1])
    per_page = max(1, int((height - 34) // ROW))
    pages = [rows[i:i + per_page] for i in range(0, len(rows), per_page)] or [[]]
    label_w = min(190.0, width * 0.3)
    value_w = max((stringWidth(fig(result, v), bold, 8.5) for v, _ in rows), default=20) + 14
    span = width - label_w - value_w - 10
    out = []
    for part in pages:
        h = 34 + len(part) * ROW
        d = Drawing(width, h)
        y = h - 20 - ROW
        for v, name in part:
            d.add(String(label_w - 6, y + 3, clip_to_width(name, font, 8.5, label_w - 10), fontName=font, fontSize=8.5,
                         textAnchor="end", fillColor=INK))
            d.add(Rect(label_w, y, max(span * v / top, 0.6), BAR_H, fillColor=BAR, strokeColor=None))
            d.add(String(width, y + 3, fig(result, v), fontName=bold, fontSize=8.5, textAnchor="end", fillColor=INK))
            y -= ROW
        if line_value:
            x = label_w + span * line_value / top
            d.add(Line(x, 8, x, h - 16, strokeColor=LINE, strokeDashArray=[3, 2], strokeWidth=1))
            word = quota_word(result)
            text = f"{word} {fig(result, line_value)}"
            anchor = "end" if x + stringWidth(text, font, 7.5) / 2 > label_w + span else "middle"
            d.add(String(x, h - 12, text, fontName=font, fontSize=7.5, textAnchor=anchor, fillColor=LINE))
        out.append(d)
    return out


def _moves(result: Result, st: Stage) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(who gave how much, who received how much) at stage `st`, largest first."""
    prev = result.stages[st.number - 2]
    gave, got = [], []
    for n in result.names:
        delta = st.votes.get(n, 0) - prev.votes.get(n, 0)
        if delta < 0:
            gave.append((n, -delta))
        elif delta > 0:
            got.append((n, delta))
    nt = st.exhausted - prev.exhausted
    if nt > 0:
        got.append(("No further preference", nt))
    lost = st.rounding_loss - prev.rounding_loss
    if lost > 0:
        got.append(("Lost to rounding", lost))
    return sorted(gave, key=lambda t: -t[1]), sorted(got, key=lambda t: -t[1])


MAX_BARS = 8
PANEL_GAP = 14.0


def transfer_stages(result: Result) -> list[Stage]:
    return [s for s in result.stages[1:] if any(s.votes.get(n, 0) != result.stages[s.number - 2].votes.get(n, 0)
                                                for n in result.names)]


def transfer_pages(result: Result, width: float, height: float, font: str, bold: str) -> list[Drawing]:
    """One panel per stage at which votes moved, two panels a row, as many pages as needed."""
    stages = transfer_stages(result)
    panel_h = 30 + (MAX_BARS + 1) * 13.0
    cols = 2
    per_col = max(1, int((height + PANEL_GAP) // (panel_h + PANEL_GAP)))
    per_page = cols * per_col
    panel_w = (width - PANEL_GAP * (cols - 1)) / cols
    out = []
    for start in range(0, len(stages), per_page):
        part = stages[start:start + per_page]
        rows = -(-len(part) // cols)
        h = rows * panel_h + (rows - 1) * PANEL_GAP
        d = Drawing(width, h)
        for k, st in enumerate(part):
            col, row = k % cols, k // cols
            g = _panel(result, st, panel_w, panel_h, font, bold)
            g.translate(col * (panel_w + PANEL_GAP), h - (row + 1) * panel_h - row * PANEL_GAP)
            d.add(g)
        out.append(d)
    return out


def _panel(result: Result, st: Stage, w: float, h: float, font: str, bold: str) -> Group:
    g = Group()
    gave, got = _moves(result, st)
    moved = sum(v for _, v in gave)
    who = facts.and_list([n for n, _ in gave]) or "nobody"
    kind = {"surplus": "surplus of", "exclusion": "exclusion of", "bulk_exclusion": "exclusion of",
            "constraint": "exclusion of"}.get(st.action, "votes of")
    title = clip_to_width(f"Stage {st.number}: {kind} {who}", bold, 8.5, w - 4)
    g.add(Rect(0, 0, w, h, fillColor=None, strokeColor=colors.HexColor("#cccccc"), strokeWidth=0.5))
    g.add(String(4, h - 12, title, fontName=bold, fontSize=8.5, fillColor=INK))
    unit = "vote" if moved == 10**result.places else "votes"
    g.add(String(4, h - 23, f"{fig(result, moved)} {unit} moved; where they went:", fontName=font, fontSize=7.5,
                 fillColor=MUTED))
    shown = got[:MAX_BARS + 1] if len(got) <= MAX_BARS + 1 else got[:MAX_BARS]
    rest = got[len(shown):]
    if rest:
        shown.append((f"{len(rest)} others", sum(v for _, v in rest)))
    top = max([v for _, v in shown] + [1])
    label_w = min(150.0, w * 0.42)
    value_w = max((stringWidth(fig(result, v), bold, 7.5) for _, v in shown), default=20) + 10
    span = w - label_w - value_w - 12
    y = h - 30 - 12.0
    for name, v in shown:
        hatched = name in ("No further preference", "Lost to rounding")
        g.add(String(label_w - 4, y + 2.5, clip_to_width(name, font, 7.5, label_w - 10), fontName=font, fontSize=7.5,
                     textAnchor="end", fillColor=INK))
        bw = max(span * v / top, 0.6)
        if hatched:
            g.add(Rect(label_w, y, bw, 9, fillColor=colors.white, strokeColor=BAR, strokeWidth=0.6))
            x = label_w + 3
            while x < label_w + bw:  # diagonal hatching: reads as "not a candidate" in black and white
                g.add(Line(x, y, min(x + 6, label_w + bw), y + 9 * min(1.0, (label_w + bw - x) / 6),
                           strokeColor=BAR, strokeWidth=0.5))
                x += 4
        else:
            g.add(Rect(label_w, y, bw, 9, fillColor=BAR, strokeColor=None))
        g.add(String(w - 6, y + 2.5, fig(result, v), fontName=bold, fontSize=7.5, textAnchor="end", fillColor=INK))
        y -= 13.0
    return g
