"""The returning officer's key file: sealed private key + self-signed certificate, loaded with a passphrase."""

from __future__ import annotations

import json
import stat

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from report_helpers import PASSPHRASE

from opensel_desktop.app.errors import AppError
from opensel_desktop.app.keys import (
    create_officer_key,
    load_officer_key,
    parse_officer_key,
    write_officer_key,
)


def test_key_file_holds_an_encrypted_key_and_a_self_signed_certificate(officer_key):
    data = officer_key.read_bytes()
    obj = json.loads(data)
    assert obj["format"] == "opensel-officer-key/2" and obj["private_key"]["kdf"] == "scrypt"
    assert b"PRIVATE KEY-----" not in data  # never in the clear
    assert stat.S_IMODE(officer_key.stat().st_mode) == 0o600
    key = load_officer_key(officer_key, PASSPHRASE)
    cert = key.certificate
    assert key.name == "Siân Dafydd"
    assert cert.subject == cert.issuer
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert len(key.fingerprint.split(":")) == 32


def test_wrong_passphrase_is_one_clear_sentence(officer_key):
    with pytest.raises(AppError, match="passphrase is wrong"):
        load_officer_key(officer_key, "not it at all")


def test_short_passphrase_and_empty_name_are_refused(tmp_path):
    with pytest.raises(AppError, match="too short"):
        create_officer_key("Jane Smith", "short")
    with pytest.raises(AppError, match="name"):
        create_officer_key("   ", PASSPHRASE)


def test_never_overwrites(tmp_path, officer_key):
    target = tmp_path / "k.key"
    target.write_text("something precious")
    with pytest.raises(AppError, match="already exists"):
        write_officer_key(target, "Jane Smith", PASSPHRASE)
    assert target.read_text() == "something precious"


def test_a_key_with_someone_elses_certificate_is_refused():
    a = json.loads(create_officer_key("Officer A", PASSPHRASE))
    b = json.loads(create_officer_key("Officer B", PASSPHRASE))
    swapped = {**a, "certificate": b["certificate"], "fingerprint": b["fingerprint"]}
    with pytest.raises(AppError, match="passphrase is wrong \\(or the file is damaged\\)"):
        parse_officer_key(json.dumps(swapped).encode(), PASSPHRASE)


@pytest.mark.parametrize("data", [b"", b"\x00\xff" * 100, b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nxx\n"
                                  b"-----END ENCRYPTED PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nyy\n"])
def test_garbage_is_not_a_key_file(data):
    with pytest.raises(AppError):
        parse_officer_key(data, PASSPHRASE)


def test_missing_key_file(tmp_path):
    with pytest.raises(AppError, match="no such key file"):
        load_officer_key(tmp_path / "nope.key", PASSPHRASE)
