"""What the window does to count, draw a lot, record the account and declare (part of MainWindow)."""

from __future__ import annotations

from pathlib import Path

from opensel_desktop.app import declaring
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.engine import NeedsLot, Result
from opensel_desktop.gui.dialogs.declare_dialog import DeclareDialog
from opensel_desktop.gui.dialogs.key_dialog import KeyDialog
from opensel_desktop.gui.dialogs.lot_dialog import LotDialog
from opensel_desktop.gui.dialogs.override_dialog import OverrideDialog
from opensel_desktop.gui.meeting import run_count, short


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
            self.account.message(short(exc, self.meeting.path))
            return
        self.say(changes.message)
        self._refresh_after_write()

    def live_recount(self) -> None:
        """The provisional figures shown while tellers key: never journaled, computed off the GUI thread."""
        m = self.meeting
        if m is None:
            return
        snap = m.snapshot()
        # rounds, trigger returns and motions count from the contest itself, not from keyed papers
        from_papers = snap.rule not in ("exhaustive", "trigger", "motion")
        if from_papers and snap.election.ballots.total == 0:
            self.results.show_result(None)
            waiting = m.pending_papers()
            self.results.banner.setText(self.tr("No agreed papers yet") + (
                self.tr(" ({0} keyed, waiting for the second entry)").format(waiting) if waiting else ""))
            return
        self.worker.submit(run_count, snap)

    def _live_result(self, result: Result, seconds: float) -> None:
        self.results.set_busy(False)
        self.result = result
        self._show(result)
        self.results.timing.setText(self.tr("Counted in {0:.0f} ms.").format(seconds * 1000))

    def _show(self, result: Result) -> None:
        self.results.show_result(result)
        if self.projector is not None:
            self.projector.results.declared = self.results.declared
            self.projector.results.show_result(result)

    def _live_failed(self, exc: object) -> None:
        self.results.set_busy(False)
        if isinstance(exc, NeedsLot):
            self.results.banner.setText(self.tr("A lot is needed: press F5 to count and draw it."))
        else:
            self.results.banner.setText(short(exc, self.meeting.path if self.meeting else None))

    def count_now(self, override_reason: str | None = None) -> None:
        """The official provisional count: journaled by the app; a needed lot opens the lot dialog, an account
        that does not reconcile asks for the reason to count anyway."""
        m = self.meeting
        if m is None:
            return
        reason = override_reason or getattr(self, "_override_reason", None)
        try:
            result = declaring.count_meeting(m.session, override_reason=reason)
        except AppError as exc:
            if exc.step in (Next.RECORD_ACCOUNT_OR_OVERRIDE, Next.MERGE_OR_OVERRIDE) and not reason:
                dialog = OverrideDialog(short(exc.message, m.path), self.tr("count"), self)
                dialog.accepted.connect(lambda: self.count_now(dialog.text()))
                self._open_dialog(dialog)
                return
            self.say(short(exc, m.path))
            return
        except NeedsLot as need:
            self._override_reason = reason  # the lot dialog comes back here: ask for the reason once
            r = need.request
            dialog = LotDialog(r.among, r.stage, r.reason, r.purpose, self)
            dialog.accepted.connect(lambda: self._lot_drawn(dialog))
            self._open_dialog(dialog)
            return
        self._override_reason = None
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
            self.say(short(exc, self.meeting.path))
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
        problem = "" if acc.reconciles or pending else acc.problems[0]
        dialog = DeclareDialog(checks, self._sign, key_path or str(self.settings.value("key", "")), self, summary,
                               problem)
        dialog.declared.connect(self._declared)
        self._open_dialog(dialog)

    def _sign(self, key_path: Path, passphrase: str, override_reason: str | None = None) -> Path:
        """Check the passphrase, declare, then build and sign the sheets: the app does each step."""
        from opensel_desktop.app.keys import load_officer_key
        from opensel_desktop.app.sheets import make_report

        m = self.meeting
        assert m is not None
        try:
            key = load_officer_key(key_path, passphrase)
            if m.state() != "declared":
                declaring.declare(m.session, key.name or m.teller, override_reason, key=key)
            out = m.path.with_name(m.path.stem + "-declaration.pdf")
            # the sheet of the result just declared, from this session: no second open, no second count
            make_report(m.path, out, key=key, session=m.session)
        except AppError as exc:
            raise AppError(short(short(exc, m.path), key_path)) from None
        self.settings.setValue("key", str(key_path))
        return out

    def _declared(self, pdf: str) -> None:
        self.last_pdf = Path(pdf)
        self.results.set_declared(True)
        self._remember(str(self.meeting.path), "declared")
        self.say(self.tr("Result declared and the sheets signed."))
        self._refresh_after_write()

    def create_key(self) -> None:
        from opensel_desktop.app.keys import OfficerKey, write_officer_key
        from opensel_desktop.contest.names import printable

        made: list[OfficerKey] = []

        def create(name: str, passphrase: str, path: Path) -> None:
            made.append(write_officer_key(path, name, passphrase))

        dialog = KeyDialog(create, "", self)
        # the fingerprint identifies every sheet she signs: shown once, as `opensel keygen` prints it
        dialog.accepted.connect(lambda: made and self.say(self.tr(
            "Key for {0} saved. Certificate fingerprint (SHA-256): {1}; give it to the scrutineer.").format(
                printable(made[-1].name), made[-1].fingerprint)))
        self._open_dialog(dialog)

