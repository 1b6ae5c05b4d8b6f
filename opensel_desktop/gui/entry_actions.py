"""What the window does when a teller keys, corrects, switches, resolves or starts a second entry (a part of
MainWindow kept in its own module so the window stays a thin shell).

Rules of the app layer: one teller never keys both entries of a batch (the app refuses the paper; `second_entry`
says so before the first key, naming who keyed the first entry);
`withdraw_paper` is the returning officer's withdrawal of a paper keyed by mistake (the app journals it
with her name and reason; a teller's Ctrl+Z cannot take back a saved rejection of an earlier paper, she can).
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from opensel_desktop.app import entry, rejections
from opensel_desktop.app.changes import Changes
from opensel_desktop.app.errors import AppError
from opensel_desktop.gui.dialogs.withdraw_paper_dialog import WithdrawPaperDialog
from opensel_desktop.gui.errors import error_text, show_error
from opensel_desktop.gui.meeting import SECOND_SIDE
from opensel_desktop.gui.models.papers import PaperRow
from opensel_desktop.gui.views.ballot_form import PaperEntry
from opensel_desktop.gui.views.grid_entry import bundle_number, columns_for
from opensel_desktop.gui.wording import papers as papers_words


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
    as a correction (the saved entry stays in the journal)."""

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
            show_error(form.message, exc, m.path)  # nothing saved: the paper stays in the form
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
        self.bridge.publish(changes)

    def start_correction(self, number: int, ranking: tuple[int, ...]) -> None:
        if self.entry is None:
            return
        form = self.entry.form
        self.correcting = number
        form.show_ranking(ranking)
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
            show_error(self, exc, m.path)
            return
        form = self.entry.form
        self.correcting = None
        self.entry.set_papers(m.papers())
        form.clear()
        form.set_paper_number(number, m.batch)
        self.say(self.tr("Rejection of paper {0} withdrawn: key the paper again.").format(number))
        self.bridge.publish(changes)

    def reopen(self, number: int) -> None:
        """F2 on a paper in the batch list: key it again; the edit is journaled as a correction."""
        if self.entry is None:
            return
        row = next((r for r in self.entry.papers.rows() if r.number == number), None)
        if row is None or row.rejected:
            self.say(self.tr("Paper {0} was rejected; only the returning officer can change that.").format(number))
            return
        self.start_correction(number, row.ranking)

    def withdraw_paper(self) -> None:
        """Entry > Withdraw a paper keyed by mistake: the paper under the cursor (in the comparison or the
        batch list), else the batch's last paper, is offered; the officer gives her name and the reason."""
        m = self.meeting
        if m is None or m.readonly or self.entry is None:
            return
        batches = m.withdrawable_batches()
        if not batches:
            self.say(self.tr("No paper has been keyed yet: there is nothing to withdraw."))
            return
        paper = m.next_number() - 1
        for table, model in ((self.entry.diff_table, self.entry.diff), (self.entry.list, self.entry.papers)):
            idx = table.currentIndex()
            if table.hasFocus() and idx.isValid():
                paper = model.rows()[idx.row()].number
        officer = m.teller if m.role == "returning officer" else (m.contest.returning_officer or "")

        def submit(batch: str, number: int, reason: str, name: str) -> str | None:
            try:
                changes = m.withdraw_paper(batch, number, reason, name)
            except AppError as exc:
                return error_text(exc, m.path)
            self.say(changes.message)
            self.bridge.publish(changes)
            if batch == m.batch:
                self.entry.set_papers(m.papers())
                self.entry.set_diff(m.diff_rows())
            self.entry.form.focus_box(self.entry.form.current())
            return None

        dialog = WithdrawPaperDialog(batches, m.batch, paper, m.paper_entries, submit, officer,
                                     (m.contest.returning_officer or "",), self)
        self._open_dialog(dialog)

    def leave_correction(self) -> None:
        if self.entry is None or self.meeting is None:
            return
        self.correcting = None
        self.entry.form.clear()
        self.entry.form.set_paper_number(self.meeting.next_number(), self.meeting.batch)

    # --- mismatches ------------------------------------------------------------------------------------

    def go_to_mismatch(self) -> None:
        """F2: to the first unresolved mismatch; with none, to the batch list; in the batch list, reopen the
        paper under the cursor."""
        if self.grid is not None:
            if self.grid.focus_first_mismatch():
                self.say(self.tr("The two entries of this bundle differ in the marked cells: recount the bundle, key "
                                 "its true totals in its column and press Ctrl+R."))
            else:
                self.say(self.tr("No bundle has differing entries."))
            return
        if self.entry is None:
            return
        if self.entry.list.hasFocus():
            self.entry.reopen_current()
        elif self.entry.focus_first_mismatch():
            self.say(self.tr("Find this paper, then press 1 if the first entry is right or 2 if the second is."))
        else:
            self.entry.focus_papers()
            self.say(self.tr("No mismatch to resolve. F2 again reopens the paper under the cursor; Esc goes back "
                             "to the paper."))

    def resolve(self, number: int, which: str) -> None:
        m = self.meeting
        if m is None or self.entry is None:
            return
        try:
            changes = m.resolve(number, which)
        except (AppError, StopIteration) as exc:
            show_error(self, exc if isinstance(exc, AppError) else
                       self.tr("Paper {0} is no longer a mismatch.").format(number), m.path)
            return
        self.bridge.publish(changes)
        self.entry.set_diff(m.diff_rows())
        left = len(self.entry.diff.mismatches())
        if self.entry.focus_next_mismatch(number):
            self.say(self.tr("Paper {0} resolved: the {1} entry is right. {2} to go.").format(
                number, self.tr(which), papers_words(left)))
        else:
            self.entry.form.focus_box(0)
            self.say(self.tr("Paper {0} resolved. Every mismatch of batch {1} is resolved.").format(number, m.batch))

    # --- tellers and batches ---------------------------------------------------------------------------

    def switch_teller(self) -> None:
        if self.meeting is None:
            return
        self.ask_name(self._switch, self.meeting.contest.tellers)

    def _switch(self, name: str, role: str) -> None:
        try:
            self.meeting.switch(name, role)
        except AppError as exc:
            show_error(self, exc, self.meeting.path)
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
        if m.batch_channel():  # several channels: which one these papers came through
            from opensel_desktop.gui.dialogs.channel_dialog import ChannelDialog

            dialog = ChannelDialog(m.channels(), m.channel, m.batch, self)
            dialog.accepted.connect(lambda: self.set_batch_channel(dialog.channel()))
            self._open_dialog(dialog)

    def set_batch_channel(self, channel: str) -> None:
        """The channel the papers of the new batch are tagged with (and counted under in the account)."""
        m = self.meeting
        if m is None or channel not in m.channels():
            return
        m.channel = channel
        self._refresh_banner()
        if self.entry is not None:
            self.entry.form.focus_box(0)
        self.say(self.tr("Batch {0}: first entry, {1} papers.").format(m.batch, channel))

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
            changes = entry.single_entry_batch(m.session, label, officer, reason)
        except AppError as exc:
            show_error(self, exc, m.path)
            return
        m.batch, m.side = label, "first"
        self.undo.clear()
        self._refresh_after_write(full=True)
        self.say(changes.message)

    def second_entry(self, teller: str | None = None) -> None:
        """The second teller keys the same batch blind: ask who, then start from paper 1."""
        m = self.meeting
        if m is None:
            return
        single = next((b for b in m.session.batches() if b.label == m.batch and b.state == "single"), None)
        if single is not None:
            self.say(self.tr("Batch {0} is a single-entry batch: it takes no second entry.").format(single.label))
            return
        if teller is None:
            self.ask_name(lambda name, role: self.second_entry(name), m.contest.tellers)
            return
        # the app refuses a second entry by the first entry's teller; the window says so before any key is pressed
        batch = m.session.replay.batches.get(m.batch)
        first = batch.teller_of("first") if batch is not None else m.teller
        if (first or m.teller).casefold() == teller.casefold():
            self.say(self.tr("{0} keyed the first entry of batch {1}: the second entry must be keyed by another "
                             "teller. Press Ctrl+E and give the second teller's name.").format(first or teller, m.batch))
            return
        self._switch(teller, "teller")
        if m.teller != teller:
            return  # the switch was refused; its sentence is on the status line
        m.side = SECOND_SIDE
        self.undo.clear()
        self._refresh_after_write(full=True)
        if self.grid is not None:  # blind: the first entry's figures leave the screen
            self.grid.start_entry(self.tr("Second entry (blind) by {0}").format(m.teller))
            self.grid.focus_new()
        self.say(self.tr("Batch {0}: second entry by {1}. Key the same papers in the same order.").format(
            m.batch, m.teller) if self.entry is not None else
            self.tr("Second entry by {0}: key the same bundles in the same order.").format(m.teller))

    # --- bundles of X-votes ------------------------------------------------------------------------------

    def _refresh_grid(self, full: bool) -> None:
        m, grid = self.meeting, self.grid
        if m is None or grid is None:
            return
        columns = columns_for(m.bundle_entries(), m.side)
        if full or columns != grid.columns:
            grid.set_columns(columns)
        rejected = m.session.rejected()
        grid.set_rejected(self.tr("Rejected papers recorded: {0}").format(
            "; ".join(f"{h} {n}" for h, n in rejected.items())) if rejected else
            self.tr("No rejected papers recorded yet (Ctrl+J records them)."))

    def _bundle_words(self, label: str) -> str:
        n = bundle_number(label)
        return self.tr("Bundle {0}").format(n) if n else label

    def bundle_entered(self, label: str, votes: tuple[int, ...], papers: int) -> None:
        m = self.meeting
        if m is None or self.grid is None:
            return
        try:
            changes = entry.enter_bundle(m.session, label, dict(enumerate(votes)), teller=m.teller,
                                             second=m.side == SECOND_SIDE, papers=papers)
        except AppError as exc:
            show_error(self.grid.message, exc, m.path)
            return
        self.bridge.publish(changes)
        words = self.tr("{0} saved: {1}.").format(self._bundle_words(label), papers_words(papers))
        if m.session.diff(label):
            words += " " + self.tr("The two entries of this bundle differ: F2 goes to the difference.")
        self.say(words)
        self.grid.focus_new()

    def resolve_bundle(self, label: str, votes: tuple[int, ...], papers: int) -> None:
        """Ctrl+R on a bundle column: the bundle was recounted and these are its true totals."""
        m = self.meeting
        if m is None or self.grid is None:
            return
        reason = self.tr("bundle recounted; true totals keyed by {0}").format(m.teller)
        try:
            changes = entry.resolve_bundle(m.session, label, dict(enumerate(votes)), reason, officer=m.teller, papers=papers)
        except AppError as exc:
            show_error(self.grid.message, exc, m.path)
            return
        self.bridge.publish(changes)
        self.say(self.tr("{0}: the recounted totals are recorded ({1}).").format(self._bundle_words(label),
                                                                                papers_words(papers)))
        self.grid.focus_new()

    def record_rejected(self, heading: str | None = None, count: int | None = None) -> None:
        """Ctrl+J: rejected papers set aside at the count (not in any bundle), under a heading; they count as
        rejected at once."""
        m = self.meeting
        if m is None:
            return
        if heading is None or count is None:
            from opensel_desktop.gui.dialogs.reject_count_dialog import RejectCountDialog

            dialog = RejectCountDialog(m.contest.rejection_headings, self)
            dialog.accepted.connect(lambda: self.record_rejected(*dialog.values()))
            self._open_dialog(dialog)
            return
        try:
            changes = rejections.reject(m.session, heading, count, teller=m.teller, note="rejected at the count")
        except AppError as exc:
            show_error(self, exc, m.path)
            return
        self.say(changes.message)
        self.bridge.publish(changes)
