"""Bind what a sheet shows to what was counted: compare a PDF's pages with the same sheet rebuilt.

The PAdES signature proves who signed the bytes, and the QR code carries the sheet digest; but a
forger with a key of their own could sign pages showing other figures above the genuine digest. A
sheet is therefore checked against its contest by building it again (the build is deterministic:
the same SheetInput always gives the same pages) and comparing, page by page:

1. the text, line by line as a PDF text extractor reads it (the first differing line is reported,
   in words a candidate's agent can check against the paper in their hand);
2. what is drawn: each page's content stream and the resources it draws with (fonts included,
   so a font whose glyphs were swapped cannot show a "7" where the text says "1");
3. the annotations: the only one a sheet may carry is the visible signature field on page 1.

pypdf reads both files; nothing here decides who may sign (that is the caller's check).
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from typing import Any

from opensel_desktop.report.layout import SIGNATURE_BOX

MAX_DEPTH = 40


@dataclass(frozen=True, slots=True)
class SheetMismatch:
    """Where a sheet first differs from the sheet rebuilt from its contest."""

    page: int  # 1-based
    what: str  # "text" | "drawing" | "pages" | "annotation" | "unreadable"
    line: int = 0  # 1-based, for "text"
    expected: str = ""  # the rebuilt sheet's line
    found: str = ""  # the line on the sheet checked

    def sentence(self) -> str:
        if self.what == "pages":
            return (f"the sheet has {self.found} pages where the sheet rebuilt from the contest has "
                    f"{self.expected}")
        if self.what == "text":
            shown = self.found if self.found else "nothing"
            return (f"page {self.page}, line {self.line} reads {shown!r} where the contest gives "
                    f"{self.expected!r}" if self.expected else
                    f"page {self.page}, line {self.line} reads {shown!r}, which the contest does not give")
        if self.what == "annotation":
            return f"page {self.page} carries an annotation drawn over the sheet that a result sheet never has"
        if self.what == "unreadable":
            return "its pages cannot be read to compare them with the contest"
        return (f"page {self.page} draws something other than the sheet rebuilt from the contest, although its "
                "text is the same")


def _reader(data: bytes):
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # a damaged file gets one sentence, not warnings
    return PdfReader(io.BytesIO(data), strict=False)


def page_texts(data: bytes) -> list[str]:
    """Each page's text as pypdf extracts it (annotations such as the signature stamp are not text)."""
    return [page.extract_text() or "" for page in _reader(data).pages]


def first_difference(data: bytes, rebuilt: bytes) -> SheetMismatch | None:
    """None when every page of `data` shows and draws what `rebuilt` does; else where it first differs."""
    try:
        got, want = _reader(data), _reader(rebuilt)
        got_pages, want_pages = list(got.pages), list(want.pages)
    except Exception:  # a damaged or hostile file: one answer
        return SheetMismatch(0, "unreadable")
    if len(got_pages) != len(want_pages):
        return SheetMismatch(0, "pages", expected=str(len(want_pages)), found=str(len(got_pages)))
    for n, (g, w) in enumerate(zip(got_pages, want_pages, strict=True), start=1):
        try:
            g_lines = (g.extract_text() or "").splitlines()
            w_lines = (w.extract_text() or "").splitlines()
        except Exception:
            return SheetMismatch(n, "unreadable")
        for i in range(max(len(g_lines), len(w_lines))):
            a = g_lines[i] if i < len(g_lines) else ""
            b = w_lines[i] if i < len(w_lines) else ""
            if a != b:
                return SheetMismatch(n, "text", i + 1, expected=b, found=a)
        if _drawing(g) != _drawing(w):
            return SheetMismatch(n, "drawing")
        if not _annotations_allowed(g, n):
            return SheetMismatch(n, "annotation")
    return None


def _drawing(page) -> str:
    """A digest of everything the page draws: its content and every resource, fonts' programs included."""
    h = hashlib.sha256()
    try:
        contents = page.get_contents()
        h.update(contents.get_data() if contents is not None else b"")
        h.update(b"\0")
        _feed(h, page.get("/Resources"), 0, set())
        for key in ("/MediaBox", "/CropBox", "/Rotate"):
            _feed(h, page.get(key), 0, set())
    except Exception:
        return "unreadable"
    return h.hexdigest()


def _feed(h, obj: Any, depth: int, seen: set[int]) -> None:
    """Canonical bytes of a PDF object tree (dict keys sorted, streams decoded, references followed)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if depth > MAX_DEPTH:
        raise ValueError("too deep")
    if isinstance(obj, IndirectObject):
        key = obj.idnum
        if key in seen:  # a cycle (a font's parent): its content was fed already
            h.update(b"@")
            return
        seen = seen | {key}
        obj = obj.get_object()
    if isinstance(obj, StreamObject):
        h.update(b"S")
        h.update(hashlib.sha256(obj.get_data()).digest())
    if isinstance(obj, DictionaryObject):
        h.update(b"{")
        for k in sorted(obj.keys()):
            if k in ("/Length", "/Filter", "/DecodeParms"):  # how the bytes are stored, not what they are
                continue
            h.update(str(k).encode("utf-8", "replace"))
            _feed(h, obj.raw_get(k), depth + 1, seen)
        h.update(b"}")
    elif isinstance(obj, ArrayObject):
        h.update(b"[")
        for item in obj:
            _feed(h, item, depth + 1, seen)
        h.update(b"]")
    elif not isinstance(obj, StreamObject):
        h.update(repr(obj).encode("utf-8", "replace"))
    h.update(b";")


def _annotations_allowed(page, number: int) -> bool:
    """A sheet's only annotation is the returning officer's signature field on page 1."""
    try:
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else []
        items = [a.get_object() for a in annots]
    except Exception:
        return False
    if not items:
        return True
    if number != 1 or len(items) != 1:
        return False
    a = items[0]
    if a.get("/Subtype") != "/Widget" or a.get("/FT") != "/Sig":
        return False
    try:  # the stamp may not be drawn outside the box the sheet leaves for it
        rect = [float(v) for v in a["/Rect"]]
        x1, x2 = sorted(rect[0::2])
        y1, y2 = sorted(rect[1::2])
    except Exception:
        return False
    bx1, by1, bx2, by2 = SIGNATURE_BOX
    slack = 1.0
    return x1 >= bx1 - slack and x2 <= bx2 + slack and y1 >= by1 - slack and y2 <= by2 + slack
