"""The returning officer's key pair: one function creates it for the CLI (`opensel keygen`) and the GUI.

A key file (format `opensel-officer-key/2`, docs/stations.md "Key files") is one JSON object:

    {"format": "opensel-officer-key/2", "fingerprint": "AB:CD:...", "certificate": <PEM>,
     "private_key": <the PKCS#8 DER private key, sealed (app/sealed.py: scrypt + AES-256-GCM)>}

The certificate is public (self-signed X.509 naming the officer); the sealed key's associated data is
the certificate, so a key cannot be paired with another certificate. The fingerprint is there for the
eye and must match the certificate. A key file is never stored inside a .osel. One key serves both the
PAdES signature of the PDF and the signature inside the QR code. ECDSA P-256 is used: pyhanko signs
with it and poppler's pdfsig (NSS) verifies it, which is not yet true of Ed25519 in that poppler.

Key files of the first format (PEM, PKCS#8 under PBKDF2 with 2048 iterations) are refused for signing
with a sentence naming `opensel keygen --upgrade`, which re-seals the same key pair (same certificate,
same fingerprint) in this format; it reads the old file only after checking its iteration count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from opensel_desktop import APP_NAME
from opensel_desktop.app import sealed
from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.contest.names import name_problem

KEY_FORMAT = "opensel-officer-key/2"
KEY_FIELDS = ("format", "fingerprint", "certificate", "private_key")
MIN_PASSPHRASE = 8
MAX_KEY_FILE = 64 * 1024  # a key file is about 2 KB; anything far bigger is not one of ours
CERT_YEARS = 10
OLD_KEY_BEGIN, OLD_KEY_END = b"-----BEGIN ENCRYPTED PRIVATE KEY-----", b"-----END ENCRYPTED PRIVATE KEY-----"
CERT_BEGIN = b"-----BEGIN CERTIFICATE-----"
OLD_MAX_ITERATIONS = 100_000  # the first key files used 2048; more is not one of ours
PASSPHRASE_ENV = "OPENSEL_PASSPHRASE"


@dataclass(frozen=True, slots=True)
class OfficerKey:
    name: str
    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def fingerprint(self) -> str:
        return certificate_fingerprint(self.certificate.public_bytes(serialization.Encoding.DER))

    def sign(self, data: bytes) -> bytes:
        """The QR signature: ECDSA P-256 over SHA-256, DER-encoded."""
        return self.private_key.sign(data, ec.ECDSA(hashes.SHA256()))

    def private_pem(self) -> bytes:
        """Unencrypted PKCS#8, only ever held in memory to hand to pyhanko."""
        return self.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption())

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


class OfficerCertificate(NamedTuple):
    """The public half of an officer's key: what a contest pins and a verifier compares."""

    certificate: x509.Certificate
    fingerprint: str

    @property
    def name(self) -> str:
        return _common_name(self.certificate)

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def certificate_fingerprint(der: bytes) -> str:
    """SHA-256 of the DER certificate, as colon-separated hex pairs (what browsers and pdfsig users see)."""
    h = hashlib.sha256(der).hexdigest().upper()
    return ":".join(h[i:i + 2] for i in range(0, len(h), 2))


def certificate_name(cert: x509.Certificate) -> str:
    """The officer's name as her certificate gives it (its common name), or ""."""
    return _common_name(cert)


def _common_name(cert: x509.Certificate) -> str:
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(cn[0].value) if cn else ""


def _fingerprint_of(cert: x509.Certificate) -> str:
    return certificate_fingerprint(cert.public_bytes(serialization.Encoding.DER))


def _context(cert: x509.Certificate) -> bytes:
    """What the sealed private key is bound to: this format and this certificate."""
    return KEY_FORMAT.encode("ascii") + b"\n" + cert.public_bytes(serialization.Encoding.DER)


