"""Current state = a replay of the journal: corrections append, nothing is deleted.

Pure and deterministic: the same events give the same state, on the officer's laptop, in the window,
and in an auditor's recount. `Replay.apply` dispatches on the typed body of each event
(store/events.py) and updates the state in place, so a session keeps one Replay and feeds it only
the events appended since it last looked.

Only agreed batches count: a batch agrees when its second entry matches its first paper by paper
(after corrections and resolved mismatches), or when it was entered as a single-entry batch (papers
imported from the contest file, say).

A meeting of several contests (posts) keeps one Replay per contest: `Meeting` routes each event to the
contest it names (its payload's "contest"; the first contest when it names none) and the meeting-wide
events (the contest's creation, a teller at the keyboard, a key pinned, a signed checkpoint, stations)
to every contest. A file of one contest is a Meeting of one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from opensel_desktop.contest.model import Channel, Contest
from opensel_desktop.store import events as ev
from opensel_desktop.store.contest_json import contest_from_data
from opensel_desktop.store.events import FIRST, SECOND, Body, Event

Marks = tuple[int, ...]
SIDES = (FIRST, SECOND)


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One paper where the two entries differ (None: that teller has no such paper)."""

    batch: str
    paper: int  # paper number within the batch; 0 for a bundle's totals
    first: Marks | None
    second: Marks | None
    first_rejected: str | None = None  # the heading, when that teller rejected the paper
    second_rejected: str | None = None


@dataclass(frozen=True, slots=True)
class PaperEntry:
    """One teller's entry of one paper of a batch, as it stands (the latest entry of that paper wins)."""

    number: int
    marks: Marks | None  # None when the teller rejected the paper
    rejected: str | None  # the heading it was rejected under
    teller: str
    corrected: bool  # a correction replaced the first keying
    seq: int  # the journal event that made this entry (0 inside a merged batch file)


@dataclass(frozen=True, slots=True)
class BatchStatus:
    label: str
    papers: int  # papers that count once agreed
    state: str  # "single" | "awaiting second entry" | "mismatched" | "agreed"
    mismatches: int
    bundle: bool
    tellers: tuple[str, ...]
    single_by: str = ""  # who decided the batch needs no second entry, when an officer did
    merged: bool = False  # came from a teller station's signed batch file

    @property
    def counts(self) -> bool:
        return self.state in ("single", "agreed")


