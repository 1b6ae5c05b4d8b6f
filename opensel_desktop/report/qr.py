"""The QR code on the declaration: always a full QR symbol (segno.make_qr), never Micro QR (some decoders cannot read Micro QR)."""

from __future__ import annotations

import segno
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas


def draw_qr(canv: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the code with its 4-module quiet zone inside the square (x, y, size); runs merged per row."""
    qr = segno.make_qr(text, error="m")
    rows = [list(r) for r in qr.matrix]
    n = len(rows) + 8  # quiet zone
    m = size / n
    canv.saveState()
    canv.setFillColor(colors.white)
    canv.rect(x, y, size, size, stroke=0, fill=1)
    canv.setFillColor(colors.black)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                # a hair of overlap so renderers leave no white seams between modules
                canv.rect(x + (start + 4) * m, y + size - (r + 5) * m, (c - start) * m + 0.05, m + 0.05,
                          stroke=0, fill=1)
            else:
                c += 1
    canv.restoreState()