def check_new_passphrase(passphrase: str, what: str = "passphrase") -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise AppError(f"The {what} is too short; use at least {MIN_PASSPHRASE} characters.")


def _key_file_bytes(key: ec.EllipticCurvePrivateKey, cert: x509.Certificate, passphrase: str) -> bytes:
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    obj = {"format": KEY_FORMAT, "fingerprint": _fingerprint_of(cert),
           "certificate": cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
           "private_key": sealed.seal(der, passphrase, _context(cert))}
    return (json.dumps(obj, indent=1, ensure_ascii=True) + "\n").encode("ascii")


def make_officer_key(name: str, now: dt.datetime | None = None) -> OfficerKey:
    """A new key pair and self-signed certificate for `name`, in memory only (`create_officer_key` seals
    it into a key file)."""
    name = " ".join(name.split())
    if not name:
        raise AppError("The key needs the returning officer's name; give it with --name.")
    problem = name_problem(name, "officer's name")
    if problem:
        raise AppError(f"{problem[:1].upper()}{problem[1:]}.")
    now = now or dt.datetime.now(dt.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, name),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"Returning officer ({APP_NAME})"),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * CERT_YEARS))
        # self-signed: it is its own trust root when a sheet is verified
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return OfficerKey(name, key, cert)


def create_officer_key(name: str, passphrase: str, now: dt.datetime | None = None) -> bytes:
    """A new key pair and certificate for `name`, as the bytes of a key file."""
    if not " ".join(name.split()):
        raise AppError("The key needs the returning officer's name; give it with --name.")
    check_new_passphrase(passphrase)
    key = make_officer_key(name, now)
    return _key_file_bytes(key.private_key, key.certificate, passphrase)


def create_private_file(p: Path, data: bytes, what: str) -> None:
    """Create `p` with `data`, readable by its owner only and durably; never overwrite (a key, a pack or
    a batch file is a record)."""
    if not p.parent.exists():
        raise AppError(f"the folder {p.parent} does not exist; create it or choose another place.", where=p)
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise AppError(f"a file with this name already exists; choose another name for the {what} "
                       "(nothing was changed).", where=p) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        p.unlink(missing_ok=True)
        raise


def write_officer_key(path: str | Path, name: str, passphrase: str) -> OfficerKey:
    """Create the key file at `path`; refuses to overwrite anything. Readable by its owner only."""
    p = Path(path)
    if p.exists():
        raise AppError("a file already exists there; choose a new file name (a key is never overwritten).", where=p)
    data = create_officer_key(name, passphrase)
    create_private_file(p, data, "key file")
    return parse_officer_key(data, passphrase, str(p))


def _read_key_file(path: str | Path) -> bytes:
    p = Path(path)
    try:
        return read_named_file(p, MAX_KEY_FILE, "a key file", hint="; give the file `opensel keygen` made",
                               too_large="this is not an OpenSel key file; give the file `opensel keygen` made.",
                               missing="no such key file; check the name, or make one with `opensel keygen`.")
    except FileRefused as exc:
        raise AppError(f"{exc}", where=p) from None


def load_officer_key(path: str | Path, passphrase: str) -> OfficerKey:
    return parse_officer_key(_read_key_file(path), passphrase, str(path))


def _not_ours(where: str) -> AppError:
    return AppError("this is not an OpenSel key file; give the file `opensel keygen` made.", where=where)


def _is_old_format(data: bytes) -> bool:
    return OLD_KEY_BEGIN in data and CERT_BEGIN in data


def _old_format(where: str) -> AppError:
    upgrade = f"`opensel keygen --upgrade {where} -o NEW.key` (the same key and fingerprint)"
    return AppError("this key file is in the first OpenSel format, whose passphrase protection is too "
                    "weak to keep",
                    hint_cli=f"convert it with {upgrade}, use the new file and delete this one.",
                    hint_gui=f"convert it at the command line with {upgrade}, then choose the new file.", where=where)


