"""Result sheets as a use-case: gather what a sheet needs, build it, sign it, journal that it was signed.

`report/` lays out and signs; `store/` journals; they meet here. The command line (`opensel report`,
`opensel verify X.pdf`) and the window's declare step call these functions. A sheet of a contest whose
returning officer's key is pinned is signed only by that key; the journal records the exact text the
sheet's QR code signs and the signature, so the file alone proves which sheets were signed.

Which journal head a sheet cites: the hash of the event that holds its result (the `declared`
event, or the latest `count_run`/`recount` for a provisional sheet), so the sheet still matches the
saved contest after later events such as the signature record. A contest with no journaled count
cites the current head. A contest file (.yaml) has no journal: its head is "" and its contest id
is `yaml-` and the first 16 hex digits of the SHA-256 of the file's bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from opensel_desktop import __version__
from opensel_desktop.app.account import account_of_model
from opensel_desktop.app.changes import Changes
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.app.keys import OfficerKey, load_officer_key
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.contest.result_io import result_json
from opensel_desktop.engine import NeedsLot
from opensel_desktop.report.digest import result_digest
from opensel_desktop.report.inputs import SheetInput
from opensel_desktop.report.verify import Expected, PdfVerdict, verify_pdf

if TYPE_CHECKING:
    from opensel_desktop.app.core import Session

MAX_PDF = 200 * 1024 * 1024
CONTEST_SUFFIXES = (".osel", ".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    path: Path
    digest: str
    signed: bool
    fingerprint: str = ""
    signer: str = ""
    declared: bool = False


def _fmt_time(at: str) -> str:
    """'2026-11-25T22:41:07.123Z' -> '2026-11-25 22:41 UTC' for the signature blocks."""
    if len(at) >= 16 and at[10] == "T":
        return f"{at[:10]} {at[11:16]}"
    return at


def sheet_input(path: str | Path, override_account: str | None = None) -> SheetInput:
    """Everything a sheet needs from a saved contest (.osel) or a contest file (.yaml)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".osel":
        return _from_osel(p)
    if suffix in (".yaml", ".yml"):
        return _from_yaml(p, override_account)
    raise AppError("result sheets are made from a saved contest (.osel) or a contest file (.yaml)", where=p)


def _from_yaml(p: Path, override_account: str | None) -> SheetInput:
    from opensel_desktop.app.counting import count_file
    from opensel_desktop.contest.yaml_io import load_contest

    contest = load_contest(p)
    result = count_file(p, override=override_account)
    data = p.read_bytes()
    cid = "yaml-" + hashlib.sha256(data).hexdigest()[:16]
    return SheetInput(contest=contest, result=result, contest_id=cid, head="", declared=False,
                      place=contest.venue, software_version=__version__,
                      notes=(f"Counted from the contest file {p.name}; not yet a saved contest.",))


def _from_osel(p: Path, session: Session | None = None) -> SheetInput:
    from opensel_desktop.app.core import Session

    if session is None:
        if not p.is_file():
            raise AppError("no such saved contest; check the name", where=p)
        with Session.open(p, "report", readonly=True) as s:
            return sheet_input_of(s)
    return sheet_input_of(session)


