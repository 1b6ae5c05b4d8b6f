"""Attacks on teller stations by someone who has the saved contest, the source code and a key of their own
(not the returning officer's): a station pack edited on the way (two candidates swapped), re-signed with
another key, for another contest or with hostile sealing parameters; batch files keyed from an edited pack;
and the station's private key looked for in the station's .osel and its journal.

The promise: a pack the officer did not write is refused before a paper is keyed, and even a station set
up past those checks cannot get one vote merged from a contest or pack other than the officer's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from cli_run import run_opensel
from hostile_keys import with_pbkdf2_iterations

from opensel_desktop.app.audit import audit
from opensel_desktop.app.core import Session
from opensel_desktop.app.keys import OfficerKey, load_officer_key, make_officer_key
from opensel_desktop.app.station_pack import read_pack
from opensel_desktop.app.stations import MERGED, REFUSED, export_batch, merge_batches
from opensel_desktop.store import batchfile
from opensel_desktop.store.contest_json import contest_from_data
from opensel_desktop.store.events import GENESIS, canonical_json, event_hash

OFFICER_PASSPHRASE = "Jane's own passphrase"
STATION_PASSPHRASE = "told to table 1 by word of mouth"
ENV = {**os.environ, "OPENSEL_PASSPHRASE": OFFICER_PASSPHRASE, "OPENSEL_STATION_PASSPHRASE": STATION_PASSPHRASE,
       "PYTHONIOENCODING": "utf-8"}
HANG = 30
CONTEST = """format: opensel-contest/1
title: Selection of parliamentary candidate
returning_officer: Jane Smith
method: {rule: av, seats: 1}
candidates: [Siân Evans, Tom Jones, Łukasz Nowak, Aisha Rahman]
"""
# batch A: 5 papers for Siân Evans first, 1 for Tom Jones (as keyed: candidate 1 is the first listed)
PAPERS = "1 2\n1 3\n1\n1 4 2\n1 2 3\n2 1\n"

opensel = partial(run_opensel, env=ENV)


@dataclass(frozen=True)
class Officer:
    folder: Path
    meeting: Path  # registered table-1, nothing merged
    unregistered: Path  # the same meeting before any station was registered
    key_file: Path
    key: OfficerKey
    pack: Path
    station: Path  # table-1 set up from the pack, batch A keyed twice and agreed

    def fresh(self, name: str) -> Path:
        target = self.folder / name
        shutil.copyfile(self.meeting, target)
        return target

    def pack_obj(self) -> dict[str, Any]:
        return json.loads(self.pack.read_bytes())

    def station_copy(self, folder: Path) -> Path:
        """A copy of the keyed station (it still reads its key from the pack, where it was set up)."""
        target = folder / "table-1.osel"
        shutil.copyfile(self.station, target)
        return target


@pytest.fixture(scope="module")
def officer(tmp_path_factory) -> Officer:
    folder = tmp_path_factory.mktemp("forgery")
    (folder / "contest.yaml").write_text(CONTEST, encoding="utf-8")
    run = partial(opensel, cwd=folder)
    run("new", "contest.yaml", "-o", "meeting.osel", "--officer", "Jane Smith")
    run("keygen", "--name", "Jane Smith", "-o", "jane.key")
    shutil.copyfile(folder / "meeting.osel", folder / "before-packs.osel")
    run("station-pack", "meeting.osel", "--station", "table-1", "--key", "jane.key", "-o", "table-1.oselpack",
        "--batch", "A=1-50")
    (folder / "station").mkdir()
    run("new", "--from-pack", "table-1.oselpack", "-o", "station/table-1.osel", "--officer", "Ann Teller")
    key_batch_a(folder / "station" / "table-1.osel")
    return Officer(folder, folder / "meeting.osel", folder / "before-packs.osel", folder / "jane.key",
                   load_officer_key(folder / "jane.key", OFFICER_PASSPHRASE), folder / "table-1.oselpack",
                   folder / "station" / "table-1.osel")


def write_pack(path: Path, obj: dict[str, Any], signer: OfficerKey | None = None) -> Path:
    """The pack as canonical JSON; with `signer`, signed again by that key (whose certificate it then names)."""
    if signer is not None:
        obj = {**obj, "officer_certificate": signer.certificate_pem().decode(), "officer_fingerprint":
               signer.fingerprint}
        body = {k: v for k, v in obj.items() if k != "signature"}
        obj["signature"] = signer.sign(canonical_json(body).encode()).hex()
    path.write_bytes(canonical_json(obj).encode())
    return path


def swapped(obj: dict[str, Any]) -> dict[str, Any]:
    """The pack with its first two candidates swapped: keyed '1' would then mean Tom Jones."""
    out = json.loads(json.dumps(obj))
    c = out["contest"]["candidates"]
    c[0], c[1] = c[1], c[0]
    return out


def refused_from_pack(pack: Path, tmp_path: Path, *words: str, env: dict[str, str] = ENV) -> str:
    station = tmp_path / "station.osel"
    err = run_opensel("new", "--from-pack", str(pack), "-o", str(station), "--officer", "Ann Teller", env=env,
                      ok=False, timeout=HANG).stderr
    assert str(pack) in err and not station.exists(), err
    for w in words:
        assert w in err, err
    return err


def key_batch_a(station: Path) -> None:
    opensel("enter", str(station), "--teller", "Ann Teller", "--batch", "A", stdin=PAPERS)
    opensel("enter", str(station), "--teller", "Bob Teller", "--batch", "A", "--second", stdin=PAPERS)


def first_preferences(meeting: Path) -> dict[str, int]:
    count = json.loads(opensel("count", str(meeting), "--format", "json").stdout)
    return {name: int(v) for name, v in count["stages"][0]["votes"].items()}


def merged_events(meeting: Path) -> int:
    with Session.open(meeting, "auditor", readonly=True) as s:
        return sum(1 for e in s.events() if e.kind == "batch_merged")


# --- the station's key stays out of its .osel ------------------------------------------------------------------


def test_the_station_key_is_neither_in_the_station_file_nor_in_its_log(officer):
    station = officer.station
    sealed = officer.pack_obj()["private_key"]
    secret_parts = [sealed["ciphertext"], sealed["ciphertext"][:24], sealed["salt"], "private_key", "PRIVATE KEY"]
    stored = b"".join(p.read_bytes() for p in station.parent.iterdir())  # the .osel, and its -wal if any
    log = opensel("log", str(station), "--json").stdout
    for part in secret_parts:
        assert part.encode() not in stored and part not in log, part
    assert sealed["ciphertext"].encode() in officer.pack.read_bytes()  # it is in the pack, where it belongs
    first = json.loads(log.splitlines()[0]) if log.lstrip().startswith("{") else json.loads(log)[0]
    assert "pack_sha256" in json.dumps(first)  # the station file knows which pack, not its key


# --- edited, re-signed and foreign packs -------------------------------------------------------------------------


def test_an_edited_pack_cannot_move_votes_between_candidates(officer, tmp_path):
    """The attack as found: the pack edited on the way (two candidates swapped) used to be keyed and merged,
    moving Siân Evans's first preferences to Tom Jones with audit holding."""
    edited = write_pack(tmp_path / "edited.oselpack", swapped(officer.pack_obj()))
    refused_from_pack(edited, tmp_path, "not signed by the officer it names")

    # a station set up past that check (its software changed) on the swapped contest, but with the station
    # key of the real pack: its batch cites the real pack, and its contest is not the officer's
    genuine = read_pack(officer.pack)
    station = tmp_path / "bypassed.osel"
    contest = contest_from_data(swapped(officer.pack_obj())["contest"])
    Session.create(contest, station, "Ann Teller", station="table-1",
                   station_pack=genuine.station_file_info(officer.pack)).close()
    key_batch_a(station)
    with Session.open(station, "Ann Teller", readonly=True) as s:
        export_batch(s, "A", tmp_path / "bypassed-A.oselbatch", STATION_PASSPHRASE)
    meeting = officer.fresh("edited-pack.osel")
    err = opensel("merge", str(meeting), str(tmp_path / "bypassed-A.oselbatch"), ok=False).stderr
    assert "keyed it on a contest that is not this one" in err and merged_events(meeting) == 0

    # the same batch signed again by the station key, citing the edited pack: refused for the pack
    bf = batchfile.parse((tmp_path / "bypassed-A.oselbatch").read_bytes())
    header = {k: v for k, v in bf.obj.items() if k not in ("format", "entries", "head", "public_key", "signature")}
    header["pack_sha256"] = read_pack_sha(edited)
    key = genuine.station_key(STATION_PASSPHRASE)
    (tmp_path / "cites-edited.oselbatch").write_bytes(
        batchfile.build(header, bf.entries, bf["public_key"], key.sign))
    err = opensel("merge", str(meeting), str(tmp_path / "cites-edited.oselbatch"), ok=False).stderr
    assert "keyed from a station pack other than the one issued to station table-1" in err
    assert merged_events(meeting) == 0 and "All checks hold." in opensel("audit", str(meeting)).stdout

    # control: the same papers keyed from the real pack merge, and count for the candidates they name
    real = officer.station_copy(tmp_path)
    opensel("batch-export", str(real), "--batch", "A", "-o", str(tmp_path / "real-A.oselbatch"))
    opensel("merge", str(meeting), str(tmp_path / "real-A.oselbatch"))
    votes = first_preferences(meeting)
    assert votes["Siân Evans"] == 5 and votes["Tom Jones"] == 1


