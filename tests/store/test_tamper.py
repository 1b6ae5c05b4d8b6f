"""Edits made with sqlite3 outside the app (single bytes of a cell or of the file, whole rows) are all
caught by `opensel verify` and by the auditor, naming exactly the first event that does not verify."""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from osel_helpers import ranked_contest

from opensel_desktop.app import account as account_uc
from opensel_desktop.app import declaring, entry, rejections
from opensel_desktop.app.audit import audit
from opensel_desktop.app.core import Session
from opensel_desktop.cli import main
from opensel_desktop.contest.model import Channel
from opensel_desktop.store.journal import Journal

COLUMNS = ("kind", "actor", "station", "batch", "at", "payload", "prev", "hash")


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tamper") / "meeting.osel"
    contest = ranked_contest(channels=(Channel("in-room", 30, 1, 2, 27),))
    rng = random.Random(7)
    with Session.create(contest, path, "Jane Smith") as s:
        papers = [rng.sample(range(4), rng.randint(1, 4)) for _ in range(25)]
        for p in papers:
            entry.enter_paper(s, p, "Ann Teller", batch="A")
        for p in papers:
            entry.enter_paper(s, p, "Bob Teller", batch="A", second=True)
        rejections.reject(s, "unmarked", 2)
        account_uc.record_account(s, "in-room", 30, 1, 2, 27)
        declaring.count_meeting(s)
        declaring.declare(s, "Jane Smith")
    return path


def fresh(original: Path, tmp_path: Path, i: int) -> Path:
    p = tmp_path / f"t{i}.osel"
    shutil.copyfile(original, p)
    return p


def other_char(c: str, rng: random.Random) -> str:
    pool = "abcdefXYZ0123456789{}\":,"
    return rng.choice([x for x in pool if x != c])


def edit_cell(path: Path, rng: random.Random) -> int:
    conn = sqlite3.connect(path)
    n = conn.execute("SELECT max(seq) FROM events").fetchone()[0]
    seq = rng.randint(1, n)
    col = rng.choice(COLUMNS)
    value = conn.execute(f"SELECT {col} FROM events WHERE seq = ?", (seq,)).fetchone()[0]
    if not value:
        value, pos = "x", 0
        new = "y"
    else:
        pos = rng.randrange(len(value))
        new = value[:pos] + other_char(value[pos], rng) + value[pos + 1:]
    conn.execute(f"UPDATE events SET {col} = ? WHERE seq = ?", (new, seq))
    conn.commit()
    conn.close()
    return seq


def edit_row(path: Path, rng: random.Random) -> int:
    conn = sqlite3.connect(path)
    n = conn.execute("SELECT max(seq) FROM events").fetchone()[0]
    what = rng.choice(["delete", "delete-last", "renumber", "append-copy", "swap-payload", "swap-rows"])
    seq = rng.randint(1, n - 1)
    if what == "delete":
        conn.execute("DELETE FROM events WHERE seq = ?", (seq,))
    elif what == "delete-last":
        conn.execute("DELETE FROM events WHERE seq = ?", (n,))
        seq = n
    elif what == "renumber":
        conn.execute("UPDATE events SET seq = ? WHERE seq = ?", (n + 50, seq))
    elif what == "append-copy":
        conn.execute("INSERT INTO events SELECT ?, kind, actor, station, batch, at, payload, prev, hash FROM events"
                     " WHERE seq = ?", (n + 1, seq))
        seq = n + 1
    elif what == "swap-payload":
        other = rng.randint(seq + 1, n)
        a = conn.execute("SELECT payload FROM events WHERE seq = ?", (seq,)).fetchone()[0]
        b = conn.execute("SELECT payload FROM events WHERE seq = ?", (other,)).fetchone()[0]
        if a == b:  # identical papers: swapping changes nothing; change the kind instead
            conn.execute("UPDATE events SET kind = 'paper_corrected' WHERE seq = ?", (seq,))
        conn.execute("UPDATE events SET payload = ? WHERE seq = ?", (b, seq))
        conn.execute("UPDATE events SET payload = ? WHERE seq = ?", (a, other))
    else:  # swap two whole rows' places (each keeps its own hash)
        conn.execute("UPDATE events SET seq = -1 WHERE seq = ?", (seq,))
        conn.execute("UPDATE events SET seq = ? WHERE seq = ?", (seq, seq + 1))
        conn.execute("UPDATE events SET seq = ? WHERE seq = -1", (seq + 1,))
    conn.commit()
    conn.close()
    return seq


