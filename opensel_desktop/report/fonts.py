"""Embedded Unicode fonts for every sheet, so names such as Łukasz, Siân and Dafydd ap Gwŵr print.

reportlab's built-in Helvetica is WinAnsi only and never embedded: we register DejaVu from
fonts-dejavu-core and fall back to reportlab's own Vera (no apt package needed) when it is absent.
Vera covers Latin-1 only (no Ł or ŵ), which is why .ci/run installs fonts-dejavu-core. Every text a
sheet draws, charts included, is set in these fonts, so every font in the PDF is embedded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEJAVU_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts/dejavu"),
)
VERA_DIR = Path(reportlab.__file__).parent / "fonts"


@dataclass(frozen=True, slots=True)
class Fonts:
    regular: str
    bold: str
    condensed: str  # stage tables: narrow figures fit more stages on a page
    condensed_bold: str
    family: str  # "DejaVu" or "Vera" (the fallback), so a test can tell which was embedded


_registered: Fonts | None = None


def _find_dejavu() -> Path | None:
    for d in DEJAVU_DIRS:
        if (d / "DejaVuSans.ttf").is_file() and (d / "DejaVuSans-Bold.ttf").is_file():
            return d
    return None


def register_fonts() -> Fonts:
    """Register the sheet fonts once per process and say which names to use."""
    global _registered
    if _registered is not None:
        return _registered
    d = _find_dejavu()
    if d is not None:
        files = {
            "OSel": d / "DejaVuSans.ttf",
            "OSel-Bold": d / "DejaVuSans-Bold.ttf",
            "OSel-Cond": d / "DejaVuSansCondensed.ttf",
            "OSel-CondBold": d / "DejaVuSansCondensed-Bold.ttf",
        }
        if not files["OSel-Cond"].is_file() or not files["OSel-CondBold"].is_file():
            files["OSel-Cond"], files["OSel-CondBold"] = files["OSel"], files["OSel-Bold"]
        family = "DejaVu"
    else:
        files = {
            "OSel": VERA_DIR / "Vera.ttf",
            "OSel-Bold": VERA_DIR / "VeraBd.ttf",
            "OSel-Cond": VERA_DIR / "Vera.ttf",
            "OSel-CondBold": VERA_DIR / "VeraBd.ttf",
        }
        family = "Vera"
    for name, path in files.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> inside a Paragraph must find the bold face of the same family
    for base, bold in (("OSel", "OSel-Bold"), ("OSel-Cond", "OSel-CondBold")):
        addMapping(base, 0, 0, base)
        addMapping(base, 1, 0, bold)
        addMapping(base, 0, 1, base)
        addMapping(base, 1, 1, bold)
    # reportlab's chart renderer starts every drawing, and a table every cell, in Helvetica, which would add a
    # font that is not embedded: start them in ours
    from reportlab.graphics import shapes
    from reportlab.platypus import tables

    shapes.STATE_DEFAULTS["fontName"] = "OSel"
    tables.CellStyle.fontname = "OSel-Cond"
    _registered = Fonts("OSel", "OSel-Bold", "OSel-Cond", "OSel-CondBold", family)
    return _registered


def clip_to_width(text: str, font: str, size: float, room: float) -> str:
    """`text` cut with an ellipsis so that it is at most `room` points wide (it never runs into a neighbour)."""
    if pdfmetrics.stringWidth(text, font, size) <= room:
        return text
    while len(text) > 1 and pdfmetrics.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"