def sheet_input_of(s: Session) -> SheetInput:
    """Everything a sheet needs from an open saved contest; the journaled result's own Result object when
    this session counted it (so the declaration and its sheet are one count), else an independent recount
    that must reproduce the journaled result exactly."""
    from opensel_desktop.app.declaring import count_model

    s.sync()
    if not s.chain.ok:
        raise AppError("the journal does not verify, so no sheet can be made from it", step=Next.AUDIT)
    model = s.model
    contest = s.contest
    declared = model.declared
    holder = declared or model.provisional
    stamp = model.declared_at if declared is not None else model.provisional_at
    head, at = s.head_hash, ""
    result = s.results.get(stamp.seq) if stamp is not None else None
    if result is None:
        try:
            result = count_model(model)
        except NeedsLot as need:
            raise AppError(f"a lot is needed at stage {need.request.stage} between {', '.join(need.request.among)}",
                           step=Next.DRAW_LOT) from None
    if holder is not None and stamp is not None:
        head, at = stamp.hash, stamp.at
        if holder.result != result.to_json_dict():
            raise AppError("the journaled result cannot be reproduced by a recount; nothing was printed",
                           step=Next.AUDIT)
    account = account_of_model(model)
    notes: list[str] = []
    override = holder.override_reason if holder is not None else None
    if override:
        notes.append(("Declared" if declared is not None else "Counted") + " although the ballot paper account did "
                     f"not reconcile: {override}")
    if holder is None:
        notes.append("No count has been saved for this contest yet; this sheet shows a count made for it.")
    return SheetInput(contest=contest, result=result, contest_id=s.contest_id, head=head,
                      declared=declared is not None, account=account, rejected=model.rejected_counts(),
                      declared_at=_fmt_time(at), place=contest.venue, software_version=__version__,
                      notes=tuple(notes), extra={"journaled": holder is not None, "override_reason": override})


def expected_for(path: str | Path) -> Expected:
    """What a sheet of this contest must carry: its id and result digest."""
    sheet = sheet_input(path)
    return Expected(sheet.contest_id, result_digest(sheet.result, sheet.head), str(path))


def make_report(source: str | Path, out: str | Path, key_path: str | Path | None = None,
                passphrase: str | None = None, override_account: str | None = None,
                documents: tuple[str, ...] | None = None, key: OfficerKey | None = None,
                session: Session | None = None) -> ReportOutcome:
    """Build (and sign) the sheets of `source` into `out`; a signed sheet of a .osel is journaled.

    `session`: the open (writable) session of `source`, when the caller has one (the window's declare
    step): the sheet is then made from the result that session declared, with no second open or count."""
    from opensel_desktop.report.sheets import build
    from opensel_desktop.report.sign import sign_pdf

    src, dst = Path(source), Path(out)
    if dst.suffix.lower() != ".pdf":
        raise AppError("the output must be a .pdf file; give a name ending in .pdf", where=dst)
    if dst.exists() and src.exists() and dst.resolve() == src.resolve():
        raise AppError("that is the contest itself; give another name for the sheet", where=dst)
    if not dst.parent.is_dir():
        raise AppError("no such folder; create it or write the sheet elsewhere", where=dst.parent)
    if key is None and key_path is not None:  # the passphrase is checked before any work is done
        key = load_officer_key(key_path, passphrase if passphrase is not None else "")
    if session is not None:
        sheet = sheet_input_of(session)
    else:
        sheet = sheet_input(src, override_account)
    if key is not None and sheet.extra.get("journaled") is False:
        # a signature must cite a journaled result, so that an auditor can recompute what was signed
        raise AppError("no count has been saved for this contest yet; nothing was signed", step=Next.COUNT_FIRST,
                       where=src)
    if key is not None and src.suffix.lower() == ".osel":
        _check_signing_key(src, key, session)
    pdf = build(sheet, qr_signer=key.sign if key else None, documents=documents)
    if key is not None:
        location = sheet.place or sheet.contest.venue
        pdf = sign_pdf(pdf, key.private_pem(), key.certificate_pem(),
                       reason="Declaration of result" if sheet.declared else "Provisional result", location=location)
    digest = result_digest(sheet.result, sheet.head)
    tmp = _write_temp(dst, pdf)
    try:
        if key is not None and src.suffix.lower() == ".osel":
            _journal_signature(src, key, sheet, digest, session)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ReportOutcome(dst, digest, key is not None, key.fingerprint if key else "", key.name if key else "",
                         sheet.declared)


def _check_signing_key(src: Path, key: OfficerKey, session: Session | None) -> None:
    from opensel_desktop.app.core import Session
    from opensel_desktop.app.trust import require_pinned_key

    if session is not None:
        require_pinned_key(session.replay, key, "result sheets")
        return
    with Session.open(src, "report", readonly=True) as s:
        try:
            require_pinned_key(s.model, key, "result sheets")
        except AppError as exc:
            exc.where = str(src)
            raise


