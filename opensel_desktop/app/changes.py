"""What a write on the session changed: views refresh from this, not from scratch."""

from __future__ import annotations

from dataclasses import dataclass

# Areas of the session a write can touch (each kind of journal event says which it touches); a view
# refreshes only those it shows. Named here for the faces, which do not read the store.
from opensel_desktop.store.events import (  # noqa: E402  (re-exported)
    ACCOUNT,
    BUNDLES,
    CONTEST,
    LOTS,
    PAPERS,
    REJECTIONS,
    RESULT,
    SIGNATURES,
    STATE,
    STATIONS,
    TELLER,
)

AREAS = (ACCOUNT, BUNDLES, CONTEST, LOTS, PAPERS, REJECTIONS, RESULT, SIGNATURES, STATE, STATIONS, TELLER)


@dataclass(frozen=True, slots=True)
class Changes:
    """The journal events one call appended, what they touched, and one sentence for the status bar."""

    events: tuple[int, ...]  # seq numbers of the appended events, in order
    areas: frozenset[str]
    head: str  # journal head hash after the write
    batch: str = ""
    paper: int | None = None  # paper number within the batch, for entries and corrections
    message: str = ""  # e.g. "Paper 137 saved." (only ever said after the commit)
