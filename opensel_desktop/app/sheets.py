"""Result sheets as a use-case: gather what a sheet needs, build it, sign it, journal that it was signed,
and check a sheet against its contest.

`report/` lays out and signs; `store/` journals; they meet here. The command line (`opensel report`,
`opensel verify X.pdf`) and the window's declare step call these functions. Gathering reads only the
session's read model (`_journal_facts`, `_papers_by_channel`, `_unit_returns`). A sheet of a contest
whose returning officer's key is pinned is signed only by that key, and the journal records the exact
text the sheet's QR code signs with the signature, so the file alone proves which sheets were signed.

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from opensel_desktop import __version__
from opensel_desktop.app.account import account_of_model, counted_by_channel
from opensel_desktop.app.changes import Changes
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.app.keys import OfficerKey, load_officer_key
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.engine import NeedsLot
from opensel_desktop.report.digest import result_hash, sheet_digest
from opensel_desktop.report.inputs import LotRecord, RejectionNote, SheetInput, UnitReturn
from opensel_desktop.report.verify import Expected, PdfVerdict, verify_pdf

if TYPE_CHECKING:
    from opensel_desktop.app.core import Session

MAX_PDF = 200 * 1024 * 1024
CONTEST_SUFFIXES = (".osel", ".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    path: Path
    digest: str  # the sheet digest (result JSON + journal head), as the QR code carries it
    signed: bool
    fingerprint: str = ""
    signer: str = ""
    declared: bool = False
    result_hash: str = ""  # SHA-256 of the result JSON alone, as `opensel declare` prints it


def _fmt_time(at: str) -> str:
    """'2026-11-25T22:41:07.123Z' -> '2026-11-25 22:41 UTC' for the signature blocks."""
    if len(at) >= 16 and at[10] == "T":
        return f"{at[:10]} {at[11:16]}"
    return at


def sheet_input(path: str | Path, override_account: str | None = None, *, signer: str = "",
                fingerprint: str = "", software_version: str = "", contest: str | None = None) -> SheetInput:
    """Everything a sheet needs from a saved contest (.osel) or a contest file (.yaml); `signer` and
    `fingerprint` name who signs it (printed on every page and carried in the QR code); `contest`: which
    contest of a saved meeting of several."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".osel":
        sheet = _from_osel(p, contest)
    elif suffix in (".yaml", ".yml"):
        sheet = _from_yaml(p, override_account)
    else:
        raise AppError("result sheets are made from a saved contest (.osel) or a contest file (.yaml)", where=p)
    return replace(sheet, signer=signer, fingerprint=fingerprint,
                   software_version=software_version or sheet.software_version)


def _from_yaml(p: Path, override_account: str | None) -> SheetInput:
    from opensel_desktop.app.counting import count_contest
    from opensel_desktop.contest.yaml_io import parse_contest, read_contest_bytes

    data = read_contest_bytes(p)  # read once: the sheet's id is the hash of the very bytes counted
    contest = parse_contest(data, str(p))
    result = count_contest(contest, p, override=override_account)
    cid = "yaml-" + hashlib.sha256(data).hexdigest()[:16]
    # no file name in the note: a sheet must rebuild the same whatever the file is called when checked
    return SheetInput(contest=contest, result=result, contest_id=cid, head="", declared=False,
                      place=contest.venue, software_version=__version__,
                      notes=("Counted from a contest file; not yet a saved contest.",),
                      unit_returns=_unit_returns(contest))


def _from_osel(p: Path, contest: str | None = None) -> SheetInput:
    from opensel_desktop.app.core import Session

    if not p.is_file():
        raise AppError("no such saved contest; check the name", where=p)
    with Session.open(p, "report", readonly=True, contest=contest) as s:
        try:
            return sheet_input_of(s)
        except AppError as exc:
            exc.where = exc.where or str(p)
            raise


