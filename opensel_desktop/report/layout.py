"""Page furniture shared by every sheet: A4 page templates, styles, header, footer and watermark.

Every page says which software counted it, under which rule and version, for which contest and
sheet digest, who signs it (the signer's certificate fingerprint), and "Page n of m", so a loose page
can be matched to its set and to the officer who published the fingerprint.

The build is deterministic (reportlab's invariant mode, no clock): the same input gives the same
pages, so a sheet can be rebuilt and compared with a signed copy.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from opensel_desktop.report.fonts import Fonts, clip_to_width, register_fonts
from opensel_desktop.report.watermark import draw_watermark

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 15 * mm
TOP = 20 * mm  # room for the running header
BOTTOM = 19 * mm  # room for the two footer lines
DECLARATION_BAND = 42 * mm  # the QR code and the signature field live below the flow on the first page
# where pyhanko puts the visible signature on page 1 (x1, y1, x2, y2 in points)
SIGNATURE_BOX = (PORTRAIT[0] - MARGIN - 72 * mm, BOTTOM + 2 * mm, PORTRAIT[0] - MARGIN, BOTTOM + 36 * mm)
QR_SIZE = 38 * mm
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")
ELECTED_BG = colors.HexColor("#d8f0d8")
EXCLUDED_BG = colors.HexColor("#e6e6e6")
HEAD_BG = colors.HexColor("#e8eef6")


@dataclass(frozen=True, slots=True)
class Styles:
    fonts: Fonts
    title: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    big: ParagraphStyle


def make_styles() -> Styles:
    f = register_fonts()
    body = ParagraphStyle("body", fontName=f.regular, fontSize=10, leading=13.5, textColor=INK, spaceAfter=5)
    return Styles(
        fonts=f,
        title=ParagraphStyle("title", parent=body, fontName=f.bold, fontSize=17, leading=21, spaceAfter=4),
        h2=ParagraphStyle("h2", parent=body, fontName=f.bold, fontSize=12, leading=15, spaceBefore=8,
                          spaceAfter=4),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED, spaceAfter=2),
        cell=ParagraphStyle("cell", parent=body, fontName=f.condensed, fontSize=8, leading=9.5, spaceAfter=0),
        cell_bold=ParagraphStyle("cellb", parent=body, fontName=f.condensed_bold, fontSize=8, leading=9.5,
                                 spaceAfter=0),
        cell_head=ParagraphStyle("cellh", parent=body, fontName=f.condensed_bold, fontSize=7.5, leading=9,
                                 spaceAfter=0, alignment=TA_CENTER),
        big=ParagraphStyle("big", parent=body, fontName=f.bold, fontSize=13, leading=17, spaceAfter=6),
    )


@dataclass(frozen=True, slots=True)
class PageInfo:
    title: str
    contest_id: str
    rule: str
    rule_version: str
    software_version: str
    digest: str  # the sheet digest
    provisional: bool
    signer: str = ""
    fingerprint: str = ""  # colon hex; "" = not signed


class DocMarker(Flowable):
    """Zero-size flowable: the pages after it belong to document `name` (used in the running header)."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class SheetDoc(BaseDocTemplate):
    def __init__(self, target, info: PageInfo, styles: Styles, **kw):
        super().__init__(target, pagesize=PORTRAIT, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP,
                         bottomMargin=BOTTOM, title=info.title, author=f"OpenSel Desktop {info.software_version}",
                         creator=f"OpenSel Desktop {info.software_version}", invariant=1,
                         initialFontName=styles.fonts.regular, **kw)
        self.info = info
        self.styles = styles
        self.current = ""
        pw, ph = PORTRAIT
        lw, lh = LANDSCAPE
        portrait = Frame(MARGIN, BOTTOM, pw - 2 * MARGIN, ph - TOP - BOTTOM, id="p", leftPadding=0,
                         rightPadding=0, topPadding=0, bottomPadding=0)
        first = Frame(MARGIN, BOTTOM + DECLARATION_BAND, pw - 2 * MARGIN, ph - TOP - BOTTOM - DECLARATION_BAND,
                      id="d", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        wide = Frame(MARGIN, BOTTOM, lw - 2 * MARGIN, lh - TOP - BOTTOM, id="l", leftPadding=0,
                     rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("declaration", [first], onPage=self._under, onPageEnd=self._over, pagesize=PORTRAIT,
                         autoNextPageTemplate="portrait"),
            PageTemplate("portrait", [portrait], onPage=self._under, onPageEnd=self._over, pagesize=PORTRAIT),
            PageTemplate("landscape", [wide], onPage=self._under, onPageEnd=self._over, pagesize=LANDSCAPE),
        ])
        self.first_page_band = None  # callable(canvas) drawing the QR band on the declaration page

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, DocMarker):
            self.current = flowable.name

    def _under(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Before the page's content: the PROVISIONAL watermark, so figures stay on top and readable.
        It fills the page's frame, and on page 1 stops above the QR code, so a scanner always reads it."""
        if self.info.provisional:
            w, h = canv._pagesize
            bottom = BOTTOM + (DECLARATION_BAND if doc.page == 1 else 0)
            draw_watermark(canv, (MARGIN, bottom, w - 2 * MARGIN, h - TOP - bottom))

    def _over(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """After the content: running header and footer (the page count is added by NumberedCanvas)."""
        w, h = canv._pagesize
        f = self.styles.fonts
        i = self.info
        canv.saveState()
        canv.setFillColor(MUTED)
        canv.setStrokeColor(RULE)
        canv.setFont(f.regular, 8)
        canv.drawString(MARGIN, h - 11 * mm, _clip(f"{i.title} — {self.current}", 95))
        status = "PROVISIONAL: NOT DECLARED" if i.provisional else "DECLARED RESULT"
        canv.setFont(f.bold, 8)
        canv.setFillColor(colors.HexColor("#b01010") if i.provisional else INK)
        canv.drawRightString(w - MARGIN, h - 11 * mm, status)
        canv.line(MARGIN, h - 13 * mm, w - MARGIN, h - 13 * mm)
        canv.line(MARGIN, 14.5 * mm, w - MARGIN, 14.5 * mm)
        canv.setFillColor(MUTED)
        room = w - 2 * MARGIN - 60  # "Page n of m" sits at the right
        footer = (f"OpenSel Desktop {i.software_version} · rule {i.rule} ({i.rule_version}) · "
                  f"contest {_clip(i.contest_id, 24)} · sheet digest {i.digest[:24]}")
        canv.setFont(f.condensed, 6.5)
        canv.drawString(MARGIN, 10.5 * mm, clip_to_width(footer, f.condensed, 6.5, w - 2 * MARGIN))
        canv.setFont(f.condensed, 6.5)
        canv.drawString(MARGIN, 7 * mm, signer_line(i.signer, i.fingerprint, f.condensed, 6.5, room))
        canv.restoreState()
        if doc.page == 1 and self.first_page_band is not None:
            self.first_page_band(canv)


class NumberedCanvas(Canvas):
    """Adds "Page n of m" once the number of pages is known (the usual reportlab two-step)."""

    def __init__(self, *args, **kwargs):
        # reportlab starts every canvas in Helvetica (not embedded): start in the embedded font instead
        if not kwargs.get("initialFontName"):
            kwargs["initialFontName"] = register_fonts().regular
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            w, _ = self._pagesize
            self.setFont("OSel", 7)
            self.setFillColor(MUTED)
            self.drawRightString(w - MARGIN, 7 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def signer_line(signer: str, fingerprint: str, font: str, size: float, room: float) -> str:
    """'Signed by NAME · certificate SHA-256 AB:CD:…' with the whole fingerprint; a long name is clipped."""
    if not fingerprint:
        return "Not signed: no certificate fingerprint, so this sheet cannot be checked against its signer"
    tail = f" · certificate SHA-256 {fingerprint}"
    name = signer or "(no name)"
    while len(name) > 4 and pdfmetrics.stringWidth(f"Signed by {name}{tail}", font, size) > room:
        name = name[:-2] + "…"
    return f"Signed by {name}{tail}"