@dataclass(slots=True)
class Batch:
    label: str
    single: bool = False
    papers: dict[str, dict[int, Marks]] = field(default_factory=lambda: {FIRST: {}, SECOND: {}})
    resolved: dict[int, Marks | None] = field(default_factory=dict)
    bundles: dict[str, tuple[Marks, int | None]] = field(default_factory=dict)  # side -> (counts, papers)
    bundle_resolved: tuple[Marks, int | None] | None = None
    tellers: dict[str, str] = field(default_factory=dict)  # side -> the teller who began it
    # papers a teller rejected while keying the batch: side -> paper -> heading. They take part in the
    # double-entry comparison like keyed papers, and count as rejected once the batch counts.
    rejections: dict[str, dict[int, str]] = field(default_factory=lambda: {FIRST: {}, SECOND: {}})
    resolved_rejections: dict[int, str] = field(default_factory=dict)  # resolved as rejected under a heading
    single_by: str = ""  # the officer who decided this batch needs no second entry (batch_single_entry)
    entries: dict[str, dict[int, PaperEntry]] = field(default_factory=lambda: {FIRST: {}, SECOND: {}})
    merged: bool = False  # its entries came from a station's batch file
    imported: dict[Marks, int] = field(default_factory=dict)  # papers of an imported ballot file, grouped
    import_events: list[ev.BallotsImported] = field(default_factory=list)
    withdrawn: set[int] = field(default_factory=set)  # papers the officer took back as keyed by mistake
    channel: str | None = None  # the voting channel its papers came through, when they were tagged

    @property
    def is_bundle(self) -> bool:
        return bool(self.bundles)

    def mismatches(self) -> list[Mismatch]:
        if self.is_bundle:
            if self.single or self.bundle_resolved is not None or SECOND not in self.bundles:
                return []
            a, b = self.bundles.get(FIRST), self.bundles[SECOND]
            return [] if a == b else [Mismatch(self.label, 0, a[0] if a else None, b[0])]
        if self.single or not (self.papers[SECOND] or self.rejections[SECOND]):
            return []
        out = []
        first, second = self.papers[FIRST], self.papers[SECOND]
        rej1, rej2 = self.rejections[FIRST], self.rejections[SECOND]
        for n in sorted(set(first) | set(second) | set(rej1) | set(rej2)):
            if n not in self.resolved and (first.get(n), rej1.get(n)) != (second.get(n), rej2.get(n)):
                out.append(Mismatch(self.label, n, first.get(n), second.get(n), rej1.get(n), rej2.get(n)))
        return out

    def status(self) -> BatchStatus:
        bad = len(self.mismatches())
        if self.single:
            state = "single"
        elif not (self.papers[SECOND] or SECOND in self.bundles or self.rejections[SECOND]):
            state = "awaiting second entry"
        else:
            state = "mismatched" if bad else "agreed"
        return BatchStatus(self.label, self.paper_count(), state, bad, self.is_bundle,
                           tuple(self.tellers[s] for s in SIDES if s in self.tellers), self.single_by, self.merged)

    def agreed_numbers(self) -> list[int]:
        """Numbers of the papers that count, in order (call only for a batch whose status counts)."""
        first = self.papers[FIRST]
        numbers = set(first) | set(self.resolved)
        if not self.single:
            numbers |= set(self.papers[SECOND])
        return [n for n in sorted(numbers) if (self.resolved[n] if n in self.resolved else first.get(n))]

    def agreed_papers(self) -> list[Marks]:
        """The papers as they count (call only for a batch whose status counts)."""
        if self.import_events:
            return [marks for marks, n in self.imported.items() for _ in range(n)]
        first = self.papers[FIRST]
        out = []
        for n in self.agreed_numbers():
            marks = self.resolved[n] if n in self.resolved else first.get(n)
            if marks:
                out.append(marks)
        return out

    def agreed_rejections(self) -> dict[int, str]:
        """Paper -> heading of the papers this batch rejects as it counts: the first entry's rejections
        unless the officer resolved the paper otherwise (call only for a batch whose status counts)."""
        out = {n: h for n, h in self.rejections[FIRST].items() if n not in self.resolved}
        out.update((n, h) for n, h in self.resolved_rejections.items() if self.resolved.get(n) is None)
        return out

    def agreed_bundle(self) -> tuple[Marks, int | None] | None:
        if self.bundle_resolved is not None:
            return self.bundle_resolved
        return self.bundles.get(FIRST)

    def paper_count(self) -> int:
        if self.import_events:
            return sum(self.imported.values())
        if self.is_bundle:
            b = self.agreed_bundle()
            if b is None:
                return 0
            return b[1] if b[1] is not None else 0
        return len(self.agreed_papers())

    def next_paper(self, side: str) -> int:
        return max([*self.papers[side], *self.rejections[side]], default=0) + 1

    def teller_of(self, side: str) -> str:
        return self.tellers.get(side, "")


@dataclass(frozen=True, slots=True)
class Stamp:
    """Where an event sits in the journal: what a sheet or signature cites."""

    seq: int
    hash: str
    prev: str
    at: str
    actor: str


