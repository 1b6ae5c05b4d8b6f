"""The signed batch file (.oselbatch) a teller station exports and the officer's laptop merges.

One canonical JSON object (store/events.py `canonical_json`: sorted keys, no spaces, UTF-8), nothing
else in the file, so the bytes are exactly what was signed and any edit shows:

    {"format": "opensel-batch/2", "contest_id": <the officer's contest id>, "station": NAME,
     "batch": LABEL, "first_paper": N, "paper_numbers": [...], "papers": n, "exported_at": ISO time,
     "exported_by": NAME, "station_file": <the station file's own contest id>, "station_head": <its head>,
     "pack_sha256": <SHA-256 of the station pack it was keyed from>,
     "contest_sha256": <SHA-256 of the canonical JSON of the station's contest>,
     "entries": [{"n", "kind", "actor", "at", "data", "source", "prev", "hash"}, ...], "head": <last hash>,
     "public_key": <station Ed25519 public key, hex>, "signature": <Ed25519 signature, hex>}

Format 1 (the first version) lacks `pack_sha256` and `contest_sha256`; it is still parsed, so that a
journal which merged one can be audited, but the merge refuses it.

Each entry is hash-chained like the journal: hash = SHA-256 of the canonical JSON array
["opensel-batch-entry-v1", prev, n, kind, actor, at, data, source] (prev of the first = 64 zeros;
`source` = the hash of the station journal event it copies). The signature covers the canonical JSON
of the object without its "signature" key. Parsing checks the form and the chain; which key must have
signed it is for the caller to say (the station registered in the officer's journal).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from opensel_desktop.engine.canonical import canonical_json
from opensel_desktop.store.events import GENESIS

FORMAT = "opensel-batch/2"
LEGACY_FORMAT = "opensel-batch/1"
ENTRY_TAG = "opensel-batch-entry-v1"
MAX_BATCH_FILE = 256 * 1024 * 1024  # 500 papers make about 150 KB; far bigger is not one of ours
HEADER = {"contest_id": str, "station": str, "batch": str, "first_paper": int, "paper_numbers": list,
          "papers": int, "exported_at": str, "exported_by": str, "station_file": str, "station_head": str,
          "head": str, "public_key": str, "signature": str, "entries": list}
PACK_HEADER = {"pack_sha256": str, "contest_sha256": str}  # format 2 on
ENTRY_TEXT = ("kind", "actor", "at", "source", "prev", "hash")  # besides "n" (int) and "data" (object)


class BatchFileError(Exception):
    """A batch file refused, with one sentence saying why (the caller names the file)."""


@dataclass(frozen=True, slots=True)
class BatchFile:
    """A parsed batch file whose form and chain hold (the signature is checked by `verify_signature`)."""

    obj: dict[str, Any]  # the whole object, as in the file
    sha256: str  # of the file's bytes: what the merge event cites

    def __getitem__(self, key: str) -> Any:
        return self.obj[key]

    @property
    def entries(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.obj["entries"]
        return entries

    @property
    def legacy(self) -> bool:
        """A format-1 file: it does not cite the station pack it was keyed from."""
        return bool(self.obj["format"] == LEGACY_FORMAT)

    def signed_text(self) -> bytes:
        return canonical_json({k: v for k, v in self.obj.items() if k != "signature"}).encode("utf-8")


def entry_hash(prev: str, n: int, kind: str, actor: str, at: str, data: dict[str, Any], source: str) -> str:
    text = canonical_json([ENTRY_TAG, prev, n, kind, actor, at, data, source])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_entries(raw: Sequence[tuple[str, str, str, dict[str, Any], str]]) -> list[dict[str, Any]]:
    """(kind, actor, at, data, source) in journal order -> chained entries."""
    out, prev = [], GENESIS
    for n, (kind, actor, at, data, source) in enumerate(raw, start=1):
        h = entry_hash(prev, n, kind, actor, at, data, source)
        out.append({"n": n, "kind": kind, "actor": actor, "at": at, "data": data, "source": source,
                    "prev": prev, "hash": h})
        prev = h
    return out


def build(header: dict[str, Any], entries: list[dict[str, Any]], public_key: str,
          sign: Callable[[bytes], bytes]) -> bytes:
    """The bytes of a signed batch file: header + chained entries, signed by `sign`."""
    body = {"format": FORMAT, **header, "entries": entries, "head": entries[-1]["hash"] if entries else GENESIS,
            "public_key": public_key}
    signature = sign(canonical_json(body).encode("utf-8"))
    return canonical_json({**body, "signature": signature.hex()}).encode("utf-8")


def parse(data: bytes) -> BatchFile:
    """Check the form and the chain of a batch file's bytes; BatchFileError (one sentence) if not."""
    if len(data) > MAX_BATCH_FILE:
        raise BatchFileError("the file is far too large to be a batch file")
    damaged = "the file is incomplete or damaged (not a whole batch file); copy it again from the station"
    try:
        text = data.decode("utf-8")
        obj = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        if data.lstrip()[:1] in (b"{", b"") or data.startswith(b'{"'):
            raise BatchFileError(damaged) from None
        raise BatchFileError("this is not an OpenSel batch file; give the .oselbatch file `opensel "
                             "batch-export` wrote") from None
    if not isinstance(obj, dict) or obj.get("format") not in (FORMAT, LEGACY_FORMAT):
        raise BatchFileError("this is not an OpenSel batch file (or one from a newer OpenSel); give the "
                             ".oselbatch file `opensel batch-export` wrote")
    header = HEADER if obj["format"] == LEGACY_FORMAT else {**HEADER, **PACK_HEADER}
    for key, kind in header.items():
        if not isinstance(obj.get(key), kind) or isinstance(obj.get(key), bool):
            raise BatchFileError(f"the batch file's {key!r} is missing or malformed; export the batch again")
    try:
        canonical = canonical_json(obj).encode("utf-8")
    except ValueError:
        raise BatchFileError(damaged) from None
    if canonical != data:
        raise BatchFileError("the file was changed after it was exported (it is no longer in the exact form "
                             "that was signed); export the batch again at its station")
    prev = GENESIS
    for n, e in enumerate(obj["entries"], start=1):
        if type(e) is not dict or type(e.get("n")) is not int or type(e.get("data")) is not dict or \
                not all(type(e.get(k)) is str for k in ENTRY_TEXT):
            raise BatchFileError(f"entry {n} of the batch file is malformed; export the batch again")
        if e["n"] != n or e["prev"] != prev or \
                e["hash"] != entry_hash(prev, n, e["kind"], e["actor"], e["at"], e["data"], e["source"]):
            raise BatchFileError(f"entry {n} of the batch file was changed after it was signed (its hash chain "
                                 "does not hold); export the batch again at its station")
        prev = e["hash"]
    if obj["head"] != prev:
        raise BatchFileError("the batch file's entries do not end at the head it was signed with (entries were "
                             "removed); export the batch again at its station")
    return BatchFile(obj, hashlib.sha256(data).hexdigest())


def verify_signature(batch: BatchFile, public_key_hex: str) -> bool:
    """True when the batch was signed by the Ed25519 key given (hex of the 32 raw bytes)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        key.verify(bytes.fromhex(batch["signature"]), batch.signed_text())
    except (ValueError, InvalidSignature):
        return False
    return True
