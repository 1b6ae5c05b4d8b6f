"""The ballot paper account: does every paper issued end up counted, rejected, spoilt or unused?

The verification statement: per channel (a ballot box, the postal ballot, online),
papers expected = issued - spoilt (and replaced) - unused; papers found (in the box, or returned by
post) are compared with that; across all channels, papers counted + papers rejected are compared with
papers found. Every difference is a variance that the returning officer must resolve (recount) or
explain. This module only computes and words the account; `app.account` decides whether a count
may go ahead (an unreconciled account needs an override with a reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from opensel_desktop.contest.model import Contest


@dataclass(frozen=True, slots=True)
class ChannelAccount:
    """One channel's line of the verification statement."""

    name: str
    issued: int
    spoilt: int
    unused: int
    found: int | None  # papers found in the box / returned; None = not yet recorded
    counted: int | None  # papers entered for this channel; None = not attributed to channels
    explanation: str = ""  # recorded by the returning officer

    @property
    def expected(self) -> int:
        return self.issued - self.spoilt - self.unused

    @property
    def variance(self) -> int | None:
        """Papers found minus papers expected (positive: more papers than the account allows)."""
        return None if self.found is None else self.found - self.expected

    @property
    def reconciles(self) -> bool:
        return self.variance == 0

    def sentence(self) -> str:
        head = (f"{self.name}: {self.expected} expected ({self.issued} issued - {self.spoilt} spoilt - "
                f"{self.unused} unused)")
        if self.found is None:
            return head + "; papers found not yet recorded: count the box and record 'returned'."
        v = self.variance or 0
        if v == 0:
            return head + f", {self.found} found: reconciles."
        more = "more" if v > 0 else "fewer"
        out = head + f", {self.found} found: {abs(v)} {more} than expected"
        if self.explanation:
            return out + f"; explained: {self.explanation}"
        return out + f". Recount {self.name} until two counts agree, then record the variance's explanation."