def sheet_input_of(s: Session, signer: str = "", fingerprint: str = "") -> SheetInput:
    """Everything a sheet needs from an open saved contest: the journaled result's own Result when this
    session counted it (the declaration and its sheet are one count), else an independent recount that
    must reproduce the journaled result exactly."""
    from opensel_desktop.app.declaring import count_model, counting_contest

    s.sync()
    if not s.chain.ok:
        raise AppError("the journal does not verify, so no sheet can be made from it", step=Next.AUDIT)
    model = s.model
    contest = s.contest
    declared = model.declared
    holder = declared or model.provisional
    stamp = model.declared_at if declared is not None else model.provisional_at
    result = s.results.get(stamp.seq) if stamp is not None else None
    if result is None:
        try:
            result = count_model(model)
        except NeedsLot as need:
            raise AppError(f"a lot is needed at stage {need.request.stage} between {', '.join(need.request.among)}",
                           step=Next.DRAW_LOT) from None
    head, at = s.head_hash, ""
    if holder is not None and stamp is not None:
        head, at = stamp.hash, stamp.at
        from opensel_desktop.app.audit import same_figures

        now = result.to_json_dict()
        if holder.result != now and not (holder.result.get("rule_version") != now.get("rule_version")
                                         and same_figures(holder.result, now)):
            raise AppError("the journaled result cannot be reproduced by a recount; nothing was printed",
                           step=Next.AUDIT)
    override = holder.override_reason if holder is not None else None
    keyed_by, lots, rejections = _journal_facts(s)
    notes: list[str] = []
    if override:
        notes.append(("Declared" if declared is not None else "Counted") + " although the ballot paper account did "
                     f"not reconcile: {override}")
    if holder is None:
        notes.append("No count has been saved for this contest yet; this sheet shows a count made for it.")
    return SheetInput(contest=contest, result=result, contest_id=sheet_id(s), head=head,
                      declared=declared is not None, account=account_of_model(model),
                      rejected=model.rejected_counts(), declared_at=_fmt_time(at), place=contest.venue,
                      software_version=__version__, notes=tuple(notes),
                      extra={"journaled": holder is not None, "override_reason": override},
                      keyed_by=keyed_by, lot_records=lots, rejection_notes=rejections,
                      entered_by_channel=_papers_by_channel(s), unit_returns=_unit_returns(counting_contest(model)),
                      signer=signer, fingerprint=fingerprint)


# ---- what the journal adds to a sheet (read from an open Session only) ---------------------------------

def _journal_facts(s: Session) -> tuple[tuple[str, ...], tuple[LotRecord, ...], tuple[RejectionNote, ...]]:
    """The tellers who keyed the batches that count, the lots' witnesses, and the notes recorded against
    rejections that count (an agent's objection is recorded as such a note)."""
    model = s.model
    counting = model.counting_batches()
    labels = {b.label for b in counting}
    keyed: list[str] = []
    for b in counting:
        if b.import_events:  # an imported file (the contest file's papers): nobody keyed it
            continue
        for name in b.tellers.values():
            if name and name not in keyed:
                keyed.append(name)
    lots = tuple(LotRecord(d.stage, tuple(d.among), d.purpose, d.witness) for d in model.lots.values())
    notes: list[RejectionNote] = []
    seen: set[tuple[str, int | None, str]] = set()
    for _seq, r in sorted(model.rejection_events.items()):  # the rejections not withdrawn, in journal order
        note = (r.note or "").strip()
        if not note or (r.batch and r.batch not in labels):
            continue
        key = (r.batch, r.paper, note)  # both tellers' entries of one paper carry the same note
        if key in seen:
            continue
        seen.add(key)
        notes.append(RejectionNote(r.heading, r.count, note, r.batch, r.paper))
    return tuple(keyed), lots, tuple(notes)


def _papers_by_channel(s: Session) -> tuple[tuple[str, int], ...]:
    """Valid papers per channel, when every paper that counts came through a named channel (imported with
    it, or keyed with `--channel`); otherwise () and the sheet says the papers are not attributed."""
    model = s.model
    channels = list(model.channels)
    counted = counted_by_channel(model)
    if len(channels) < 2 or not counted or None in counted:
        return ()
    tally = {name: 0 for name in channels}
    for name, n in counted.items():
        tally[str(name)] = tally.get(str(name), 0) + n
    return tuple(tally.items())


def _unit_returns(contest) -> tuple[UnitReturn, ...]:
    """A trigger ballot's units with their latest return (the contest as counted, with journaled returns)."""
    from opensel_desktop.engine.errors import CountError
    from opensel_desktop.engine.rules.trigger import spec_from_plain

    plain = contest.extra.get("trigger") if contest.rule == "trigger" else None
    if not isinstance(plain, dict):
        return ()
    try:
        spec = spec_from_plain(plain)
    except CountError:
        return ()
    out = []
    for k in spec.classes:
        for u in k.units:
            last = u.returns[-1] if u.returns else None
            out.append(UnitReturn(
                k.name, u.name, u.decision,
                votes_for=last.votes_for if last else None, votes_against=last.votes_against if last else None,
                abstain=last.abstain if last else None, meeting=last.meeting if last else "",
                how=last.how if last else "", reported_by=last.reported_by if last else "",
                received=last.received if last else "", reason=last.reason if last else "",
                earlier=tuple(r.decision for r in u.returns[:-1])))
    return tuple(out)


def sheet_id(s: Session) -> str:
    """The id a sheet carries: the saved contest's id, and for one post of a meeting of several its name
    after a slash (so a sheet names exactly the result it shows)."""
    return s.contest_id + (f"/{s.current}" if len(s.contest_keys) > 1 else "")


