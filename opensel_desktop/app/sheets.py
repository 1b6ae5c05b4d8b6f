"""Result sheets as a use-case: gather what a sheet needs, build it, sign it, journal that it was signed,
and check a sheet against its contest.

`report/` lays out and signs; `store/` journals; they meet here. The CLI (`opensel report`,
`opensel verify X.pdf`) and the GUI's declare step call these functions. Gathering is kept in small
functions of their own (`_journal_facts`, `_papers_by_channel`, `_unit_returns`), each reading only
what an open Session offers, so they can move to another read model unchanged in what they return.

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

from opensel_desktop import __version__
from opensel_desktop.app.errors import AppError
from opensel_desktop.app.keys import OfficerKey, load_officer_key
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.engine import NeedsLot
from opensel_desktop.report.digest import result_hash, sheet_digest
from opensel_desktop.report.inputs import LotRecord, RejectionNote, SheetInput, UnitReturn
from opensel_desktop.report.verify import Expected, PdfVerdict, verify_pdf

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
                fingerprint: str = "", software_version: str = "") -> SheetInput:
    """Everything a sheet needs from a saved contest (.osel) or a contest file (.yaml); `signer` and
    `fingerprint` name who signs it (printed on every page and carried in the QR code)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".osel":
        sheet = _from_osel(p)
    elif suffix in (".yaml", ".yml"):
        sheet = _from_yaml(p, override_account)
    else:
        raise AppError(f"{p}: result sheets are made from a saved contest (.osel) or a contest file (.yaml).")
    return replace(sheet, signer=signer, fingerprint=fingerprint,
                   software_version=software_version or sheet.software_version)


def _from_yaml(p: Path, override_account: str | None) -> SheetInput:
    from opensel_desktop.app.counting import count_file
    from opensel_desktop.contest.yaml_io import load_contest

    contest = load_contest(p)
    result = count_file(p, override=override_account)
    data = p.read_bytes()
    cid = "yaml-" + hashlib.sha256(data).hexdigest()[:16]
    # no file name in the note: a sheet must rebuild the same whatever the file is called when checked
    return SheetInput(contest=contest, result=result, contest_id=cid, head="", declared=False,
                      place=contest.venue, software_version=__version__,
                      notes=("Counted from a contest file; not yet a saved contest.",),
                      unit_returns=_unit_returns(contest))


def _from_osel(p: Path) -> SheetInput:
    from opensel_desktop.app.session import Session
    from opensel_desktop.store import events as ev

    if not p.is_file():
        raise AppError(f"{p}: no such saved contest; check the name.")
    with Session.open(p, "report", readonly=True) as s:
        if not s.chain.ok:
            raise AppError(f"{p}: the journal does not verify, so no sheet can be made from it; "
                           "inspect it with `opensel audit`.")
        contest = s.contest
        try:
            result = s.count(journal=False)
        except NeedsLot as need:
            raise AppError(f"{p}: a lot is needed at stage {need.request.stage} between "
                           f"{', '.join(need.request.among)}; draw it with `opensel lot` first.") from None
        declared = s.declared
        holder = declared or s.provisional
        head, at = s.head_hash, ""
        if holder is not None:
            kinds = (ev.DECLARED,) if declared is not None else (ev.COUNT_RUN, ev.RECOUNT)
            for e in reversed(s.events()):
                if e.kind in kinds:
                    head, at = e.hash, e.at
                    break
            journaled = holder.get("result")
            if journaled is not None and journaled != result.to_json_dict():
                raise AppError(f"{p}: the journaled result cannot be reproduced by a recount; "
                               "inspect it with `opensel audit` before printing a sheet.")
        account = s.account()
        keyed_by, lots, rejections = _journal_facts(s)
        notes: list[str] = []
        if declared is not None and declared.get("override_reason"):
            notes.append(f"Declared although the ballot paper account did not reconcile: "
                         f"{declared['override_reason']}")
        if declared is None and holder is None:
            notes.append("No count has been saved for this contest yet; this sheet shows a count made for it.")
        return SheetInput(contest=contest, result=result, contest_id=s.contest_id, head=head,
                          declared=declared is not None, account=account, rejected=s.rejected(),
                          declared_at=_fmt_time(at), place=contest.venue, software_version=__version__,
                          notes=tuple(notes), extra={"journaled": holder is not None,
                                                     "override_reason": (declared or {}).get("override_reason")},
                          keyed_by=keyed_by, lot_records=lots, rejection_notes=rejections,
                          entered_by_channel=_papers_by_channel(s), unit_returns=_unit_returns(s.counting_contest()))


