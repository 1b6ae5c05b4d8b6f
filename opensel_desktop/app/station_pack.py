"""The station pack (.oselpack): what the returning officer signs and a teller station opens.

One canonical JSON object (sorted keys, no spaces, UTF-8), nothing else; docs/stations.md has the fields.
Three things tie a pack to the officer and to her contest, and a station checks all three before it keys
a paper (`read_pack`, then `StationPack.station_key`):

* the officer's ECDSA signature over the pack without its `signature` key, made with her key file;
* the contest id, recomputed from the contest and the envelope of the officer's first journal event
  (`contest_event`): the id is that event's hash, so a pack cannot pair one contest with another's id;
* the station's private key, sealed under the station passphrase (app/sealed.py) with the rest of the
  pack as its associated data: a pack edited or re-made by anyone who does not know the passphrase
  (told to the tellers by word of mouth, never on the stick) does not open.

The officer's journal records the SHA-256 of the pack's bytes when the station is registered; every
batch file cites the pack it was keyed from, so the merge refuses a batch keyed from any other pack.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from opensel_desktop.app import sealed
from opensel_desktop.app.errors import AppError
from opensel_desktop.app.keys import OfficerKey, certificate_fingerprint
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.contest.model import Contest
from opensel_desktop.store import events as ev
from opensel_desktop.store.contest_json import contest_to_data
from opensel_desktop.store.events import Event, canonical_json

PACK_FORMAT = "opensel-station-pack/2"
OLD_PACK_FORMAT = "opensel-station-pack/1"
MAX_PACK = 16 * 1024 * 1024
KEY_CONTEXT = b"opensel-station-key/2\n"
FIELDS: dict[str, type] = {
    "format": str, "app_version": str, "contest": dict, "contest_event": dict, "contest_id": str, "station": str,
    "public_key": str, "private_key": dict, "officer": str, "officer_certificate": str,
    "officer_fingerprint": str, "batches": list, "created_at": str, "signature": str}
ENVELOPE: dict[str, type] = {"actor": str, "station": str, "batch": str, "at": str, "data": dict}
# what a station's own .osel keeps of its pack (the station key stays in the pack)
KEPT_IN_STATION_FILE = ("station", "contest_id", "public_key", "officer", "officer_certificate",
                        "officer_fingerprint", "batches", "created_at", "app_version")


def contest_digest(contest: Contest) -> str:
    """SHA-256 of the contest as the journal stores it: equal on the officer's and a station's laptop
    exactly when they count the same contest (candidates, order, rules)."""
    return hashlib.sha256(canonical_json(contest_to_data(contest)).encode("utf-8")).hexdigest()


def _public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def _key_context(body: dict[str, Any]) -> bytes:
    """The station key's associated data: every field of the pack but the key itself and the signature."""
    rest = {k: v for k, v in body.items() if k not in ("private_key", "signature")}
    return KEY_CONTEXT + canonical_json(rest).encode("utf-8")


def _signed_text(body: dict[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in body.items() if k != "signature"}).encode("utf-8")


def _contest_id(contest: dict[str, Any], envelope: dict[str, Any]) -> str:
    """The hash of the officer's first journal event, rebuilt from the pack's contest and envelope."""
    payload = canonical_json({**envelope["data"], "contest": contest})
    return ev.event_hash(ev.GENESIS, 1, ev.CONTEST_CREATED, envelope["actor"], envelope["station"],
                         envelope["batch"], envelope["at"], payload)


def build_pack(first: Event, station: str, batches: list[dict[str, Any]], officer: str, officer_key: OfficerKey,
               passphrase: str, created_at: str, app_version: str) -> tuple[bytes, str]:
    """The bytes of a signed pack for `station`, and the new station key's public half (hex)."""
    first_data = first.data
    key = Ed25519PrivateKey.generate()
    body: dict[str, Any] = {
        "format": PACK_FORMAT, "app_version": app_version, "contest": first_data["contest"],
        "contest_event": {"actor": first.actor, "station": first.station, "batch": first.batch, "at": first.at,
                          "data": {k: v for k, v in first_data.items() if k != "contest"}},
        "contest_id": first.hash, "station": station, "public_key": _public_hex(key), "officer": officer,
        "officer_certificate": officer_key.certificate_pem().decode("ascii"),
        "officer_fingerprint": officer_key.fingerprint, "batches": batches, "created_at": created_at}
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    body["private_key"] = sealed.seal(der, passphrase, _key_context(body))
    body["signature"] = officer_key.sign(_signed_text(body)).hex()
    return canonical_json(body).encode("utf-8"), body["public_key"]


