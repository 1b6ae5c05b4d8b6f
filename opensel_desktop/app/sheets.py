"""Result sheets as a use-case: gather what a sheet needs, build it, sign it, journal that it was signed.

`report/` lays out and signs; `store/` journals; they meet here, in the app layer. The CLI
(`opensel report`, `opensel verify X.pdf`) and the GUI's declare step call these functions.

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

from opensel_desktop import __version__
from opensel_desktop.app.errors import AppError
from opensel_desktop.app.keys import OfficerKey, load_officer_key
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.contest.result_io import result_json
from opensel_desktop.engine import NeedsLot
from opensel_desktop.report.digest import result_digest
from opensel_desktop.report.inputs import SheetInput
from opensel_desktop.report.verify import Expected, PdfVerdict, verify_pdf

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
    raise AppError(f"{p}: result sheets are made from a saved contest (.osel) or a contest file (.yaml).")


def _from_yaml(p: Path, override_account: str | None) -> SheetInput:
    from opensel_desktop.app.counting import count_contest
    from opensel_desktop.contest.yaml_io import parse_contest, read_contest_bytes

    data = read_contest_bytes(p)  # read once: the sheet's id is the hash of the very bytes counted
    contest = parse_contest(data, str(p))
    result = count_contest(contest, p, override=override_account)
    cid = "yaml-" + hashlib.sha256(data).hexdigest()[:16]
    return SheetInput(contest=contest, result=result, contest_id=cid, head="", declared=False,
                      place=contest.venue, software_version=__version__,
                      notes=(f"Counted from the contest file {p.name}; not yet a saved contest.",))


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
                                                     "override_reason": (declared or {}).get("override_reason")})


def expected_for(path: str | Path) -> Expected:
    """What a sheet of this contest must carry: its id and result digest."""
    sheet = sheet_input(path)
    return Expected(sheet.contest_id, result_digest(sheet.result, sheet.head), str(path))


def make_report(source: str | Path, out: str | Path, key_path: str | Path | None = None,
                passphrase: str | None = None, override_account: str | None = None,
                documents: tuple[str, ...] | None = None) -> ReportOutcome:
    """Build (and sign) the sheets of `source` into `out`; a signed sheet of a .osel is journaled."""
    from opensel_desktop.report.sheets import build

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
    sheet = sheet_input(src, override_account)
    if key is not None and sheet.extra.get("journaled") is False:
        # a signature must cite a journaled result, so that an auditor can recompute what was signed
        raise AppError(f"{src}: no count has been saved for this contest yet; run `opensel count {src.name}` "
                       "first, then sign the sheet.")
    pdf = build(sheet, qr_signer=key.sign if key else None, documents=documents)
    if key is not None:
        from opensel_desktop.report.sign import sign_pdf  # pyhanko: slow to import, needed only to sign

        location = sheet.place or sheet.contest.venue
        pdf = sign_pdf(pdf, key.private_pem(), key.certificate_pem(),
                       reason="Declaration of result" if sheet.declared else "Provisional result", location=location)
    digest = result_digest(sheet.result, sheet.head)
    tmp = _write_temp(dst, pdf)
    try:
        if key is not None and src.suffix.lower() == ".osel":
            _journal_signature(src, key, sheet, digest)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ReportOutcome(dst, digest, key is not None, key.fingerprint if key else "", key.name if key else "",
                         sheet.declared)


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
                            "result_sha256": hashlib.sha256(result_json(sheet.result).encode()).hexdigest(),
                            "declared": sheet.declared})


def verify_sheet(pdf_path: str | Path, contest: str | Path | None = None) -> PdfVerdict:
    p = Path(pdf_path)
    try:
        data = read_named_file(p, MAX_PDF, "a result sheet", hint="; give the PDF of a result sheet")
    except FileRefused as exc:
        raise AppError(f"{p}: {exc}") from None
    expected = None
    if contest is not None:
        c = Path(contest)
        if c.suffix.lower() not in CONTEST_SUFFIXES:
            raise AppError(f"{c}: --contest takes a saved contest (.osel) or a contest file (.yaml).")
        expected = expected_for(c)
    return verify_pdf(data, expected)
