"""Check a result sheet: the PAdES signature is intact and covers the whole file, who signed it
(certificate fingerprint), the QR payload's sheet digest, state and signature, and, against a contest,
that the pages show what the contest's result is.

The QR payload is also stored as the PDF's Keywords entry, inside the signed bytes, so the check
needs no image decoding; the tests prove the printed QR code decodes to the same text. The names of
the documents printed are in the Subject entry, so a sheet can be rebuilt exactly for comparison.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from opensel_desktop.report.digest import PayloadError, QrPayload, fingerprint_hex, parse_payload
from opensel_desktop.report.pagetext import SheetMismatch, first_difference

SUBJECT = "OpenSel result sheet"


@dataclass(frozen=True, slots=True)
class Expected:
    """What the sheet should say, computed from the contest given on the command line."""

    contest_id: str
    digest: str  # the sheet digest
    source: str = ""
    state: str = ""  # "declared" | "provisional"; "" = not checked
    sheet_pdf: bytes | None = None  # the same sheet rebuilt from the contest, to compare the pages with


@dataclass(frozen=True, slots=True)
class PdfVerdict:
    signed: bool = False
    intact: bool = False
    whole_file: bool = False
    signer: str = ""
    fingerprint: str = ""
    signing_time: str = ""
    payload: QrPayload | None = None
    qr_signature_ok: bool = False
    matches: bool | None = None  # None: no contest was given
    problems: tuple[str, ...] = field(default_factory=tuple)
    state: str = ""  # what the result code says: "declared" | "provisional" ("" for a version 1 code)
    documents: tuple[str, ...] = ()  # the documents printed, in order (from the Subject entry)
    software: str = ""  # "OpenSel Desktop 0.1.0" (from the Creator entry)
    difference: SheetMismatch | None = None  # the first place the pages differ from the rebuilt sheet

    @property
    def sheet_digest(self) -> str:
        return self.payload.digest if self.payload is not None else ""

    @property
    def ok(self) -> bool:
        return (self.signed and self.intact and self.whole_file and self.qr_signature_ok
                and self.matches is not False and not self.problems)


def fingerprint_of(der: bytes) -> str:
    import hashlib

    h = hashlib.sha256(der).hexdigest().upper()
    return ":".join(h[i:i + 2] for i in range(0, len(h), 2))


def _quiet_pyhanko() -> None:
    # pyhanko logs every validation failure with a traceback; the verdict says it in one sentence
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def verify_pdf(data: bytes, expected: Expected | None = None) -> PdfVerdict:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _quiet_pyhanko()
    problems: list[str] = []
    if not data.startswith(b"%PDF-"):
        return PdfVerdict(problems=("it is not a PDF file",))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception:  # any parse failure of a hostile or damaged file is the same answer
        return PdfVerdict(problems=("the PDF is damaged or was changed after signing",))
    payload = _payload(reader, problems)
    documents, software = _described(reader)
    state = payload.state if payload is not None else ""
    if not sigs:
        problems.append("it carries no digital signature")
        return PdfVerdict(payload=payload, problems=tuple(problems), state=state, documents=documents,
                          software=software)
    if len(sigs) > 1:
        problems.append(f"it carries {len(sigs)} signatures where a result sheet has one")
    sig = sigs[-1]
    signer = fingerprint = when = ""
    intact = whole = False
    cert = None
    try:
        cert = sig.signer_cert
        fingerprint = fingerprint_of(cert.dump())
        signer = cert.subject.native.get("common_name", "")
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[cert]))
        intact = bool(status.intact and status.valid)
        whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
        if status.signer_reported_dt is not None:
            when = status.signer_reported_dt.isoformat(timespec="seconds")
    except Exception:
        problems.append("the PDF is damaged or was changed after signing")
    if not intact and "the PDF is damaged or was changed after signing" not in problems:
        problems.append("the signature does not match the file: it was changed after signing")
    if intact and not whole:
        problems.append("something was added to the file after it was signed")
    qr_ok = False
    if payload is not None and cert is not None:
        qr_ok = _check_qr_signature(payload, cert)
        if not qr_ok:
            problems.append("the result code is not signed by the key that signed the PDF")
        elif payload.version >= 2 and payload.fingerprint != fingerprint_hex(fingerprint):
            qr_ok = False
            problems.append("the result code names another signer than the one who signed the PDF")
    matches = None
    difference = None
    if expected is not None and payload is not None:
        matches = payload.contest_id == expected.contest_id and payload.digest == expected.digest
        if payload.contest_id != expected.contest_id:
            problems.append(f"the sheet is for contest {payload.contest_id!r}, not {expected.contest_id!r}")
        elif payload.digest != expected.digest:
            problems.append("the sheet digest on the sheet differs from the sheet digest of the contest given")
        elif expected.state and payload.state and payload.state != expected.state:
            matches = False
            problems.append(f"the sheet says the result is {payload.state}, but in the contest given it is "
                            f"{expected.state}")
        elif expected.sheet_pdf is not None:
            difference = first_difference(data, expected.sheet_pdf)
            if difference is not None:
                matches = False
                problems.append(difference.sentence())
    elif expected is not None:
        matches = False
    return PdfVerdict(True, intact, whole, signer, fingerprint, when, payload, qr_ok, matches, tuple(problems),
                      state, documents, software, difference)


def _described(reader) -> tuple[tuple[str, ...], str]:
    """The documents printed (Subject: "OpenSel result sheet: declaration, stages, ...") and the software."""
    try:
        info = reader.trailer_view.get("/Info")
        if info is not None and hasattr(info, "get_object"):
            info = info.get_object()
        subject = str(info.get("/Subject", "")) if info is not None else ""
        creator = str(info.get("/Creator", "")) if info is not None else ""
    except Exception:  # a damaged Info dictionary: nothing to describe
        return (), ""
    head, sep, names = subject.partition(":")
    docs = tuple(n.strip() for n in names.split(",") if n.strip()) if sep and head == SUBJECT else ()
    return docs, creator


def _payload(reader, problems: list[str]) -> QrPayload | None:
    try:
        info = reader.trailer_view.get("/Info")
        if info is not None and hasattr(info, "get_object"):
            info = info.get_object()
        text = str(info.get("/Keywords", "")) if info is not None else ""
    except Exception:
        text = ""
    if not text:
        problems.append("it has no OpenSel result code")
        return None
    try:
        return parse_payload(text)
    except PayloadError as exc:
        problems.append(str(exc))
        return None


def _check_qr_signature(payload: QrPayload, cert: asn1_x509.Certificate) -> bool:
    if not payload.signature:
        return False
    pub = x509.load_der_x509_certificate(cert.dump()).public_key()
    msg = payload.signed_text.encode("utf-8")
    try:
        if isinstance(pub, ec.EllipticCurvePublicKey):
            pub.verify(payload.signature, msg, ec.ECDSA(hashes.SHA256()))
        elif isinstance(pub, ed25519.Ed25519PublicKey):
            pub.verify(payload.signature, msg)
        else:
            return False
    except InvalidSignature:
        return False
    return True
