"""What the window does to count, draw a lot, record the account, make the officer's key and declare (part of
MainWindow). Long work runs as background ops (gui/ops.py): the live count, building and signing the
sheets, making a key; the window stays responsive and says what it is doing.

F5 over an account that does not reconcile asks for the reason to count anyway (the app refuses, the
window asks). Declaring counts once, on the GUI thread inside the file's write lock, signed with the
officer's key; the sheet is made from that very result: its immutable input is taken on the GUI thread,
built and signed on a worker (app/sheets.py `render_sheet`), and saved and journaled back on the GUI
thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from opensel_desktop.app import declaring
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.app.keys import OfficerKey
from opensel_desktop.engine import NeedsLot, Result
from opensel_desktop.engine.rule_facts import TOTALS_RULES
from opensel_desktop.gui.dialogs.declare_dialog import DeclareDialog
from opensel_desktop.gui.dialogs.key_dialog import KeyDialog, KeyRequest
from opensel_desktop.gui.dialogs.lot_dialog import LotDialog
from opensel_desktop.gui.dialogs.override_dialog import OverrideDialog
from opensel_desktop.gui.errors import error_text, show_error
from opensel_desktop.gui.meeting import run_count

if TYPE_CHECKING:
    from opensel_desktop.app.sheets import RenderedSheet, SheetInput


def render_sheet(sheet: SheetInput, key: OfficerKey) -> RenderedSheet:
    from opensel_desktop.app.sheets import render_sheet as render

    return render(sheet, key)


@dataclass(frozen=True, slots=True)
class SheetRequest:
    """What building and signing the sheets needs: the sheet's immutable input and the unlocked key; no
    session, no open file."""

    sheet: SheetInput
    key: OfficerKey


def sheets_job(r: SheetRequest) -> RenderedSheet:
    """On a worker: build the result sheets and sign them (pure: the GUI thread saves and journals them)."""
    return render_sheet(r.sheet, r.key)


@dataclass(frozen=True, slots=True)
class KeyUnlock:
    """A key file and the passphrase typed for it."""

    path: Path
    passphrase: str


def unlock_job(r: KeyUnlock) -> OfficerKey:
    """On a worker: open the officer's key with its passphrase (a wrong one is refused in one sentence)."""
    from opensel_desktop.app.keys import load_officer_key

    return load_officer_key(r.path, r.passphrase)


def key_job(r: KeyRequest) -> tuple[str, str, Path]:
    """On a worker: make the officer's key pair and save it; returns the name, fingerprint and file."""
    from opensel_desktop.app.keys import write_officer_key

    key = write_officer_key(r.path, r.name, r.passphrase)
    return key.name, key.fingerprint, r.path


