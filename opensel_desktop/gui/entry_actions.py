"""What the window does when a teller keys, corrects, switches or starts a second entry (a part of
MainWindow kept in its own module so the window stays a thin shell, STYLE.md habit 14)."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from opensel_desktop.app import entry as entry_uc
from opensel_desktop.app.changes import Changes
from opensel_desktop.app.errors import AppError
from opensel_desktop.gui import theme
from opensel_desktop.gui.meeting import SECOND_SIDE, short
from opensel_desktop.gui.models.papers import PaperRow
from opensel_desktop.gui.views.ballot_form import PaperEntry


class _SavedCommand(QUndoCommand):
    """Something already journaled, on the undo stack. Undo never deletes; redo after an undo only
    leaves the correction the undo opened (QUndoStack.push calls redo once for the entry itself)."""

    def __init__(self, window, text: str, number: int):
        super().__init__(text)
        self.window, self.number = window, number
        self._pushed = False

    def redo(self) -> None:
        if self._pushed:
            self.window.leave_correction()
        self._pushed = True


class EntryCommand(_SavedCommand):
    """A saved paper. Undo reopens the paper in the form, and what the teller keys next is journaled
    as a correction (UX.md "Ctrl+Z appends a correction")."""

    def __init__(self, window, number: int, ranking: tuple[int, ...]):
        super().__init__(window, window.tr("paper {0}").format(number), number)
        self.ranking = ranking

    def undo(self) -> None:
        self.window.start_correction(self.number, self.ranking)


class RejectionCommand(_SavedCommand):
    """A saved rejection. Undo appends its withdrawal (with a reason) and puts the same paper number
    back in the form, to be keyed again as it really is; the journal keeps both."""

    def __init__(self, window, number: int, heading: str):
        super().__init__(window, window.tr("rejection of paper {0}").format(number), number)
        self.heading = heading

    def undo(self) -> None:
        self.window.withdraw_rejection(self.number)


class EntryActions:
    """Mixed into MainWindow: every method works on the window's meeting and views."""

    # --- entry -----------------------------------------------------------------------------------------

    def paper_entered(self, entry: PaperEntry) -> None:
        m, form = self.meeting, self.entry.form if self.entry else None
        if m is None or form is None:
            return
        number = form.number
        try:
            if self.correcting is not None:
                if entry.rejected is not None:
                    raise AppError(self.tr("A saved paper cannot be turned into a rejection here; ask the "
                                           "returning officer to record it."))
                changes: Changes | str = m.correct(self.correcting, entry.ranking,
                                                   self.tr("corrected by the teller straight after entry (undo)"))
            else:
                changes = m.enter(entry.ranking, entry.rejected, number)
        except (AppError, ValueError) as exc:
            form.message.setText(short(exc, m.path))  # nothing saved: the paper stays in the form
            return
        if isinstance(changes, Changes):
            self.say(changes.message if entry.rejected is not None else
                     self.tr("Paper {0} saved.").format(changes.paper or number))
            if self.correcting is None and entry.rejected is None:
                self.undo.push(EntryCommand(self, number, entry.ranking))
            elif self.correcting is None and entry.rejected is not None:
                self.undo.push(RejectionCommand(self, number, entry.rejected))
        else:
            self.say(changes)
        was_correcting = self.correcting is not None
        self.correcting = None
        if was_correcting:
            self.entry.set_papers(m.papers())
        else:
            self.entry.add_paper(PaperRow(number, entry.ranking, entry.rejected, "saved", m.teller))
        form.clear()
        form.set_paper_number(number + 1 if not was_correcting else m.next_number(), m.batch)
        self.bridge.publish("tally_did_change", changes)

    def start_correction(self, number: int, ranking: tuple[int, ...]) -> None:
        if self.entry is None:
            return
        form = self.entry.form
        self.correcting = number
        form.clear()
        for pref, cand in enumerate(ranking, start=1):
            form._set_mark(cand, pref)
        form.heading.setText(self.tr("Correcting paper {0}: key it again and press Enter").format(number))
        form.focus_box(0)
        self.say(self.tr("Paper {0} reopened: what you key now is saved as a correction.").format(number))

    def withdraw_rejection(self, number: int) -> None:
        """Ctrl+Z on a rejection: journal its withdrawal, then key the same paper again."""
        m = self.meeting
        if self.entry is None or m is None:
            return
        try:
            changes = m.withdraw_rejection(number, self.tr("withdrawn by the teller straight after entry (undo)"))
        except AppError as exc:
            self.say(short(exc, m.path))
            return
        form = self.entry.form
        self.correcting = None
        self.entry.set_papers(m.papers())
        form.clear()
        form.set_paper_number(number, m.batch)
        self.say(self.tr("Rejection of paper {0} withdrawn: key the paper again.").format(number))
        self.bridge.publish("tally_did_change", changes)

    def reopen(self, number: int) -> None:
        """F2 on a paper in the batch list: key it again; the edit is journaled as a correction."""
        if self.entry is None:
            return
        row = next((r for r in self.entry.papers.rows() if r.number == number), None)
        if row is None or row.rejected:
            self.say(self.tr("Paper {0} was rejected; only the returning officer can change that.").format(number))
            return
        self.start_correction(number, row.ranking)

    def bundle_entered(self, col: int, votes: tuple[int, ...], papers: int) -> None:
        m = self.meeting
        if m is None or self.grid is None:
            return
        label = self._bundle_label(col)
        try:
            changes = entry_uc.enter_bundle(m.session, label, dict(enumerate(votes)), teller=m.teller,
                                             second=m.side == SECOND_SIDE, papers=papers)
        except AppError as exc:
            self.grid.message.setText(short(exc, m.path))
            return
        self.say(changes.message)
        self.bridge.publish("tally_did_change", changes)
        if m.session.diff(label):
            self.grid.message.setText(self.tr("Bundle {0}: the two entries differ. Recount the bundle, key its true "
                                              "totals in its column and press Ctrl+R.").format(col + 1))
            self.grid.message.setStyleSheet(theme.alarm_style(bold=True))

    def leave_correction(self) -> None:
        if self.entry is None or self.meeting is None:
            return
        self.correcting = None
        self.entry.form.clear()
        self.entry.form.set_paper_number(self.meeting.next_number(), self.meeting.batch)

    def resolve(self, number: int, which: str) -> None:
        if self.meeting is None:
            return
        try:
            changes = self.meeting.resolve(number, which)
        except (AppError, StopIteration) as exc:
            self.say(short(exc, self.meeting.path))
            return
        self.say(changes.message)
        self.bridge.publish("tally_did_change", changes)

    def switch_teller(self) -> None:
        if self.meeting is None:
            return
        self.ask_name(self._switch, self.meeting.contest.tellers)

    def _switch(self, name: str, role: str) -> None:
        try:
            self.meeting.switch(name, role)
        except AppError as exc:
            self.say(short(exc, self.meeting.path))
            return
        self._refresh_banner()
        self.say(self.tr("{0} is now at the keyboard.").format(name))

    def new_batch(self) -> None:
        m = self.meeting
        if m is None:
            return
        numbers = [int(b) for b in m.batch_labels() if b.isdigit()]
        m.batch = str(max(numbers + [int(m.batch) if m.batch.isdigit() else 0]) + 1)
        m.side = "first"
        self.undo.clear()
        self._refresh_after_write(full=True)
        self.say(self.tr("Batch {0}: first entry.").format(m.batch))

    def new_single_batch(self, officer: str | None = None, reason: str | None = None) -> None:
        """The officer decides the next batch is keyed once: ask who and why, journal it, then start it."""
        m = self.meeting
        if m is None:
            return
        if self.entry is None:
            self.say(self.tr("Single-entry batches are for ranked papers; bundle totals are keyed by two tellers."))
            return
        if officer is None or reason is None:
            from opensel_desktop.gui.dialogs.single_batch_dialog import SingleBatchDialog

            known = (m.teller if m.role == "returning officer" else "", m.contest.returning_officer or "")
            dialog = SingleBatchDialog(self, known[0] or known[1], tuple(dict.fromkeys(k for k in known if k)))
            dialog.accepted.connect(lambda: self.new_single_batch(*dialog.values()))
            self._open_dialog(dialog)
            return
        numbers = [int(b) for b in m.batch_labels() if b.isdigit()]
        label = str(max(numbers + [int(m.batch) if m.batch.isdigit() else 0]) + 1)
        try:
            changes = entry_uc.single_entry_batch(m.session, label, officer, reason)
        except AppError as exc:
            self.say(short(exc, m.path))
            return
        m.batch, m.side = label, "first"
        self.undo.clear()
        self._refresh_after_write(full=True)
        self.say(changes.message)

    def resolve_bundle(self, col: int, votes: tuple[int, ...], papers: int) -> None:
        """Ctrl+R on a bundle column: the bundle was recounted and these are its true totals."""
        m = self.meeting
        if m is None or self.grid is None:
            return
        label = self._bundle_label(col)
        reason = self.tr("bundle recounted; true totals keyed by {0}").format(m.teller)
        try:
            changes = entry_uc.resolve_bundle(m.session, label, dict(enumerate(votes)), reason, officer=m.teller, papers=papers)
        except AppError as exc:
            self.grid.message.setText(short(exc, m.path))
            return
        self.say(changes.message)
        self.bridge.publish("tally_did_change", changes)

    def _bundle_label(self, col: int) -> str:
        m = self.meeting
        assert m is not None
        return self.tr("bundle {0}").format(col + 1) if m.batch == "1" else f"{m.batch}-{col + 1}"

    def second_entry(self, teller: str | None = None) -> None:
        """The second teller keys the same batch blind: ask who, then start from paper 1."""
        if self.meeting is None:
            return
        single = next((b for b in self.meeting.session.batches() if b.label == self.meeting.batch and b.state == "single"),
                      None)
        if single is not None:
            self.say(self.tr("Batch {0} is a single-entry batch: it takes no second entry.").format(single.label))
            return
        if teller is None:
            self.ask_name(lambda name, role: self.second_entry(name), self.meeting.contest.tellers)
            return
        m = self.meeting
        if teller == m.teller:
            self.say(self.tr("The second entry must be keyed by another teller; switch teller first."))
        if teller != m.teller:
            self._switch(teller, "teller")
        m.side = SECOND_SIDE
        self.undo.clear()
        self._refresh_after_write(full=True)
        if self.grid is not None:  # blind: the first entry's figures leave the screen
            self.grid.start_entry(self.tr("Second entry (blind) by {0}").format(m.teller))
        self.say(self.tr("Batch {0}: second entry by {1}. Key the same papers in the same order.").format(
            m.batch, m.teller))

