"""One account story on the command line: every command that can go ahead over an account that does not
reconcile (count of a contest file or of a saved contest, convert's count, declare) refuses without a
reason, says which flag gives it, and takes the same flag name, --override-reason; the reason is journaled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CONTEST = """\
format: opensel-contest/1
title: Branch secretary
returning_officer: Jane Smith
method: {rule: fptp, seats: 1}
candidates: [Ann Hughes, Bob Jones, Cai Lewis]
channels:
  - {name: in-room, issued: 12, spoilt: 1, unused: 1}
"""
BALLOTS = "ballots:\n  - {marks: [Ann Hughes]}\n  - {marks: [Bob Jones]}\n  - {marks: [Ann Hughes]}\n"
REASON = "the box was recounted twice; agents agreed"


def opensel(*args: str, ok: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    r = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", *args], capture_output=True, text=True,
                       timeout=60, input=stdin, env=env)
    assert "Traceback" not in r.stderr
    assert (r.returncode == 0) == ok, (args, r.returncode, r.stdout, r.stderr)
    return r


def test_every_command_takes_the_same_override_flag(tmp_path: Path) -> None:
    yaml = tmp_path / "secretary.yaml"
    yaml.write_text(CONTEST + BALLOTS, encoding="utf-8")
    meeting = tmp_path / "m.osel"
    (tmp_path / "empty.yaml").write_text(CONTEST, encoding="utf-8")
    opensel("new", str(tmp_path / "empty.yaml"), "-o", str(meeting), "--officer", "Jane Smith")
    opensel("enter", str(meeting), "--teller", "Ann Teller", "--single", stdin="1\n2\n1\n")
    refusals = [
        ("count", str(yaml)),
        ("convert", str(yaml), str(tmp_path / "result.json")),
        ("count", str(meeting)),
        ("declare", str(meeting), "--officer", "Jane Smith"),
    ]
    for args in refusals:
        refused = opensel(*args, ok=False)
        assert refused.returncode == 1 and "does not reconcile" in refused.stderr, (args, refused.stderr)
        assert "--override-reason" in refused.stderr
        assert "--override-reason" in opensel(args[0], "--help").stdout
    assert not (tmp_path / "result.json").exists()
    before = meeting.read_bytes()
    assert opensel("count", str(meeting), ok=False) and meeting.read_bytes() == before  # nothing journaled
    for args in refusals:
        opensel(*args, "--override-reason", REASON)
    assert json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))["elected"] == ["Ann Hughes"]
    events = [json.loads(line) for line in opensel("log", str(meeting), "--json").stdout.splitlines()]
    reasons = [e["data"].get("override_reason") for e in events if e["kind"] in ("count_run", "declared")]
    assert reasons == [REASON, REASON], [e["kind"] for e in events]
