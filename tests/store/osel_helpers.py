"""Small contests for the store and session tests (built directly, no contest file needed)."""

from __future__ import annotations

from opensel_desktop.contest.model import CandidateSpec, Channel, Contest

NAMES = ("Siân Evans", "Tom Jones", "Łukasz Nowak", "Dafydd ap Gwŵr")


def ranked_contest(rule: str = "av", seats: int = 1, channels: tuple[Channel, ...] = ()) -> Contest:
    return Contest(title="Selection of parliamentary candidate", rule=rule, seats=seats,
                   candidates=tuple(CandidateSpec(n) for n in NAMES), returning_officer="Jane Smith",
                   channels=channels)
