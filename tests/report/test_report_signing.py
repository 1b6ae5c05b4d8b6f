"""Signed sheets through the real command line: keygen, report --sign, verify; checked by poppler's
pdfsig and a real QR decoder (zbarimg), and tampered with in the two ways a forger would try."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from report_helpers import EXAMPLES, REPO, declared_osel, need, pdf_text, run_cli

from opensel_desktop.app import declaring
from opensel_desktop.app.core import Session
from opensel_desktop.contest.result_io import result_json
from opensel_desktop.report.digest import parse_payload
from opensel_desktop.report.facts import fig
from opensel_desktop.store import events as ev

STV = REPO / "resources" / "examples" / "stv-delegates.yaml"


@pytest.fixture(scope="module")
def signed(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A declared saved contest, a key made by `opensel keygen`, and the signed sheet of it."""
    tmp = tmp_path_factory.mktemp("signed")
    key = tmp / "officer.key"
    made = run_cli("keygen", "--name", "Siân Dafydd", "-o", str(key), in_process=False)
    assert made.returncode == 0, made.stderr
    assert "fingerprint" in made.stdout.lower()
    osel = declared_osel(tmp, key=key)
    pdf = tmp / "sheet.pdf"
    done = run_cli("report", str(osel), "-o", str(pdf), "--sign", str(key), in_process=False)
    assert done.returncode == 0, done.stderr
    return osel, key, pdf


def _pdfsig(pdf: Path) -> str:
    r = subprocess.run([need("pdfsig"), str(pdf)], capture_output=True, text=True)
    return r.stdout + r.stderr


def _expected_digest(osel: Path) -> str:
    """Recomputed from the saved contest itself: its declared result and the hash of that event."""
    import hashlib

    with Session.open(osel, "auditor", readonly=True) as s:
        declared = next(e for e in reversed(s.events()) if e.kind == ev.DECLARED)
        result = declaring.count_meeting(s, journal=False)
    return hashlib.sha256((result_json(result) + declared.hash).encode("utf-8")).hexdigest()


def test_signed_sheet_verifies_against_its_contest(signed):
    osel, _, pdf = signed
    r = run_cli("verify", str(pdf), "--contest", str(osel), in_process=False)
    assert r.returncode == 0, r.stderr
    assert "intact; covers the whole file" in r.stdout
    assert "Siân Dafydd" in r.stdout
    assert "verdict:         OK" in r.stdout
    assert _expected_digest(osel) in r.stdout


def test_pdfsig_reports_the_signature_valid(signed):
    _, _, pdf = signed
    out = _pdfsig(pdf)
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    assert "Siân Dafydd" in out


