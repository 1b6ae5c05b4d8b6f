"""The core of an open saved contest: the journal, its read model, and one way to write.

A `Session` is one open `.osel`. It keeps the journal's read model (`session.model`, a
`store.replay.Replay`) built once by replaying the journal and then updated with each event appended,
by this session or by another window or process on the same file. Every write goes through
`write(plan, message)`: inside the file's write lock the session first catches up with what others
appended, then asks `plan(model)` which events to append (the plan checks and may refuse), appends
them in ONE transaction (durable when `write` returns) and applies them to the model. It returns a
`Changes` record, from which each view refreshes what changed.

The use cases (keying papers, rejections, the account, counting and declaring, rounds, trigger
returns, stations, sheets, signatures) are modules beside this one, each a few functions taking the
session. Nothing here asks a person anything and nothing names a file in a message: refusals are
`AppError` (the faces add the file name), a tie that needs a lot is `NeedsLot`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opensel_desktop import __version__
from opensel_desktop.app.changes import Changes
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.contest.model import Contest
from opensel_desktop.contest.names import name_problem
from opensel_desktop.engine import Ballots, Result
from opensel_desktop.store import events as ev
from opensel_desktop.store.contest_json import contest_to_data
from opensel_desktop.store.events import Body, Event, EventFormatError
from opensel_desktop.store.journal import ChainReport, Draft, Journal, verify_events, verify_tail
from opensel_desktop.store.osel import StoreError
from opensel_desktop.store.replay import SCOPED, BatchStatus, Meeting, Mismatch, Replay

if TYPE_CHECKING:
    from opensel_desktop.app.account import Account

MAIN_STATION = "main"
IMPORT_BATCH = "contest file"  # papers given in the contest file: one single-entry batch


class JournalBroken(AppError):
    """The journal does not verify from its very first event: there is no contest to open at all."""

    def __init__(self, message: str, chain: ChainReport):
        super().__init__(message, step=Next.USE_BACKUP)
        self.chain = chain


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Write:
    """One event a plan wants appended, and who it is attributed to (None: the session's actor)."""

    body: Body
    actor: str | None = None


Plan = Callable[[Replay], Sequence[Write]]


class Session:
    """One open saved contest. Use `Session.create` or `Session.open`; close it (or use `with`)."""

    def __init__(self, journal: Journal, actor: str, station: str, clock: Callable[[], str]):
        self.journal = journal
        self.path = journal.path
        self.actor = actor
        self.station = station
        self.clock = clock
        self.meeting = Meeting()  # one read model per contest of the file
        self.current = ""  # the contest the session works on ("" until the file is read: the first)
        self.chain: ChainReport = ChainReport(True, 0, ev.GENESIS)
        self._seen = -1  # PRAGMA data_version when we last read the journal
        self.listeners: list[Callable[[Changes], None]] = []  # told of every write, ours or another's
        # results counted in this session, by the journal event that holds them: a sheet made after a
        # declaration in the same session uses this very Result instead of counting again
        self.results: dict[int, Result] = {}

    # ---- opening -------------------------------------------------------------------------------

    @classmethod
    def create(cls, contest: Contest, path: str | Path, officer: str, *, station: str = MAIN_STATION,
               clock: Callable[[], str] = utc_now, linked_to: dict[str, Any] | None = None,
               station_pack: dict[str, Any] | None = None, pin: ev.OfficerKeyPinned | None = None) -> Session:
        """Create a new .osel from a validated contest; never overwrites. The contest file's papers are
        imported as one single-entry batch attributed to the officer, in the same transaction, and the
        officer's certificate is pinned when `pin` is given."""
        officer = clean_name(officer, "officer")
        at = clock()
        bodies: list[Body] = [ev.ContestCreated(contest_to_data(contest), __version__, linked_to, station_pack)]
        if pin is not None:
            bodies.append(pin)
        bodies.extend(contest_file_import(contest))
        return cls._new_file(path, bodies, officer, station, clock, at)

    @classmethod
    def _new_file(cls, path: str | Path, bodies: Sequence[Body], officer: str, station: str,
                  clock: Callable[[], str], at: str) -> Session:
        """The file created with its first events, in one go, and a session open on it."""
        with store_errors():
            journal = Journal.create(path, [Draft(b, officer, station, at) for b in bodies])
        session = cls(journal, officer, station, clock)
        session.sync()
        return session

    @classmethod
    def create_meeting(cls, contests: Sequence[Contest], path: str | Path, officer: str, *,
                       settings: dict[str, Any] | None = None, clock: Callable[[], str] = utc_now,
                       pin: ev.OfficerKeyPinned | None = None) -> Session:
        """Create one .osel for a meeting of several contests (posts), counted in the order given; each
        contest has its own batches, account and result, and one journal holds them all. `settings`: the
        meeting's own (withdraw those elected to an earlier post from later ones; constraints across posts)."""
        if len(contests) == 1 and not contests[0].key:
            return cls.create(contests[0], path, officer, clock=clock, pin=pin)
        officer = clean_name(officer, "officer")
        keys = [c.key for c in contests]
        if any(not k for k in keys) or len(set(keys)) != len(keys):
            raise AppError("each contest of a meeting needs its own name")
        at = clock()
        data = [contest_to_data(c) for c in contests]
        bodies: list[Body] = [ev.ContestCreated(data[0], __version__, contests=data, meeting=dict(settings or {}))]
        if pin is not None:
            bodies.append(pin)
        for c in contests:
            bodies.extend(replace(b, contest=c.key) for b in contest_file_import(c))
        return cls._new_file(path, bodies, officer, MAIN_STATION, clock, at)

    @classmethod
    def open(cls, path: str | Path, actor: str, readonly: bool = False, *, station: str = MAIN_STATION,
             clock: Callable[[], str] = utc_now, contest: str | None = None) -> Session:
        """Open a saved contest. Writable opens refuse a journal that does not verify; read-only opens
        (auditor) never write and keep the chain report in `session.chain`. `contest`: the contest of a
        meeting to work on (None: the first)."""
        with store_errors():
            journal = Journal.open(path, readonly=readonly)
        session = cls(journal, actor or "auditor", station, clock)
        try:
            session.sync(full=True)
        except AppError as exc:
            journal.close()
            exc.where = exc.where or str(path)  # a refusal at opening is about this file
            raise
        except BaseException:
            journal.close()
            raise
        try:
            session.select(contest)
        except AppError as exc:
            journal.close()
            exc.where = exc.where or str(path)
            raise
        pack = session.model.station_pack
        if station == MAIN_STATION and pack:  # a station file journals under its own station name
            session.station = str(pack.get("station") or MAIN_STATION)
        if not readonly and not session.chain.ok:
            journal.close()
            raise AppError(f"{_capital(session.chain.message)} Nothing more can be added to it", step=Next.AUDIT,
                           where=path)
        return session

    def close(self) -> None:
        self.journal.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the contests of a meeting ---------------------------------------------------------------

    @property
    def model(self) -> Replay:
        """The read model of the contest this session works on (as it stands; see `replay` to catch up)."""
        return self.meeting.replays.get(self.current) or self.meeting.first

    @property
    def contest_keys(self) -> list[str]:
        """The names of the file's contests in counting order ([""] for a file of one contest)."""
        return self.meeting.keys

    def select(self, key: str | None) -> Session:
        """Work on the contest named `key` (None: the only one, or the first of a meeting)."""
        keys = self.meeting.keys
        if not key:
            self.current = keys[0]
            return self
        if key not in keys:
            if keys == [""]:
                raise AppError(f"this saved contest holds one contest, not several; leave out --contest {key}")
            raise AppError(f"there is no contest {key!r} in this meeting; contests: {', '.join(keys)}")
        self.current = key
        return self

    # ---- reading -------------------------------------------------------------------------------

    @property
    def replay(self) -> Replay:
        """The read model, caught up with the file (another window may have written)."""
        self.sync()
        return self.model

    @property
    def readonly(self) -> bool:
        return self.journal.readonly

    @property
    def contest(self) -> Contest:
        assert self.model.contest is not None
        return self.model.contest

    @property
    def contest_id(self) -> str:
        return self.model.contest_id

    @property
    def head_hash(self) -> str:
        """Hash of the last event: what result sheets and signatures cite."""
        return self.chain.head

    @property
    def state(self) -> str:
        """"entering", "counted" (a provisional result is journaled) or "declared" (locked)."""
        return self.replay.state

    @property
    def declared(self) -> ev.Declared | None:
        return self.replay.declared

    @property
    def provisional(self) -> ev.CountRun | ev.Recount | None:
        return self.replay.provisional

    def batches(self) -> tuple[BatchStatus, ...]:
        return tuple(b.status() for b in self.replay.batches.values())

    def diff(self, batch: str) -> tuple[Mismatch, ...]:
        """Paper-by-paper differences between the first and second entry of a batch."""
        model = self.replay
        if batch not in model.batches:
            raise AppError(f"there is no batch {batch!r}; batches: {', '.join(model.batches) or 'none yet'}")
        return tuple(model.batches[batch].mismatches())

    def ballots(self) -> Ballots:
        """The papers that count now: agreed batches only, grouped."""
        return Ballots.from_rankings(self.replay.rankings().items())

    def rejected(self) -> dict[str, int]:
        """Rejected papers by heading as they count now (a batch's own rejections once it counts)."""
        return self.replay.rejected_counts()

    def lots(self) -> dict[str, ev.LotDrawn]:
        return dict(self.replay.lots)

    def account(self) -> Account:
        from opensel_desktop.app.account import account_of_model

        return account_of_model(self.replay)

    def counting_contest(self) -> Contest:
        from opensel_desktop.app.declaring import counting_contest

        return counting_contest(self.replay)

    def events(self) -> tuple[Event, ...]:
        with store_errors():
            return tuple(self.journal.events())

    def verify(self) -> ChainReport:
        """Re-read the whole file and check the chain; names the first event that does not verify."""
        with store_errors():
            return self.journal.verify()

    def require_verified(self) -> None:
        """For views that show what the journal says (diff, account, export): refuse an edited file."""
        if not self.chain.ok:
            raise AppError(f"{_capital(self.chain.message).rstrip('.')}; nothing shown from it can be trusted",
                           step=Next.AUDIT)

    # ---- writing -------------------------------------------------------------------------------

    def writable(self, allow_declared: bool = False) -> None:
        """Refuse a write before any work is done: auditor opens, edited files, declared contests."""
        if self.readonly:
            raise AppError("the contest is open read-only (auditor); nothing can be changed",
                           step=Next.OPEN_WRITABLE)
        self.sync()
        if not self.chain.ok:
            raise AppError(f"{_capital(self.chain.message)} Nothing more can be added", step=Next.AUDIT)
        if self.model.declared is not None and not allow_declared:
            raise AppError("the result was declared and the contest is locked", step=Next.RECOUNT_LINKED)

    def write(self, plan: Plan, message: str | Callable[[list[Event]], str], *, batch: str = "",
              paper: int | None = None, allow_declared: bool = False) -> Changes:
        """Append what `plan(model)` asks for, deciding inside the file's write lock (see the module
        docstring). `plan` may raise AppError: then nothing is written."""
        self.writable(allow_declared)
        at = self.clock()

        def planned(new: list[Event], meta: dict[str, str]) -> list[Draft]:
            self._catch_up(new, meta)
            if not self.chain.ok:
                raise AppError(f"{_capital(self.chain.message)} Nothing more can be added", step=Next.AUDIT)
            if self.model.declared is not None and not allow_declared:
                raise AppError("the result was declared and the contest is locked", step=Next.RECOUNT_LINKED)
            return [Draft(self._scoped(w.body), clean_name(w.actor or self.actor, "name"), self.station, at)
                    for w in plan(self.model)]

        with store_errors():
            _new, _meta, written = self.journal.transact(self.meeting.events, planned)
            self._seen = self.journal.data_version()
        self._apply(written)
        text = message(written) if callable(message) else message
        changes = changes_of(written, self.head_hash, text, batch, paper)
        for listener in list(self.listeners):
            listener(changes)
        return changes

    def _scoped(self, body: Body) -> Body:
        """A contest's event in a meeting of several names its contest (a file of one leaves it out)."""
        if self.current and type(body) in SCOPED and not getattr(body, "contest", ""):
            return replace(body, contest=self.current)  # type: ignore[type-var]
        return body

    def sync(self, full: bool = False) -> None:
        """Apply events written since the last look (by us, or by another window on the same file)."""
        if not full and not self.chain.ok:
            return
        with store_errors():
            version = self.journal.data_version()
            if not full and version == self._seen:
                return  # no other connection has committed since we last looked
            self._seen = version
            new, meta = self.journal.snapshot(after=self.meeting.events)
        if full:
            report = verify_events(new, meta)
            self._replay(new[: report.events], report)
        elif new or meta.get("events") != str(self.meeting.events):
            before = self.meeting.events
            self._catch_up(new, meta)
            if self.meeting.events != before:
                seen = [e for e in new if e.seq <= self.meeting.events]
                changes = changes_of(seen, self.head_hash, "", "", None)
                for listener in list(self.listeners):
                    listener(changes)

    def _catch_up(self, new: list[Event], meta: dict[str, str]) -> None:
        report = verify_tail(self.chain, new, meta)
        self._replay(new[: max(0, report.events - self.meeting.events)], report)

    def _replay(self, good: Sequence[Event], report: ChainReport) -> None:
        try:
            self.meeting.apply_all(good)
            if self.current not in self.meeting.replays:
                self.current = self.meeting.keys[0]
        except EventFormatError as exc:  # only a hand-made journal holds such an event
            raise AppError(f"the journal cannot be replayed ({exc}); it was changed outside OpenSel",
                           step=Next.AUDIT) from None
        self.chain = report
        if self.model.contest is None:
            raise JournalBroken(f"{_capital(report.message)} The contest itself cannot be read", report)

    def _apply(self, written: Sequence[Event]) -> None:
        """Our own events, just committed: applied without reading them back."""
        if not written:
            return
        self.meeting.apply_all(written)
        last = written[-1]
        self.chain = ChainReport(True, last.seq, last.hash, None, f"all {last.seq} events verify; head {last.hash}.")


def changes_of(written: Sequence[Event], head: str, message: str, batch: str, paper: int | None) -> Changes:
    """What a write changed; the batch and paper default to those of the last event written."""
    areas: set[str] = set()
    for e in written:
        cls = ev.BODIES.get(e.kind)
        if cls is not None:
            areas |= cls.AREAS
    if written and (paper is None or not batch):
        data = written[-1].data
        batch = batch or written[-1].batch
        if paper is None and type(data.get("paper")) is int:
            paper = data["paper"]
    return Changes(tuple(e.seq for e in written), frozenset(areas), head, batch, paper, message)


def contest_file_import(contest: Contest) -> list[ev.BallotsImported]:
    """The papers listed in a contest file, as grouped imports: one per channel the papers name (so the
    account and the sheets can state each channel's valid papers), one batch when they name none."""
    import hashlib

    from opensel_desktop.engine.canonical import canonical_json

    by_channel: dict[str | None, dict[tuple[int, ...], int]] = {}
    for spec in contest.ballots:
        rows = by_channel.setdefault(spec.channel, {})
        rows[tuple(spec.marks)] = rows.get(tuple(spec.marks), 0) + spec.count
    out = []
    for channel, rows in by_channel.items():
        grouped = [[list(m), n] for m, n in rows.items()]
        digest = hashlib.sha256(canonical_json([channel, grouped]).encode("utf-8")).hexdigest()
        label = IMPORT_BATCH if channel is None and len(by_channel) == 1 else f"{IMPORT_BATCH}: {channel or 'no channel'}"
        out.append(ev.BallotsImported(label, IMPORT_BATCH, digest, "contest file", sum(rows.values()), grouped, channel))
    return out


def clean_name(value: str | None, what: str) -> str:
    """A person's or a batch's name as journaled: one line of plain text (see contest/names.py)."""
    text = (value or "").strip()
    if not text:
        raise AppError(f"a {what} is required; give it and try again")
    problem = name_problem(text, what)
    if problem:
        raise AppError(problem)
    return text


def required_text(value: str | None, what: str, limit: int = 2000) -> str:
    """A reason or note: required, plain text (line breaks allowed), at most `limit` characters."""
    text = (value or "").strip()
    if not text:
        raise AppError(f"a {what} is required; give it and try again")
    bad = name_problem(text.replace("\n", " "), what)
    if bad or len(text) > limit:
        raise AppError(bad or f"the {what} is longer than {limit} characters")
    return text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@contextmanager
def store_errors() -> Iterator[None]:
    try:
        yield
    except StoreError as exc:
        raise AppError(str(exc)) from None
