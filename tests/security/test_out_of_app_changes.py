"""Every out-of-app change a forger can make to a declared, signed .osel (tests/security/forgery_kit.py:
edits, deletions with meta fixed, inserts with the chain recomputed, another key, schema objects,
versions, whole-file swaps, a planted -wal, forged sheets) is caught by the checks anyone can run: the
`opensel audit` of the file against the fingerprint the returning officer published, and `opensel
verify` of the sheet handed out at the meeting against the file. Each is a real subprocess: exit 1, one
sentence, no traceback, and the file checked is left exactly as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cli_run import run_opensel
from forgery_kit import FORGERIES, Forged, Kit

PASSPHRASE = "a long passphrase only Jane knows"
ENV = {**os.environ, "OPENSEL_PASSPHRASE": PASSPHRASE, "PYTHONIOENCODING": "utf-8"}
CONTEST = """format: opensel-contest/1
title: {title}
returning_officer: Jane Smith
method: {{rule: av, seats: 1}}
candidates: [Siân Evans, Tom Jones, Łukasz Nowak, Aisha Rahman]
"""
JANES_PAPERS = "1 2\n1 3\n1\n2 1\n2\n3 1\n3\n4 3\n1 4\n"  # Siân Evans elected at stage 3
MALLORYS_PAPERS = "2 1\n2\n2 3\n2 4\n1\n3\n1 2\n2 1\n4 2\n"  # Tom Jones elected
REASON = "no account was kept at this meeting"


def opensel(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_opensel(*args, env=ENV, stdin=stdin)


def _meeting(folder: Path, name: str, title: str, key: Path, papers: str, before: Path | None = None) -> Path:
    yaml = folder / f"{name}.yaml"
    yaml.write_text(CONTEST.format(title=title), encoding="utf-8")
    osel = folder / f"{name}.osel"
    opensel("new", str(yaml), "-o", str(osel), "--officer", "Jane Smith", "--key", str(key))
    opensel("enter", str(osel), "--teller", "Ann Teller", "--batch", "1", "--single", stdin=papers)
    opensel("count", str(osel), "--key", str(key), "--override-reason", REASON)
    if before is not None:
        shutil.copyfile(osel, before)
    opensel("declare", str(osel), "--officer", "Jane Smith", "--key", str(key), "--override-reason", REASON)
    return osel


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> tuple[Kit, str]:
    folder = tmp_path_factory.mktemp("genuine")
    jane, mallory = folder / "jane.key", folder / "mallory.key"
    printed = opensel("keygen", "--name", "Jane Smith", "-o", str(jane)).stdout
    fingerprint = re.search(r"fingerprint \(SHA-256\): ([0-9A-F:]{95})", printed).group(1)
    opensel("keygen", "--name", "Jane Smith", "-o", str(mallory))  # the same name on another key
    before = folder / "before-declaration.osel"
    meeting = _meeting(folder, "meeting", "Selection of parliamentary candidate", jane, JANES_PAPERS, before)
    sheet = folder / "declaration.pdf"
    opensel("report", str(meeting), "-o", str(sheet), "--sign", str(jane))
    other = _meeting(folder, "other", "Selection of council candidates", jane, JANES_PAPERS)
    theirs = _meeting(folder, "mallory", "Selection of parliamentary candidate", mallory, MALLORYS_PAPERS)
    for f in folder.iterdir():
        f.chmod(0o444)  # the genuine files are never changed by a forgery or a check
    return Kit(meeting, sheet, before, other, theirs, mallory, PASSPHRASE), fingerprint


def check(*args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", *args], capture_output=True, text=True,
                          env=ENV, timeout=120, stdin=subprocess.DEVNULL)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, (args, proc.stderr)
    assert proc.returncode in (0, 1, 3), (args, proc.returncode, proc.stderr)
    if proc.returncode == 1:  # one sentence on one line, naming no Python
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("opensel: "), (args, proc.stderr)
    return proc


def caught_by(forged: Forged, kit: Kit, fingerprint: str) -> list[str]:
    """The checks (in the order an agent would run them) that refuse the forgery; [] if none does."""
    runs: list[tuple[str, ...]] = []
    if forged.osel is not None:
        runs += [("audit", str(forged.osel), "--key", fingerprint),
                 ("verify", str(kit.sheet), "--contest", str(forged.osel))]
    if forged.sheet is not None:
        runs += [("verify", str(forged.sheet), "--key", fingerprint),
                 ("verify", str(forged.sheet), "--contest", str(kit.meeting))]
    caught = []
    for args in runs:
        if check(*args).returncode == 1:
            caught.append(" ".join(args[:1] + args[2:3]))
            if forged.osel is not None:
                break  # the first check that refuses is enough; the sheet's are both run
    return caught


def test_the_genuine_files_pass_every_check(kit) -> None:
    k, fingerprint = kit
    assert check("audit", str(k.meeting), "--key", fingerprint).returncode == 0
    assert check("verify", str(k.meeting), "--key", fingerprint).returncode == 0
    assert check("verify", str(k.sheet), "--contest", str(k.meeting)).returncode == 0
    assert check("verify", str(k.sheet), "--key", fingerprint).returncode == 0
    assert check("verify", str(k.sheet)).returncode == 3  # valid, but the signer is not checked


def _try(k: Kit, fingerprint: str, out: Path, name: str, make) -> tuple[str, list[str]]:
    folder = out / re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    folder.mkdir()
    forged = make(k, folder)
    watched = [p for p in (forged.osel, forged.sheet, *forged.extra) if p is not None]
    before = {p: p.read_bytes() for p in watched}
    unchanged = (forged.osel is not None and before[forged.osel] == k.meeting.read_bytes() and not forged.extra) or \
        (forged.sheet is not None and before[forged.sheet] == k.sheet.read_bytes())
    assert not unchanged, f"{name}: nothing was changed"
    caught = caught_by(forged, k, fingerprint)
    for p in watched:  # checking never repairs, rolls back or deletes what it was given
        assert p.exists() and p.read_bytes() == before[p], f"{name}: the check changed {p.name}"
    return name, caught


@pytest.mark.slow
def test_every_out_of_app_change_is_caught(kit, tmp_path: Path) -> None:
    k, fingerprint = kit
    names = [n for n, _ in FORGERIES]
    assert len(set(names)) == len(names) >= 60
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda item: _try(k, fingerprint, tmp_path, *item), FORGERIES))
    missed = [n for n, caught in results if not caught]
    by_check: dict[str, int] = {}
    for _n, caught in results:
        if caught:
            by_check[caught[0]] = by_check.get(caught[0], 0) + 1
    print(f"\nout-of-app changes caught: {len(results) - len(missed)}/{len(results)} "
          f"(first caught by: {', '.join(f'{c} {n}' for c, n in sorted(by_check.items()))})")
    assert not missed, f"not caught: {missed}"
