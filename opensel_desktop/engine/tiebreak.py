"""The rules' own ways of separating tied candidates before a lot is needed."""

from __future__ import annotations

from collections.abc import Sequence


def look_back(tied: Sequence[int], history: Sequence[Sequence[int]], want_lowest: bool, backwards: bool) -> list[int]:
    """Narrow `tied` using earlier stages' totals.

    backwards=True: Scottish r.49/r.50, the most recent preceding stage where they differed.
    backwards=False: ERS97 5.2.3/5.6.2, the first stage or the earliest point where they differed.
    Returns the candidates still tied (one element when the look-back decided). With several
    tied, each stage narrows the group to those with the lowest (or highest) votes there.
    """
    group = list(tied)
    stages = reversed(history) if backwards else iter(history)
    for votes in stages:
        if len(group) <= 1:
            break
        values = {c: votes[c] for c in group}
        if len(set(values.values())) > 1:
            target = min(values.values()) if want_lowest else max(values.values())
            group = [c for c in group if values[c] == target]
    return group