def contest_of_sheet(sheet_contest_id: str) -> str | None:
    """The contest (post) a sheet's id names, for a meeting of several; None for a contest of its own."""
    _id, slash, key = sheet_contest_id.partition("/")
    return key if slash else None


def expected_for(path: str | Path, contest: str | None = None) -> Expected:
    """What a sheet of this contest must carry: its id, sheet digest and state."""
    sheet = sheet_input(path, contest=contest)
    return Expected(sheet.contest_id, sheet_digest(sheet.result, sheet.head), str(path), state=sheet.state)


@dataclass(frozen=True, slots=True)
class RenderedSheet:
    """A sheet built (and signed): the PDF's bytes and what its QR code signed, ready to save and journal."""

    pdf: bytes
    digest: str  # the sheet digest
    result_hash: str
    declared: bool
    head: str
    signed_text: bytes = b""
    signature: bytes = b""
    signer: str = ""
    fingerprint: str = ""


def render_sheet(sheet: SheetInput, key: OfficerKey | None = None,
                 documents: tuple[str, ...] | None = None) -> RenderedSheet:
    """Build the sheets of an immutable SheetInput and sign them with `key`: pure, so it runs on a worker
    (no session, no file, no clock)."""
    from opensel_desktop.report.sheets import build

    signed: dict[str, bytes] = {}

    def qr_signer(text: bytes) -> bytes:  # what the QR code signs is journaled exactly
        assert key is not None
        signed["text"], signed["signature"] = text, key.sign(text)
        return signed["signature"]

    pdf = build(sheet, qr_signer=qr_signer if key else None, documents=documents)
    if key is not None:
        from opensel_desktop.report.sign import sign_pdf  # pyhanko: slow to import, needed only to sign

        location = sheet.place or sheet.contest.venue
        pdf = sign_pdf(pdf, key.private_pem(), key.certificate_pem(),
                       reason="Declaration of result" if sheet.declared else "Provisional result", location=location,
                       signer_name=key.name, fingerprint=key.fingerprint)
    return RenderedSheet(pdf, sheet_digest(sheet.result, sheet.head), result_hash(sheet.result), sheet.declared,
                         sheet.head, signed.get("text", b""), signed.get("signature", b""),
                         key.name if key else "", key.fingerprint if key else "")


def prepare_sheet(s: Session, key: OfficerKey | None) -> SheetInput:
    """The immutable input of a sheet of an open saved contest, after checking the key may sign it."""
    if key is not None:
        from opensel_desktop.app.trust import require_pinned_key

        require_pinned_key(s.replay, key, "result sheets")
    sheet = sheet_input_of(s, key.name if key else "", key.fingerprint if key else "")
    if key is not None and sheet.extra.get("journaled") is False:
        # a signature must cite a journaled result, so that an auditor can recompute what was signed
        raise AppError("no count has been saved for this contest yet; nothing was signed", step=Next.COUNT_FIRST)
    return sheet


def save_sheet(rendered: RenderedSheet, out: str | Path, session: Session | None = None,
               key: OfficerKey | None = None) -> Path:
    """Write the PDF (never half a file) and, for a signed sheet of a saved contest, journal the signature."""
    dst = _output(out)
    tmp = _write_temp(dst, rendered.pdf)
    try:
        if session is not None and key is not None and rendered.signature:
            _pin_and_record(session, key, rendered.digest, _signature_fields(rendered))
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dst


def _output(out: str | Path) -> Path:
    dst = Path(out)
    if dst.suffix.lower() != ".pdf":
        raise AppError("the output must be a .pdf file; give a name ending in .pdf", where=dst)
    if not dst.parent.is_dir():
        raise AppError("no such folder; create it or write the sheet elsewhere", where=dst.parent)
    return dst


def _signature_fields(r: RenderedSheet) -> dict:
    return {"fingerprint": r.fingerprint, "head": r.head, "result_sha256": r.result_hash, "declared": r.declared,
            "signed_text": r.signed_text.decode("utf-8"), "signature": r.signature.hex()}


