"""Bounds on the figures a contest may hold, whichever file, screen or journal they come from.

Every reader (contest YAML, BLT, CSV) and the app refuse a figure over these bounds with one sentence
before they add anything up, so no total can grow without limit: Python integers never overflow, but
the engine keeps papers in 64-bit arrays and a count over 10**24 papers makes no sense anyway. The
bounds are far above any real selection (the largest UK party membership ballots are about a million
papers) and far below what would exhaust memory or 64-bit sums.

- MAX_PAPERS: papers in one contest, counted plus rejected, over every channel and batch.
- MAX_WEIGHT: papers one grouped line stands for (a YAML ballot's `count:`, a BLT line's weight).
- MAX_BUNDLE_PAPERS / MAX_BUNDLE_VOTES: papers in one X-vote bundle, and the votes on them (at most
  MAX_SEATS votes per paper).
- MAX_SEATS / MAX_CANDIDATES: places to fill and names on one ballot paper.
- MAX_DIGITS: a number written with more digits than this is refused before it is converted (a
  5,000-digit figure is a typing accident or an attack, and converting it costs time).

A 10,000,000-paper contest weighted at most 10**7 per line sums to at most 10**14: far inside int64.
"""

from __future__ import annotations

MAX_PAPERS = 10_000_000
MAX_WEIGHT = MAX_PAPERS
MAX_SEATS = 1000
MAX_CANDIDATES = 1000
MAX_BUNDLE_PAPERS = MAX_PAPERS
MAX_BUNDLE_VOTES = MAX_BUNDLE_PAPERS * MAX_SEATS
MAX_DIGITS = 20


def figure(n: int) -> str:
    """A bound as people read it: 10,000,000."""
    return f"{n:,}"


def digits_problem(value: object) -> str | None:
    """The sentence for a figure written with digits other than 0-9 (Arabic-Indic, full-width...), which
    YAML and CSV read as text; None for anything else."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text and not text.isascii() and all(ch.isdigit() or ch in ",. " for ch in text) and \
            any(ch.isdigit() for ch in text):
        return "is written with digits other than 0-9; write it with the digits 0 to 9"
    return None