@dataclass(slots=True)
class Replay:
    """Everything the journal says so far about one contest. Feed it events in order with `apply`."""

    key: str = ""  # the contest's name in a meeting of several ("" for the only contest)
    contest: Contest | None = None
    meeting: dict[str, Any] = field(default_factory=dict)  # the meeting's own settings (several contests)
    earlier: list[Replay] = field(default_factory=list)  # the contests counted before this one, in order
    contest_id: str = ""
    linked_to: dict[str, Any] | None = None
    station_pack: dict[str, Any] | None = None  # set in a teller station's own file
    pinned: ev.OfficerKeyPinned | None = None  # the returning officer's certificate, when pinned
    pinned_at: int = 0  # the event that pinned it
    pin_conflict: bool = False  # a second, different key was pinned (only a hand-made journal has that)
    batches: dict[str, Batch] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)  # not tied to a batch's paper; see rejected_counts()
    # journal seq -> the rejection it recorded, for those not (yet) withdrawn (withdrawals find them here)
    rejection_events: dict[int, ev.PaperRejected] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    lots: dict[str, ev.LotDrawn] = field(default_factory=dict)  # lot key -> how it was drawn
    provisional: ev.CountRun | ev.Recount | None = None  # the latest count_run / recount
    provisional_at: Stamp | None = None
    declared: ev.Declared | None = None
    declared_at: Stamp | None = None
    # (seq, kind) of events about this contest journaled after its declaration other than signatures: the app
    # never writes one (a declared contest is locked), so any is an edit made outside it
    after_declaration: list[tuple[int, str]] = field(default_factory=list)
    signatures: list[tuple[Stamp, ev.SignatureRecorded]] = field(default_factory=list)
    checkpoints: list[tuple[Stamp, ev.JournalSigned]] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)  # exhaustive ballot rounds entered at the meeting
    # trigger-ballot unit returns entered at the meeting, in journal order
    unit_returns: list[ev.UnitReturnEntered] = field(default_factory=list)
    # registered teller stations, batches issued to them ("station/label") and those merged back
    stations: dict[str, ev.StationRegistered] = field(default_factory=dict)
    issued_batches: list[str] = field(default_factory=list)
    returned_batches: set[str] = field(default_factory=set)
    merges: list[tuple[Stamp, ev.BatchMerged]] = field(default_factory=list)
    teller: str = ""
    events: int = 0
    head: str = ev.GENESIS

    def apply_all(self, events: Iterable[Event]) -> Replay:
        for e in events:
            self.apply(e)
        return self

    def apply(self, e: Event) -> None:
        """Apply one stored event (its body is read strictly: EventFormatError if it is not ours)."""
        self.apply_body(e, e.body)

    def apply_body(self, e: Event, body: Body) -> None:
        self._apply(body, e.actor, Stamp(e.seq, e.hash, e.prev, e.at, e.actor))
        self.note(e)

    def note(self, e: Event) -> None:
        """An event of the journal, whether or not it concerns this contest: the journal's head moves on."""
        self.events = e.seq
        self.head = e.hash

    def apply_entry(self, kind: str, data: Any, actor: str, batch: str, seq: int = 0) -> None:
        """Apply one entry of a station's batch file as if it had been keyed here under `batch`."""
        if kind not in ev.BATCH_ENTRY_KINDS:
            raise ev.EventFormatError(f"a batch file may not carry a {kind.replace('_', ' ')} entry")
        self._apply(ev.body_of(kind, data, batch), actor, Stamp(seq, "", "", "", actor), merged=True)

    def _apply(self, body: Body, actor: str, at: Stamp, merged: bool = False) -> None:
        if self.declared is not None and not merged and type(body) not in AFTER_DECLARATION and \
                (type(body) in SCOPED or (not self.key and type(body) in FIRST_ONLY)):
            self.after_declaration.append((at.seq, body.KIND))
        handler = _HANDLERS.get(type(body))
        if handler is not None:
            handler(self, body, actor, at, merged)

    # ---- one method per kind ---------------------------------------------------------------------

    def _contest_created(self, d: ev.ContestCreated, actor: str, at: Stamp, merged: bool) -> None:
        data = d.contest
        if d.contests:  # a meeting of several contests: this replay's own
            data = next((c for c in d.contests if isinstance(c, dict) and c.get("key", "") == self.key), d.contests[0])
            self.meeting = dict(d.meeting or {})
        self.contest = contest_from_data(data)
        self.contest_id = at.hash
        self.linked_to = d.linked_to
        self.station_pack = d.station_pack
        self.rejected = {h: int(n) for h, n in self.contest.rejected.items()}
        self.channels = {ch.name: ch for ch in self.contest.channels}

    def _officer_key_pinned(self, d: ev.OfficerKeyPinned, actor: str, at: Stamp, merged: bool) -> None:
        if self.pinned is None:
            self.pinned, self.pinned_at = d, at.seq
        elif self.pinned.fingerprint != d.fingerprint:
            self.pin_conflict = True

    def _paper(self, d: ev.PaperEntered | ev.PaperCorrected, actor: str, at: Stamp, merged: bool) -> None:
        b = self._batch(d.batch, merged)
        if isinstance(d, ev.PaperEntered):
            b.single = b.single or d.single
            b.channel = b.channel or d.channel
        b.tellers.setdefault(d.side, actor)
        b.papers[d.side][d.paper] = tuple(d.marks)
        corrected = isinstance(d, ev.PaperCorrected)
        b.entries[d.side][d.paper] = PaperEntry(d.paper, tuple(d.marks), None, actor, corrected, at.seq)
        # one entry per paper and side, the latest wins (the session refuses both at once; a batch file
        # merged without the rejection's withdrawal must still not count the paper twice)
        b.rejections[d.side].pop(d.paper, None)

    def _ballots_imported(self, d: ev.BallotsImported, actor: str, at: Stamp, merged: bool) -> None:
        b = self._batch(d.batch, merged)
        b.single = True
        b.single_by = b.single_by or actor
        b.channel = b.channel or d.channel
        b.tellers.setdefault(FIRST, actor)
        b.import_events.append(d)
        for marks, n in d.rows:
            key = tuple(marks)
            b.imported[key] = b.imported.get(key, 0) + n
        for heading, n in (d.rejected or {}).items():
            self.rejected[heading] = self.rejected.get(heading, 0) + int(n)

    def _bundle_total(self, d: ev.BundleTotal, actor: str, at: Stamp, merged: bool) -> None:
        b = self._batch(d.batch, merged)
        b.single = b.single or d.single
        b.channel = b.channel or d.channel
        b.tellers.setdefault(d.side, actor)
        b.bundles[d.side] = (tuple(d.counts), d.papers)

    def _mismatch_resolved(self, d: ev.MismatchResolved, actor: str, at: Stamp, merged: bool) -> None:
        b = self._batch(d.batch, merged)
        if d.counts is not None:
            b.bundle_resolved = (tuple(d.counts), d.papers)
            return
        assert d.paper is not None
        b.resolved[d.paper] = tuple(d.marks) if d.marks is not None else None
        if d.rejected:  # the physical paper is to be rejected under this heading
            b.resolved_rejections[d.paper] = d.rejected
        else:
            b.resolved_rejections.pop(d.paper, None)

    def _paper_withdrawn(self, d: ev.PaperWithdrawn, actor: str, at: Stamp, merged: bool) -> None:
        b = self._batch(d.batch, merged)
        b.resolved[d.paper] = None
        b.resolved_rejections.pop(d.paper, None)
        b.withdrawn.add(d.paper)

    def _paper_rejected(self, d: ev.PaperRejected, actor: str, at: Stamp, merged: bool) -> None:
        if d.in_batch:
            # a paper a teller rejected while keying: one entry of that teller's side of the batch
            assert d.side is not None and d.paper is not None
            b = self._batch(d.batch, merged)
            if d.single:
                b.single = True
            b.tellers.setdefault(d.side, actor)
            b.rejections[d.side][d.paper] = d.heading
            b.papers[d.side].pop(d.paper, None)  # the latest entry of the paper wins
            b.entries[d.side][d.paper] = PaperEntry(d.paper, None, d.heading, actor, False, at.seq)
        else:  # papers rejected by the officer outside any batch entry (and every rejection before sides)
            self.rejected[d.heading] = self.rejected.get(d.heading, 0) + d.count
        if at.seq and not merged:
            self.rejection_events[at.seq] = d

    def _batch_single_entry(self, d: ev.BatchSingleEntry, actor: str, at: Stamp, merged: bool) -> None:
        b = self._batch(d.batch, merged)  # the officer's decision, before any paper of the batch
        b.single, b.single_by = True, d.officer or actor

    def _rejection_withdrawn(self, d: ev.RejectionWithdrawn, actor: str, at: Stamp, merged: bool) -> None:
        if d.in_batch:
            assert d.side is not None and d.paper is not None
            b = self._batch(d.batch, merged)
            b.rejections[d.side].pop(d.paper, None)
            b.entries[d.side].pop(d.paper, None)  # the paper is keyed again (the journal keeps both)
            # matched by batch, paper and side: event numbers differ once a station's batch is merged
            for seq, r in list(self.rejection_events.items()):
                if (r.batch, r.paper, r.side) == (d.batch, d.paper, d.side):
                    del self.rejection_events[seq]
                    break
            return
        gone = self.rejection_events.pop(d.event, None) if d.event is not None else None
        if gone is not None:
            left = self.rejected.get(gone.heading, 0) - gone.count
            if left > 0:
                self.rejected[gone.heading] = left
            else:
                self.rejected.pop(gone.heading, None)

    def _account_figures(self, d: ev.AccountFigures, actor: str, at: Stamp, merged: bool) -> None:
        self.channels[d.channel] = Channel(d.channel, d.issued, d.spoilt, d.unused, d.returned,
                                           explanation=d.explanation or "")

    def _lot_drawn(self, d: ev.LotDrawn, actor: str, at: Stamp, merged: bool) -> None:
        self.lots[d.key] = d

    def _count_run(self, d: ev.CountRun | ev.Recount, actor: str, at: Stamp, merged: bool) -> None:
        self.provisional, self.provisional_at = d, at

    def _declared(self, d: ev.Declared, actor: str, at: Stamp, merged: bool) -> None:
        self.declared, self.declared_at = d, at

    def _signature_recorded(self, d: ev.SignatureRecorded, actor: str, at: Stamp, merged: bool) -> None:
        self.signatures.append((at, d))

    def _journal_signed(self, d: ev.JournalSigned, actor: str, at: Stamp, merged: bool) -> None:
        self.checkpoints.append((at, d))

    def _round_entered(self, d: ev.RoundEntered, actor: str, at: Stamp, merged: bool) -> None:
        self.rounds.append(d.round)

    def _unit_return_entered(self, d: ev.UnitReturnEntered, actor: str, at: Stamp, merged: bool) -> None:
        self.unit_returns.append(d)

    def _teller_switched(self, d: ev.TellerSwitched, actor: str, at: Stamp, merged: bool) -> None:
        self.teller = d.teller or actor

    def _station_registered(self, d: ev.StationRegistered, actor: str, at: Stamp, merged: bool) -> None:
        self.stations[d.station] = d
        self.issued_batches.extend(f"{d.station}/{b['label']}" for b in d.batches)

    def _batch_merged(self, d: ev.BatchMerged, actor: str, at: Stamp, merged: bool) -> None:
        self.returned_batches.add(f"{d.station}/{d.batch}")
        self.merges.append((at, d))
        for inner in d.entries:
            self.apply_entry(inner["kind"], inner["data"], inner.get("actor", actor), inner.get("batch", d.label))

    # ---- reading ---------------------------------------------------------------------------------

    def _batch(self, label: str, merged: bool = False) -> Batch:
        b = self.batches.get(label)
        if b is None:
            b = self.batches[label] = Batch(label, merged=merged)
        return b

    def batch(self, label: str) -> Batch:
        return self._batch(label)

    def counting_batches(self) -> list[Batch]:
        return [b for b in self.batches.values() if b.status().counts]

    def rankings(self) -> dict[Marks, int]:
        """Agreed papers grouped: marks -> number of papers (bundle totals become single marks)."""
        grouped: dict[Marks, int] = {}
        for b in self.counting_batches():
            if b.import_events:
                for marks, n in b.imported.items():
                    grouped[marks] = grouped.get(marks, 0) + n
            elif b.is_bundle:
                bundle = b.agreed_bundle()
                if bundle is not None:
                    for c, n in enumerate(bundle[0]):
                        if n:
                            grouped[(c,)] = grouped.get((c,), 0) + int(n)
            else:
                for marks in b.agreed_papers():
                    grouped[marks] = grouped.get(marks, 0) + 1
        return grouped

    def rejected_counts(self) -> dict[str, int]:
        """Rejected papers by heading as they count now: the officer's (and the contest file's), plus
        the rejections of every batch that counts (agreed or single-entry)."""
        out = dict(self.rejected)
        for b in self.counting_batches():
            if not b.is_bundle:
                for heading in b.agreed_rejections().values():
                    out[heading] = out.get(heading, 0) + 1
        return out

    def papers_counted(self) -> int:
        return sum(b.paper_count() for b in self.counting_batches())

    def outstanding_batches(self) -> list[str]:
        """Batches issued to a teller station ("station/label") whose batch file is not merged yet."""
        return [label for label in self.issued_batches if label not in self.returned_batches]

    @property
    def state(self) -> str:
        """"entering", "counted" (a provisional result is journaled) or "declared" (locked)."""
        if self.declared is not None:
            return "declared"
        return "counted" if self.provisional is not None else "entering"


