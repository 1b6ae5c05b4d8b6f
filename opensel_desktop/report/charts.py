"""Pictures for people who would rather look than read: first-preference bars and the STV transfer flow.

Drawing coordinates are floats by necessity; every printed figure comes from `Result.fmt`, so the
labels are the exact values of the count.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Path, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from opensel_desktop.engine.result import Result

# colour-blind-safe palette (Okabe-Ito first, then Tol's muted), cycled for long ballots
PALETTE = [colors.HexColor(c) for c in (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288",
    "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
    "#6699CC", "#997700", "#EE7733", "#33BBEE", "#EE3377", "#004488", "#BBCC33", "#77AADD",
)]
NT_COLOUR = colors.HexColor("#bbbbbb")


def colour_of(result: Result, name: str) -> colors.Color:
    return PALETTE[result.names.index(name) % len(PALETTE)] if name in result.names else NT_COLOUR


def first_preference_chart(result: Result, width: float, font: str, bold: str) -> Drawing:
    """Horizontal bars (long names stay readable), largest first, with the quota or majority line."""
    first = result.stages[0]
    rows = sorted(((first.votes.get(n, 0), n) for n in result.names), key=lambda t: (-t[0], result.names.index(t[1])))
    bar_h, gap = 14.0, 5.0
    label_w = min(170.0, width * 0.32)
    value_w = 110.0
    top_pad, bottom_pad = 6.0, 22.0
    height = top_pad + bottom_pad + len(rows) * (bar_h + gap)
    d = Drawing(width, height)
    top = max([v for v, _ in rows] + [result.quota, 1])
    span = width - label_w - value_w - 8
    y = height - top_pad - bar_h
    for v, name in rows:
        d.add(String(label_w - 6, y + 4, _clip(name, 34), fontName=font, fontSize=8.5, textAnchor="end"))
        w = span * v / top
        d.add(Rect(label_w, y, max(w, 0.5), bar_h, fillColor=colour_of(result, name), strokeColor=None))
        label = result.fmt(v)
        # white behind the figure, so the quota line never runs through a number
        lw = stringWidth(label, bold, 8.5)
        d.add(Rect(label_w + w + 2, y + 1, lw + 4, bar_h - 2, fillColor=colors.white, strokeColor=None))
        d.add(String(label_w + w + 4, y + 4, label, fontName=bold, fontSize=8.5))
        if name in result.elected:  # who won must be visible without the table beside it
            d.add(String(label_w + w + lw + 10, y + 4, "elected", fontName=bold, fontSize=8,
                         fillColor=colors.HexColor("#1b6e1b")))
        y -= bar_h + gap
    if result.quota > 0:
        x = label_w + span * result.quota / top
        d.contents.insert(0, Line(x, bottom_pad - 4, x, height - 2, strokeColor=colors.HexColor("#b01010"),
                                  strokeDashArray=[3, 2], strokeWidth=1))
        word = "quota" if result.rule not in ("fptp", "block", "exhaustive", "av") else "majority"
        d.add(String(x, 4, f"{word} {result.fmt(result.quota)}", fontName=font, fontSize=7.5,
                     textAnchor="middle", fillColor=colors.HexColor("#b01010")))
    return d


def transfer_flow_chart(result: Result, width: float, height: float, font: str, bold: str) -> Drawing:
    """Stage-by-stage flow: one stacked column per stage, bands showing where each transfer went.

    At each stage only the subjects' papers move (the candidates whose surplus is transferred or who
    are excluded), so every gain of another candidate, and of the non-transferable pile, came from
    the subjects: the bands connect the subjects' losses to those gains, in ballot order.
    """
    stages = result.stages
    n = len(stages)
    legend_h = 14.0 * ((len(result.names) + 4) // 5) + 6
    label_h = 26.0
    d = Drawing(width, height)
    chart_h = height - legend_h - label_h - 6
    base = legend_h + label_h
    col_w = min(46.0, width / (n * 2.2))
    step = (width - col_w) / max(n - 1, 1)
    total = max(result.valid_poll, 1)
    keys = list(result.names) + ["non-transferable"]

    def amount(st, key):
        return st.non_transferable if key == "non-transferable" else st.votes.get(key, 0)

    def segments(st):
        """(bottom, top) of every key's stack segment in this stage's column."""
        out, y = {}, base
        for k in keys:
            h = chart_h * amount(st, k) / total
            out[k] = (y, y + h)
            y += h
        return out

    segs = [segments(st) for st in stages]
    for i in range(1, n):
        prev, now = stages[i - 1], stages[i]
        x0, x1 = (i - 1) * step + col_w, i * step
        # what each key kept and what it gained or lost, in drawing units
        kept = {k: min(amount(prev, k), amount(now, k)) for k in keys}
        losers = [k for k in keys if amount(prev, k) > amount(now, k)]
        gainers = [k for k in keys if amount(now, k) > amount(prev, k)]
        for k in keys:
            if kept[k] > 0:
                b0, b1 = segs[i - 1][k][0], segs[i][k][0]
                h = chart_h * kept[k] / total
                d.add(_band(x0, b0, b0 + h, x1, b1, b1 + h, colors.Color(0.75, 0.75, 0.75, alpha=0.18)))
        # pair the losses (stacked) with the gains (stacked), as two running ranges
        out_ranges = [(k, segs[i - 1][k][0] + chart_h * kept[k] / total, segs[i - 1][k][1]) for k in losers]
        in_ranges = [(k, segs[i][k][0] + chart_h * kept[k] / total, segs[i][k][1]) for k in gainers]
        oi = ii = 0
        o_pos = out_ranges[0][1] if out_ranges else 0
        i_pos = in_ranges[0][1] if in_ranges else 0
        while oi < len(out_ranges) and ii < len(in_ranges):
            ok, _, otop = out_ranges[oi]
            ik, _, itop = in_ranges[ii]
            h = min(otop - o_pos, itop - i_pos)
            if h > 0.05:
                c = colour_of(result, ok)
                d.add(_band(x0, o_pos, o_pos + h, x1, i_pos, i_pos + h,
                            colors.Color(c.red, c.green, c.blue, alpha=0.75)))
            o_pos += h
            i_pos += h
            if otop - o_pos <= 0.05:
                oi += 1
                o_pos = out_ranges[oi][1] if oi < len(out_ranges) else 0
            if itop - i_pos <= 0.05:
                ii += 1
                i_pos = in_ranges[ii][1] if ii < len(in_ranges) else 0
    for i, st in enumerate(stages):
        x = i * step
        for k in keys:
            b, t = segs[i][k]
            if t - b > 0.01:
                d.add(Rect(x, b, col_w, t - b, fillColor=colour_of(result, k) if k != "non-transferable"
                           else NT_COLOUR, strokeColor=colors.white, strokeWidth=0.4))
        d.add(String(x + col_w / 2, base - 11, f"Stage {st.number}", fontName=bold, fontSize=7,
                     textAnchor="middle"))
        room = max(6, int(min(step, 90) / 3.4))  # characters that fit under one column at 6 pt
        d.add(String(x + col_w / 2, base - 20, _clip(_short_action(st), room), fontName=font, fontSize=6,
                     textAnchor="middle"))
    # legend
    lx, ly = 0.0, legend_h - 12
    per_row = 5
    for j, k in enumerate(keys):
        if j and j % per_row == 0:
            lx, ly = 0.0, ly - 14
        d.add(Rect(lx, ly, 9, 9, fillColor=colour_of(result, k) if k != "non-transferable" else NT_COLOUR,
                   strokeColor=None))
        d.add(String(lx + 12, ly + 1.5, _clip(k, 26), fontName=font, fontSize=7.5))
        lx += width / per_row
    return d


def _band(x0: float, a0: float, a1: float, x1: float, b0: float, b1: float, fill) -> Path:
    """A curved band from the range a0..a1 at x0 to b0..b1 at x1."""
    p = Path(fillColor=fill, strokeColor=None)
    mid = (x0 + x1) / 2
    p.moveTo(x0, a0)
    p.curveTo(mid, a0, mid, b0, x1, b0)
    p.lineTo(x1, b1)
    p.curveTo(mid, b1, mid, a1, x0, a1)
    p.closePath()
    return p


def _short_action(st) -> str:
    who = ", ".join(st.subjects)
    return {
        "first": "first prefs",
        "surplus": f"surplus {who}",
        "exclusion": f"excl. {who}",
        "bulk_exclusion": "bulk excl.",
        "deferral": "deferral",
        "lot": "lot",
        "constraint": "constraint",
        "election": "elected",
        "round": "round",
    }.get(st.action, st.action)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