def edit_file_byte(path: Path, rng: random.Random) -> int:
    """One byte of the file itself, inside a stored event's text (found by reading the file's bytes)."""
    journal = Journal.open(path, readonly=True)
    events = journal.events()
    journal.close()
    data = bytearray(path.read_bytes())
    while True:
        ev = rng.choice(events)
        needle = ev.payload.encode("utf-8")
        at = data.find(needle)
        if at >= 0 and data.find(needle, at + 1) < 0 and len(needle) > 4:
            break
    pos = at + rng.randrange(len(needle))
    data[pos] = ord(other_char(chr(data[pos]), rng)) if data[pos] < 128 else ord("x")
    path.write_bytes(bytes(data))
    return ev.seq


def test_one_hundred_and_twenty_edits_are_all_caught(original: Path, tmp_path: Path, capsys) -> None:
    assert Journal.open(original, readonly=True).verify().ok
    rng = random.Random(1125)
    edits = [edit_cell] * 60 + [edit_row] * 40 + [edit_file_byte] * 20
    for i, edit in enumerate(edits):
        path = fresh(original, tmp_path, i)
        bad = edit(path, rng)
        before = path.read_bytes()
        assert main(["verify", str(path)]) == 1, f"edit {i} ({edit.__name__}) of event {bad} not caught"
        err = capsys.readouterr().err
        assert f"event {bad} " in err and err.count("\n") == 1, (i, edit.__name__, err)
        report = audit(path)
        assert not report.ok and report.first_bad == bad, (i, edit.__name__, report.lines())
        assert path.read_bytes() == before  # neither verify nor audit wrote anything
        path.unlink()


def test_verify_and_audit_commands_in_a_subprocess(original: Path, tmp_path: Path) -> None:
    path = fresh(original, tmp_path, 0)
    ok = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", "verify", str(path)], capture_output=True,
                        text=True, timeout=60)
    # valid, but declared without a key nobody has checked: exit 3, never a plain OK
    assert ok.returncode == 3 and "verifies" in ok.stdout and "UNSIGNED" in ok.stdout
    conn = sqlite3.connect(path)
    conn.execute("UPDATE events SET actor = 'Mallory' WHERE seq = 30")
    conn.commit()
    conn.close()
    for command in ("verify", "audit"):
        bad = subprocess.run([sys.executable, "-m", "opensel_desktop.cli", command, str(path)], capture_output=True,
                             text=True, timeout=60)
        assert bad.returncode == 1 and "event 30 " in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize("column, old", [("actor", "a"), ("payload", "a"), ("hash", None), ("prev", "0")])
def test_an_edit_of_the_first_event_is_named_too(original: Path, tmp_path: Path, column: str, old: str,
                                                 capsys) -> None:
    path = fresh(original, tmp_path, 0)
    conn = sqlite3.connect(path)
    before = conn.execute(f"SELECT {column} FROM events WHERE seq = 1").fetchone()[0]
    if old is None:  # a hash need not contain any given digit: change its first one, whatever it is
        old = before[0]
    new = "b" if old != "b" else "c"
    assert old in before
    conn.execute(f"UPDATE events SET {column} = replace({column}, ?, ?) WHERE seq = 1", (old, new))
    conn.commit()
    conn.close()
    assert main(["verify", str(path)]) == 1
    assert "event 1 (contest created)" in capsys.readouterr().err
    report = audit(path)
    assert not report.ok and report.first_bad == 1
    assert main(["log", str(path)]) == 1 and "Event 1 " in capsys.readouterr().err


def test_a_tampered_file_takes_no_more_entries(original: Path, tmp_path: Path) -> None:
    from opensel_desktop.app.errors import AppError

    path = fresh(original, tmp_path, 0)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE events SET at = '2020-01-01T00:00:00Z' WHERE seq = 5")
    conn.commit()
    conn.close()
    with pytest.raises(AppError, match="Event 5 "):
        Session.open(path, "Ann")


def test_views_of_an_edited_file_refuse_naming_the_event(original: Path, tmp_path: Path, capsys) -> None:
    path = fresh(original, tmp_path, 0)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE events SET payload = replace(payload, '\"marks\":[', '\"marks\":[3,') WHERE seq = 12")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for argv in (["diff"], ["account"], ["export", "--blt"], ["log"], ["count"]):
        assert main([argv[0], str(path), *argv[1:]]) == 1, argv
        err = capsys.readouterr().err
        assert "Event 12 " in err and err.count("\n") == 1, (argv, err)
    assert path.read_bytes() == before