def test_qr_code_decodes_to_the_contest_digest(signed, tmp_path):
    osel, _, pdf = signed
    subprocess.run([need("pdftoppm"), "-r", "200", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
                   check=True)
    png = next(tmp_path.glob("p-*.png"))
    # QR codes only: zbar's other symbologies now and then "find" a barcode in a chart or the watermark
    r = subprocess.run([need("zbarimg"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    payload = parse_payload(r.stdout.strip())
    with Session.open(osel, "auditor", readonly=True) as s:
        assert payload.contest_id == s.contest_id
    assert payload.digest == _expected_digest(osel)
    assert payload.signature  # signed with the officer's key; verify checks it against the certificate


def test_signing_is_journaled_and_the_audit_recomputes_it(signed):
    osel, _, _ = signed
    with Session.open(osel, "auditor", readonly=True) as s:
        sig = [e for e in s.events() if e.kind == ev.SIGNATURE_RECORDED]
    assert len(sig) == 1 and sig[0].data["digest"] == _expected_digest(osel)
    r = run_cli("verify", str(osel))  # valid, but the signer was not compared with a published fingerprint
    assert r.returncode == 3 and "signer not checked" in r.stdout, (r.stdout, r.stderr)
    with Session.open(osel, "auditor", readonly=True) as s:
        pinned = s.model.pinned.fingerprint  # the key that declared was pinned when it first signed
    r = run_cli("verify", str(osel), "--key", pinned.replace(":", ""))
    assert r.returncode == 0, r.stderr


def test_one_changed_byte_fails_verify_and_pdfsig(signed, tmp_path):
    _, _, pdf = signed
    data = bytearray(pdf.read_bytes())
    text = pdf_text(pdf, 1)
    assert "Declaration of result" in text
    at = len(data) // 3
    data[at] = (data[at] + 1) % 256
    bad = tmp_path / "one-byte.pdf"
    bad.write_bytes(bytes(data))
    r = run_cli("verify", str(bad))
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "Signature is Valid" not in _pdfsig(bad)


def test_an_edited_figure_fails_verify(signed, tmp_path):
    """Change a candidate's first-preference figure in an incremental update after signing."""
    osel, _, pdf = signed
    with Session.open(osel, "auditor", readonly=True) as s:
        result = declaring.count_meeting(s, journal=False)
    figure = f"({fig(result, result.stages[0].votes[result.names[0]])})".encode()
    w = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()))
    page = w.root["/Pages"]["/Kids"][0]
    raw = page["/Contents"].data
    assert figure in raw
    page["/Contents"] = w.add_object(generic.StreamObject(stream_data=raw.replace(figure, b"(99.00000)", 1)))
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(out.getvalue())
    assert "99.00000" in pdf_text(edited, 1)  # the edit is what a reader would now see
    r = run_cli("verify", str(edited), "--contest", str(osel), in_process=False)
    assert r.returncode == 1
    assert "after it was signed" in r.stderr
    assert "Not total document signed" in _pdfsig(edited)


def test_sheet_of_another_contest_does_not_match(signed):
    _, _, pdf = signed
    r = run_cli("verify", str(pdf), "--contest", str(EXAMPLES[0]))
    assert r.returncode == 1
    assert "not" in r.stderr and "Traceback" not in r.stderr


def test_unsigned_sheet_is_not_ok(tmp_path):
    pdf = tmp_path / "plain.pdf"
    r = run_cli("report", str(STV), "-o", str(pdf), passphrase=None)
    assert r.returncode == 0, r.stderr
    v = run_cli("verify", str(pdf))
    assert v.returncode == 1
    assert "no digital signature" in v.stderr


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", b"%PDF-1.4\n" + b"\x00" * 500,
                                     b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"])
def test_broken_pdfs_are_refused_in_one_sentence(tmp_path, content):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    r = run_cli("verify", str(bad))
    assert r.returncode == 1
    assert r.stderr.startswith("opensel: ") and r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr


def test_keygen_refuses_to_overwrite(signed):
    _, key, _ = signed
    before = key.read_bytes()
    r = run_cli("keygen", "--name", "Someone Else", "-o", str(key))
    assert r.returncode == 1
    assert "already exists" in r.stderr
    assert key.read_bytes() == before


def test_keygen_without_passphrase_does_not_hang(tmp_path):
    r = run_cli("keygen", "--name", "X", "-o", str(tmp_path / "k.key"), passphrase=None, in_process=False)
    assert r.returncode == 1
    assert "OPENSEL_PASSPHRASE" in r.stderr
    assert not (tmp_path / "k.key").exists()


def test_wrong_passphrase_is_refused_and_nothing_is_written(signed, tmp_path):
    osel, key, _ = signed
    out = tmp_path / "never.pdf"
    with Session.open(osel, "auditor", readonly=True) as s:
        events_before = len(s.events())
    r = run_cli("report", str(osel), "-o", str(out), "--sign", str(key), passphrase="not the passphrase")
    assert r.returncode == 1
    assert "passphrase is wrong" in r.stderr
    assert not out.exists()
    with Session.open(osel, "auditor", readonly=True) as s:
        assert len(s.events()) == events_before


def test_a_file_that_is_not_a_key_is_refused(tmp_path):
    fake = tmp_path / "fake.key"
    fake.write_text("-----BEGIN CERTIFICATE-----\nnonsense\n")
    r = run_cli("report", str(STV), "-o", str(tmp_path / "x.pdf"), "--sign", str(fake))
    assert r.returncode == 1
    assert "not an OpenSel key file" in r.stderr


def test_signing_needs_a_saved_count(tmp_path):
    osel = declared_osel(tmp_path, declare=False)
    # a fresh contest with papers but no count journaled: make one with the count step removed
    fresh = tmp_path / "fresh.osel"
    from opensel_desktop.contest.yaml_io import load_contest

    contest = load_contest(STV)
    Session.create(contest, fresh, contest.returning_officer).close()
    key = tmp_path / "k.key"
    assert run_cli("keygen", "--name", "RO", "-o", str(key)).returncode == 0
    r = run_cli("report", str(fresh), "-o", str(tmp_path / "s.pdf"), "--sign", str(key))
    assert r.returncode == 1 and "opensel count" in r.stderr
    provisional = tmp_path / "p.pdf"
    assert run_cli("report", str(osel), "-o", str(provisional), "--sign", str(key)).returncode == 0
    assert "PROVISIONAL" in pdf_text(provisional, 1)
    # the provisional sheet cites its count event, so it still matches after the signature was journaled
    v = run_cli("verify", str(provisional), "--contest", str(osel))
    assert v.returncode == 0, v.stderr
