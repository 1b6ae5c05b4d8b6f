"""Current state = a replay of the journal (issue 4: corrections append, nothing is deleted).

Pure and deterministic: the same events give the same state, on the officer's laptop, in the GUI,
and in an auditor's recount. Only agreed batches count (UX.md principle 4): a batch agrees when
its second entry matches its first paper by paper (after corrections and resolved mismatches),
or when it was entered as a single-entry batch (papers imported from the contest file, say).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from opensel_desktop.contest.model import Channel, Contest
from opensel_desktop.store import events as ev
from opensel_desktop.store.contest_json import contest_from_data
from opensel_desktop.store.events import Event

FIRST, SECOND = "first", "second"
Marks = tuple[int, ...]


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
class BatchStatus:
    label: str
    papers: int  # papers that count once agreed
    state: str  # "single" | "awaiting second entry" | "mismatched" | "agreed"
    mismatches: int
    bundle: bool
    tellers: tuple[str, ...]
    single_by: str = ""  # who decided the batch needs no second entry, when an officer did

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
    tellers: dict[str, str] = field(default_factory=dict)
    # papers a teller rejected while keying the batch: side -> paper -> heading. They take part in the
    # double-entry comparison like keyed papers, and count as rejected once the batch counts.
    rejections: dict[str, dict[int, str]] = field(default_factory=lambda: {FIRST: {}, SECOND: {}})
    resolved_rejections: dict[int, str] = field(default_factory=dict)  # resolved as rejected under a heading
    single_by: str = ""  # the officer who decided this batch needs no second entry (batch_single_entry)

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
                           tuple(self.tellers[s] for s in (FIRST, SECOND) if s in self.tellers), self.single_by)

    def agreed_papers(self) -> list[Marks]:
        """The papers as they count (call only for a batch whose status counts)."""
        first = self.papers[FIRST]
        numbers = sorted(set(first) | set(self.resolved)) if self.single else \
            sorted(set(first) | set(self.papers[SECOND]) | set(self.resolved))
        out = []
        for n in numbers:
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
        if self.is_bundle:
            b = self.agreed_bundle()
            if b is None:
                return 0
            return b[1] if b[1] is not None else 0
        return len(self.agreed_papers())

    def next_paper(self, side: str) -> int:
        return max([*self.papers[side], *self.rejections[side]], default=0) + 1


@dataclass(slots=True)
class Replay:
    """Everything the journal says so far. Feed it events in order with `apply`."""

    contest: Contest | None = None
    contest_id: str = ""
    linked_to: dict[str, Any] | None = None
    station_pack: dict[str, Any] | None = None  # issue 12: set in a teller station's own file
    batches: dict[str, Batch] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)  # not tied to a batch's paper; see rejected_counts()
    # journal seq -> the rejection it recorded, for those not (yet) withdrawn (correct_rejection finds them here)
    rejection_events: dict[int, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    lots: dict[str, dict[str, Any]] = field(default_factory=dict)  # lot key -> lot_drawn payload
    provisional: dict[str, Any] | None = None  # the latest count_run / recount payload
    declared: dict[str, Any] | None = None
    signatures: list[dict[str, Any]] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)  # exhaustive ballot rounds entered at the meeting
    # issue 9: trigger-ballot unit returns entered at the meeting, in journal order: {class, unit, return}
    unit_returns: list[dict[str, Any]] = field(default_factory=list)
    # issue 12: registered teller stations, batches issued to them ("station/label") and those merged back
    stations: list[str] = field(default_factory=list)
    issued_batches: list[str] = field(default_factory=list)
    returned_batches: set[str] = field(default_factory=set)
    teller: str = ""
    events: int = 0

    def apply_all(self, events: Iterable[Event]) -> Replay:
        for e in events:
            self.apply(e)
        return self

    def apply(self, e: Event) -> None:
        self.events = e.seq
        self._apply(e.kind, e.actor, e.batch, e.data, e)

    def _apply(self, kind: str, actor: str, batch: str, d: dict[str, Any], e: Event | None = None) -> None:
        if kind == ev.CONTEST_CREATED:
            self.contest = contest_from_data(d["contest"])
            self.contest_id = e.hash if e is not None else ""
            self.linked_to = d.get("linked_to")
            self.station_pack = d.get("station_pack")
            self.rejected = {h: int(n) for h, n in self.contest.rejected.items()}
            self.channels = {ch.name: ch for ch in self.contest.channels}
        elif kind in (ev.PAPER_ENTERED, ev.PAPER_CORRECTED):
            b = self.batch(batch)
            side = d.get("side", FIRST)
            if d.get("single"):
                b.single = True
            b.tellers.setdefault(side, actor)
            b.papers[side][int(d["paper"])] = tuple(d["marks"])
            # one entry per paper and side, the latest wins (the session refuses both at once; a batch file
            # merged without the rejection's withdrawal must still not count the paper twice)
            b.rejections[side].pop(int(d["paper"]), None)
        elif kind == ev.BUNDLE_TOTAL:
            b = self.batch(batch)
            side = d.get("side", FIRST)
            if d.get("single"):
                b.single = True
            b.tellers.setdefault(side, actor)
            b.bundles[side] = (tuple(d["counts"]), d.get("papers"))
        elif kind == ev.MISMATCH_RESOLVED:
            b = self.batch(batch)
            if "counts" in d:
                b.bundle_resolved = (tuple(d["counts"]), d.get("papers"))
            else:
                b.resolved[int(d["paper"])] = tuple(d["marks"]) if d.get("marks") is not None else None
                if d.get("rejected"):  # the physical paper is to be rejected under this heading
                    b.resolved_rejections[int(d["paper"])] = d["rejected"]
                else:
                    b.resolved_rejections.pop(int(d["paper"]), None)
        elif kind == ev.PAPER_REJECTED:
            record = {"heading": d["heading"], "count": int(d.get("count", 1)), "batch": batch,
                      "paper": d.get("paper"), "side": d.get("side")}
            if _in_batch(d, batch):
                # a paper a teller rejected while keying: one entry of that teller's side of the batch
                b = self.batch(batch)
                if d.get("single"):
                    b.single = True
                b.tellers.setdefault(d["side"], actor)
                b.rejections[d["side"]][int(d["paper"])] = d["heading"]
                b.papers[d["side"]].pop(int(d["paper"]), None)  # the latest entry of the paper wins
            else:  # papers rejected by the officer outside any batch entry (and every rejection before sides)
                self.rejected[d["heading"]] = self.rejected.get(d["heading"], 0) + record["count"]
            if e is not None:
                self.rejection_events[e.seq] = record
        elif kind == ev.BATCH_SINGLE_ENTRY:  # the officer's decision, before any paper of the batch
            b = self.batch(batch)
            b.single, b.single_by = True, d.get("officer") or actor
        elif kind == ev.REJECTION_WITHDRAWN:
            if _in_batch(d, batch):
                paper = int(d["paper"])
                self.batch(batch).rejections[d["side"]].pop(paper, None)
                # matched by batch, paper and side: event numbers differ once a station's batch is merged
                for seq, r in list(self.rejection_events.items()):
                    if (r.get("batch"), r.get("paper"), r.get("side")) == (batch, paper, d["side"]):
                        del self.rejection_events[seq]
                        break
                return
            gone = self.rejection_events.pop(d["event"], None) if d.get("event") is not None else None
            if gone is not None:
                left = self.rejected.get(gone["heading"], 0) - gone["count"]
                if left > 0:
                    self.rejected[gone["heading"]] = left
                else:
                    self.rejected.pop(gone["heading"], None)
        elif kind == ev.ACCOUNT_FIGURES:
            self.channels[d["channel"]] = Channel(d["channel"], int(d["issued"]), int(d["spoilt"]),
                                                  int(d["unused"]), d.get("returned"),
                                                  explanation=d.get("explanation") or "")
        elif kind == ev.LOT_DRAWN:
            self.lots[d["key"]] = d
        elif kind in (ev.COUNT_RUN, ev.RECOUNT):
            self.provisional = d
        elif kind == ev.DECLARED:
            self.declared = d
        elif kind == ev.SIGNATURE_RECORDED:
            self.signatures.append(d)
        elif kind == ev.ROUND_ENTERED:
            self.rounds.append(d["round"])
        elif kind == ev.UNIT_RETURN_ENTERED:
            r = dict(d["return"])
            figures = [r.get(k) for k in ("for", "against", "abstain")]
            # only a hand-made journal has anything else (the session validates each return it journals)
            if r.get("decision") not in ("yes", "no", "none") or \
                    any(n is not None and (type(n) is not int or n < 0) for n in figures):
                raise ValueError(f"event {e.seq if e else '?'} is not a valid unit return")
            self.unit_returns.append({"class": str(d["class"]), "unit": str(d["unit"]), "return": r})
        elif kind == ev.TELLER_SWITCHED:
            self.teller = d.get("teller", actor)
        elif kind == ev.STATION_REGISTERED:
            self.stations.append(d["station"])
            self.issued_batches.extend(f"{d['station']}/{b['label']}" for b in d.get("batches", ()))
        elif kind == ev.BATCH_MERGED:
            # issue 12: a station's batch file, its entries carried inside this one event
            self.returned_batches.add(f"{d.get('station')}/{d.get('batch')}")
            for inner in d.get("entries", ()):
                self._apply(inner["kind"], inner.get("actor", actor), inner.get("batch", batch), inner["data"])

    def batch(self, label: str) -> Batch:
        if label not in self.batches:
            self.batches[label] = Batch(label)
        return self.batches[label]

    def counting_batches(self) -> list[Batch]:
        return [b for b in self.batches.values() if b.status().counts]

    def rankings(self) -> dict[Marks, int]:
        """Agreed papers grouped: marks -> number of papers (bundle totals become single marks)."""
        grouped: dict[Marks, int] = {}
        for b in self.counting_batches():
            if b.is_bundle:
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


def _in_batch(d: dict[str, Any], batch: str) -> bool:
    """A rejection (or its withdrawal) that is one teller's entry of a paper of a batch."""
    return d.get("side") in (FIRST, SECOND) and bool(batch) and d.get("paper") is not None
