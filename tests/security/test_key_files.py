"""Attacks on the returning officer's key file: guessing its passphrase, hostile parameters that would make a
reader hang or eat the machine, truncated and garbage files, a certificate swapped in, the old weak format.

Each refusal is one sentence naming the file, at once (a run that outlives its bound fails as a hang), and
nothing is written.
"""

from __future__ import annotations

import base64
import json
import os
import stat
from functools import partial
from pathlib import Path

import pytest
from cli_run import run_opensel
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hostile_keys import with_pbkdf2_iterations

from opensel_desktop.app.errors import AppError
from opensel_desktop.app.keys import (
    create_officer_key,
    load_certificate,
    load_officer_key,
    make_officer_key,
    parse_officer_key,
    write_officer_key,
)

PASSPHRASE = "Jane's long passphrase"
ENV = {**os.environ, "OPENSEL_PASSPHRASE": PASSPHRASE, "PYTHONIOENCODING": "utf-8"}
HANG = 30  # seconds: a refusal takes about one; far longer is the hang these files aim at
CONTEST = """format: opensel-contest/1
title: Selection of branch delegates
returning_officer: Jane Smith
method: {rule: av, seats: 1}
candidates: [Siân Evans, Tom Jones, Łukasz Nowak]
ballots:
  - {ranking: [1, 2], count: 3}
  - {ranking: [2, 1], count: 2}
"""

opensel = partial(run_opensel, env=ENV)


def old_format_key(passphrase: str = PASSPHRASE, iterations: int | None = None) -> bytes:
    """A key file as the first version wrote it: PKCS#8 PEM under PBKDF2 (2048 iterations) then the
    certificate. With `iterations`, its PBKDF2 count is rewritten in the ASN.1, as an attacker would."""
    key = make_officer_key("Jane Smith")
    pem = key.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.BestAvailableEncryption(passphrase.encode()))
    if iterations is not None:
        pem = with_pbkdf2_iterations(pem, iterations)
    return pem + key.certificate_pem()


@pytest.fixture(scope="module")
def key_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "jane.key"
    write_officer_key(path, "Jane Smith", PASSPHRASE)
    return path


@pytest.fixture(scope="module")
def counted(tmp_path_factory) -> Path:
    """A saved contest with a count journaled, so a sheet of it can be signed."""
    folder = tmp_path_factory.mktemp("meeting")
    (folder / "contest.yaml").write_text(CONTEST, encoding="utf-8")
    opensel("new", str(folder / "contest.yaml"), "-o", str(folder / "m.osel"), "--officer", "Jane Smith")
    opensel("count", str(folder / "m.osel"))
    return folder / "m.osel"


def edited(key_file: Path, tmp_path: Path, name: str, **sealed_fields: object) -> Path:
    obj = json.loads(key_file.read_text(encoding="utf-8"))
    obj["private_key"].update(sealed_fields)
    out = tmp_path / name
    out.write_text(json.dumps(obj, indent=1), encoding="utf-8")
    return out


def sign_refused(counted: Path, key: Path, tmp_path: Path, *words: str) -> str:
    """`report --sign` with a hostile key file: refused at once, in one sentence naming it, no PDF."""
    pdf = tmp_path / f"{key.stem}.pdf"
    err = opensel("report", str(counted), "-o", str(pdf), "--sign", str(key), ok=False, timeout=HANG).stderr
    assert str(key) in err and not pdf.exists(), err
    for w in words:
        assert w in err, err
    return err


# --- the format itself -------------------------------------------------------------------------------------


def test_a_new_key_file_is_scrypt_and_aes_gcm_with_nothing_in_the_clear(key_file):
    obj = json.loads(key_file.read_text(encoding="utf-8"))
    assert obj["format"] == "opensel-officer-key/2"
    sealed = obj["private_key"]
    assert sealed["kdf"] == "scrypt" and sealed["n"] >= 2 ** 17 and sealed["r"] == 8 and sealed["p"] == 1
    assert sealed["aead"] == "aes-256-gcm" and len(base64.b64decode(sealed["salt"])) == 16
    assert len(base64.b64decode(sealed["nonce"])) == 12
    assert b"PRIVATE KEY" not in key_file.read_bytes() and "PBKDF2" not in key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # two files for the same officer and passphrase share no salt, nonce or ciphertext
    other = json.loads(create_officer_key("Jane Smith", PASSPHRASE))["private_key"]
    assert all(other[k] != sealed[k] for k in ("salt", "nonce", "ciphertext"))


def test_keygen_prints_the_fingerprint_the_certificate_has(tmp_path):
    out = opensel("keygen", "--name", "Jane Smith", "-o", str(tmp_path / "k.key")).stdout
    printed = out.split("Certificate fingerprint (SHA-256): ", 1)[1].split("\n", 1)[0]
    cert = load_certificate(tmp_path / "k.key")
    assert printed == cert.fingerprint == load_officer_key(tmp_path / "k.key", PASSPHRASE).fingerprint
    assert cert.name == "Jane Smith" and len(printed.split(":")) == 32


