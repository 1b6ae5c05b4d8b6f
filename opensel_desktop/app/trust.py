"""The returning officer's key as the root of trust: pinning it, signing with it, checking signatures.

- Pinning: the officer's certificate (public part only) is journaled once (`officer_key_pinned`), at
  `opensel new --key` or when she first gives her key. From then on only that key can sign.
- The declaration is signed (`Declared.signature`) over `declaration_text`: the contest id, the
  journal head just before the declaration (whose hash chain covers every paper, every correction and
  the account), the result hash and the officer's name. The signature and what it covers are in the
  file, so the file proves its own declaration offline.
- A signed checkpoint (`journal_signed`) signs the head at an agreed batch or a provisional count, so
  that history up to it cannot be rewritten without the officer's key either.
- A signed result sheet is journaled with the exact text its QR code signs (`signature_recorded`).

`check_signatures` re-verifies all of them against the pinned certificate; `--key FINGERPRINT` on
verify/audit compares the pinned fingerprint with the one the officer published. What a file proves
alone, and what it proves against a sheet handed out at the meeting, is set out in docs/trust.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import Session, Write
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.app.keys import OfficerKey, certificate_fingerprint
from opensel_desktop.contest.names import printable
from opensel_desktop.engine.canonical import canonical_json, result_hash_of
from opensel_desktop.store import events as ev
from opensel_desktop.store.replay import Replay

ALGORITHM = "ecdsa-p256-sha256"


def normal_fingerprint(text: str) -> str:
    """'ab:cd ef...' -> 'AB:CD:EF:...' (colons and spaces optional, as people copy them)."""
    hexdigits = "".join(ch for ch in text if ch not in ": \t").upper()
    if len(hexdigits) != 64 or any(ch not in "0123456789ABCDEF" for ch in hexdigits):
        raise AppError("the fingerprint must be the 64 hexadecimal digits the key's owner published (colons "
                       "optional), as `opensel keygen` prints it")
    return ":".join(hexdigits[i:i + 2] for i in range(0, 64, 2))


def certificate_name(cert: x509.Certificate) -> str:
    from cryptography.x509.oid import NameOID

    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return printable(str(cn[0].value)) if cn else ""


def read_certificate(path: str | Path) -> x509.Certificate:
    """The public certificate of a key file made by `opensel keygen` (either format), or of a certificate
    file: no passphrase is needed (only the public part is read)."""
    from opensel_desktop.app.keys import load_certificate

    return load_certificate(path).certificate


def pin_body(cert: x509.Certificate, officer: str = "") -> ev.OfficerKeyPinned:
    der = cert.public_bytes(serialization.Encoding.DER)
    pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return ev.OfficerKeyPinned(officer or certificate_name(cert) or "returning officer", pem,
                               certificate_fingerprint(der))


def pin(s: Session, cert: x509.Certificate, officer: str | None = None) -> Changes:
    """Pin the returning officer's certificate in the contest, once. A contest declared without a key may
    still have its sheets signed: the key that first signs is pinned (the declaration stays unsigned)."""
    s.writable(allow_declared=True)
    body = pin_body(cert, officer or "")

    def plan(model: Replay) -> list[Write]:
        if model.pinned is not None:
            if model.pinned.fingerprint == body.fingerprint:
                return []
            raise AppError(f"another key is already pinned in this contest (fingerprint {model.pinned.fingerprint}); "
                           "only that key can sign its declaration")
        return [Write(body, officer)]

    return s.write(plan, f"Key of {body.officer} pinned: fingerprint {body.fingerprint}.", allow_declared=True)


def require_pinned_key(model: Replay, key: OfficerKey | None, what: str) -> None:
    """The key that signs must be the pinned one; a contest with a pinned key signs everything."""
    pinned = model.pinned
    if pinned is None:
        return
    if key is None:
        raise AppError(f"this contest's {what} must be signed by the returning officer's pinned key "
                       f"(fingerprint {pinned.fingerprint})", step=Next.GIVE_KEY)
    if key.fingerprint != pinned.fingerprint:
        raise AppError(f"the key given (fingerprint {key.fingerprint}) is not the returning officer's key pinned in "
                       f"this contest (fingerprint {pinned.fingerprint}); nothing was signed")


def declaration_text(contest_id: str, head: str, result_hash: str, officer: str, post: str = "") -> bytes:
    """What a declaration's signature covers; `post`: the contest's name in a meeting of several."""
    parts = ["opensel-declaration-v1", contest_id, head, result_hash, officer] + ([post] if post else [])
    return canonical_json(parts).encode("utf-8")


DECLARATION_V2 = "declaration-v2"  # the signature's "covers": the whole declaration, not only its result hash


def declaration_record_text(contest_id: str, head: str, body: ev.Declared) -> bytes:
    """What a declaration's signature covers since the second version: the contest id, the journal head
    before it, and every field of the declaration but the signature itself (who was elected, the result,
    the officer, the override reason, the account, the post), so no word of it can be changed."""
    unsigned = ev.Declared(body.digest, body.elected, body.result, body.officer, body.override_reason, body.account,
                           None, contest=body.contest)
    return canonical_json(["opensel-declaration-v2", contest_id, head, unsigned.to_payload()]).encode("utf-8")


def checkpoint_text(contest_id: str, head: str, events: int) -> bytes:
    return canonical_json(["opensel-checkpoint-v1", contest_id, head, events]).encode("utf-8")


def signature_of(key: OfficerKey, data: bytes, head: str, covers: str = "") -> dict[str, str]:
    out = {"fingerprint": key.fingerprint, "algorithm": ALGORITHM, "head": head, "value": key.sign(data).hex()}
    return {**out, "covers": covers} if covers else out


def sign_checkpoint(s: Session, key: OfficerKey, reason: str) -> Changes:
    """Sign the journal as it stands (after an agreed batch or a count), with the pinned key."""
    s.writable(allow_declared=True)

    def plan(model: Replay) -> list[Write]:
        require_pinned_key(model, key, "checkpoints")
        text = checkpoint_text(model.contest_id, model.head, model.events)
        return [Write(ev.JournalSigned(model.head, model.events, key.fingerprint, key.sign(text).hex(), reason),
                      key.name or None)]

    return s.write(plan, f"Journal signed by {key.name or 'the returning officer'} ({reason}).",
                   allow_declared=True)


def signature_valid(cert_pem: str, data: bytes, signature_hex: str) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_pem.encode("ascii"))
        signature = bytes.fromhex(signature_hex)
        public = cert.public_key()
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public, ed25519.Ed25519PublicKey):
            public.verify(signature, data)
        else:
            return False
    except (ValueError, TypeError, InvalidSignature, UnicodeError):
        return False
    return True


def result_hash(result: dict) -> str:
    return result_hash_of(result)


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    ok: bool
    message: str  # one sentence
    signed: int = 0  # signatures that verified
    unsigned_declaration: bool = False
    fingerprints: frozenset[str] = frozenset()  # every key that signed something


def check_signatures(model: Replay, expected: str | None = None, checkpoints: bool = True) -> SignatureCheck:
    """Every signature in the journal (as replayed into `model`) against the pinned certificate, and
    against `expected`, the fingerprint the officer published, when given. Unsigned declarations are
    reported, never passed silently. `checkpoints`: include the journal's signed checkpoints (they are the
    whole file's; a meeting of several contests checks them once)."""
    pinned = model.pinned
    if model.pin_conflict:
        return SignatureCheck(False, "the journal pins a second key; a contest has one returning officer's key.")
    if pinned is not None and certificate_fingerprint(_der(pinned.certificate)) != pinned.fingerprint:
        return SignatureCheck(False, "the pinned certificate's fingerprint is not the one the journal records.")
    if model.after_declaration:
        seq, kind = model.after_declaration[0]
        return SignatureCheck(False, f"event {seq} ({kind.replace('_', ' ')}) comes after the declaration, which "
                                     "only signatures may follow: the journal was changed outside OpenSel.")
    signed: list[tuple[str, int, bytes, str, str]] = []  # (what, seq, data, fingerprint, signature hex)
    unsigned = False
    if model.declared is not None and model.declared_at is not None:
        d, at = model.declared, model.declared_at
        if d.signature:
            sig = d.signature
            if sig.get("head") != at.prev:
                data = b"\x00not-the-head"
            elif sig.get("covers") == DECLARATION_V2:
                data = declaration_record_text(model.contest_id, at.prev, d)
            else:  # the first version signed the result hash only (files declared before the second)
                data = declaration_text(model.contest_id, at.prev, result_hash(d.result), d.officer, model.key)
            signed.append(("declaration", at.seq, data, str(sig.get("fingerprint")), str(sig.get("value", ""))))
        else:
            unsigned = True
    for at, c in (model.checkpoints if checkpoints else ()):
        data = checkpoint_text(model.contest_id, c.head, c.events) if c.head == at.prev else b"\x00not-the-head"
        signed.append(("signed checkpoint", at.seq, data, c.fingerprint, c.signature))
    for at, r in model.signatures:
        if r.signature:
            data = r.signed_text.encode("utf-8") if model.contest_id in _unquote(r.signed_text) else b"\x00other"
            signed.append(("signed sheet", at.seq, data, r.fingerprint, r.signature))
    for what, seq, data, fingerprint, value in sorted(signed, key=lambda x: x[1]):
        if pinned is None or (model.pinned_at and model.pinned_at > seq):
            return SignatureCheck(False, f"event {seq} ({what}) is signed, but no returning officer's key is "
                                         "pinned before it.")
        if fingerprint != pinned.fingerprint:
            return SignatureCheck(False, f"event {seq} ({what}) is signed by another key (fingerprint "
                                         f"{printable(fingerprint)}) than the one pinned in the contest "
                                         f"({pinned.fingerprint}).")
        if not signature_valid(pinned.certificate, data, value):
            return SignatureCheck(False, f"event {seq} ({what}): the signature does not verify against the "
                                         "pinned key: what it signed was changed.")
    n = len(signed)
    seen = frozenset({pinned.fingerprint}) if (pinned and n) else frozenset()
    if expected is not None:
        want = normal_fingerprint(expected)
        if pinned is None:
            return SignatureCheck(False, f"no returning officer's key is pinned in this contest, so nothing in it "
                                         f"is signed by the key {want}.", n, unsigned)
        if pinned.fingerprint != want:
            return SignatureCheck(False, f"the key pinned in this contest (fingerprint {pinned.fingerprint}) is not "
                                         f"the key {want}: this is not the returning officer's record.", n, unsigned)
        if unsigned:
            return SignatureCheck(False, "the declaration is not signed by the key given.", n, unsigned)
    if unsigned:
        return SignatureCheck(True, "the declaration is NOT signed (it was declared without the returning "
                                    "officer's key).", n, True, seen)
    if n == 0:
        who = f"key {pinned.fingerprint} pinned" if pinned else "no key pinned"
        return SignatureCheck(True, f"nothing is signed yet ({who}).", 0, False, seen)
    return SignatureCheck(True, f"{n} signature{'s' if n != 1 else ''} verify against the pinned key "
                                f"{pinned.fingerprint if pinned else ''}.", n, False, seen)


def _unquote(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text)


def _der(pem: str) -> bytes:
    try:
        return x509.load_pem_x509_certificate(pem.encode("ascii")).public_bytes(serialization.Encoding.DER)
    except (ValueError, UnicodeError):
        return b""
