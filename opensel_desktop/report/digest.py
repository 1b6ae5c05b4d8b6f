"""The result digest and the QR payload that lets a printed sheet be checked against the saved contest.

CONTRACT.md "Ownership of shared pieces": digest = SHA-256 over the canonical result JSON (sorted
keys, no spaces, UTF-8; `contest.result_io.result_json`) followed by the journal head hash (ASCII
text; empty for a contest file, which has no journal).

Payload, one line of text (kept short so the QR stays readable at 35 mm):
    opensel:v1;id=<contest id, percent-encoded>;sha256=<64 hex>[;sig=<base64url signature>]
The signature, made with the returning officer's key (the same key that signs the PDF), covers the
payload text before ";sig=".
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from urllib.parse import quote, unquote

from opensel_desktop.contest.result_io import result_json
from opensel_desktop.engine.result import Result

PREFIX = "opensel:v1"


def result_digest(result: Result, head: str = "") -> str:
    data = result_json(result).encode("utf-8") + head.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class QrPayload:
    contest_id: str
    digest: str
    signature: bytes = b""

    @property
    def signed_text(self) -> str:
        """The exact text the signature covers."""
        return f"{PREFIX};id={quote(self.contest_id, safe='')};sha256={self.digest}"

    def text(self) -> str:
        if not self.signature:
            return self.signed_text
        sig = base64.urlsafe_b64encode(self.signature).decode("ascii").rstrip("=")
        return f"{self.signed_text};sig={sig}"


class PayloadError(ValueError):
    pass


def parse_payload(text: str) -> QrPayload:
    parts = text.strip().split(";")
    if not parts or parts[0] != PREFIX:
        raise PayloadError("it is not an OpenSel result code")
    fields: dict[str, str] = {}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if not sep or key in fields:
            raise PayloadError("the result code is malformed")
        fields[key] = value
    digest = fields.get("sha256", "")
    if "id" not in fields or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise PayloadError("the result code has no contest id or digest")
    sig = b""
    if fields.get("sig"):
        raw = fields["sig"]
        try:
            sig = base64.b64decode(raw + "=" * (-len(raw) % 4), altchars=b"-_", validate=True)
        except (ValueError, TypeError) as exc:  # binascii.Error is a ValueError
            raise PayloadError("the result code's signature is not readable") from exc
    return QrPayload(unquote(fields["id"]), digest, sig)