_HANDLERS: dict[type[Body], Callable[[Replay, Any, str, Stamp, bool], None]] = {
    ev.ContestCreated: Replay._contest_created,
    ev.OfficerKeyPinned: Replay._officer_key_pinned,
    ev.PaperEntered: Replay._paper,
    ev.BallotsImported: Replay._ballots_imported,
    ev.PaperCorrected: Replay._paper,
    ev.PaperWithdrawn: Replay._paper_withdrawn,
    ev.BundleTotal: Replay._bundle_total,
    ev.MismatchResolved: Replay._mismatch_resolved,
    ev.PaperRejected: Replay._paper_rejected,
    ev.BatchSingleEntry: Replay._batch_single_entry,
    ev.RejectionWithdrawn: Replay._rejection_withdrawn,
    ev.AccountFigures: Replay._account_figures,
    ev.LotDrawn: Replay._lot_drawn,
    ev.CountRun: Replay._count_run,
    ev.Recount: Replay._count_run,
    ev.Declared: Replay._declared,
    ev.SignatureRecorded: Replay._signature_recorded,
    ev.JournalSigned: Replay._journal_signed,
    ev.RoundEntered: Replay._round_entered,
    ev.UnitReturnEntered: Replay._unit_return_entered,
    ev.TellerSwitched: Replay._teller_switched,
    ev.StationRegistered: Replay._station_registered,
    ev.BatchMerged: Replay._batch_merged,
}
assert set(_HANDLERS) == set(ev.BODIES.values()), "every kind of event needs its case in the replay"