@dataclass(frozen=True, slots=True)
class BallotPaperAccount:
    """The whole statement: every channel, totals, and counted + rejected against papers found."""

    channels: tuple[ChannelAccount, ...]
    counted: int | None  # valid papers entered (all channels); None before any are entered
    rejected: tuple[tuple[str, int], ...] = ()  # (heading, papers) in heading order

    @property
    def issued(self) -> int:
        return sum(c.issued for c in self.channels)

    @property
    def spoilt(self) -> int:
        return sum(c.spoilt for c in self.channels)

    @property
    def unused(self) -> int:
        return sum(c.unused for c in self.channels)

    @property
    def expected(self) -> int:
        return sum(c.expected for c in self.channels)

    @property
    def found(self) -> int | None:
        if any(c.found is None for c in self.channels):
            return None
        return sum(c.found or 0 for c in self.channels)

    @property
    def rejected_total(self) -> int:
        return sum(n for _, n in self.rejected)

    @property
    def count_variance(self) -> int | None:
        """Counted + rejected minus papers found (positive: more papers counted than were found)."""
        if self.counted is None or self.found is None:
            return None
        return self.counted + self.rejected_total - self.found

    @property
    def recorded(self) -> bool:
        """False when the contest has no account at all (a bare ballot file): nothing to reconcile."""
        return bool(self.channels)

    @property
    def reconciles(self) -> bool:
        if not self.channels:
            return True
        return all(c.reconciles for c in self.channels) and self.count_variance in (0, None) and \
            self.counted is not None

    @property
    def explanation(self) -> str:
        """Every explanation the returning officer recorded, joined (empty if none)."""
        return "; ".join(f"{c.name}: {c.explanation}" for c in self.channels if c.explanation)

    @property
    def explained(self) -> bool:
        """Every channel with a variance has a recorded explanation (the count variance cannot be explained)."""
        return all(c.reconciles or (c.found is not None and c.explanation) for c in self.channels) and \
            self.count_variance in (0, None) and (self.counted is not None or not self.channels)

    def problems(self) -> list[str]:
        """One sentence per thing that does not reconcile, with what to do."""
        out = [c.sentence() for c in self.channels if not c.reconciles]
        if self.channels and self.counted is None:
            out.append("no papers have been counted yet.")
        cv = self.count_variance
        if cv:
            more = "more" if cv > 0 else "fewer"
            out.append(f"{self.counted} counted + {self.rejected_total} rejected = "
                       f"{(self.counted or 0) + self.rejected_total}, {abs(cv)} {more} than the {self.found} "
                       "papers found: check the entry of papers, then the rejected papers.")
        return out

    def lines(self) -> list[str]:
        """The verification statement as text lines (CLI `check`, reports)."""
        if not self.channels:
            return ["No ballot paper account is recorded in this contest (no 'channels:')."]
        out = [f"{'channel':<16}{'issued':>8}{'spoilt':>8}{'unused':>8}{'expected':>10}{'found':>8}"
               f"{'counted':>9}{'variance':>10}"]
        for c in self.channels:
            out.append(f"{c.name[:15]:<16}{c.issued:>8}{c.spoilt:>8}{c.unused:>8}{c.expected:>10}"
                       f"{_n(c.found):>8}{_n(c.counted):>9}{_signed(c.variance):>10}")
        out.append(f"{'total':<16}{self.issued:>8}{self.spoilt:>8}{self.unused:>8}{self.expected:>10}"
                   f"{_n(self.found):>8}{_n(self.counted):>9}"
                   f"{_signed(None if self.found is None else self.found - self.expected):>10}")
        if self.rejected:
            out.append("Rejected papers: " + ", ".join(f"{h} {n}" for h, n in self.rejected) +
                       f" (total {self.rejected_total}).")
        if self.counted is not None and self.found is not None:
            out.append(f"Counted {self.counted} + rejected {self.rejected_total} = "
                       f"{self.counted + self.rejected_total}; papers found {self.found}; variance "
                       f"{_signed(self.count_variance)}.")
        if self.reconciles:
            out.append("The ballot paper account reconciles.")
        else:
            out.append("The ballot paper account does NOT reconcile:")
            out.extend("  " + p for p in self.problems())
        return out

    def to_json_dict(self) -> dict[str, object]:
        return {
            "channels": [
                {"name": c.name, "issued": c.issued, "spoilt": c.spoilt, "unused": c.unused,
                 "expected": c.expected, "found": c.found, "counted": c.counted, "variance": c.variance,
                 "explanation": c.explanation}
                for c in self.channels
            ],
            "issued": self.issued, "spoilt": self.spoilt, "unused": self.unused, "expected": self.expected,
            "found": self.found, "counted": self.counted, "rejected": dict(self.rejected),
            "rejected_total": self.rejected_total, "count_variance": self.count_variance,
            "reconciles": self.reconciles, "problems": self.problems(),
        }


def _n(v: int | None) -> str:
    return "-" if v is None else str(v)


def _signed(v: int | None) -> str:
    return "-" if v is None else (f"+{v}" if v > 0 else str(v))


def account_of(contest: Contest, counted: Mapping[str | None, int] | None = None,
               rejected: Mapping[str, int] | None = None) -> BallotPaperAccount:
    """The account of a contest: papers counted per channel (None = not attributed) default to the
    ballots in the contest file; rejected papers by heading default to the file's `rejected`."""
    if counted is None:
        tally: dict[str | None, int] = {}
        for b in contest.ballots:
            tally[b.channel] = tally.get(b.channel, 0) + b.count
        counted = tally
    total = sum(counted.values()) if counted else None
    if not contest.ballots and counted == {}:
        total = None  # no papers entered yet
    unattributed = counted.get(None, 0) if counted else 0
    channels = []
    for ch in contest.channels:
        if unattributed and len(contest.channels) > 1:
            mine = None  # some papers carry no channel: only the total can be compared
        elif len(contest.channels) == 1:
            mine = total
        else:
            mine = (counted or {}).get(ch.name, 0) if total is not None else None
        channels.append(ChannelAccount(ch.name, ch.issued, ch.spoilt, ch.unused, ch.returned, mine,
                                       ch.explanation))
    rej = dict(contest.rejected if rejected is None else rejected)
    order = [h for h in contest.rejection_headings if rej.get(h)] + \
        [h for h in rej if h not in contest.rejection_headings and rej[h]]
    return BallotPaperAccount(tuple(channels), total, tuple((h, rej[h]) for h in order))