# ---- what the journal adds to a sheet (read from an open Session only) ---------------------------------

def _journal_facts(s) -> tuple[tuple[str, ...], tuple[LotRecord, ...], tuple[RejectionNote, ...]]:
    """The tellers who keyed the batches that count, the lots' witnesses, and the notes recorded against
    rejections that count (an agent's objection is recorded as such a note)."""
    from opensel_desktop.app.session import IMPORT_BATCH
    from opensel_desktop.store import events as ev

    counting = s.replay.counting_batches()
    labels = {b.label for b in counting}
    keyed: list[str] = []
    for b in counting:
        if b.label == IMPORT_BATCH:  # the contest file's papers, imported in the officer's name
            continue
        for name in b.tellers.values():
            if name and name not in keyed:
                keyed.append(name)
    lots = tuple(LotRecord(int(d.get("stage", 0)), tuple(d.get("among") or ()), str(d.get("purpose", "")),
                           str(d.get("witness") or "")) for d in s.lots().values())
    standing = s.replay.rejection_events  # seq -> the rejection, for those not withdrawn
    notes: list[RejectionNote] = []
    seen: set[tuple[str, int | None, str]] = set()
    for e in s.events():
        if e.kind != ev.PAPER_REJECTED or e.seq not in standing:
            continue
        d = e.data
        note = str(d.get("note") or "").strip()
        batch = e.batch
        if not note or (batch and batch not in labels):
            continue
        key = (batch, d.get("paper"), note)  # both tellers' entries of one paper carry the same note
        if key in seen:
            continue
        seen.add(key)
        notes.append(RejectionNote(str(d.get("heading", "")), int(d.get("count", 1)), note, batch, d.get("paper")))
    return tuple(keyed), lots, tuple(notes)


def _papers_by_channel(s) -> tuple[tuple[str, int], ...]:
    """Valid papers per channel, where every paper that counts carries its channel: the contest file's
    papers do (each ballot line names its channel, and the import journals it with the paper); papers
    keyed at the meeting do not, so a contest with any keyed batch gives () and the sheet says the papers
    are not attributed to channels."""
    from opensel_desktop.app.session import IMPORT_BATCH
    from opensel_desktop.store import events as ev

    channels = list(s.replay.channels)
    counting = s.replay.counting_batches()
    if len(channels) < 2 or not counting or any(b.label != IMPORT_BATCH or b.is_bundle for b in counting):
        return ()
    channel_of: dict[int, str] = {}
    for e in s.events():
        if e.kind == ev.PAPER_ENTERED and e.batch == IMPORT_BATCH:
            d = e.data
            if d.get("channel") is None:
                return ()  # a file saved before papers carried their channel
            channel_of[int(d["paper"])] = str(d["channel"])
    imported = counting[0]
    first = next(iter(imported.papers.values()))  # the import is one single-entry side
    tally = {name: 0 for name in channels}
    for paper in sorted(set(first) | set(imported.resolved)):
        marks = imported.resolved[paper] if paper in imported.resolved else first.get(paper)
        if marks:
            tally[channel_of[paper]] = tally.get(channel_of[paper], 0) + 1
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


def expected_for(path: str | Path) -> Expected:
    """What a sheet of this contest must carry: its id, sheet digest and state."""
    sheet = sheet_input(path)
    return Expected(sheet.contest_id, sheet_digest(sheet.result, sheet.head), str(path), state=sheet.state)


