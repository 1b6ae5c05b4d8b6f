"""How a count's figures are written for people: one function for paper, terminal and screen.

The engine keeps every value as an integer scaled by 10**places (`Result.fmt` writes that exactly,
for JSON and the digests). People read a stage report, where figures follow the practice of printed
UK stage reports:

* thousands separators ("60,000", "1,131.07172"), so a five-digit total is read at a glance;
* a whole value is written whole ("150", "16"), even under a rule with five decimal places, because
  first preferences and Scottish quotas are whole numbers of papers; other values keep all of the
  rule's decimals, never rounded ("15.63156");
* a transfer carries its sign ("+0.63156", "−3"), with the true minus sign U+2212 so it cannot be
  mistaken for a hyphen; a zero transfer is written as nothing at all (an empty cell, no "+0").

`figure` is the one function the PDF sheets, the CLI's text tables and the GUI's stage table call,
so screen and paper print the same characters. `decimal_split` lets a table line figures up on the
decimal point without knowing the font.
"""

from __future__ import annotations

MINUS = "\u2212"


def figure(value: int, places: int, *, signed: bool = False, whole: bool = True) -> str:
    """`value` (scaled by 10**places) as people read it: '1,131.07172', '150', '+0.5', '−3'.

    `signed`: a transfer; zero gives "" and others a leading + or −. `whole=False` keeps the decimals
    of a whole value ("150.00000"), for a column whose reader expects the rule's full precision."""
    if signed and value == 0:
        return ""
    sign = MINUS if value < 0 else ("+" if signed else "")
    q, r = divmod(abs(value), 10**places) if places else (abs(value), 0)
    text = f"{q:,}"
    if places and (r or not whole):
        text += f".{r:0{places}d}"
    return sign + text


def decimal_split(text: str) -> tuple[str, str]:
    """'1,131.07172' -> ('1,131', '.07172'); '16' -> ('16', ''): the parts either side of the point."""
    head, dot, tail = text.partition(".")
    return head, dot + tail


def align_column(texts: list[str]) -> list[str]:
    """Pad figures with spaces so that, in a fixed-width font, their decimal points line up and the
    column is right-aligned (for terminal tables): ['16', '15.63156'] -> ['16      ', '15.63156']."""
    parts = [decimal_split(t) for t in texts]
    head_w = max((len(h) for h, _ in parts), default=0)
    tail_w = max((len(t) for _, t in parts), default=0)
    return [h.rjust(head_w) + t.ljust(tail_w) for h, t in parts]
