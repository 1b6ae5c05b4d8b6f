"""Journal events: the stored envelope, its hash, and one typed body per kind of event.

The envelope is what the file holds and the hash chain covers:

    hash = SHA-256 over the canonical JSON array
        ["opensel-event-v1", prev, seq, kind, actor, station, batch, at, payload]

where `payload` is the canonical JSON text (sorted keys, no spaces, UTF-8, no NaN), `prev` the hex
hash of the previous event (64 zeros for the first), and every other field as stored. Anyone can
recompute it with a few lines of any language; nothing in it depends on SQLite.

The body is the payload read as one frozen dataclass per kind (`PaperEntered`, `Declared`, ...). Each
body knows its payload (`to_payload`/`from_payload`, strict: a payload with a field of the wrong type
or a field OpenSel never writes is refused), the version of its shape, the areas of the meeting it
changes (so a view refreshes only what changed) and its description in words (`describe`). A new
kind of event is one class here plus its case in `store/replay.py`.

Events that belong to one contest of a meeting carry its name in the payload field "contest" (left
out when the meeting holds a single contest), so a file with one contest reads as it always did.
"""

from __future__ import annotations

import hashlib
import json
import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, Union

from opensel_desktop.engine.canonical import canonical_json

GENESIS = "0" * 64
FIRST, SECOND = "first", "second"



def event_hash(prev: str, seq: int, kind: str, actor: str, station: str, batch: str, at: str, payload: str) -> str:
    text = canonical_json(["opensel-event-v1", prev, seq, kind, actor, station, batch, at, payload])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EventFormatError(ValueError):
    """A payload that is not one OpenSel writes (hand-made or from a newer version): one sentence."""


# ---- areas: what a view may have to redraw -------------------------------------------------------------

PAPERS = "papers"
BUNDLES = "bundles"
REJECTIONS = "rejections"
ACCOUNT = "account"
LOTS = "lots"
RESULT = "result"
STATE = "state"  # entering -> counted -> declared
TELLER = "teller"
SIGNATURES = "signatures"
STATIONS = "stations"
CONTEST = "contest"


# ---- the payload codec -----------------------------------------------------------------------------------

