"""The auditor's checks: journal, chain, recount against the declared result, a signed sheet (part of
MainWindow; read-only, nothing here writes). The recount and the sheet check are background ops, each
opening the saved contest for itself, so a big contest never freezes the window."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from opensel_desktop.gui.errors import error_text


@dataclass(frozen=True, slots=True)
class SheetCheckRequest:
    pdf: Path
    contest: Path


def recount_job(path: Path) -> tuple[bool, list[str]]:
    """On a worker: open the saved contest read-only, recount it, set it beside the declared result."""
    from opensel_desktop.gui.meeting import open_meeting

    meeting = open_meeting(path, "auditor", "auditor", readonly=True)
    try:
        return meeting.recount_against_declared()
    finally:
        meeting.close()


def sheet_job(r: SheetCheckRequest):
    from opensel_desktop.app.sheets import verify_sheet

    return verify_sheet(r.pdf, r.contest)


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
        signatures = self.tr("1 signature recorded.") if len(sigs) == 1 else \
            self.tr("{0} signatures recorded.").format(len(sigs))
        if chain.ok:
            text = self.tr("The journal's hash chain holds for all {0} events (head {1}…). {2}").format(
                chain.events, chain.head[:16], signatures)
        else:
            text = self.tr("The journal does not verify: {0}").format(error_text(chain.message))
        self.auditor.set_status(chain.ok, text)

    def audit_recount(self) -> None:
        m = self.meeting
        if m is None or self.auditor is None:
            return
        auditor = self.auditor
        auditor.set_working(self.tr("Recounting from the journal…"))
        self.ops.run("recount", recount_job, m.path, success=lambda value: auditor.set_diff(*value),
                     failure=lambda exc: auditor.set_diff(False, [error_text(exc, m.path)]),
                     label=self.tr("Recounting…"))

    def audit_pdf(self, pdf: str | None = None) -> None:
        """Check a signed result sheet against this contest: signature, digest and QR (report/ does it)."""
        m = self.meeting
        if m is None or self.auditor is None:
            return
        if pdf is None:
            pdf, _ = QFileDialog.getOpenFileName(self, self.tr("Check a signed result sheet"), str(m.path.parent),
                                                 self.tr("PDF (*.pdf)"))
            if not pdf:
                return
        auditor, name = self.auditor, Path(pdf).name

        def checked(check) -> None:  # app.sheets.SheetCheck: the sheet's verdict and whether its signer is the pin
            verdict = check.verdict
            if check.ok and check.signer_ok:
                lines = [self.tr("{0}: the signature by {1} holds, the file is intact, and its result matches this "
                                 "contest.").format(name, verdict.signer or self.tr("the returning officer"))]
            elif check.ok:
                lines = [self.tr("{0}: the signature holds and the result matches, but no returning officer's key "
                                 "is pinned in this contest: compare the key fingerprint {1} with the one the "
                                 "returning officer published.").format(name, verdict.fingerprint)]
            else:
                problems = list(verdict.problems)
                if check.signer_ok is False:
                    problems.insert(0, self.tr("it is not signed by the returning officer's key pinned in this "
                                               "contest"))
                lines = [self.tr("{0} does NOT check out:").format(name), *problems]
            auditor.diff.clear()
            auditor.diff.addItems(lines)

        auditor.set_working(self.tr("Checking {0}…").format(name))
        self.ops.run("sheet-check", sheet_job, SheetCheckRequest(Path(pdf), m.path), success=checked,
                     failure=lambda exc: auditor.set_diff(False, [error_text(exc, pdf)]),
                     label=self.tr("Checking the signed sheet…"))
