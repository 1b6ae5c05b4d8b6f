"""The meeting's use-cases, shared by the CLI and the GUI: one open .osel and what may be done to it.

Every write is one journal transaction (durable when the call returns, STYLE.md habit 7) and returns
a `Changes` record (habit 3). Every read is a replay of the journal (issue 4): corrections append,
nothing is deleted. Nothing here asks a person anything: a tie that needs a lot comes back as
`NeedsLot`, an account that does not balance as an `AppError` (habit 4). docs/app-api.md describes
this module for the GUI.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opensel_desktop import __version__
from opensel_desktop.app import changes as ch
from opensel_desktop.app.changes import Changes
from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.account import BallotPaperAccount, account_of
from opensel_desktop.contest.model import BallotSpec, Contest
from opensel_desktop.contest.result_io import result_json
from opensel_desktop.engine import Ballots, NeedsLot, Result, count, rule_info
from opensel_desktop.engine.errors import CountError, LotRequest
from opensel_desktop.engine.rules import trigger as trigger_rule
from opensel_desktop.engine.ties import SeededLots, chain_ties, lot_key
from opensel_desktop.store import events as ev
from opensel_desktop.store.contest_json import contest_to_data
from opensel_desktop.store.events import Event
from opensel_desktop.store.journal import ChainReport, Draft, Journal, verify_events, verify_tail
from opensel_desktop.store.osel import StoreError
from opensel_desktop.store.replay import FIRST, SECOND, BatchStatus, Marks, Mismatch, Replay

MAIN_STATION = "main"
IMPORT_BATCH = "contest file"  # papers given in the contest file: one single-entry batch


class JournalBroken(AppError):
    """The journal does not verify from its very first event: there is no contest to open at all."""

    def __init__(self, message: str, chain: ChainReport):
        super().__init__(message)
        self.chain = chain


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def result_digest(result: Result) -> str:
    """SHA-256 of the canonical result JSON (CONTRACT.md: sorted keys, no spaces, UTF-8)."""
    return hashlib.sha256(result_json(result).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Account:
    """The ballot paper account of the meeting so far (DOMAIN.md 2.2).

    `statement` is the same `contest.account.BallotPaperAccount` the contest-file count and the
    sheets use (so screen and paper agree); `pending` and the bundle checks are what only a live
    meeting has. The account is acceptable when it reconciles, or every variance is explained.
    """

    statement: BallotPaperAccount
    pending: tuple[str, ...]  # batches entered but not yet agreed (they do not count)
    problems: tuple[str, ...]  # one sentence each; empty when acceptable
    # issue 12: batches issued to a teller station ("station/label") whose batch file is not merged yet
    outstanding: tuple[str, ...] = ()
    # X-vote bundles that count: the papers in them (part of `counted`) and the votes on those papers.
    # The account compares papers; the count adds votes (a block paper carries up to one per place).
    bundle_papers: int = 0
    bundle_votes: int = 0

    @property
    def counted(self) -> int:
        return self.statement.counted or 0

    @property
    def rejected(self) -> dict[str, int]:
        return dict(self.statement.rejected)

    @property
    def reconciles(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        out = self.statement.lines()
        if self.bundle_papers or self.bundle_votes:
            out.append(f"Bundle totals: {self.bundle_papers} papers carrying {self.bundle_votes} votes (the account "
                       "counts papers; the count adds up votes).")
        out.extend(f"Batch {label} is not agreed yet and is not counted." for label in self.pending)
        return out


@dataclass(frozen=True, slots=True)
class TriggerStatus:
    """A trigger ballot as it stands (issue 9): the contest file's returns plus every one entered since,
    tallied by the rule set (engine/rules/trigger.py); what the CLI prints and the GUI shows live."""

    spec: trigger_rule.TriggerSpec
    triggered: bool
    tallies: tuple[trigger_rule.ClassTally, ...]

    def more_needed(self, t: trigger_rule.ClassTally) -> int | None:
        """Further yes returns (from units yet to return) that would meet the class's threshold; None if
        the units yet to return cannot reach it (only a changed return could)."""
        for k in range(t.not_voted + 1):
            denom = t.denominator + k if self.spec.denominator == "voting" else t.denominator
            if denom and t.yes + k >= trigger_rule.needed_for(t.threshold, denom):
                return k
        return None

    def lines(self) -> list[str]:
        out = [trigger_rule.class_sentence(t, self.spec.denominator) + "." for t in self.tallies]
        if self.triggered:
            out.append(f"Threshold met under {self.spec.version}: a full selection is triggered.")
            return out
        gaps = []
        for t in self.tallies:
            k = self.more_needed(t)
            gaps.append(f"{t.name} needs {k} more yes return{'s' if k != 1 else ''}" if k is not None else
                        f"{t.name} cannot reach it with the {t.not_voted} unit(s) yet to return")
        joined = "; ".join(gaps)
        out.append(f"Threshold not met under {self.spec.version} (combine: {self.spec.combine}): no "
                   f"selection is triggered so far; {joined}.")
        return out


class Session:
    """One open saved contest. Use `Session.create` or `Session.open`; close it (or use `with`)."""

    def __init__(self, journal: Journal, actor: str, station: str, clock: Callable[[], str]):
        self.journal = journal
        self.path = journal.path
        self.actor = actor
        self.station = station
        self.clock = clock
        self.replay = Replay()
        self.chain: ChainReport = ChainReport(True, 0, ev.GENESIS)
        self._seen = -1  # PRAGMA data_version when we last read the journal

    # ---- opening -------------------------------------------------------------------------------

    @classmethod
    def create(cls, contest: Contest, path: str | Path, officer: str, *, station: str = MAIN_STATION,
               clock: Callable[[], str] = utc_now, linked_to: dict[str, Any] | None = None,
               station_pack: dict[str, Any] | None = None) -> Session:
        """Create a new .osel from a validated contest; never overwrites. The contest file's papers are
        imported as one single-entry batch attributed to the officer, in the same transaction."""
        officer = _name(officer, "officer", path)
        at = clock()
        data = {"contest": contest_to_data(contest), "app_version": __version__, "linked_to": linked_to}
        if station_pack is not None:  # issue 12: a teller station's own file (app/stations.py)
            data["station_pack"] = station_pack
        drafts = [Draft(ev.CONTEST_CREATED, officer, station, "", at, data)]
        paper = 0
        for spec in contest.ballots:
            for _ in range(spec.count):
                paper += 1
                data = {"paper": paper, "marks": list(spec.marks), "side": FIRST, "single": True}
                if spec.channel is not None:  # so the sheets can state each channel's valid papers
                    data["channel"] = spec.channel
                drafts.append(Draft(ev.PAPER_ENTERED, officer, station, IMPORT_BATCH, at, data))
        with _store_errors():
            journal = Journal.create(path, drafts)
        session = cls(journal, officer, station, clock)
        session._sync()
        return session

    @classmethod
    def open(cls, path: str | Path, actor: str, readonly: bool = False, *, station: str = MAIN_STATION,
             clock: Callable[[], str] = utc_now) -> Session:
        """Open a saved contest. Writable opens refuse a journal that does not verify; read-only opens
        (auditor) never write and keep the chain report in `session.chain`."""
        with _store_errors():
            journal = Journal.open(path, readonly=readonly)
        session = cls(journal, actor or "auditor", station, clock)
        try:
            session._sync(full=True)
        except BaseException:
            journal.close()
            raise
        pack = session.replay.station_pack
        if station == MAIN_STATION and pack:  # a station file journals under its own station name
            session.station = str(pack.get("station") or MAIN_STATION)
        if not readonly and not session.chain.ok:
            journal.close()
            raise AppError(f"{path}: {session.chain.message[:1].upper()}{session.chain.message[1:]} "
                           "Nothing more can be added to it; inspect it with `opensel audit`.")
        return session

    def require_verified(self) -> None:
        """For views that show what the journal says (diff, account, export): refuse an edited file."""
        if not self.chain.ok:
            raise AppError(f"{self.path}: {self.chain.message[:1].upper()}{self.chain.message[1:].rstrip('.')}; "
                           "nothing shown from it can be trusted: inspect it with `opensel audit`.")

    def close(self) -> None:
        self.journal.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reading -------------------------------------------------------------------------------

    @property
    def readonly(self) -> bool:
        return self.journal.readonly

    @property
    def contest(self) -> Contest:
        assert self.replay.contest is not None
        return self.replay.contest

    @property
    def contest_id(self) -> str:
        return self.replay.contest_id

    @property
    def head_hash(self) -> str:
        """Hash of the last event: what result sheets and signatures cite."""
        return self.chain.head

    @property
    def state(self) -> str:
        """"entering", "counted" (a provisional result is journaled) or "declared" (locked)."""
        self._sync()
        if self.replay.declared is not None:
            return "declared"
        return "counted" if self.replay.provisional is not None else "entering"

    @property
    def declared(self) -> dict[str, Any] | None:
        self._sync()
        return self.replay.declared

    @property
    def provisional(self) -> dict[str, Any] | None:
        self._sync()
        return self.replay.provisional

    def events(self) -> tuple[Event, ...]:
        with _store_errors():
            return tuple(self.journal.events())

    def verify(self) -> ChainReport:
        """Re-read the whole file and check the chain; names the first event that does not verify."""
        with _store_errors():
            return self.journal.verify()

    def batches(self) -> tuple[BatchStatus, ...]:
        self._sync()
        return tuple(b.status() for b in self.replay.batches.values())

    def diff(self, batch: str) -> tuple[Mismatch, ...]:
        """Paper-by-paper differences between the first and second entry of a batch."""
        self._sync()
        if batch not in self.replay.batches:
            raise AppError(f"{self.path}: there is no batch {batch!r}; batches: {self._batch_list()}.")
        return tuple(self.replay.batches[batch].mismatches())

    def ballots(self) -> Ballots:
        """The papers that count now: agreed batches only, grouped."""
        self._sync()
        return Ballots.from_rankings(self.replay.rankings().items())

    def rejected(self) -> dict[str, int]:
        """Rejected papers by heading as they count now (a batch's own rejections once it counts)."""
        self._sync()
        return self.replay.rejected_counts()

    def lots(self) -> dict[str, dict[str, Any]]:
        self._sync()
        return dict(self.replay.lots)

    def account(self) -> Account:
        self._sync()
        r = self.replay
        rejected = r.rejected_counts()
        contest = replace(self.contest, channels=tuple(r.channels.values()), rejected=rejected)
        statement = account_of(contest, counted={None: r.papers_counted()}, rejected=rejected)
        pending = tuple(b.label for b in r.batches.values() if not b.status().counts)
        problems: list[str] = []
        if not (statement.reconciles or statement.explained):
            problems.extend(statement.problems())
        problems.extend(f"batch {label} is not agreed yet ({r.batches[label].status().state})." for label in pending)
        for b in r.counting_batches():
            if b.is_bundle and (b.agreed_bundle() or ((), None))[1] is None:
                problems.append(f"batch {b.label}: the number of papers in the bundle is not recorded.")
        bundle_papers, bundle_votes = self._bundle_figures()
        outstanding = tuple(r.outstanding_batches())
        problems.extend(f"batch {label} was issued to station {label.split('/')[0]} and is not returned yet "
                        "(merge its batch file with `opensel merge`)." for label in outstanding)
        return Account(statement, pending, tuple(problems), outstanding, bundle_papers, bundle_votes)

    # ---- entering ------------------------------------------------------------------------------

    def enter_paper(self, marks: Sequence[int], teller: str | None = None, batch: str = "1",
                    seq: int | None = None, second: bool = False, single: bool = False) -> Changes:
        """Journal one paper: a ranking (candidate indices, first preference first) or X-votes.

        `seq` is the paper's number within the batch (next free number if None); `second` marks the
        second teller's independent entry of the same batch; `single` declares a batch that needs no
        second entry (the officer's decision, recorded on every paper of it)."""
        self._writable()
        side = SECOND if second else FIRST
        batch = _label(batch, self.path)
        b = self.replay.batches.get(batch)
        if b is not None and b.is_bundle:
            raise AppError(f"{self.path}: batch {batch} holds bundle totals; enter papers in another batch.")
        if second and (single or (b is not None and b.single)):
            raise AppError(f"{self.path}: batch {batch} is a single-entry batch; it takes no second entry.")
        if b is not None and not second and not single and b.single:
            single = True
        paper = seq if seq is not None else (b.next_paper(side) if b else 1)
        if paper < 1:
            raise AppError(f"{self.path}: paper numbers start at 1.")
        if b is not None and paper in b.papers[side]:
            raise AppError(f"{self.path}: paper {paper} of batch {batch} is already entered; "
                           "correct it instead of entering it again.")
        if b is not None and paper in b.rejections[side]:
            raise AppError(f"{self.path}: paper {paper} of batch {batch} is recorded as rejected "
                           f"({b.rejections[side][paper]}); withdraw that rejection first if it was wrong.")
        clean = self.check_marks(marks)
        data = {"paper": paper, "marks": list(clean), "side": side, "single": single}
        return self._write([(ev.PAPER_ENTERED, teller, batch, data)], {ch.PAPERS}, batch, paper,
                           f"Paper {paper} of batch {batch} saved.")

    def single_entry_batch(self, batch: str, officer: str, reason: str) -> Changes:
        """Journal the officer's decision that a batch of papers is keyed once, with no second entry
        (UX.md principle 4 makes double entry the default; this is the recorded exception). Made
        before its papers are keyed; refused once a second entry of it has begun."""
        self._writable()
        batch = _label(batch, self.path)
        officer = _name(officer, "officer", self.path)
        reason = _required(reason, "reason for keying the batch only once", self.path)
        b = self.replay.batches.get(batch)
        if b is not None and b.single:
            raise AppError(f"{self.path}: batch {batch} is already a single-entry batch.")
        if b is not None and (b.papers[SECOND] or b.rejections[SECOND] or SECOND in b.bundles):
            raise AppError(f"{self.path}: batch {batch} already has a second entry; finish comparing it instead.")
        return self._write([(ev.BATCH_SINGLE_ENTRY, officer, batch, {"officer": officer, "reason": reason})],
                           {ch.PAPERS}, batch, None, f"Batch {batch} is keyed once (single entry), decided by "
                           f"{officer}.")

    def correct_paper(self, batch: str, paper: int, marks: Sequence[int], reason: str, teller: str | None = None,
                      second: bool = False) -> Changes:
        """Append a correction of one teller's entry of a paper; the old entry stays in the journal."""
        self._writable()
        side = SECOND if second else FIRST
        b = self._batch(batch)
        if paper not in b.papers[side]:
            raise AppError(f"{self.path}: batch {batch} has no paper {paper} in the {side} entry to correct.")
        reason = _required(reason, "reason for the correction", self.path)
        data = {"paper": paper, "marks": list(self.check_marks(marks)), "side": side, "reason": reason}
        return self._write([(ev.PAPER_CORRECTED, teller, batch, data)], {ch.PAPERS}, batch, paper,
                           f"Correction of paper {paper} of batch {batch} saved.")

    def enter_bundle(self, batch: str, counts: Mapping[str | int, int], teller: str | None = None,
                     second: bool = False, papers: int | None = None, single: bool = False) -> Changes:
        """Journal one bundle's totals of X-votes per candidate (names or indices -> votes)."""
        self._writable()
        side = SECOND if second else FIRST
        batch = _label(batch, self.path)
        b = self.replay.batches.get(batch)
        if b is not None and not b.is_bundle and (b.papers[FIRST] or b.papers[SECOND]):
            raise AppError(f"{self.path}: batch {batch} holds single papers; put bundle totals in another batch.")
        if b is not None and side in b.bundles:
            raise AppError(f"{self.path}: the {side} entry of bundle {batch} is already recorded",
                           hint_cli="resolve a difference with `opensel diff --resolve`.",
                           hint_gui="if the entries differ, the returning officer records the true totals "
                                    "in the bundle comparison (Ctrl+R).")
        totals = self._totals(counts)
        if papers is None and self.contest.rule == "fptp":
            papers = sum(totals)  # one X per paper
        if papers is not None and papers < 0:
            raise AppError(f"{self.path}: the number of papers cannot be negative.")
        self._check_bundle(batch, totals, papers)
        data = {"counts": list(totals), "papers": papers, "side": side, "single": single}
        return self._write([(ev.BUNDLE_TOTAL, teller, batch, data)], {ch.BUNDLES, ch.PAPERS}, batch, None,
                           f"Bundle totals of batch {batch} saved.")

    def resolve_mismatch(self, batch: str, paper: int, marks: Sequence[int] | None, reason: str,
                         officer: str | None = None, rejected: str | None = None) -> Changes:
        """Record what a paper really says after looking at it (None: there is no such paper), or
        that it is rejected under the heading `rejected` (then `marks` must be None)."""
        self._writable()
        b = self._batch(batch)
        if all(paper not in entries for entries in (*b.papers.values(), *b.rejections.values())):
            raise AppError(f"{self.path}: batch {batch} has no paper {paper}.")
        reason = _required(reason, "reason", self.path)
        data: dict[str, Any] = {"paper": paper, "marks": None, "reason": reason}
        if rejected is not None:
            if marks is not None:
                raise AppError(f"{self.path}: a paper is either rejected or counted; give its marks or a "
                               "rejection heading, not both.")
            data["rejected"] = self._heading(rejected)
        elif marks is not None:
            data["marks"] = list(self.check_marks(marks))
        return self._write([(ev.MISMATCH_RESOLVED, officer, batch, data)],
                           {ch.PAPERS, ch.REJECTIONS}, batch, paper, f"Paper {paper} of batch {batch} resolved.")

    def resolve_bundle(self, batch: str, counts: Mapping[str | int, int], reason: str,
                       officer: str | None = None, papers: int | None = None) -> Changes:
        """Record a bundle's true totals after a recount of it."""
        self._writable()
        b = self._batch(batch)
        if not b.is_bundle:
            raise AppError(f"{self.path}: batch {batch} holds single papers, not bundle totals.")
        totals = self._totals(counts)
        if papers is None:
            papers = sum(totals) if self.contest.rule == "fptp" else (b.agreed_bundle() or ((), None))[1]
        if papers is not None and papers < 0:
            raise AppError(f"{self.path}: the number of papers cannot be negative.")
        self._check_bundle(batch, totals, papers)
        data = {"counts": list(totals), "papers": papers, "reason": _required(reason, "reason", self.path)}
        return self._write([(ev.MISMATCH_RESOLVED, officer, batch, data)], {ch.BUNDLES, ch.PAPERS}, batch, None,
                           f"Bundle totals of batch {batch} resolved.")

    def reject(self, heading: str, count: int = 1, teller: str | None = None, batch: str = "",
               paper: int | None = None, note: str = "", second: bool = False, single: bool = False) -> Changes:
        """Journal rejected papers under one of the contest's headings (DOMAIN.md 2.4).

        With a batch of papers and a paper number, the rejection is that teller's entry of the paper
        (`second=True`: the second teller's blind entry): it takes part in the double-entry comparison
        like a keyed paper, and counts once the batch agrees. Otherwise (the officer's adjudication of
        papers not in a batch) it counts at once."""
        self._writable()
        heading = self._heading(heading)
        if count < 1:
            raise AppError(f"{self.path}: the number of rejected papers must be at least 1.")
        data: dict[str, Any] = {"heading": heading, "count": count, "paper": paper, "note": note}
        b = self.replay.batches.get(batch) if batch else None
        if second and (not batch.strip() or paper is None):
            raise AppError(f"{self.path}: a second entry's rejection is the entry of one paper; give its batch and "
                           "paper number.")
        if batch.strip() and paper is not None and not (b is not None and b.is_bundle):
            batch, side = _label(batch, self.path), SECOND if second else FIRST
            if count != 1 or paper < 1:
                raise AppError(f"{self.path}: one numbered paper is rejected at a time, and paper numbers start at 1.")
            if b is not None and second and b.single:
                raise AppError(f"{self.path}: batch {batch} is a single-entry batch; it takes no second entry.")
            if b is not None and paper in b.papers[side]:
                raise AppError(f"{self.path}: paper {paper} of batch {batch} is already entered as valid; to reject it "
                               "now, resolve it as rejected (the officer's decision).")
            if b is not None and paper in b.rejections[side]:
                raise AppError(f"{self.path}: paper {paper} of batch {batch} is already rejected "
                               f"({b.rejections[side][paper]}); withdraw that rejection first to change it.")
            data.update(side=side, single=single or (b is not None and b.single and not second))
            return self._write([(ev.PAPER_REJECTED, teller, batch, data)], {ch.REJECTIONS, ch.PAPERS}, batch, paper,
                               f"Paper {paper} of batch {batch} saved as rejected ({heading}).")
        return self._write([(ev.PAPER_REJECTED, teller, batch, data)], {ch.REJECTIONS}, batch, paper,
                           f"{count} paper{'s' if count != 1 else ''} rejected as {heading!r}.")

    def correct_rejection(self, reason: str, event: int | None = None, batch: str = "", paper: int | None = None,
                          second: bool = False, teller: str | None = None) -> Changes:
        """Withdraw a rejection recorded in error: by its journal event number (as `opensel log` shows
        it), or by the batch and paper it rejected. Appends `rejection_withdrawn` with the reason; the
        rejection stays in the journal and replay no longer counts it (nor compares it)."""
        self._writable()
        reason = _required(reason, "reason for withdrawing the rejection", self.path)
        standing = self.replay.rejection_events
        if event is None:
            if not batch or paper is None:
                raise AppError(f"{self.path}: say which rejection to withdraw: its event number in the log, or "
                               "its batch and paper number.")
            side = SECOND if second else FIRST
            b = self.replay.batches.get(batch)
            if b is None or paper not in b.rejections[side]:
                raise AppError(f"{self.path}: paper {paper} of batch {batch} has no rejection in the {side} entry "
                               "to withdraw.")
            event = next((seq for seq, r in standing.items() if (r["batch"], r["paper"], r["side"]) ==
                          (batch, paper, side)), None)
            data: dict[str, Any] = {"event": event, "heading": b.rejections[side][paper], "count": 1,
                                    "paper": paper, "side": side, "reason": reason}
        else:
            record = standing.get(event)
            if record is None:
                raise AppError(f"{self.path}: event {event} is not a rejection that still stands; find the "
                               "rejection's number with `opensel log --kind paper_rejected`.")
            batch = record["batch"]
            data = {"event": event, "heading": record["heading"], "count": record["count"],
                    "paper": record["paper"], "side": record["side"], "reason": reason}
        what = f"paper {data['paper']} of batch {batch}" if data["side"] else f"{data['count']} paper(s)"
        return self._write([(ev.REJECTION_WITHDRAWN, teller, batch, data)], {ch.REJECTIONS, ch.PAPERS}, batch,
                           data["paper"], f"Rejection of {what} as {data['heading']!r} withdrawn.")

    def _heading(self, heading: str) -> str:
        headings = self.contest.rejection_headings
        match = [h for h in headings if h.casefold() == heading.strip().casefold()]
        if not match:
            raise AppError(f"{self.path}: {heading!r} is not a rejection heading of this contest; use one of: "
                           + "; ".join(headings) + ".")
        return match[0]

    def record_account(self, channel: str, issued: int, spoilt: int, unused: int, returned: int | None = None,
                       explanation: str = "", actor: str | None = None) -> Changes:
        """Journal one channel's ballot paper account figures (later figures replace earlier ones)."""
        self._writable()
        channel = _required(channel, "channel name", self.path)
        for label, value in (("issued", issued), ("spoilt", spoilt), ("unused", unused), ("returned", returned)):
            if value is not None and value < 0:
                raise AppError(f"{self.path}: papers {label} cannot be negative.")
        if spoilt + unused > issued:
            raise AppError(f"{self.path}: channel {channel}: spoilt and unused papers ({spoilt + unused}) exceed "
                           f"the papers issued ({issued}); check the figures.")
        data = {"channel": channel, "issued": issued, "spoilt": spoilt, "unused": unused, "returned": returned,
                "explanation": explanation}
        return self._write([(ev.ACCOUNT_FIGURES, actor, "", data)], {ch.ACCOUNT}, "", None,
                           f"Account figures for {channel} saved.")

    def enter_round(self, round: Mapping[str, Any], actor: str | None = None) -> Changes:
        """Journal one round of an exhaustive ballot (already validated by contest.kinds.validate_rounds:
        {votes, papers?, rejected, withdraw?}); counts see the contest file's rounds, then these."""
        self._writable()
        if self.contest.rule != "exhaustive":
            raise AppError(f"{self.path}: rounds are only entered for an exhaustive ballot (this contest is "
                           f"counted by {self.contest.rule}).")
        number = len(self.contest.extra.get("rounds") or []) + len(self.replay.rounds) + 1
        checked = self._checked_round(round)
        return self._write([(ev.ROUND_ENTERED, actor, "", {"number": number, "round": checked})],
                           {ch.RESULT, ch.PAPERS}, "", None, f"Round {number} saved.")

    def _checked_round(self, round: Mapping[str, Any]) -> dict[str, Any]:
        """Validate a round as a contest file's would be, and refuse one the count cannot take (a round
        after every place is filled): a journaled round can never be taken back."""
        from opensel_desktop.contest.kinds import validate_rounds

        problems: list[str] = []
        checked = validate_rounds([dict(round)], self.contest.names, lambda _path, msg: problems.append(msg))
        if problems or not checked:
            raise AppError(f"{self.path}: {(problems or ['the round is empty.'])[0]}")
        self.replay.rounds.append(checked[0])
        try:
            self._count(None)
        except NeedsLot:
            pass  # the lot is drawn after the round is saved
        except AppError as exc:
            inner = str(exc).removeprefix(f"{self.path}: ")
            raise AppError(f"{self.path}: the round was not saved: {inner}") from None
        finally:
            self.replay.rounds.pop()
        return checked[0]

    # ---- trigger ballot returns (issue 9) -----------------------------------------------------

    def enter_unit_return(self, unit: str, decision: str, reported_by: str, reason: str | None = None,
                          figures: Mapping[str, int] | None = None, meeting_date: str | None = None, *,
                          unit_class: str | None = None, actor: str | None = None) -> Changes:
        """Journal one unit's return to a trigger ballot (`unit_return_entered`). The latest return of a
        unit counts; a unit that already has one (in the contest file or entered here) needs a `reason`,
        and the earlier return stays in the record (issue 9: late or disputed returns never overwrite)."""
        from opensel_desktop.contest.kinds import decision_of, validate_return

        self._writable()
        if self.contest.rule != "trigger":
            raise AppError(f"{self.path}: unit returns are only entered for a trigger ballot (this contest "
                           f"is counted by {self.contest.rule}).")
        klass, current = self._find_unit(unit, unit_class)
        chosen = decision_of(str(decision).strip().replace("-", "_")) if str(decision).strip() else None
        if chosen is None:
            raise AppError(f"{self.path}: the decision must be yes, no or did-not-vote, not {decision!r}.")
        if not (reported_by or "").strip():
            raise AppError(f"{self.path}: say who reported the return of {current['name']} (the branch "
                           "secretary, for example) and try again.")
        reporter = _name(reported_by, "name of who reported it", self.path)
        node: dict[str, Any] = {"decision": chosen, "reported_by": reporter}
        if (reason or "").strip():
            node["reason"] = _required(reason, "reason", self.path)
        for key, value in (figures or {}).items():
            if key not in ("for", "against", "abstain"):
                raise AppError(f"{self.path}: a unit's vote figures are for, against and abstain, "
                               f"not {key!r}.")
            if value is not None:
                node[key] = value
        if meeting_date:
            try:
                node["meeting"] = datetime.strptime(str(meeting_date).strip(), "%Y-%m-%d").date().isoformat()
            except ValueError:
                raise AppError(f"{self.path}: the meeting date must be written YYYY-MM-DD, not "
                               f"{meeting_date!r}.") from None
        node["received"] = self.clock()[:10]
        if current["returns"] and not node.get("reason"):
            was = _SAID.get(current["returns"][-1]["decision"], "?")
            raise AppError(f"{self.path}: {current['name']} already has a return ({was}); a changed return "
                           "needs the reason it changed (late, disputed, corrected), and the earlier one "
                           "stays on record",
                           hint_cli="give it with --reason.", hint_gui="give it in the Reason box.")
        problems: list[str] = []
        checked = validate_return(node, (), lambda _path, msg: problems.append(msg),
                                  first=not current["returns"])
        if problems or checked is None:
            raise AppError(f"{self.path}: {current['name']}: {(problems or ['the return is not valid.'])[0]}")
        was = current["returns"][-1]["decision"] if current["returns"] else None
        message = (f"Return of {current['name']} saved: {_SAID[chosen]}" +
                   (f" (was {_SAID.get(was, was)}; the earlier return stays on record)." if was else "."))
        data = {"class": klass, "unit": current["name"], "return": checked}
        return self._write([(ev.UNIT_RETURN_ENTERED, actor, "", data)], {ch.RESULT}, "", None, message)

    def trigger_section(self) -> dict[str, Any]:
        """The contest file's `trigger` section with every journaled return appended to its unit."""
        self._sync()
        return self._trigger_plain()

    def trigger_status(self) -> TriggerStatus:
        """The running tally of a trigger ballot: what is met, and how many more yes returns are needed."""
        if self.contest.rule != "trigger":
            raise AppError(f"{self.path}: this contest is counted by {self.contest.rule}, not a trigger "
                           "ballot.")
        try:
            spec = trigger_rule.spec_from_plain(self.trigger_section())
        except CountError as exc:
            raise AppError(f"{self.path}: {exc}") from None
        triggered, tallies = trigger_rule.tally(spec)
        return TriggerStatus(spec, triggered, tuple(tallies))

    def _trigger_plain(self) -> dict[str, Any]:
        plain = self.contest.extra.get("trigger")
        if not isinstance(plain, Mapping):
            return {}
        out: dict[str, Any] = {**plain, "classes": [
            {**k, "units": [{**u, "returns": list(u.get("returns") or ())} for u in k.get("units") or ()]}
            for k in plain.get("classes") or ()
        ]}
        units = {(k["name"], u["name"]): u for k in out["classes"] for u in k["units"]}
        for r in self.replay.unit_returns:
            if (r["class"], r["unit"]) in units:  # the session only journals units of the contest
                units[(r["class"], r["unit"])]["returns"].append(r["return"])
        return out

    def _find_unit(self, unit: str, unit_class: str | None) -> tuple[str, dict[str, Any]]:
        """(class name, unit) by exact name, else case-insensitive; refuses unknown or ambiguous names."""
        classes = self._trigger_plain().get("classes") or []
        if unit_class is not None:
            classes = [k for k in classes if k["name"].lower() == unit_class.strip().lower()]
            if not classes:
                raise AppError(f"{self.path}: there is no class {unit_class!r} of units in this trigger "
                               "ballot.")
        wanted = (unit or "").strip()
        pairs = [(k["name"], u) for k in classes for u in k["units"]]
        found = [p for p in pairs if p[1]["name"] == wanted] or \
                [p for p in pairs if p[1]["name"].lower() == wanted.lower()]
        shown = wanted if len(wanted) <= 80 else wanted[:77] + "..."  # a hostile name is not echoed whole
        if not found:
            names = ", ".join(u["name"] for _, u in pairs[:30]) + (", ..." if len(pairs) > 30 else "")
            raise AppError(f"{self.path}: there is no unit {shown!r} in this trigger ballot; units: {names}.")
        if len(found) > 1:
            raise AppError(f"{self.path}: the unit {shown!r} is in several classes "
                           f"({', '.join(k for k, _ in found)}); say which class.")
        return found[0]

    def record_station(self, data: Mapping[str, Any], officer: str | None = None) -> Changes:
        """Journal a teller station whose batch files may be merged (issue 12; app/stations.py checks)."""
        self._writable()
        return self._write([(ev.STATION_REGISTERED, officer, "", dict(data))], {ch.ACCOUNT}, "", None,
                           f"Station {data.get('station')} registered.")

    def record_merge(self, data: Mapping[str, Any], message: str, officer: str | None = None) -> Changes:
        """Journal one verified batch file as ONE `batch_merged` event (issue 12; app/stations.py checks)."""
        self._writable()
        label = str(data.get("label", ""))
        return self._write([(ev.BATCH_MERGED, officer, label, dict(data))], {ch.PAPERS, ch.ACCOUNT}, label, None,
                           message)

    def switch_teller(self, teller: str, role: str = "teller") -> Changes:
        """Journal who is now at the keyboard; later writes default to that name."""
        self._writable()
        teller = _name(teller, role, self.path)
        changes = self._write([(ev.TELLER_SWITCHED, teller, "", {"teller": teller, "role": role})], {ch.TELLER},
                              "", None, f"{teller} is now at the keyboard.")
        self.actor = teller
        return changes

    def record_signature(self, what: str, digest: str, signer: str, data: Mapping[str, Any] | None = None) \
            -> Changes:
        """Journal that a sheet was signed (allowed after the declaration: signing is part of it)."""
        self._writable(allow_declared=True)
        payload = {"what": what, "digest": digest, "signer": signer, **dict(data or {})}
        return self._write([(ev.SIGNATURE_RECORDED, signer, "", payload)], {ch.SIGNATURES}, "", None,
                           f"Signature of {what} by {signer} recorded.")

    # ---- counting ------------------------------------------------------------------------------

    def count(self, seed: str | None = None, journal: bool = True) -> Result:
        """Count the agreed papers with the contest's rule; journals the provisional result (and any
        lot drawn from `seed`) unless read-only, declared, or `journal` is False. Raises NeedsLot."""
        self._sync()
        result = self._count(seed)
        if journal and not self.readonly and self.replay.declared is None:
            self._journal_result(ev.COUNT_RUN, result, {"seed": seed})
        return result

    def what_if(self, rule: str | None = None, seats: int | None = None, seed: str | None = None) -> Result:
        """Another rule or number of places over the same papers: never journaled, marked what_if."""
        self._sync()
        return replace(self._count(seed, rule=rule, seats=seats), what_if=True)

    def recount(self, requested_by: str, reason: str = "", seed: str | None = None) -> Result:
        """A recount asked for before the declaration (DOMAIN.md 2.5): counted again and journaled."""
        self._writable()
        result = self._count(seed)
        self._journal_result(ev.RECOUNT, result, {"requested_by": _name(requested_by, "name", self.path),
                                                  "reason": reason, "seed": seed})
        return result

    def lot_needed(self) -> LotRequest | None:
        """The lot the count is waiting for, if any (recorded lots are replayed first)."""
        try:
            self._count(None)
        except NeedsLot as need:
            return need.request
        return None

    def record_lot(self, witness: str, seed: str | None = None, chosen: str | None = None) -> Changes:
        """Settle the lot the count asks for: a physical draw (`chosen`) or a seeded draw (the seed is
        generated and recorded if not given). Replayed on every recount (ERS97 5.6.3)."""
        self._writable()
        witness = _name(witness, "witness", self.path)
        request = self.lot_needed()
        if request is None:
            raise AppError(f"{self.path}: no lot is needed: the count is decided without one.")
        if chosen is not None:
            if chosen not in request.among:
                raise AppError(f"{self.path}: {chosen!r} is not among the tied candidates "
                               f"({', '.join(request.among)}).")
            how, used_seed = "recorded", None
        else:
            used_seed = seed if seed is not None else secrets.token_hex(8)
            lot = SeededLots(used_seed).draw(request)
            assert lot is not None
            chosen, how = lot.chosen, "seed"
        data = _lot_data(request.stage, request.among, request.purpose, chosen, how, used_seed, witness)
        data["reason"] = request.reason
        return self._write([(ev.LOT_DRAWN, witness, "", data)], {ch.LOTS, ch.RESULT}, "", None,
                           f"Lot drawn at stage {request.stage} among {', '.join(request.among)}: {chosen}.")

    def declare(self, officer: str, override_reason: str | None = None) -> Changes:
        """Declare the result and lock the contest. Refused while batches are unagreed, a lot is
        needed, or the account does not reconcile (unless an override reason is recorded)."""
        self._writable()
        officer = _name(officer, "officer", self.path)
        account = self.account()
        if account.pending:
            raise AppError(f"{self.path}: batch {account.pending[0]} is not agreed yet",
                           hint_cli="finish its second entry and resolve mismatches (`opensel diff`) before "
                                    "declaring.",
                           hint_gui="finish its second entry (Entry > Second entry, Ctrl+E) and resolve each "
                                    "difference in the comparison list before declaring.")
        reason = (override_reason or "").strip()
        if account.outstanding and not reason:
            label = account.outstanding[0]
            raise AppError(f"{self.path}: batch {label} was issued to station {label.split('/')[0]} and its batch "
                           "file is not merged yet; merge it with `opensel merge`, or declare with "
                           "--override-reason saying why the count goes ahead without it.")
        if not account.reconciles and not reason:
            first = account.problems[0].rstrip(".")
            raise AppError(f"{self.path}: the ballot paper account does not reconcile ({first})",
                           hint_cli="record the figures with `opensel account`, or declare with --override-reason.",
                           hint_gui="record the figures in the Account tab (Ctrl+2), or give the reason for "
                                    "declaring anyway in the Declare dialog (Ctrl+D).")
        try:
            result = self._count(None)
        except NeedsLot as need:
            raise AppError(f"{self.path}: a lot is needed at stage {need.request.stage} between "
                           f"{', '.join(need.request.among)}",
                           hint_cli="draw it with `opensel lot` before declaring.",
                           hint_gui="count now (F5) to draw it in the lot dialog before declaring.") from None
        figures: dict[str, Any] = {**account.statement.to_json_dict(), "acceptable": account.reconciles}
        if account.outstanding:  # declared without these station batches (the override reason says why)
            figures["outstanding_batches"] = list(account.outstanding)
        extra = {"officer": officer, "override_reason": reason or None, "account": figures}
        return self._journal_result(ev.DECLARED, result, extra, actor=officer, areas={ch.RESULT, ch.STATE},
                                    message="Result declared: " + (", ".join(result.elected) or "nobody")
                                    + " elected; the contest is now locked.")

    def create_linked_recount(self, path: str | Path, officer: str) -> Session:
        """After the declaration: a new contest file linked to this one (its id and head hash), starting
        from the agreed papers as one single-entry batch. This file is not changed."""
        self._sync()
        if self.replay.declared is None:
            raise AppError(f"{self.path}: the result is not declared yet; ask for a recount with `recount`.")
        link = {"contest_id": self.contest_id, "head": self.head_hash, "file": Path(self.path).name}
        specs = tuple(BallotSpec(m, n) for m, n in self.replay.rankings().items())
        contest = replace(self.contest, ballots=specs)
        return Session.create(contest, path, officer, station=self.station, clock=self.clock, linked_to=link)

    # ---- helpers -------------------------------------------------------------------------------

    def check_marks(self, marks: Sequence[int]) -> Marks:
        """Refuse a paper that cannot be entered as valid, with the heading to reject it under."""
        c = self.contest
        out = tuple(int(m) for m in marks)
        if not out:
            raise AppError(f"{self.path}: the paper has no marks; reject it as 'unmarked' instead.")
        bad = [m for m in out if not 0 <= m < len(c.candidates)]
        if bad:
            raise AppError(f"{self.path}: candidate number {bad[0] + 1} does not exist; there are "
                           f"{len(c.candidates)} candidates.")
        if len(set(out)) != len(out):
            raise AppError(f"{self.path}: the paper names a candidate twice; check it, or reject it as "
                           "'void for uncertainty'.")
        if not c.ranked:
            if len(out) > max(c.seats, 1):
                raise AppError(f"{self.path}: the paper has {len(out)} votes for {c.seats} place(s); reject it as "
                               "'voting for more candidates than entitled'.")
            out = tuple(sorted(out))
        return out

    def _totals(self, counts: Mapping[str | int, int]) -> tuple[int, ...]:
        names = self.contest.names
        totals = [0] * len(names)
        for key, n in counts.items():
            if isinstance(key, int):
                index = key
            else:
                found = [i for i, name in enumerate(names) if name.casefold() == str(key).strip().casefold()]
                if not found:
                    raise AppError(f"{self.path}: {key!r} is not a candidate; candidates: {', '.join(names)}.")
                index = found[0]
            if not 0 <= index < len(names):
                raise AppError(f"{self.path}: candidate number {index + 1} does not exist.")
            if int(n) < 0:
                raise AppError(f"{self.path}: a bundle total cannot be negative ({names[index]}: {n}).")
            totals[index] += int(n)
        return tuple(totals)

    def _check_bundle(self, batch: str, totals: Sequence[int], papers: int | None) -> None:
        """A bundle's votes must fit its papers: a valid X-vote paper marks each candidate at most once and
        has from one to `places` votes (DOMAIN.md 3.1; the GUI's bundle grid flags the same)."""
        c = self.contest
        if papers is None or c.rule not in ("fptp", "block"):
            return
        per_paper = max(c.seats, 1)
        votes = sum(totals)
        where = f"{self.path}: bundle {batch}"
        if votes > papers * per_paper:
            raise AppError(f"{where}: {votes} votes cannot come from {papers} papers with at most {per_paper} "
                           f"vote{'s' if per_paper != 1 else ''} each ({papers * per_paper} at most); recount the "
                           "bundle and enter it again; nothing was saved.")
        over = [(name, n) for name, n in zip(c.names, totals, strict=False) if n > papers]
        if over:
            raise AppError(f"{where}: {over[0][0]} has {over[0][1]} votes but the bundle has only {papers} papers "
                           "and a paper marks a candidate once; recount the bundle and enter it again; nothing "
                           "was saved.")
        if votes < papers:
            raise AppError(f"{where}: {votes} votes for {papers} papers, but every valid paper has at least one "
                           "vote; recount the bundle, and reject blank papers as 'unmarked'; nothing was saved.")

    def _batch(self, batch: str):
        self._sync()
        b = self.replay.batches.get(batch)
        if b is None:
            raise AppError(f"{self.path}: there is no batch {batch!r}; batches: {self._batch_list()}.")
        return b

    def _batch_list(self) -> str:
        return ", ".join(self.replay.batches) or "none yet"

    def _writable(self, allow_declared: bool = False) -> None:
        if self.readonly:
            raise AppError(f"{self.path}: opened read-only (auditor); nothing can be changed.")
        self._sync()
        if not self.chain.ok:
            raise AppError(f"{self.path}: {self.chain.message} Nothing more can be added; inspect it with "
                           "`opensel audit`.")
        if self.replay.declared is not None and not allow_declared:
            raise AppError(f"{self.path}: the result was declared and the contest is locked; a recount now needs "
                           "a new linked recount contest.")

    def counting_contest(self) -> Contest:
        """The contest as counted now: the file's definition plus what the meeting journaled into it
        (exhaustive-ballot rounds, trigger returns). Live views count this too, so they agree with `count`."""
        self._sync()
        c = self.contest
        if self.replay.rounds:
            c = replace(c, extra={**c.extra, "rounds": [*(c.extra.get("rounds") or []), *self.replay.rounds]})
        if self.replay.unit_returns and c.rule == "trigger":  # issue 9: returns entered at the meeting
            c = replace(c, extra={**c.extra, "trigger": self._trigger_plain()})
        return c

    def _bundle_figures(self) -> tuple[int, int]:
        """Papers in the agreed X-vote bundles, and the votes on them (a block paper carries several)."""
        papers_in = votes_on = 0
        for b in self.replay.counting_batches():
            agreed = b.agreed_bundle() if b.is_bundle else None
            if agreed is not None:
                votes, papers = agreed
                papers_in += papers or 0
                votes_on += sum(votes)
        return papers_in, votes_on

    def _count(self, seed: str | None, rule: str | None = None, seats: int | None = None) -> Result:
        c = self.counting_contest()
        rule = rule or c.rule
        bundle_papers, bundle_votes = self._bundle_figures()
        if rule == "block" and bundle_votes:
            # bundle totals replay as one-mark papers: tell the count how many papers there really were
            papers = sum(self.replay.rankings().values()) - bundle_votes + bundle_papers
            c = replace(c, rule_options={**c.rule_options, "papers": papers})
        grouped = self.replay.rankings()
        if not grouped and c.kind == "election" and c.rule != "exhaustive":
            raise AppError(f"{self.path}: there are no agreed papers to count yet; enter them, or finish the "
                           "second entry of each batch.")
        recorded = {k: d["chosen"] for k, d in self.replay.lots.items()}
        try:
            rule_info(rule)
            election = c.to_election(Ballots.from_rankings(grouped.items()), seats=seats)
            return count(rule, election, chain_ties(recorded, None, seed))
        except CountError as exc:
            raise AppError(f"{self.path}: {exc}") from None

    def _journal_result(self, kind: str, result: Result, extra: dict[str, Any], actor: str | None = None,
                        areas: set[str] | None = None, message: str = "") -> Changes:
        writes: list[tuple[str, str | None, str, dict[str, Any]]] = []
        for lot in result.lots:
            key = lot_key(lot.stage, lot.purpose, lot.among)
            if lot.how == "seed" and key not in self.replay.lots:
                writes.append((ev.LOT_DRAWN, actor, "", _lot_data(lot.stage, lot.among, lot.purpose, lot.chosen,
                                                                  "seed", lot.seed, actor or self.actor)))
        data = {"digest": result_digest(result), "elected": list(result.elected), "result": result.to_json_dict(),
                **extra}
        writes.append((kind, actor, "", data))
        return self._write(writes, areas or {ch.RESULT, ch.STATE}, "", None,
                           message or "Provisional result saved: " + (", ".join(result.elected) or "nobody")
                           + " elected.")

    def _write(self, writes: Sequence[tuple[str, str | None, str, dict[str, Any]]], areas: set[str], batch: str,
               paper: int | None, message: str) -> Changes:
        at = self.clock()
        drafts = [Draft(kind, _name(actor or self.actor, "name", self.path), self.station, b, at, data)
                  for kind, actor, b, data in writes]
        with _store_errors():
            written = self.journal.append(drafts)
        if written and written[0].seq == self.replay.events + 1 and written[0].prev == self.chain.head:
            # nobody wrote in between: apply what we wrote without reading it back
            self.replay.apply_all(written)
            last = written[-1]
            self.chain = ChainReport(True, last.seq, last.hash, None, f"all {last.seq} events verify; head {last.hash}.")
            # _seen stays as it was: our own commits do not change data_version, anyone else's will
        else:
            self._sync()
        return Changes(tuple(e.seq for e in written), frozenset(areas), self.head_hash, batch, paper, message)

    def _sync(self, full: bool = False) -> None:
        """Apply events written since the last look (by us, or by another window on the same file)."""
        if not full and not self.chain.ok:
            return
        with _store_errors():
            version = self.journal.data_version()
            if not full and version == self._seen:
                return  # no other connection has committed since we last looked
            self._seen = version
            new, meta = self.journal.snapshot(after=self.replay.events)
            if not new and not full and meta.get("events") == str(self.replay.events):
                return
            report = verify_events(new, meta) if full else verify_tail(self.chain, new, meta)
        good = new[: max(0, report.events - self.replay.events)]
        try:
            self.replay.apply_all(good)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:  # only if the chain was forged
            raise AppError(f"{self.path}: the journal cannot be replayed ({exc}); inspect it with "
                           "`opensel audit`.") from None
        self.chain = report
        if self.replay.contest is None:
            raise JournalBroken(f"{self.path}: {report.message[:1].upper()}{report.message[1:]} The contest itself "
                                "cannot be read; use your backup copy.", report)


_SAID = {"yes": "yes", "no": "no", "none": "did not vote"}  # a trigger return's decision, as people say it


def _lot_data(stage: int, among: Sequence[str], purpose: str, chosen: str, how: str, seed: str | None,
              witness: str) -> dict[str, Any]:
    return {"key": lot_key(stage, purpose, among), "stage": stage, "among": list(among), "purpose": purpose,
            "chosen": chosen, "how": how, "seed": seed, "witness": witness}


def _name(value: str | None, what: str, path: str | Path) -> str:
    return _required(value, what, path)


def _required(value: str | None, what: str, path: str | Path) -> str:
    text = (value or "").strip()
    if not text:
        raise AppError(f"{path}: a {what} is required; give it and try again.")
    if len(text) > 500 or any(ord(ch_) < 32 for ch_ in text):
        raise AppError(f"{path}: the {what} must be one line of at most 500 characters.")
    return text


def _label(batch: str, path: str | Path) -> str:
    return _required(batch, "batch label", path)


@contextmanager
def _store_errors():
    try:
        yield
    except StoreError as exc:
        raise AppError(str(exc)) from None


def count_osel(path: Path, rule: str | None = None, seats: int | None = None, seed: str | None = None) -> Result:
    """`opensel count MEETING.osel`: the contest's own count is journaled as provisional; --rule or
    --seats that differ from the contest's run a what-if on a read-only open, never journaled."""
    import os

    actor = os.environ.get("OPENSEL_ACTOR", "").strip()
    with Session.open(path, actor or "auditor", readonly=True) as probe:
        probe.require_verified()  # never count from a journal edited outside the app
        c = probe.contest
        actor = actor or c.returning_officer or "returning officer"
        what_if = (rule is not None and rule != c.rule) or (seats is not None and seats != c.seats)
        if what_if or probe.state == "declared" or not os.access(path, os.W_OK):
            return probe.what_if(rule, seats, seed) if what_if else probe.count(seed, journal=False)
    with Session.open(path, actor) as session:
        return session.count(seed)