def _check(value: Any, hint: Any, where: str) -> Any:
    """`value` (parsed JSON) as the annotated type, or EventFormatError."""
    origin = typing.get_origin(hint)
    if hint is Any:
        return value
    if origin in (Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _check(value, option, where)
            except EventFormatError as exc:
                errors.append(exc)
        raise errors[0] if errors else EventFormatError(f"{where} is missing")
    if hint is bool:
        if type(value) is not bool:
            raise EventFormatError(f"{where} is not true or false")
        return value
    if hint is int:
        if type(value) is not int:
            raise EventFormatError(f"{where} is not a whole number")
        return value
    if hint is str:
        if type(value) is not str:
            raise EventFormatError(f"{where} is not text")
        return value
    if origin is tuple:
        if type(value) is not list:
            raise EventFormatError(f"{where} is not a list")
        (item, _ellipsis) = typing.get_args(hint)
        return tuple(_check(v, item, f"{where}[{i}]") for i, v in enumerate(value))
    if hint is dict or origin is dict:
        if type(value) is not dict:
            raise EventFormatError(f"{where} is not an object")
        return value
    if hint is list or origin is list:
        if type(value) is not list:
            raise EventFormatError(f"{where} is not a list")
        return value
    raise TypeError(f"no codec for {hint!r}")  # a programming error in a body class


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    key: str  # its name in the payload
    hint: Any
    default: Any  # MISSING when required
    envelope: bool
    sparse: bool


_CODECS: dict[type, tuple[_Field, ...]] = {}


def _codec(cls: type[Body]) -> tuple[_Field, ...]:
    """The fields of a body class as the payload codec reads them (made once per class)."""
    got = _CODECS.get(cls)
    if got is None:
        hints = typing.get_type_hints(cls)
        got = tuple(_Field(f.name, cls.PAYLOAD_NAMES.get(f.name, f.name), hints[f.name], _default(f),
                           f.name in cls.ENVELOPE, f.name in cls.SPARSE) for f in fields(cls))
        _CODECS[cls] = got
    return got


@dataclass(frozen=True, slots=True)
class Body:
    """One event's payload, typed. Subclasses set KIND (and VERSION when their shape changes)."""

    KIND: ClassVar[str] = ""
    VERSION: ClassVar[int] = 1
    AREAS: ClassVar[frozenset[str]] = frozenset()
    # fields kept in the envelope (the batch column), not in the payload
    ENVELOPE: ClassVar[tuple[str, ...]] = ()
    # fields written only when they differ from their default (older files lack them)
    SPARSE: ClassVar[tuple[str, ...]] = ()
    # fields whose payload key is not their name (a Python keyword, say)
    PAYLOAD_NAMES: ClassVar[dict[str, str]] = {}

    def to_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in _codec(type(self)):
            if f.envelope:
                continue
            value = getattr(self, f.name)
            if f.sparse and value == f.default:
                continue
            out[f.key] = _plain(value)
        if self.VERSION != 1:
            out["v"] = self.VERSION
        return out

    @classmethod
    def from_payload(cls, data: Any, batch: str = "") -> Body:
        if type(data) is not dict:
            raise EventFormatError(f"the {_label(cls.KIND)} event's payload is not an object")
        version = data.get("v", 1)
        if version != cls.VERSION:
            raise EventFormatError(f"the {_label(cls.KIND)} event is of version {version!r}, which this "
                                   f"OpenSel does not read (it reads version {cls.VERSION})")
        codec = _codec(cls)
        kw: dict[str, Any] = {}
        used = 1 if "v" in data else 0
        for f in codec:
            if f.envelope:
                kw[f.name] = batch
            elif f.key in data:
                kw[f.name] = _check(data[f.key], f.hint, f"the {_label(cls.KIND)} event's field {f.key!r}")
                used += 1
            elif f.default is MISSING:
                raise EventFormatError(f"the {_label(cls.KIND)} event lacks its field {f.key!r}")
        if used != len(data):
            extra = sorted(set(data) - {f.key for f in codec} - {"v"})
            raise EventFormatError(f"the {_label(cls.KIND)} event holds a field OpenSel never writes "
                                   f"({extra[0]!r})")
        body = cls(**kw)
        problem = body.problem()
        if problem:
            raise EventFormatError(f"the {_label(cls.KIND)} event is not valid: {problem}")
        return body

    def problem(self) -> str:
        """What makes a well-typed body still impossible (a negative count, say); '' when none."""
        return ""

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return _label(self.KIND)

    @property
    def batch_label(self) -> str:
        """The envelope's batch column: the batch a paper-level event belongs to, else ''."""
        return getattr(self, self.ENVELOPE[0]) if self.ENVELOPE else ""


def _default(f: Any) -> Any:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    return MISSING


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _marks(m: tuple[int, ...] | None, names: tuple[str, ...], ranked: bool) -> str:
    if m is None:
        return "no such paper"
    if not m:
        return "no marks"
    sep = " > " if ranked else ", "
    return sep.join(names[i] if 0 <= i < len(names) else f"#{i + 1}" for i in m)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _scope(body: Any) -> str:
    return f" [{body.contest}]" if getattr(body, "contest", "") else ""


def _nonnegative(**values: int | None) -> str:
    for name, v in values.items():
        if v is not None and v < 0:
            return f"{name} is negative"
    return ""


def _side_problem(side: str | None) -> str:
    return "" if side in (None, FIRST, SECOND) else f"side {side!r} is neither first nor second"


# ---- the kinds -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ContestCreated(Body):
    KIND: ClassVar[str] = "contest_created"
    AREAS: ClassVar[frozenset[str]] = frozenset({CONTEST})
    SPARSE: ClassVar[tuple[str, ...]] = ("station_pack", "contests", "meeting")
    contest: dict[str, Any]
    app_version: str = ""
    linked_to: dict[str, Any] | None = None
    station_pack: dict[str, Any] | None = None  # set in a teller station's own file
    contests: list[Any] | None = None  # a meeting of several contests: each one's data, in counting order
    meeting: dict[str, Any] | None = None  # the meeting's own settings (several contests)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        if self.contests:
            titles = ", ".join(str(c.get("title", "")) for c in self.contests if isinstance(c, dict))
            return f"meeting created with {len(self.contests)} contests: {titles}"
        return f"contest created: {self.contest.get('title', '')} ({self.contest.get('rule')})"


@dataclass(frozen=True, slots=True)
class OfficerKeyPinned(Body):
    """The returning officer's certificate (public part): every declaration must be signed by its key."""

    KIND: ClassVar[str] = "officer_key_pinned"
    AREAS: ClassVar[frozenset[str]] = frozenset({SIGNATURES, CONTEST})
    officer: str
    certificate: str  # PEM
    fingerprint: str  # SHA-256 of the DER certificate, colon-separated hex pairs

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return f"key of returning officer {self.officer} pinned; fingerprint {self.fingerprint}"


@dataclass(frozen=True, slots=True)
class PaperEntered(Body):
    KIND: ClassVar[str] = "paper_entered"
    AREAS: ClassVar[frozenset[str]] = frozenset({PAPERS})
    ENVELOPE: ClassVar[tuple[str, ...]] = ("batch",)
    SPARSE: ClassVar[tuple[str, ...]] = ("channel", "contest")
    batch: str
    paper: int
    marks: tuple[int, ...]
    side: str = FIRST
    single: bool = False
    channel: str | None = None
    contest: str = field(default="", kw_only=True)

    def problem(self) -> str:
        if self.paper < 1:
            return "paper numbers start at 1"
        return _side_problem(self.side) or _nonnegative(mark=min(self.marks, default=0))

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return f"paper {self.paper} entered ({self.side} entry): {_marks(self.marks, names, ranked)}" + _scope(self)


@dataclass(frozen=True, slots=True)
class BallotsImported(Body):
    """A whole ballot file brought into the count as ONE act: the papers of the contest file at creation,
    or an online vendor's export at the meeting. The papers are kept grouped (`rows`: [marks, count]),
    so a million papers are one event; the file's SHA-256 makes the import verifiable and unrepeatable.
    An imported batch is single-entry by nature: the file is the record, not a teller's keying."""

    KIND: ClassVar[str] = "ballots_imported"
    AREAS: ClassVar[frozenset[str]] = frozenset({PAPERS, ACCOUNT})
    ENVELOPE: ClassVar[tuple[str, ...]] = ("batch",)
    SPARSE: ClassVar[tuple[str, ...]] = ("channel", "rejected", "contest")
    batch: str
    source: str  # the file's name as given ("contest file" for the papers listed in the contest file)
    sha256: str  # of the file's bytes
    dialect: str  # how the file was read ("contest file", "blt: standard", "csv", ...)
    papers: int
    rows: list[Any]  # [[candidate index, ...], count] in the file's order of first appearance
    channel: str | None = None
    rejected: dict[str, Any] | None = None  # heading -> papers the file records as rejected
    contest: str = field(default="", kw_only=True)

    def problem(self) -> str:
        total = 0
        for row in self.rows:
            if type(row) is not list or len(row) != 2 or type(row[0]) is not list or type(row[1]) is not int \
                    or row[1] < 1 or any(type(m) is not int or m < 0 for m in row[0]):
                return "a row is not [marks, count]"
            total += row[1]
        return "" if total == self.papers else "its rows do not add up to its papers"

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        where = f" ({self.channel})" if self.channel else ""
        return (f"{_count(self.papers, 'paper')} imported from {self.source}{where} as one batch; read as "
                f"{self.dialect}; file SHA-256 {self.sha256}" + _scope(self))


@dataclass(frozen=True, slots=True)
class PaperCorrected(Body):
    KIND: ClassVar[str] = "paper_corrected"
    AREAS: ClassVar[frozenset[str]] = frozenset({PAPERS})
    ENVELOPE: ClassVar[tuple[str, ...]] = ("batch",)
    SPARSE: ClassVar[tuple[str, ...]] = ("contest",)
    batch: str
    paper: int
    marks: tuple[int, ...]
    side: str = FIRST
    reason: str = ""
    contest: str = field(default="", kw_only=True)

    def problem(self) -> str:
        return "paper numbers start at 1" if self.paper < 1 else _side_problem(self.side)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return (f"paper {self.paper} corrected ({self.side} entry): {_marks(self.marks, names, ranked)}; "
                f"reason: {self.reason}") + _scope(self)


@dataclass(frozen=True, slots=True)
class PaperRejected(Body):
    KIND: ClassVar[str] = "paper_rejected"
    AREAS: ClassVar[frozenset[str]] = frozenset({REJECTIONS, PAPERS})
    ENVELOPE: ClassVar[tuple[str, ...]] = ("batch",)
    SPARSE: ClassVar[tuple[str, ...]] = ("side", "single", "channel", "contest")
    batch: str
    heading: str
    count: int = 1
    paper: int | None = None
    note: str = ""
    side: str | None = None
    single: bool = False
    channel: str | None = None
    contest: str = field(default="", kw_only=True)

    @property
    def in_batch(self) -> bool:
        """One teller's entry of a numbered paper of a batch (else: the officer's, counted at once)."""
        return self.side in (FIRST, SECOND) and bool(self.batch) and self.paper is not None

    def problem(self) -> str:
        if self.count < 1:
            return "the number of rejected papers is below 1"
        return _side_problem(self.side)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        who = f"paper {self.paper} ({self.side} entry) " if self.side else ""
        return (f"{who}{self.count} rejected as {self.heading!r}" + (f" ({self.note})" if self.note else "")
                + _scope(self))


@dataclass(frozen=True, slots=True)
class RejectionWithdrawn(Body):
    KIND: ClassVar[str] = "rejection_withdrawn"
    AREAS: ClassVar[frozenset[str]] = frozenset({REJECTIONS, PAPERS})
    ENVELOPE: ClassVar[tuple[str, ...]] = ("batch",)
    SPARSE: ClassVar[tuple[str, ...]] = ("contest",)
    batch: str
    heading: str
    reason: str
    event: int | None = None
    count: int = 1
    paper: int | None = None
    side: str | None = None
    contest: str = field(default="", kw_only=True)

    @property
    def in_batch(self) -> bool:
        return self.side in (FIRST, SECOND) and bool(self.batch) and self.paper is not None

    def problem(self) -> str:
        return _side_problem(self.side)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        what = f"paper {self.paper} ({self.side} entry)" if self.side else _count(self.count, "paper")
        cited = f" (event {self.event})" if self.event else ""
        return f"rejection{cited} of {what} as {self.heading!r} withdrawn; reason: {self.reason}" + _scope(self)


@dataclass(frozen=True, slots=True)
class PaperWithdrawn(Body):
    """The returning officer takes back a paper keyed by mistake (there is no such paper in the batch):
    both entries of it stop counting; they stay in the journal."""

    KIND: ClassVar[str] = "paper_withdrawn"
    AREAS: ClassVar[frozenset[str]] = frozenset({PAPERS})
    ENVELOPE: ClassVar[tuple[str, ...]] = ("batch",)
    SPARSE: ClassVar[tuple[str, ...]] = ("contest",)
    batch: str
    paper: int
    officer: str
    reason: str
    contest: str = field(default="", kw_only=True)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return f"paper {self.paper} withdrawn by {self.officer}; reason: {self.reason}" + _scope(self)


@dataclass(frozen=True, slots=True)
class BundleTotal(Body):
    KIND: ClassVar[str] = "bundle_total"
    AREAS: ClassVar[frozenset[str]] = frozenset({BUNDLES, PAPERS})
    ENVELOPE: ClassVar[tuple[str, ...]] = ("batch",)
    SPARSE: ClassVar[tuple[str, ...]] = ("channel", "contest")
    batch: str
    counts: tuple[int, ...]
    papers: int | None = None
    side: str = FIRST
    single: bool = False
    channel: str | None = None
    contest: str = field(default="", kw_only=True)

    def problem(self) -> str:
        return _side_problem(self.side) or _nonnegative(papers=self.papers, votes=min(self.counts, default=0))

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        totals = ", ".join(f"{names[i]}={n}" for i, n in enumerate(self.counts) if i < len(names))
        return (f"bundle totals ({self.side} entry): {totals}"
                + (f"; {_count(self.papers, 'paper')}" if self.papers is not None else "") + _scope(self))


@dataclass(frozen=True, slots=True)
class MismatchResolved(Body):
    """The physical paper (or bundle) was looked at: what it really says. A paper's resolution has
    `paper` (and `marks`, or None when there is no such paper, or `rejected`); a bundle's has `counts`."""

    KIND: ClassVar[str] = "mismatch_resolved"
    AREAS: ClassVar[frozenset[str]] = frozenset({PAPERS, REJECTIONS, BUNDLES})
    ENVELOPE: ClassVar[tuple[str, ...]] = ("batch",)
    SPARSE: ClassVar[tuple[str, ...]] = ("paper", "marks", "rejected", "counts", "papers", "contest")
    batch: str
    reason: str
    paper: int | None = None
    marks: tuple[int, ...] | None = None
    rejected: str | None = None
    counts: tuple[int, ...] | None = None
    papers: int | None = None
    contest: str = field(default="", kw_only=True)

    def to_payload(self) -> dict[str, Any]:
        out = Body.to_payload(self)
        if self.counts is None:
            out["marks"] = _plain(self.marks)  # a paper's resolution always says its marks (None: no paper)
        return out

    @property
    def is_bundle(self) -> bool:
        return self.counts is not None

    def problem(self) -> str:
        if (self.counts is None) == (self.paper is None):
            return "it resolves neither one paper nor one bundle"
        if self.rejected is not None and self.marks is not None:
            return "a paper is either rejected or counted"
        return _nonnegative(papers=self.papers)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        if self.counts is not None:
            what = "bundle totals"
        elif self.rejected:
            what = f"paper {self.paper}: rejected as {self.rejected!r}"
        else:
            what = f"paper {self.paper}: {_marks(self.marks, names, ranked)}"
        return f"mismatch resolved, {what}; reason: {self.reason}" + _scope(self)


@dataclass(frozen=True, slots=True)
class BatchSingleEntry(Body):
    KIND: ClassVar[str] = "batch_single_entry"
    AREAS: ClassVar[frozenset[str]] = frozenset({PAPERS})
    ENVELOPE: ClassVar[tuple[str, ...]] = ("batch",)
    SPARSE: ClassVar[tuple[str, ...]] = ("contest",)
    batch: str
    officer: str
    reason: str
    contest: str = field(default="", kw_only=True)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return f"batch keyed once (no second entry), decided by {self.officer}; reason: {self.reason}" + _scope(self)


@dataclass(frozen=True, slots=True)
class AccountFigures(Body):
    KIND: ClassVar[str] = "account_figures"
    AREAS: ClassVar[frozenset[str]] = frozenset({ACCOUNT})
    SPARSE: ClassVar[tuple[str, ...]] = ("contest",)
    channel: str
    issued: int
    spoilt: int
    unused: int
    returned: int | None = None
    explanation: str = ""
    contest: str = field(default="", kw_only=True)

    def problem(self) -> str:
        return _nonnegative(issued=self.issued, spoilt=self.spoilt, unused=self.unused, returned=self.returned)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return (f"account {self.channel}: issued {self.issued}, spoilt {self.spoilt}, unused {self.unused}, "
                f"returned {self.returned}" + _scope(self))


@dataclass(frozen=True, slots=True)
class LotDrawn(Body):
    KIND: ClassVar[str] = "lot_drawn"
    AREAS: ClassVar[frozenset[str]] = frozenset({LOTS, RESULT})
    SPARSE: ClassVar[tuple[str, ...]] = ("reason", "contest")
    key: str
    stage: int
    among: tuple[str, ...]
    purpose: str
    chosen: str
    how: str  # "recorded" (a physical draw) | "seed" (the documented seeded draw)
    seed: str | None = None
    witness: str = ""
    reason: str = ""
    contest: str = field(default="", kw_only=True)

    def problem(self) -> str:
        return "" if self.chosen in self.among else "the candidate chosen is not among those tied"

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return (f"lot at stage {self.stage} among {', '.join(self.among)}: {self.chosen} ({self.how}"
                + (f", seed {self.seed}" if self.seed else "") + f"; witness {self.witness})" + _scope(self))


@dataclass(frozen=True, slots=True)
class CountRun(Body):
    """A provisional result: the count of the agreed papers as they stood."""

    KIND: ClassVar[str] = "count_run"
    AREAS: ClassVar[frozenset[str]] = frozenset({RESULT, STATE})
    SPARSE: ClassVar[tuple[str, ...]] = ("override_reason", "contest")
    digest: str  # the result hash: SHA-256 of the canonical result JSON
    elected: tuple[str, ...]
    result: dict[str, Any]
    seed: str | None = None
    override_reason: str | None = None
    contest: str = field(default="", kw_only=True)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        extra = f"; override: {self.override_reason}" if self.override_reason else ""
        return (f"provisional result: {', '.join(self.elected) or 'nobody'} elected; result hash "
                f"{self.digest}{extra}" + _scope(self))


@dataclass(frozen=True, slots=True)
class Recount(Body):
    KIND: ClassVar[str] = "recount"
    AREAS: ClassVar[frozenset[str]] = frozenset({RESULT, STATE})
    SPARSE: ClassVar[tuple[str, ...]] = ("override_reason", "contest")
    digest: str
    elected: tuple[str, ...]
    result: dict[str, Any]
    requested_by: str = ""
    reason: str = ""
    seed: str | None = None
    override_reason: str | None = None
    contest: str = field(default="", kw_only=True)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return (f"recount asked for by {self.requested_by}: {', '.join(self.elected) or 'nobody'} elected; "
                f"result hash {self.digest}" + (f"; reason: {self.reason}" if self.reason else "") + _scope(self))


@dataclass(frozen=True, slots=True)
class Declared(Body):
    """The declaration. `signature` (when the officer's key signed it) covers `signed_text()`: the contest
    id, the journal head before this event (which covers every paper), the result hash and the officer."""

    KIND: ClassVar[str] = "declared"
    AREAS: ClassVar[frozenset[str]] = frozenset({RESULT, STATE, SIGNATURES})
    SPARSE: ClassVar[tuple[str, ...]] = ("signature", "contest")
    digest: str
    elected: tuple[str, ...]
    result: dict[str, Any]
    officer: str
    override_reason: str | None = None
    account: dict[str, Any] | None = None
    signature: dict[str, Any] | None = None  # {"fingerprint", "algorithm", "head", "value" (hex)}
    contest: str = field(default="", kw_only=True)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        extra = f"; override: {self.override_reason}" if self.override_reason else ""
        signed = (f"; signed by key {self.signature.get('fingerprint')}" if self.signature else "; not signed")
        return (f"DECLARED by {self.officer}: {', '.join(self.elected) or 'nobody'} elected; result hash "
                f"{self.digest}{extra}{signed}" + _scope(self))


@dataclass(frozen=True, slots=True)
class SignatureRecorded(Body):
    """A result sheet was signed. `signed_text` is exactly what the officer's key signed (the sheet's QR
    text before its signature) and `signature` the signature (hex), so the file proves it offline."""

    KIND: ClassVar[str] = "signature_recorded"
    AREAS: ClassVar[frozenset[str]] = frozenset({SIGNATURES})
    SPARSE: ClassVar[tuple[str, ...]] = ("signed_text", "signature", "contest")
    what: str
    digest: str  # the sheet digest: SHA-256 of the canonical result JSON followed by `head`
    signer: str
    fingerprint: str = ""
    head: str = ""  # the hash of the event holding the signed result
    result_sha256: str = ""
    declared: bool = False
    signed_text: str = ""
    signature: str = ""
    contest: str = field(default="", kw_only=True)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return (f"signature of {self.what} by {self.signer}; sheet digest {self.digest}"
                + (f"; key {self.fingerprint}" if self.fingerprint else "") + _scope(self))


@dataclass(frozen=True, slots=True)
class JournalSigned(Body):
    """A signed checkpoint: the officer's key signed the journal head before this event (after an agreed
    batch or a count), so history up to it cannot be rewritten without her key."""

    KIND: ClassVar[str] = "journal_signed"
    AREAS: ClassVar[frozenset[str]] = frozenset({SIGNATURES})
    head: str
    events: int
    fingerprint: str
    signature: str  # hex
    reason: str = ""

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return f"journal signed at event {self.events} ({self.reason}) by key {self.fingerprint}"


@dataclass(frozen=True, slots=True)
class TellerSwitched(Body):
    KIND: ClassVar[str] = "teller_switched"
    AREAS: ClassVar[frozenset[str]] = frozenset({TELLER})
    teller: str
    role: str = "teller"

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        return f"{self.teller} now at the keyboard ({self.role})"


@dataclass(frozen=True, slots=True)
class StationRegistered(Body):
    KIND: ClassVar[str] = "station_registered"
    AREAS: ClassVar[frozenset[str]] = frozenset({STATIONS, ACCOUNT})
    SPARSE: ClassVar[tuple[str, ...]] = ("officer_fingerprint",)
    station: str
    public_key: str
    batches: list[Any] = field(default_factory=list)  # [{"label", "first", "last"}]
    pack_sha256: str = ""
    officer_certificate_sha256: str | None = None
    officer_fingerprint: str = ""  # the officer's key that signed the station's pack

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        issued = ", ".join(f"{b.get('label')} (papers {b.get('first')}-{b.get('last')})" for b in self.batches
                           if isinstance(b, dict))
        return (f"station {self.station} registered; batches issued: {issued or 'none'}; public key "
                f"{self.public_key}; pack SHA-256 {self.pack_sha256}")


@dataclass(frozen=True, slots=True)
class BatchMerged(Body):
    """A station's signed batch file, its entries carried inside this one event (they replay as if keyed
    here under the label "STATION/BATCH")."""

    KIND: ClassVar[str] = "batch_merged"
    AREAS: ClassVar[frozenset[str]] = frozenset({PAPERS, ACCOUNT, STATIONS})
    label: str  # the batch's label here, "STATION/BATCH" (also the envelope's batch column)
    file_sha256: str
    station: str
    batch: str
    papers: int
    paper_numbers: tuple[int, ...]
    first_paper: int
    file: str
    entries: list[Any]
    batch_file: dict[str, Any]

    @property
    def batch_label(self) -> str:
        return self.label

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        numbers = self.paper_numbers
        span = f" (papers {min(numbers)}-{max(numbers)})" if numbers else ""
        return (f"batch {self.batch} of station {self.station} merged as {self.label}: "
                f"{_count(self.papers, 'paper')}{span} from {self.file}; file SHA-256 {self.file_sha256}")


@dataclass(frozen=True, slots=True)
class RoundEntered(Body):
    KIND: ClassVar[str] = "round_entered"
    AREAS: ClassVar[frozenset[str]] = frozenset({RESULT, PAPERS})
    SPARSE: ClassVar[tuple[str, ...]] = ("contest",)
    number: int
    round: dict[str, Any]
    contest: str = field(default="", kw_only=True)

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        votes = self.round.get("votes") or self.round.get("counts") or {}
        counts = ", ".join(f"{n}={v}" for n, v in votes.items()) if isinstance(votes, dict) else ""
        return f"round entered (round {self.number} of the exhaustive ballot): {counts}" + _scope(self)


@dataclass(frozen=True, slots=True)
class UnitReturnEntered(Body):
    KIND: ClassVar[str] = "unit_return_entered"
    AREAS: ClassVar[frozenset[str]] = frozenset({RESULT})
    SPARSE: ClassVar[tuple[str, ...]] = ("contest",)
    PAYLOAD_NAMES: ClassVar[dict[str, str]] = {"unit_class": "class", "ret": "return"}
    unit_class: str  # payload field "class"
    unit: str
    ret: dict[str, Any]  # payload field "return"
    contest: str = field(default="", kw_only=True)

    def problem(self) -> str:
        r = self.ret
        if r.get("decision") not in ("yes", "no", "none"):
            return "its decision is not yes, no or did not vote"
        for k in ("for", "against", "abstain"):
            n = r.get(k)
            if n is not None and (type(n) is not int or n < 0):
                return f"its {k} figure is not a whole number"
        return ""

    def describe(self, names: tuple[str, ...] = (), ranked: bool = True) -> str:
        r = self.ret
        decision = str(r.get("decision"))
        said = {"yes": "yes", "no": "no", "none": "did not vote"}.get(decision, decision)
        return (f"return of {self.unit} ({self.unit_class}): {said}, reported by {r.get('reported_by')}"
                + (f"; reason: {r['reason']}" if r.get("reason") else "") + _scope(self))


BODIES: dict[str, type[Body]] = {cls.KIND: cls for cls in (
    ContestCreated, OfficerKeyPinned, PaperEntered, BallotsImported, PaperCorrected, PaperWithdrawn, PaperRejected, RejectionWithdrawn,
    BundleTotal, MismatchResolved, BatchSingleEntry, AccountFigures, LotDrawn, CountRun, Recount, Declared,
    SignatureRecorded, JournalSigned, TellerSwitched, StationRegistered, BatchMerged, RoundEntered,
    UnitReturnEntered,
)}
KINDS = tuple(BODIES)

# the kind names, for code that filters envelopes without reading payloads
CONTEST_CREATED = ContestCreated.KIND
OFFICER_KEY_PINNED = OfficerKeyPinned.KIND
PAPER_ENTERED = PaperEntered.KIND
BALLOTS_IMPORTED = BallotsImported.KIND
PAPER_CORRECTED = PaperCorrected.KIND
PAPER_WITHDRAWN = PaperWithdrawn.KIND
PAPER_REJECTED = PaperRejected.KIND
REJECTION_WITHDRAWN = RejectionWithdrawn.KIND
BUNDLE_TOTAL = BundleTotal.KIND
MISMATCH_RESOLVED = MismatchResolved.KIND
BATCH_SINGLE_ENTRY = BatchSingleEntry.KIND
ACCOUNT_FIGURES = AccountFigures.KIND
LOT_DRAWN = LotDrawn.KIND
COUNT_RUN = CountRun.KIND
RECOUNT = Recount.KIND
DECLARED = Declared.KIND
SIGNATURE_RECORDED = SignatureRecorded.KIND
JOURNAL_SIGNED = JournalSigned.KIND
TELLER_SWITCHED = TellerSwitched.KIND
STATION_REGISTERED = StationRegistered.KIND
BATCH_MERGED = BatchMerged.KIND
ROUND_ENTERED = RoundEntered.KIND
UNIT_RETURN_ENTERED = UnitReturnEntered.KIND

# what a station's batch file may carry: a batch's papers, bundles, corrections, resolutions and rejections
BATCH_ENTRY_KINDS = (PAPER_ENTERED, PAPER_CORRECTED, BUNDLE_TOTAL, MISMATCH_RESOLVED, PAPER_REJECTED,
                     REJECTION_WITHDRAWN, BATCH_SINGLE_ENTRY)


def body_of(kind: str, data: Any, batch: str = "") -> Body:
    """The typed body of a payload (already parsed JSON); EventFormatError if it is not one of ours."""
    cls = BODIES.get(kind)
    if cls is None:
        raise EventFormatError(f"{kind!r} is not a kind of event OpenSel writes")
    return cls.from_payload(data, batch)


# ---- the stored envelope ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Event:
    """One journal entry as stored. `payload` is canonical JSON text; `data` parses it, `body` types it."""

    seq: int
    kind: str
    actor: str  # the teller or officer name given at session start
    station: str  # the laptop/station that wrote it ("main" on the officer's laptop)
    batch: str  # the batch of papers it belongs to ("" when none)
    at: str  # ISO 8601 UTC time given by the app
    payload: str
    prev: str
    hash: str

    @property
    def data(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.payload)
        return parsed

    @property
    def body(self) -> Body:
        try:
            data = json.loads(self.payload)
        except (ValueError, RecursionError):
            raise EventFormatError(f"the {_label(self.kind)} event's payload is not JSON") from None
        return body_of(self.kind, data, self.batch)

    def expected_hash(self) -> str:
        return event_hash(self.prev, self.seq, self.kind, self.actor, self.station, self.batch, self.at,
                          self.payload)


def make_event(prev: str, seq: int, kind: str, actor: str, station: str, batch: str, at: str,
               data: dict[str, Any]) -> Event:
    payload = canonical_json(data)
    return Event(seq, kind, actor, station, batch, at, payload, prev,
                 event_hash(prev, seq, kind, actor, station, batch, at, payload))


def seal(prev: str, seq: int, body: Body, actor: str, station: str, at: str) -> Event:
    """The stored envelope of a typed body placed after `prev` as event `seq`."""
    return make_event(prev, seq, body.KIND, actor, station, body.batch_label, at, body.to_payload())
