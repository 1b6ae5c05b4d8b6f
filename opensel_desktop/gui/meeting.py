"""The window's link to one open meeting: calls the app's Session and turns its answers into view values.

Everything that changes the contest goes through `app.session.Session` (one journal transaction
per call, durable when it returns); this module only reads the journal back to fill the Qt models and
decides nothing about counting or storage. Messages reaching the teller are the app's sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from opensel_desktop.app.changes import Changes
from opensel_desktop.app.errors import AppError, gui_text
from opensel_desktop.app.journal_words import describe
from opensel_desktop.app.session import Session
from opensel_desktop.contest.model import Contest
from opensel_desktop.engine import Election, Result, count
from opensel_desktop.engine.ties import chain_ties
from opensel_desktop.gui.models.diff import DiffRow
from opensel_desktop.gui.models.journal import JournalRow
from opensel_desktop.gui.models.papers import PaperRow
from opensel_desktop.gui.views.account_panel import AccountRow
from opensel_desktop.gui.views.grid_entry import BundleEntry
from opensel_desktop.store import events as ev

FIRST_SIDE, SECOND_SIDE = "first", "second"


def tr(text: str) -> str:
    return QCoreApplication.translate("Meeting", text)


@dataclass(frozen=True, slots=True)
class CountSnapshot:
    """What a background count needs, and nothing that touches the store (a worker gets a snapshot)."""

    rule: str
    election: Election
    recorded: tuple[tuple[str, str], ...]


def run_count(snapshot: CountSnapshot) -> Result:
    """Runs on a worker thread: the engine over an immutable snapshot."""
    return count(snapshot.rule, snapshot.election, chain_ties(dict(snapshot.recorded)))


def short(message: str | BaseException, path: Path | str | None) -> str:
    """Tellers see no paths: drop the "<file>: " prefix the app puts on its sentences. Given the
    exception itself, an app refusal is worded for the app (menus and shortcuts, not commands)."""
    message = gui_text(message) if isinstance(message, BaseException) else message
    text = str(message).splitlines()[0] if str(message) else ""
    if path is not None:
        for prefix in (f"{path}: ", f"{Path(path).name}: "):
            if text.startswith(prefix):
                text = text[len(prefix):]
    return text[:1].upper() + text[1:]


class Meeting:
    """One open .osel plus who is at the keyboard and which batch and side they are keying."""

    def __init__(self, session: Session, teller: str, role: str = "teller"):
        self.session = session
        self.teller = teller
        self.role = role
        self.batch = "1"
        self.side = FIRST_SIDE

    # --- facts -----------------------------------------------------------------------------------------

    @property
    def contest(self) -> Contest:
        return self.session.contest

    @property
    def readonly(self) -> bool:
        return self.session.readonly

    @property
    def path(self) -> Path:
        return Path(self.session.path)

    def hotkeys(self) -> tuple[str | None, ...]:
        return tuple(c.hotkey for c in self.contest.candidates)

    def papers(self, batch: str | None = None, side: str | None = None) -> list[PaperRow]:
        """The batch list for one side, read back from the journal (corrections replace, rejections shown)."""
        batch = self.batch if batch is None else batch
        side = self.side if side is None else side
        rows: dict[int, PaperRow] = {}
        for e in self.session.events():
            if e.batch != batch:
                continue
            d = e.data
            if e.kind in (ev.PAPER_ENTERED, ev.PAPER_CORRECTED) and d.get("side", FIRST_SIDE) == side:
                n = int(d["paper"])
                state = "corrected" if e.kind == ev.PAPER_CORRECTED else "saved"
                rows[n] = PaperRow(n, tuple(d["marks"]), None, state, e.actor)
            elif e.kind == ev.PAPER_REJECTED and d.get("paper") is not None and d.get("side", FIRST_SIDE) == side:
                n = int(d["paper"])  # (rejections journaled before sides existed were the first entry's)
                rows[n] = PaperRow(n, (), d["heading"], "saved", e.actor)
            elif e.kind == ev.REJECTION_WITHDRAWN and d.get("side") == side and d.get("paper") is not None:
                rows.pop(int(d["paper"]), None)  # withdrawn: the paper is keyed again (the log keeps both)
        mismatched = {m.paper for m in self.session.diff(batch)} if batch in self.batch_labels() else set()
        return [PaperRow(r.number, r.ranking, r.rejected, "mismatch" if r.number in mismatched else r.state, r.teller)
                for _, r in sorted(rows.items())]

    def next_number(self) -> int:
        rows = self.papers()
        return max((r.number for r in rows), default=0) + 1

    def batch_labels(self) -> list[str]:
        return [b.label for b in self.session.batches()]

    def is_single(self, batch: str) -> bool:
        return any(b.label == batch and b.state == "single" for b in self.session.batches())

    def batch_lines(self) -> list[str]:
        """The batch list: each batch's state, papers and tellers; a single-entry batch names who decided."""
        out = []
        for b in self.session.batches():
            if b.bundle:
                continue
            state = tr(b.state)
            if b.state == "single":
                state = tr("single entry, decided by {0}").format(b.single_by) if b.single_by else tr("single entry")
            elif b.mismatches:
                state = tr("{0} mismatched papers").format(b.mismatches)
            who = " / ".join(b.tellers)
            out.append(tr("Batch {0}: {1} · {2} papers").format(b.label, state, b.papers) + (f" · {who}" if who else ""))
        return out

    def bundle_mismatch_lines(self) -> list[str]:
        """Bundles whose two entries differ: both sets of totals side by side, for the officer."""
        names = self.contest.names

        def totals(counts) -> str:
            return ", ".join(f"{names[i]} {n}" for i, n in enumerate(counts or ()) if i < len(names))

        out = []
        for b in self.session.batches():
            if b.bundle and b.mismatches:
                for mm in self.session.diff(b.label):
                    out.append(tr("{0}: first entry {1} | second entry {2}").format(
                        b.label, totals(mm.first), totals(mm.second)))
        return out

    def diff_rows(self, batch: str | None = None) -> list[DiffRow]:
        batch = self.batch if batch is None else batch
        if batch not in self.batch_labels():
            return []
        first = {r.number: r for r in self.papers(batch, FIRST_SIDE)}
        second = {r.number: r for r in self.papers(batch, SECOND_SIDE)}
        if not second:
            return []
        bad = {m.paper for m in self.session.diff(batch)}
        resolved = set()
        for e in self.session.events():
            if e.kind == ev.MISMATCH_RESOLVED and e.batch == batch and "paper" in e.data:
                resolved.add(int(e.data["paper"]))
        out = []
        last = max(second)  # blind: nothing is shown of papers the second teller has not reached yet
        for n in sorted(n for n in set(first) | set(second) if n <= last):
            row = DiffRow(n, first.get(n), second.get(n), resolved=n in resolved and n not in bad)
            if n in bad and row.agrees:  # the store's view wins: it is what counts
                row = DiffRow(n, first.get(n), None)
            out.append(row)
        return out

    def account_rows(self) -> tuple[list[AccountRow], bool, str]:
        acc = self.session.account()
        st = acc.statement  # the same statement the sheets print (screen and paper agree)
        rows = [AccountRow(c.name, c.issued, c.spoilt, c.unused, c.found, c.counted, None, c.variance or 0,
                           c.explanation) for c in st.channels]
        rows.append(AccountRow("all channels", st.issued, st.spoilt, st.unused, st.found, st.counted,
                               st.rejected_total, st.count_variance or 0, st.explanation))
        if acc.reconciles:
            message = tr("The ballot paper account reconciles: {0} papers found, {1} valid, {2} rejected.").format(
                st.found, acc.counted, st.rejected_total)
        else:
            message = tr("The account does not reconcile: {0}").format(acc.problems[0])
        return rows, acc.reconciles, message

    def journal_rows(self) -> list[JournalRow]:
        chain = self.session.chain
        bad_from = chain.first_bad if not chain.ok and chain.first_bad else None
        out = []
        corrected: dict[tuple[str, int, str], int] = {}
        for e in self.session.events():
            try:
                d = e.data
                text = describe(e, self.contest)
                paper = int(d["paper"]) if e.kind in (ev.PAPER_ENTERED, ev.PAPER_CORRECTED) and "paper" in d else None
            except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):  # edited by hand
                d, text, paper = {}, e.kind.replace("_", " ") + " (unreadable payload)", None
            corrects = None
            if paper is not None:
                key = (e.batch, paper, d.get("side", FIRST_SIDE))
                if e.kind == ev.PAPER_CORRECTED:
                    corrects = corrected.get(key)
                corrected[key] = e.seq
            out.append(JournalRow(e.seq, e.at.replace("T", " ").rstrip("Z")[:19], e.actor, e.kind,
                                  text, e.batch, corrects, bad_from is None or e.seq < bad_from))
        return out

    def snapshot(self) -> CountSnapshot:
        """The agreed papers as they stand, for a live count off the GUI thread."""
        recorded = tuple((k, str(d["chosen"])) for k, d in self.session.lots().items())
        contest = self.session.counting_contest()  # with the rounds and trigger returns journaled so far
        acc = self.session.account()
        if contest.rule == "block" and acc.bundle_votes:  # bundles replay as one-mark papers: say how many papers
            total = self.session.ballots().total
            contest = replace(contest, rule_options={**contest.rule_options,
                                                     "papers": total - acc.bundle_votes + acc.bundle_papers})
        election = contest.to_election(self.session.ballots())
        return CountSnapshot(contest.rule, election, recorded)

    def pending_papers(self) -> int:
        return sum(b.papers for b in self.session.batches() if b.state not in ("single", "agreed"))

    def state(self) -> str:
        return self.session.state

    # --- writes (each one app call, one transaction) ---------------------------------------------------

    def enter(self, ranking: tuple[int, ...], rejected: str | None, number: int) -> Changes | str:
        """Save one keyed paper; returns the app's Changes, or a sentence when nothing was journaled."""
        s = self.session
        second = self.side == SECOND_SIDE
        if rejected is not None:
            # either teller's rejection is that teller's entry of the paper: journaled, and compared
            return s.reject(rejected, 1, teller=self.teller, batch=self.batch, paper=number,
                            note="rejected at entry", second=second)
        return s.enter_paper(ranking, teller=self.teller, batch=self.batch, seq=number, second=second)

    def withdraw_rejection(self, number: int, reason: str) -> Changes:
        """Take back this teller's rejection of a paper of the current batch (appended, with the reason)."""
        return self.session.correct_rejection(reason, batch=self.batch, paper=number,
                                              second=self.side == SECOND_SIDE, teller=self.teller)

    def correct(self, number: int, ranking: tuple[int, ...], reason: str) -> Changes:
        return self.session.correct_paper(self.batch, number, ranking, reason, teller=self.teller,
                                          second=self.side == SECOND_SIDE)

    def resolve(self, number: int, which: str) -> Changes:
        """The physical paper was checked: `which` entry ("first"/"second") shows what it says."""
        row = next(r for r in self.diff_rows() if r.number == number)
        chosen = row.first if which == FIRST_SIDE else row.second
        marks = None if chosen is None or chosen.rejected else chosen.ranking
        reason = f"paper checked by {self.teller}: the {which} entry is right"
        heading = chosen.rejected if chosen is not None else None
        return self.session.resolve_mismatch(self.batch, number, marks, reason, officer=self.teller,
                                             rejected=heading or None)

    def switch(self, teller: str, role: str) -> Changes:
        changes = self.session.switch_teller(teller, role)
        self.teller, self.role = teller, role
        return changes

    def record_account(self, channel: str, issued: int, spoilt: int, unused: int, returned: int | None,
                       explanation: str) -> Changes:
        return self.session.record_account(channel, issued, spoilt, unused, returned, explanation,
                                           actor=self.teller)

    def recount_against_declared(self) -> tuple[bool, list[str]]:
        """Recount now (not journaled) and set it beside the declared (or latest provisional) result."""
        holder = self.session.declared or self.session.provisional
        result = self.session.count(journal=False)
        if holder is None or holder.get("result") is None:
            return False, [tr("No result was declared or saved; the recount elects: {0}.").format(
                ", ".join(result.elected) or tr("nobody"))]
        saved = holder["result"]
        now = result.to_json_dict()
        if saved == now:
            return True, []
        lines = []
        if saved.get("elected") != now.get("elected"):
            lines.append(tr("Elected differ: saved {0}; recount {1}.").format(
                ", ".join(saved.get("elected", [])), ", ".join(now.get("elected", []))))
        for i, (a, b) in enumerate(zip(saved.get("stages", []), now.get("stages", []), strict=False), start=1):
            for name in sorted(set(a.get("votes", {})) | set(b.get("votes", {}))):
                va, vb = a.get("votes", {}).get(name), b.get("votes", {}).get(name)
                if va != vb:
                    lines.append(tr("Stage {0}, {1}: saved {2}, recount {3}.").format(i, name, va, vb))
        if len(saved.get("stages", [])) != len(now.get("stages", [])):
            lines.append(tr("Stages: saved {0}, recount {1}.").format(len(saved.get("stages", [])),
                                                                     len(now.get("stages", []))))
        return False, lines or [tr("The recount differs from the saved result in its details (rule or parameters).")]

    # --- reads added for the window's views (small, on the session's public face where it has one; the
    # --- app's read model is to serve them) -------------------------------------------------------------

    def bundle_entries(self) -> list[BundleEntry]:
        """Every bundle of X-vote totals: each teller's entry and the officer's recounted totals."""
        self.session.batches()  # brings the replay up to date
        out = []
        for label, b in self.session.replay.batches.items():
            if b.is_bundle:
                out.append(BundleEntry(label, b.bundles.get(FIRST_SIDE), b.bundles.get(SECOND_SIDE),
                                       b.bundle_resolved))
        return out

    def resume_point(self) -> tuple[str, str]:
        """Where keying goes on after the file is opened: the last batch of papers while it is still being
        keyed (its first entry, or its second once that has begun); a new batch once the last one agrees,
        so that no paper is ever added to an agreed batch."""
        from opensel_desktop.app.session import IMPORT_BATCH

        batches = [b for b in self.session.batches() if not b.bundle and b.label != IMPORT_BATCH]
        if not batches:
            return "1", FIRST_SIDE
        last = batches[-1]
        if last.state == "agreed":
            numbers = [int(b.label) for b in batches if b.label.isdigit()]
            return str(max(numbers, default=0) + 1), FIRST_SIDE
        if last.state == "mismatched":  # the second entry has begun (a paper it has not reached differs too)
            return last.label, SECOND_SIDE
        return last.label, FIRST_SIDE

    def nothing_keyed(self) -> bool:
        """No paper, bundle or rejection yet: the account has nothing to reconcile."""
        return not self.session.batches() and not self.session.rejected() and not self.session.ballots().total

    def close(self) -> None:
        self.session.close()


def open_meeting(path: str | Path, teller: str, role: str = "teller", readonly: bool = False) -> Meeting:
    session = Session.open(path, teller or "auditor", readonly=readonly)
    meeting = Meeting(session, teller or "auditor", role)
    # a declared contest is locked: switching teller would be refused, and nothing is keyed there any more
    if not readonly and teller and session.replay.teller != teller and session.state != "declared":
        meeting.switch(teller, role)
    return meeting


def create_meeting(contest: Contest, path: str | Path, officer: str) -> Meeting:
    if Path(path).exists():
        raise AppError(tr("{0} already exists; choose another name, or open it instead.").format(Path(path).name))
    return Meeting(Session.create(contest, path, officer), officer, "returning officer")
