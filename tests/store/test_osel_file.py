"""The .osel file itself: created once, opened safely, refused with one sentence and left untouched."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from osel_helpers import ranked_contest

from opensel_desktop.app import declaring, entry
from opensel_desktop.app.core import Session
from opensel_desktop.app.errors import AppError
from opensel_desktop.cli import main
from opensel_desktop.store import osel
from opensel_desktop.store.journal import Journal
from opensel_desktop.store.osel import StoreError


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    path = tmp_path / "m.osel"
    with Session.create(ranked_contest(), path, "Jane Smith") as s:
        for i in range(5):
            entry.enter_paper(s, [i % 4, (i + 1) % 4], "Ann", batch="A", single=True)
    return path


def refused_unchanged(path: Path, capsys, *args: str) -> str:
    before = path.read_bytes()
    assert main([*args, str(path)]) == 1
    err = capsys.readouterr().err
    assert path.read_bytes() == before
    assert err.count("\n") == 1 and "Traceback" not in err and str(path) in err
    return err


def test_create_never_overwrites(meeting: Path) -> None:
    before = meeting.read_bytes()
    with pytest.raises(AppError, match="already exists"):
        Session.create(ranked_contest(), meeting, "Jane Smith")
    assert meeting.read_bytes() == before
    assert [p.name for p in meeting.parent.iterdir()] == ["m.osel"]  # no temporary left behind


def test_header_pragmas_and_meta(meeting: Path) -> None:
    conn = sqlite3.connect(meeting)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == osel.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == osel.SCHEMA_VERSION
    # a rollback journal: when the app is idle the .osel alone holds every event (no -wal beside it)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    first = conn.execute("SELECT hash FROM events WHERE seq = 1").fetchone()[0]
    conn.close()
    assert meta["format"] == "opensel-osel" and meta["contest_id"] == first and meta["events"] == "6"


@pytest.mark.parametrize("content, words", [
    (b"", "empty or truncated"),
    (b"hello, this is a text file\n" * 20, "not an OpenSel saved contest"),
    (b"%PDF-1.7\n" + b"x" * 500, "not an OpenSel saved contest"),
    (b"\x00" * 4096, "not an OpenSel saved contest"),
])
def test_not_an_osel_refused(tmp_path: Path, capsys, content: bytes, words: str) -> None:
    path = tmp_path / "x.osel"
    path.write_bytes(content)
    for command in ("verify", "audit", "log"):
        assert words in refused_unchanged(path, capsys, command)
    with pytest.raises(AppError, match=words):
        Session.open(path, "Ann")
    assert path.read_bytes() == content


def test_other_sqlite_database_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "other.osel"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert "not an OpenSel saved contest" in refused_unchanged(path, capsys, "verify")


def test_newer_version_refused(meeting: Path, capsys) -> None:
    conn = sqlite3.connect(meeting)
    conn.execute(f"PRAGMA user_version = {osel.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    err = refused_unchanged(meeting, capsys, "verify")
    assert "newer OpenSel" in err
    before = meeting.read_bytes()
    with pytest.raises(AppError, match="newer OpenSel"):
        Session.open(meeting, "Ann")
    assert meeting.read_bytes() == before


@pytest.mark.parametrize("keep", [100, 1000, 4096, 4097, -1])
def test_truncated_refused(meeting: Path, capsys, keep: int) -> None:
    data = meeting.read_bytes()
    assert len(data) > 8192
    meeting.write_bytes(data[:keep] if keep > 0 else data[:-4096])
    err = refused_unchanged(meeting, capsys, "verify")
    assert "truncated" in err or "damaged" in err or "missing" in err


def test_readonly_open_writes_nothing(meeting: Path) -> None:
    before = meeting.read_bytes()
    meeting.chmod(0o444)
    meeting.parent.chmod(0o555)  # not even a -shm file could be made
    try:
        with Session.open(meeting, "auditor", readonly=True) as s:
            assert s.chain.ok and len(s.events()) == 6
            with pytest.raises(AppError, match="read-only"):
                entry.enter_paper(s, [0], batch="A")
        assert main(["audit", str(meeting)]) == 0
    finally:
        meeting.parent.chmod(0o755)
        meeting.chmod(0o644)
    assert meeting.read_bytes() == before
    assert sorted(p.name for p in meeting.parent.iterdir()) == ["m.osel"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file, so nothing is read-only to it")
def test_writable_open_of_read_only_file_refused(meeting: Path) -> None:
    meeting.chmod(0o444)
    try:
        with pytest.raises(AppError, match="read-only"):
            Session.open(meeting, "Ann")
    finally:
        meeting.chmod(0o644)


def test_forward_migration_steps_run_in_order(meeting: Path, monkeypatch) -> None:
    """A file at the current version opened by a build one version newer runs that step once and records
    the new version; its events (and so its hashes) are untouched, and the new schema is then the sealed one."""
    before = Journal.open(meeting, readonly=True)
    old_events = before.events()
    before.close()
    version = osel.SCHEMA_VERSION
    table = "CREATE TABLE station (name TEXT PRIMARY KEY)"

    def step(conn: sqlite3.Connection) -> None:
        conn.execute(table)

    monkeypatch.setattr(osel, "SCHEMA_VERSION", version + 1)
    monkeypatch.setitem(osel.MIGRATIONS, version, step)
    with Session.open(meeting, "Ann") as s:  # the old schema is sealed as it was
        assert s.chain.ok and list(s.events()) == old_events
    monkeypatch.setattr(osel, "SCHEMA", (*osel.SCHEMA, table))
    monkeypatch.setattr(osel, "_EXPECTED", None)
    conn = sqlite3.connect(meeting)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version + 1
    assert conn.execute("SELECT count(*) FROM station").fetchone()[0] == 0
    conn.close()
    with Session.open(meeting, "Ann") as s:
        assert s.chain.ok


def test_store_error_for_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such file"):
        Journal.open(tmp_path / "nothing.osel")
    assert not (tmp_path / "nothing.osel").exists()


def test_a_file_written_by_format_1_still_opens_verifies_and_recounts(tmp_path: Path) -> None:
    """tests/data/osel/meeting-v1.osel was written by schema version 1 and is kept as is.
    The recount is compared figure by figure (stage wording may improve between versions)."""
    kept = Path(__file__).resolve().parents[1] / "data" / "osel" / "meeting-v1.osel"
    copy = tmp_path / "meeting-v1.osel"
    copy.write_bytes(kept.read_bytes())
    before = copy.read_bytes()
    with Session.open(copy, "auditor", readonly=True) as s:
        assert s.chain.ok and s.state == "declared" and len(s.events()) == 86
        declared = s.declared.result
        recount = declaring.count_meeting(s, journal=False).to_json_dict()
    assert recount["elected"] == declared["elected"] == ["Aisha Rahman"]
    assert [st["votes"] for st in recount["stages"]] == [st["votes"] for st in declared["stages"]]
    assert copy.read_bytes() == before
    # opened to write, it is converted once: version 2, a rollback journal, the same events and result
    with Session.open(copy, "auditor", readonly=True) as s:
        events = s.events()
    copy.chmod(0o644)
    with Session.open(copy, "Jane Smith") as s:
        assert s.chain.ok and s.events() == events and s.state == "declared"
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == osel.SCHEMA_VERSION == 2
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meeting-v1.osel"]