@dataclass(frozen=True, slots=True)
class StationPack:
    """A pack whose form, officer's signature and contest id hold (the key opens with the passphrase)."""

    obj: dict[str, Any]
    sha256: str  # of the file's bytes: what the officer's journal recorded
    certificate: x509.Certificate
    where: str

    def __getitem__(self, key: str) -> Any:
        return self.obj[key]

    def station_file_info(self, path: str | Path) -> dict[str, Any]:
        """What a station's .osel records of its pack: no key; the pack's hash and where it was read."""
        return {**{k: self.obj[k] for k in KEPT_IN_STATION_FILE}, "pack_sha256": self.sha256,
                "pack_file": str(Path(path).resolve())}

    def station_key(self, passphrase: str) -> Ed25519PrivateKey:
        """The station's signing key. A wrong passphrase and a pack not made with it (edited, or forged by
        someone without the passphrase) are the same refusal: the key does not open."""
        try:
            der = sealed.unseal(self.obj["private_key"], passphrase, _key_context(self.obj))
        except sealed.WrongPassphrase:
            raise AppError("the station passphrase does not open this pack's key: the passphrase "
                           "is wrong, or the pack was changed or remade since the returning officer wrote it",
                           hint_cli="check the passphrase with her and set OPENSEL_STATION_PASSPHRASE to it.",
                           hint_gui="check the passphrase with her and type it again.", where=self.where) from None
        except sealed.SealError as exc:
            raise AppError(f"{exc}; ask the returning officer for a new pack.", where=self.where) from None
        try:
            key = serialization.load_der_private_key(der, None)
        except (ValueError, TypeError):
            key = None
        if not isinstance(key, Ed25519PrivateKey) or _public_hex(key) != self.obj["public_key"]:
            raise AppError("the station key does not match its pack; ask the returning officer for "
                           "a new pack.", where=self.where)
        return key


def read_pack(path: str | Path) -> StationPack:
    """Read and check a pack: its exact canonical form, the officer's signature, the contest id and the
    station key's sealing parameters (bounded before any work). The passphrase is not needed here."""
    p = Path(path)
    where = str(p)
    not_ours = f"{where}: this is not an OpenSel station pack; give the .oselpack file `opensel station-pack` wrote."
    try:
        data = read_named_file(p, MAX_PACK, "a station pack", too_large=not_ours.split(": ", 1)[1],
                               missing="no such station pack; check the name and folder.")
    except FileRefused as exc:
        raise AppError(f"{exc}", where=where) from None
    try:
        pack = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        if data.startswith(b'{"'):
            raise AppError("the station pack is incomplete or damaged; copy it again from the returning "
                           "officer's laptop.", where=where) from None
        raise AppError(not_ours) from None
    if not isinstance(pack, dict) or not str(pack.get("format", "")).startswith("opensel-station-pack/"):
        raise AppError(not_ours)
    if pack["format"] == OLD_PACK_FORMAT:
        raise AppError("this station pack was made by an earlier OpenSel and is not signed; ask the "
                       "returning officer for a new pack (`opensel station-pack`).", where=where)
    if pack["format"] != PACK_FORMAT:
        raise AppError("this station pack was made by a newer OpenSel; use that version.", where=where)
    damaged = f"{where}: the station pack is damaged (%s); ask the returning officer for a new one."
    if set(pack) != set(FIELDS):
        raise AppError(damaged % "its fields are not those of a station pack")
    for key, kind in FIELDS.items():
        if not isinstance(pack[key], kind):
            raise AppError(damaged % f"no {key}")
    envelope = pack["contest_event"]
    if set(envelope) != set(ENVELOPE) or not all(isinstance(envelope[k], t) for k, t in ENVELOPE.items()):
        raise AppError(damaged % "no contest_event")
    try:
        canonical = canonical_json(pack).encode("utf-8")
    except ValueError:
        canonical = b""
    if canonical != data:
        raise AppError("the station pack was changed after it was written; ask the returning officer "
                       "for a new one.", where=where)
    cert = _signer(pack, where)
    if _contest_id(pack["contest"], envelope) != pack["contest_id"]:
        raise AppError(f"the contest in this station pack is not the contest its id names (contest "
                       f"{pack['contest_id'][:16]}...); ask the returning officer for a new pack.", where=where)
    try:
        sealed.check(pack["private_key"])
    except sealed.SealError as exc:
        raise AppError(f"{exc}; ask the returning officer for a new pack.", where=where) from None
    return StationPack(pack, hashlib.sha256(data).hexdigest(), cert, where)


def _signer(pack: dict[str, Any], where: str) -> x509.Certificate:
    """The officer's certificate, after checking that its key signed the pack."""
    try:
        cert = x509.load_pem_x509_certificate(pack["officer_certificate"].encode("ascii"))
        public = cert.public_key()
    except (ValueError, UnicodeEncodeError):
        raise AppError("the officer's certificate in this station pack is damaged; ask the returning "
                       "officer for a new pack.", where=where) from None
    if certificate_fingerprint(cert.public_bytes(serialization.Encoding.DER)) != pack["officer_fingerprint"]:
        raise AppError("the station pack's officer fingerprint does not match its certificate; ask the "
                       "returning officer for a new pack.", where=where)
    try:
        if not isinstance(public, ec.EllipticCurvePublicKey):
            raise InvalidSignature
        public.verify(bytes.fromhex(pack["signature"]), _signed_text(pack), ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        raise AppError("the station pack is not signed by the officer it names (it was changed after "
                       "she signed it); ask the returning officer for a new pack.", where=where) from None
    return cert
