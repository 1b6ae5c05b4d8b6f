"""The two hashes a result sheet names, and the QR payload that lets a printed sheet be checked.

* **result hash**: SHA-256 of the canonical result JSON (sorted keys, no spaces, UTF-8;
  `contest.result_io.result_json`). `opensel declare` prints it, and the journal's count and
  declaration events carry it: it identifies the result alone.
* **sheet digest**: SHA-256 of the same JSON followed by the journal head hash (ASCII hex; empty for a
  contest file, which has no journal). It ties a sheet to one result *and* one point of one journal.

Payload, one line of text (kept short so the QR stays readable at 38 mm):

    opensel:v2;id=<contest id, percent-encoded>;state=<declared|provisional>;sha256=<sheet digest>;
        fp=<signer's certificate SHA-256, 64 hex, or empty>[;sig=<base64url signature>]

The signature, made with the returning officer's key (the same key that signs the PDF), covers the
payload text before ";sig=". Version 1 (`opensel:v1;id=...;sha256=...[;sig=...]`, no state and no
fingerprint) is still read, so sheets printed before version 2 can be checked.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from urllib.parse import quote, unquote

from opensel_desktop.contest.result_io import result_json
from opensel_desktop.engine.result import Result

PREFIX_V1 = "opensel:v1"
PREFIX = "opensel:v2"
STATES = ("declared", "provisional")
HEX = frozenset("0123456789abcdef")


def result_hash(result: Result) -> str:
    """SHA-256 of the canonical result JSON: the figure `opensel declare` prints."""
    return hashlib.sha256(result_json(result).encode("utf-8")).hexdigest()


def sheet_digest(result: Result, head: str = "") -> str:
    """SHA-256 of the canonical result JSON followed by the journal head: what the QR code carries."""
    data = result_json(result).encode("utf-8") + head.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def fingerprint_hex(fingerprint: str) -> str:
    """'AB:CD:...' (as keygen prints it) or 'abcd...' -> 64 lower-case hex digits ('' stays '')."""
    return fingerprint.replace(":", "").strip().lower()


def fingerprint_colons(hex_digits: str) -> str:
    h = hex_digits.upper()
    return ":".join(h[i:i + 2] for i in range(0, len(h), 2))


@dataclass(frozen=True, slots=True)
class QrPayload:
    contest_id: str
    digest: str  # the sheet digest
    signature: bytes = b""
    state: str = ""  # "declared" | "provisional"; "" in a version 1 payload
    fingerprint: str = ""  # 64 hex digits of the signer's certificate; "" when unsigned or version 1
    version: int = 2

    @property
    def signed_text(self) -> str:
        """The exact text the signature covers."""
        cid = quote(self.contest_id, safe="")
        if self.version == 1:
            return f"{PREFIX_V1};id={cid};sha256={self.digest}"
        return f"{PREFIX};id={cid};state={self.state};sha256={self.digest};fp={self.fingerprint}"

    def text(self) -> str:
        if not self.signature:
            return self.signed_text
        sig = base64.urlsafe_b64encode(self.signature).decode("ascii").rstrip("=")
        return f"{self.signed_text};sig={sig}"

    @property
    def fingerprint_colons(self) -> str:
        return fingerprint_colons(self.fingerprint)


class PayloadError(ValueError):
    pass


def parse_payload(text: str) -> QrPayload:
    parts = text.strip().split(";")
    version = {PREFIX_V1: 1, PREFIX: 2}.get(parts[0]) if parts else None
    if version is None:
        raise PayloadError("it is not an OpenSel result code")
    fields: dict[str, str] = {}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if not sep or key in fields:
            raise PayloadError("the result code is malformed")
        fields[key] = value
    allowed = {"id", "sha256", "sig"} | ({"state", "fp"} if version == 2 else set())
    if set(fields) - allowed:
        raise PayloadError("the result code is malformed")
    digest = fields.get("sha256", "")
    if "id" not in fields or len(digest) != 64 or not set(digest) <= HEX:
        raise PayloadError("the result code has no contest id or sheet digest")
    state = fingerprint = ""
    if version == 2:
        state, fingerprint = fields.get("state", ""), fields.get("fp", "")
        if state not in STATES:
            raise PayloadError("the result code does not say whether the result is declared or provisional")
        if fingerprint and (len(fingerprint) != 64 or not set(fingerprint) <= HEX):
            raise PayloadError("the result code's certificate fingerprint is malformed")
    sig = b""
    if fields.get("sig"):
        raw = fields["sig"]
        try:
            sig = base64.b64decode(raw + "=" * (-len(raw) % 4), altchars=b"-_", validate=True)
        except (ValueError, TypeError) as exc:  # binascii.Error is a ValueError
            raise PayloadError("the result code's signature is not readable") from exc
    return QrPayload(unquote(fields["id"]), digest, sig, state, fingerprint, version)
