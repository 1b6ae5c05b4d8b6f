"""The QR payload: what it carries, that it round-trips, and that hostile text is refused cleanly."""

from __future__ import annotations

import hashlib

import pytest
from report_helpers import EXAMPLES

from opensel_desktop.app.sheets import sheet_input
from opensel_desktop.contest.result_io import result_json
from opensel_desktop.report.digest import PayloadError, QrPayload, parse_payload, result_digest


def test_digest_is_sha256_of_canonical_json_and_head():
    sheet = sheet_input(EXAMPLES[0])
    head = "ab" * 32
    expected = hashlib.sha256(result_json(sheet.result).encode("utf-8") + head.encode("ascii")).hexdigest()
    assert result_digest(sheet.result, head) == expected
    assert result_digest(sheet.result, "") != expected


@pytest.mark.parametrize("cid", ["plain", "with;semi=colon", "Łukasz's count", "a" * 64])
def test_payload_round_trips(cid):
    p = QrPayload(cid, "0" * 64, b"\x00\xffsig")
    back = parse_payload(p.text())
    assert back == p
    assert back.signed_text == p.signed_text


@pytest.mark.parametrize("text", [
    "", "hello", "opensel:v1", "opensel:v1;id=x;sha256=zz", "opensel:v1;id=x;sha256=" + "A" * 64,
    "opensel:v1;id=x;id=y;sha256=" + "0" * 64, "opensel:v1;id=x;sha256=" + "0" * 64 + ";sig=!!!",
    "opensel:v2;id=x;sha256=" + "0" * 64,
])
def test_hostile_payloads_are_refused(text):
    with pytest.raises(PayloadError):
        parse_payload(text)