def read_pack_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_pack_signed_by_another_key_is_refused(officer, tmp_path):
    mallory = make_officer_key("Jane Smith")  # her own key, even under the officer's name
    forged = write_pack(tmp_path / "forged.oselpack", swapped(officer.pack_obj()), signer=mallory)
    refused_from_pack(forged, tmp_path, "not the contest its id names")
    # with the contest id made to fit the swapped contest, the pack holds together, signed by her key...
    obj = swapped(officer.pack_obj())
    envelope = obj["contest_event"]
    obj["contest_id"] = event_hash(GENESIS, 1, "contest_created", envelope["actor"], envelope["station"],
                                   envelope["batch"], envelope["at"],
                                   canonical_json({**envelope["data"], "contest": obj["contest"]}))
    consistent = write_pack(tmp_path / "consistent.oselpack", obj, signer=mallory)
    assert read_pack(consistent).certificate == mallory.certificate
    # ...but the station key is sealed to what the officer wrote: it does not open under the tellers' passphrase
    refused_from_pack(consistent, tmp_path, "does not open this pack's key")
    resigned = write_pack(tmp_path / "resigned.oselpack", officer.pack_obj(), signer=mallory)
    refused_from_pack(resigned, tmp_path, "does not open this pack's key")


def test_a_pack_forged_whole_from_a_copy_of_the_meeting_is_refused(officer, tmp_path):
    """Mallory copies the meeting file and makes a pack with her own key and a station passphrase of her
    choosing: the tellers type the passphrase the officer told them, and her pack does not open."""
    copy = tmp_path / "mallorys-copy.osel"
    shutil.copyfile(officer.unregistered, copy)
    mallory_env = {**ENV, "OPENSEL_PASSPHRASE": "mallory's passphrase",
                   "OPENSEL_STATION_PASSPHRASE": "mallory's station passphrase"}
    run_opensel("keygen", "--name", "Jane Smith", "-o", str(tmp_path / "mallory.key"), env=mallory_env)
    run_opensel("station-pack", str(copy), "--station", "table-1", "--key", str(tmp_path / "mallory.key"), "-o",
                str(tmp_path / "mallory.oselpack"), "--batch", "A=1-50", env=mallory_env)
    refused_from_pack(tmp_path / "mallory.oselpack", tmp_path, "does not open this pack's key")


