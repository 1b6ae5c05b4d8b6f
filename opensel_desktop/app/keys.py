"""The returning officer's key pair: one function creates it for the CLI (`opensel keygen`) and the GUI.

The key file holds the private key, encrypted under the officer's passphrase (PKCS#8, PEM, the
`BestAvailableEncryption` of cryptography), followed by a self-signed X.509 certificate naming the
officer. It is never stored inside a .osel. One key serves both the PAdES signature of the PDF and
the signature inside the QR code (CONTRACT.md). ECDSA P-256 is used: pyhanko signs with it and
poppler's pdfsig (NSS) verifies it, which is not yet true of Ed25519 in the poppler we ship against.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from opensel_desktop import APP_NAME
from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.files import FileRefused, read_named_file

MIN_PASSPHRASE = 8
MAX_KEY_FILE = 64 * 1024  # a key file is about 1 KB; anything far bigger is not one of ours
CERT_YEARS = 10


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


def certificate_fingerprint(der: bytes) -> str:
    """SHA-256 of the DER certificate, as colon-separated hex pairs (what browsers and pdfsig users see)."""
    h = hashlib.sha256(der).hexdigest().upper()
    return ":".join(h[i:i + 2] for i in range(0, len(h), 2))


def create_officer_key(name: str, passphrase: str, now: dt.datetime | None = None) -> bytes:
    """A new key pair and certificate for `name`, as the bytes of a key file."""
    name = " ".join(name.split())
    if not name:
        raise AppError("The key needs the returning officer's name; give it with --name.")
    if len(passphrase) < MIN_PASSPHRASE:
        raise AppError(f"The passphrase is too short; use at least {MIN_PASSPHRASE} characters.")
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
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    return pem_key + cert.public_bytes(serialization.Encoding.PEM)


def write_officer_key(path: str | Path, name: str, passphrase: str) -> OfficerKey:
    """Create the key file at `path`; refuses to overwrite anything. Readable by its owner only."""
    p = Path(path)
    if p.exists():
        raise AppError(f"{p}: a file already exists there; choose a new file name (a key is never overwritten).")
    data = create_officer_key(name, passphrase)
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise AppError(f"{p}: a file already exists there; choose a new file name.") from None
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return parse_officer_key(data, passphrase, str(p))


def load_officer_key(path: str | Path, passphrase: str) -> OfficerKey:
    p = Path(path)
    try:
        data = read_named_file(p, MAX_KEY_FILE, "a key file", hint="; give the file `opensel keygen` made",
                               too_large="this is not an OpenSel key file; give the file `opensel keygen` made.",
                               missing="no such key file; check the name, or make one with `opensel keygen`.")
    except FileRefused as exc:
        raise AppError(f"{p}: {exc}") from None
    return parse_officer_key(data, passphrase, str(p))


def parse_officer_key(data: bytes, passphrase: str, where: str = "key file") -> OfficerKey:
    not_ours = f"{where}: this is not an OpenSel key file; give the file `opensel keygen` made."
    if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" not in data or b"-----BEGIN CERTIFICATE-----" not in data:
        raise AppError(not_ours)
    try:
        key_pem = data[data.index(b"-----BEGIN ENCRYPTED PRIVATE KEY-----"):]
        key_pem = key_pem[: key_pem.index(b"-----END ENCRYPTED PRIVATE KEY-----") + 35]
        cert = x509.load_pem_x509_certificate(data[data.index(b"-----BEGIN CERTIFICATE-----"):])
    except ValueError:
        raise AppError(not_ours) from None
    try:
        key = serialization.load_pem_private_key(key_pem, passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        raise AppError(f"{where}: the passphrase is wrong (or the file is damaged); try again with the "
                       "passphrase chosen when the key was made.") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        raise AppError(f"{where}: the key and the certificate in this file do not belong together; "
                       "make a new key with `opensel keygen`.")
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return OfficerKey(str(cn[0].value) if cn else "", key, cert)


def passphrase_from_env_or_prompt(prompt: str = "Passphrase: ", confirm: bool = False) -> str:
    """OPENSEL_PASSPHRASE wins (scripts, CI); otherwise ask without echo on the terminal."""
    env = os.environ.get("OPENSEL_PASSPHRASE")
    if env is not None:
        return env
    import getpass
    import sys

    if not sys.stdin.isatty():  # never hang waiting on a pipe
        raise AppError("No passphrase was given; set OPENSEL_PASSPHRASE or run the command at a terminal.")
    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Repeat the passphrase: ") != first:
            raise AppError("The two passphrases differ; run the command again.")
    except EOFError:
        raise AppError("No passphrase was given; set OPENSEL_PASSPHRASE or run the command at a terminal.") from None
    return first
