"""Faults while papers are keyed: hundreds of SIGKILLs, two `opensel enter` processes on one batch, a
declaration racing an entry, a full disk (RLIMIT_FSIZE in the writer), and the .osel copied alone after
every acknowledged write. Real processes, real files; nothing acknowledged is ever lost."""

from __future__ import annotations

import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from osel_helpers import ranked_contest

from opensel_desktop.app import declaring, entry, rejections
from opensel_desktop.app.core import Session
from opensel_desktop.store.osel import hot_journal

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}
OPENSEL = [sys.executable, "-m", "opensel_desktop.cli"]
REASON = "no account was kept at this meeting"


def marks_of(n: int) -> list[int]:
    return [n % 4, (n + 1) % 4, (n + 2) % 4][: 1 + n % 3]


def voted(n: int) -> list[int]:
    """One preference, 4:3:2:1 across the candidates: a count that needs no lot at any number of papers."""
    return [[0, 0, 0, 0, 1, 1, 1, 2, 2, 3][n % 10]]


def stored_papers(path: Path, batch: str) -> dict[int, tuple[int, ...]]:
    with Session.open(path, "auditor", readonly=True) as s:
        assert s.chain.ok, s.chain.message
        b = s.replay.batches.get(batch)
        return dict(b.papers["first"]) if b else {}


def _keep_entering(path: Path, batch: str, start: int, ack: int) -> None:
    """The forked writer: what a teller's Enter does (one durable transaction per paper), paper after
    paper, writing each number to `ack` once the call has returned. Never returns."""
    try:
        with Session.open(path, "Ann Teller") as s:
            for n in range(start, start + 100_000):
                changes = entry.enter_paper(s, marks_of(n), batch=batch, single=True)
                os.write(ack, f"{changes.paper}\n".encode())
    finally:
        os._exit(0)


@pytest.mark.slow
def test_two_hundred_sigkills_during_entry_lose_no_acknowledged_paper(tmp_path: Path) -> None:
    rng = random.Random(20261204)
    path = tmp_path / "kill.osel"
    Session.create(ranked_contest(), path, "Jane Smith").close()
    acknowledged: list[int] = []
    acked, kills, hot, started = 0, 0, 0, time.monotonic()
    while kills < 200:
        start = len(acknowledged) + 1  # the next paper number: every acknowledged one is there, no gap
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            _keep_entering(path, "A", start, w)
        os.close(w)
        wanted, seen, buffer = rng.randint(0, 6), [], b""
        while len(seen) < wanted:
            chunk = os.read(r, 4096)
            assert chunk, "the writer stopped on its own"
            buffer += chunk
            *done, buffer = buffer.split(b"\n")
            seen += [int(x) for x in done]
        time.sleep(rng.random() * 0.004)  # anywhere: mid-transaction, mid-fsync, between two papers
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        kills += 1
        hot += hot_journal(path)  # the kill landed inside a write
        while chunk := os.read(r, 4096):  # acknowledged before it died
            buffer += chunk
        os.close(r)
        seen += [int(x) for x in buffer.split(b"\n") if x]
        assert seen == list(range(start, start + len(seen)))
        acknowledged += seen
        acked += len(seen)
        if kills % 20 == 0 or kills == 1:  # an auditor straight after the crash (a hot journal may be there)
            stored = stored_papers(path, "A")
            assert set(acknowledged) <= set(stored), f"kill {kills}: acknowledged papers lost"
        with Session.open(path, "check") as s:  # the next writer rolls any unfinished write back
            stored = dict(s.replay.batches["A"].papers["first"]) if "A" in s.replay.batches else {}
        lost = set(acknowledged) - set(stored)
        assert not lost, f"kill {kills}: acknowledged papers lost: {sorted(lost)[:10]}"
        assert set(stored) == set(range(1, len(stored) + 1))  # no gap, nothing half-written
        acknowledged = sorted(stored)  # a paper written but not yet acknowledged when the kill landed counts too
    elapsed = time.monotonic() - started
    stored = stored_papers(path, "A")
    assert all(tuple(stored[n]) == tuple(sorted(marks_of(n))) or list(stored[n]) == marks_of(n) for n in stored)
    assert acked >= 200
    print(f"\n{kills} SIGKILLs during entry ({hot} inside a write, leaving a hot journal): {acked} papers "
          f"acknowledged, 0 lost ({len(stored)} stored, {elapsed:.0f} s)")


