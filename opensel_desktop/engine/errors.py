"""Errors the engine returns as values or raises as its own types (never a bare exception reaching a face)."""

from __future__ import annotations

from dataclasses import dataclass


class CountError(Exception):
    """A count that cannot be run as asked (bad seats, unknown rule, impossible constraints).

    The message is one sentence a returning officer can act on.
    """


@dataclass(frozen=True, slots=True)
class LotRequest:
    """What the engine needs a lot for: who is tied, at which stage, and what the lot decides."""

    stage: int
    among: tuple[str, ...]
    purpose: str  # "exclude" | "surplus" | "elect" | "keep"
    reason: str


class NeedsLot(Exception):  # noqa: N818 - it is a request, not a failure
    """Raised when the rule's own tie procedure cannot separate candidates and no lot source answers."""

    def __init__(self, request: LotRequest):
        self.request = request
        names = ", ".join(request.among)
        super().__init__(
            f"A lot is needed at stage {request.stage} between {names} ({request.reason}); "
            "rerun with --seed, or draw it with `opensel lot`."
        )