def _key_object(data: bytes, where: str) -> tuple[dict[str, Any], x509.Certificate]:
    """The parsed key file and its certificate, every field checked; nothing is decrypted."""
    if _is_old_format(data):
        raise _old_format(where)
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        if b'"format": "opensel-officer-key/' in data[:100]:
            raise AppError("the key file is incomplete or damaged; use a backup copy of it.", where=where) from None
        raise _not_ours(where) from None
    if not isinstance(obj, dict) or not isinstance(obj.get("format"), str) or \
            not obj["format"].startswith("opensel-officer-key/"):
        raise _not_ours(where)
    if obj["format"] != KEY_FORMAT:
        raise AppError(f"this key file was made by a newer OpenSel ({obj['format'][:40]!r}); use that "
                       "version, or make a key with this one.", where=where)
    if set(obj) != set(KEY_FIELDS) or not isinstance(obj["certificate"], str) or \
            not isinstance(obj["fingerprint"], str):
        raise AppError("the key file is damaged (its fields are not those of a key file); use a backup "
                       "copy of it.", where=where)
    try:
        cert = x509.load_pem_x509_certificate(obj["certificate"].encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise AppError("the key file's certificate is damaged; use a backup copy of it.", where=where) from None
    if obj["fingerprint"] != _fingerprint_of(cert):
        raise AppError("the key file's fingerprint does not match its certificate (the file was "
                       "changed); use a backup copy of it.", where=where)
    try:
        sealed.check(obj["private_key"])
    except sealed.SealError as exc:
        raise AppError(f"{exc}; use the key file `opensel keygen` made.", where=where) from None
    return obj, cert


def parse_officer_key(data: bytes, passphrase: str, where: str = "key file") -> OfficerKey:
    obj, cert = _key_object(data, where)
    try:
        der = sealed.unseal(obj["private_key"], passphrase, _context(cert))
    except sealed.WrongPassphrase:
        raise AppError("the passphrase is wrong (or the file is damaged); try again with the "
                       "passphrase chosen when the key was made.", where=where) from None
    except sealed.SealError as exc:
        raise AppError(f"{exc}; use the key file `opensel keygen` made.", where=where) from None
    try:
        key = serialization.load_der_private_key(der, None)
    except (ValueError, TypeError):
        raise AppError("the key inside the file cannot be read; make a new key with `opensel keygen`.", where=where) \
            from None
    return _officer_key(key, cert, where)


def _officer_key(key: object, cert: x509.Certificate, where: str) -> OfficerKey:
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(cert.public_key(), ec.EllipticCurvePublicKey) \
            or key.public_key() != cert.public_key():
        raise AppError("the key and the certificate in this file do not belong together; "
                       "make a new key with `opensel keygen`.", where=where)
    return OfficerKey(_common_name(cert), key, cert)


# ---- the public certificate alone (no passphrase) ----------------------------------------------------


def load_certificate(path: str | Path) -> OfficerCertificate:
    """The officer's certificate and its fingerprint, from a key file (either format) or a certificate
    file (PEM or DER). Nothing secret is read and no passphrase is needed."""
    where = str(path)
    data = _read_key_file(path)
    cert: x509.Certificate | None
    if data.lstrip().startswith(b"{"):
        cert = _key_object(data, where)[1]
    elif CERT_BEGIN in data:
        try:
            cert = x509.load_pem_x509_certificate(data[data.index(CERT_BEGIN):])
        except ValueError:
            raise AppError("the certificate in this file is damaged; give the key file `opensel keygen` "
                           "made, or its certificate.", where=where) from None
    else:
        try:
            cert = x509.load_der_x509_certificate(data)
        except ValueError:
            cert = None
    if cert is None:
        raise AppError("this is neither an OpenSel key file nor a certificate; give the key file "
                       "`opensel keygen` made, or its certificate.", where=where)
    key = cert.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise AppError("this certificate is not a returning officer's (OpenSel keys are ECDSA P-256); "
                       "give the key file `opensel keygen` made.", where=where)
    return OfficerCertificate(cert, _fingerprint_of(cert))


# ---- the first format: read once, to convert it -------------------------------------------------------


def _old_iterations(der: bytes, where: str) -> None:
    """Refuse an old-format key whose PBKDF2 cost is not one OpenSel wrote, before any work is done."""
    from asn1crypto import keys as asn1_keys  # comes with pyhanko

    try:
        info = asn1_keys.EncryptedPrivateKeyInfo.load(der, strict=True)
        alg = info["encryption_algorithm"]
        kdf, iterations = alg.kdf, alg.kdf_iterations
    except (ValueError, TypeError, KeyError):
        raise AppError("the key in this old key file is damaged; it cannot be converted.", where=where) from None
    if alg["algorithm"].native != "pbes2" or kdf != "pbkdf2" or not isinstance(iterations, int) \
            or not 1 <= iterations <= OLD_MAX_ITERATIONS:
        raise AppError(f"this old key file asks for a key derivation OpenSel never wrote ({kdf}, "
                       f"{iterations} iterations; at most {OLD_MAX_ITERATIONS:,}); it was changed and cannot be "
                       "converted.", where=where)


def _read_old_key(data: bytes, passphrase: str, where: str) -> OfficerKey:
    from asn1crypto import pem as asn1_pem  # comes with pyhanko

    try:
        block = data[data.index(OLD_KEY_BEGIN):]
        block = block[: block.index(OLD_KEY_END) + len(OLD_KEY_END)]
        cert = x509.load_pem_x509_certificate(data[data.index(CERT_BEGIN):])
        _, _, der_key = asn1_pem.unarmor(block)
    except (ValueError, TypeError):
        raise _not_ours(where) from None
    _old_iterations(der_key, where)
    try:
        key = serialization.load_der_private_key(der_key, passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        raise AppError("the passphrase is wrong (or the file is damaged); try again with the "
                       "passphrase chosen when the key was made.", where=where) from None
    return _officer_key(key, cert, where)


def upgrade_officer_key(old_path: str | Path, new_path: str | Path, passphrase: str) -> OfficerKey:
    """Re-seal a first-format key file in the current format, under the same passphrase: the same key
    pair and certificate, so the fingerprint the officer published stays right. Never overwrites."""
    where = str(old_path)
    data = _read_key_file(old_path)
    if not _is_old_format(data):
        _key_object(data, where)  # refuses what is not a key file at all
        raise AppError("this key file is already in the current format; nothing to convert.", where=where)
    key = _read_old_key(data, passphrase, where)
    check_new_passphrase(passphrase)
    p = Path(new_path)
    if p.exists():
        raise AppError("a file already exists there; choose a new file name (a key is never overwritten).", where=p)
    out = _key_file_bytes(key.private_key, key.certificate, passphrase)
    create_private_file(p, out, "key file")
    return parse_officer_key(out, passphrase, str(p))


# ---- passphrases --------------------------------------------------------------------------------------


def passphrase_from_env_or_prompt(prompt: str = "Passphrase: ", confirm: bool = False,
                                  variables: tuple[str, ...] = (PASSPHRASE_ENV,)) -> str:
    """The first of `variables` set in the environment wins (scripts, CI); otherwise ask without echo on
    the terminal. A pipe is never waited on."""
    for name in variables:
        env = os.environ.get(name)
        if env is not None:
            return env
    import getpass
    import sys

    missing = f"No passphrase was given; set {variables[0]} or run the command at a terminal."
    if not sys.stdin.isatty():  # never hang waiting on a pipe
        raise AppError(missing)
    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Repeat the passphrase: ") != first:
            raise AppError("The two passphrases differ; run the command again.")
    except EOFError:
        raise AppError(missing) from None
    return first