# --- hostile parameters ------------------------------------------------------------------------------------


def test_a_first_format_key_whose_iteration_count_is_2_31_does_not_hang_report_sign(counted, tmp_path):
    hostile = tmp_path / "hostile.key"
    hostile.write_bytes(old_format_key(iterations=2 ** 31 - 1))
    sign_refused(counted, hostile, tmp_path, "first OpenSel format", "keygen --upgrade")
    # converting it is refused too, from the iteration count alone, before any work
    err = opensel("keygen", "--upgrade", str(hostile), "-o", str(tmp_path / "new.key"), ok=False,
                  timeout=HANG).stderr
    assert "2147483647 iterations" in err and not (tmp_path / "new.key").exists()


@pytest.mark.parametrize("fields, words", [
    ({"n": 2 ** 31}, "n=2147483648"),
    ({"n": 2 ** 40}, "outside what OpenSel reads"),
    ({"n": 2 ** 20}, "outside what OpenSel reads"),  # 1 GiB a guess: more than a reader gives
    ({"n": 2 ** 16}, "outside what OpenSel reads"),  # weaker than OpenSel writes
    ({"n": 131071}, "outside what OpenSel reads"),  # not a power of two
    ({"p": 2 ** 20}, "p=1048576"),  # a million times the work
    ({"p": 0}, "outside what OpenSel reads"),
    ({"r": 1024}, "outside what OpenSel reads"),
    ({"r": 1}, "outside what OpenSel reads"),
    ({"n": "131072"}, "not whole numbers"),
    ({"n": True}, "not whole numbers"),
    ({"n": 131072.0}, "not whole numbers"),
    ({"kdf": "pbkdf2"}, "OpenSel reads only scrypt"),
    ({"aead": "aes-128-cbc"}, "OpenSel reads only scrypt with aes-256-gcm"),
    ({"salt": ""}, "wrong length"),
    ({"nonce": base64.b64encode(b"12345678").decode()}, "wrong length"),
    ({"ciphertext": base64.b64encode(b"x").decode()}, "wrong length"),
    ({"salt": "not base64!"}, "not base64"),
    ({"extra": 1}, "fields"),
])
def test_absurd_scrypt_parameters_are_refused_before_any_work(key_file, tmp_path, fields, words):
    hostile = edited(key_file, tmp_path, "hostile.key", **fields)
    with pytest.raises(AppError) as exc:
        load_officer_key(hostile, PASSPHRASE)
    message = str(exc.value)
    assert message.startswith(f"{hostile}: ") and words in message and "\n" not in message
    assert message.count(". ") == 0 and message.endswith(".")


@pytest.mark.parametrize("fields", [{"n": 2 ** 31}, {"p": 2 ** 20}, {"n": 2 ** 24, "p": 2}])
def test_hostile_parameters_do_not_hang_the_command_line(counted, key_file, tmp_path, fields):
    sign_refused(counted, edited(key_file, tmp_path, "hostile.key", **fields), tmp_path, "scrypt parameters")


# --- damaged and garbage files -----------------------------------------------------------------------------


def test_truncated_key_files_are_refused_in_one_sentence(key_file, tmp_path):
    data = key_file.read_bytes()
    for cut in list(range(0, len(data), 37)) + [len(data) - 2]:
        path = tmp_path / f"cut-{cut}.key"
        path.write_bytes(data[:cut])
        with pytest.raises(AppError) as exc:
            load_officer_key(path, PASSPHRASE)
        message = str(exc.value)
        assert message.startswith(f"{path}: ") and "\n" not in message, message
        if cut > 40:
            assert "incomplete or damaged" in message, message