def test_two_opensel_enter_processes_on_one_batch_lose_nothing_and_never_share_a_number(tmp_path: Path) -> None:
    path = tmp_path / "two.osel"
    Session.create(ranked_contest(), path, "Jane Smith").close()
    inputs = {"Ann Teller": [marks_of(n) for n in range(150)], "Bob Teller": [marks_of(n + 1) for n in range(150)]}
    procs = {who: subprocess.Popen([*OPENSEL, "enter", str(path), "--teller", who, "--batch", "1", "--single"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=ENV) for who in inputs}
    outs = {who: p.communicate("".join(" ".join(str(m + 1) for m in marks) + "\n" for marks in inputs[who]),
                               timeout=300) for who, p in procs.items()}
    for who, p in procs.items():
        assert p.returncode == 0, outs[who][1]
        assert "Saved 150 papers in batch 1" in outs[who][0]
    with Session.open(path, "auditor", readonly=True) as s:
        assert s.chain.ok
        batch = s.replay.batches["1"]
        papers = batch.papers["first"]
        assert sorted(papers) == list(range(1, 301))  # 300 papers, each number once
        assert sorted(tuple(m) for m in papers.values()) == sorted(tuple(m) for ms in inputs.values() for m in ms)
        assert s.ballots().total == 300
    print("\ntwo concurrent `opensel enter` writers: 300 acknowledged, 300 stored, 0 lost, 0 numbers shared")


def test_declare_racing_enter_counts_exactly_the_papers_before_it(tmp_path: Path) -> None:
    path = tmp_path / "race.osel"
    Session.create(ranked_contest(), path, "Jane Smith").close()
    with Session.open(path, "Ann Teller") as s:
        for n in range(20):
            entry.enter_paper(s, voted(n), batch="1", single=True)
    papers = tmp_path / "papers.txt"
    papers.write_text("".join(" ".join(str(m + 1) for m in voted(n)) + "\n" for n in range(20, 2020)))
    enter = subprocess.Popen([*OPENSEL, "enter", str(path), "--teller", "Ann Teller", "--batch", "1", "--single",
                              "--from", str(papers)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=ENV)
    deadline = time.monotonic() + 60
    while _events(path) < 60 and time.monotonic() < deadline:  # the entry is under way
        time.sleep(0.02)
    declare = subprocess.run([*OPENSEL, "declare", str(path), "--officer", "Jane Smith", "--override-reason",
                              REASON], capture_output=True, text=True, env=ENV, timeout=120)
    out, err = enter.communicate(timeout=300)
    assert declare.returncode == 0, declare.stderr
    assert enter.returncode == 1 and "Traceback" not in err and err.count("\n") == 1, err
    said = re.search(r"(\d+) papers of this input were saved before it", err)
    assert said and "locked" in err, err
    with Session.open(path, "auditor", readonly=True) as s:
        assert s.chain.ok
        at = s.model.declared_at.seq
        before = [e for e in s.events() if e.kind == "paper_entered" and e.seq < at]
        after = [e for e in s.events() if e.kind == "paper_entered" and e.seq > at]
        first_stage = s.model.declared.result["stages"][0]
        counted = sum(float(v) for v in first_stage["votes"].values()) + float(first_stage.get("non_transferable") or 0)
        assert not after  # nothing entered once declared
        assert counted == len(before) == 20 + int(said.group(1))  # the count is the journal's, and what enter said
        assert 20 < len(before) < 2020  # the race really was a race
    assert subprocess.run([*OPENSEL, "audit", str(path)], capture_output=True, text=True, env=ENV).returncode == 3


def _events(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def _limited(limit: int):
    def preexec() -> None:  # in the child only: a disk that fills at `limit` bytes per file
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def test_a_full_disk_keeps_every_acknowledged_paper_and_says_how_many(tmp_path: Path) -> None:
    path = tmp_path / "full.osel"
    Session.create(ranked_contest(), path, "Jane Smith").close()
    limit = path.stat().st_size + 48 * 4096
    papers = "".join(" ".join(str(m + 1) for m in marks_of(n)) + "\n" for n in range(3000))
    proc = subprocess.run([*OPENSEL, "enter", str(path), "--teller", "Ann Teller", "--batch", "1", "--single"],
                          input=papers, capture_output=True, text=True, env=ENV, timeout=300,
                          preexec_fn=_limited(limit))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert "disk is full" in proc.stderr and "NOT saved" in proc.stderr, proc.stderr
    said = re.search(r"(\d+) papers of this input were saved before it \(batch 1, papers 1-(\d+)\)", proc.stderr)
    assert said and said.group(1) == said.group(2), proc.stderr
    saved = int(said.group(1))
    assert 50 < saved < 3000
    # the space is back: the file opens (read-only first, as an auditor would), every acknowledged paper is there
    assert set(stored_papers(path, "1")) == set(range(1, saved + 1))
    audit = subprocess.run([*OPENSEL, "audit", str(path)], capture_output=True, text=True, env=ENV, timeout=120)
    assert audit.returncode == 0 and "Traceback" not in audit.stderr, audit.stderr
    rest = "".join(papers.splitlines(keepends=True)[saved:saved + 10])
    again = subprocess.run([*OPENSEL, "enter", str(path), "--teller", "Ann Teller", "--batch", "1", "--single"],
                           input=rest, capture_output=True, text=True, env=ENV, timeout=120)
    assert again.returncode == 0, again.stderr
    assert set(stored_papers(path, "1")) == set(range(1, saved + 11))
    print(f"\ndisk full after {saved} papers: the refusal said {saved}; with space back {saved} there, entry goes on")


def test_the_osel_alone_is_complete_after_every_acknowledged_write(tmp_path: Path) -> None:
    """While the app keeps the file open, a copy of the .osel alone (no -wal, no -journal: a USB stick
    takes only the file) holds every event acknowledged so far."""
    path = tmp_path / "alone.osel"
    stick = tmp_path / "stick"
    stick.mkdir()
    writes = 0

    def check(s: Session) -> None:
        nonlocal writes
        writes += 1
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("alone.osel")] == ["alone.osel"]
        copy = stick / f"copy-{writes}.osel"
        shutil.copyfile(path, copy)
        with Session.open(copy, "auditor", readonly=True) as c:
            assert c.chain.ok and c.chain.events == s.chain.events and c.head_hash == s.head_hash
            assert c.model.state == s.model.state

    with Session.create(ranked_contest(), path, "Jane Smith") as s:
        check(s)
        for n in range(1, 21):
            entry.enter_paper(s, voted(n), "Ann Teller", batch="1")
            check(s)
            entry.enter_paper(s, voted(n), "Bob Teller", batch="1", second=True)
            check(s)
        rejections.reject(s, "unmarked")
        check(s)
        declaring.count_meeting(s, override_reason=REASON)
        check(s)
        declaring.declare(s, "Jane Smith", override_reason=REASON)
        check(s)
    with Session.open(stick / f"copy-{writes}.osel", "auditor", readonly=True) as c:
        assert c.model.state == "declared"
    print(f"\nthe .osel copied alone after each of {writes} acknowledged writes: complete every time")
