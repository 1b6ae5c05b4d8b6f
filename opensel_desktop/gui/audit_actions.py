"""The auditor's checks: journal, chain, recount against the declared result, a signed sheet (part of
MainWindow; read-only, nothing here writes)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from opensel_desktop.app.errors import AppError
from opensel_desktop.engine import NeedsLot
from opensel_desktop.gui.meeting import short


class AuditActions:
    """Mixed into MainWindow: every method works on the window's meeting and views."""

    # --- auditor ---------------------------------------------------------------------------------------

    def _fill_auditor(self) -> None:
        m = self.meeting
        if m is None or self.auditor is None:
            return
        self.auditor.set_journal(m.journal_rows())
        chain = m.session.verify()
        sigs = [e for e in m.session.events() if e.kind == "signature_recorded"]
        if chain.ok:
            text = self.tr("The journal's hash chain holds for all {0} events (head {1}…). {2} signature(s) "
                           "recorded.").format(chain.events, chain.head[:16], len(sigs))
        else:
            text = self.tr("The journal does not verify: {0}").format(chain.message)
        self.auditor.set_status(chain.ok, text)

    def audit_recount(self) -> None:
        m = self.meeting
        if m is None or self.auditor is None:
            return
        try:
            same, lines = m.recount_against_declared()
        except (AppError, NeedsLot) as exc:
            self.auditor.set_diff(False, [short(str(exc), m.path)])
            return
        self.auditor.set_diff(same, lines)

    def audit_pdf(self, pdf: str | None = None) -> None:
        """Check a signed result sheet against this contest: signature, digest and QR (report/ does it)."""
        from opensel_desktop.app.sheets import verify_sheet

        m = self.meeting
        if m is None or self.auditor is None:
            return
        if pdf is None:
            pdf, _ = QFileDialog.getOpenFileName(self, self.tr("Check a signed result sheet"), str(m.path.parent),
                                                 self.tr("PDF (*.pdf)"))
            if not pdf:
                return
        try:
            verdict = verify_sheet(pdf, m.path)
        except AppError as exc:
            self.auditor.set_diff(False, [short(str(exc), pdf)])
            return
        name = Path(pdf).name
        if verdict.ok and verdict.signer_ok:
            lines = [self.tr("{0}: the signature by {1} holds, the file is intact, and its result matches this "
                             "contest.").format(name, verdict.verdict.signer or self.tr("the returning officer"))]
        elif verdict.ok:
            lines = [self.tr("{0}: the signature holds and the result matches, but no returning officer's key is "
                             "pinned in this contest: compare the key fingerprint {1} with the one the returning "
                             "officer published.").format(name, verdict.verdict.fingerprint)]
        else:
            problems = list(verdict.verdict.problems)
            if verdict.signer_ok is False:
                problems.insert(0, self.tr("it is not signed by the returning officer's key pinned in this contest"))
            lines = [self.tr("{0} does NOT check out:").format(name), *problems]
        self.auditor.diff.clear()
        self.auditor.diff.addItems(lines)

