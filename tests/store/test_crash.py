"""Kill a writer with SIGKILL at random moments: every entry acknowledged before the kill is there
after reopening, nothing is half-written, and the chain verifies."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from osel_helpers import ranked_contest

from opensel_desktop.app.core import Session

WRITER = Path(__file__).with_name("osel_crash_writer.py")


def test_sigkill_at_random_points_loses_no_acknowledged_entry(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    path = tmp_path / "crash.osel"
    Session.create(ranked_contest(), path, "Jane Smith").close()
    acknowledged: set[int] = set()
    rounds = 0
    while rounds < 4 or len(acknowledged) < 220:
        rounds += 1
        with Session.open(path, "check") as s:
            papers = s.replay.batches["crash"].papers["first"] if "crash" in s.replay.batches else {}
            start = max(papers, default=0) + 1
        proc = subprocess.Popen([sys.executable, str(WRITER), str(path), str(start), "1000"],
                                stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert proc.stdout is not None
        target = rng.randint(30, 110)
        seen = []
        while len(seen) < target:
            line = proc.stdout.readline()
            assert line, "the writer stopped early"
            seen.append(int(line))
        time.sleep(rng.random() * 0.02)  # land the kill anywhere, mid-transaction included
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        seen += [int(x) for x in rest.split()]  # acknowledged before it died
        acknowledged.update(seen)

        # an auditor first: read-only, straight after the crash, with the write-ahead log still there
        with Session.open(path, "auditor", readonly=True) as s:
            assert s.chain.ok, s.chain.message
            assert acknowledged <= set(s.replay.batches["crash"].papers["first"])
        with Session.open(path, "check") as s:
            assert s.verify().ok, s.verify().message
            stored = s.replay.batches["crash"].papers["first"]
            missing = acknowledged - set(stored)
            assert not missing, f"round {rounds}: acknowledged papers lost: {sorted(missing)[:10]}"
            assert set(stored) == set(range(1, max(stored) + 1))  # no gap, nothing half-written
            for n, marks in stored.items():
                assert list(marks) == [n % 4, (n + 1) % 4, (n + 2) % 4][: 1 + n % 3]
    assert len(acknowledged) >= 200 and rounds >= 4
    with Session.open(path, "auditor", readonly=True) as s:
        assert s.chain.ok and s.ballots().total >= len(acknowledged)


def test_two_writers_at_once_keep_one_chain(tmp_path: Path) -> None:
    """The GUI and a command line on the same file: appends serialise, each links to the true last event."""
    path = tmp_path / "shared.osel"
    Session.create(ranked_contest(), path, "Jane Smith").close()
    procs = [subprocess.Popen([sys.executable, str(WRITER), str(path), str(start), "120"], stdout=subprocess.PIPE,
                              text=True) for start in (1, 1001)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    acknowledged = {int(x) for out in outs for x in out.split()}
    assert len(acknowledged) == 240
    with Session.open(path, "auditor", readonly=True) as s:
        assert s.chain.ok and s.chain.events == 241
        assert set(s.replay.batches["crash"].papers["first"]) == acknowledged