def test_a_pack_whose_contest_is_not_the_one_its_id_names_is_refused(officer, tmp_path):
    """Even the officer's own signature cannot make a pack pair a contest with another contest's id."""
    swapped_signed = write_pack(tmp_path / "swapped.oselpack", swapped(officer.pack_obj()), signer=officer.key)
    refused_from_pack(swapped_signed, tmp_path, "not the contest its id names")
    other_id = {**officer.pack_obj(), "contest_id": "ab" * 32}
    refused_from_pack(write_pack(tmp_path / "other-id.oselpack", other_id, signer=officer.key), tmp_path,
                      "not the contest its id names")
    envelope = json.loads(json.dumps(officer.pack_obj()))
    envelope["contest_event"]["at"] = "2020-01-01T00:00:00Z"
    refused_from_pack(write_pack(tmp_path / "envelope.oselpack", envelope, signer=officer.key), tmp_path,
                      "not the contest its id names")


def test_a_batch_from_another_contest_of_the_same_officer_is_refused(officer, tmp_path):
    other_meeting = tmp_path / "other.osel"
    opensel("new", str(officer.folder / "contest.yaml"), "-o", str(other_meeting), "--officer", "Jane Smith")
    opensel("station-pack", str(other_meeting), "--station", "table-1", "--key", str(officer.key_file), "-o",
            str(tmp_path / "other.oselpack"), "--batch", "A=1-50")
    station = tmp_path / "other-station.osel"
    opensel("new", "--from-pack", str(tmp_path / "other.oselpack"), "-o", str(station), "--officer", "Ann")
    key_batch_a(station)
    opensel("batch-export", str(station), "--batch", "A", "-o", str(tmp_path / "other-A.oselbatch"))
    meeting = officer.fresh("another-contest.osel")
    assert "another contest" in opensel("merge", str(meeting), str(tmp_path / "other-A.oselbatch"),
                                        ok=False).stderr
    assert merged_events(meeting) == 0


