"""What a write on the session changed (STYLE.md habit 3): views refresh from this, not from scratch."""

from __future__ import annotations

from dataclasses import dataclass

# Areas of the session a write can touch; a view refreshes only those it shows.
PAPERS = "papers"
BUNDLES = "bundles"
REJECTIONS = "rejections"
ACCOUNT = "account"
LOTS = "lots"
RESULT = "result"
STATE = "state"  # entering -> counted -> declared
TELLER = "teller"
SIGNATURES = "signatures"


@dataclass(frozen=True, slots=True)
class Changes:
    """The journal events one call appended, what they touched, and one sentence for the status bar."""

    events: tuple[int, ...]  # seq numbers of the appended events, in order
    areas: frozenset[str]
    head: str  # journal head hash after the write
    batch: str = ""
    paper: int | None = None  # paper number within the batch, for entries and corrections
    message: str = ""  # e.g. "Paper 137 saved." (only ever said after the commit)