def make_report(source: str | Path, out: str | Path, key_path: str | Path | None = None,
                passphrase: str | None = None, override_account: str | None = None,
                documents: tuple[str, ...] | None = None) -> ReportOutcome:
    """Build (and sign) the sheets of `source` into `out`; a signed sheet of a .osel is journaled."""
    from opensel_desktop.report.sheets import build
    from opensel_desktop.report.sign import sign_pdf

    src, dst = Path(source), Path(out)
    if dst.suffix.lower() != ".pdf":
        raise AppError(f"{dst}: the output must be a .pdf file; give a name ending in .pdf.")
    if dst.exists() and src.exists() and dst.resolve() == src.resolve():
        raise AppError(f"{dst}: that is the contest itself; give another name for the sheet.")
    if not dst.parent.is_dir():
        raise AppError(f"{dst.parent}: no such folder; create it or write the sheet elsewhere.")
    key: OfficerKey | None = None
    if key_path is not None:  # the passphrase is checked before any work is done
        key = load_officer_key(key_path, passphrase if passphrase is not None else "")
    sheet = sheet_input(src, override_account, signer=key.name if key else "",
                        fingerprint=key.fingerprint if key else "")
    if key is not None and sheet.extra.get("journaled") is False:
        # a signature must cite a journaled result, so that an auditor can recompute what was signed
        raise AppError(f"{src}: no count has been saved for this contest yet; run `opensel count {src.name}` "
                       "first, then sign the sheet.")
    pdf = build(sheet, qr_signer=key.sign if key else None, documents=documents)
    if key is not None:
        location = sheet.place or sheet.contest.venue
        pdf = sign_pdf(pdf, key.private_pem(), key.certificate_pem(),
                       reason="Declaration of result" if sheet.declared else "Provisional result", location=location,
                       signer_name=key.name, fingerprint=key.fingerprint)
    digest = sheet_digest(sheet.result, sheet.head)
    tmp = _write_temp(dst, pdf)
    try:
        if key is not None and src.suffix.lower() == ".osel":
            _journal_signature(src, key, sheet, digest)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ReportOutcome(dst, digest, key is not None, key.fingerprint if key else "", key.name if key else "",
                         sheet.declared, result_hash(sheet.result))


def _write_temp(dst: Path, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(prefix=".opensel-", suffix=".pdf", dir=dst.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return tmp


def _journal_signature(src: Path, key: OfficerKey, sheet: SheetInput, digest: str) -> None:
    from opensel_desktop.app.session import Session

    with Session.open(src, key.name or "returning officer") as s:
        s.record_signature("result sheet", digest, key.name or "returning officer",
                           {"fingerprint": key.fingerprint, "head": sheet.head,
                            "result_sha256": result_hash(sheet.result),
                            "declared": sheet.declared})


def verify_sheet(pdf_path: str | Path, contest: str | Path | None = None) -> PdfVerdict:
    """Check a sheet: its signatures, and with `contest` its sheet digest, its state and its pages (the
    sheet is rebuilt from the contest for the signer it names, and every page's text and drawing compared)."""
    p = Path(pdf_path)
    try:
        data = read_named_file(p, MAX_PDF, "a result sheet", hint="; give the PDF of a result sheet")
    except FileRefused as exc:
        raise AppError(f"{p}: {exc}") from None
    if contest is None:
        return verify_pdf(data)
    c = Path(contest)
    if c.suffix.lower() not in CONTEST_SUFFIXES:
        raise AppError(f"{c}: --contest takes a saved contest (.osel) or a contest file (.yaml).")
    first = verify_pdf(data)
    return verify_pdf(data, expected_sheet(c, first))


def expected_sheet(contest: Path, seen: PdfVerdict) -> Expected:
    """What a sheet of `contest` must be, rebuilt for the signer, documents and software that `seen` names
    (a version 1 sheet, printed before sheets could be rebuilt, is checked by its digest alone)."""
    from opensel_desktop.report.sheets import build

    software = seen.software.removeprefix("OpenSel Desktop ").strip()
    sheet = sheet_input(contest, signer=seen.signer if seen.signed else "",
                        fingerprint=seen.fingerprint if seen.signed else "", software_version=software)
    expected = Expected(sheet.contest_id, sheet_digest(sheet.result, sheet.head), str(contest), state=sheet.state)
    payload = seen.payload
    if payload is None or payload.version < 2 or payload.digest != expected.digest:
        return expected
    signature = payload.signature
    rebuilt = build(sheet, qr_signer=(lambda _: signature) if signature else None,
                    documents=seen.documents or None)
    return replace(expected, sheet_pdf=rebuilt)