def test_flipped_bytes_are_refused_and_never_open(key_file, tmp_path):
    obj = json.loads(key_file.read_text(encoding="utf-8"))
    for field in ("ciphertext", "nonce", "salt"):
        raw = bytearray(base64.b64decode(obj["private_key"][field]))
        for i in (0, len(raw) // 2, len(raw) - 1):
            raw2 = bytearray(raw)
            raw2[i] ^= 0x01
            path = edited(key_file, tmp_path, f"{field}-{i}.key", **{field: base64.b64encode(raw2).decode()})
            with pytest.raises(AppError, match="passphrase is wrong \\(or the file is damaged\\)"):
                load_officer_key(path, PASSPHRASE)
    cert = obj["certificate"]
    middle = len(cert) // 2
    flipped = cert[:middle] + ("A" if cert[middle] != "A" else "B") + cert[middle + 1:]
    path = tmp_path / "cert.key"
    path.write_text(json.dumps({**obj, "certificate": flipped}), encoding="utf-8")
    with pytest.raises(AppError, match="certificate is damaged|fingerprint does not match"):
        load_officer_key(path, PASSPHRASE)


def test_another_officers_certificate_cannot_be_paired_with_the_key(key_file, tmp_path):
    """Mallory puts her certificate (and its true fingerprint) beside Jane's sealed key: the key is sealed
    to Jane's certificate, so it does not open, whatever passphrase."""
    mallory = json.loads(create_officer_key("Jane Smith", "mallory's passphrase"))
    obj = json.loads(key_file.read_text(encoding="utf-8"))
    swapped = {**obj, "certificate": mallory["certificate"], "fingerprint": mallory["fingerprint"]}
    with pytest.raises(AppError, match="passphrase is wrong"):
        parse_officer_key(json.dumps(swapped).encode(), PASSPHRASE, "swapped.key")


@pytest.mark.parametrize("data", [b"", b"\x00" * 4096, b"{", b"[]", b'{"format": "opensel-officer-key/9"}',
                                  b'{"format": "something else"}', b"%PDF-1.7\n" + b"\xff" * 500,
                                  b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nxx\n"])
def test_garbage_is_refused_in_one_sentence(tmp_path, data):
    path = tmp_path / "garbage.key"
    path.write_bytes(data)
    for read in (lambda: load_officer_key(path, PASSPHRASE), lambda: load_certificate(path)):
        with pytest.raises(AppError) as exc:
            read()
        assert str(exc.value).startswith(f"{path}: ") and "\n" not in str(exc.value)


def test_a_wrong_passphrase_is_one_sentence_and_changes_nothing(counted, key_file, tmp_path):
    before = key_file.read_bytes()
    pdf = tmp_path / "s.pdf"
    err = run_opensel("report", str(counted), "-o", str(pdf), "--sign", str(key_file),
                      env={**ENV, "OPENSEL_PASSPHRASE": "not Jane's passphrase"}, ok=False).stderr
    assert "the passphrase is wrong" in err and not pdf.exists() and key_file.read_bytes() == before


# --- the first format -----------------------------------------------------------------------------------------


def test_a_first_format_key_is_refused_for_signing_and_upgraded_with_the_same_fingerprint(counted, tmp_path):
    old = tmp_path / "old.key"
    old.write_bytes(old_format_key())
    published = load_certificate(old).fingerprint  # the certificate alone is read from the old file too
    sign_refused(counted, old, tmp_path, "first OpenSel format", f"opensel keygen --upgrade {old} -o NEW.key")
    new = tmp_path / "new.key"
    out = opensel("keygen", "--upgrade", str(old), "-o", str(new)).stdout
    assert f"Certificate fingerprint (SHA-256): {published}" in out
    assert json.loads(new.read_text())["format"] == "opensel-officer-key/2"
    assert load_officer_key(new, PASSPHRASE).fingerprint == published
    opensel("report", str(counted), "-o", str(tmp_path / "signed.pdf"), "--sign", str(new))
    # a wrong passphrase, a new file over an existing one, or a file already converted: refused, nothing written
    assert "passphrase is wrong" in run_opensel("keygen", "--upgrade", str(old), "-o", str(tmp_path / "x.key"),
                                                env={**ENV, "OPENSEL_PASSPHRASE": "wrong one!"}, ok=False).stderr
    assert "already exists" in opensel("keygen", "--upgrade", str(old), "-o", str(new), ok=False).stderr
    assert "already in the current format" in opensel("keygen", "--upgrade", str(new), "-o",
                                                      str(tmp_path / "y.key"), ok=False).stderr
    assert not (tmp_path / "x.key").exists() and not (tmp_path / "y.key").exists()


# --- the public certificate alone ------------------------------------------------------------------------------


def test_load_certificate_reads_the_public_part_without_a_passphrase(key_file, tmp_path):
    cert = load_certificate(key_file)
    key = load_officer_key(key_file, PASSPHRASE)
    assert cert.certificate == key.certificate and cert.fingerprint == key.fingerprint
    cert_certificate, cert_fingerprint = cert  # a named tuple: (certificate, fingerprint)
    assert cert_fingerprint == key.fingerprint
    pem = tmp_path / "jane.pem"
    pem.write_bytes(cert.pem())
    der = tmp_path / "jane.der"
    der.write_bytes(cert_certificate.public_bytes(serialization.Encoding.DER))
    assert load_certificate(pem).fingerprint == load_certificate(der).fingerprint == key.fingerprint


def test_load_certificate_refuses_what_is_not_an_officers_certificate(tmp_path):
    import datetime as dt

    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Jane Smith")])
    now = dt.datetime.now(dt.UTC)
    rsa_cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(rsa_key.public_key())
                .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
                .sign(rsa_key, hashes.SHA256()))
    (tmp_path / "rsa.pem").write_bytes(rsa_cert.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(AppError, match="ECDSA P-256"):
        load_certificate(tmp_path / "rsa.pem")
    (tmp_path / "key-only.pem").write_bytes(make_officer_key("Jane Smith").private_pem())
    with pytest.raises(AppError, match="neither an OpenSel key file nor a certificate"):
        load_certificate(tmp_path / "key-only.pem")
    with pytest.raises(AppError, match="no such key file"):
        load_certificate(tmp_path / "missing.key")