class CountActions:
    """Mixed into MainWindow: every method works on the window's meeting and views."""

    # --- account, count, lot, declare ------------------------------------------------------------------

    def record_account(self, channel: str, issued: int, spoilt: int, unused: int, returned: int | None,
                       explanation: str) -> None:
        if self.meeting is None or self.meeting.readonly:
            return
        try:
            changes = self.meeting.record_account(channel, issued, spoilt, unused, returned, explanation)
        except AppError as exc:
            self.account.message(error_text(exc, self.meeting.path))
            return
        self.say(changes.message)
        self.bridge.publish(changes)

    def live_recount(self) -> None:
        """The provisional figures shown while tellers key: never journaled, counted in a background op."""
        m = self.meeting
        if m is None:
            return
        snap = m.snapshot()
        # rounds, trigger returns and motions count from the contest itself, not from keyed papers
        from_papers = snap.rule not in TOTALS_RULES
        if from_papers and snap.election.ballots.total == 0:
            self.ops.cancel("count")
            self.results.set_busy(False)
            self.results.show_result(None)
            waiting = m.pending_papers()
            self.results.banner.setText(self.tr("No agreed papers yet") + (
                self.tr(" ({0} keyed, waiting for the second entry)").format(waiting) if waiting else ""))
            return
        self.results.set_busy(True)
        self.ops.run("count", run_count, snap, success=self._live_result, failure=self._live_failed)

    def cancel_count(self) -> None:
        self.ops.cancel("count")
        self.results.set_busy(False)

    def _live_result(self, result: Result) -> None:
        self.results.set_busy(False)
        self.result = result
        self._show(result)

    def _show(self, result: Result) -> None:
        self.results.show_result(result)
        if self.projector is not None:
            self.projector.results.declared = self.results.declared
            self.projector.results.show_result(result)

    def _live_failed(self, exc: BaseException) -> None:
        self.results.set_busy(False)
        if isinstance(exc, NeedsLot):
            self.results.banner.setText(self.tr("A lot is needed: press F5 to count and draw it."))
        else:
            show_error(self.results.banner, exc, self.meeting.path if self.meeting else "")

    def count_now(self, override_reason: str | None = None) -> None:
        """The official provisional count: journaled by the app; a needed lot opens the lot dialog, an account
        that does not reconcile asks for the reason to count anyway (asked once per F5)."""
        m = self.meeting
        if m is None:
            return
        reason = override_reason or getattr(self, "_override_reason", None)
        try:
            result = declaring.count_meeting(m.session, override_reason=reason)
        except AppError as exc:
            if exc.step in (Next.RECORD_ACCOUNT_OR_OVERRIDE, Next.MERGE_OR_OVERRIDE) and not reason:
                dialog = OverrideDialog(error_text(exc.message, m.path), self.tr("count"), self)
                dialog.accepted.connect(lambda: self.count_now(dialog.text()))
                self._open_dialog(dialog)
                return
            show_error(self, exc, m.path)
            return
        except NeedsLot as need:
            self._override_reason = reason  # the lot dialog comes back here: the reason is not asked twice
            r = need.request
            dialog = LotDialog(r.among, r.stage, r.reason, r.purpose, self)
            dialog.accepted.connect(lambda: self._lot_drawn(dialog))
            self._open_dialog(dialog)
            return
        self._override_reason = None
        self.ops.cancel("count")  # a live count still under way counted before this: its answer is stale
        self.results.set_busy(False)
        self.result = result
        self._show(result)
        self._tab(self.results)
        self.say(self.tr("Provisional result saved: {0} elected.").format(", ".join(result.elected) or
                                                                           self.tr("nobody")))
        self._refresh_after_write()

    def _lot_drawn(self, dialog: LotDialog) -> None:
        d = dialog.decision()
        try:
            changes = declaring.record_lot(self.meeting.session, ", ".join(d.witnesses), seed=d.seed, chosen=d.chosen)
        except AppError as exc:
            show_error(self, exc, self.meeting.path)
            return
        self.say(changes.message)
        self.count_now()

    def declare(self, key_path: str = "") -> None:
        m = self.meeting
        if m is None:
            return
        rows, reconciles, _ = m.account_rows()
        pending = [b.label for b in m.session.batches() if b.state not in ("single", "agreed")]
        checks = {"account": reconciles, "mismatches": not pending}
        summary = ""
        if self.result is not None:
            summary = self.tr("To be declared elected: {0}").format(", ".join(self.result.elected) or self.tr("nobody"))
        acc = m.session.account()
        problem = "" if acc.reconciles or pending else error_text(acc.problems[0])
        dialog = DeclareDialog(checks, self._sign, key_path or str(self.settings.value("key", "")), self, summary,
                               problem)
        dialog.declared.connect(self._declared)
        self._open_dialog(dialog)

    def _sign(self, key_path: Path, passphrase: str, override_reason: str | None = None) -> None:
        """Check the passphrase and declare, signed with the key (the app does each; a wrong passphrase or a
        key other than the pinned one declares nothing), then build and sign the sheets of that very result
        in a background op; the dialog hears how it went."""
        m = self.meeting
        dialog = self.dialog
        assert m is not None and isinstance(dialog, DeclareDialog)
        # opening the key (scrypt, about half a second) is long work too: on a worker, then back here
        self.ops.run("unlock", unlock_job, KeyUnlock(Path(key_path), passphrase),
                     success=lambda key: self._declare_with(key, key_path, override_reason),
                     failure=lambda exc: dialog.sheets_failed(error_text(exc, m.path, key_path)),
                     label=self.tr("Checking the passphrase…"))

    def _declare_with(self, key: OfficerKey, key_path: Path, override_reason: str | None) -> None:
        """The key is open: declare (on the GUI thread, in the file's write lock), then build and sign."""
        from opensel_desktop.app.sheets import prepare_sheet, save_sheet

        m = self.meeting
        dialog = self.dialog
        if m is None or not isinstance(dialog, DeclareDialog):
            return  # the contest or the dialog was closed while the key was being opened
        out = m.path.with_name(m.path.stem + "-declaration.pdf")
        try:
            if m.state() != "declared":
                declaring.declare(m.session, key.name or m.teller, override_reason, key=key)
            request = SheetRequest(prepare_sheet(m.session, key), key)
        except AppError as exc:
            dialog.sheets_failed(error_text(exc, m.path, key_path))
            self._refresh_after_write()
            return
        self.settings.setValue("key", str(Path(key_path).resolve()))
        self._refresh_after_write()

        def signed(rendered: RenderedSheet) -> None:
            try:
                pdf = save_sheet(rendered, out, m.session, key)  # journals the signature
            except AppError as exc:
                dialog.sheets_failed(error_text(exc, m.path, key_path))
                return
            self._refresh_after_write()
            dialog.sheets_ready(pdf)

        self.ops.run("sheets", sheets_job, request, success=signed,
                     failure=lambda exc: dialog.sheets_failed(error_text(exc, m.path, key_path)),
                     label=self.tr("Building and signing the sheets…"))

    def _declared(self, pdf: str) -> None:
        self.last_pdf = Path(pdf)
        self.results.set_declared(True)
        if self.meeting is not None:
            self._remember(str(self.meeting.path), "declared")
        self._lock_declared()
        self.say(self.tr("Result declared and the sheets signed."))
        self._refresh_after_write()

    def create_key(self) -> None:
        folder = self.meeting.path.parent if self.meeting is not None else Path.home()
        name = (self.meeting.contest.returning_officer or "") if self.meeting is not None else ""
        dialog = KeyDialog(self._make_key, folder, name, self)
        self._open_dialog(dialog)

    def _make_key(self, request: KeyRequest) -> None:
        dialog = self.dialog
        assert isinstance(dialog, KeyDialog)

        def made(value: tuple[str, str, Path]) -> None:
            name, fingerprint, path = value
            self.settings.setValue("key", str(path))  # offered by the next declaration
            dialog.made(name, fingerprint, path)
            self.say(self.tr("The returning officer's key is saved as {0}; Declare (Ctrl+D) offers it.").format(
                path.name))

        self.ops.run("key", key_job, request, success=made, failure=lambda exc: dialog.failed(error_text(exc)),
                     label=self.tr("Making the returning officer's key…"))