# --- hostile parameters and old formats ---------------------------------------------------------------------------


@pytest.mark.parametrize("fields", [{"n": 2 ** 31}, {"p": 2 ** 20}, {"n": 2 ** 22}])
def test_a_pack_with_hostile_scrypt_parameters_is_refused_at_once(officer, tmp_path, fields):
    obj = officer.pack_obj()
    obj["private_key"] = {**obj["private_key"], **fields}
    hostile = write_pack(tmp_path / "hostile.oselpack", obj, signer=officer.key)  # signed, to reach the bound
    refused_from_pack(hostile, tmp_path, "scrypt parameters", "outside what OpenSel reads")
    # nor does batch-export work on it when it is given as the station's pack
    station = officer.station_copy(tmp_path)
    err = opensel("batch-export", str(station), "--batch", "A", "-o", str(tmp_path / "A.oselbatch"), "--pack",
                  str(hostile), ok=False, timeout=HANG).stderr
    assert "scrypt parameters" in err and not (tmp_path / "A.oselbatch").exists()


def test_a_first_format_pack_with_a_hostile_iteration_count_is_refused_at_once(officer, tmp_path):
    """The first packs held the station key as PKCS#8 PEM under PBKDF2; one set to 2^31-1 iterations hung
    batch-export. Such a pack is now refused for its format, before its key is looked at."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(STATION_PASSPHRASE.encode()))
    old = {k: v for k, v in officer.pack_obj().items() if k not in ("signature", "contest_event",
                                                                     "officer_fingerprint")}
    old.update(format="opensel-station-pack/1", private_key=with_pbkdf2_iterations(pem, 2 ** 31 - 1).decode())
    refused_from_pack(write_pack(tmp_path / "old.oselpack", old), tmp_path, "earlier OpenSel", "not signed")


def test_batch_export_refuses_a_pack_other_than_the_one_the_station_was_set_up_from(officer, tmp_path):
    meeting = officer.fresh("two-stations.osel")
    opensel("station-pack", str(meeting), "--station", "table-2", "--key", str(officer.key_file), "-o",
            str(tmp_path / "table-2.oselpack"), "--batch", "A=51-100")
    station = officer.station_copy(tmp_path)
    err = opensel("batch-export", str(station), "--batch", "A", "-o", str(tmp_path / "A.oselbatch"), "--pack",
                  str(tmp_path / "table-2.oselpack"), ok=False).stderr
    assert "not the station pack this station was set up from" in err and not (tmp_path / "A.oselbatch").exists()
    moved = tmp_path / "elsewhere.oselpack"
    shutil.copyfile(officer.pack, moved)
    opensel("batch-export", str(station), "--batch", "A", "-o", str(tmp_path / "A.oselbatch"), "--pack", str(moved))


def test_a_batch_file_of_the_first_format_is_refused_by_the_merge(officer, tmp_path):
    station = officer.station_copy(tmp_path)
    opensel("batch-export", str(station), "--batch", "A", "-o", str(tmp_path / "A.oselbatch"))
    bf = batchfile.parse((tmp_path / "A.oselbatch").read_bytes())
    body = {k: v for k, v in bf.obj.items() if k not in ("signature", "pack_sha256", "contest_sha256")}
    body["format"] = "opensel-batch/1"
    key = read_pack(officer.pack).station_key(STATION_PASSPHRASE)
    signed = {**body, "signature": key.sign(canonical_json(body).encode()).hex()}
    (tmp_path / "old.oselbatch").write_bytes(canonical_json(signed).encode())
    meeting = officer.fresh("old-batch.osel")
    with Session.open(meeting, "Jane Smith") as s:
        (outcome,) = merge_batches(s, [tmp_path / "old.oselbatch"])
        assert outcome.status == REFUSED and "earlier OpenSel" in outcome.message
        assert merge_batches(s, [tmp_path / "A.oselbatch"])[0].status == MERGED
    assert audit(meeting).ok


# --- passphrases on the officer's laptop ------------------------------------------------------------------------


def test_the_station_passphrase_may_not_be_the_officers_own(officer, tmp_path):
    meeting = officer.fresh("same-passphrase.osel")
    env = {**ENV, "OPENSEL_STATION_PASSPHRASE": OFFICER_PASSPHRASE}
    err = run_opensel("station-pack", str(meeting), "--station", "table-9", "--key", str(officer.key_file), "-o",
                      str(tmp_path / "t9.oselpack"), env=env, ok=False).stderr
    assert "officer's own passphrase" in err and not (tmp_path / "t9.oselpack").exists()
    # on the officer's laptop OPENSEL_PASSPHRASE is never taken for the station's passphrase
    env = {k: v for k, v in ENV.items() if k != "OPENSEL_STATION_PASSPHRASE"}
    err = run_opensel("station-pack", str(meeting), "--station", "table-9", "--key", str(officer.key_file), "-o",
                      str(tmp_path / "t9.oselpack"), env=env, ok=False).stderr
    assert "OPENSEL_STATION_PASSPHRASE" in err and not (tmp_path / "t9.oselpack").exists()
    # and a pack is never made unsigned
    unsigned = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", "station-pack", str(meeting), "--station",
                               "table-9", "-o", str(tmp_path / "t9.oselpack")], env=ENV, capture_output=True,
                              text=True, timeout=60)
    assert unsigned.returncode == 2 and "--key" in unsigned.stderr and not (tmp_path / "t9.oselpack").exists()
