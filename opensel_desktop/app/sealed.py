"""A secret sealed under a passphrase: scrypt, then AES-256-GCM. Officer key files and station packs use it.

A sealed secret is one JSON object (docs/stations.md, "Sealed keys"):

    {"kdf": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": <base64, 16 bytes>,
     "aead": "aes-256-gcm", "nonce": <base64, 12 bytes>, "ciphertext": <base64: ciphertext + 16-byte tag>}

The 32-byte AES key is scrypt(passphrase, salt, n, r, p); the passphrase is taken in Unicode NFC form as
UTF-8, so the same words typed on two keyboards give the same key. The caller's `context` (what the
secret belongs to: a certificate, the rest of a station pack) is the GCM associated data: a sealed
secret moved into another file, or a file whose other parts were edited, does not open.

scrypt is memory-hard: one guess costs 128 MiB and about half a second, where the PBKDF2 (2048
iterations) of the first key files cost about a millisecond. A file names its own parameters, so reading
one first checks them against fixed bounds (`check`), before any work: a hostile file cannot make a
reader spend minutes or gigabytes.
"""

from __future__ import annotations

import base64
import binascii
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

KDF = "scrypt"
AEAD = "aes-256-gcm"
# what OpenSel writes: N = 2^17, r = 8, p = 1 (128 MiB, about 0.4 s on a laptop core)
N, R, P = 2 ** 17, 8, 1
# what a reader accepts: at most 256 MiB and about two seconds of work, whatever the file says
N_MIN, N_MAX, R_ONLY, P_MAX = 2 ** 17, 2 ** 18, 8, 2
SALT_BYTES, NONCE_BYTES, TAG_BYTES = 16, 12, 16
SALT_MAX = 64
SECRET_MAX = 16 * 1024  # a private key is well under 1 KB
FIELDS = ("kdf", "n", "r", "p", "salt", "aead", "nonce", "ciphertext")


class SealError(Exception):
    """A sealed secret refused, in one sentence without the file's name (the caller adds it)."""


class WrongPassphrase(SealError):
    """The passphrase does not open it (or the sealed bytes or their context were changed)."""


@dataclass(frozen=True, slots=True)
class Params:
    n: int
    r: int
    p: int
    salt: bytes
    nonce: bytes
    ciphertext: bytes


def _passphrase(text: str) -> bytes:
    return unicodedata.normalize("NFC", text).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any, what: str) -> bytes:
    if not isinstance(value, str) or len(value) > 4 * SECRET_MAX:
        raise SealError(f"its {what} is missing or malformed")
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise SealError(f"its {what} is not base64") from None


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(_passphrase(passphrase))


def seal(secret: bytes, passphrase: str, context: bytes) -> dict[str, Any]:
    """`secret` encrypted under `passphrase`, bound to `context`; a new salt and nonce each time."""
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(_derive(passphrase, salt, N, R, P)).encrypt(nonce, secret, context)
    return {"kdf": KDF, "n": N, "r": R, "p": P, "salt": _b64(salt), "aead": AEAD, "nonce": _b64(nonce),
            "ciphertext": _b64(ciphertext)}


def _shown(value: int) -> str:
    """A number from a hostile file, short enough for a sentence."""
    return str(value) if -10 ** 18 < value < 10 ** 18 else "a huge number"


def _int(value: Any) -> int | None:
    return value if type(value) is int else None


def check(obj: Any) -> Params:
    """The parameters of a sealed secret, every one inside the bounds a reader accepts; SealError if not.
    Cheap: nothing is derived or decrypted."""
    if not isinstance(obj, Mapping) or set(obj) != set(FIELDS):
        raise SealError("its sealed key does not have the fields of an OpenSel sealed key")
    if obj["kdf"] != KDF or obj["aead"] != AEAD:
        raise SealError(f"its key is sealed with {str(obj['kdf'])[:20]!r} and {str(obj['aead'])[:20]!r}; "
                        f"OpenSel reads only {KDF} with {AEAD}")
    n, r, p = _int(obj["n"]), _int(obj["r"]), _int(obj["p"])
    if n is None or r is None or p is None:
        raise SealError("its scrypt parameters n, r and p are not whole numbers")
    if not (N_MIN <= n <= N_MAX and n & (n - 1) == 0) or r != R_ONLY or not 1 <= p <= P_MAX:
        n_, r_, p_ = (_shown(v) for v in (n, r, p))
        raise SealError(f"its scrypt parameters (n={n_}, r={r_}, p={p_}) are outside what OpenSel reads (n a power "
                        f"of two from 2^17 to 2^18, r=8, p at most {P_MAX}), so it was not made by OpenSel or "
                        "was changed")
    salt, nonce, ciphertext = _unb64(obj["salt"], "salt"), _unb64(obj["nonce"], "nonce"), \
        _unb64(obj["ciphertext"], "ciphertext")
    if not SALT_BYTES <= len(salt) <= SALT_MAX or len(nonce) != NONCE_BYTES or \
            not TAG_BYTES < len(ciphertext) <= SECRET_MAX + TAG_BYTES:
        raise SealError("its salt, nonce or ciphertext has the wrong length (the file is damaged)")
    return Params(n, r, p, salt, nonce, ciphertext)


def unseal(obj: Any, passphrase: str, context: bytes) -> bytes:
    """The secret, if `passphrase` opens it and `context` is the one it was sealed with."""
    params = check(obj)
    key = _derive(passphrase, params.salt, params.n, params.r, params.p)
    try:
        return AESGCM(key).decrypt(params.nonce, params.ciphertext, context)
    except InvalidTag:
        raise WrongPassphrase("the passphrase is wrong, or the file was changed") from None
