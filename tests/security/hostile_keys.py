"""Keys as an attacker edits them (imported by the tests beside it)."""

from __future__ import annotations

from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem


def with_pbkdf2_iterations(pem: bytes, iterations: int) -> bytes:
    """A PKCS#8 `ENCRYPTED PRIVATE KEY` PEM whose PBKDF2 iteration count is rewritten in its ASN.1 (the key
    is not encrypted again: what matters is how long a reader would work before it finds out)."""
    _, _, der = asn1_pem.unarmor(pem)
    info = asn1_keys.EncryptedPrivateKeyInfo.load(der)
    info["encryption_algorithm"]["parameters"]["key_derivation_func"]["parameters"]["iteration_count"] = iterations
    return asn1_pem.armor("ENCRYPTED PRIVATE KEY", info.dump(force=True))
