"""The window's link to one open meeting: calls the app's use cases and turns the app's read model into
view values.

Everything that changes the contest goes through the app's use cases (one journal transaction per call,
durable when it returns, app/core.py); this module reads only the session's read model
(`session.replay`, app/journal.py) to fill the Qt models, and decides nothing about counting or storage.
Messages reaching the teller are the app's sentences, worded for the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from opensel_desktop.app import account as account_uc
from opensel_desktop.app import entry, journal, rejections
from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import Session
from opensel_desktop.app.declaring import CountInput, count_input, count_model, journaled_result
from opensel_desktop.app.declaring import run_count as run_engine
from opensel_desktop.app.errors import AppError, gui_text
from opensel_desktop.contest.model import Contest
from opensel_desktop.engine import Result
from opensel_desktop.gui import next_steps  # noqa: F401  (the window's words for each next step)
from opensel_desktop.gui.models.diff import DiffRow
from opensel_desktop.gui.models.journal import JournalRow
from opensel_desktop.gui.models.papers import PaperRow
from opensel_desktop.gui.views.account_panel import AccountRow
from opensel_desktop.gui.views.grid_entry import BundleEntry
from opensel_desktop.gui.wording import papers as papers_words
from opensel_desktop.gui.wording import ranking_text

FIRST_SIDE, SECOND_SIDE = "first", "second"


def tr(text: str) -> str:
    return QCoreApplication.translate("Meeting", text)


CountSnapshot = CountInput  # what a background count gets: values only, no session


def run_count(snapshot: CountSnapshot) -> Result:
    """Runs on a worker thread: the engine over an immutable snapshot."""
    return run_engine(snapshot)


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
        self.channel: str | None = None  # the channel new papers are tagged with, when the contest has several

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
        """The batch list for one side, from the read model (corrections replace, rejections shown)."""
        batch = self.batch if batch is None else batch
        side = self.side if side is None else side
        b = self.session.replay.batches.get(batch)
        if b is None:
            return []
        mismatched = {m.paper for m in b.mismatches()}
        out = []
        for n, e in sorted(b.entries[side].items()):
            state = "withdrawn" if n in b.withdrawn else "mismatch" if n in mismatched else (
                "corrected" if e.corrected else "saved")
            out.append(PaperRow(n, e.marks or (), e.rejected, state, e.teller))
        return out

    def next_number(self) -> int:
        rows = self.papers()
        return max((r.number for r in rows), default=0) + 1

    def batch_labels(self) -> list[str]:
        return [b.label for b in self.session.batches()]

    def channels(self) -> list[str]:
        return [c.name for c in self.contest.channels]

    def batch_channel(self, batch: str | None = None) -> str | None:
        """The channel a batch's papers are tagged with: the one its first paper was keyed under, else the
        channel chosen for new batches. None when the contest has fewer than two channels (nothing to
        tell apart: the account puts every paper in its one channel)."""
        if len(self.channels()) < 2:
            return None
        b = self.session.replay.batches.get(self.batch if batch is None else batch)
        if b is not None and b.channel:
            return b.channel
        return self.channel or self.channels()[0]

    def is_single(self, batch: str) -> bool:
        return any(b.label == batch and b.state == "single" for b in self.session.batches())

    def withdrawable_batches(self) -> list[str]:
        """Batches of keyed papers the officer may take a paper back from (not bundles, imported files or
        a station's sealed batch files)."""
        return [label for label, b in self.session.replay.batches.items()
                if not b.is_bundle and not b.import_events and not b.merged
                and (b.entries[FIRST_SIDE] or b.entries[SECOND_SIDE])]

    def paper_entries(self, batch: str, paper: int) -> str:
        """What each teller keyed for one paper, by name, for the officer about to withdraw it."""
        b = self.session.replay.batches.get(batch)
        if b is None:
            return tr("There is no batch {0}.").format(batch)
        names = self.contest.names
        lines = []
        for side, words in ((FIRST_SIDE, tr("First entry")), (SECOND_SIDE, tr("Second entry"))):
            e = b.entries[side].get(paper)
            if e is None:
                continue
            what = tr("rejected: {0}").format(e.rejected) if e.rejected else ranking_text(e.marks or (), names)
            lines.append(tr("{0} ({1}): {2}").format(words, e.teller, what))
        if not lines:
            return tr("Batch {0} has no paper {1}.").format(batch, paper)
        if paper in b.withdrawn:
            lines.append(tr("This paper is already withdrawn."))
        return "\n".join(lines)

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
        b = self.session.replay.batches.get(batch)
        if b is None:
            return []
        first = {r.number: r for r in self.papers(batch, FIRST_SIDE)}
        second = {r.number: r for r in self.papers(batch, SECOND_SIDE)}
        if not second:
            return []
        bad = {m.paper for m in b.mismatches()}
        out = []
        last = max(second)  # blind: nothing is shown of papers the second teller has not reached yet
        for n in sorted(n for n in set(first) | set(second) if n <= last):
            row = DiffRow(n, first.get(n), second.get(n), resolved=n in b.resolved and n not in bad)
            if n in bad and row.agrees:  # the read model's view wins: it is what counts
                row = DiffRow(n, first.get(n), None)
            out.append(row)
        return out

    def account_rows(self) -> tuple[list[AccountRow], bool, str]:
        acc = self.session.account()
        st = acc.statement  # the same statement the sheets print (screen and paper agree)
        # rejections are recorded by heading, not by channel: with one channel they are all its own
        only = st.rejected_total if len(st.channels) == 1 else None
        rows = [AccountRow(c.name, c.issued, c.spoilt, c.unused, c.found, c.counted, only, c.variance,
                           c.explanation) for c in st.channels]
        rows.append(AccountRow("all channels", st.issued, st.spoilt, st.unused, st.found, st.counted,
                               st.rejected_total, st.count_variance, st.explanation))
        if acc.reconciles:
            message = tr("The ballot paper account reconciles: {0} found, {1} valid, {2} rejected.").format(
                papers_words(st.found or 0), acc.counted, st.rejected_total)
        else:
            message = tr("The account does not reconcile: {0}").format(acc.problems[0])
        return rows, acc.reconciles, message

    def journal_rows(self) -> list[JournalRow]:
        return [JournalRow(r.seq, r.at, r.actor, r.kind, r.text, r.batch, r.corrects, r.verified)
                for r in journal.rows(self.session)]

    def snapshot(self) -> CountSnapshot:
        """The agreed papers as they stand, for a live count off the GUI thread (the app's own count input,
        so a live count and F5 cannot disagree)."""
        return count_input(self.session.replay)

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
            return rejections.reject(s, rejected, 1, teller=self.teller, batch=self.batch, paper=number,
                            note="rejected at entry", second=second)
        return entry.enter_paper(s, ranking, teller=self.teller, batch=self.batch, seq=number, second=second,
                                 channel=self.batch_channel())

    def withdraw_rejection(self, number: int, reason: str) -> Changes:
        """Take back this teller's rejection of a paper of the current batch (appended, with the reason)."""
        return rejections.correct_rejection(self.session, reason, batch=self.batch, paper=number,
                                              second=self.side == SECOND_SIDE, teller=self.teller)

    def withdraw_paper(self, batch: str, paper: int, reason: str, officer: str) -> Changes:
        """The returning officer takes back a paper keyed by mistake (journaled with her reason)."""
        return entry.withdraw_paper(self.session, batch, paper, reason, officer)

    def correct(self, number: int, ranking: tuple[int, ...], reason: str) -> Changes:
        return entry.correct_paper(self.session, self.batch, number, ranking, reason, teller=self.teller,
                                          second=self.side == SECOND_SIDE)

    def resolve(self, number: int, which: str) -> Changes:
        """The physical paper was checked: `which` entry ("first"/"second") shows what it says."""
        row = next(r for r in self.diff_rows() if r.number == number)
        chosen = row.first if which == FIRST_SIDE else row.second
        marks = None if chosen is None or chosen.rejected else chosen.ranking
        reason = f"paper checked by {self.teller}: the {which} entry is right"
        heading = chosen.rejected if chosen is not None else None
        return entry.resolve_mismatch(self.session, self.batch, number, marks, reason, officer=self.teller,
                                             rejected=heading or None)

    def switch(self, teller: str, role: str) -> Changes:
        changes = entry.switch_teller(self.session, teller, role)
        self.teller, self.role = teller, role
        return changes

    def record_account(self, channel: str, issued: int, spoilt: int, unused: int, returned: int | None,
                       explanation: str) -> Changes:
        return account_uc.record_account(self.session, channel, issued, spoilt, unused, returned, explanation,
                                           actor=self.teller)

    def recount_against_declared(self) -> tuple[bool, list[str]]:
        """Recount now (not journaled) and set it beside the declared (or latest provisional) result."""
        model = self.session.replay
        saved = journaled_result(model)
        result = count_model(model)
        if saved is None:
            return False, [tr("No result was declared or saved; the recount elects: {0}.").format(
                ", ".join(result.elected) or tr("nobody"))]
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

    # --- reads for the window's views, from the app's read model -----------------------------------------

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
        model = self.session.replay
        batches = [b.status() for b in model.batches.values() if not b.is_bundle and not b.import_events]
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
