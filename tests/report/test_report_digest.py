"""The two hashes and the QR payload: what they cover, that the payload round-trips (version 2, and the
version 1 of older sheets), and that hostile text is refused cleanly."""

from __future__ import annotations

import hashlib

import pytest
from report_helpers import EXAMPLES

from opensel_desktop.app.sheets import sheet_input
from opensel_desktop.contest.result_io import result_json
from opensel_desktop.report.digest import (
    PayloadError,
    QrPayload,
    fingerprint_colons,
    fingerprint_hex,
    parse_payload,
    result_hash,
    sheet_digest,
)

FP = "ab" * 32


def test_result_hash_is_the_json_alone_and_the_sheet_digest_adds_the_head():
    sheet = sheet_input(EXAMPLES[0])
    head = "cd" * 32
    data = result_json(sheet.result).encode("utf-8")
    assert result_hash(sheet.result) == hashlib.sha256(data).hexdigest()
    assert sheet_digest(sheet.result, head) == hashlib.sha256(data + head.encode("ascii")).hexdigest()
    assert sheet_digest(sheet.result, "") == result_hash(sheet.result)  # a contest file has no journal head
    assert sheet_digest(sheet.result, head) != result_hash(sheet.result)


@pytest.mark.parametrize("cid", ["plain", "with;semi=colon", "Łukasz's count", "a" * 64])
@pytest.mark.parametrize("state", ["declared", "provisional"])
def test_version_2_payload_round_trips_with_state_and_fingerprint(cid, state):
    p = QrPayload(cid, "0" * 64, b"\x00\xffsig", state, FP)
    text = p.text()
    assert text.startswith("opensel:v2;") and f";state={state};" in text and f";fp={FP}" in text
    back = parse_payload(text)
    assert back == p
    assert back.signed_text == p.signed_text
    assert back.fingerprint_colons == fingerprint_colons(FP)


def test_version_1_payloads_of_older_sheets_are_still_read():
    old = "opensel:v1;id=abc;sha256=" + "1" * 64 + ";sig=AAEC"
    p = parse_payload(old)
    assert (p.version, p.contest_id, p.digest, p.state, p.fingerprint) == (1, "abc", "1" * 64, "", "")
    assert p.text() == old


def test_fingerprint_spellings():
    colons = fingerprint_colons(FP)
    assert colons.count(":") == 31 and colons.upper() == colons
    assert fingerprint_hex(colons) == FP == fingerprint_hex(FP)


@pytest.mark.parametrize("text", [
    "", "hello", "opensel:v1", "opensel:v1;id=x;sha256=zz", "opensel:v1;id=x;sha256=" + "A" * 64,
    "opensel:v1;id=x;id=y;sha256=" + "0" * 64, "opensel:v1;id=x;sha256=" + "0" * 64 + ";sig=!!!",
    "opensel:v1;id=x;sha256=" + "0" * 64 + ";state=declared",  # version 1 never carried a state
    "opensel:v2;id=x;sha256=" + "0" * 64,  # no state
    "opensel:v2;id=x;state=final;sha256=" + "0" * 64 + ";fp=",
    "opensel:v2;id=x;state=declared;sha256=" + "0" * 64 + ";fp=" + "AB" * 32,  # upper case
    "opensel:v2;id=x;state=declared;sha256=" + "0" * 64 + ";fp=" + "ab" * 31,  # too short
    "opensel:v2;id=x;state=declared;sha256=" + "0" * 64 + ";fp=;extra=1",
    "opensel:v3;id=x;state=declared;sha256=" + "0" * 64 + ";fp=",
])
def test_hostile_payloads_are_refused(text):
    with pytest.raises(PayloadError):
        parse_payload(text)