def _write_temp(dst: Path, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(prefix=".opensel-", suffix=".pdf", dir=dst.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return tmp


def _journal_signature(src: Path, key: OfficerKey, sheet: SheetInput, digest: str,
                       session: Session | None) -> None:
    from opensel_desktop.app.core import Session
    from opensel_desktop.report.digest import QrPayload

    signed_text = QrPayload(sheet.contest_id, digest).signed_text
    fields = {"fingerprint": key.fingerprint, "head": sheet.head,
              "result_sha256": hashlib.sha256(result_json(sheet.result).encode()).hexdigest(),
              "declared": sheet.declared, "signed_text": signed_text, "signature": key.sign(signed_text.encode()).hex()}
    if session is not None:
        _pin_and_record(session, key, digest, fields)
        return
    with Session.open(src, key.name or "returning officer") as s:
        _pin_and_record(s, key, digest, fields)


def _pin_and_record(s: Session, key: OfficerKey, digest: str, fields: dict) -> None:
    """A contest with no key pinned is pinned to the key that first signs for it; then only that key signs."""
    from opensel_desktop.app import trust

    if s.replay.pinned is None:
        trust.pin(s, key.certificate, key.name or None)
    record_signature(s, "result sheet", digest, key.name or "returning officer", fields)


def record_signature(s: Session, what: str, digest: str, signer: str, fields: dict) -> Changes:
    """Journal that a sheet was signed (allowed after the declaration: signing is part of it)."""
    from opensel_desktop.app.core import Write, clean_name
    from opensel_desktop.store import events as ev

    signer = clean_name(signer, "signer")
    body = ev.SignatureRecorded(what, digest, signer, **fields)
    return s.write(lambda _m: [Write(body, signer)], f"Signature of {what} by {signer} recorded.",
                   allow_declared=True)


@dataclass(frozen=True, slots=True)
class SheetCheck:
    """A sheet's verdict and who its signer had to be: the fingerprint given with --key, or the key pinned
    in the contest given with --contest (None: the signer was not checked against anything)."""

    verdict: PdfVerdict
    expected_signer: str | None
    signer_ok: bool | None  # None: not checked
    state: str  # "declared" | "provisional" | "" (unknown: not an OpenSel sheet)

    @property
    def ok(self) -> bool:
        """Intact, whole, its QR code signed by the same key, matching the contest given, and signed by the key
        expected when one was (whether one was is `signer_ok is not None`)."""
        return self.verdict.ok and self.signer_ok is not False


def verify_sheet(pdf_path: str | Path, contest: str | Path | None = None, key: str | None = None) -> SheetCheck:
    from opensel_desktop.app.trust import normal_fingerprint

    p = Path(pdf_path)
    try:
        data = read_named_file(p, MAX_PDF, "a result sheet", hint="; give the PDF of a result sheet")
    except FileRefused as exc:
        raise AppError(str(exc), where=p) from None
    expected = None
    want = normal_fingerprint(key) if key is not None else None
    pinned = None
    if contest is not None:
        c = Path(contest)
        if c.suffix.lower() not in CONTEST_SUFFIXES:
            raise AppError("--contest takes a saved contest (.osel) or a contest file (.yaml)", where=c)
        try:
            expected = expected_for(c)
            pinned = _pinned_fingerprint(c)
        except AppError as exc:  # a refusal about the contest names the contest, not the sheet
            exc.where = exc.where or str(c)
            raise
    verdict = verify_pdf(data, expected)
    signer_ok = None
    expected_signer = want or pinned
    if expected_signer is not None and verdict.fingerprint:
        signer_ok = verdict.fingerprint == expected_signer and (pinned is None or pinned == expected_signer)
    elif expected_signer is not None:
        signer_ok = False
    state = getattr(verdict, "state", "") or ""
    return SheetCheck(verdict, expected_signer, signer_ok, state)


def _pinned_fingerprint(path: Path) -> str | None:
    if path.suffix.lower() != ".osel":
        return None
    from opensel_desktop.app.core import Session

    with Session.open(path, "auditor", readonly=True) as s:
        return s.model.pinned.fingerprint if s.model.pinned else None
