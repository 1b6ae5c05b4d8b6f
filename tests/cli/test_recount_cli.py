"""`opensel recount` through subprocess calls only: journaled with who asked and why, same result as the
count, refused after the declaration and without a name; complete --help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CONTEST = """\
format: opensel-contest/1
title: Selection
returning_officer: Jane Smith
method: {rule: av, seats: 1}
candidates: [Siân Evans, Tom Jones, Łukasz Nowak]
ballots:
  - {ranking: [1, 2], count: 4}
  - {ranking: [2, 1], count: 3}
  - {ranking: [3, 2], count: 2}
"""


def opensel(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", *args], capture_output=True, text=True,
                       timeout=60)
    assert (r.returncode == 0) == ok, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    return r


def test_recount_is_journaled_and_refused_after_declaration(tmp_path: Path) -> None:
    yaml = tmp_path / "c.yaml"
    yaml.write_text(CONTEST, encoding="utf-8")
    meeting = tmp_path / "m.osel"
    opensel("new", str(yaml), "-o", str(meeting), "--officer", "Jane Smith")
    help_text = opensel("recount", "--help").stdout
    for word in ("--requested-by", "--reason", "--seed", "--format", "exit codes", "example"):
        assert word in help_text
    assert "required" in opensel("recount", str(meeting), ok=False).stderr  # usage: --requested-by missing
    assert "no ballot paper account is recorded" in opensel("declare", str(meeting), "--officer", "Jane",
                                                              ok=False).stderr
    counted = json.loads(opensel("count", str(meeting), "--format", "json", "--override-reason",
                                 "no account at this test").stdout)
    out = opensel("recount", str(meeting), "--requested-by", "Tom Jones", "--reason", "close result",
                  "--format", "json", "--override-reason", "no account at this test").stdout
    recounted = json.loads(out)
    assert recounted["elected"] == counted["elected"] and recounted["stages"] == counted["stages"]
    log = opensel("log", str(meeting), "--json", "--kind", "recount").stdout.splitlines()
    assert len(log) == 1
    event = json.loads(log[0])
    assert event["actor"] == "Jane Smith"
    assert (event["data"]["requested_by"], event["data"]["reason"]) == ("Tom Jones", "close result")
    assert "saved as the provisional result" in opensel("recount", str(meeting), "--requested-by", "Tom",
                                                        "--override-reason", "no account at this test").stdout
    blank = opensel("recount", str(meeting), "--requested-by", "  ", ok=False)
    assert blank.returncode == 1 and "name is required" in blank.stderr
    opensel("declare", str(meeting), "--officer", "Jane Smith", "--override-reason", "no account in this test")
    before = meeting.read_bytes()
    late = opensel("recount", str(meeting), "--requested-by", "Tom Jones", ok=False)
    assert "locked" in late.stderr and meeting.read_bytes() == before