def make_report(source: str | Path, out: str | Path, key_path: str | Path | None = None,
                passphrase: str | None = None, override_account: str | None = None,
                documents: tuple[str, ...] | None = None, key: OfficerKey | None = None,
                session: Session | None = None, contest: str | None = None) -> ReportOutcome:
    """Build (and sign) the sheets of `source` into `out`; a signed sheet of a .osel is journaled.

    `session`: the open (writable) session of `source`, when the caller has one: the sheet is then made
    from the result that session declared, with no second open or count."""
    from opensel_desktop.app.core import Session

    src, dst = Path(source), _output(out)
    if dst.exists() and src.exists() and dst.resolve() == src.resolve():
        raise AppError("that is the contest itself; give another name for the sheet", where=dst)
    if key is None and key_path is not None:  # the passphrase is checked before any work is done
        key = load_officer_key(key_path, passphrase if passphrase is not None else "")
    if session is not None:
        rendered = render_sheet(prepare_sheet(session, key), key, documents)
        save_sheet(rendered, dst, session, key)
    elif src.suffix.lower() == ".osel" and key is not None:
        if not src.is_file():
            raise AppError("no such saved contest; check the name", where=src)
        with Session.open(src, key.name or "returning officer", contest=contest) as s:  # signing journals
            try:
                rendered = render_sheet(prepare_sheet(s, key), key, documents)
                save_sheet(rendered, dst, s, key)
            except AppError as exc:
                exc.where = exc.where or str(src)
                raise
    else:
        sheet = sheet_input(src, override_account, contest=contest)
        if key is not None:  # a contest file: a signature would cite no journal
            raise AppError("no count has been saved for this contest yet; nothing was signed",
                           step=Next.COUNT_FIRST, where=src)
        rendered = render_sheet(sheet, None, documents)
        save_sheet(rendered, dst)
    return ReportOutcome(dst, rendered.digest, key is not None, rendered.fingerprint, rendered.signer,
                         rendered.declared, rendered.result_hash)


def _write_temp(dst: Path, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(prefix=".opensel-", suffix=".pdf", dir=dst.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return tmp


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

    @property
    def state(self) -> str:
        return self.verdict.state

    @property
    def ok(self) -> bool:
        """Intact, whole, its QR code signed by the same key, matching the contest given, and signed by the key
        expected when one was (whether one was is `signer_ok is not None`)."""
        return self.verdict.ok and self.signer_ok is not False


def verify_sheet(pdf_path: str | Path, contest: str | Path | None = None, key: str | None = None) -> SheetCheck:
    """Check a sheet: its signatures; with `contest` its sheet digest, its state and its pages (the sheet is
    rebuilt from the contest for the signer it names, and every page's text and drawing compared) and that
    its signer is the key pinned there; with `key`, that its signer is the key with that fingerprint."""
    from opensel_desktop.app.trust import normal_fingerprint

    p = Path(pdf_path)
    try:
        data = read_named_file(p, MAX_PDF, "a result sheet", hint="; give the PDF of a result sheet")
    except FileRefused as exc:
        raise AppError(str(exc), where=p) from None
    want = normal_fingerprint(key) if key is not None else None
    first = verify_pdf(data)
    pinned = None
    verdict = first
    if contest is not None:
        c = Path(contest)
        if c.suffix.lower() not in CONTEST_SUFFIXES:
            raise AppError("--contest takes a saved contest (.osel) or a contest file (.yaml)", where=c)
        try:
            pinned = _pinned_fingerprint(c)
            verdict = verify_pdf(data, expected_sheet(c, first))
        except AppError as exc:  # a refusal about the contest names the contest, not the sheet
            exc.where = exc.where or str(c)
            raise
    expected_signer = want or pinned
    signer_ok = None
    if expected_signer is not None:
        signer_ok = bool(verdict.fingerprint) and verdict.fingerprint == expected_signer and \
            (pinned is None or pinned == expected_signer)
    return SheetCheck(verdict, expected_signer, signer_ok)


def _pinned_fingerprint(path: Path) -> str | None:
    if path.suffix.lower() != ".osel":
        return None
    from opensel_desktop.app.core import Session

    with Session.open(path, "auditor", readonly=True) as s:
        return s.model.pinned.fingerprint if s.model.pinned else None


def expected_sheet(contest: Path, seen: PdfVerdict) -> Expected:
    """What a sheet of `contest` must be, rebuilt for the signer, documents and software that `seen` names
    (a version 1 sheet, printed before sheets could be rebuilt, is checked by its digest alone)."""
    from opensel_desktop.report.sheets import build

    software = seen.software.removeprefix("OpenSel Desktop ").strip()
    post = contest_of_sheet(seen.payload.contest_id) if seen.payload is not None else None
    sheet = sheet_input(contest, signer=seen.signer if seen.signed else "",
                        fingerprint=seen.fingerprint if seen.signed else "", software_version=software,
                        contest=post)
    expected = Expected(sheet.contest_id, sheet_digest(sheet.result, sheet.head), str(contest), state=sheet.state)
    payload = seen.payload
    if payload is None or payload.version < 2 or payload.digest != expected.digest:
        return expected
    signature = payload.signature
    rebuilt = build(sheet, qr_signer=(lambda _: signature) if signature else None,
                    documents=seen.documents or None)
    return replace(expected, sheet_pdf=rebuilt)
