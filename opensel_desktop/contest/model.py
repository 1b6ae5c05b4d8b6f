"""The contest as the organiser wrote it: frozen value types shared by store, report, app and GUI.

`docs/contest-format.md` documents the YAML that `yaml_io.load_contest` turns into a `Contest`.
Candidates are referred to by their 0-based index in ballot order everywhere below this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opensel_desktop.engine.model import Ballots, Constraint, Election
from opensel_desktop.engine.rule_facts import RANKED_RULES

STATUTORY_HEADINGS = (
    "want of official mark",
    "voting for more candidates than entitled",
    "writing or mark by which the voter can be identified",
    "unmarked",
    "void for uncertainty",
)
PARTY_HEADINGS = (
    "eligibility or declaration failed",
    "received late",
)
DEFAULT_HEADINGS = STATUTORY_HEADINGS + PARTY_HEADINGS

KINDS = ("election", "trigger", "motion")


@dataclass(frozen=True, slots=True)
class CandidateSpec:
    name: str
    categories: dict[str, str] = field(default_factory=dict)  # e.g. {"gender": "woman"}
    withdrawn: bool = False
    hotkey: str | None = None  # single letter a teller may press for this candidate


@dataclass(frozen=True, slots=True)
class Channel:
    """One voting channel's ballot paper account (in-room, postal, online)."""

    name: str
    issued: int = 0
    spoilt: int = 0  # spoilt and replaced
    unused: int = 0
    returned: int | None = None  # papers found in the box / returned by post; None = not yet known
    explanation: str = ""  # the returning officer's explanation of a variance, if any


@dataclass(frozen=True, slots=True)
class BallotSpec:
    """Papers given in the contest file: a ranking or a set of X-votes (candidate indices), times `count`."""

    marks: tuple[int, ...]
    count: int = 1
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class Contest:
    title: str
    rule: str
    seats: int
    candidates: tuple[CandidateSpec, ...]
    kind: str = "election"
    organisation: str = ""
    position: str = ""
    date: str = ""
    venue: str = ""
    returning_officer: str = ""
    tellers: tuple[str, ...] = ()
    rule_options: dict[str, object] = field(default_factory=dict)
    channels: tuple[Channel, ...] = ()
    rejection_headings: tuple[str, ...] = DEFAULT_HEADINGS
    rejected: dict[str, int] = field(default_factory=dict)  # heading -> papers rejected (from the file)
    ballots: tuple[BallotSpec, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)  # kind-specific (trigger units, motion figures)
    source: str = ""  # the file it was loaded from, for messages only
    key: str = ""  # its name among the contests of a meeting ("" for a file of one contest)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.candidates)

    @property
    def ranked(self) -> bool:
        return self.rule in RANKED_RULES

    def to_election(self, ballots: Ballots | None = None, seats: int | None = None) -> Election:
        """The engine's view: names, places, papers, withdrawals, categories and constraints."""
        if ballots is None:
            ballots = Ballots.from_rankings((b.marks, b.count) for b in self.ballots)
        return Election(
            names=self.names,
            seats=self.seats if seats is None else seats,
            ballots=ballots,
            withdrawn=frozenset(i for i, c in enumerate(self.candidates) if c.withdrawn),
            title=self.title,
            options=dict(self.rule_options),
            categories=tuple(dict(c.categories) for c in self.candidates),
            constraints=self.constraints,
            extra=dict(self.extra),
        )
