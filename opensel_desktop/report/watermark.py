"""The PROVISIONAL watermark, drawn as strokes rather than text.

Drawn as text, the watermark's letters interleave with the sheet's own words in every text
extraction (copy and paste, screen readers, pdftotext), so a figure could be read next to a stray
"O". Strokes are not text: the sheet's text stays exactly what is printed in its tables.
"""

from __future__ import annotations

import math

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

# letters on a 4 x 6 grid (I is 2 wide); each letter is a list of polylines
Polyline = list[tuple[float, float]]
LETTERS: dict[str, tuple[float, list[Polyline]]] = {
    "P": (4, [[(0, 0), (0, 6), (3, 6), (4, 5), (4, 4), (3, 3), (0, 3)]]),
    "R": (4, [[(0, 0), (0, 6), (3, 6), (4, 5), (4, 4), (3, 3), (0, 3)], [(2, 3), (4, 0)]]),
    "O": (4, [[(1, 0), (3, 0), (4, 1), (4, 5), (3, 6), (1, 6), (0, 5), (0, 1), (1, 0)]]),
    "V": (4, [[(0, 6), (2, 0), (4, 6)]]),
    "I": (2, [[(1, 0), (1, 6)]]),
    "S": (4, [[(4, 5), (3, 6), (1, 6), (0, 5), (0, 4), (1, 3), (3, 3), (4, 2), (4, 1), (3, 0), (1, 0), (0, 1)]]),
    "N": (4, [[(0, 0), (0, 6), (4, 0), (4, 6)]]),
    "A": (4, [[(0, 0), (2, 6), (4, 0)], [(0.67, 2), (3.33, 2)]]),
    "L": (4, [[(0, 6), (0, 0), (4, 0)]]),
}
GAP = 1.6


def draw_watermark(canv: Canvas, box: tuple[float, float, float, float] | None = None,
                   word: str = "PROVISIONAL") -> None:
    """Along the diagonal of `box` (x, y, width, height; default the whole page), in translucent red,
    under everything else on the page. The whole word always fits inside the box, in either orientation,
    so it is never cut and never runs into what lies outside the box (the QR code on page 1)."""
    if box is None:
        w, h = canv._pagesize
        box = (0.0, 0.0, w, h)
    bx, by, bw, bh = box
    if bw <= 0 or bh <= 0:
        return
    total = sum(LETTERS[c][0] for c in word) + GAP * (len(word) - 1)
    stroke = 0.75
    tall = 6 + stroke  # the letters' height, with the round caps of the stroke
    angle = math.atan2(bh, bw)
    cos, sin = math.cos(angle), math.sin(angle)
    unit = 0.92 * min(bw / (total * cos + tall * sin), bh / (total * sin + tall * cos))
    canv.saveState()
    canv.setStrokeColor(colors.Color(0.85, 0.1, 0.1, alpha=0.13))
    canv.setLineWidth(unit * stroke)
    canv.setLineCap(1)
    canv.setLineJoin(1)
    canv.translate(bx + bw / 2, by + bh / 2)
    canv.rotate(math.degrees(angle))
    x = -total * unit / 2
    y = -3 * unit
    for c in word:
        width, lines = LETTERS[c]
        for line in lines:
            p = canv.beginPath()
            p.moveTo(x + line[0][0] * unit, y + line[0][1] * unit)
            for px, py in line[1:]:
                p.lineTo(x + px * unit, y + py * unit)
            canv.drawPath(p, stroke=1, fill=0)
        x += (width + GAP) * unit
    canv.restoreState()