SCOPED = frozenset(cls for cls in ev.BODIES.values() if "contest" in getattr(cls, "__dataclass_fields__", {})
                   and cls is not ev.ContestCreated)
# teller stations serve the first contest of a meeting (a station's pack carries one contest)
FIRST_ONLY = frozenset({ev.StationRegistered, ev.BatchMerged})
# what a declared contest still takes: the signatures of its sheets and of the journal, the key that signs them
AFTER_DECLARATION = frozenset({ev.SignatureRecorded, ev.JournalSigned, ev.OfficerKeyPinned, ev.TellerSwitched})


@dataclass(slots=True)
class Meeting:
    """The read model of a whole file: one Replay per contest, in counting order."""

    replays: dict[str, Replay] = field(default_factory=lambda: {"": Replay()})
    events: int = 0
    head: str = ev.GENESIS

    @property
    def keys(self) -> list[str]:
        return list(self.replays)

    @property
    def first(self) -> Replay:
        return next(iter(self.replays.values()))

    def apply_all(self, events: Iterable[Event]) -> Meeting:
        for e in events:
            self.apply(e)
        return self

    def apply(self, e: Event) -> None:
        body = e.body
        if isinstance(body, ev.ContestCreated) and body.contests:
            order = [str(c.get("key", "")) for c in body.contests if isinstance(c, dict)]
            if len(set(order)) != len(order) or "" in order:
                raise ev.EventFormatError("the meeting's contests are not each named once")
            self.replays = {k: Replay(key=k) for k in order}
            done: list[Replay] = []
            for r in self.replays.values():
                r.earlier = list(done)
                done.append(r)
        if type(body) in SCOPED or type(body) in FIRST_ONLY:
            name = getattr(body, "contest", "") if type(body) in SCOPED else ""
            target = self.replays.get(name or self.keys[0])
            if target is None:
                raise ev.EventFormatError(f"an event names a contest this meeting does not hold ({name!r})")
            target.apply_body(e, body)
            for r in self.replays.values():
                if r is not target:
                    r.note(e)
        else:
            for r in self.replays.values():
                r.apply_body(e, body)
        self.events, self.head = e.seq, e.hash
